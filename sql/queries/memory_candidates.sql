-- Claim memory's candidates: for each new claim, the stored claims of other articles (those
-- a published run judged) and the imported fact checks that share its terms, ranked by
-- the summed BM25-style IDF of the shared terms over the whole memory, top k per claim.
-- Only each claim's $max_terms rarest terms are looked up: a word most stored claims use
-- ("say", "percent") would join every new claim with most of the memory, and a claim
-- repeated hundreds of times is still found by its rarest words.
-- The claims of the batch's other articles ($article_ids) are in the memory too, each
-- only for the articles after it (by id), so a republished story met in the same batch
-- is matched once, in one direction (by the slots and its words only: a republished
-- story repeats them, and the model's readings would cost a batch of near-copies dearly).
-- Grain: one row per new claim x candidate. Parameters: $claim_ids, $article_ids, $top_k,
-- $max_terms.
with new_claims as (
    select claim_id, article_id
    from claims
    where claim_id in (select unnest($claim_ids::varchar[]))
),

published_claims as (
    select distinct claim_id, article_id
    from verdicts_published
),

remembered_claims as (
    select claim_id, article_id, false as in_batch
    from published_claims
    union all
    select claim_id, article_id, true as in_batch
    from claims
    where article_id in (select unnest($article_ids::varchar[]))
        and claim_id not in (select claim_id from published_claims)
),

memory_terms as (
    select 'claim' as matched_kind, ct.claim_id as matched_id, rc.article_id, rc.in_batch, ct.term
    from claim_terms as ct
    inner join remembered_claims as rc on rc.claim_id = ct.claim_id
    union all
    select
        'fact_check' as matched_kind,
        fact_check_id as matched_id,
        null as article_id,
        false as in_batch,
        term
    from fact_check_terms
),

corpus as (
    select count(distinct matched_id) as n_items
    from memory_terms
),

term_df as (
    select term, count(*) as df
    from memory_terms
    group by term
),

new_terms as (
    select nc.claim_id, nc.article_id, ct.term
    from new_claims as nc
    inner join claim_terms as ct on ct.claim_id = nc.claim_id
    inner join term_df as td on td.term = ct.term
    qualify row_number() over (partition by nc.claim_id order by td.df, ct.term) <= $max_terms
),

shared as (
    select
        nt.claim_id,
        mt.matched_kind,
        mt.matched_id,
        mt.in_batch,
        -- rounded: a float sum's last bits follow DuckDB's thread order
        round(sum(ln(1 + (co.n_items - td.df + 0.5) / (td.df + 0.5))), 9) as retrieval_score
    from new_terms as nt
    inner join memory_terms as mt
        on mt.term = nt.term
        and (
            mt.article_id is null
            or (mt.article_id <> nt.article_id and (not mt.in_batch or mt.article_id < nt.article_id))
        )
    inner join term_df as td on td.term = nt.term
    cross join corpus as co
    group by nt.claim_id, mt.matched_kind, mt.matched_id, mt.in_batch
),

ranked as (
    select
        *,
        row_number() over (
            partition by claim_id order by retrieval_score desc, matched_id
        ) as candidate_rank
    from shared
),

final as (
    select
        r.claim_id,
        r.matched_kind,
        r.matched_id,
        r.retrieval_score,
        r.candidate_rank,
        r.in_batch,
        coalesce(c.claim_text, f.claim_reviewed) as matched_text,
        coalesce(c.norm_text, f.norm_text) as matched_norm,
        coalesce(c.slots, f.slots) as matched_slots
    from ranked as r
    left join claims as c on r.matched_kind = 'claim' and c.claim_id = r.matched_id
    left join fact_checks as f on r.matched_kind = 'fact_check' and f.fact_check_id = r.matched_id
    where r.candidate_rank <= $top_k
)

select * from final
order by claim_id, candidate_rank
