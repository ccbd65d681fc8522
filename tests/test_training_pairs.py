"""The pairs the stance model and the learned decision are trained on that claimwatch
builds itself: template pairs of several holders' figures and of rounding
(models/stance/paraphrase.py), and pairs in a run's own shape cut from a page by the
extractor (models/stance/pipeline_pairs.py). A wrong label here teaches the model the
wrong thing silently, so the labels are checked against the text they were built from."""

from __future__ import annotations

import random
import re
import sys

from claimwatch.config import PROJECT_ROOT

sys.path.insert(0, str(PROJECT_ROOT / "models" / "stance"))

import paraphrase
import pipeline_pairs

FIGURE = re.compile(r"-?\d+(?:\.\d+)?")


def claim_figure(text: str) -> float:
    return float(FIGURE.findall(text.replace("$", ""))[0])


def test_each_holder_pair_gives_the_holder_its_own_figure_or_another_ones():
    pairs = paraphrase.holder_pairs(random.Random(7))
    assert len(pairs) == 4 * 160
    for supported, swapped, opposite, absent in zip(*[iter(pairs)] * 4, strict=True):
        evidence = supported["evidence"]
        assert {p["evidence"] for p in (swapped, opposite, absent)} == {evidence}
        assert (supported["label"], swapped["label"], opposite["label"], absent["label"]) == (
            "SUPPORTS",
            "REFUTES",
            "REFUTES",
            "NOT ENOUGH INFO",
        )
        holder = supported["claim"].split(" ")[0:2]
        assert " ".join(holder).lower() in evidence.lower()
        # The swapped claim gives its holder another figure of the same sentence.
        assert claim_figure(swapped["claim"]) != claim_figure(supported["claim"])
        assert f"{claim_figure(swapped['claim'])}" in evidence
        # The absent holder is not in the sentence.
        absent_subject = absent["claim"].rsplit(" ", 2)[0]
        assert paraphrase.mid(absent_subject).lower() not in evidence.lower()


def test_rounded_figures_support_and_another_rounding_refutes():
    pairs = paraphrase.rounding_pairs(random.Random(7))
    for supported, other in zip(*[iter(pairs)] * 2, strict=True):
        exact = claim_figure(supported["evidence"])
        assert supported["label"] == "SUPPORTS" and other["label"] == "REFUTES"
        assert abs(claim_figure(supported["claim"]) - exact) <= 0.5
        assert abs(claim_figure(other["claim"]) - exact) >= 1.5


PAGE = [
    "Millbrook Steel said on Monday it would close its Ohio plant next year.",
    "The plant, which opened in 1962, employs about 900 people.",
    "Shares of the company fell 7.4% on Monday, while the wider market rose 1.2%.",
    "The company's chief executive, Ana Ruiz, said demand for its steel had fallen sharply.",
    "A union spokesman said workers had not been told of the plan in advance.",
]


def test_pipeline_pairs_hold_a_claim_against_its_own_sentence_a_changed_fact_and_others(nlp):
    examples = pipeline_pairs.page_examples("invented", "dev", "page-1", PAGE, nlp)
    by_label = {
        label: [e for e in examples if e.label == label]
        for label in ("SUPPORTS", "REFUTES", "NOT ENOUGH INFO")
    }
    assert len(by_label["SUPPORTS"]) >= 4
    assert by_label["REFUTES"] and by_label["NOT ENOUGH INFO"]
    sentences = set(PAGE)
    supported = {e.claim for e in by_label["SUPPORTS"]}
    for example in examples:
        assert example.evidence in sentences
    # A changed claim is never one of the page's own claims, and meets the sentence its
    # original came from.
    for example in by_label["REFUTES"]:
        assert example.claim not in supported
    # Another sentence is neutral only to a claim that did not come from it.
    own = {(e.claim, e.evidence) for e in by_label["SUPPORTS"]}
    assert not own & {(e.claim, e.evidence) for e in by_label["NOT ENOUGH INFO"]}
    # The same page gives the same pairs, in the same order.
    again = pipeline_pairs.page_examples("invented", "dev", "page-1", PAGE, nlp)
    assert again == examples
