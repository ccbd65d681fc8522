-- The claims each run of a batch checked (those of its article), with what the audit
-- checks beside them. Grain: one row per run x claim. Parameter: $run_ids.
-- text_overrun: characters the claim text has beyond its span in the article; resolving
-- "the country" or "these services" adds a few words, never a sentence's worth.
with batch as (
    select run_id, article_id
    from runs
    where run_id in (select unnest($run_ids::varchar[]))
),

final as (
    select
        b.run_id,
        c.*,
        length(c.claim_text) - (c.span_end - c.span_start) as text_overrun
    from claims as c
    inner join batch as b on b.article_id = c.article_id
)

select * from final
