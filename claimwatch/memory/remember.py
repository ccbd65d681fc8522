"""The claim memory in the database: importing fact checks, matching a batch's claims
against every claim and fact check stored before, keeping clusters, and giving a run the
documents its clusters were decided on."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
from spacy.language import Language

from claimwatch import store
from claimwatch.entailment import Entailment
from claimwatch.extract.slots.base import SLOT_SCHEMA
from claimwatch.ids import content_id
from claimwatch.memory.claimreview import FactCheck, Problem, read_claimreview_file
from claimwatch.memory.match import (
    CLAIM,
    FACT_CHECK,
    MATCHED,
    NO_MATCH,
    THRESHOLDS,
    MatchOutcome,
    MemoryText,
    MemoryThresholds,
    read_outcome,
    settled,
)
from claimwatch.memory.texts import parsed_text, stored_text
from claimwatch.rows import (
    ClusterMemberRow,
    FactCheckRow,
    FactCheckTermRow,
    MemoryMatchRow,
    RunDocumentRow,
)
from claimwatch.stance.rules import model_readings
from claimwatch.text import index_terms
from claimwatch.version import entailment_version

# Candidates per claim that the slots read (the BM25 query's top k), and of those, how
# many the model reads both ways: the closest ones the slots let through. The model's
# readings are most of a match's time (benchmarks/claim_memory.py).
TOP_K = 5
MODEL_CANDIDATES = 2
# The rarest terms of a claim that the BM25 query looks up (memory_candidates.sql).
MAX_TERMS = 6
MEMORY_VERSION = "memory-1"


def matcher_version() -> str:
    """The matcher's version: its thresholds and the model it reads with."""
    return content_id("memory", MEMORY_VERSION, repr(THRESHOLDS), entailment_version())


# import -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportSummary:
    read: int  # fact checks read from the files
    new: int  # of them not stored before
    problems: tuple[Problem, ...]
    imported: bool  # False when problems stopped the import (nothing was written)
    matched_claims: int = 0  # published claims the imported checks matched


def read_fact_checks(paths: Sequence[Path]) -> tuple[list[FactCheck], list[Problem]]:
    """Return the fact checks of every file, each once, and every problem met."""
    checks: dict[str, FactCheck] = {}
    problems: list[Problem] = []
    for path in paths:
        found, trouble = read_claimreview_file(path)
        problems += trouble
        for check in found:
            checks.setdefault(check.fact_check_id, check)
    return list(checks.values()), problems


def fact_check_rows(
    checks: Sequence[FactCheck], nlp: Language
) -> tuple[list[FactCheckRow], list[FactCheckTermRow]]:
    """Return the rows of fact checks, each claim parsed for its terms and slots (relative
    dates read against the day the check was published)."""
    rows, term_rows = [], []
    for check in checks:
        text = parsed_text(
            nlp, check.fact_check_id, "fact_check", check.claim_reviewed, check.date_published
        )
        rows.append(
            FactCheckRow(
                check.fact_check_id,
                check.claim_reviewed,
                check.rating_text,
                check.rating_value,
                check.best_rating,
                check.worst_rating,
                check.label,
                check.publisher,
                check.review_url,
                check.date_published,
                check.claim_author,
                json.dumps(list(check.appearances)),
                check.sd_license,
                " ".join(text.terms),
                store.slots_json(text.slots),
                SLOT_SCHEMA,
                check.source_file,
            )
        )
        term_rows += [
            FactCheckTermRow(check.fact_check_id, term)
            for term in index_terms(list(text.terms), text.slots)
        ]
    return rows, term_rows


