-- Whether an extractor version read an article (an article with no claims has a row too).
-- Grain: at most one row. Parameters: $article_id, $extractor_version.
select 1 as marked
from extractions
where article_id = $article_id and extractor_version = $extractor_version
