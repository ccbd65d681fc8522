-- How a run's fetches ended, for the reason a run with no readable source gives.
-- Grain: one row per fetch status. Parameter: $run_id.
select
    f.status,
    count(*) as n_fetches
from fetches as f
where f.run_id = $run_id
group by f.status
order by f.status
