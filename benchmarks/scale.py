"""Print how matching scales: N claims against M source sentences, blocked in DuckDB and
scored with rapidfuzz, measured against an exhaustive comparison.

For each corpus size: candidate generation time (sql/queries/bulk_candidates.sql), scoring
time (rapidfuzz cpdist over the candidate pairs), total, peak RSS, candidates per claim,
recall of the planted supporting sentences, and agreement of each sampled claim's best
evidence with the best of an exhaustive rapidfuzz cdist over all its pairs (all cores).
The exhaustive time on the sample is extrapolated to all claims. The entailment model's
speed is timed on 300 shortlisted pairs and extrapolated to every shortlisted pair (an
upper bound: a run reads only the pairs the slots and the overlap leave open). Generation runs in one
process and matching in another, so the peak RSS is the matching's own (DuckDB included).
Results are also written as JSON under benchmarks/results/.

Usage: uv run python -m benchmarks.scale [--sizes 10000,100000,1000000] [--claims 20000]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import duckdb
import numpy as np
from rapidfuzz import fuzz, process

from benchmarks.corpus import Corpus, generate
from claimwatch.bulk import Candidates, bulk_candidates, max_df, score_pairs
from claimwatch.stance.judge import MIN_SHARED_TERMS, ON_TOPIC, SUPPORT_COVERAGE

RESULTS = Path(__file__).parent / "results"
# Claims per exhaustive cdist call: 16 x 1M float32 scores is 64 MB.
EXHAUSTIVE_CHUNK = 16
EXHAUSTIVE_TOP = 200


def load(con: duckdb.DuckDBPyConnection, corpus: Corpus) -> None:
    """Create the four tables the bulk query reads, terms split by DuckDB itself."""
    import pandas as pd

    con.execute("create table claims (claim_id integer, norm_text varchar)")
    con.execute("create table sentences (sentence_id integer, norm_text varchar)")
    claims = pd.DataFrame({"claim_id": range(len(corpus.claims)), "norm_text": corpus.claims})
    sentences = pd.DataFrame(
        {"sentence_id": range(len(corpus.sentences)), "norm_text": corpus.sentences}
    )
    con.register("claim_frame", claims)
    con.register("sentence_frame", sentences)
    con.execute("insert into claims select * from claim_frame")
    con.execute("insert into sentences select * from sentence_frame")
    con.unregister("claim_frame")
    con.unregister("sentence_frame")
    for table, key in (("claim", "claim_id"), ("sentence", "sentence_id")):
        con.execute(
            f"create table {table}_terms as select distinct {key}, unnest(string_split(norm_text, ' ')) as term from {table}s"
        )


def is_evidence(claim: str, sentence: str, score: float) -> bool:
    """stance.judge's bar for a sentence that can support a claim, short of its fact slots:
    on topic (similarity, two shared terms) and holding half of the claim's terms. In a
    million sentences, chance ones share two common words with any claim and pass 60 on
    token_set_ratio; judge calls those NEUTRAL, and so does this comparison."""
    claim_terms = set(claim.split())
    shared = claim_terms & set(sentence.split())
    return (
        score >= ON_TOPIC
        and len(shared) >= min(MIN_SHARED_TERMS, len(claim_terms))
        and len(shared) >= SUPPORT_COVERAGE * len(claim_terms)
    )


def best_evidence(
    claim: str, sentences: list[str], ids: np.ndarray, scores: np.ndarray
) -> tuple[int, float] | None:
    """Return (sentence id, score) of the highest-scoring sentence that is evidence (ties:
    the lower id), or None."""
    for i in np.lexsort((ids, -scores)):
        if scores[i] < ON_TOPIC:
            return None
        if is_evidence(claim, sentences[i], float(scores[i])):
            return int(ids[i]), float(scores[i])
    return None


def exhaustive_best(
    claims: list[str], sentences: list[str]
) -> tuple[list[tuple[int, float] | None], float]:
    """Return each claim's best evidence over all its pairs, and the seconds taken."""
    started = time.perf_counter()
    best: list[tuple[int, float] | None] = []
    for start in range(0, len(claims), EXHAUSTIVE_CHUNK):
        chunk = claims[start : start + EXHAUSTIVE_CHUNK]
        matrix = process.cdist(
            chunk, sentences, scorer=fuzz.token_set_ratio, workers=-1, dtype=np.float32
        )
        for claim, row in zip(chunk, matrix):
            # Only the top of the row can hold the best; look there, in score order.
            top = np.argpartition(-row, EXHAUSTIVE_TOP)[:EXHAUSTIVE_TOP]
            best.append(best_evidence(claim, [sentences[i] for i in top], top, row[top]))
    return best, time.perf_counter() - started


