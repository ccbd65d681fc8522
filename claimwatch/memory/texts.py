"""Texts as the memory compares them: terms and fact slots, from stored rows or parsed."""

from __future__ import annotations

from datetime import date

from spacy.language import Language

from claimwatch.extract.slots import extract_slots
from claimwatch.memory.match import MemoryText
from claimwatch.store import slots_from_json
from claimwatch.text import normalise_tokens


def parsed_text(
    nlp: Language, item_id: str, kind: str, text: str, reference: date | None
) -> MemoryText:
    """Return a text the memory can compare: its normalised terms and its fact slots, its
    relative dates read against reference (when it was published)."""
    tokens = list(nlp(text))
    return MemoryText(
        item_id, kind, text, tuple(normalise_tokens(tokens)), extract_slots(tokens, reference)
    )


def stored_text(item_id: str, kind: str, text: str, norm_text: str, slots_json: str) -> MemoryText:
    """Return a stored claim or fact check as the memory compares it."""
    return MemoryText(
        item_id, kind, text, tuple(norm_text.split()), tuple(slots_from_json(slots_json))
    )
