from datetime import date

import pytest

from claimwatch.extract.slots import extract_slots
from claimwatch.extract.slots.dates import resolve_date
from claimwatch.extract.slots.entities import canonical_entity
from claimwatch.extract.slots.numbers import parse_number

FRIDAY = date(2021, 9, 24)  # the seed article's date, a Friday


@pytest.mark.parametrize(
    "text, value",
    [
        ("11", 11),
        ("eleven", 11),
        ("Ten", 10),
        ("twenty-one", 21),
        ("600 million", 600_000_000),
        ("1,200", 1200),
        ("2.5", 2.5),
        ("agencies", None),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("Friday", "2021-09-24"),  # same weekday as the article: that day
        ("Thursday", "2021-09-23"),  # the latest Thursday before publication
        ("Saturday", "2021-09-18"),  # a weekday after the article date means last week
        ("in August", "2021-08"),  # bare month: latest such month not after publication
        ("October", "2020-10"),  # October 2021 had not happened yet on 2021-09-24
        ("24 September 2021", "2021-09-24"),
        ("September 24, 2021", "2021-09-24"),
        ("2017", "2017"),
        ("in 1869", "1869"),  # a year before 1900 is a year too
        ("March 1, 1869", "1869-03-01"),
        ("2000 years ago", None),  # a length of time, not the year 2000
        ("1500 days", None),
        ("yesterday", "2021-09-23"),
        ("last year", "2020"),
        ("next year", "2022"),
        ("this month", "2021-09"),
        ("last month", "2021-08"),
        ("this week", "2021-W38"),  # ISO week of 2021-09-24
        ("last week", "2021-W37"),
        ("a year earlier", None),  # a comparison base, not a time the fact happened
    ],
)
def test_resolve_date_against_the_article_date(phrase, expected):
    assert resolve_date(phrase, FRIDAY) == expected


@pytest.mark.parametrize(
    "alias, canonical",
    [
        ("the PBOC", "People's Bank of China"),
        ("China’s central bank", "People's Bank of China"),
        ("The People's Bank of China", "People's Bank of China"),
        ("NDRC", "National Development and Reform Commission"),
        ("Acme Widgets", "Acme Widgets"),  # unknown names pass through unchanged
    ],
)
def test_canonical_entity(alias, canonical):
    assert canonical_entity(alias) == canonical


def slots_of(nlp, text):
    return extract_slots(list(nlp(text)), FRIDAY)


def test_number_slot_carries_what_it_counts(nlp):
    slots = slots_of(
        nlp, "The country issued a joint statement from 11 government agencies Friday."
    )
    assert ("number", "11", "agency") in {(s.kind, s.value, s.unit) for s in slots}
    assert ("date", "2021-09-24") in {(s.kind, s.value) for s in slots}


@pytest.mark.parametrize(
    "sentence, unit",
    [
        # the parser hangs "14 million" on "problem", the noun modifying what is counted
        ("Downdetector counted 14 million problem reports.", "report"),
        ("Downdetector logged about 10.6 million reports of problems.", "report"),
        # a unit modifying a noun is still what the figure counts
        ("Officials backed a 75 basis point increase.", "point"),
    ],
)
def test_a_figure_counts_the_noun_its_modifier_belongs_to(nlp, sentence, unit):
    units = {s.unit for s in slots_of(nlp, sentence) if s.kind == "number"}
    assert unit in units, units


def test_number_words_and_synonym_units_align(nlp):
    # "eleven departments" and "11 agencies" count the same kind of thing.
    slots = slots_of(nlp, "The notice was issued by eleven government departments.")
    assert ("number", "11", "agency") in {(s.kind, s.value, s.unit) for s in slots}


def test_x_and_n_others_counts_x_too(nlp):
    # "the NDRC and nine other authorities" is ten authorities in all.
    slots = slots_of(nlp, "The NDRC and nine other authorities jointly issued a notice.")
    assert ("number", "10", "agency") in {(s.kind, s.value, s.unit) for s in slots}


def test_money_and_negation(nlp):
    slots = slots_of(nlp, "Hackers did not make off with $600 million.")
    kinds = {(s.kind, s.value) for s in slots}
    assert ("money", "600000000") in kinds
    assert ("polarity", "negated") in kinds


