"""The review dashboard: a static HTML site built from the database, opened from disk.

index.html lists articles by title and date with their scorecards and run status;
claims.html lists every claim of every article; articles/<id>.html shows an article's
text with every claim's span in its verdict's colour and, on click, the claim's slots,
verdict, review and evidence (contradicting first). Claim lists filter by verdict,
outlet, review and text, and sort (report.js). runs.html lists runs with their
expectations passed and failed, quarantine reasons and links to their Data Docs pages,
copied into the site (datadocs/) so every link is relative: the folder can be copied or
served as it is. schema.html lists every table and view with its columns."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

import duckdb
from jinja2 import Environment, PackageLoader, select_autoescape

from claimwatch import store
from claimwatch.config import Settings
from claimwatch.datadocs import INLINE_DIR, OWN_DIR, OWN_SCRIPTS, published_page
from claimwatch.fetch import normalised_or_none
from claimwatch.safewrite import MANIFEST, OutputFolder
from claimwatch.sources import is_remote
from claimwatch.stance.wording import in_words
from claimwatch.titles import article_title, body_start

T = TypeVar("T")
# NEUTRAL candidates shown per claim besides every SUPPORTS / REFUTES row.
NEUTRAL_SHOWN = 3
# Where the site keeps its copy of the Data Docs, so links to them stay relative.
DATA_DOCS = "datadocs"
# The files every page loads, copied beside the pages.
STATIC_FILES = ("report.css", "report.js")
TEMPLATES = Path(__file__).parent / "templates"
# What a site holds at its top: a folder holding nothing else, with claimwatch's index,
# is a site an older claimwatch wrote before it listed its files (see older_site).
SITE_ENTRIES = frozenset(
    {"index.html", "claims.html", "runs.html", "schema.html", "articles", DATA_DOCS, MANIFEST}
    | set(STATIC_FILES)
)
SITE_INDEX_TITLE = "<title>claimwatch: articles</title>"
VERDICTS = ("SUPPORTED", "CONTRADICTED", "DISPUTED", "NOT ENOUGH INFO")
# Every dashboard page's Content-Security-Policy: report.js and report.css beside it, and
# nothing inline, so no text from an article or a source can run as script or load a file.
DASHBOARD_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'"
)
VERDICT_CLASS = {
    "SUPPORTED": "supported",
    "CONTRADICTED": "contradicted",
    "DISPUTED": "disputed",
    "NOT ENOUGH INFO": "nei",
    None: "unpublished",
}


@dataclass(frozen=True)
class Segment:
    """A stretch of article text and the claim it shows (the shortest covering it)."""

    text: str
    claim_id: str | None
    css: str


def segments(text: str, spans: Sequence[tuple[int, int, str, str | None]]) -> list[Segment]:
    """Cut text at every claim boundary; each piece belongs to the shortest claim span
    covering it, so nested claims (an atomic claim inside a compound one) stay clickable."""
    cuts = sorted(
        {0, len(text), *(p for s, e, _, _ in spans for p in (s, e) if 0 <= p <= len(text))}
    )
    pieces = []
    for start, end in pairwise(cuts):
        covering = [sp for sp in spans if sp[0] <= start and end <= sp[1]]
        if covering:
            _, _, claim_id, verdict = min(covering, key=lambda sp: (sp[1] - sp[0], sp[2]))
            pieces.append(Segment(text[start:end], claim_id, VERDICT_CLASS.get(verdict, "nei")))
        else:
            pieces.append(Segment(text[start:end], None, ""))
    return pieces


def docs_link(docs_path: str | None, docs_dir: Path | None) -> str | None:
    """Return the site-relative link of a run's Data Docs page (under datadocs/), or None
    when the page is not in the Data Docs folder the site copies."""
    if not docs_path or docs_dir is None:
        return None
    try:
        inside = Path(docs_path).resolve().relative_to(docs_dir.resolve())
    except ValueError:
        return None
    return f"{DATA_DOCS}/{inside.as_posix()}"


def copy_data_docs(docs_dir: Path, folder: OutputFolder) -> None:
    """Copy the Data Docs folder into the site's datadocs/, every page as claimwatch
    publishes it (datadocs.published_page: pages rendered by an older claimwatch get
    their Content-Security-Policy and lose any inline script too); files already
    copied unchanged are left as they are."""
    for source in sorted(docs_dir.rglob("*")):
        if source.is_symlink() or not source.is_file():
            continue
        relative = f"{DATA_DOCS}/{source.relative_to(docs_dir).as_posix()}"
        if relative in folder.written:
            continue
        if source.suffix != ".html":
            folder.copy(source, relative)
            continue
        to_root = os.path.relpath(docs_dir, source.parent).replace(os.sep, "/")
        page = published_page(source.read_text(encoding="utf-8"), to_root)
        folder.write_text(relative, page.html)
        for name, body in page.scripts.items():
            script = f"{DATA_DOCS}/{INLINE_DIR.as_posix()}/{name}"
            if script not in folder.written:
                folder.write_text(script, body)
    for source in sorted(OWN_SCRIPTS.iterdir()):
        relative = f"{DATA_DOCS}/{OWN_DIR.as_posix()}/{source.name}"
        if relative not in folder.written:
            folder.copy(source, relative)


def older_site(root: Path) -> bool:
    """True when root holds only what a site holds, and claimwatch's index: a site an
    older claimwatch wrote, before it listed its files."""
    try:
        entries = set(os.listdir(root))
        index = (root / "index.html").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return entries <= SITE_ENTRIES and SITE_INDEX_TITLE in index


@dataclass(frozen=True)
class ArticleView:
    """An article on the index and its page (sql/queries/report_articles.sql)."""

    article_id: str
    origin: str
    published_date: date | None
    latest_run_id: str | None
    latest_status: str | None
    latest_reason: str | None
    published_run_id: str | None
    n_claims: int
    n_supported: int
    n_contradicted: int
    n_disputed: int
    n_unverified: int
    n_reviewed: int
    n_review_flags: int
    title: str = ""


@dataclass(frozen=True)
class ClaimView:
    """A claim with its published verdict (sql/queries/report_claims.sql)."""

    article_id: str
    claim_id: str
    claim_text: str
    kind: str
    speaker: str | None
    span_start: int
    span_end: int
    slots: str | None
    verdict: str | None
    machine_verdict: str | None
    confidence: float | None
    supporting_outlets: int | None
    contradicting_outlets: int | None
    reason: str | None
    human_reviewed: bool | None
    reviewer: str | None
    review_note: str | None
    review_disagrees: bool | None
    run_id: str | None
    outlets: list[str]
    position: int = 0  # in its article's claim list
    slot_list: tuple[dict, ...] = ()


@dataclass(frozen=True)
class EvidenceView:
    """A candidate sentence shown in a claim's panel (sql/queries/report_evidence.sql)."""

    claim_id: str
    outlet: str
    url: str | None
    stance: str
    similarity: float
    coverage: float
    reasons: str
    sentence_text: str

    @property
    def said(self) -> str:
        """The reasons in words (the rule ids and findings stay in the tooltip)."""
        return in_words(self.reasons or "")


