-- Feed items the monitor has taken up as articles, so each is verified once.
-- Grain: one row per item URL.
create table if not exists feed_items (
    item_url varchar primary key,
    feed_url varchar not null,
    title varchar,
    published date,
    first_seen_at timestamp not null
);
