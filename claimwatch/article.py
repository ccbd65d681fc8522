"""Parsing an article: its date header, boilerplate removal and sentences with offsets."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from claimwatch.errors import ArticleError
from claimwatch.ids import content_id
from claimwatch.titles import DATE_HEADER

# Asides such as "(RELATED: ...)" or "(READ MORE: ...)" are links to other stories.
BOILERPLATE_ASIDE = re.compile(
    r"\((?:RELATED|READ MORE|SEE ALSO|WATCH|LISTEN)\s*:[^)]*\)", re.IGNORECASE
)
# Whole lines that are page furniture, not reporting: bylines, datelines of wire copy,
# calls to action and sign-offs. They are masked like asides, so they are never claims.
BOILERPLATE_LINE = re.compile(
    r"^[ \t]*(?:"
    r"By(?:\s+[A-Z][\w.'’-]+){1,4}(?:\s*(?:,|and)\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})*"
    r"|(?:Subscribe|Sign up|Click here|Follow us|Share this|Read more|Contact the writer|"
    r"Copyright|All rights reserved|Advertisement)\b.*"
    r")[ \t]*$",
    re.MULTILINE,
)
# A wire story's dateline before its first words: "NEW YORK, Nov 10 (Reuters) - ",
# "CUPERTINO, Calif., Feb 2 (Invented Agency) - ", "WASHINGTON (AP) — ". The city in
# capitals, then a date, an agency in brackets or both, then a dash: where and when the
# copy was filed, not a fact of the story, so it is masked and never starts a claim.
MONTH_ABBREVIATION = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DATELINE = re.compile(
    r"^[ \t]*[A-Z][A-Z'’.-]{2,}(?:[ ][A-Z][A-Z'’.-]+){0,3}"
    r"(?:,[ ][A-Z][a-z]+\.(?:[ ]?[A-Z][a-z]*\.)?)?"
    r"(?=,?[ ](?:" + MONTH_ABBREVIATION + r"[ ]\d{1,2}\b|\())"
    r"(?:,?[ ]" + MONTH_ABBREVIATION + r"[ ]\d{1,2})?"
    r"(?:[ ]?\([^)\n]{1,60}\))?"
    r"[ ]*[-–—]{1,2}[ ]+",
    re.MULTILINE,
)
MIN_SENTENCE_LETTERS = 12


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int  # character offsets into the original text
    end: int
    text: str


@dataclass(frozen=True)
class Article:
    article_id: str
    origin: str
    text: str
    published: date | None
    sentences: tuple[Sentence, ...]


def decode_text(data: bytes, origin: str, max_bytes: int) -> str:
    """Return the UTF-8 text of data, or raise ArticleError saying why it is not an article."""
    if len(data) > max_bytes:
        raise ArticleError(f"{origin}: {len(data)} bytes is over the {max_bytes}-byte limit")
    if not data.strip():
        raise ArticleError(f"{origin}: file is empty")
    if b"\x00" in data[:8192]:
        raise ArticleError(f"{origin}: looks binary (NUL bytes), not article text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ArticleError(f"{origin}: not UTF-8 text (byte {err.start})") from None
    if sum(ch.isalpha() for ch in text) < MIN_SENTENCE_LETTERS:
        raise ArticleError(f"{origin}: no readable sentences")
    return text


def read_article_file(path: Path, max_bytes: int) -> str:
    """Return the text of an article file, or raise ArticleError. Only a regular file
    reached without a symbolic link is read (a FIFO or /dev/zero never ends, and a link
    in an inbox could point at any file; a link the user names is resolved before, see
    dispatch.expand_articles), and never more than max_bytes + 1 bytes."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        raise ArticleError(f"{path}: no such file") from None
    except OSError as err:
        raise ArticleError(f"{path}: cannot read ({err.strerror})") from None
    if stat.S_ISLNK(mode):
        raise ArticleError(
            f"{path}: a symbolic link; claimwatch reads a link only when it is named on the "
            "command line"
        )
    if stat.S_ISDIR(mode):
        raise ArticleError(f"{path}: is a directory, expected an article file")
    if not stat.S_ISREG(mode):
        raise ArticleError(f"{path}: not a regular file (a device, pipe or socket)")
    try:
        # O_NOFOLLOW and O_NONBLOCK: a file swapped for a link or a pipe since is refused,
        # not followed or waited on.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise ArticleError(f"{path}: not a regular file (a device, pipe or socket)")
            data = handle.read(max_bytes + 1)
    except OSError as err:
        raise ArticleError(f"{path}: cannot read ({err.strerror})") from None
    if len(data) > max_bytes:
        raise ArticleError(f"{path}: over the {max_bytes}-byte limit")
    return decode_text(data, str(path), max_bytes)


def parse_date_header(text: str) -> date | None:
    """Return the date of a leading ` date YYYY-MM-DD` header, if there is one."""
    match = DATE_HEADER.match(text)
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1))
    except ValueError:
        return None


def dated(text: str, published: date | None) -> str:
    """Return text with its date line set to published (added, or replacing the one it
    has); unchanged when published is None. The date is part of what the article says, so
    an article given a date is another article (its id is of this text)."""
    if published is None:
        return text
    header = f" date {published.isoformat()} "
    match = DATE_HEADER.match(text)
    return header + (text[match.end() :] if match else text.lstrip())


def missing_date_warning(origin: str) -> str:
    return (
        f'{origin}: no \' date YYYY-MM-DD\' line, so relative dates ("on Friday", "last '
        'month") will not resolve; start the article with one or pass --date YYYY-MM-DD'
    )


def mask_boilerplate(text: str) -> str:
    """Return text with the date header, a wire dateline and asides blanked out, keeping
    every offset."""
    masked = DATE_HEADER.sub(lambda m: " " * len(m.group(0)), text, count=1)
    masked = BOILERPLATE_ASIDE.sub(lambda m: " " * len(m.group(0)), masked)
    masked = DATELINE.sub(lambda m: " " * len(m.group(0)), masked)
    return BOILERPLATE_LINE.sub(lambda m: " " * len(m.group(0)), masked)


def split_sentences(text: str, nlp: Language, doc: Doc | None = None) -> tuple[Sentence, ...]:
    """Return the readable sentences of text with their offsets (text may be masked).

    Pass doc when text was already parsed, so it is not parsed twice."""
    sentences: list[Sentence] = []
    for span in (doc if doc is not None else nlp(text)).sents:
        raw = span.text
        stripped = raw.strip()
        if sum(ch.isalpha() for ch in stripped) < MIN_SENTENCE_LETTERS:
            continue
        start = span.start_char + (len(raw) - len(raw.lstrip()))
        sentences.append(Sentence(len(sentences), start, start + len(stripped), stripped))
    return tuple(sentences)


def parse_article(text: str, origin: str, nlp: Language, doc: Doc | None = None) -> Article:
    """Return the article: id from its text, date from its header, sentences with offsets.

    doc, when given, is the parse of mask_boilerplate(text)."""
    sentences = split_sentences(mask_boilerplate(text), nlp, doc=doc)
    if not sentences:
        raise ArticleError(f"{origin}: no readable sentences")
    return Article(
        article_id=content_id("article", text.strip()),
        origin=origin,
        text=text,
        published=parse_date_header(text),
        sentences=sentences,
    )
