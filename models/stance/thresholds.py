"""Choose the model's thresholds in claimwatch.match (MODEL_VETO, MODEL_DECIDES) on the
FEVER dev split, never on the held-out test split: prints accuracy and the share of
REFUTES judged SUPPORTS for each pair of values.

    uv run python models/stance/thresholds.py models/stance/fever-dev.jsonl

models/stance/fever-dev.jsonl is the dev split train.py writes (FEVER's own pairs)."""

from __future__ import annotations

import sys
from pathlib import Path

from claimwatch import match
from claimwatch.entailment import load_model
from claimwatch.nlp import load_nlp
from claimwatch.stance_eval import PREDICTED, claim_reading, load_pairs, text_reading


def main(path: Path) -> None:
    nlp = load_nlp("en_core_web_sm")
    pairs = load_pairs(path)
    stances = []
    for pair in pairs:
        claim_norm, claim_slots = claim_reading(pair.claim, nlp)
        evidence_norm, evidence_slots = text_reading(pair.evidence, nlp)
        stances.append(match.judge(claim_norm, claim_slots, evidence_norm, evidence_slots))
    readings = load_model().score([(p.claim, p.evidence) for p in pairs])
    refuted = sum(p.label == "REFUTES" for p in pairs)
    print("veto decides accuracy refutes_supported")
    for veto in (0.2, 0.3, 0.4, 0.5):
        for decides in (0.7, 0.8, 0.9, 0.95):
            match.MODEL_VETO, match.MODEL_DECIDES = veto, decides
            judged = [
                PREDICTED[match.with_model(s, r).stance] for s, r in zip(stances, readings)
            ]
            right = sum(j == p.label for j, p in zip(judged, pairs)) / len(pairs)
            wrong = sum(j == "SUPPORTS" and p.label == "REFUTES" for j, p in zip(judged, pairs))
            print(f"{veto:.2f} {decides:.2f} {right:.3f} {wrong / refuted:.3f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
