"""Figures bound to their holder (claimwatch/extract/slots/holders.py): whose each count,
amount and percentage is, and that a figure of another holder neither confirms nor
contradicts a claim's (issue 32). Each case is one a first-contact story got wrong."""

from __future__ import annotations

from datetime import date

import pytest

from claimwatch.extract.slots import extract_slots
from claimwatch.extract.slots.base import SOURCE
from claimwatch.extract.slots.holders import holders_differ
from claimwatch.stance.compare import compare_quantities
from claimwatch.text import sentence_slots

DAY = date(2024, 7, 5)
FIGURE_KINDS = {"number", "money", "percent"}


def figures(nlp, text: str):
    return [s for s in sentence_slots(list(nlp(text)), DAY) if s.kind in FIGURE_KINDS]


def compared(nlp, claim: str, sentence: str) -> tuple[list[str], list[str]]:
    """(agreements, conflicts) of the claim's figures against the sentence's."""
    claim_slots = extract_slots(list(nlp(claim)), DAY)
    agree, conflict, _ = compare_quantities(claim_slots, sentence_slots(list(nlp(sentence)), DAY))
    return agree, conflict


SEATS = (
    "With all but one of the 650 constituencies declared, Labour had 411 seats, the"
    " Conservatives 121, the Liberal Democrats 72, the Scottish National Party 9, Reform UK 5"
    " and the Green Party 4."
)
MARKETS = (
    "The S&P 500 climbed 5.54% to 3,956.37, the Dow Jones Industrial Average added 1,201.43"
    " points, or 3.7%, to finish at 33,715.37, and the Nasdaq Composite jumped 7.35%."
)
SEGMENTS = (
    "Sales of the iPhone fell 8% to $65.78 billion, Mac revenue slumped 29% to $7.74 billion"
    " and iPad revenue climbed 30% to $9.40 billion."
)


@pytest.mark.parametrize(
    "sentence, value, holder_word",
    [
        (SEATS, "411", "labour"),
        (SEATS, "9", "snp"),  # a run of names is known by its initials too
        (MARKETS, "7.35", "nasdaq"),
        (MARKETS, "1201.43", "dow"),
        (MARKETS, "33715.37", "dow"),  # "to finish at": the Dow's close, every digit kept
        (SEGMENTS, "29", "mac"),
        (SEGMENTS, "7740000000", "mac"),
        ("Labour's share of the vote was 33.7%, against 23.7% for the Conservatives.", "23.7", "conservative"),
        ("The Conservatives took 23.7% of the vote, while Reform UK won 14.3% and the Liberal Democrats 12.2%.", "12.2", "democrat"),
        ("Thompson-Herah lowered the Olympic record of 10.62 seconds held by Florence Griffith-Joyner.", "10.62", "joyner"),
        ("Shericka Jackson, who had moved down from the 400 meters for these Games, took bronze.", "400", "jackson"),
        # what a verb gives is its indirect object's, whatever "that" is
        ("That gives Labour a working majority of 174, although its share was modest.", "174", "labour"),
    ],
)  # fmt: skip
def test_each_figure_knows_whose_it_is(nlp, sentence, value, holder_word):
    (slot,) = [s for s in figures(nlp, sentence) if s.value == value]
    words = {w.removeprefix("=") for w in slot.holder}
    assert holder_word in words, slot


@pytest.mark.parametrize(
    "claim, sentence",
    [
        # another party's count of the same unit, in the same sentence
        ("Reform UK took five seats", SEATS),
        ("The Scottish National Party won nine seats", SEATS),
        ("Revenue from services rose 8% to $20.8 billion", SEGMENTS),
        # a count of who is quoted is no count of the claim's thing
        ("The plant employs about 9,400 people", "Two people familiar with the talks said the plant would close."),
        # a majority is not the seats held, nor a total the seats won
        ("Labour's majority is 174 seats", "Labour had 411 seats."),
        ("Labour won 411 of the 650 seats", "Labour had 411 seats."),
        # an amount of another thing, in passing
        ("The company reported a net loss of $212 million", "It reported a net loss that included $40 million in tax credits."),
    ],
)  # fmt: skip
def test_another_holders_figure_is_no_conflict(nlp, claim, sentence):
    _, conflicts = compared(nlp, claim, sentence)
    assert conflicts == []


@pytest.mark.parametrize(
    "claim, sentence",
    [
        ("The Greens took nine seats", SEATS),  # nine is the SNP's
        ("The Nasdaq Composite gained 3.7%", MARKETS),  # 3.7% is the Dow's
        ("Mac revenue slumped 8%", SEGMENTS),  # 8% is the iPhone's
        ("The Nasdaq Composite gained 5.54%", MARKETS),  # the S&P 500's
        ("The Dow rose to 33716", MARKETS),  # a figure the tagger reads as a date
        ("Turnout was about 61%", "Turnout was 59.8%."),  # 59.8 does not round to 61
        # another party's share, where each figure's measure reads as its party
        ("The Liberal Democrats' share of the vote was 14.3%", "The Conservatives took 23.7% of the vote, while Reform UK won 14.3% and the Liberal Democrats 12.2%."),
        # a whole figure hedged is itself a rounding: it confirms no other
        ("The ship carried about 400 containers", "The ship carried some 420 containers."),
    ],
)  # fmt: skip
def test_another_holders_equal_figure_confirms_nothing(nlp, claim, sentence):
    agreements, _ = compared(nlp, claim, sentence)
    assert agreements == []


