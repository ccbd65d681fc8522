"""The FEVER split shared by training and augmentation: by a hash of the claim text, so no
claim is in two splits. train 70%, dev 10% (thresholds are chosen on it), test 20% (held
out: reported, never trained or tuned on)."""

from __future__ import annotations

import hashlib
from pathlib import Path

# The FEVER development half the model is trained, tuned and tested on (its README says
# where it comes from and its licence).
FEVER = Path(__file__).resolve().parents[3] / "shared" / "benchmarks" / "fever-dev-binary"


def split_of(claim: str) -> str:
    bucket = int(hashlib.sha1(claim.encode("utf-8")).hexdigest()[:8], 16) % 10
    return "test" if bucket < 2 else "dev" if bucket == 2 else "train"
