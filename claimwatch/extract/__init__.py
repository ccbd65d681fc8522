"""Claim extraction's lexical data, read from WordNet ahead of time (see build_nominals)."""
