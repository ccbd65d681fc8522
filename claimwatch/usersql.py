"""`claimwatch sql`: one read-only statement of the user's, run on a connection that
reaches nothing but the database (db.connect locks a reader down), within a time
limit, its rows handed on in batches so that a large result is streamed, never held."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from claimwatch import db

# What `sql` runs: DuckDB parses SELECT, WITH, VALUES, FROM-first, DESCRIBE, SHOW and
# SUMMARIZE all as SELECT statements; anything else (ATTACH, COPY, EXPORT, INSTALL,
# LOAD, SET, PRAGMA, CALL, EXPLAIN, writes) is refused before it runs.
READ_STATEMENTS = frozenset({duckdb.StatementType.SELECT})
# Rows fetched at a time: a big result streams through this much memory.
BATCH_ROWS = 1_000


class SqlRefused(ValueError):
    """The statement is not run, or was stopped; the message says why, in one line."""


def read_statement(con: duckdb.DuckDBPyConnection, text: str) -> str:
    """Return the one read statement in text, parsed by DuckDB's own parser, or raise
    SqlRefused: none (blank or only comments), several, a parse error, or not a read."""
    try:
        statements = con.extract_statements(text)
    except duckdb.Error as err:
        raise SqlRefused(error_message(err)) from None
    if not statements:
        raise SqlRefused("no SQL statement given (the text is empty or only comments)")
    if len(statements) > 1:
        raise SqlRefused(f"{len(statements)} statements given; claimwatch sql runs exactly one")
    statement = statements[0]
    if statement.type not in READ_STATEMENTS:
        verb = statement.query.split(maxsplit=1)[0].upper()
        raise SqlRefused(
            f"{verb} is refused: claimwatch sql only reads "
            "(select, with, describe, show, summarize)"
        )
    return statement.query


def error_message(err: duckdb.Error) -> str:
    """DuckDB's message without the caret lines that point into the statement."""
    return f"SQL: {str(err).split(chr(10) + 'LINE ')[0].strip()}"


@dataclass(frozen=True)
class QueryResult:
    """A running statement's column names and its rows, batch by batch."""

    names: list[str]
    batches: Iterator[list[tuple]]


def row_batches(cursor: duckdb.DuckDBPyConnection) -> Iterator[list[tuple]]:
    while batch := cursor.fetchmany(BATCH_ROWS):
        yield batch


@contextmanager
def user_query(
    db_path: Path, text: str, timeout_s: float, wait_s: float = 30.0, progress=None
) -> Iterator[QueryResult]:
    """Run the user's one read statement on a locked-down read-only connection and yield
    its rows to read within the block; after timeout_s (fetching included) the statement
    is interrupted and SqlRefused raised. Raises StoreError when the database cannot be
    opened, SqlRefused for a statement that is not one read or fails."""
    con = db.connect(
        db_path, read_only=True, wait_s=wait_s, progress=progress or (lambda message: None)
    )
    stopped = threading.Event()

    def stop() -> None:
        stopped.set()
        con.interrupt()

    timer = threading.Timer(timeout_s, stop)
    timer.daemon = True
    try:
        statement = read_statement(con, text)
        timer.start()
        cursor = con.execute(statement)
        yield QueryResult([d[0] for d in cursor.description or ()], row_batches(cursor))
    except duckdb.Error as err:
        if stopped.is_set():
            raise SqlRefused(
                f"SQL: stopped after {timeout_s:g} s (--timeout gives a statement longer)"
            ) from None
        raise SqlRefused(error_message(err)) from None
    finally:
        timer.cancel()
        con.close()
