"""Print claim-extraction throughput: articles per second and peak memory.

Builds N articles of about 600 words each by sampling sentences (seeded, so every run
reads the same text) from the bundled sample articles, then parses them with nlp.pipe.
Besides the whole (parse and extract), it times the claim rules alone (extract_claims on
parsed documents), the part claimwatch's own code adds. Writes
benchmarks/results/claims-speed.json.

Usage: uv run python benchmarks/claims_speed.py [--articles 1000] [--processes 2]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import time
from pathlib import Path

from claimwatch.article import mask_boilerplate, parse_article
from claimwatch.config import PROJECT_ROOT, Settings
from claimwatch.extract.claims import extract_claims
from claimwatch.nlp import load_nlp

WORDS_PER_ARTICLE = 600
RESULTS = Path(__file__).parent / "results" / "claims-speed.json"


def sample_articles(n: int, seed: int = 7) -> list[str]:
    """Return n deterministic ~600-word articles built from the bundled sentences."""
    nlp = load_nlp(Settings().spacy_model)
    sentences = []
    for path in sorted((PROJECT_ROOT / "seeds" / "articles").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sentences += [s.text for s in parse_article(text, path.name, nlp).sentences]
    rng = random.Random(seed)
    articles = []
    for _ in range(n):
        words, chosen = 0, []
        while words < WORDS_PER_ARTICLE:
            sentence = rng.choice(sentences)
            chosen.append(sentence)
            words += len(sentence.split())
        articles.append(" date 2021-09-24 " + " ".join(chosen))
    return articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    articles = sample_articles(args.articles)
    nlp = load_nlp(Settings().spacy_model)
    n_words = sum(len(a.split()) for a in articles)
    started = time.perf_counter()
    n_claims = 0
    rules_seconds = 0.0
    docs = nlp.pipe(
        (mask_boilerplate(a) for a in articles),
        batch_size=args.batch_size,
        n_process=args.processes,
    )
    for index, (text, doc) in enumerate(zip(articles, docs, strict=True)):
        article = parse_article(text, f"bench-{index}", nlp, doc=doc)
        rules_started = time.perf_counter()
        n_claims += len(extract_claims(article, doc))
        rules_seconds += time.perf_counter() - rules_started
    elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"articles            {len(articles)}")
    print(f"words               {n_words} ({n_words / len(articles):.0f} per article)")
    print(f"claims              {n_claims}")
    print(f"processes           {args.processes}")
    print(f"elapsed             {elapsed:.1f} s")
    print(f"articles per second {len(articles) / elapsed:.1f}")
    print(f"words per second    {n_words / elapsed:.0f}")
    print(
        f"claim rules alone   {rules_seconds:.1f} s ({len(articles) / rules_seconds:.1f} articles/s)"
    )
    print(f"peak RSS            {peak_mib:.0f} MiB (largest worker {children_mib:.0f} MiB)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    result = {
        "articles": len(articles),
        "words": n_words,
        "claims": n_claims,
        "processes": args.processes,
        "elapsed_s": round(elapsed, 2),
        "articles_per_s": round(len(articles) / elapsed, 2),
        "rules_s": round(rules_seconds, 2),
        "rules_articles_per_s": round(len(articles) / rules_seconds, 2),
        "peak_rss_mib": round(peak_mib),
        "largest_worker_mib": round(children_mib),
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
