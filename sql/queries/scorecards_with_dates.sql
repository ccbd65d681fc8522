-- Article scorecards with the article's date, the partition key of the Parquet export.
-- Grain: one row per article with a published run.
select sc.*, a.published_date as article_date
from article_scorecard as sc
inner join articles as a on a.article_id = sc.article_id
