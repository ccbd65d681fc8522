-- The entailment model's probabilities for one (claim, sentence) pair of texts, once per
-- distinct pair and model: the same two texts met again in another article, run or batch
-- are not read by the model again. entailment_key hashes the model's files and code and
-- the two texts as written (see claimwatch.entailment.entailment_key).
-- Grain: one row per entailment_key.
create table if not exists entailment_scores (
    entailment_key varchar primary key,
    entails double not null,
    contradicts double not null,
    neutral double not null,
    scored_at timestamp not null
);