@pytest.mark.parametrize(
    "claim, sentence",
    [
        ("The Conservatives won 121 seats", SEATS),
        ("The Green Party won 4 seats", SEATS),
        ("The SNP won 9 seats", SEATS),  # the initials name the party listed in full
        ("The Dow Jones Industrial Average rose 3.7%", MARKETS),
        ("The Dow rose to 33,715", MARKETS),  # rounded
        ("The S&P 500 gained 5.5%", MARKETS),  # rounded
        ("Mac revenue fell to $7.7 billion", SEGMENTS),  # rounded
        ("Turnout was about 60%", "Turnout was 59.8%, the lowest since 2001."),
        # the party named where the figure's measure is read: the vote share is the party's
        ("Reform UK's share of the vote was 14.3%", "The Conservatives took 23.7% of the vote, while Reform UK won 14.3%."),
        ("The Conservatives' share of the vote was 23.7%", "The Conservatives took 23.7% of the vote, while Reform UK won 14.3%."),
        # a hedge on a figure written to its decimals hedges its last digit only
        ("The 10-year Treasury yield fell to about 3.8%", "The benchmark 10-year Treasury yield slid to roughly 3.82%."),
    ],
)  # fmt: skip
def test_the_holders_own_figure_confirms(nlp, claim, sentence):
    agreements, conflicts = compared(nlp, claim, sentence)
    assert agreements and not conflicts


@pytest.mark.parametrize(
    "claim, sentence",
    [
        ("The Conservatives won 72 seats", SEATS),
        ("The Nasdaq Composite gained 3.7%", MARKETS),
        ("The Dow added 1,200 points", MARKETS),  # a count is no rounding
    ],
)
def test_the_holders_other_figure_conflicts(nlp, claim, sentence):
    agreements, conflicts = compared(nlp, claim, sentence)
    assert conflicts and not agreements


def test_a_count_of_the_people_quoted_is_a_count_of_sources(nlp):
    (slot,) = figures(nlp, "Two people familiar with the talks said the plant would close.")
    assert slot.role == SOURCE
    (counted,) = figures(nlp, "The plant employs two people.")
    assert counted.role == ""


@pytest.mark.parametrize(
    "sentence",
    [
        "It was the S&P 500's biggest one-day gain since April 2020.",
        "The yield on the 10-year Treasury note fell.",
    ],
)
def test_a_length_of_time_naming_a_kind_is_no_figure(nlp, sentence):
    assert not [s for s in figures(nlp, sentence) if s.unit in {"day", "year"}]


def test_the_company_is_the_organisation_named_not_a_product_of_it(nlp):
    text = (
        "Apple said its revenue fell 5%. iPad sales rose 30% to $9.4 billion. "
        "The company earned $1.88 a share."
    )
    (slot,) = [s for s in figures(nlp, text) if s.value == "1.88"]
    assert "apple" in slot.holder


@pytest.mark.parametrize(
    "claim, sentence, differ",
    [
        (("dow",), ("=djia", "average", "dow", "industrial", "jone"), False),
        (("snp",), ("=snp", "national", "scottish"), False),
        (("=lp", "labour"), ("=cp", "conservative"), True),
        ((), ("mac",), False),  # a holder not known is no other holder
    ],
)
def test_holders_differ_only_when_neither_names_the_other(claim, sentence, differ):
    assert holders_differ(claim, sentence) == differ


def test_a_source_sentence_naming_its_subject_by_a_description_names_it(nlp):
    """ "The Pittsburgh-based steelmaker said on Tuesday ...": the sentence stores U.S.
    Steel among its names and terms, so a claim about U.S. Steel finds it on topic."""
    from claimwatch.pipeline import document_sentences
    from claimwatch.sources import FetchResult, Source

    text = (
        "U.S. Steel will close its Granite City plant next year. "
        "The Pittsburgh-based steelmaker said on Tuesday that about 1,000 jobs would go."
    )
    source = Source("s1", "http://127.0.0.1/x", "Invented wire", date(2023, 3, 16), 1, None)
    result = FetchResult(source, "ok", 200, None, None, len(text), 1, None, text)
    rows = document_sentences(result, nlp)
    said = next(row for row in rows if "steelmaker" in row[4])
    names = {s.value for s in said[5] if s.kind == "entity"}
    assert "U.S. Steel" in names or "US Steel" in names, names
    assert any("steel" in term for term in said[6]), said[6]


