"""The stance precedence table (claimwatch.stance.rules): each rule with its own cases, and
WordNet's antonyms (claimwatch.stance.lexicon)."""

from __future__ import annotations

import pytest

from claimwatch.entailment import Entailment
from claimwatch.stance import rules
from claimwatch.stance.build_lexicon import lexicon_text
from claimwatch.stance.judge import NEUTRAL, REFUTES, SUPPORTS, Stance, judge
from claimwatch.stance.lexicon import ANTONYMS_FILE, antonym_map, opposed_terms
from claimwatch.stance.rules import PRECEDENCE, decide


def sure(label: str, p: float) -> Entailment:
    rest = round((1 - p) / 2, 4)
    return Entailment(**({"entails": rest, "contradicts": rest, "neutral": rest} | {label: p}))


def reading(stance: str = NEUTRAL, **fields) -> Stance:
    return Stance(stance, 90.0, 0.8, ("similarity 90, coverage 0.80",), settled=False, **fields)


# rule id -> (reading, model reading, stance expected); every rule of the table has cases,
# and each case is decided by that rule and no earlier one.
CASES = {
    "model.contradicts": [
        (reading(SUPPORTS), sure("contradicts", 0.99), REFUTES),
        (reading(NEUTRAL, facts_open=True), sure("contradicts", 0.99), REFUTES),
    ],
    "lexical.contradicts": [
        (reading(contested=("antonym: bad ↔ good",)), sure("neutral", 0.9), REFUTES),
        (reading(contested=("antonym: second ↔ first",)), sure("entails", 0.8), REFUTES),
    ],
    "entity.clash": [
        (reading(entity_clash=("entity Japan ≠ China",)), sure("contradicts", 0.6), REFUTES),
        (reading(entity_clash=("entity Japan ≠ China",)), None, REFUTES),
    ],
    "entity.unconfirmed": [
        # "the euro traded below parity with the US dollar" beside the European Central Bank
        (reading(entity_clash=("entity United States ≠ European",)), sure("neutral", 0.8), NEUTRAL),
    ],
    "model.vetoes": [
        # the slots confirmed the figure ("about 160 meters"): the model may not refute alone
        (reading(SUPPORTS, facts_agree=True), sure("contradicts", 0.97), NEUTRAL),
        (reading(SUPPORTS), sure("contradicts", rules.MODEL_VETO + 0.01), NEUTRAL),
    ],
    "polarity.differs": [
        # "caused by malicious activity" against "the cause ... was not malicious activity"
        (reading(NEUTRAL, polarity_differs=True), sure("entails", 0.95), NEUTRAL),
    ],
    "facts.open": [
        (reading(NEUTRAL, facts_open=True), sure("entails", 0.99), NEUTRAL),
        (
            reading(NEUTRAL, facts_open=True, entity_clash=("entity A ≠ B",)),
            sure("entails", 0.99),
            NEUTRAL,
        ),
    ],
    "model.entails": [
        (reading(NEUTRAL), sure("entails", rules.MODEL_SUPPORTS + 0.01), SUPPORTS),
        (
            reading(NEUTRAL, loose_topic=True),
            sure("entails", rules.LOOSE_SUPPORTS + 0.005),
            SUPPORTS,
        ),
        (
            reading(NEUTRAL, entity_clash=("entity Minogue ≠ Kylie Minogue",)),
            sure("entails", 0.99),
            SUPPORTS,
        ),
    ],
    "overlap.supports": [
        (reading(SUPPORTS), None, SUPPORTS),
        (reading(SUPPORTS), sure("neutral", 0.9), SUPPORTS),
    ],
    "undecided": [
        # a sentence only loosely on topic is never contradicted on the model's word
        (reading(NEUTRAL, loose_topic=True), sure("contradicts", 0.995), NEUTRAL),
        (reading(NEUTRAL), sure("neutral", 0.9), NEUTRAL),
        (reading(NEUTRAL, loose_topic=True), sure("entails", rules.MODEL_SUPPORTS + 0.01), NEUTRAL),
        (reading(NEUTRAL), None, NEUTRAL),
    ],
}


def test_every_rule_has_cases_and_ids_are_unique():
    ids = [rule.id for rule in PRECEDENCE]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(CASES)
    assert PRECEDENCE[-1].applies(reading(), None), "the last rule always decides"


