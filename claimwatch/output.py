"""How the command line shows things: the consoles (stdout for results, stderr for
errors and warnings), one-line errors with their exit codes, tables in table, csv or
json, the verdict and batch tables, and a batch's progress. No command logic here."""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.segment import Segment
from rich.status import Status
from rich.table import Table

# Piped or logged output has no terminal width; rich would squeeze tables into 80 columns
# and cut every cell, so off a terminal the width follows $COLUMNS or a generous default.
PIPED_WIDTH = 200


def visible(text: str, keep: str = "") -> str:
    """Return text with every character a terminal would act on rather than show (control
    characters such as ESC and newline, bidirectional overrides, zero-width and other
    format characters) written as its Python escape ("\\x1b", "\\u202e"); those in
    keep stay as they are."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in keep else ascii(ch)[1:-1] for ch in text)


class SafeConsole(Console):
    """A console that never writes a raw escape sequence, control or bidirectional
    character of what it shows: an article, a note or a file name cannot clear the
    screen, plant a link or reorder a line. Its own styling is written as rich renders
    it; the line breaks of its layout are kept."""

    def _render_buffer(self, buffer) -> str:
        return super()._render_buffer(
            segment if segment.control else Segment(visible(segment.text, "\n"), *segment[1:])
            for segment in buffer
        )


console = SafeConsole(width=None if sys.stdout.isatty() or "COLUMNS" in os.environ else PIPED_WIDTH)


errors = SafeConsole(stderr=True)


VERDICT_STYLE = {
    "SUPPORTED": "green",
    "CONTRADICTED": "red",
    "DISPUTED": "yellow",
    "NOT ENOUGH INFO": "dim",
}


EXIT_BAD_INPUT = 2


EXIT_QUARANTINED = 3


# An error inside a run (a fault of claimwatch's, not the input's): the run is marked failed.
EXIT_FAILED = 4


# Another process kept the database or its writer lock past the wait: try again later.
EXIT_BUSY = 5


class OutputFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


# An error is one line a person reads; the whole story stays in the database (runs).
MAX_MESSAGE_CHARS = 300


def one_line_message(message: str, limit: int = MAX_MESSAGE_CHARS) -> str:
    """Return message on one line of at most limit characters, cut with "…", anything a
    terminal would act on shown escaped."""
    flat = visible(" ".join(message.split()))
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def fail(message: str, code: int = EXIT_BAD_INPUT) -> None:
    """Print a one-line error (at most MAX_MESSAGE_CHARS) and exit non-zero."""
    errors.print(
        f"[bold red]error:[/] {escape(one_line_message(message))}",
        highlight=False,
        soft_wrap=True,
        markup=True,
    )
    raise typer.Exit(code)


def fail_for(err: Exception) -> None:
    """Fail with err's one-line message: busy when another process kept the database,
    else bad input."""
    from claimwatch.errors import StoreBusy

    fail(str(err), EXIT_BUSY if isinstance(err, StoreBusy) else EXIT_BAD_INPUT)


def warn(message: str) -> None:
    """A warning on stderr: the run goes on."""
    errors.print(f"[yellow]warning[/]: {cell(message)}", soft_wrap=True)


def show(status: Status, message: str) -> None:
    """Progress on the spinner; waits on another process also on stderr, where logs see them."""
    if message.startswith("waiting"):
        errors.print(message, soft_wrap=True)
    status.update(message)


@dataclass
class BatchRow:
    article: str
    status: str
    claims: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    reason: str = ""


class BatchProgress:
    """claimwatch.batch.Reporter for a terminal: a rich progress bar per stage; piped, a
    plain line per stage and per article's outcome."""

    def __init__(self, bar) -> None:
        self.bar = bar
        self.task = None

    def stage(self, name: str, total: int) -> None:
        if console.is_terminal:
            self.task = self.bar.add_task(name, total=total)
        else:
            console.print(f"{name}: {total} to go", soft_wrap=True)

    def advance(self, steps: int = 1) -> None:
        if self.task is not None:
            self.bar.advance(self.task, steps)

    def say(self, message: str) -> None:
        if message.startswith("waiting"):
            errors.print(message, soft_wrap=True)

    def warn(self, message: str) -> None:
        warn(message)

    def finished(self, run) -> None:
        if console.is_terminal:
            return
        if run.error is not None:
            console.print(
                f"unreadable {cell(run.target)}: {cell(one_line_message(str(run.error)))}",
                soft_wrap=True,
            )
        elif run.summary is not None:
            summary = run.summary
            why = (
                f": {summary.failure_reason}"
                if summary.status != "published" and summary.failure_reason
                else ""
            )
            console.print(f"{summary.status} {cell(run.target)}{cell(why)}", soft_wrap=True)


