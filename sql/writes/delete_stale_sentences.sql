-- A document's sentences that its new analysis no longer has.
-- Parameters: $document_id, $sentence_ids (the ones it keeps).
delete from sentences
where document_id = $document_id and sentence_id not in (select unnest($sentence_ids::varchar[]))