@pytest.mark.parametrize(
    "rule_id, before, model, expected",
    [(rule_id, *case) for rule_id, cases in CASES.items() for case in cases],
)
def test_each_rule_decides_its_cases(rule_id, before, model, expected):
    decided = decide(before, model)
    assert decided.stance == expected
    assert decided.reasons[0].startswith(f"{rule_id}: "), decided.reasons
    assert decided.settled
    if model is not None and rule_id not in ("lexical.contradicts", "entity.clash"):
        assert model.describe() in decided.reasons[0], "the model's reading is stated"


def test_a_settled_reading_stands_whatever_the_model_says():
    figure_conflict = Stance(REFUTES, 90.0, 0.8, ("number 11 ≠ 10 (agency)",))
    assert decide(figure_conflict, sure("entails", 0.99)) == figure_conflict


def test_a_claim_is_never_supported_by_a_sentence_the_model_says_contradicts_it():
    for stance in (SUPPORTS, NEUTRAL):
        for fields in ({}, {"loose_topic": True}, {"entity_clash": ("entity A ≠ B",)}):
            decided = decide(reading(stance, **fields), sure("contradicts", 0.6))
            assert decided.stance != SUPPORTS


def test_the_antonyms_file_is_what_wordnet_gives():
    assert ANTONYMS_FILE.read_text(encoding="utf-8") == lexicon_text()
    antonyms = antonym_map()
    assert {"worst"} <= antonyms["best"] and "illegal" in antonyms["legal"]
    assert "precede" in antonyms["follow"] and "last" in antonyms["first"]


@pytest.mark.parametrize(
    "claim, sentence, expected",
    [
        (
            "award good fantasy film present bad film",
            "award good fantasy film present good film",
            [("bad", "good")],
        ),
        ("clueless precede spin sitcom", "clueless follow spin sitcom", [("precede", "follow")]),
        ("collins second woman elect", "collins first woman elect", [("second", "first")]),
        # "domestic residents" and "foreign exchanges" qualify different things
        (
            "overseas exchange provide domestic resident illegal",
            "foreign exchange provide resident china illegal",
            [],
        ),
        # the sentence also says the claim's word of the same thing
        ("good film", "good film bad film", []),
    ],
)
def test_opposed_terms_must_qualify_the_same_thing(claim, sentence, expected):
    assert opposed_terms(claim.split(), sentence.split()) == expected


def test_judge_reports_an_antonym_for_the_table_to_weigh(nlp):
    from claimwatch.stance_eval import claim_reading, text_reading

    claim = claim_reading("The Saturn Award is presented to the worst fantasy film.", nlp)
    sentence = text_reading("The Saturn Award is presented to the best fantasy film.", nlp)
    found = judge(*claim, *sentence)
    assert not found.settled
    assert any(c.startswith("antonym: ") for c in found.contested), found
    assert decide(found, None).stance == REFUTES


def test_a_new_file_in_the_stance_package_changes_the_matcher_version(tmp_path, monkeypatch):
    """Stored pair stances are keyed by the matcher's version: a lexicon file added to the
    stance package must invalidate them, with no list of files to keep up to date."""
    package = copied_package(tmp_path, monkeypatch)
    try:
        extractor, matcher, entailment = versions()
        (package / "stance" / "data" / "more.tsv").write_text("word\tantonym\nhot\tcold\n")
        assert versions() == (extractor, versions()[1], entailment)
        assert versions()[1] != matcher
    finally:
        monkeypatch.undo()
        versions()


def test_the_documented_table_names_every_rule():
    from claimwatch.config import PROJECT_ROOT

    documented = (PROJECT_ROOT / "docs" / "stance.md").read_text(encoding="utf-8")
    for rule in PRECEDENCE:
        assert f"| `{rule.id}` | {rule.gives} |" in documented, rule.id
    positions = [documented.index(f"| `{rule.id}` |") for rule in PRECEDENCE]
    assert positions == sorted(positions), "the documented order is the table's"


def all_readings() -> list[Stance]:
    """Every combination of what judge can leave open for the table to decide."""
    import itertools

    combos = []
    for stance, facts_open, facts_agree, polarity, contested, clash, loose in itertools.product(
        (NEUTRAL, SUPPORTS), *[(False, True)] * 6
    ):
        combos.append(
            reading(
                stance,
                facts_open=facts_open,
                facts_agree=facts_agree,
                polarity_differs=polarity,
                contested=("rose, not fell",) if contested else (),
                entity_clash=("Paris, not Lyon",) if clash else (),
                loose_topic=loose,
            )
        )
    return combos


