"""A verdict's reason in the words a reviewer reads (claimwatch/stance/wording.py): no rule
id, figures and dates said as what the source gives against what the claim says, and a
SUPPORTED row the model read as a contradiction says what outweighed it."""

from __future__ import annotations

import pytest

from claimwatch.stance.rules import PRECEDENCE
from claimwatch.stance.wording import TABLE_RULES, in_words, reasons_in_words
from claimwatch.verdict import ScoredEvidence, decide


@pytest.mark.parametrize(
    ("reason", "said"),
    [
        ("number 11 ≠ 10 (agency)", "gives 10, not 11 (agency)"),
        ("percent 7.4 ≠ 6.8 (shares, fall)", "gives 6.8%, not 7.4% (shares, fall)"),
        (
            "percent 5.4 = 5.4 (inflation, over a year)",
            "gives the same 5.4% (inflation, over a year)",
        ),
        ("date 2021-08 ≠ 2021-07", "dates it 2021-07, not 2021-08"),
        (
            "date 2021-09-24 = 2021-09-24 (the source's opening)",
            "the same date, 2021-09-24 (the source's opening)",
        ),
        ("model.entails: model: entails 0.97", "says the same in other words (entails 0.97)"),
        ("model.contradicts: model: contradicts 0.96", "says otherwise (contradicts 0.96)"),
        (
            "lexical.contradicts: antonym: raised ↔ cut (model: contradicts 0.98)",
            "says cut, not raised (model: contradicts 0.98)",
        ),
        (
            "entity.clash: entity Japan ≠ China, the same role (model: contradicts 0.61)",
            "names China in the same role, not Japan (model: contradicts 0.61)",
        ),
        ("polarity: claim affirms, source negates", "denies what the claim affirms"),
        # Words already: kept as they are.
        ("source silent on date 2021-09", "source silent on date 2021-09"),
    ],
)
def test_each_finding_reads_as_words(reason: str, said: str):
    assert in_words(reason) == said


def test_a_restatement_the_model_read_as_a_contradiction_says_what_outweighed_it():
    said = in_words("overlap.supports: the sentence restates the claim (model: contradicts 0.43)")
    assert said.startswith("restates the claim")
    assert "outweigh" in said and "0.43" in said


def test_no_rule_id_of_the_table_survives_in_words():
    assert set(TABLE_RULES) == {rule.id for rule in PRECEDENCE}
    for rule in PRECEDENCE:
        said = in_words(f"{rule.id}: a fact of the claim is unconfirmed (model: neutral 0.90)")
        assert rule.id not in said


def test_a_verdict_reason_is_in_words_and_its_evidence_keeps_the_finding():
    evidence = ScoredEvidence(
        "c1",
        "s1",
        "REFUTES",
        88.0,
        ("number 11 ≠ 10 (agency)", "similarity 88, coverage 0.90"),
        "Ten agencies signed the notice.",
        "https://wire.example/a",
        "Example Wire",
        "wire",
        1,
    )
    verdict = decide("c1", [evidence])
    assert verdict.verdict == "CONTRADICTED"
    assert verdict.reason.startswith("Example Wire: gives 10, not 11 (agency)")
    assert verdict.evidence.reasons[0] == "number 11 ≠ 10 (agency)"
    assert reasons_in_words(evidence.reasons).endswith("similarity 88, coverage 0.90")
