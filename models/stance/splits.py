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


# Check-COVID's train file is shared between the entailment model and the learned decision
# above it (claimwatch/stance/decision.py), by a hash of the abstract's CORD id: the
# decision must be fitted on readings of text the model never trained on, or it learns
# to trust the model's confidence on its own training data.
CHECK_COVID = FEVER.parent / "check-covid"


def check_covid_part(cord_id: str) -> str:
    """model (three quarters) or decision (one quarter), by a hash of the CORD id."""
    bucket = int(hashlib.sha1(cord_id.encode("utf-8")).hexdigest()[:8], 16) % 4
    return "decision" if bucket == 0 else "model"
