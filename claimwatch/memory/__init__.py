"""Claim memory (issue 33): recognise a claim checked before, carry its cluster's review
and evidence over, and import published fact checks (schema.org ClaimReview)."""