@dataclass(frozen=True)
class MemoryView:
    """An earlier appearance of a claim or a fact check its cluster matched
    (sql/queries/report_memory.sql)."""

    claim_id: str
    kind: str  # appearance | fact_check
    source: str
    url: str | None
    text: str
    rating: str | None
    day: str | None


@dataclass(frozen=True)
class RunView:
    """A run on the runs page (sql/queries/report_runs.sql)."""

    run_id: str
    article_id: str
    status: str
    failure_reason: str | None
    docs_path: str | None
    n_expectations: int | None
    n_expectations_failed: int | None
    started_at: datetime | None
    finished_at: datetime | None
    seconds: float | None
    docs_link: str | None = None


@dataclass(frozen=True)
class SchemaColumn:
    """A column of a table or view (sql/queries/report_schema.sql)."""

    table_name: str
    table_type: str
    column_name: str
    data_type: str
    ordinal_position: int


def rows_as(
    con: duckdb.DuckDBPyConnection, name: str, kind: type[T], params: dict | None = None
) -> list[T]:
    """Return the rows of sql/queries/<name>.sql as kind, each column into its field."""
    cursor = con.execute(store.query(name), params or {})
    names = [d[0] for d in cursor.description]
    return [kind(**dict(zip(names, row))) for row in cursor.fetchall()]


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("claimwatch", "templates"), autoescape=select_autoescape(["html"])
    )
    env.globals["verdict_class"] = lambda verdict: VERDICT_CLASS.get(verdict, "nei")
    env.globals["policy"] = DASHBOARD_POLICY
    env.filters["http_url"] = http_url
    return env


