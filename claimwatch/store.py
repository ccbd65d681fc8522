"""DuckDB storage: writing each stage's rows. Opening the database, its migrations and its
statements are claimwatch.db's, named here too so that callers need one module."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict

import duckdb

from claimwatch.article import Article
from claimwatch.db import (  # noqa: F401  (named here for the pipeline's callers)
    CONNECTION_CONFIG,
    SQL_DIR,
    connect,
    insert_rows,
    is_lock_conflict,
    migrate,
    pending_migrations,
    query,
    schema_files,
    write,
)
from claimwatch.entailment import Entailment, entailment_key
from claimwatch.extract.claims import Claim
from claimwatch.extract.slots.base import SLOT_SCHEMA, Slot, slot_from_record
from claimwatch.ids import content_id
from claimwatch.rows import (
    ArticleRow,
    ClaimRow,
    ClaimTermRow,
    DocumentAnalysisRow,
    DocumentRow,
    EntailmentScoreRow,
    EvidenceRow,
    ExtractionRow,
    FetchRow,
    HttpCacheRow,
    PairScoreRow,
    RunCodeVersionRow,
    RunDocumentRow,
    SentenceRow,
    SentenceTermRow,
    SourceRow,
    VerdictRow,
)
from claimwatch.rows import utc_now as now
from claimwatch.sources import CachedDocument, FetchResult, Source
from claimwatch.text import index_terms
from claimwatch.verdict import Verdict


def slots_json(slots: Sequence[Slot]) -> str:
    return json.dumps([asdict(s) for s in slots], ensure_ascii=False)


def slots_from_json(raw: str) -> tuple[Slot, ...]:
    return tuple(slot_from_record(item) for item in json.loads(raw))


def start_run(con: duckdb.DuckDBPyConnection, run_id: str, article: Article) -> None:
    """Record the article (once) and a new run in status 'running'."""
    insert_rows(
        con,
        "articles",
        [
            ArticleRow(
                article.article_id,
                article.origin,
                article.published,
                article.text,
                len(article.sentences),
            )
        ],
        "on conflict do nothing",
    )
    con.execute(
        write("start_run"),
        {
            "run_id": run_id,
            "article_id": article.article_id,
            "origin": article.origin,
            "started_at": now(),
        },
    )


def save_code_version(con: duckdb.DuckDBPyConnection, run_id: str, code_version: str) -> None:
    """Record which code computes a run (see version.pipeline_version)."""
    insert_rows(con, "run_code_versions", [RunCodeVersionRow(run_id, code_version)], replace=True)


def save_claims(
    con: duckdb.DuckDBPyConnection, claims: Sequence[Claim], norms: Sequence[list[str]]
) -> None:
    """Insert claims and their terms. A claim stored before (same id: same article, same
    text) keeps its row and id, which past runs point at, and takes this extraction's
    slots, terms and attribution: an upgraded extractor never leaves stale analyses."""
    insert_rows(
        con,
        "claims",
        [
            ClaimRow(
                c.claim_id,
                c.article_id,
                c.sentence_index,
                c.text,
                c.span_start,
                c.span_end,
                c.speaker,
                c.via,
                c.kind,
                c.claim_date,
                c.is_date_explicit,
                slots_json(c.slots),
                " ".join(terms),
                c.checkworthiness,
                SLOT_SCHEMA,
            )
            for c, terms in zip(claims, norms, strict=True)
        ],
        replace=True,
    )
    con.execute(write("delete_claim_terms"), {"claim_ids": [c.claim_id for c in claims]})
    term_rows = {
        (c.claim_id, t)
        for c, terms in zip(claims, norms, strict=True)
        for t in index_terms(terms, c.slots)
    }
    insert_rows(
        con,
        "claim_terms",
        [ClaimTermRow(*row) for row in sorted(term_rows)],
        "on conflict do nothing",
    )


def stored_claims(
    con: duckdb.DuckDBPyConnection, article_id: str, version: str
) -> list[tuple[str, str]] | None:
    """Return (claim_id, claim_text) of the article's claims when this extractor version
    produced them, else None (an article with no claims has an extraction row and [])."""
    params = {"article_id": article_id, "extractor_version": version}
    if not con.execute(query("extraction_marked"), params).fetchall():
        return None
    return [tuple(row) for row in con.execute(query("stored_claims"), params).fetchall()]


def save_extractions(con: duckdb.DuckDBPyConnection, rows: Sequence[ExtractionRow]) -> None:
    """Record, per article, which claims an extractor version found in it."""
    insert_rows(con, "extractions", rows, replace=True)


def save_sources(con: duckdb.DuckDBPyConnection, sources: Iterable[Source]) -> None:
    insert_rows(
        con,
        "sources",
        [
            SourceRow(s.source_id, s.url, s.outlet, s.tier, s.published, s.original_url)
            for s in sources
        ],
        replace=True,
    )


def save_fetches(
    con: duckdb.DuckDBPyConnection, runs: Sequence[tuple[str, Sequence[FetchResult]]]
) -> None:
    """Record every fetch attempt of the runs, one row each: (run_id, results) per run."""
    fetched_at = now()
    insert_rows(
        con,
        "fetches",
        [
            FetchRow(
                content_id("fetch", run_id, r.source.source_id),
                run_id,
                r.source.source_id,
                r.source.url,
                r.final_url,
                r.status,
                r.status_code,
                r.error,
                r.size_bytes,
                r.elapsed_ms,
                fetched_at,
                r.from_cache,
            )
            for run_id, results in runs
            for r in results
        ],
    )


def analysed_documents(
    con: duckdb.DuckDBPyConnection, document_ids: Sequence[str], version: str
) -> set[str]:
    """Return those of the documents whose sentences are stored as the version reads them."""
    if not document_ids:
        return set()
    params = {"extractor_version": version, "document_ids": list(document_ids)}
    rows = con.execute(query("analysed_documents"), params).fetchall()
    return {row[0] for row in rows}


def load_http_cache(con: duckdb.DuckDBPyConnection) -> dict[str, CachedDocument]:
    """Return the stored copy of every remote source fetched before, by URL."""
    return {
        url: CachedDocument(url, final_url, etag, last_modified, title, text)
        for url, final_url, etag, last_modified, title, text in con.execute(
            query("http_cache")
        ).fetchall()
    }


def save_http_cache(
    con: duckdb.DuckDBPyConnection, results: Sequence[FetchResult], document_ids: dict[str, str]
) -> None:
    """Remember validators and the stored document of every fresh fetch (for snapshot files
    the validator is their size and modification time)."""
    insert_rows(
        con,
        "http_cache",
        [
            HttpCacheRow(
                r.source.url,
                r.final_url,
                r.etag,
                r.last_modified,
                document_ids[r.source.source_id],
                r.title,
            )
            for r in results
            if r.text and not r.from_cache and r.source.source_id in document_ids
        ],
        replace=True,
    )


def save_document(
    con: duckdb.DuckDBPyConnection,
    document_id: str,
    result: FetchResult,
    sentences: Sequence[tuple[str, int, int, int, str, tuple[Slot, ...], list[str]]],
    version: str,
) -> None:
    """Insert a document once, and its sentences as extractor `version` analysed them. A
    document analysed before by other code keeps its row and sentence ids (evidence of past
    runs points at them); its slots, terms and index terms are replaced."""
    source = result.source
    insert_rows(
        con,
        "documents",
        [
            DocumentRow(
                document_id,
                source.source_id,
                source.url,
                source.outlet,
                result.title,
                result.text,
                source.published,
            )
        ],
        "on conflict do nothing",
    )
    con.execute(write("delete_document_terms"), {"document_id": document_id})
    con.execute(
        write("delete_stale_sentences"),
        {"document_id": document_id, "sentence_ids": [sid for sid, *_ in sentences]},
    )
    insert_rows(
        con,
        "sentences",
        [
            SentenceRow(
                sid,
                document_id,
                idx,
                start,
                end,
                text,
                slots_json(slots),
                " ".join(terms),
                SLOT_SCHEMA,
            )
            for sid, idx, start, end, text, slots, terms in sentences
        ],
        replace=True,
    )
    term_rows = sorted(
        {(sid, t) for sid, _, _, _, _, slots, terms in sentences for t in index_terms(terms, slots)}
    )
    insert_rows(
        con,
        "sentence_terms",
        [SentenceTermRow(*row) for row in term_rows],
        "on conflict do nothing",
    )
    insert_rows(con, "document_analyses", [DocumentAnalysisRow(document_id, version)], replace=True)


def save_run_documents(con: duckdb.DuckDBPyConnection, rows: Sequence[RunDocumentRow]) -> None:
    """Record which documents runs may use, and which of them count as one outlet."""
    insert_rows(con, "run_documents", rows, "on conflict do nothing")


def save_evidence(con: duckdb.DuckDBPyConnection, rows: Sequence[EvidenceRow]) -> None:
    insert_rows(con, "evidence", rows)


def known_pair_scores(
    con: duckdb.DuckDBPyConnection, pair_keys: Sequence[str]
) -> dict[str, tuple[float, float, str, str, float | None]]:
    """Return stored (similarity, coverage, stance, reasons, probability) for those pair
    keys known."""
    if not pair_keys:
        return {}
    rows = con.execute(query("known_pair_scores"), {"pair_keys": list(pair_keys)}).fetchall()
    return {key: tuple(values) for key, *values in rows}


def save_pair_scores(con: duckdb.DuckDBPyConnection, rows: Sequence[PairScoreRow]) -> None:
    insert_rows(con, "pair_scores", rows, "on conflict do nothing")


def known_entailments(
    con: duckdb.DuckDBPyConnection, texts: Iterable[tuple[str, str]]
) -> dict[tuple[str, str], Entailment]:
    """Return the stored model readings of those (claim, sentence) texts read before."""
    keys = {entailment_key(*text): text for text in texts}
    if not keys:
        return {}
    rows = con.execute(query("known_entailments"), {"entailment_keys": list(keys)}).fetchall()
    return {keys[key]: Entailment(*probabilities) for key, *probabilities in rows}


def save_entailments(
    con: duckdb.DuckDBPyConnection, readings: Mapping[tuple[str, str], Entailment]
) -> None:
    """Store the model's readings of (claim, sentence) texts, each once."""
    insert_rows(
        con,
        "entailment_scores",
        [
            EntailmentScoreRow(entailment_key(*text), r.entails, r.contradicts, r.neutral)
            for text, r in readings.items()
        ],
        "on conflict do nothing",
    )


