-- Published verdicts with their article's date, the partition key of the Parquet export.
-- Grain: one row per claim of each article's latest published run.
select vp.*, a.published_date as article_date
from verdicts_published as vp
inner join articles as a on a.article_id = vp.article_id
