-- The stance of a claim toward a sentence, once per distinct input: a re-run that meets
-- the same claim, sentence, corpus weighting and matcher code reuses it instead of
-- scoring again. pair_key hashes every input of match.judge (see pipeline.pair_key).
-- Grain: one row per pair_key.
create table if not exists pair_scores (
    pair_key varchar primary key,
    similarity double not null,
    coverage double not null,
    stance varchar not null,
    reasons varchar not null,          -- JSON list of the reasons
    scored_at timestamp not null
);
