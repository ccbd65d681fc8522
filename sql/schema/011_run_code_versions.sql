-- Which code (extractor, matcher, verdict rules, candidate query) a run was computed by.
-- A run of an unchanged article is skipped only when the code is unchanged too, so an
-- upgrade of claimwatch re-checks every article once. Grain: one row per run.
create table if not exists run_code_versions (
    run_id varchar primary key,
    code_version varchar not null
);
