-- Stored copies of remote sources for conditional GET and --offline.
-- Grain: one row per cached URL. No parameters.
select
    hc.url,
    hc.final_url,
    hc.etag,
    hc.last_modified,
    hc.title,
    d.document_text
from http_cache as hc
inner join documents as d on d.document_id = hc.document_id
