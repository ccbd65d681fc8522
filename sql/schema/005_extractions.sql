-- Which claims an extractor version found in an article, so a re-run of an unchanged
-- article with unchanged code reuses them instead of parsing again.
-- Grain: one row per (article, extractor version).
create table if not exists extractions (
    article_id varchar not null,
    extractor_version varchar not null,
    claim_ids varchar[] not null,
    extracted_at timestamp not null,
    primary key (article_id, extractor_version)
);