def stage_line(stages: Sequence[tuple[str, float]]) -> str:
    """Return the batch's seconds per stage, in stage order, and their sum."""
    parts = " · ".join(f"{stage} {seconds:.1f}" for stage, seconds in stages)
    return f"seconds per stage: {parts or 'none'} · all {sum(s for _, s in stages):.1f}"


def batch_table(rows: Sequence[BatchRow], settings) -> Table:
    """Return the summary of a batch: one line per article and the totals."""
    from claimwatch.verdict import VERDICTS

    totals: dict[str, int] = {}
    for row in rows:
        totals[row.status] = totals.get(row.status, 0) + 1
    title = f"{len(rows)} articles · " + " · ".join(f"{n} {s}" for s, n in sorted(totals.items()))
    verdict_totals = " · ".join(f"{sum(r.verdicts.get(v, 0) for r in rows)} {v}" for v in VERDICTS)
    caption = (
        f"{sum(r.claims for r in rows)} claims · {verdict_totals} · database {settings.db_path}"
    )
    table = Table(title=title, caption=caption, expand=False)
    for name in ("article", "status", "claims", *VERDICTS, "reason"):
        table.add_column(
            name, justify="left" if name in {"article", "status", "reason"} else "right"
        )
    for row in rows:
        table.add_row(
            cell(Path(row.article).name),
            row.status,
            str(row.claims),
            *(str(row.verdicts.get(v, 0)) for v in VERDICTS),
            cell(row.reason[:80]),
        )
    return table


SCORE_NOTE = re.compile(r";? ?similarity \d+, coverage [\d.]+")


def short_reason(reason: str) -> str:
    """Return a verdict reason without its score figures (kept in the database), for a table."""
    return SCORE_NOTE.sub("", reason).replace(": ·", " ·").rstrip(": ")


