-- Candidates for every stored claim against every stored sentence at once: the top-k
-- sentences per claim by the summed IDF of the terms they share, a shared number ("#…")
-- or entity ("@…") counting double, as in candidates.sql.
--
-- The work must grow with the candidates found, not with claims x sentences, and a
-- candidate is any sentence sharing at least two terms with the claim (match.py's
-- MIN_SHARED_TERMS). So terms are split by document frequency at $max_df:
--   * a rare term blocks on its own: its posting list is short;
--   * a common term blocks only in pairs: a sentence sharing two or more common terms
--     with the claim shares a pair of them, and a pair's posting list is short too.
-- Together they find every sentence sharing a rare term, or two common ones, without ever
-- walking a common term's long posting list.
-- Grain: one row per claim x candidate sentence.
-- Parameters: $top_k, $max_df, $min_shared, $min_coverage.
with corpus_size as (
    select count(*) as n_sentences from sentences
),

term_weight as materialized (
    select
        st.term,
        count(*) as df,
        ln(1 + (any_value(cs.n_sentences) - count(*) + 0.5) / (count(*) + 0.5))
        * case when st.term like '#%' or st.term like '@%' then 2 else 1 end as weight
    from sentence_terms as st
    cross join corpus_size as cs
    group by st.term
),

claim_weighted as materialized (
    select ct.claim_id, ct.term, tw.weight, tw.df > $max_df as is_common
    from claim_terms as ct
    inner join term_weight as tw on tw.term = ct.term
),

sentence_common as materialized (
    select st.sentence_id, st.term, tw.weight
    from sentence_terms as st
    inner join term_weight as tw on tw.term = st.term
    where tw.df > $max_df
),

-- rare terms: summed weight of the rare terms each sentence shares with each claim
rare_shared as materialized (
    select cw.claim_id, st.sentence_id, sum(cw.weight) as score, count(*) as n_shared
    from claim_weighted as cw
    inner join sentence_terms as st on st.term = cw.term
    where not cw.is_common
    group by cw.claim_id, st.sentence_id
),

claim_pairs as materialized (
    select a.claim_id, a.term as term_a, b.term as term_b, a.weight + b.weight as weight
    from claim_weighted as a
    inner join claim_weighted as b
        on b.claim_id = a.claim_id and a.term < b.term
    where a.is_common and b.is_common
),

sentence_pairs as materialized (
    select a.sentence_id, a.term as term_a, b.term as term_b
    from sentence_common as a
    inner join sentence_common as b
        on b.sentence_id = a.sentence_id and a.term < b.term
),

-- m shared common terms match m(m-1)/2 pairs, each term in m-1 of them: dividing the
-- summed pair weights by m-1 gives the summed weight of the shared common terms.
common_shared as materialized (
    select
        cp.claim_id,
        sp.sentence_id,
        sum(cp.weight) / ((1 + sqrt(1 + 8 * count(*))) / 2 - 1) as score,
        (1 + sqrt(1 + 8 * count(*))) / 2 as n_shared
    from claim_pairs as cp
    inner join sentence_pairs as sp
        on sp.term_a = cp.term_a and sp.term_b = cp.term_b
    group by cp.claim_id, sp.sentence_id
),

shared as (
    select claim_id, sentence_id, sum(score) as retrieval_score, sum(n_shared) as n_shared
    from (
        select * from rare_shared
        union all
        select * from common_shared
    )
    group by claim_id, sentence_id
),

claim_size as materialized (
    select claim_id, count(distinct term) as n_terms
    from claim_terms
    group by claim_id
),

-- Only sentences that may hold enough of the claim to be evidence rank: $min_shared
-- terms and $min_coverage of the claim's. One less is let through, because a sentence
-- sharing a single common term is counted without it (no pair holds it). Sentences
-- holding more of the claim rank first, as they score higher on token_set_ratio.
ranked as (
    select
        sh.*,
        row_number() over (
            partition by sh.claim_id
            order by sh.n_shared desc, sh.retrieval_score desc, sh.sentence_id
        ) as candidate_rank
    from shared as sh
    inner join claim_size as cz on cz.claim_id = sh.claim_id
    where sh.n_shared >= greatest(
        least($min_shared, cz.n_terms), ceil($min_coverage * cz.n_terms)
    ) - 1
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
