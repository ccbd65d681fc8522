-- Which extractor version analysed a document's sentences (slots and terms). A document
-- stored under another version, or before this table existed, is analysed again on its
-- next use, so its sentences and the article's claims are always read by the same code.
-- Grain: one row per document.
create table if not exists document_analyses (
    document_id varchar primary key,
    extractor_version varchar not null,
    analysed_at timestamp not null
);
