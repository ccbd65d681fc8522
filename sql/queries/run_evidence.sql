-- The evidence rows a run wrote. Grain: one row per claim x candidate sentence. Parameter: $run_id.
with final as (
    select * from evidence where run_id = $run_id
)

select * from final
