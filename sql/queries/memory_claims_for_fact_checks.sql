-- The published claims each newly imported fact check may be about: ranked by the summed
-- BM25-style IDF of the terms they share (over the published claims and the fact
-- checks), top k per fact check, with what the memory compares of both.
-- Grain: one row per fact check x candidate claim. Parameters: $fact_check_ids, $top_k.
with remembered_claims as (
    select distinct claim_id
    from verdicts_published
),

memory_terms as (
    select ct.claim_id as item_id, ct.term
    from claim_terms as ct
    inner join remembered_claims as rc on rc.claim_id = ct.claim_id
    union all
    select fact_check_id as item_id, term
    from fact_check_terms
),

corpus as (
    select count(distinct item_id) as n_items
    from memory_terms
),

term_df as (
    select term, count(*) as df
    from memory_terms
    group by term
),

shared as (
    select
        ft.fact_check_id,
        ct.claim_id,
        -- rounded: a float sum's last bits follow DuckDB's thread order
        round(sum(ln(1 + (co.n_items - td.df + 0.5) / (td.df + 0.5))), 9) as retrieval_score
    from fact_check_terms as ft
    inner join claim_terms as ct on ct.term = ft.term
    inner join remembered_claims as rc on rc.claim_id = ct.claim_id
    inner join term_df as td on td.term = ft.term
    cross join corpus as co
    where ft.fact_check_id in (select unnest($fact_check_ids::varchar[]))
    group by ft.fact_check_id, ct.claim_id
),

ranked as (
    select
        *,
        row_number() over (
            partition by fact_check_id order by retrieval_score desc, claim_id
        ) as candidate_rank
    from shared
),

final as (
    select
        r.fact_check_id,
        r.claim_id,
        r.candidate_rank,
        c.claim_text,
        c.norm_text as claim_norm,
        c.slots as claim_slots,
        f.claim_reviewed,
        f.norm_text as fact_check_norm,
        f.slots as fact_check_slots
    from ranked as r
    inner join claims as c on c.claim_id = r.claim_id
    inner join fact_checks as f on f.fact_check_id = r.fact_check_id
    where r.candidate_rank <= $top_k
)

select * from final
order by fact_check_id, candidate_rank