def blocked_best(candidates: Candidates, scores: np.ndarray) -> dict[int, tuple[int, float] | None]:
    """Return each claim's best evidence among its candidates."""
    order = np.argsort(candidates.claim_ids, kind="stable")
    ids = candidates.claim_ids[order]
    bounds = np.flatnonzero(np.diff(ids)) + 1
    best: dict[int, tuple[int, float] | None] = {}
    for group in np.split(order, bounds):
        if len(group) == 0:
            continue
        claim = int(candidates.claim_ids[group[0]])
        best[claim] = best_evidence(
            candidates.claim_norms[group[0]],
            [candidates.sentence_norms[i] for i in group],
            candidates.sentence_ids[group],
            scores[group],
        )
    return best


def agrees(found: tuple[int, float] | None, truth: tuple[int, float] | None) -> bool:
    """The blocked best evidence equals the exhaustive one: both none, or the same score
    (another sentence with the same score is as good)."""
    if truth is None or found is None:
        return truth is found
    return found[1] == truth[1]


def build(db_path: str, n_claims: int, n_sentences: int, seed: int) -> dict:
    """Generate the corpus into a DuckDB file (in its own process: generation memory is
    not matching memory) and return the planted pairs and timings."""
    started = time.perf_counter()
    corpus = generate(n_claims, n_sentences, seed=seed)
    generated = time.perf_counter() - started
    con = duckdb.connect(db_path)
    load(con, corpus)
    con.close()
    return {
        "planted_support": corpus.planted_support,
        "generate_s": round(generated, 2),
        "load_s": round(time.perf_counter() - started - generated, 2),
    }


def match(db_path: str, n_claims: int, top_k: int, sample: int, seed: int, planted: dict) -> dict:
    """Match every claim in a fresh process, then compare a sample with exhaustive cdist.
    Peak RSS is read after matching, before the sample's sentences are loaded."""
    con = duckdb.connect(db_path, read_only=True)
    # DuckDB 2 refuses this option in connect()'s config for a read-only database.
    con.execute("set enable_progress_bar = false")
    n_sentences = con.execute("select count(*) from sentences").fetchall()[0][0]
    cutoff = max_df(n_sentences)
    t0 = time.perf_counter()
    candidates = bulk_candidates(con, top_k, cutoff)
    t1 = time.perf_counter()
    scores = score_pairs(candidates.claim_norms, candidates.sentence_norms)
    t2 = time.perf_counter()
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    best = blocked_best(candidates, scores)
    found_pairs = set(zip(candidates.claim_ids.tolist(), candidates.sentence_ids.tolist()))
    recall = sum((c, s) in found_pairs for c, s in planted.items()) / max(1, len(planted))
    claims = [
        r[0] for r in con.execute("select norm_text from claims order by claim_id").fetchall()
    ]
    sentences = [
        r[0] for r in con.execute("select norm_text from sentences order by sentence_id").fetchall()
    ]
    con.close()
    rng = np.random.default_rng(seed + 1)
    sampled = [int(i) for i in rng.choice(n_claims, size=min(sample, n_claims), replace=False)]
    truth, exhaustive_s = exhaustive_best([claims[i] for i in sampled], sentences)
    agreement = sum(agrees(best.get(c), truth[pos]) for pos, c in enumerate(sampled)) / len(sampled)
    with_evidence = [pos for pos, _ in enumerate(sampled) if truth[pos] is not None]
    same_sentence = sum(
        (best.get(sampled[pos]) or (-1, 0))[0] == truth[pos][0] for pos in with_evidence
    ) / max(1, len(with_evidence))
    blocked_s = t2 - t0
    extrapolated = exhaustive_s * n_claims / len(sampled)
    model_rate = model_pairs_per_second(candidates, claims, sentences, seed)
    n_pairs = len(candidates.claim_ids)
    return {
        "claims": n_claims,
        "sentences": n_sentences,
        "top_k": top_k,
        "max_df": cutoff,
        "candidates_s": round(t1 - t0, 2),
        "scoring_s": round(t2 - t1, 2),
        "total_s": round(blocked_s, 2),
        "peak_rss_mib": round(peak_rss),
        "candidates_per_claim": round(len(candidates.claim_ids) / n_claims, 1),
        "planted_recall": round(recall, 4),
        "sampled_claims": len(sampled),
        "best_agreement": round(agreement, 4),
        "sampled_with_evidence": len(with_evidence),
        "same_best_sentence": round(same_sentence, 4),
        "exhaustive_sample_s": round(exhaustive_s, 2),
        "exhaustive_extrapolated_s": round(extrapolated, 1),
        "speedup": round(extrapolated / blocked_s, 1),
        "model_pairs_per_s": round(model_rate, 1),
        # An upper bound: a run reads with the model only the pairs of each shortlist
        # that the slots and the overlap leave open.
        "model_extrapolated_s": round(n_pairs / model_rate, 1),
    }


