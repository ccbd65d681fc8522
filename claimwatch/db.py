"""The database's connections and statements: opening it (migrated, locked down, waiting
for another process), the text of sql/queries and sql/writes, and inserting rows by
column name. Light on purpose: the read-only commands import this and DuckDB only, not
the parser or pandas (claimwatch.store builds each stage's rows on top of it)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import fields
from functools import cache
from pathlib import Path

import duckdb

from claimwatch.config import PROJECT_ROOT
from claimwatch.errors import StoreBusy, StoreError
from claimwatch.rows import TABLE_ROWS, SchemaMigrationRow

SQL_DIR = PROJECT_ROOT / "sql"


@cache
def query(name: str) -> str:
    """Return the text of sql/queries/<name>.sql."""
    return (SQL_DIR / "queries" / f"{name}.sql").read_text(encoding="utf-8")


@cache
def write(name: str) -> str:
    """Return the text of sql/writes/<name>.sql (statements that change rows, tables or the
    connection's settings)."""
    return (SQL_DIR / "writes" / f"{name}.sql").read_text(encoding="utf-8")


# Every connection: no extension is installed or loaded behind claimwatch's back (it
# needs none, and installing one would fetch native code from the network).
CONNECTION_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
    "allow_community_extensions": False,
}


def connect(
    db_path: Path,
    read_only: bool = False,
    wait_s: float = 30.0,
    progress: Callable[[str], None] = lambda message: None,
    writable_dir: Path | None = None,
) -> duckdb.DuckDBPyConnection:
    """Return a connection to the database, created and migrated to the latest schema.

    A read-only connection is locked down before it is returned (lock_down_reader.sql):
    it can read its database and nothing else, writing only under writable_dir when
    given. A writing connection reaches no other file either (lock_down_writer.sql).

    DuckDB lets one process write or several read; while another process holds the file,
    wait up to wait_s for it (saying so once), then fail with a one-line StoreBusy."""
    if read_only and not db_path.exists():
        raise StoreError(f"{db_path}: no database yet; run `claimwatch run` first")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    told = False
    while True:
        try:
            con = duckdb.connect(str(db_path), read_only=read_only, config=CONNECTION_CONFIG)
            break
        except duckdb.Error as err:
            message = " ".join(str(err).split())
            if not is_lock_conflict(message):
                raise StoreError(f"{db_path}: cannot open ({message[:200]})") from None
            if time.monotonic() >= deadline:
                raise StoreBusy(
                    f"{db_path}: another process still has it open after {wait_s:g}s; "
                    "try again when it is done"
                ) from None
            if not told:
                progress(f"waiting for {db_path}: another process has it open")
                told = True
            time.sleep(0.2)
    if not read_only:
        con.execute(write("lock_down_writer"))
        migrate(con)
        return con
    if pending_migrations(con):
        # A reader of a database an older claimwatch made: upgrade it once, then read.
        con.close()
        connect(db_path, wait_s=wait_s, progress=progress).close()
        return connect(db_path, True, wait_s, progress, writable_dir)
    if writable_dir is not None:
        con.execute(write("allow_directory"), {"directory": f"{writable_dir.resolve()}/"})
    con.execute(write("lock_down_reader"))
    return con


def pending_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Return the schema files not yet applied to this database."""
    try:
        rows = con.execute(query("applied_migrations")).fetchall()
    except duckdb.CatalogException:
        rows = []
    applied = {row[0] for row in rows}
    return [p.name for p in schema_files() if int(p.name[:3]) not in applied]


def schema_files() -> list[Path]:
    return sorted((SQL_DIR / "schema").glob("[0-9][0-9][0-9]_*.sql"))


def is_lock_conflict(message: str) -> bool:
    return (
        "lock" in message.lower()
        and "conflict" in message.lower()
        or ("Could not set lock" in message)
    )


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply sql/schema/NNN_*.sql files not yet recorded, each in its own transaction."""
    con.execute(write("create_schema_migrations"))
    applied = {row[0] for row in con.execute(query("applied_migrations")).fetchall()}
    done = []
    for path in schema_files():
        version = int(path.name[:3])
        if version in applied:
            continue
        con.execute("begin transaction")
        try:
            con.execute(path.read_text(encoding="utf-8"))
            insert_rows(con, "schema_migrations", [SchemaMigrationRow(version, path.name)])
            con.execute("commit")
        except duckdb.Error:
            con.execute("rollback")
            raise
        done.append(path.name)
    return done


def insert_rows(
    con: duckdb.DuckDBPyConnection,
    table: str,
    rows: Sequence[object],
    on_conflict: str = "",
    replace: bool = False,
) -> None:
    """Insert rows of the table's row type (rows.TABLE_ROWS) by column name, each field
    into the column of its name: one statement with parameters for one row, one bulk
    "insert … select" from a frame for many. on_conflict is the statement's conflict
    clause ("on conflict do nothing"); replace makes it "insert or replace"."""
    if not rows:
        return
    kind = TABLE_ROWS[table]
    if not all(type(row) is kind for row in rows):
        raise TypeError(f"{table} takes {kind.__name__} rows")
    columns = [f.name for f in fields(kind)]
    names = ", ".join(columns)
    verb = "insert or replace" if replace else "insert"
    values = [[getattr(row, column) for column in columns] for row in rows]
    if len(values) == 1:
        marks = ", ".join("?" for _ in columns)
        con.execute(f"{verb} into {table} ({names}) values ({marks}) {on_conflict}", values[0])
        return
    import pandas as pd  # only for many rows: the read-only commands never get here

    frame = pd.DataFrame(values, columns=columns, dtype=object)
    con.register("_claimwatch_rows", frame)
    try:
        con.execute(
            f"{verb} into {table} ({names}) select {names} from _claimwatch_rows {on_conflict}"
        ).fetchall()
    finally:
        con.unregister("_claimwatch_rows")
