-- Conditional GET: the validators and stored copy of every remote source's last good fetch,
-- so a re-run asks "changed since?" and a 304 reuses the stored document.
-- Grain: one row per source URL (as normalised in the registry).
create table if not exists http_cache (
    url varchar primary key,
    final_url varchar,
    etag varchar,
    last_modified varchar,
    document_id varchar not null,
    title varchar,
    updated_at timestamp not null
);

-- Whether a fetch row's text came from the stored copy (304 or --offline): nothing moved.
alter table fetches add column if not exists from_cache boolean default false;