def save_fact_checks(
    con: duckdb.DuckDBPyConnection, rows: Sequence[FactCheckRow], terms: Sequence[FactCheckTermRow]
) -> int:
    """Store fact checks in one transaction (all or none); return how many were new."""
    ids = [row.fact_check_id for row in rows]
    known = {
        r[0]
        for r in con.execute(
            "select fact_check_id from fact_checks where fact_check_id in (select unnest($ids))",
            {"ids": ids},
        ).fetchall()
    }
    con.execute("begin transaction")
    try:
        store.insert_rows(con, "fact_checks", list(rows), replace=True)
        con.execute(store.write("delete_fact_check_terms"), {"fact_check_ids": ids})
        store.insert_rows(
            con, "fact_check_terms", sorted(set(terms), key=lambda t: (t.fact_check_id, t.term))
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return len(set(ids) - known)


def import_fact_checks(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    nlp: Language,
    skip_invalid: bool = False,
) -> ImportSummary:
    """Import every ClaimReview of the files. Any problem stops the import before anything
    is written, unless skip_invalid, when the readable fact checks are imported."""
    checks, problems = read_fact_checks(paths)
    if (problems and not skip_invalid) or not checks:
        return ImportSummary(len(checks), 0, tuple(problems), False)
    rows, terms = fact_check_rows(checks, nlp)
    new = save_fact_checks(con, rows, terms)
    found = match_fact_checks(con, [row.fact_check_id for row in rows])
    matched = len({f.claim_id for f in found if f.outcome.decision == MATCHED})
    return ImportSummary(len(checks), new, tuple(problems), True, matched)


# matching -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """What a new claim met in the memory: the stored item and the cascade's outcome."""

    claim_id: str
    stored: MemoryText
    outcome: MatchOutcome


def new_claim_texts(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> list[MemoryText]:
    rows = con.execute(
        store.query("memory_new_claims"), {"article_ids": list(article_ids)}
    ).fetchall()
    return [
        stored_text(claim_id, CLAIM, text, norm, slots) for claim_id, _, text, norm, slots in rows
    ]


def readings_for(
    con: duckdb.DuckDBPyConnection, pairs: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], Entailment]:
    """The model's readings of (hypothesis, premise) pairs: stored ones reused, the rest
    read once and stored (entailment_scores, the same table the stance step keeps)."""
    known = store.known_entailments(con, pairs)
    readings = model_readings(pairs, known)
    store.save_entailments(con, {pair: r for pair, r in readings.items() if pair not in known})
    return readings


def judged(
    con: duckdb.DuckDBPyConnection,
    pairs: Sequence[tuple[MemoryText, MemoryText]],
    thresholds: MemoryThresholds,
    unread: frozenset[str] = frozenset(),
) -> list[Found]:
    """Decide each (new claim, stored item), in retrieval order: the slots and words settle
    what they can; the model reads both ways the first MODEL_CANDIDATES of each claim that
    they leave open, except stored items in unread (claims of the same batch: matched by
    their words)."""
    outcomes = [settled(new, stored, thresholds) for new, stored in pairs]
    asked: list[tuple[str, str]] = []
    per_claim: dict[str, int] = {}
    for (new, stored), outcome in zip(pairs, outcomes):
        taken = per_claim.get(new.item_id, 0)
        if outcome is None and stored.item_id not in unread and taken < MODEL_CANDIDATES:
            per_claim[new.item_id] = taken + 1
            asked.append((new.text, stored.text))
    readings = readings_for(con, [p for new, old in asked for p in ((new, old), (old, new))])
    found = []
    for (new, stored), outcome in zip(pairs, outcomes):
        there, back = (new.text, stored.text), (stored.text, new.text)
        read = (
            (readings[there].entails, readings[back].entails)
            if there in readings and back in readings
            else None
        )
        decided = outcome or read_outcome(new, stored, read, thresholds)
        found.append(Found(new.item_id, stored, decided))
    return found


def find_matches(
    con: duckdb.DuckDBPyConnection,
    claims: Sequence[MemoryText],
    thresholds: MemoryThresholds = THRESHOLDS,
    top_k: int = TOP_K,
    article_ids: Sequence[str] = (),
) -> list[Found]:
    """Return every candidate each claim meets in the memory with the cascade's outcome;
    the claims of article_ids (the batch) are in the memory for the articles after them."""
    if not claims:
        return []
    by_id = {claim.item_id: claim for claim in claims}
    rows = con.execute(
        store.query("memory_candidates"),
        {
            "claim_ids": list(by_id),
            "article_ids": sorted(article_ids),
            "top_k": top_k,
            "max_terms": MAX_TERMS,
        },
    ).fetchall()
    pairs = [
        (by_id[claim_id], stored_text(matched_id, kind, text, norm, slots))
        for claim_id, kind, matched_id, _, _, _, text, norm, slots in rows
    ]
    in_batch = frozenset(row[2] for row in rows if row[5])
    return judged(con, pairs, thresholds, in_batch)


def match_fact_checks(
    con: duckdb.DuckDBPyConnection,
    fact_check_ids: Sequence[str],
    thresholds: MemoryThresholds = THRESHOLDS,
    top_k: int = TOP_K,
) -> list[Found]:
    """Match newly imported fact checks against the claims published before them, so a
    claim checked earlier shows a check imported later without running its article again.
    Store the matches and proposals; return what was found."""
    rows = con.execute(
        store.query("memory_claims_for_fact_checks"),
        {"fact_check_ids": list(fact_check_ids), "top_k": top_k},
    ).fetchall()
    pairs = [
        (
            stored_text(claim_id, CLAIM, claim_text, claim_norm, claim_slots),
            stored_text(fact_check_id, FACT_CHECK, check_text, check_norm, check_slots),
        )
        for fact_check_id, claim_id, _, claim_text, claim_norm, claim_slots, check_text, check_norm, check_slots in rows
    ]
    found = [f for f in judged(con, pairs, thresholds) if f.outcome.decision != NO_MATCH]
    store.insert_rows(
        con, "memory_matches", [match_row(f) for f in found], "on conflict do nothing"
    )
    return found


def match_row(found: Found) -> MemoryMatchRow:
    outcome = found.outcome
    return MemoryMatchRow(
        found.claim_id,
        found.stored.kind,
        found.stored.item_id,
        outcome.decision,
        outcome.score,
        outcome.similarity,
        outcome.entails_forward,
        outcome.entails_backward,
        outcome.reason,
        matcher_version(),
    )


def resolve_clusters(con: duckdb.DuckDBPyConnection, claim_ids: Sequence[str]) -> dict[str, str]:
    """Return each claim's cluster: that of the claim it matched best, else its own. Claims
    are taken in article order, so a claim matched to one of an earlier article of the same
    batch takes the cluster just given to it, not the one stored before."""
    rows = con.execute(
        store.query("memory_claim_clusters"), {"claim_ids": list(claim_ids)}
    ).fetchall()
    clusters: dict[str, str] = {}
    for claim_id, _, matched_id, matched_cluster in rows:
        if matched_id is None:
            clusters[claim_id] = claim_id
        else:
            clusters[claim_id] = clusters.get(matched_id) or matched_cluster or matched_id
    return clusters


def save_matches(
    con: duckdb.DuckDBPyConnection, claims: Sequence[MemoryText], found: Sequence[Found]
) -> dict[str, str]:
    """Store the matches and proposals of the claims (replacing earlier ones) and each
    claim's cluster: the cluster of the stored claim it matched best, else its own.
    Return the clusters by claim id."""
    kept = [f for f in found if f.outcome.decision != NO_MATCH]
    con.execute(store.write("delete_memory_matches"), {"claim_ids": [c.item_id for c in claims]})
    # on conflict: a reviewer's decision on the same pair stands
    store.insert_rows(con, "memory_matches", [match_row(f) for f in kept], "on conflict do nothing")
    clusters = resolve_clusters(con, [c.item_id for c in claims])
    store.insert_rows(
        con,
        "claim_cluster_members",
        [ClusterMemberRow(claim_id, cluster) for claim_id, cluster in clusters.items()],
        replace=True,
    )
    return clusters


def remember_articles(
    con: duckdb.DuckDBPyConnection,
    article_ids: Sequence[str],
    progress: Callable[[str], None] = lambda message: None,
) -> list[Found]:
    """Match the claims of the articles against the memory and store what matched."""
    claims = new_claim_texts(con, article_ids)
    found = find_matches(con, claims, article_ids=article_ids)
    save_matches(con, claims, found)
    n_matched = len({f.claim_id for f in found if f.outcome.decision == MATCHED})
    n_proposed = len({f.claim_id for f in found if f.outcome.decision == "proposed"})
    if n_matched or n_proposed:
        progress(f"memory: {n_matched} claims seen before, {n_proposed} proposed for review")
    return found


def carry_cluster_documents(
    con: duckdb.DuckDBPyConnection, run_ids: Sequence[str]
) -> dict[str, int]:
    """Let each run read the documents its claims' clusters were decided on; return how
    many each run gained."""
    rows = con.execute(
        store.query("memory_cluster_documents"), {"run_ids": list(run_ids)}
    ).fetchall()
    store.save_run_documents(
        con,
        [
            RunDocumentRow(run_id, document_id, False, group, True)
            for run_id, document_id, group in rows
        ],
    )
    gained: dict[str, int] = {}
    for run_id, _, _ in rows:
        gained[run_id] = gained.get(run_id, 0) + 1
    return gained


# a reviewer's decisions ------------------------------------------------------------------

CONFIRM, REJECT = "matched", "rejected"


class MemoryReviewError(ValueError):
    """A match decision that cannot be recorded; the message is one line for the user."""


def review_match(
    con: duckdb.DuckDBPyConnection, claim_id: str, matched_id: str, decision: str, reviewer: str
) -> str:
    """Record a reviewer's decision (CONFIRM or REJECT) on a match and, for a confirmed
    match to a stored claim, move the claim into that claim's cluster. Return the claim's
    cluster."""
    if not reviewer.strip() or not reviewer.isprintable() or len(reviewer) > 100:
        raise MemoryReviewError("a reviewer name is one line of printable text (--reviewer)")
    rows = con.execute(
        "select matched_kind from memory_matches where claim_id = $c and matched_id = $m",
        {"c": claim_id, "m": matched_id},
    ).fetchall()
    if not rows:
        raise MemoryReviewError(
            f"no match of claim {claim_id!r} to {matched_id!r} (see `claimwatch memory proposals`)"
        )
    con.execute("begin transaction")
    try:
        con.execute(
            store.write("review_memory_match"),
            {
                "claim_id": claim_id,
                "matched_id": matched_id,
                "decision": decision,
                "reviewer": reviewer,
            },
        )
        clusters = resolve_clusters(con, [claim_id])
        store.insert_rows(
            con,
            "claim_cluster_members",
            [ClusterMemberRow(claim_id, clusters[claim_id])],
            replace=True,
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return clusters[claim_id]
