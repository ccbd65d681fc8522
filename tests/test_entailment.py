"""The trained entailment model as shipped, and the stance step's floors on held-out FEVER
pairs with and without it (the rules that fold its reading in: test_stance_rules.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimwatch.entailment import MODEL_DIR, load_model
from claimwatch.stance_eval import evaluate_stance

HELD_OUT = MODEL_DIR / "fever-test.jsonl"


def test_the_shipped_model_loads_scores_in_order_and_deterministically():
    model = load_model()
    pairs = [
        ("The award is presented to the worst film.", "The award is presented to the best film."),
        (
            "Soul Food was released by Fox 2000 Pictures.",
            "Soul Food is a 1997 American film released by Fox 2000 Pictures.",
        ),
        ("Mogadishu is a city.", "Savages is a 2012 American crime thriller film."),
    ]
    first, second = model.score(pairs), model.score(list(reversed(pairs)))
    assert first == list(reversed(second))
    alone = [model.score([pair])[0] for pair in pairs]
    assert alone == first, "a pair scores the same alone and beside others"
    assert all(abs(e.entails + e.contradicts + e.neutral - 1) < 1e-3 for e in first)
    worst, released, unrelated = first
    assert worst.contradicts > worst.entails
    assert released.label == "entails"
    assert unrelated.label == "neutral"
    assert (MODEL_DIR / "MODEL_CARD.md").is_file()


# Measured on the first 400 pairs of the held-out FEVER split (never trained or tuned on;
# 197 REFUTES): accuracy and the share of REFUTES judged SUPPORTS, with the model and
# without it. A few pairs of slack, so noise does not fail CI but a regression does.
HELD_OUT_FLOORS = {
    "with the model": (True, 0.43, 0.10),  # measured 0.4525 and 0.0812
    "without the model": (False, 0.40, 0.35),  # measured 0.42 and 0.3249
}


@pytest.mark.parametrize("name", sorted(HELD_OUT_FLOORS))
def test_held_out_fever_floors(name: str):
    use_model, accuracy_floor, refutes_supported_ceiling = HELD_OUT_FLOORS[name]
    report = evaluate_stance(HELD_OUT, load_nlp_once(), limit=400, use_model=use_model)
    assert report.accuracy >= accuracy_floor, report
    assert report.refutes_called_supports <= refutes_supported_ceiling, report


def load_nlp_once():
    from claimwatch.nlp import load_nlp

    return load_nlp("en_core_web_sm")


def test_a_bad_pairs_file_is_one_line(tmp_path: Path):
    from claimwatch.stance_eval import StanceInputError, load_pairs

    bad = tmp_path / "pairs.jsonl"
    bad.write_text('{"claim": "a", "evidence": "b", "label": "SUPPORTS"}\n{"claim": "a"}\n')
    with pytest.raises(StanceInputError, match="pairs.jsonl:2: not a"):
        load_pairs(bad)
    bad.write_text('{"claim": "a", "evidence": "b", "label": "MAYBE"}\n')
    with pytest.raises(StanceInputError, match="label 'MAYBE'"):
        load_pairs(bad)


def test_a_missing_model_is_one_clear_error(tmp_path: Path):
    from claimwatch.entailment import EntailmentModel
    from claimwatch.errors import ModelNotFound

    with pytest.raises(ModelNotFound, match="stance model is missing.*make model"):
        EntailmentModel(tmp_path)
