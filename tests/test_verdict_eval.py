"""Verdict quality through the real pipeline: labelled claims, perturbations, baselines."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from claimwatch.cli import app
from claimwatch.config import EXAMPLE_REGISTRY, PROJECT_ROOT, load_settings
from claimwatch.verdict_eval import (
    ClaimResult,
    evaluate_verdicts,
    macro_f1,
    negate,
    perturbations,
)

# Measured 2026-11-25 (session 6) on tests/gold/verdicts: 103 scored claims over seven
# articles and 166 perturbations: accuracy 0.91 with the word overlap and the slots alone.
# Measured 2026-11-30 (session 8), with the entailment model deciding in the precedence
# table (claimwatch/stance/rules.py): accuracy 0.864 (seed 0.92; held-out sets 0.62 Bank
# of England, 0.88 US CPI, 1.00 Microsoft-Activision, 0.75 NASA DART, 1.00 Ever Given,
# 0.83 Tokyo 100m), no perturbed claim SUPPORTED, macro-F1 0.82 against baselines at 0.33
# and 0.57. The floor was lowered from 0.9 for that: the model's veto turns four of these
# tuned claims NOT ENOUGH INFO ("about 160 meters wide" against "160 meters (530 feet) in
# diameter" reads contradicts 0.97) and in exchange cuts refuted FEVER pairs judged
# SUPPORTS from 34% to 10% on held-out data (README).
# Measured 2026-12-06 (issue 30), with the model multiplying in float so that every CPU
# reads alike: 0.8431, 86 of 102 (Microsoft-Activision 0.92 and Ever Given 0.93 each lost
# a claim; the model's readings moved by 0.01 on average), no perturbed claim SUPPORTED.
# Two claims of slack: 84 of 102.
ACCURACY_FLOOR = 0.82
MARGIN_OVER_BASELINES = 0.15
RECALL_AT_K_FLOOR = 0.9


@pytest.fixture(scope="module")
def report():
    """The labelled verdict set scored by the library itself (what `eval verdicts` prints)."""
    return evaluate_verdicts(
        PROJECT_ROOT / "tests" / "gold" / "verdicts",
        PROJECT_ROOT / "seeds" / "articles",
        load_settings().with_overrides(sources_csv=EXAMPLE_REGISTRY),
    ).as_dict()


def test_claimwatch_accuracy_floor(report):
    claimwatch = report["systems"][0]
    assert claimwatch["system"] == "claimwatch"
    assert claimwatch["accuracy"] >= ACCURACY_FLOOR


def test_no_perturbed_claim_is_supported(report):
    assert report["n_perturbations"] >= 10
    assert report["systems"][0]["false_supported_on_perturbations"] == 0.0
    assert report["supported_perturbations"] == []  # named when there are any


def test_a_perturbed_claim_called_supported_is_named():
    from claimwatch.verdict_eval import VerdictReport, supported_perturbations

    report = VerdictReport()
    report.perturbations = [
        ("number", "12 agencies issued a statement", {"claimwatch": "SUPPORTED"}),
        ("date", "The statement came on Thursday", {"claimwatch": "CONTRADICTED"}),
    ]
    assert supported_perturbations(report) == [("number", "12 agencies issued a statement")]


def test_beats_both_baselines_by_a_margin(report):
    ours, *baselines = report["systems"]
    for baseline in baselines:
        assert ours["macro_f1"] >= baseline["macro_f1"] + MARGIN_OVER_BASELINES, baseline


def test_candidates_contain_the_labelled_evidence(report):
    assert report["recall_at_20"] >= RECALL_AT_K_FLOOR


# The stories scored at first contact (README): Facebook and Ida, written for the stance
# model (10 of their 19 extractable labelled claims right), and the Bank of Japan story
# (2 of 11 right at first contact, the same after the general fixes it led to): 12 of 30,
# 0.40, none of 55 perturbed claims SUPPORTED. With the float-multiplying model (issue 30):
# 13 of 30, 0.43. The Netflix and UBS stories (issue 31) added 8 of 16 at first contact:
# 21 of 46, 0.457, and two of their 36 perturbed claims SUPPORTED (a changed price and a
# changed government). Reading "4 billion Swiss francs" as money refuses the changed
# price (and leaves two more claims NOT ENOUGH INFO: 20 of 46, 0.435); the changed
# government stays, kept visible here. Three claims slack.
# The market close, election and company-results stories (issue 32: several holders'
# figures in one sentence) were 10 of 34 (0.29) at first contact, two of 105 perturbed
# claims SUPPORTED. With figures bound to their holders and rounding read (2026-12-07),
# all eight stories: 36 of 80 (0.45); with one figure per claim and gapped lists split,
# 51 of 91 (0.56); with each party's share split out, 52 of 94 (0.55); with a figure
# whose measure reads as its holder's name, an indirect object's figure and a decimal
# figure's hedge read (issue 31), 55 of 94 (0.585). The one perturbed claim SUPPORTED
# ("did give a forecast" against "declined to provide guidance") is named here. Three
# claims slack.
FIRST_CONTACT_FLOOR = 0.55
# The planted errors that give another holder's figure: each is refuted by its own
# holder's figure, never confirmed by the other holder's.
ANOTHER_HOLDERS_FIGURE = {
    "The Greens took nine seats",
    "The Nasdaq Composite gained 3.7%",
    "Revenue from services rose 8%",
}
FIRST_CONTACT_PERTURBED_SUPPORTED = {"Apple did give a forecast for the current quarter"}


FIRST_CONTACT = (
    PROJECT_ROOT / "tests" / "gold" / "first-contact",
    PROJECT_ROOT / "seeds" / "first-contact" / "articles",
    PROJECT_ROOT / "seeds" / "first-contact" / "sources.csv",
)


def test_first_contact_stories_floor_and_no_new_perturbed_claim_supported():
    gold, articles, sources = FIRST_CONTACT
    settings = load_settings().with_overrides(sources_csv=sources)
    first_contact = evaluate_verdicts(gold, articles, settings).as_dict()
    claimwatch = first_contact["systems"][0]
    assert first_contact["n_claims"] >= 89
    assert claimwatch["accuracy"] >= FIRST_CONTACT_FLOOR, claimwatch
    assert first_contact["n_perturbations"] >= 190
    supported = {p["claim"] for p in first_contact["supported_perturbations"]}
    assert supported <= FIRST_CONTACT_PERTURBED_SUPPORTED, supported
    assert not ANOTHER_HOLDERS_FIGURE & {w["claim"] for w in first_contact["wrong"]}
    # The command prints the library's figures, whatever the format.
    options = ["--gold", str(gold), "--articles", str(articles), "--sources", str(sources)]
    result = CliRunner().invoke(app, ["eval", "verdicts", *options, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == first_contact


def test_calibration_bins_cover_every_claim(report):
    assert sum(b["count"] for b in report["calibration"]) == report["n_claims"]


@pytest.mark.parametrize(
    "claim, kind, expected",
    [
        (
            "11 government agencies issued a joint statement",
            "number",
            "12 government agencies issued a joint statement",
        ),
        (
            "China issued a joint statement on Friday",
            "date",
            "China issued a joint statement on Thursday",
        ),
        ("China made a law in August", "date", "China made a law in July"),
        ("The canal opened in 1869", "date", "The canal opened in 1868"),
        ("China banned all mining", "entity", "Japan banned all mining"),
        ("China banned all mining", "negation", "China did not ban all mining"),
        ("Transactions are illegal", "negation", "Transactions are not illegal"),
        ("Exchanges would be investigated", "negation", "Exchanges would not be investigated"),
    ],
)
def test_perturbations(nlp, claim, kind, expected):
    assert (kind, expected) in perturbations(claim, nlp)


def test_negating_a_negated_claim_removes_the_negation(nlp):
    assert (
        negate(nlp("Financial institutions cannot offer services"))
        == "Financial institutions can offer services"
    )


def test_macro_f1_counts_every_label():
    results = [
        ClaimResult("a", "SUPPORTED", {"x": "SUPPORTED"}, 0.5, None),
        ClaimResult("b", "CONTRADICTED", {"x": "SUPPORTED"}, 0.5, None),
    ]
    # SUPPORTED: tp 1, fp 1 -> F1 2/3; CONTRADICTED: fn 1 -> F1 0; mean 1/3.
    assert macro_f1(results, "x") == pytest.approx(1 / 3)


def test_report_gives_accuracy_by_article_and_lists_every_wrong_verdict(report):
    by_article = report["by_article"]
    assert {a["article"] for a in by_article} >= {"pboc-2021-09-24", "us-cpi-2021-10-13"}
    assert sum(a["n_claims"] for a in by_article) == report["n_claims"]
    right = sum(round(a["accuracy"] * a["n_claims"]) for a in by_article)
    assert len(report["wrong"]) == report["n_claims"] - right
    assert all(w["predicted"] != w["expected"] for w in report["wrong"])


def test_an_entity_swap_skips_names_the_story_gives():
    """A swap to the story's own country or nationality may be true ("Japanese members"
    of a Japanese union), so the next name of the type is used."""
    from claimwatch.verdict_eval import names_in

    story = "Japan's largest union group said its members won pay rises of 5.28%."
    assert names_in(story, "Japanese") and names_in(story, "Japan")
    assert not names_in(story, "French") and not names_in(story, "the European Central Bank")


def test_perturbations_swap_to_a_name_foreign_to_the_story(nlp):
    story = "China's central bank banned all mining. Japan's regulator said nothing."
    assert ("entity", "France banned all mining") in perturbations(
        "China banned all mining", nlp, story
    )
