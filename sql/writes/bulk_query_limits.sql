-- For the bulk candidate query: its result's order is not needed, and keeping it costs
-- memory; the limit makes DuckDB spill the big joins to disk rather than take the
-- machine's memory. bulk_query_limits_reset.sql undoes it.
-- Parameter: $memory_limit (a DuckDB size, '4GB').
set preserve_insertion_order = false;
set memory_limit = $memory_limit;
