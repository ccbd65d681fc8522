"""Train the learned stance decision (claimwatch/stance/decision.py) and write
decision.json beside this script. Nothing here runs at verification time.

What it is trained and chosen on (benchmarks/splits.py makes the splits, once, by hash):
- fitted on the pairs judge leaves open in Check-COVID's train file and FEVER's dev split
  (the entailment model never trained on either), with FEVER's NOT ENOUGH INFO built as
  a claim against the evidence of another claim on the same subject;
- the regularisation and the bars for SUPPORTS and REFUTES chosen on Check-COVID's dev
  half, never on its test half, FEVER's test split or the tuned news stories;
- reported on Check-COVID's test half and FEVER's test split (held out).

    uv run python models/stance/decision_train.py      # about 3 minutes on 2 cores
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from benchmarks.splits import Example, check_covid, check_covid_candidates, fever
from claimwatch.match import NEUTRAL, REFUTES, SUPPORTS
from claimwatch.nlp import load_nlp
from claimwatch.stance.decision import DECISION_FILE, FEATURE_NAMES, LABELS
from claimwatch.stance_eval import LabelledPair, open_readings

CACHE = HERE / ".cache"
SEED = 20261206
GOLD = {"SUPPORTS": SUPPORTS, "REFUTES": REFUTES, "NOT ENOUGH INFO": NEUTRAL}
REGULARISATION = (0.03, 0.1, 0.3, 1.0, 3.0)
BARS = tuple(round(b, 2) for b in np.arange(0.34, 0.96, 0.04))
# The most REFUTES pairs the decision may call SUPPORTS on the dev half.
MAX_REFUTES_SUPPORTED = 0.10
WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")


def subject_words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


def built_neutral(examples: list[Example], rng: random.Random) -> list[Example]:
    """Each claim against the evidence of the claim sharing most of its rarer words (a
    related subject, another fact): NOT ENOUGH INFO."""
    index: dict[str, list[int]] = defaultdict(list)
    words = [subject_words(e.claim) for e in examples]
    for i, ws in enumerate(words):
        for w in ws:
            index[w].append(i)
    built = []
    for i, example in enumerate(examples):
        scores: Counter[int] = Counter()
        for w in words[i]:
            if len(index[w]) > 50:
                continue
            for j in index[w]:
                if examples[j].evidence != example.evidence and examples[j].claim != example.claim:
                    scores[j] += 1
        if not scores:
            continue
        best = max(scores.values())
        j = rng.choice(sorted(k for k, s in scores.items() if s == best))
        built.append(
            Example(
                "fever-neutral",
                example.split,
                example.claim,
                examples[j].evidence,
                "NOT ENOUGH INFO",
            )
        )
    return built


def featurised(name: str, examples: list[Example], nlp) -> list[dict]:
    """Each example's judge stance, settled or not, and its feature row (cached by the
    examples' text and this code's features)."""
    digest = hashlib.sha1(
        json.dumps([FEATURE_NAMES, [(e.claim, e.evidence, e.label) for e in examples]]).encode()
    ).hexdigest()[:12]
    cached = CACHE / f"{name}-{digest}.json"
    if cached.is_file():
        return json.loads(cached.read_text(encoding="utf-8"))
    started = time.perf_counter()
    pairs = [LabelledPair(e.claim, e.evidence, e.label) for e in examples]
    records = []
    for example, (reading, row) in zip(examples, open_readings(pairs, nlp), strict=True):
        records.append(
            {
                "label": GOLD[example.label],
                "settled": reading.settled,
                "judged": reading.stance,
                "features": row,
            }
        )
    CACHE.mkdir(exist_ok=True)
    cached.write_text(json.dumps(records), encoding="utf-8")
    print(f"{name}: {len(records)} pairs read in {time.perf_counter() - started:.0f} s", flush=True)
    return records


def matrix(records: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    open_records = [r for r in records if not r["settled"]]
    x = np.array([r["features"] for r in open_records], dtype=np.float64)
    y = np.array([LABELS.index(r["label"]) for r in open_records])
    return x, y


def predictions(records: list[dict], model, scaler, bars: dict[str, float]) -> list[str]:
    """Each pair's label: a settled pair keeps judge's, an open one the decision's."""
    out = []
    open_rows = [r["features"] for r in records if not r["settled"]]
    probabilities = model.predict_proba(scaler.transform(np.array(open_rows))) if open_rows else []
    k = 0
    for record in records:
        if record["settled"]:
            out.append(record["judged"])
            continue
        p = dict(zip(LABELS, probabilities[k]))
        k += 1
        best = max(LABELS, key=lambda label: (p[label], label))
        out.append(NEUTRAL if best != NEUTRAL and p[best] < bars[best] else best)
    return out