MODEL_SAMPLE = 300


def model_pairs_per_second(
    candidates: Candidates, claims: list[str], sentences: list[str], seed: int
) -> float:
    """Time the entailment model on a sample of the shortlisted pairs (their term texts)."""
    from claimwatch.entailment import load_model

    rng = np.random.default_rng(seed + 2)
    picked = rng.choice(
        len(candidates.claim_ids), size=min(MODEL_SAMPLE, len(candidates.claim_ids)), replace=False
    )
    pairs = [
        (claims[int(candidates.claim_ids[i])], sentences[int(candidates.sentence_ids[i])])
        for i in picked
    ]
    model = load_model()
    model.score(pairs[:16])  # load and warm up
    started = time.perf_counter()
    model.score(pairs)
    return len(pairs) / (time.perf_counter() - started)


def measure(n_claims: int, n_sentences: int, top_k: int, sample: int, seed: int) -> dict:
    """Build, then match, each in a process of its own."""
    spawn = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory(prefix="claimwatch-scale-") as folder:
        db_path = str(Path(folder) / "scale.duckdb")
        with ProcessPoolExecutor(1, mp_context=spawn) as pool:
            built = pool.submit(build, db_path, n_claims, n_sentences, seed).result()
        with ProcessPoolExecutor(1, mp_context=spawn) as pool:
            matched = pool.submit(
                match, db_path, n_claims, top_k, sample, seed, built.pop("planted_support")
            ).result()
    return {**matched, **built}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--claims", type=int, default=20_000)
    parser.add_argument("--top-k", type=int, default=20)
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=20211924)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    header = (
        f"{'sentences':>10} {'cand s':>7} {'score s':>7} {'total s':>7} {'RSS MiB':>8} "
        f"{'cand/claim':>10} {'recall':>7} {'agree':>6} {'exh. s (extrap.)':>17} {'speedup':>8} "
        f"{'model pairs/s':>13} {'model s (extrap.)':>17}"
    )
    print(f"{args.claims} claims, top {args.top_k}, {os.cpu_count()} cores")
    print(header)
    for size in sizes:
        row = measure(args.claims, size, args.top_k, args.sample, args.seed)
        rows.append(row)
        print(
            f"{size:>10} {row['candidates_s']:>7.2f} {row['scoring_s']:>7.2f} "
            f"{row['total_s']:>7.2f} {row['peak_rss_mib']:>8} {row['candidates_per_claim']:>10} "
            f"{row['planted_recall']:>7.3f} {row['best_agreement']:>6.3f} "
            f"{row['exhaustive_extrapolated_s']:>17.0f} {row['speedup']:>7.0f}x "
            f"{row['model_pairs_per_s']:>13.0f} {row['model_extrapolated_s']:>17.0f}",
            flush=True,
        )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"scale-{args.claims}-claims.json"
    out.write_text(
        json.dumps(
            {
                "cores": os.cpu_count(),
                "machine": platform.machine(),
                "python": platform.python_version(),
                "duckdb": duckdb.__version__,
                "results": rows,
            },
            indent=2,
        )
        + "\n"
    )
    print(f"written to {out}")


if __name__ == "__main__":
    main()