def test_a_pair_the_model_cannot_sway_is_decided_without_it():
    """rule_without_model names a rule only where every model reading gives that rule:
    checked against 300 random readings per combination of findings, and it leaves the
    model to decide in some combinations (those where it matters) but not all."""
    import random

    rng = random.Random(5)
    models = []
    for _ in range(300):
        a, b = sorted((rng.random(), rng.random()))
        models.append(Entailment(round(a, 4), round(b - a, 4), round(1 - b, 4)))
    models += list(rules.CORNERS)
    free = 0
    for one in all_readings():
        rule = rules.rule_without_model(one)
        outcomes = {decide(one, model).reasons[0].split(":")[0] for model in models}
        if rule is not None:
            free += 1
            assert outcomes == {rule.id}, (one, rule.id, outcomes)
            assert decided_stance(rule, one) == {decide(one, m).stance for m in models}
        else:
            assert len(outcomes) > 1, (one, outcomes)
    assert 0 < free < len(all_readings())


def decided_stance(rule, one: Stance) -> set[str]:
    return {rules.decided_by(rule, one, None).stance}


def copied_package(tmp_path, monkeypatch):
    """A copy of the claimwatch package (and the data it declares) for version tests."""
    import ast
    import shutil

    from claimwatch import version
    from claimwatch.config import PROJECT_ROOT

    package = tmp_path / "claimwatch"
    shutil.copytree(version.package_root(), package, ignore=shutil.ignore_patterns("__pycache__"))
    # The data every module declares (VERSIONED_DATA), as the version hashes it.
    every_declared = {
        path
        for module in version.package_root().rglob("*.py")
        for path in version.declared_data(ast.parse(module.read_text(encoding="utf-8")))
    }
    for declared in sorted(every_declared):
        (tmp_path / declared).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PROJECT_ROOT / declared, tmp_path / declared)
    (tmp_path / "sql" / "queries").mkdir(parents=True)
    shutil.copyfile(
        PROJECT_ROOT / "sql" / "queries" / "candidates.sql",
        tmp_path / "sql" / "queries" / "candidates.sql",
    )
    monkeypatch.setattr(version, "__file__", str(package / "version.py"))
    return package


def versions() -> tuple[str, str, str]:
    from claimwatch import version

    for cached in (version.extractor_version, version.matcher_version, version.entailment_version):
        cached.cache_clear()
    return (
        version.extractor_version("en_core_web_sm-3.8.0"),
        version.matcher_version(),
        version.entailment_version(),
    )


def test_versions_follow_imports_and_data_not_a_list_of_files(tmp_path, monkeypatch):
    """Adding an extraction data file, or moving extraction code into a new module, changes
    the extractor's version (and only what depends on it); code no component imports
    changes none; a declared data file (the alias table) changes the extractor's."""
    package = copied_package(tmp_path, monkeypatch)
    try:
        extractor, matcher, entailment = versions()
        (package / "extract" / "data" / "more-patterns.json").write_text("[]")
        assert versions() == (versions()[0], matcher, entailment)
        assert versions()[0] != extractor
        extractor = versions()[0]
        # A helper moved into a new module that the claim code imports.
        (package / "extract" / "helpers.py").write_text("def helper():\n    return 1\n")
        claims = package / "extract" / "claims.py"
        claims.write_text(claims.read_text() + "\nfrom claimwatch.extract.helpers import helper\n")
        assert versions()[0] != extractor and versions()[1:] == (matcher, entailment)
        extractor = versions()[0]
        # The dashboard is no part of any verdict.
        report = package / "report.py"
        report.write_text(report.read_text() + "\n# reworded\n")
        assert versions() == (extractor, matcher, entailment)
        aliases = tmp_path / "seeds" / "aliases.csv"
        aliases.write_text(aliases.read_text() + "Bank of Nowhere,BoN\n")
        # The matcher loads the slot readers' package too, so it may follow; the model not.
        assert versions()[0] != extractor and versions()[2] == entailment
    finally:
        monkeypatch.undo()
        versions()
