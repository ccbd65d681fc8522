"""Rows as the tables hold them: one frozen dataclass per table claimwatch writes, its
fields named and ordered as the table's columns (sql/schema/). store.insert_rows writes
them by name (`insert into t (col, …)`), so a row can never land in the wrong columns,
and a test checks every dataclass against its table."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime


def utc_now() -> datetime:
    """The time rows are stamped with: UTC, without a zone (DuckDB's TIMESTAMP)."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class SchemaMigrationRow:
    version: int
    name: str
    applied_at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class ArticleRow:
    article_id: str
    origin: str
    published_date: date | None
    article_text: str
    n_sentences: int
    first_seen_at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class RunCodeVersionRow:
    run_id: str
    code_version: str


@dataclass(frozen=True)
class ClaimRow:
    claim_id: str
    article_id: str
    sentence_index: int
    claim_text: str
    span_start: int
    span_end: int
    speaker: str | None
    via: str | None
    kind: str
    claim_date: str | None
    is_date_explicit: bool
    slots: str  # JSON, of shape slot_schema
    norm_text: str
    checkworthiness: float
    slot_schema: int


@dataclass(frozen=True)
class ClaimTermRow:
    claim_id: str
    term: str


@dataclass(frozen=True)
class ExtractionRow:
    article_id: str
    extractor_version: str
    claim_ids: list[str]
    extracted_at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class SourceRow:
    source_id: str
    url: str
    outlet: str
    tier: int
    published_date: date | None
    original_url: str | None


@dataclass(frozen=True)
class FetchRow:
    fetch_id: str
    run_id: str
    source_id: str
    url: str
    final_url: str | None
    status: str
    status_code: int | None
    error: str | None
    size_bytes: int
    elapsed_ms: float
    fetched_at: datetime
    from_cache: bool


@dataclass(frozen=True)
class HttpCacheRow:
    url: str
    final_url: str | None
    etag: str | None
    last_modified: str | None
    document_id: str
    title: str | None
    updated_at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class DocumentRow:
    document_id: str
    source_id: str
    url: str
    outlet: str
    title: str | None
    document_text: str
    published_date: date | None
    first_fetched_at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class SentenceRow:
    sentence_id: str
    document_id: str
    sentence_index: int
    start_char: int
    end_char: int
    sentence_text: str
    slots: str  # JSON, of shape slot_schema
    norm_text: str
    slot_schema: int


@dataclass(frozen=True)
class SentenceTermRow:
    sentence_id: str
    term: str


@dataclass(frozen=True)
class DocumentAnalysisRow:
    document_id: str
    extractor_version: str
    analysed_at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class RunDocumentRow:
    run_id: str
    document_id: str
    is_excluded: bool
    outlet_group: str
    via_memory: bool = False  # read because a claim of the cluster was judged on it


@dataclass(frozen=True)
class EvidenceRow:
    run_id: str
    claim_id: str
    sentence_id: str
    candidate_rank: int
    retrieval_score: float
    similarity: float
    coverage: float
    stance: str
    reasons: str
    probability: float | None = None  # the learned decision's, None where a rule decided


@dataclass(frozen=True)
class PairScoreRow:
    pair_key: str
    similarity: float
    coverage: float
    stance: str
    reasons: str  # JSON
    scored_at: datetime = field(default_factory=utc_now)
    probability: float | None = None


@dataclass(frozen=True)
class EntailmentScoreRow:
    entailment_key: str
    entails: float
    contradicts: float
    neutral: float
    scored_at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class VerdictRow:
    run_id: str
    claim_id: str
    verdict: str
    confidence: float
    n_supporting_outlets: int
    n_contradicting_outlets: int
    evidence_sentence_id: str | None
    evidence_text: str | None
    evidence_url: str | None
    evidence_outlet: str | None
    reason: str


@dataclass(frozen=True)
class FeedItemRow:
    item_url: str
    feed_url: str
    title: str | None
    published: date | None
    first_seen_at: datetime = field(default_factory=utc_now)


# Each table and the row type claimwatch writes to it (checked against the schema in tests).
@dataclass(frozen=True)
class FactCheckRow:
    fact_check_id: str
    claim_reviewed: str
    rating_text: str | None
    rating_value: float | None
    best_rating: float | None
    worst_rating: float | None
    label: str | None
    publisher: str | None
    review_url: str | None
    date_published: date | None
    claim_author: str | None
    appearances: str  # JSON list of urls
    sd_license: str | None
    norm_text: str
    slots: str  # JSON, of shape slot_schema
    slot_schema: int
    source_file: str
    imported_at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class FactCheckTermRow:
    fact_check_id: str
    term: str


@dataclass(frozen=True)
class MemoryMatchRow:
    claim_id: str
    matched_kind: str
    matched_id: str
    decision: str
    score: float
    similarity: float
    entails_forward: float | None
    entails_backward: float | None
    reason: str
    matcher_version: str
    matched_at: datetime = field(default_factory=utc_now)
    reviewed_by: str | None = None


@dataclass(frozen=True)
class ClusterMemberRow:
    claim_id: str
    cluster_id: str
    joined_at: datetime = field(default_factory=utc_now)


TABLE_ROWS: dict[str, type] = {
    "schema_migrations": SchemaMigrationRow,
    "articles": ArticleRow,
    "run_code_versions": RunCodeVersionRow,
    "claims": ClaimRow,
    "claim_terms": ClaimTermRow,
    "extractions": ExtractionRow,
    "sources": SourceRow,
    "fetches": FetchRow,
    "http_cache": HttpCacheRow,
    "documents": DocumentRow,
    "sentences": SentenceRow,
    "sentence_terms": SentenceTermRow,
    "document_analyses": DocumentAnalysisRow,
    "run_documents": RunDocumentRow,
    "evidence": EvidenceRow,
    "pair_scores": PairScoreRow,
    "entailment_scores": EntailmentScoreRow,
    "verdicts": VerdictRow,
    "feed_items": FeedItemRow,
    "fact_checks": FactCheckRow,
    "fact_check_terms": FactCheckTermRow,
    "memory_matches": MemoryMatchRow,
    "claim_cluster_members": ClusterMemberRow,
}
