-- The claims a run checked (those of its article). Grain: one row per claim. Parameter: $run_id.
with run as (
    select article_id from runs where run_id = $run_id
),

final as (
    select c.*
    from claims as c
    inner join run as r on r.article_id = c.article_id
)

select * from final
