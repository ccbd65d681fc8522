"""How long matching one article's claims against a large claim memory takes.

The seed article is verified into a fresh DuckDB file; then `stored` claims of other
articles are added as published: the bundled stories' labelled claims, their figures
varied and each given a serial word, so no two are the same and most share terms with
the seed's. The timed step is claimwatch.memory.remember.remember_articles for the seed
(the BM25 query over the whole memory, the slots, the model's readings, the writes).
"""

from __future__ import annotations

import csv
import random
import re
import tempfile
import time
from pathlib import Path

from claimwatch.config import PROJECT_ROOT

SEED = PROJECT_ROOT / "seeds" / "articles" / "pboc-2021-09-24.txt"
GOLD = (PROJECT_ROOT / "tests/gold/claims", PROJECT_ROOT / "tests/gold/first-contact-claims")
CLAIMS_PER_ARTICLE = 20


def base_claims() -> list[str]:
    texts = []
    for folder in GOLD:
        for path in sorted(folder.glob("*.csv")):
            with path.open(encoding="utf-8") as handle:
                texts += [row["claim_text"] for row in csv.DictReader(handle)]
    return texts


def varied(text: str, rng: random.Random, serial: int) -> str:
    changed = re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), text)
    return f"{changed} (item{serial})"


def add_memory(con, n_stored: int) -> None:
    """Add n_stored published claims of other articles, with their terms and verdicts."""
    import pandas as pd

    from claimwatch.text import plain_terms

    rng = random.Random(20261207)
    bases = base_claims()
    claims, terms, runs, verdicts = [], [], [], []
    for i in range(n_stored):
        article = f"mem-article-{i // CLAIMS_PER_ARTICLE}"
        claim_id = f"mem-claim-{i}"
        text = varied(bases[i % len(bases)], rng, i)
        words = plain_terms(text)
        claims.append(
            (
                claim_id,
                article,
                0,
                text,
                0,
                len(text),
                None,
                None,
                "factual",
                None,
                False,
                "[]",
                " ".join(words),
            )
        )
        terms += [(claim_id, w) for w in dict.fromkeys(words)]
        if i % CLAIMS_PER_ARTICLE == 0:
            runs.append((f"mem-run-{article}", article, "benchmark", "published"))
        verdicts.append((f"mem-run-{article}", claim_id, "NOT ENOUGH INFO", 0.0, 0, 0, "benchmark"))
    frames = {
        "claims": pd.DataFrame(
            claims,
            columns=[
                "claim_id",
                "article_id",
                "sentence_index",
                "claim_text",
                "span_start",
                "span_end",
                "speaker",
                "via",
                "kind",
                "claim_date",
                "is_date_explicit",
                "slots",
                "norm_text",
            ],
        ),
        "claim_terms": pd.DataFrame(terms, columns=["claim_id", "term"]),
    }
    con.register("new_claims", frames["claims"])
    con.execute(
        "insert into claims (claim_id, article_id, sentence_index, claim_text, span_start, span_end, "
        "speaker, via, kind, claim_date, is_date_explicit, slots, norm_text) select * from new_claims"
    )
    con.register("new_terms", frames["claim_terms"])
    con.execute("insert into claim_terms select * from new_terms")
    con.register(
        "new_runs", pd.DataFrame(runs, columns=["run_id", "article_id", "origin", "status"])
    )
    con.execute(
        "insert into runs (run_id, article_id, origin, started_at, finished_at, status) "
        "select run_id, article_id, origin, now(), now(), status from new_runs"
    )
    con.register(
        "new_verdicts",
        pd.DataFrame(
            verdicts,
            columns=[
                "run_id",
                "claim_id",
                "verdict",
                "confidence",
                "n_supporting_outlets",
                "n_contradicting_outlets",
                "reason",
            ],
        ),
    )
    con.execute(
        "insert into verdicts (run_id, claim_id, verdict, confidence, n_supporting_outlets, "
        "n_contradicting_outlets, reason) select * from new_verdicts"
    )


def measure_speed(n_stored: int) -> dict:
    from claimwatch import store
    from claimwatch.batch import verify_article
    from claimwatch.config import Settings
    from claimwatch.entailment import load_model
    from claimwatch.memory.remember import remember_articles

    root = Path(tempfile.mkdtemp(prefix="claim-memory-speed-"))
    settings = Settings(
        db_path=root / "cw.duckdb",
        docs_dir=root / "docs",
        gx_dir=root / "gx",
        sources_csv=PROJECT_ROOT / "seeds" / "sources.csv",
    )
    summary = verify_article(SEED, settings)
    con = store.connect(settings.db_path)
    add_memory(con, n_stored)
    n_claims = con.execute(
        "select count(*) from claims where article_id = $a", {"a": summary.article_id}
    ).fetchone()[0]
    model = load_model()  # loaded once per process; a run has it loaded by the time it matches
    before = model.pairs_scored
    started = time.perf_counter()
    found = remember_articles(con, [summary.article_id])
    seconds = time.perf_counter() - started
    con.close()
    return {
        "stored_claims": n_stored,
        "article_claims": n_claims,
        "candidates": len(found),
        "model_readings": model.pairs_scored - before,
        "seconds": round(seconds, 3),
    }
