"""Parse-tree patterns kept as data (claimwatch/extract/data/patterns.json)."""

import pytest

from claimwatch.extract.patterns import matches, pattern_table

# One sentence per pattern that has its shape; a pattern without one fails below.
EXAMPLES = {
    "trailing_comparison": (
        "The rocket produced 8.8 million pounds of thrust, 15% more than the Saturn V.",
        {"object": "pounds", "comparative": "more"},
    ),
    "those_of": (
        "The ruling covers the emissions of its operations as well as those of its suppliers.",
        {"noun": "emissions", "owner": "suppliers"},
    ),
}


def test_every_pattern_has_an_example():
    assert set(pattern_table()) == set(EXAMPLES)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_a_pattern_matches_its_shape(nlp, name):
    sentence, expected = EXAMPLES[name]
    found = matches(nlp(sentence), name)
    assert found and {k: found[0][k].text for k in expected} == expected


def test_a_pattern_does_not_match_other_shapes(nlp):
    doc = nlp("The rocket produced more thrust than the Saturn V.")
    assert not matches(doc, "those_of")
    within = {t.i for t in doc[:3]}
    assert not matches(doc, "trailing_comparison", within=within)
