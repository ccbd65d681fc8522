from datetime import date
from pathlib import Path

import pytest

from claimwatch.article import (
    ArticleError,
    mask_boilerplate,
    parse_article,
    parse_date_header,
    read_article_file,
)
from tests.conftest import SEED_ARTICLE


def test_seed_header_gives_the_article_date(nlp):
    article = parse_article(SEED_ARTICLE.read_text(encoding="utf-8"), "seed", nlp)
    assert article.published == date(2021, 9, 24)


def test_sentences_keep_offsets_into_the_original_text(nlp):
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    article = parse_article(text, "seed", nlp)
    assert len(article.sentences) >= 8
    for sentence in article.sentences:
        assert text[sentence.start : sentence.end] == sentence.text


def test_related_asides_and_header_are_not_sentences(nlp):
    article = parse_article(SEED_ARTICLE.read_text(encoding="utf-8"), "seed", nlp)
    joined = " ".join(s.text for s in article.sentences)
    assert "RELATED" not in joined
    assert "Hackers Make Off" not in joined
    assert not joined.lstrip().startswith("date")


def test_masking_keeps_length_so_offsets_survive():
    text = " date 2021-09-24 Hello there. (RELATED: Other story) More text here."
    masked = mask_boilerplate(text)
    assert len(masked) == len(text)
    assert "RELATED" not in masked and "Hello there." in masked


@pytest.mark.parametrize(
    "text, kept",
    [
        (" date 2022-11-10 NEW YORK, Nov 10 (Invented Agency) - Wall Street stocks soared.", "Wall Street stocks soared."),
        ("CUPERTINO, Calif., Feb 2 (Agency) - Apple said on Thursday.", "Apple said on Thursday."),
        ("WASHINGTON (AP) — The Senate voted.", "The Senate voted."),
        ("LONDON, July 5 - Labour won.", "Labour won."),
        # no date and no agency: capitals and a dash are no dateline
        ("NASA - the agency said so.", "NASA - the agency said so."),
    ],
)  # fmt: skip
def test_a_wire_dateline_is_masked_not_made_a_claim(text, kept):
    masked = mask_boilerplate(text)
    assert len(masked) == len(text) and masked.strip() == kept


def test_no_claim_of_a_story_starts_with_its_dateline(nlp):
    from claimwatch.extract.claims import extract_claims

    text = " date 2022-11-10 NEW YORK, Nov 10 (Agency) - Wall Street stocks soared on Thursday."
    doc = nlp(mask_boilerplate(text))
    claims = extract_claims(parse_article(text, "wire", nlp, doc=doc), doc)
    assert claims and not [c for c in claims if "NEW YORK" in c.text or "Agency" in c.text]


@pytest.mark.parametrize(
    "text, expected",
    [
        (" date 2021-09-24 China said", date(2021, 9, 24)),
        ("date 2020-02-29 Leap day", date(2020, 2, 29)),
        (" date 2021-02-30 not a real day", None),  # invalid calendar date is no date
        ("No header here", None),
    ],
)
def test_date_header(text, expected):
    assert parse_date_header(text) == expected


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"   \n\t ", "empty"),
        (b"\x00\x01\x02binary\x00" * 10, "binary"),
        ("Caf\u00e9 society met on Friday and talked at length.".encode("latin-1"), "not UTF-8"),
        (b"!!! ??? ...", "no readable sentences"),
    ],
)
def test_bad_article_files_raise_one_line_errors(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "article.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError, match=message) as info:
        read_article_file(path, max_bytes=1000)
    assert "\n" not in str(info.value)


def test_missing_directory_and_huge_files_are_refused(tmp_path: Path):
    with pytest.raises(ArticleError, match="no such file"):
        read_article_file(tmp_path / "nope.txt", max_bytes=1000)
    with pytest.raises(ArticleError, match="is a directory"):
        read_article_file(tmp_path, max_bytes=1000)
    big = tmp_path / "big.txt"
    big.write_text("word " * 500)
    with pytest.raises(ArticleError, match="over the 1000-byte limit"):
        read_article_file(big, max_bytes=1000)


@pytest.mark.parametrize(
    "line",
    [
        "By Jane Doe",
        "By Jane Doe and John Roe",
        "Subscribe to our newsletter for more stories like this.",
        "Click here to read the full report.",
        "Copyright 2021 Example News. All rights reserved.",
    ],
)
def test_bylines_and_calls_to_action_are_never_sentences(nlp, line):
    text = f" date 2021-09-24 {line}\nThe council approved the budget on Friday.\n"
    sentences = [s.text for s in parse_article(text, "test", nlp).sentences]
    assert sentences == ["The council approved the budget on Friday."]


def test_a_sentence_starting_with_by_is_kept(nlp):
    text = " date 2021-09-24 By noon the council had approved the budget.\n"
    assert [s.text for s in parse_article(text, "test", nlp).sentences] == [
        "By noon the council had approved the budget."
    ]