@pytest.mark.parametrize(
    "sentence, value, currency",
    [
        # A word between the amount and its currency ("Swiss") is no part of the amount:
        # this claim had no figure at all, so a changed price was SUPPORTED by a headline.
        ("UBS agreed to buy Credit Suisse for 4 billion Swiss francs.", "4000000000", "CHF"),
        ("The bank will buy bonds worth about 6 trillion yen a month.", "6000000000000", "JPY"),
        ("It cost 600 million yuan.", "600000000", "CNY"),
    ],
)
def test_money_in_other_currencies(nlp, sentence, value, currency):
    slots = slots_of(nlp, sentence)
    assert ("money", value, currency) in {(s.kind, s.value, s.unit) for s in slots}


@pytest.mark.parametrize(
    "sentence, negated",
    [
        ("Foreign exchanges are allowed.", False),
        ("Foreign exchanges are banned.", True),  # a prohibition is a negative predicate
        ("All cryptocurrency transactions are illegal.", True),
        ("All cryptocurrency transactions are not illegal.", False),  # "not" flips it back
        ("The transactions are illegal and must be banned.", True),  # prohibitions do not cancel
        ("The ban was motivated by the desire to cut emissions.", False),  # talks about a ban
        ("Regulators imposed a blanket ban on mining.", True),
        ("The bank said that all transactions are illegal.", True),  # reporting is transparent
        (
            "The bank issued a statement stressing that transactions are illegal.",
            False,
        ),  # subordinate
        ("Exchanges would no longer be able to serve residents.", True),
    ],
)
def test_polarity(nlp, sentence, negated):
    found = any(s.kind == "polarity" for s in slots_of(nlp, sentence))
    assert found == negated


def test_measured_amounts_keep_their_unit(nlp):
    slots = slots_of(nlp, "Elaine Thompson-Herah won the women's 100 meters in 10.61 seconds.")
    found = {(s.kind, s.value, s.unit) for s in slots}
    assert ("number", "10.61", "second") in found and ("number", "100", "meter") in found


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("Inflation would probably peak in April.", "2022-04"),
        ("Inflation peaked in April.", "2021-04"),
        ("The board will meet on Friday.", "2021-12-17"),
        ("The board met on Friday.", "2021-12-10"),
    ],
)
def test_future_tense_dates_look_forward(nlp, sentence, expected):
    thursday = date(2021, 12, 16)
    slots = extract_slots(list(nlp(sentence)), thursday)
    assert [s.value for s in slots if s.kind == "date"] == [expected]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        # In the present tense a bare month is the nearer one: ahead within six months.
        ("The increase takes effect in July, the council said.", "2024-07"),
        ("The tax is rising in May.", "2024-05"),
        ("Prices are 3% higher in February.", "2024-02"),
        ("The vote is in September.", "2023-09"),  # six months either way: the past one
        # The past and present perfect look back; the future forward.
        ("Prices rose 3% in July.", "2023-07"),
        ("Prices have risen since July.", "2023-07"),
        ("The law will take effect in February.", "2025-02"),
    ],
)
def test_a_bare_month_points_by_the_tense_of_its_clause(nlp, sentence, expected):
    march_15 = date(2024, 3, 15)
    slots = extract_slots(list(nlp(sentence)), march_15)
    assert [s.value for s in slots if s.kind == "date"] == [expected]


def test_a_length_of_time_keeps_what_lasted_as_its_scope(nlp):
    slots = slots_of(
        nlp, "The Bank of Japan ended eight years of negative rates, the first in 17 years."
    )
    found = {(s.value, s.unit, s.scope) for s in slots if s.kind == "number"}
    assert found == {("8", "year", "negative rate"), ("17", "year", "")}


@pytest.mark.parametrize(
    "sentence, measured",
    [
        # A change noun measures the thing it changes, named before it or after "in"/"of".
        ("The council approved a sales tax increase to 8.5%.", ("tax", "sale")),
        ("The council approved an increase in the sales tax to 8.5%.", ("tax", "sale")),
        ("The council raised the sales tax to 8.5%.", ("tax", "sale")),
        # A change of nothing named says not what it measures.
        ("The council approved an increase to 8.5%.", ("percent", "")),
    ],
)
def test_a_percentage_a_change_reaches_measures_what_changes(nlp, sentence, measured):
    slots = slots_of(nlp, sentence)
    assert [(s.unit, s.scope) for s in slots if s.kind == "percent"] == [measured]


def test_hedged_percent_keeps_the_figure(nlp):
    slots = extract_slots(list(nlp("Inflation will peak at around 6% next year.")), FRIDAY)
    assert ("percent", "6") in {(s.kind, s.value) for s in slots}


