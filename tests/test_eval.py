"""Claim extraction measured against hand-written gold claims; floors fail CI on regression."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimwatch.cli import app
from claimwatch.config import PROJECT_ROOT, Settings
from claimwatch.evaluate import (
    ATTRIBUTION,
    CAUSES,
    GARBLED,
    LOST_QUALIFIER,
    NOMINALISATION,
    OTHER,
    UNSPLIT,
    GoldClaim,
    GoldError,
    align,
    classify_miss,
    gold_pairs,
    load_gold,
    score_article,
    total,
)
from claimwatch.pipeline import extract_claims_from_file

GOLD_DIR = Path(__file__).parent / "gold" / "claims"
ARTICLES = PROJECT_ROOT / "seeds" / "articles"
# Floors at what the extractor reaches today; raise them as it improves, never lower them.
# Measured 2026-11-25 (session 2): overall P 0.99 R 0.96; weakest articles R 0.92.
# The targets are R >= 0.9 and P >= 0.85 on every article.
FLOORS = {"precision": 0.97, "recall": 0.94}
ARTICLE_FLOORS = {"precision": 0.9, "recall": 0.9}


def scores_of(gold_dir: Path, articles: Path, nlp) -> list:
    settings = Settings()
    scores = []
    for article, gold in gold_pairs(gold_dir, articles):
        extraction = extract_claims_from_file(article, settings, nlp)
        text = article.read_text(encoding="utf-8")
        scores.append(
            score_article(
                article.stem, extraction.claims, load_gold(gold), extraction.rejected, text
            )
        )
    return scores


@pytest.fixture(scope="module")
def scores(nlp):
    return scores_of(GOLD_DIR, ARTICLES, nlp)


# The stories written for issue 18, each labelled before the extractor first ran on it.
# First contact (2026-11-30): the first three P 0.83, R 0.66; the next two P 0.79, R 0.67;
# the last two, after all the issue-18 rules, P 0.86, R 0.75. Measured over all seven
# now: P 0.89, R 0.85 (104 of 123), numbers 0.84, dates 0.96; the floors sit three claims
# below. The three issue-32 stories (several holders' figures in a sentence, one figure a
# claim) were P 0.71, R 0.65 (35 of 54) at first contact; after gapped lists, one figure
# per claim and the datelines (issue 32): those three P 0.84, R 0.91 (49 of 54); all ten
# P 0.87, R 0.86 (153 of 177), numbers 0.93, dates 0.97. After benchmarks and earlier
# levels became claims of their own ("below the $1.94 analysts had expected", "down from
# 48 in 2019"): those three P 0.85, R 0.96 (52 of 54); all ten P 0.88, R 0.88 (156 of 177).
FIRST_CONTACT_GOLD = PROJECT_ROOT / "tests" / "gold" / "first-contact-claims"
FIRST_CONTACT_ARTICLES = PROJECT_ROOT / "seeds" / "first-contact" / "articles"
FIRST_CONTACT_FLOORS = {"precision": 0.86, "recall": 0.86, "numbers": 0.89, "dates": 0.9}
# The three issue-32 stories alone (several holders' figures in one sentence).
HOLDER_STORIES = ("us-stocks-2022-11-10", "uk-election-2024-07-05", "apple-results-2023-02-02")


def test_first_contact_stories_meet_their_floors(nlp):
    overall = total(scores_of(FIRST_CONTACT_GOLD, FIRST_CONTACT_ARTICLES, nlp))
    assert overall.n_gold >= 177
    assert overall.precision >= FIRST_CONTACT_FLOORS["precision"]
    assert overall.recall >= FIRST_CONTACT_FLOORS["recall"]
    assert overall.slot_accuracy("numbers") >= FIRST_CONTACT_FLOORS["numbers"]
    assert overall.slot_accuracy("dates") >= FIRST_CONTACT_FLOORS["dates"]


def test_the_stories_with_several_holders_figures_keep_their_recall(nlp):
    scores = scores_of(FIRST_CONTACT_GOLD, FIRST_CONTACT_ARTICLES, nlp)
    held = total([s for s in scores if s.article in HOLDER_STORIES])
    assert held.n_gold == 54
    assert held.recall >= 0.9  # 52 of 54 measured; three claims slack
    assert not [c for s in scores for c in s.spurious if "(Invented Agency)" in c]  # datelines


def test_show_misses_groups_misses_by_cause():
    result = CliRunner().invoke(
        app,
        [
            "eval",
            "claims",
            "--gold",
            str(FIRST_CONTACT_GOLD),
            "--articles",
            str(FIRST_CONTACT_ARTICLES),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    causes = {cause for row in rows[:-1] for cause in row["misses_by_cause"]}
    assert causes and causes <= set(CAUSES)
    missed = sum(len(row["missed"]) for row in rows[:-1])
    grouped = sum(len(v) for row in rows[:-1] for v in row["misses_by_cause"].values())
    assert grouped == missed  # every miss has exactly one cause


def test_gold_covers_the_seed_and_four_more_domains():
    names = {article.stem for article, _ in gold_pairs(GOLD_DIR, ARTICLES)}
    assert "pboc-2021-09-24" in names and len(names) >= 6


def test_overall_extraction_meets_floors(scores):
    overall = total(scores)
    print(
        f"overall precision {overall.precision:.2f} recall {overall.recall:.2f} f1 {overall.f1:.2f}"
    )
    assert overall.precision >= FLOORS["precision"]
    assert overall.recall >= FLOORS["recall"]


def test_every_article_meets_floors(scores):
    for score in scores:
        assert score.precision >= ARTICLE_FLOORS["precision"], (score.article, score.spurious)
        assert score.recall >= ARTICLE_FLOORS["recall"], (score.article, score.missed)


def test_slot_accuracy_on_matched_claims(scores):
    overall = total(scores)
    for kind in ("numbers", "dates", "entities", "polarity"):
        assert overall.slot_accuracy(kind) >= 0.9, kind


def test_seed_mission_claims_always_match_gold(scores):
    seed = next(s for s in scores if s.article == "pboc-2021-09-24")
    for text in (
        "11 government agencies issued a joint statement",
        "China issued a joint statement on Friday",
        "Overseas virtual currency exchanges that use the internet to offer services to domestic residents is considered illegal financial activity",
    ):
        assert text not in seed.missed


@pytest.mark.parametrize(
    "extracted, gold, expected",
    [
        # The same claim in another word order still aligns.
        (["China banned mining"], ["China banned mining"], [(0, 0)]),
        # One extracted claim can answer for one gold claim only.
        (
            ["Jamaica swept the medals", "Jamaica swept the medals"],
            ["Jamaica swept the medals"],
            [(0, 0)],
        ),
        # A claim carrying two facts does not match a gold claim carrying one.
        (
            [
                "Core prices rose 4% from a year earlier and 0.2% from August and fell in July and rose again"
            ],
            ["Core prices rose 4% from a year earlier"],
            [],
        ),
    ],
)
def test_align(extracted, gold, expected):
    assert [(i, j) for i, j, _ in align(extracted, gold)] == expected


def test_eval_command_on_a_users_own_folder(tmp_path: Path):
    (tmp_path / "storm.txt").write_text(
        " date 2022-01-05 The city council voted on Tuesday to close three schools. "
        "The mayor said the budget fell by 12%.\n",
        encoding="utf-8",
    )
    (tmp_path / "storm.csv").write_text(
        "claim_text,kind,numbers,dates,entities,negated\n"
        "The city council voted on Tuesday to close three schools,factual,3,2022-01-04,,false\n"
        "The budget fell by 12%,factual,12,,,false\n"
        "The mayor said the budget fell by 12%,attribution,12,,,false\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["eval", "claims", "--gold", str(tmp_path), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["article"] == "storm" and rows[-1]["article"] == "overall"
    assert rows[0]["recall"] == 1.0 and rows[0]["slot_accuracy"]["numbers"] == 1.0


def test_eval_command_errors(tmp_path: Path):
    missing = CliRunner().invoke(app, ["eval", "claims", "--gold", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "not a folder" in missing.output
    (tmp_path / "orphan.csv").write_text("claim_text\nA claim here\n")
    orphan = CliRunner().invoke(
        app, ["eval", "claims", "--gold", str(tmp_path), "--articles", str(tmp_path)]
    )
    assert orphan.exit_code == 2 and "no article orphan.txt" in orphan.output
    with pytest.raises(GoldError, match="needs a header"):
        (tmp_path / "bad.csv").write_text("text\n")
        load_gold(tmp_path / "bad.csv")


def gold_claim(text: str, kind: str = "factual") -> GoldClaim:
    return GoldClaim(text, kind, frozenset(), frozenset(), frozenset(), False)


@pytest.mark.parametrize(
    "gold, extracted, dropped, article, cause",
    [
        (
            "The rates are the largest increase",
            [],
            ["The rates is the largest increase"],
            "",
            GARBLED,
        ),
        ("Shell said it expected to appeal", ["Shell expected to appeal"], [], "", ATTRIBUTION),
        (
            "The PBOC is developing its own currency",
            [],
            [],
            "The orders follow the PBOC's development of its own currency.",
            NOMINALISATION,
        ),
        (
            "The ruling covers Shell's suppliers",
            ["The ruling covers Shell's own operations as well as its suppliers and customers"],
            [],
            "",
            UNSPLIT,
        ),
        (
            "The bank raised rates by 50 basis points in July",
            ["The bank raised rates by 50 basis points"],
            [],
            "",
            LOST_QUALIFIER,
        ),
        ("Inflation is the fastest in decades", ["Sterling rose"], [], "", OTHER),
    ],
)
def test_a_miss_is_put_down_to_its_cause(gold, extracted, dropped, article, cause):
    kind = "attribution" if " said " in gold else "factual"
    assert classify_miss(gold_claim(gold, kind), extracted, dropped, article)[0] == cause


def test_evaluate_claims_is_what_the_command_prints(nlp):
    """The library returns the scores; `eval claims --format json` renders the same."""
    from claimwatch.config import load_settings
    from claimwatch.evaluate import evaluate_claims, score_record

    rows = evaluate_claims(FIRST_CONTACT_GOLD, FIRST_CONTACT_ARTICLES, load_settings())
    overall = total(scores_of(FIRST_CONTACT_GOLD, FIRST_CONTACT_ARTICLES, nlp))
    assert rows[-1].article == "overall"
    assert (rows[-1].n_matched, rows[-1].n_gold) == (overall.n_matched, overall.n_gold)
    result = CliRunner().invoke(
        app,
        ["eval", "claims", "--gold", str(FIRST_CONTACT_GOLD)]
        + ["--articles", str(FIRST_CONTACT_ARTICLES), "--format", "json"],
    )
    assert json.loads(result.stdout) == [score_record(row) for row in rows]
