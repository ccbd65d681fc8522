-- Undo bulk_query_limits.sql: the connection's defaults again.
-- No parameters.
reset preserve_insertion_order;
reset memory_limit;