@pytest.mark.parametrize(
    "sentence, expected",
    [
        (
            "The bank lifted its main rate to 0.25% from a record low of 0.1%.",
            {("0.25", "rate"), ("0.1", "rate (from)")},
        ),
        ("Inflation reached 5.1 per cent in November.", {("5.1", "inflation")}),
        (
            "The bank expects inflation to peak at around 6% in April.",
            {("6", "inflation (forecast)")},
        ),
        ("Consumer prices rose 5.4% in September.", {("5.4", "inflation")}),
    ],
)
def test_a_percentage_knows_what_it_measures(nlp, sentence, expected):
    slots = extract_slots(list(nlp(sentence)), FRIDAY)
    assert {(s.value, s.measure) for s in slots if s.kind == "percent"} == expected


@pytest.mark.parametrize(
    "sentence, tally",
    [
        ("Policymakers voted 8-1 for the increase.", "8-1"),
        ("They voted eight to one to lift rates.", "8-1"),
    ],
)
def test_a_vote_tally_is_one_slot(nlp, sentence, tally):
    numbers = [s for s in extract_slots(list(nlp(sentence)), FRIDAY) if s.kind == "number"]
    assert [(s.value, s.unit) for s in numbers] == [(tally, "tally")]


def test_a_range_is_not_summed(nlp):
    slots = extract_slots(list(nlp("It takes two to three weeks.")), FRIDAY)
    assert not [s for s in slots if s.kind == "number"]


def test_a_count_of_months_names_no_day():
    assert resolve_date("the 12 months through September", date(2021, 10, 13)) == "2021-09"


@pytest.mark.parametrize("name", ["U.S.", "US", "the United States", "Americans"])
def test_country_names_and_demonyms_share_one_entity(name):
    assert canonical_entity(name) == "United States"


@pytest.mark.parametrize(
    "sentence, value, scope, period",
    [
        ("Core prices rose 4% from a year earlier.", "4", "core", "year"),
        ("Food prices rose 0.9% on the month.", "0.9", "food", "month"),
        ("US consumer prices rose 5.4%.", "5.4", "", ""),
        ("Core prices rose 0.2% from August.", "0.2", "core", "month"),
    ],
)
def test_a_percentage_knows_its_kind_and_span(nlp, sentence, value, scope, period):
    slot = next(s for s in extract_slots(list(nlp(sentence)), None) if s.kind == "percent")
    assert (slot.value, slot.scope, slot.period) == (value, scope, period)


def test_a_noun_after_the_figure_describes_it_and_is_not_what_it_measures(nlp):
    doc = nlp(
        "Benefits would rise 5.9% next year, the largest cost-of-living adjustment in decades."
    )
    slot = next(s for s in extract_slots(list(doc), None) if s.kind == "percent")
    assert (slot.unit, slot.role, slot.measure) == ("benefit", "forecast", "benefit (forecast)")


@pytest.mark.parametrize(
    "sentence, dated",
    [
        ("Core prices rose 0.2% from August.", "2021-09"),  # the month after the base
        ("Prices were 5% higher than in 2020.", "2020"),  # no "from": the year as written
        ("The rules apply from August.", "2021-08"),  # no change figure: a start date
    ],
)
def test_a_change_from_a_month_is_dated_the_month_after(nlp, sentence, dated):
    slots = extract_slots(list(nlp(sentence)), date(2021, 10, 13))
    assert [s.value for s in slots if s.kind == "date"] == [dated]


@pytest.mark.parametrize(
    "sentence, years, text",
    [
        ("It is the largest adjustment in nearly four decades.", "40", "nearly four decades"),
        ("It is the largest adjustment since 1982.", "39", "since 1982"),
        ("It is the largest adjustment in 39 years.", "39", "39 years"),
    ],
)
def test_lengths_of_time_are_counted_in_years(nlp, sentence, years, text):
    slots = extract_slots(list(nlp(sentence)), date(2021, 10, 13))
    assert [(s.value, s.text) for s in slots if s.unit == "year"] == [(years, text)]


def test_a_change_named_again_carries_the_figure_of_the_sentence_before(nlp):
    from claimwatch.text import sentence_slots

    first, second, third = nlp(
        "Benefits will increase 5.9 percent in 2022. The increase is the biggest since 1982."
        " Prices also matter since 1982."
    ).sents
    before = sentence_slots(list(first), date(2021, 10, 13))
    carried = sentence_slots(list(second), date(2021, 10, 13), before)
    assert [s.value for s in carried if s.kind == "percent"] == ["5.9"]
    # a sentence that does not name the change again carries nothing
    unrelated = sentence_slots(list(third), date(2021, 10, 13), carried)
    assert not [s for s in unrelated if s.kind == "percent"]


