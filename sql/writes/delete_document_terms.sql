-- The index terms of a document's sentences about to be analysed again.
-- Parameter: $document_id.
delete from sentence_terms
where sentence_id in (select sentence_id from sentences where document_id = $document_id)
