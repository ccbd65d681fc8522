"""Parse-tree patterns kept as data (data/patterns.json) and matched with spaCy's
DependencyMatcher: a new shape is a pattern and the few lines that use its match."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

PATTERNS_FILE = Path(__file__).parent / "data" / "patterns.json"


@lru_cache(maxsize=1)
def pattern_table() -> dict[str, list[dict]]:
    table = json.loads(PATTERNS_FILE.read_text(encoding="utf-8"))
    return {name: pattern for name, pattern in table.items() if not name.startswith("_")}


# One matcher per vocabulary (a loaded pipeline keeps one for its life).
_matchers: dict[int, DependencyMatcher] = {}


def matcher_for(vocab: Vocab) -> DependencyMatcher:
    matcher = _matchers.get(id(vocab))
    if matcher is None:
        matcher = DependencyMatcher(vocab)
        for name, pattern in pattern_table().items():
            matcher.add(name, [pattern])
        _matchers[id(vocab)] = matcher
    return matcher


@lru_cache(maxsize=8)
def _doc_matches(doc: Doc) -> tuple[tuple[str, tuple[int, ...]], ...]:
    matcher = matcher_for(doc.vocab)
    return tuple((doc.vocab.strings[key], tuple(ids)) for key, ids in matcher(doc))


def matches(doc: Doc, name: str, within: set[int] | None = None) -> list[dict[str, Token]]:
    """Return each match of the named pattern in doc as {node name: token}, in document
    order; within, when given, keeps the matches whose tokens all lie in it."""
    names = [node["RIGHT_ID"] for node in pattern_table()[name]]
    found = []
    for key, ids in _doc_matches(doc):
        if key != name or (within is not None and not set(ids) <= within):
            continue
        found.append({node: doc[i] for node, i in zip(names, ids)})
    return sorted(found, key=lambda match: [t.i for t in match.values()])
