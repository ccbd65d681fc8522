"""Print the shipped entailment model's own figures on the held-out FEVER split (never
trained or tuned on): two-way accuracy (entails against contradicts), the share of
REFUTES it reads as entailed, three-way labels, and its speed on this machine.

    uv run python benchmarks/stance_model.py      # writes benchmarks/results/stance-model.json
"""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

from claimwatch.entailment import MODEL_DIR, load_model
from claimwatch.stance_eval import load_pairs

RESULTS = Path(__file__).parent / "results" / "stance-model.json"


def main() -> None:
    pairs = load_pairs(MODEL_DIR / "fever-test.jsonl")
    model = load_model()
    model.score([(p.claim, p.evidence) for p in pairs[:64]])  # warm up
    started = time.perf_counter()
    readings = model.score([(p.claim, p.evidence) for p in pairs])
    seconds = time.perf_counter() - started
    two_way = ["SUPPORTS" if r.entails > r.contradicts else "REFUTES" for r in readings]
    refuted = [t for t, p in zip(two_way, pairs) if p.label == "REFUTES"]
    figures = {
        "pairs": len(pairs),
        "two_way_accuracy": round(
            sum(t == p.label for t, p in zip(two_way, pairs)) / len(pairs), 4
        ),
        "refutes_read_as_entailed": round(refuted.count("SUPPORTS") / len(refuted), 4),
        "argmax_labels": dict(Counter((p.label, r.label) for p, r in zip(pairs, readings))),
        "pairs_per_second": round(len(pairs) / seconds, 1),
        "model_bytes": (MODEL_DIR / "stance.onnx").stat().st_size,
    }
    figures["argmax_labels"] = {f"{g} -> {m}": n for (g, m), n in figures["argmax_labels"].items()}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
