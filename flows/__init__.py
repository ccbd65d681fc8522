"""Prefect flows: thin wiring over the claimwatch library."""

from claimwatch.config import keep_prefect_offline

keep_prefect_offline()  # before the flow modules import Prefect
