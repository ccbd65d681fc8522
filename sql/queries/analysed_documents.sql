-- Those of the documents whose sentences are stored as this extractor version reads them.
-- Grain: one row per document. Parameters: $extractor_version, $document_ids.
select document_id
from document_analyses
where extractor_version = $extractor_version
    and document_id in (select unnest($document_ids::varchar[]))