@pytest.mark.parametrize(
    "sentence, unit",
    [
        ("Thompson-Herah finished 0.13 seconds ahead of her main rival.", "second (margin)"),
        ("She beat Fraser-Pryce by 0.13 seconds.", "second (margin)"),
        ("The record was lowered by 0.01 seconds.", "second (margin)"),
        ("He finished 2 meters behind the leader.", "meter (margin)"),
        ("She ran the final in 10.61 seconds.", "second"),
    ],
)
def test_a_gap_between_two_things_is_a_margin_not_a_measure(nlp, sentence, unit):
    slots = extract_slots(list(nlp(sentence)), date(2021, 7, 31))
    assert [s.measure for s in slots if s.kind == "number"] == [unit]


@pytest.mark.parametrize(
    "sentence",
    [
        "She won the women's 100 metres final.",
        "She won the women's 100 meters final.",
        "She kept her 100m title.",
    ],
)
def test_metres_meters_and_m_are_one_unit(nlp, sentence):
    slots = extract_slots(list(nlp(sentence)), date(2021, 7, 31))
    assert [(s.value, s.unit) for s in slots if s.kind == "number"] == [("100", "meter")]


def test_the_year_of_an_event_dates_it_and_counts_nothing(nlp):
    sentence = "Griffith Joyner had held the previous Olympic record since the 1988 Games in Seoul."
    slots = extract_slots(list(nlp(sentence)), date(2021, 8, 1))
    assert [s.value for s in slots if s.kind == "date"] == ["1988"]
    assert not [s for s in slots if s.kind == "number" and s.value == "1988"]


@pytest.mark.parametrize(
    "sentence, unit",
    [
        ("The time broke the Olympic record of 10.62 seconds.", "second (surpassed)"),
        (
            "She lowered the Olympic record of 10.62 seconds held by Griffith-Joyner.",
            "second (surpassed)",
        ),
        ("She ran the final in 10.61 seconds, an Olympic record.", "second"),
    ],
)
def test_the_mark_a_verb_goes_past_is_the_old_one(nlp, sentence, unit):
    slots = extract_slots(list(nlp(sentence)), date(2021, 7, 31))
    assert [s.measure for s in slots if s.kind == "number"] == [unit]


def test_an_iso_date_is_a_date_not_a_tally(nlp):
    """ "2021-09-23" gave a tally "2021-9" beside its date (found on a real news page)."""
    slots = extract_slots(list(nlp("The bank made its statement on Thursday 2021-09-23.")), FRIDAY)
    assert not [s for s in slots if s.kind == "number"]
    assert ("date", "2021-09-23") in {(s.kind, s.value) for s in slots}


def test_a_stored_slot_record_reads_as_written_with_its_terms_a_tuple():
    from claimwatch.extract.slots.base import Slot, slot_from_record

    record = {"kind": "clause", "value": "", "polarity": "affirmed", "terms": ["a"]}
    typed = slot_from_record(record)
    assert typed == Slot("clause", "", polarity="affirmed", terms=("a",))
    assert hash(typed)  # slots are hashed: terms come back as a tuple, not a list


def test_a_sentence_whose_clauses_differ_gives_each_clause_its_polarity_and_terms(nlp):
    from claimwatch.text import clause_slots

    doc = nlp("The bank stressed that cryptocurrency transactions are not legal.")
    clauses = clause_slots(list(doc))
    assert {c.polarity for c in clauses} == {"negated", "affirmed"}
    assert all(c.terms and not c.unit and not c.value for c in clauses)


@pytest.mark.parametrize(
    "sentence, negated",
    [
        ("The bank will stop buying exchange-traded funds.", True),  # = no longer buys
        ("The plant ceased to operate in May.", True),
        ("The bank would no longer purchase funds.", True),
        ("The bank will not stop buying funds.", False),  # two negations cancel
        ("Police stopped the car.", False),  # ends no action
    ],
)
def test_ceasing_an_action_is_its_negation(nlp, sentence, negated):
    from claimwatch.extract.slots.polarity import is_negated

    assert is_negated(list(nlp(sentence))) is negated
