-- The schema migrations this database has applied. Grain: one row per migration.
-- No parameters.
select version
from schema_migrations
