"""The trained entailment model as shipped, and how its reading folds into a stance."""

from __future__ import annotations

from pathlib import Path

import pytest

from claimwatch import match
from claimwatch.entailment import MODEL_DIR, Entailment, load_model
from claimwatch.match import (
    MODEL_DECIDES,
    MODEL_VETO,
    NEUTRAL,
    REFUTES,
    SUPPORTS,
    Stance,
    with_model,
)
from claimwatch.stance_eval import evaluate_stance

HELD_OUT = MODEL_DIR / "fever-test.jsonl"


def sure(label: str, p: float) -> Entailment:
    rest = round((1 - p) / 2, 4)
    values = {"entails": rest, "contradicts": rest, "neutral": rest} | {label: p}
    return Entailment(**values)


def base(kind: str, facts_open: bool) -> Stance:
    settled = kind == REFUTES  # a slot conflict settles a pair
    reasons = ("similarity 90, coverage 0.80",)
    return Stance(kind, 90.0, 0.8, reasons, settled=settled, facts_open=facts_open)


@pytest.mark.parametrize(
    "before, reading, facts_open, after, first_reason",
    [
        (SUPPORTS, sure("contradicts", 0.97), False, NEUTRAL, "model: contradicts 0.97"),
        (SUPPORTS, sure("contradicts", MODEL_VETO + 0.05), False, NEUTRAL, "model: contradicts"),
        (SUPPORTS, sure("entails", 0.8), False, SUPPORTS, "similarity 90"),
        (NEUTRAL, sure("entails", MODEL_DECIDES + 0.05), False, SUPPORTS, "model: entails"),
        (NEUTRAL, sure("entails", MODEL_DECIDES + 0.05), True, NEUTRAL, "similarity 90"),
        (NEUTRAL, sure("contradicts", 0.99), False, NEUTRAL, "similarity 90"),
        (REFUTES, sure("entails", 0.99), False, REFUTES, "similarity 90"),
        (NEUTRAL, None, False, NEUTRAL, "similarity 90"),
    ],
)
def test_the_model_decides_only_what_the_slots_leave_open(
    monkeypatch, before, reading, facts_open, after, first_reason
):
    monkeypatch.setattr(match, "MODEL_ROLE", "decide")
    folded = with_model(base(before, facts_open), reading)
    assert folded.stance == after
    assert folded.reasons[0].startswith(first_reason)
    if reading is not None and before != REFUTES:
        assert any(r.startswith("model: ") for r in folded.reasons), "every stance says it"


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
# 197 REFUTES): accuracy and the share of REFUTES judged SUPPORTS, in each role. A few
# pairs of slack, so noise does not fail CI but a regression does.
HELD_OUT_FLOORS = {
    "explain": (0.39, 0.36),  # measured 0.4075 and 0.3401: the overlap and the slots alone
    "decide": (0.38, 0.12),  # measured 0.3925 and 0.1066
}


@pytest.mark.parametrize("role", sorted(HELD_OUT_FLOORS))
def test_held_out_fever_floors(monkeypatch, role: str):
    monkeypatch.setattr(match, "MODEL_ROLE", role)
    report = evaluate_stance(HELD_OUT, load_nlp_once(), limit=400)
    accuracy_floor, refutes_supported_ceiling = HELD_OUT_FLOORS[role]
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


def test_in_the_explain_role_the_model_only_states_its_reading():
    assert match.MODEL_ROLE == "explain"  # the shipped default (see the model card)
    for kind in (SUPPORTS, NEUTRAL):
        folded = with_model(base(kind, False), sure("contradicts", 0.99))
        assert folded.stance == kind
        assert folded.reasons[-1] == "model: contradicts 0.99"


def test_a_missing_model_is_one_clear_error(tmp_path: Path):
    from claimwatch.entailment import EntailmentModel
    from claimwatch.errors import ModelNotFound

    with pytest.raises(ModelNotFound, match="stance model is missing.*make model"):
        EntailmentModel(tmp_path)
