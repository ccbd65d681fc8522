-- The ledger of applied schema migrations, made before the first one is applied (the
-- migrations in sql/schema/ cannot record themselves in a table they would create).
-- No parameters.
create table if not exists schema_migrations (
    version integer primary key,
    name varchar not null,
    applied_at timestamp not null
);
