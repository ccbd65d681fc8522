"""The errors bad input raises, each with a one-line message: a module of their own, so
the command line can name them without importing the parser, pandas or DuckDB."""

from __future__ import annotations


class ArticleError(ValueError):
    """The input cannot be read as an article; the message says why, in one line."""


class RegistryError(ValueError):
    """The source registry cannot be read; the message says why, in one line."""


class ModelNotFound(RuntimeError):
    """A model claimwatch ships or installs (the English parser, the stance model) is
    missing; the message says how to get it back, in one line."""


class StoreError(RuntimeError):
    """The database cannot be used; the message says why, in one line."""


class StoreBusy(StoreError):
    """Another process kept the database (or its writer lock) past the wait: nothing is
    wrong with the input, try again when it is done."""