def verdict_table(rows: list[tuple], title: str) -> Table:
    table = Table(title=title, show_lines=False, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("claim", ratio=5)
    table.add_column("verdict", no_wrap=True)
    table.add_column("conf", justify="right", no_wrap=True)
    table.add_column("+/-", justify="center", no_wrap=True)
    table.add_column("why (best evidence)", ratio=3)
    for (
        _cid,
        sentence_index,
        text,
        speaker,
        via,
        verdict,
        confidence,
        n_sup,
        n_con,
        _outlet,
        _url,
        reason,
    ) in rows:
        said_by = f"{speaker}{', via ' + via if via else ''}"
        who = f" [dim]({cell(said_by)})[/]" if speaker else ""
        table.add_row(
            str(sentence_index),
            cell(text) + who,
            f"[{VERDICT_STYLE[verdict]}]{verdict}[/]",
            f"{confidence:.2f}",
            f"{n_sup}/{n_con}",
            cell(short_reason(reason)),
        )
    return table


def emit(names: list[str], rows: list[tuple], output: OutputFormat, title: str = "") -> None:
    """Write rows as JSON, CSV or a plain table on stdout."""
    emit_batches(names, iter([rows]), output, title)


def emit_batches(
    names: list[str],
    batches: Iterator[list[tuple]],
    output: OutputFormat,
    title: str = "",
    limit: int = 0,
) -> tuple[int, bool]:
    """Write rows that arrive in batches, at most limit of them (0: all): csv and json as
    they arrive, a table once all are in. Return (rows written, whether rows were left)."""
    written, left = 0, False
    kept: list[tuple] = []
    writer = csv.writer(sys.stdout) if output is OutputFormat.csv else None
    if writer is not None:
        writer.writerow(names)
    for batch in batches:
        if limit and written + len(batch) > limit:
            batch, left = batch[: limit - written], True
        if writer is not None:
            writer.writerows(terminal_safe(row) for row in batch)
        elif output is OutputFormat.json:
            for row in batch:
                record = json.dumps(dict(zip(names, row)), indent=2, default=str)
                sys.stdout.write(
                    ("[\n  " if not written else ",\n  ") + record.replace("\n", "\n  ")
                )
                written += 1
            continue
        else:
            kept += batch
        written += len(batch)
        if left:
            break
    if output is OutputFormat.json:
        sys.stdout.write("\n]\n" if written else "[]\n")
    elif output is OutputFormat.table:
        table = Table(title=title, expand=True)
        for name in names:
            table.add_column(cell(name))
        for row in kept:
            table.add_row(*(cell(v) for v in row))
        console.print(table)
    sys.stdout.flush()
    return written, left


def terminal_safe(row: Sequence[object]) -> Sequence[object]:
    """A csv row as written: on a terminal each text shown escaped (see visible), into a
    pipe or file every value as it is stored."""
    if not sys.stdout.isatty():
        return row
    return [visible(v) if isinstance(v, str) else v for v in row]


def shown(value: object) -> str:
    """A value as a table cell: a fraction to 2 decimals, a score to 1 (91.67 not
    91.66666666666667). Only the display rounds: csv and json carry the stored value."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


def cell(value: object) -> str:
    """A value as table markup: shown, escaped for the terminal, its brackets not markup."""
    return escape(visible(shown(value)))


def display_setting(value: object) -> str:
    """A setting's value as the environment would spell it."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, tuple):
        return ",".join(value)
    return "" if value is None else str(value)


def show_claim_scores(rows: Sequence, output: OutputFormat, show_misses: bool = False) -> None:
    """Print `eval claims` figures: one row per article and the overall row last."""
    from claimwatch.evaluate import SLOT_KINDS, misses_by_cause, score_record

    if output is OutputFormat.json:
        sys.stdout.write(json.dumps([score_record(s) for s in rows], indent=2) + "\n")
        return
    if output is OutputFormat.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(
            ["article", "n_extracted", "n_gold", "n_matched", "precision", "recall", "f1"]
            + list(SLOT_KINDS)
        )
        for s in rows:
            writer.writerow(
                [s.article, s.n_extracted, s.n_gold, s.n_matched]
                + [round(s.precision, 4), round(s.recall, 4), round(s.f1, 4)]
                + [s.slot_accuracy(k) for k in SLOT_KINDS]
            )
        return
    table = Table(title="claim extraction against gold", expand=False)
    table.add_column("article", no_wrap=True)
    for name in ("claims", "gold", "matched", "P", "R", "F1", *SLOT_KINDS):
        table.add_column(name, justify="right")
    for s in rows:
        slots = [f"{a:.2f}" if (a := s.slot_accuracy(k)) is not None else "-" for k in SLOT_KINDS]
        table.add_row(
            s.article,
            str(s.n_extracted),
            str(s.n_gold),
            str(s.n_matched),
            f"{s.precision:.2f}",
            f"{s.recall:.2f}",
            f"{s.f1:.2f}",
            *slots,
        )
    console.print(table)
    if not show_misses:
        return
    scores = rows[:-1]  # the last row is the overall score
    for cause, misses in misses_by_cause(scores).items():
        console.print(f"[bold]{cause}[/] ({len(misses)})")
        for miss in misses:
            console.print(f"  [yellow]missed[/] {miss.article}: {cell(miss.gold)}", soft_wrap=True)
            if miss.nearest:
                console.print(f"    nearest: {cell(miss.nearest)}", soft_wrap=True)
    for s in scores:
        for text in s.spurious:
            console.print(f"[red]extra[/]  {s.article}: {cell(text)}", soft_wrap=True)
        for rejected in s.rejected:
            console.print(
                f"[red]dropped[/] {s.article}: {cell(rejected.claim.text)} "
                f"({cell('; '.join(map(str, rejected.faults)))})",
                soft_wrap=True,
            )


def show_verdict_summary(summary, output: OutputFormat) -> None:
    """Print `eval verdicts` figures: the systems, recall, calibration, accuracy by
    article, and every labelled claim claimwatch got wrong."""
    from claimwatch.verdict_eval import accuracy_by_article, calibration, wrong_verdicts

    record = summary.as_dict()
    if output is OutputFormat.json:
        sys.stdout.write(json.dumps(record, indent=2) + "\n")
        return
    systems = record["systems"]
    if output is OutputFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(systems[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(systems)
        return
    results = summary.report.results
    table = Table(
        title=f"verdicts on {len(results)} labelled claims, "
        f"{len(summary.report.perturbations)} perturbations",
        expand=False,
    )
    headings = ("accuracy", "macro-F1", "false SUPPORTED (perturbed)", "CONTRADICTED (perturbed)")
    table.add_column("system", justify="left")
    for name in headings:
        table.add_column(name, justify="right")
    for row in systems:
        table.add_row(
            row["system"],
            f"{row['accuracy']:.2f}",
            f"{row['macro_f1']:.2f}",
            f"{row['false_supported_on_perturbations']:.2f}",
            f"{row['contradicted_on_perturbations']:.2f}",
        )
    console.print(table)
    if summary.recall is not None:
        console.print(
            "recall of the labelled best evidence among the top "
            f"{summary.top_k} candidates: {summary.recall:.2f}"
        )
    bins = Table(title="claimwatch calibration (reliability by confidence bin)")
    for name in ("confidence", "claims", "mean confidence", "accuracy"):
        bins.add_column(name, justify="right")
    for label, count, mean, acc in calibration(results):
        bins.add_row(label, str(count), f"{mean:.2f}", f"{acc:.2f}")
    console.print(bins)
    articles = Table(title="claimwatch accuracy by article")
    for name in ("article", "claims", "accuracy"):
        articles.add_column(name, justify="left" if name == "article" else "right")
    for name, n, acc in accuracy_by_article(results):
        articles.add_row(name, str(n), f"{acc:.2f}")
    console.print(articles)
    wrong = Table(title="claims claimwatch got wrong")
    for name in ("article", "claim", "expected", "claimwatch"):
        wrong.add_column(name, overflow="fold")
    for r in wrong_verdicts(results):
        wrong.add_row(r.article, cell(r.claim_text), r.expected, r.predicted["claimwatch"])
    console.print(wrong)
    for text in summary.report.unmatched:
        console.print(f"[yellow]no extracted claim matches gold[/] {cell(text)}", soft_wrap=True)
    for item in record["supported_perturbations"]:
        console.print(
            f"[red]perturbed ({item['kind']}) but SUPPORTED[/] {cell(item['claim'])}",
            soft_wrap=True,
        )


def show_published_verdicts(names: list[str], rows: list[tuple], output: OutputFormat) -> None:
    """Print `verdicts`: the published verdicts, reviewed ones and disagreements flagged."""
    if output is not OutputFormat.table:
        emit(names, rows, output)
        return
    table = Table(title="published verdicts", expand=True)
    for name in ("claim_id", "claim_text", "verdict", "confidence", "evidence_outlet"):
        table.add_column(name, no_wrap=name == "claim_id")
    for r in rows:
        row = dict(zip(names, r))
        reviewed = " (reviewed)" if row["human_reviewed"] else ""
        flag = " [red]! new evidence disagrees[/]" if row["review_disagrees"] else ""
        seen = row.get("seen_before")
        table.add_row(
            row["claim_id"],
            cell(row["claim_text"]) + (f"\n[dim]seen before: {cell(seen)}[/]" if seen else ""),
            f"[{VERDICT_STYLE[row['verdict']]}]{row['verdict']}[/]{reviewed}{flag}",
            f"{row['confidence']:.2f}",
            cell(row["evidence_outlet"] or ""),
        )
    console.print(table)


def show_stance_report(report, name: str, output: OutputFormat) -> None:
    """Print `eval stance`: the measures, then the confusion table (gold by judged)."""
    from dataclasses import asdict

    if output is OutputFormat.json:
        sys.stdout.write(json.dumps(asdict(report), indent=2) + "\n")
        return
    summary = [
        ("pairs", report.pairs),
        ("accuracy", report.accuracy),
        ("macro-F1", report.macro_f1),
        ("REFUTES judged SUPPORTS", report.refutes_called_supports),
        *((f"recall of {label}", share) for label, share in sorted(report.recall.items())),
        ("pairs per second", report.pairs_per_second),
    ]
    emit(["measure", "value"], summary, output, f"stance on {name}")
    predicted = sorted({p for row in report.confusion.values() for p in row})
    rows = [
        (gold, *(report.confusion[gold].get(p, 0) for p in predicted))
        for gold in sorted(report.confusion)
    ]
    emit(["gold \\ judged", *predicted], rows, output, "confusion")


def show_history(names: list[str], rows: list[tuple], output: OutputFormat) -> None:
    """Print `history`: every run with its status, counts, seconds and why."""
    if output is not OutputFormat.table:
        emit(names, rows, output)
        return
    table = Table(title="runs", expand=False)
    table.add_column("run", no_wrap=True)
    table.add_column("article", no_wrap=True)
    for name in ("status", "claims", "sources ok", "seconds", "why"):
        table.add_column(name, justify="right" if name == "seconds" else "left")
    for run_id, article_id, status, n_claims, n_ok, n_sources, duration, reason in rows:
        table.add_row(
            run_id,
            article_id,
            status,
            str(n_claims or 0),
            f"{n_ok or 0}/{n_sources or 0}",
            "" if duration is None else f"{duration:.1f}",
            cell(reason or ""),
        )
    console.print(table)