def figures(records: list[dict], predicted: list[str]) -> dict:
    gold = [r["label"] for r in records]
    refuted = [p for g, p in zip(gold, predicted) if g == REFUTES]
    recall = {
        label: round(
            sum(g == p == label for g, p in zip(gold, predicted)) / max(1, gold.count(label)), 3
        )
        for label in LABELS
    }
    f1s = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, predicted))
        fp = sum(p == label != g for g, p in zip(gold, predicted))
        fn = sum(g == label != p for g, p in zip(gold, predicted))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return {
        "pairs": len(records),
        "accuracy": round(sum(g == p for g, p in zip(gold, predicted)) / len(records), 4),
        "macro_f1": round(sum(f1s) / len(f1s), 4),
        "refutes_called_supports": round(refuted.count(SUPPORTS) / max(1, len(refuted)), 4),
        "recall": recall,
    }


def main() -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    nlp = load_nlp("en_core_web_sm")
    rng = random.Random(SEED)
    fever_dev = fever("dev")
    train = featurised("check-covid-train", check_covid("train"), nlp)
    train += featurised("fever-dev", fever_dev, nlp)
    train += featurised("fever-dev-neutral", built_neutral(fever_dev, rng), nlp)
    train += featurised("check-covid-train-others", check_covid_candidates("train"), nlp)
    # Chosen on the dev half as a run meets it: each claim's evidence among other
    # sentences of its abstract, most of which say nothing about it.
    dev = featurised("check-covid-dev", check_covid("dev"), nlp)
    dev += featurised("check-covid-dev-others", check_covid_candidates("dev"), nlp)
    x, y = matrix(train)
    scaler = StandardScaler().fit(x)
    best = None
    for strength in REGULARISATION:
        model = LogisticRegression(C=strength, max_iter=5000, random_state=SEED)
        model.fit(scaler.transform(x), y)
        for support_bar in BARS:
            for refute_bar in BARS:
                bars = {SUPPORTS: support_bar, REFUTES: refute_bar, NEUTRAL: 0.0}
                found = figures(dev, predictions(dev, model, scaler, bars))
                if found["refutes_called_supports"] > MAX_REFUTES_SUPPORTED:
                    continue
                # Macro-F1, not accuracy: most of a run's candidates say nothing about
                # the claim, and accuracy would reward saying nothing.
                key = (found["macro_f1"], -support_bar - refute_bar)
                if best is None or key > best[0]:
                    best = (key, strength, bars, model, found)
    assert best is not None, "no setting keeps REFUTES called SUPPORTS under the bar"
    _, strength, bars, model, dev_figures = best
    held_out = {
        "check-covid-test": featurised("check-covid-test", check_covid("test"), nlp),
        "check-covid-test-with-others": featurised("check-covid-test", check_covid("test"), nlp)
        + featurised("check-covid-test-others", check_covid_candidates("test"), nlp),
        "fever-test": featurised("fever-test", fever("test"), nlp),
    }
    report = {
        name: figures(records, predictions(records, model, scaler, bars))
        for name, records in held_out.items()
    }
    record = {
        "features": list(FEATURE_NAMES),
        "labels": list(LABELS),
        "mean": [round(float(v), 6) for v in scaler.mean_],
        "scale": [round(float(v), 6) for v in scaler.scale_],
        "weights": [[round(float(w), 6) for w in row] for row in model.coef_],
        "bias": [round(float(b), 6) for b in model.intercept_],
        "says_at": {SUPPORTS: bars[SUPPORTS], REFUTES: bars[REFUTES]},
        "regularisation": strength,
        "fitted_on": "open pairs of Check-COVID train (and 3 other sentences of each claim's "
        "abstract, NOT ENOUGH INFO), FEVER dev split, FEVER dev built neutral",
        "fitted_pairs": len(y),
        "chosen_on": "Check-COVID dev half (by CORD id) with 3 other abstract sentences per "
        "claim: C and the two bars for the best macro-F1, REFUTES "
        f"called SUPPORTS at most {MAX_REFUTES_SUPPORTED}",
        "dev": dev_figures,
        "held_out": report,
    }
    DECISION_FILE.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    print(
        json.dumps(
            {k: record[k] for k in ("regularisation", "says_at", "dev", "held_out")}, indent=2
        )
    )


if __name__ == "__main__":
    main()
