-- The verdicts a run wrote. Grain: one row per claim. Parameter: $run_id.
with final as (
    select * from verdicts where run_id = $run_id
)

select * from final