def save_review(
    con: duckdb.DuckDBPyConnection,
    claim_id: str,
    verdict: str,
    note: str,
    reviewer: str,
    machine_verdict: str | None,
    machine_run_id: str | None,
) -> int:
    """Add one review row (never update one) and return its id."""
    params = {
        "claim_id": claim_id,
        "verdict": verdict,
        "note": note,
        "reviewer": reviewer,
        "machine_verdict": machine_verdict,
        "machine_run_id": machine_run_id,
        "reviewed_at": now(),
    }
    return con.execute(write("insert_review"), params).fetchall()[0][0]


def save_verdicts(con: duckdb.DuckDBPyConnection, run_id: str, verdicts: Sequence[Verdict]) -> None:
    insert_rows(
        con,
        "verdicts",
        [
            VerdictRow(
                run_id,
                v.claim_id,
                v.verdict,
                v.confidence,
                v.n_supporting_outlets,
                v.n_contradicting_outlets,
                v.evidence.sentence_id if v.evidence else None,
                v.evidence.sentence_text if v.evidence else None,
                v.evidence.evidence_url if v.evidence else None,
                v.evidence.outlet if v.evidence else None,
                v.reason,
            )
            for v in verdicts
        ],
    )


def mark_interrupted(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Mark runs still 'running' as 'interrupted' and return their ids. Call only while
    holding the writer lock: then no such run can still be alive."""
    stale = [row[0] for row in con.execute(query("running_runs")).fetchall()]
    if stale:
        con.execute(write("mark_interrupted"), {"finished_at": now()})
    return stale


def finish_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    status: str,
    reason: str | None,
    docs_path: str | None,
    counts: dict[str, int] | None = None,
) -> None:
    counts = counts or {}
    counted = ("n_claims", "n_sources", "n_sources_ok", "n_expectations", "n_expectations_failed")
    con.execute(
        write("finish_run"),
        {
            "run_id": run_id,
            "status": status,
            "failure_reason": reason,
            "docs_path": docs_path,
            "finished_at": now(),
            **{name: counts.get(name) for name in counted},
        },
    )
