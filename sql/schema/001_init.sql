-- Initial schema: every stage's output, keyed by content hashes; run-scoped rows carry run_id.

create table if not exists runs (
    run_id varchar primary key,
    article_id varchar not null,
    origin varchar not null,
    started_at timestamp not null,
    finished_at timestamp,
    status varchar not null,            -- running | published | quarantined | failed
    failure_reason varchar,
    docs_path varchar,
    n_claims integer,
    n_sources integer,
    n_sources_ok integer
);

create table if not exists articles (
    article_id varchar primary key,
    origin varchar not null,
    published_date date,
    article_text varchar not null,
    n_sentences integer not null,
    first_seen_at timestamp not null
);

create table if not exists claims (
    claim_id varchar primary key,
    article_id varchar not null,
    sentence_index integer not null,
    claim_text varchar not null,
    span_start integer not null,
    span_end integer not null,
    speaker varchar,
    via varchar,
    kind varchar not null,
    claim_date varchar,
    is_date_explicit boolean not null,
    slots json not null,
    norm_text varchar not null
);

create table if not exists claim_terms (
    claim_id varchar not null,
    term varchar not null,
    primary key (claim_id, term)
);

create table if not exists sources (
    source_id varchar primary key,
    url varchar not null,
    outlet varchar not null,
    tier integer not null,
    published_date date,
    original_url varchar
);

create table if not exists fetches (
    fetch_id varchar primary key,
    run_id varchar not null,
    source_id varchar not null,
    url varchar not null,
    final_url varchar,
    status varchar not null,            -- ok | http_error | network_error | timeout | bad_content | bad_url | missing
    status_code integer,
    error varchar,
    size_bytes bigint not null,
    elapsed_ms bigint not null,
    fetched_at timestamp not null
);

create table if not exists documents (
    document_id varchar primary key,
    source_id varchar not null,
    url varchar not null,
    outlet varchar not null,
    title varchar,
    document_text varchar not null,
    published_date date,
    first_fetched_at timestamp not null
);

create table if not exists run_documents (
    run_id varchar not null,
    document_id varchar not null,
    is_excluded boolean not null,       -- a near-copy of the article is never its own evidence
    outlet_group varchar not null,      -- syndicated copies share one group
    primary key (run_id, document_id)
);

create table if not exists sentences (
    sentence_id varchar primary key,
    document_id varchar not null,
    sentence_index integer not null,
    start_char integer not null,
    end_char integer not null,
    sentence_text varchar not null,
    slots json not null,
    norm_text varchar not null
);

create table if not exists sentence_terms (
    sentence_id varchar not null,
    term varchar not null,
    primary key (sentence_id, term)
);

create table if not exists evidence (
    run_id varchar not null,
    claim_id varchar not null,
    sentence_id varchar not null,
    candidate_rank integer not null,
    retrieval_score double not null,
    similarity double not null,
    coverage double not null,
    stance varchar not null,            -- SUPPORTS | REFUTES | NEUTRAL
    reasons varchar not null,
    primary key (run_id, claim_id, sentence_id)
);

create table if not exists verdicts (
    run_id varchar not null,
    claim_id varchar not null,
    verdict varchar not null,           -- SUPPORTED | CONTRADICTED | DISPUTED | NOT ENOUGH INFO
    confidence double not null,
    n_supporting_outlets integer not null,
    n_contradicting_outlets integer not null,
    evidence_sentence_id varchar,
    evidence_text varchar,
    evidence_url varchar,
    evidence_outlet varchar,
    reason varchar not null,
    primary key (run_id, claim_id)
);
