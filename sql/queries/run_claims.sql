-- The claims a run checked (those of its article), with what the audit checks beside them.
-- Grain: one row per claim. Parameter: $run_id.
-- text_overrun: characters the claim text has beyond its span in the article; resolving
-- "the country" or "these services" adds a few words, never a sentence's worth.
with run as (
    select article_id from runs where run_id = $run_id
),

final as (
    select
        c.*,
        length(c.claim_text) - (c.span_end - c.span_start) as text_overrun
    from claims as c
    inner join run as r on r.article_id = c.article_id
)

select * from final
