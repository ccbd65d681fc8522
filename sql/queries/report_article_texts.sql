-- Every article's text, for the dashboard's article pages and titles.
-- Grain: one row per article.
select article_id, article_text
from articles
