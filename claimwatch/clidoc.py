"""The command reference (docs/cli.md), generated from the commands' own --help so it
cannot drift from them: `make docs` writes it, and a test fails when it is stale."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

# A fixed width and no colour, so the page is the same on every machine.
PAGE_WIDTH = 100
HEADER = """# Command reference

Generated from each command's `--help` by `make docs` (`python -m claimwatch.clidoc`);
`tests/test_project.py` fails when this page and the commands differ. Every command takes
`-h`. Exit codes: 0 done, 2 bad input or unknown id (a one-line error), 3 a run quarantined,
4 a run failed inside (recorded as failed), 5 the database stayed busy (another process had it).
"""


def command_paths(group: TyperGroup, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command's words, in the order they were declared, groups before their commands."""
    ctx = typer.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        path = (*prefix, name)
        yield path
        if isinstance(command, TyperGroup):
            yield from command_paths(command, path)


def help_text(app: typer.Typer, path: tuple[str, ...], width: int = PAGE_WIDTH) -> str:
    """Return the --help of the command at path as a terminal width columns wide shows
    it, without colour or trailing spaces."""
    env = {"COLUMNS": str(width), "NO_COLOR": "1", "TERM": "dumb"}
    result = CliRunner().invoke(app, [*path, "--help"], env=env)
    if result.exit_code != 0:
        raise RuntimeError(f"{' '.join(path)} --help failed: {result.output}")
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    return "\n".join(lines).strip("\n")


def reference(app: typer.Typer) -> str:
    """Return the command reference page for app."""
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    sections = [HEADER, "## claimwatch\n\n```\n" + help_text(app, ()) + "\n```\n"]
    for path in command_paths(group):
        title = "claimwatch " + " ".join(path)
        sections.append(f"## {title}\n\n```\n{help_text(app, path)}\n```\n")
    return "\n".join(sections)


if __name__ == "__main__":
    from claimwatch.cli import app

    sys.stdout.write(reference(app))