def names_of_sentences(nlp, text: str) -> dict[str, set[str]]:
    from claimwatch.pipeline import document_sentences
    from claimwatch.sources import FetchResult, Source

    source = Source("s1", "http://127.0.0.1/x", "Invented wire", date(2021, 8, 1), 1, None)
    result = FetchResult(source, "ok", 200, None, None, len(text), 1, None, text)
    return {
        row[4]: {s.value for s in row[5] if s.kind == "entity"}
        for row in document_sentences(result, nlp)
    }


def test_a_source_sentence_naming_its_subject_by_a_pronoun_names_it(nlp):
    """ "He was born in 1974" in a page about Edgar Wright names Edgar Wright (issue 31
    point 2: a sentence read in its document)."""
    names = names_of_sentences(
        nlp,
        "Edgar Wright directed the film. He was born in Poole, Dorset, in 1974.",
    )
    assert "Edgar Wright" in names["He was born in Poole, Dorset, in 1974."], names


def holders_in(nlp, text: str, sentence_part: str) -> dict[str, tuple[str, ...]]:
    from claimwatch.pipeline import document_sentences
    from claimwatch.sources import FetchResult, Source

    source = Source("s1", "http://127.0.0.1/x", "Invented wire", date(2023, 2, 2), 1, None)
    result = FetchResult(source, "ok", 200, None, None, len(text), 1, None, text)
    row = next(r for r in document_sentences(result, nlp) if sentence_part in r[4])
    return {s.text: s.holder for s in row[5] if s.kind in FIGURE_KINDS}


def test_a_description_holds_the_figures_of_what_it_describes_not_of_a_name_inside_it(nlp):
    """ "The iPhone maker earned $1.88 per share": Apple's earnings, not the iPhone's, and
    "its net income" is the described company's too (the iPhone is named more often)."""
    holders = holders_in(
        nlp,
        "Apple reported results on Thursday. iPhone sales fell 8%, and the iPhone remained"
        " its biggest product, with demand for the iPhone weak in China. The iPhone maker"
        " earned $1.88 per share, and its net income was $30 billion.",
        "$1.88",
    )
    assert holders and all(h == ("apple",) for h in holders.values()), holders


@pytest.mark.parametrize(
    "claim, sentence, agrees",
    [
        # what analysts expected is theirs: it confirms their figure, never the company's
        ("Analysts had expected $1.94 a share.", "Apple earned $1.88 per share, short of the $1.94 analysts had forecast.", True),
        ("Apple earned $1.94 a share.", "Apple earned $1.88 per share, short of the $1.94 analysts had forecast.", False),
        ("Analysts had expected $3.2 billion.", "Sales rose to $3 billion, below the $3.2 billion that analysts expected.", True),
    ],
)  # fmt: skip
def test_an_expected_figure_is_the_expecters(nlp, claim, sentence, agrees):
    agree, _ = compared(nlp, claim, sentence)
    assert bool(agree) == agrees, agree


def test_a_proper_name_starting_with_the_bank_is_no_description(nlp):
    slots = extract_slots(
        list(nlp("The Bank of Japan raised rates for the first time in 17 years.")), DAY
    )
    holders = [s.holder for s in slots if s.kind == "number"]
    assert holders and all("japan" in h for h in holders), holders


def test_a_pronoun_after_a_name_in_its_own_sentence_is_left_alone(nlp):
    """ "the American set the world record, and she also clocked 10.61": "she" is the
    American, not the last sprinter the page named before."""
    names = names_of_sentences(
        nlp,
        "Shericka Jackson took bronze. Only Florence Griffith-Joyner has run faster: the"
        " American set the world record in 1988, and she also once clocked 10.61.",
    )
    said = next(v for k, v in names.items() if "she also" in k)
    assert "Shericka Jackson" not in said, said


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # the opposite act at another time: its date and its word are another event's
        ("The Granite City plant will be shut next year, the company said.", "NEUTRAL"),
        # the same act at another time: the date refutes
        ("The Granite City plant opened in 1961.", "REFUTES"),
    ],
)
def test_an_opposite_act_at_another_time_is_no_contradiction(nlp, sentence, expected):
    from claimwatch.extract.slots.base import Slot
    from claimwatch.stance.judge import judge
    from claimwatch.stance.rules import decide
    from claimwatch.text import normalise_tokens, term_of

    claim = nlp("The Granite City plant opened in 1962")
    predicate = Slot("predicate", term_of(claim[:].root) or "", "", "")
    tokens = list(nlp(sentence))
    reading = judge(
        " ".join(normalise_tokens(list(claim))),
        extract_slots(list(claim), date(2023, 3, 16)) + (predicate,),
        " ".join(normalise_tokens(tokens)),
        sentence_slots(tokens, date(2023, 3, 16)),
    )
    assert decide(reading, None).stance == expected