def outlets_of(claims: Sequence[ClaimView]) -> list[str]:
    """Return the outlets that took a side on any of the claims, sorted, for a filter."""
    return sorted({outlet for claim in claims for outlet in claim.outlets})


def http_url(url: str | None) -> str | None:
    """Return url when it is a well-formed http(s) URL, the only kind the dashboard links
    to; a registry's "javascript:…" or "file:…" is shown as text, never as a link."""
    return normalised_or_none(url) if url and is_remote(url) else None


def build_report(
    con: duckdb.DuckDBPyConnection, out_dir: Path, docs_dir: Path | None = None, force: bool = False
) -> dict[str, int]:
    """Write the site under out_dir (with a copy of the Data Docs in docs_dir, when
    given, that its run pages link to) and return what it holds. out_dir is new, empty or
    a site claimwatch wrote (else UnsafeWrite, unless force; see claimwatch.safewrite)."""
    env = environment()
    texts = dict(con.execute(store.query("report_article_texts")).fetchall())
    articles = [
        replace(a, title=article_title(texts[a.article_id]))
        for a in rows_as(con, "report_articles", ArticleView)
    ]
    claims: list[ClaimView] = []
    by_article: dict[str, list[ClaimView]] = {}
    for claim in rows_as(con, "report_claims", ClaimView):
        mine = by_article.setdefault(claim.article_id, [])
        claim = replace(claim, position=len(mine), slot_list=tuple(json.loads(claim.slots or "[]")))
        mine.append(claim)
        claims.append(claim)
    by_claim: dict[str, list[EvidenceView]] = {}
    for row in rows_as(con, "report_evidence", EvidenceView, {"neutral_shown": NEUTRAL_SHOWN}):
        by_claim.setdefault(row.claim_id, []).append(row)
    remembered: dict[str, list[MemoryView]] = {}
    for row in rows_as(con, "report_memory", MemoryView):
        remembered.setdefault(row.claim_id, []).append(row)
    runs = [
        replace(run, docs_link=docs_link(run.docs_path, docs_dir))
        for run in rows_as(con, "report_runs", RunView)
    ]
    tables: dict[str, list[SchemaColumn]] = {}
    for column in rows_as(con, "report_schema", SchemaColumn):
        tables.setdefault(column.table_name, []).append(column)
    titles = {a.article_id: a for a in articles}
    with OutputFolder(out_dir, force, adopt=older_site) as folder:
        if docs_dir is not None and docs_dir.is_dir():
            copy_data_docs(docs_dir, folder)
        for name in STATIC_FILES:
            folder.copy(TEMPLATES / name, name)
        page = env.get_template("article.html")
        for article in articles:
            article_id = article.article_id
            article_claims = by_article.get(article_id, [])
            text = texts[article_id]
            start = body_start(text)
            spans = [
                (c.span_start - start, c.span_end - start, c.claim_id, c.verdict)
                for c in article_claims
            ]
            html = page.render(
                article=article,
                pieces=segments(text[start:], spans),
                claims=article_claims,
                evidence=by_claim,
                memory=remembered,
                runs=[r for r in runs if r.article_id == article_id],
                outlets=outlets_of(article_claims),
                verdicts=VERDICTS,
            )
            folder.write_text(f"articles/{article_id}.html", html)
        folder.write_text(
            "index.html",
            env.get_template("index.html").render(
                articles=articles, n_runs=len(runs), n_claims=len(claims)
            ),
        )
        folder.write_text(
            "claims.html",
            env.get_template("claims.html").render(
                claims=claims, articles=titles, outlets=outlets_of(claims), verdicts=VERDICTS
            ),
        )
        folder.write_text("runs.html", env.get_template("runs.html").render(runs=runs))
        folder.write_text(
            "schema.html", env.get_template("schema.html").render(tables=list(tables.items()))
        )
    return {"articles": len(articles), "claims": len(claims), "runs": len(runs)}


def build_site(settings: Settings, out: Path, force: bool = False) -> dict[str, int]:
    """Build the dashboard of the settings' database under out, read-only, with a copy of
    its Data Docs; return what it holds. Raises StoreError, UnsafeWrite for a folder it
    may not fill, or OSError when out cannot be written."""
    con = store.connect(settings.db_path, read_only=True, wait_s=settings.read_wait_s)
    try:
        return build_report(con, out, settings.docs_dir, force)
    finally:
        con.close()
