-- Articles that already have a published run: an inbox file with one of these ids is done.
-- Grain: one row per article. No parameters.
select distinct article_id
from runs
where status = 'published'
