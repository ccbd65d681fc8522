"""Entity slots: names read through the alias table to one canonical form."""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Span, Token

from claimwatch.config import PROJECT_ROOT
from claimwatch.extract.slots.base import normalise_apostrophes

ALIASES_CSV = PROJECT_ROOT / "seeds" / "aliases.csv"
# Data the extracted claims depend on besides this code (claimwatch.version hashes it).
VERSIONED_DATA = ("seeds/aliases.csv",)


ENTITY_LABELS = {"ORG", "GPE", "PERSON", "NORP", "LOC", "FAC"}


@lru_cache(maxsize=1)
def alias_table(path: Path = ALIASES_CSV) -> dict[str, str]:
    """Return lower-cased alias -> canonical entity name, read from seeds/aliases.csv."""
    with path.open(encoding="utf-8") as handle:
        return {
            normalise_apostrophes(row["alias"]).lower(): row["canonical"]
            for row in csv.DictReader(handle)
        }


CORPORATE_SUFFIX = re.compile(
    r",?\s+(?:Corp|Corporation|Inc|Incorporated|Ltd|Limited|LLC|plc|PLC|Co|AG|SA|NV)\.?$"
)


def canonical_entity(name: str) -> str:
    """Return the canonical name of an entity mention ("the PBOC" -> "People's Bank of China")."""
    cleaned = normalise_apostrophes(name).strip(' ,."“”()')
    cleaned = re.sub(r"^(?:the|a|an)\s+", "", cleaned, flags=re.IGNORECASE)
    cleaned = re.sub(r"'s$", "", cleaned)
    # "Microsoft Corp." and "Activision Blizzard Inc" are Microsoft and Activision Blizzard.
    cleaned = CORPORATE_SUFFIX.sub("", cleaned)
    table = alias_table()
    # The strip above took the last dot of "U.S."; the table spells it out.
    for key in (cleaned, f"{cleaned}.", f"the {cleaned}"):
        if key.lower() in table:
            return table[key.lower()]
    return cleaned


def clipped(ent: Span, token_ids: set[int]) -> Span:
    """Return the part of a name inside the tokens: a claim cut from "games including Call
    of Duty and Candy Crush" names "Call of Duty", though the tagger saw one long name."""
    inside = [t.i for t in ent if t.i in token_ids]
    if len(inside) == len(ent) or not inside:
        return ent
    start = end = inside[0]
    while end + 1 in token_ids and end + 1 < ent.end:
        end += 1
    while ent.doc[end].is_punct or ent.doc[end].lower_ in {"and", "or", "&"}:
        end -= 1
    return Span(ent.doc, start, end + 1, label=ent.label_)


def entity_of(token: Token) -> Span | None:
    """Return the named-entity span a token is part of, or None; walks the token's IOB tags
    instead of scanning every entity of the document."""
    if not token.ent_type_:
        return None
    doc, start, end = token.doc, token.i, token.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type_)


def named_organisations(token: Token) -> list[Span]:
    """Return the organisations named before token as a noun phrase of their own: the
    NER's ORG entities, and a one-word proper noun the NER left untagged that is a
    clause's subject ("Facebook blamed a faulty configuration change", which the small
    model tags as nothing), unless the document uses that word in a person's name
    ("Musk", after "Elon Musk") or tags it a person anywhere."""
    doc = token.doc
    found = [e for e in doc.ents if e.label_ == "ORG" and e.end <= token.i]
    person_words = {t.lower_ for e in doc.ents if e.label_ == "PERSON" for t in e}
    person_words |= {
        t.lower_ for t in doc if t.i > 0 and t.pos_ == "PROPN" and doc[t.i - 1].pos_ == "PROPN"
    }
    for subject in doc[: token.i]:
        untagged = subject.ent_type_ in {"", "ORG"} and not any(
            e.start <= subject.i < e.end for e in found
        )
        if (
            untagged
            and subject.dep_ in {"nsubj", "nsubjpass"}
            and subject.pos_ == "PROPN"
            and not any(c.dep_ == "compound" for c in subject.children)
            and subject.lower_ not in person_words
        ):
            found.append(Span(doc, subject.i, subject.i + 1, label="ORG"))
    return sorted((e for e in found if e.root.dep_ != "compound"), key=lambda e: (e.end, e.start))


def salient_organisation(token: Token) -> Span | None:
    """Return the organisation "the company", "the bank" or "the lender" stands for: of
    those named before it, the one named most often so far as a noun phrase of its own (a story's
    "the company" is its main company, not the last one quoted), the latest on a tie."""
    # "the iPhone maker" is not the iPhone: a name inside the description is not its referent.
    own_words = {t.lower_ for t in token.subtree}
    named = [e for e in named_organisations(token) if not {t.lower_ for t in e} & own_words]
    if not named:
        return None
    mentions = Counter(e.text for e in named)
    return max(reversed(named), key=lambda e: mentions[e.text])


def latest_entity_span(token: Token, labels: set[str]) -> Span | None:
    """Return the last entity of those labels named before token, the likely referent of
    "it" or "the company": a name standing as a noun phrase of its own, not one modifying
    another noun ("iPad" in "iPad sales" names a product of the company, not the company)."""
    before = [
        e
        for e in token.doc.ents
        if e.label_ in labels and e.end <= token.i and e.root.dep_ != "compound"
    ]
    return before[-1] if before else None
