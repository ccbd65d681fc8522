"""Choose the precedence table's thresholds (claimwatch.stance.rules) on the FEVER dev
split, never on the held-out test split: reads every pair once (the slots, the overlap
and the model), then prints accuracy and the share of REFUTES judged SUPPORTS for each
setting, best first, and the best setting that keeps that share at or under --ceiling.

    uv run python models/stance/thresholds.py models/stance/fever-dev.jsonl [--model DIR]

models/stance/fever-dev.jsonl is the dev split train.py writes (FEVER's own pairs). The
news stories' labels are the other half of the choice (`claimwatch eval verdicts`)."""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

from claimwatch.entailment import MODEL_DIR, EntailmentModel
from claimwatch.nlp import load_nlp
from claimwatch.stance import rules
from claimwatch.stance.judge import judge
from claimwatch.stance_eval import PREDICTED, claim_reading, load_pairs, text_reading

GRID = {
    "MODEL_REFUTES": (0.6, 0.7, 0.8, 0.9, 0.95),
    "OPEN_REFUTES": (0.9, 0.97, 1.01),
    "AGREED_REFUTES": (0.97, 1.01),
    "MODEL_OVERRULES": (0.7, 0.9),
    "MODEL_VETO": (0.3, 0.5),
    "MODEL_SUPPORTS": (0.6, 0.7, 0.8, 0.9),
    "LOOSE_SUPPORTS": (0.9, 0.97, 1.01),
    "LOOSE_REFUTES": (0.97, 1.01),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pairs", type=Path)
    parser.add_argument("--model", type=Path, default=MODEL_DIR)
    parser.add_argument("--ceiling", type=float, default=0.05)
    args = parser.parse_args()
    nlp = load_nlp("en_core_web_sm")
    pairs = load_pairs(args.pairs)
    readings = [judge(*claim_reading(p.claim, nlp), *text_reading(p.evidence, nlp)) for p in pairs]
    models = EntailmentModel(args.model).score([(p.claim, p.evidence) for p in pairs])
    refuted = sum(p.label == "REFUTES" for p in pairs)
    results = []
    for values in itertools.product(*GRID.values()):
        for name, value in zip(GRID, values):
            setattr(rules, name, value)
        judged = [PREDICTED[rules.decide(r, m).stance] for r, m in zip(readings, models)]
        right = sum(j == p.label for j, p in zip(judged, pairs)) / len(pairs)
        wrong = sum(j == "SUPPORTS" and p.label == "REFUTES" for j, p in zip(judged, pairs))
        results.append((right, wrong / refuted, dict(zip(GRID, values))))
    results.sort(key=lambda r: (-r[0], r[1]))
    for right, wrong, setting in results[:10]:
        print(f"{right:.3f} {wrong:.3f} {setting}")
    within = [r for r in results if r[1] <= args.ceiling]
    if within:
        right, wrong, setting = within[0]
        print(f"best at or under {args.ceiling}: {right:.3f} {wrong:.3f} {setting}")


if __name__ == "__main__":
    main()
