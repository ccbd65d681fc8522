"""Bulk matching (claimwatch.bulk, sql/queries/bulk_candidates.sql) on real DuckDB."""

from __future__ import annotations

import duckdb
import numpy as np

from benchmarks.corpus import Corpus, generate
from benchmarks.scale import agrees, blocked_best, exhaustive_best, load
from claimwatch.bulk import bulk_candidates, max_df, score_pairs


def tiny_store(claims: list[str], sentences: list[str]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    load(con, Corpus(claims, sentences, {}, {}))
    return con


def test_common_terms_block_in_pairs_and_rare_terms_alone():
    # "bank" and "rate" are in every filler sentence: common at a cut-off of 50.
    filler = [f"bank rate filler{i} other{i}" for i in range(200)]
    sentences = [
        *filler,
        "bank rate raise quarter",  # two common terms shared with the claim + "raise"
        "tenreyro dissent",  # one rare term
        "bank weather",  # one common term only: never a candidate
    ]
    claims = ["bank rate raise tenreyro"]
    con = tiny_store(claims, sentences)
    setting = "select current_setting('memory_limit'), current_setting('preserve_insertion_order')"
    before = con.execute(setting).fetchall()
    found = bulk_candidates(con, top_k=5, cutoff=50)
    assert con.execute(setting).fetchall() == before  # the query's limits are undone
    texts = set(found.sentence_norms)
    assert "bank rate raise quarter" in texts
    assert "bank weather" not in texts
    # the sentence holding three of the claim's four terms ranks first
    assert found.sentence_norms[int(np.argmin(found.ranks))] == "bank rate raise quarter"


def test_generated_corpus_planted_recall_and_agreement_with_exhaustive():
    corpus = generate(1_000, 10_000, n_planted=200, seed=5)
    again = generate(1_000, 10_000, n_planted=200, seed=5)
    assert corpus.sentences == again.sentences  # deterministic
    con = duckdb.connect()
    load(con, corpus)
    found = bulk_candidates(con, top_k=20, cutoff=max_df(10_000))
    pairs = set(zip(found.claim_ids.tolist(), found.sentence_ids.tolist()))
    recall = np.mean([(c, s) in pairs for c, s in corpus.planted_support.items()])
    assert recall >= 0.99
    scores = score_pairs(found.claim_norms, found.sentence_norms)
    best = blocked_best(found, scores)
    sample = sorted(corpus.planted_support)[:25] + list(range(25))
    truth, _ = exhaustive_best([corpus.claims[i] for i in sample], corpus.sentences)
    agreement = np.mean([agrees(best.get(c), truth[p]) for p, c in enumerate(sample)])
    assert agreement >= 0.98
    # candidates grow with what is found, not with the corpus: far fewer than all pairs
    assert len(found.claim_ids) <= 20 * 1_000
