"""Matching many claims against a large sentence store at once: set-wise candidates in
DuckDB, then rapidfuzz's batched scorer over the candidate pairs only."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
from rapidfuzz import fuzz, process

from claimwatch import store
from claimwatch.stance.judge import MIN_SHARED_TERMS, SUPPORT_COVERAGE

# A term in more than this share of the sentences is too common to block on (see
# sql/queries/bulk_candidates.sql); it still counts in the rapidfuzz score.
MAX_DF_SHARE = 0.002
# DuckDB's memory for the bulk query (it spills beyond): 20,000 claims against a million
# sentences then peak at about 2.6 GiB in all.
MEMORY_LIMIT = "2500MB"


@dataclass(frozen=True)
class Candidates:
    claim_ids: np.ndarray
    sentence_ids: np.ndarray
    ranks: np.ndarray
    claim_norms: list[str]
    sentence_norms: list[str]


def max_df(n_sentences: int, share: float = MAX_DF_SHARE) -> int:
    """Return the blocking cut-off in sentences: the share of the corpus, at least 50."""
    return max(50, int(n_sentences * share))


def bulk_candidates(
    con: duckdb.DuckDBPyConnection, top_k: int, cutoff: int, memory_limit: str = MEMORY_LIMIT
) -> Candidates:
    """Return the top_k candidate sentences of every claim, as columns."""
    params = {
        "top_k": top_k,
        "max_df": cutoff,
        "min_shared": MIN_SHARED_TERMS,
        "min_coverage": SUPPORT_COVERAGE,
    }
    con.execute(store.write("bulk_query_limits"), {"memory_limit": memory_limit})
    try:
        columns = con.execute(store.query("bulk_candidates"), params).fetchnumpy()
    finally:
        con.execute(store.write("bulk_query_limits_reset"))
    return Candidates(
        np.asarray(columns["claim_id"]),
        np.asarray(columns["sentence_id"]),
        np.asarray(columns["candidate_rank"]),
        list(columns["claim_norm"]),
        list(columns["sentence_norm"]),
    )


def score_pairs(claim_norms: list[str], sentence_norms: list[str], workers: int = -1) -> np.ndarray:
    """Return the similarity (token_set_ratio, 0-100) of each claim with its paired sentence,
    computed in rapidfuzz's native loop on all cores."""
    if not claim_norms:
        return np.zeros(0, dtype=np.float32)
    return process.cpdist(
        claim_norms, sentence_norms, scorer=fuzz.token_set_ratio, workers=workers, dtype=np.float32
    )
