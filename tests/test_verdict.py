import pytest

from claimwatch.stance.judge import NEUTRAL, REFUTES, SUPPORTS
from claimwatch.verdict import CONTRADICTED, DISPUTED, NEI, SUPPORTED, ScoredEvidence, decide


def ev(stance: str, outlet: str, group: str | None = None, similarity: float = 90.0, tier: int = 1):
    return ScoredEvidence(
        "c1",
        f"s-{outlet}-{stance}",
        stance,
        similarity,
        (f"reason from {outlet}",),
        f"text from {outlet}",
        f"https://{outlet}.example/a",
        outlet,
        group or outlet,
        tier,
    )


@pytest.mark.parametrize(
    "evidence, verdict, n_sup, n_con",
    [
        ([ev(SUPPORTS, "a"), ev(NEUTRAL, "b")], SUPPORTED, 1, 0),
        ([ev(REFUTES, "a")], CONTRADICTED, 0, 1),
        ([ev(SUPPORTS, "a"), ev(REFUTES, "b"), ev(REFUTES, "c")], DISPUTED, 1, 2),
        ([ev(NEUTRAL, "a")], NEI, 0, 0),
        ([], NEI, 0, 0),
        # Two URLs carrying one syndicated text are one outlet, not two.
        ([ev(SUPPORTS, "wire", "g1"), ev(SUPPORTS, "reprint", "g1")], SUPPORTED, 1, 0),
    ],
)
def test_decide(evidence, verdict, n_sup, n_con):
    result = decide("c1", evidence)
    assert (result.verdict, result.n_supporting_outlets, result.n_contradicting_outlets) == (
        verdict,
        n_sup,
        n_con,
    )
    assert 0.0 <= result.confidence <= 1.0
    assert (result.evidence is None) == (verdict == NEI)


def test_more_independent_outlets_raise_confidence():
    one = decide("c1", [ev(SUPPORTS, "a")]).confidence
    two = decide("c1", [ev(SUPPORTS, "a"), ev(SUPPORTS, "b")]).confidence
    syndicated = decide("c1", [ev(SUPPORTS, "a", "g"), ev(SUPPORTS, "b", "g")]).confidence
    assert two > one
    assert syndicated == one


def test_lower_tier_counts_less():
    assert (
        decide("c1", [ev(SUPPORTS, "a", tier=1)]).confidence
        > decide("c1", [ev(SUPPORTS, "a", tier=3)]).confidence
    )


def test_disputed_shows_the_contradicting_evidence_and_both_sides():
    result = decide("c1", [ev(SUPPORTS, "a"), ev(REFUTES, "b")])
    assert result.evidence.outlet == "b"
    assert "reason from b" in result.reason and "reason from a" in result.reason


def test_an_outlet_settles_a_claim_with_its_strongest_reading_not_a_dispute_with_itself():
    """One outlet stating the claim in one sentence and read against it in another is one
    outlet supporting it; a dispute needs another outlet."""
    said = decide("c1", [ev(SUPPORTS, "a", similarity=95.0), ev(REFUTES, "a", similarity=70.0)])
    assert (said.verdict, said.n_supporting_outlets, said.n_contradicting_outlets) == (
        SUPPORTED,
        1,
        0,
    )
    denied = decide("c1", [ev(SUPPORTS, "a", similarity=60.0), ev(REFUTES, "a", similarity=90.0)])
    assert denied.verdict == CONTRADICTED
    across = decide("c1", [ev(SUPPORTS, "a", similarity=95.0), ev(REFUTES, "b", similarity=70.0)])
    assert across.verdict == DISPUTED
