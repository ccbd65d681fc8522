"""Content-hash identifiers: the same content always gets the same id."""

from __future__ import annotations

import hashlib


def content_id(*parts: object) -> str:
    """Return a 16-hex-digit sha256 over the parts, joined by a separator no text contains."""
    joined = "\x1f".join(str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]
