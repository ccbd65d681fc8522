-- Candidates for every stored claim against every stored sentence at once: the top-k
-- sentences per claim by the summed IDF of the terms they share, a shared number ("#…")
-- or entity ("@…") counting double, as in candidates.sql. A term found in more than
-- $max_df sentences does not block: it would pair each claim with a large share of the
-- corpus while adding almost nothing to the score, so the work grows with the candidates
-- found instead of with claims × sentences.
-- Grain: one row per claim x candidate sentence. Parameters: $top_k, $max_df.
with corpus_size as (
    select count(*) as n_sentences from sentences
),

term_df as (
    select term, count(*) as df
    from sentence_terms
    group by term
),

blocking_terms as (
    select
        ct.claim_id,
        ct.term,
        ln(1 + (cs.n_sentences - d.df + 0.5) / (d.df + 0.5))
        * case when ct.term like '#%' or ct.term like '@%' then 2 else 1 end as weight
    from claim_terms as ct
    inner join term_df as d on d.term = ct.term
    cross join corpus_size as cs
    where d.df <= $max_df
),

shared as (
    select
        bt.claim_id,
        st.sentence_id,
        sum(bt.weight) as retrieval_score
    from blocking_terms as bt
    inner join sentence_terms as st on st.term = bt.term
    group by bt.claim_id, st.sentence_id
),

ranked as (
    select
        *,
        row_number() over (
            partition by claim_id order by retrieval_score desc, sentence_id
        ) as candidate_rank
    from shared
    qualify candidate_rank <= $top_k
)

select
    r.claim_id,
    r.sentence_id,
    r.candidate_rank,
    r.retrieval_score,
    c.norm_text as claim_norm,
    s.norm_text as sentence_norm
from ranked as r
inner join claims as c on c.claim_id = r.claim_id
inner join sentences as s on s.sentence_id = r.sentence_id
