"""The review dashboard: a static HTML site built from the database, opened from disk.

index.html lists articles with their scorecards and run status; articles/<id>.html shows
an article's text with every claim's span in its verdict's colour and, on click, the
claim's slots, verdict, review and evidence (contradicting first); runs.html lists runs
with quarantine reasons and links to their Data Docs pages; schema.html lists every table
and view with its columns."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import duckdb
from jinja2 import Environment, PackageLoader, select_autoescape

from claimwatch import store
from claimwatch.fetch import normalised_or_none
from claimwatch.sources import is_remote

# NEUTRAL candidates shown per claim besides every SUPPORTS / REFUTES row.
NEUTRAL_SHOWN = 3
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


def rows_of(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None) -> list[dict]:
    cursor = con.execute(store.query(name), params or {})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("claimwatch", "templates"), autoescape=select_autoescape(["html"])
    )
    env.globals["verdict_class"] = lambda verdict: VERDICT_CLASS.get(verdict, "nei")
    env.filters["http_url"] = http_url
    return env


def http_url(url: str | None) -> str | None:
    """Return url when it is a well-formed http(s) URL, the only kind the dashboard links
    to; a registry's "javascript:…" or "file:…" is shown as text, never as a link."""
    return normalised_or_none(url) if url and is_remote(url) else None


def build_report(con: duckdb.DuckDBPyConnection, out_dir: Path) -> dict[str, int]:
    """Write the site under out_dir and return what it holds."""
    env = environment()
    articles = rows_of(con, "report_articles")
    claims = rows_of(con, "report_claims")
    evidence = rows_of(con, "report_evidence", {"neutral_shown": NEUTRAL_SHOWN})
    runs = rows_of(con, "report_runs")
    texts = dict(con.execute("select article_id, article_text from articles").fetchall())
    by_article: dict[str, list[dict]] = {}
    for claim in claims:
        claim["slot_list"] = json.loads(claim["slots"] or "[]")
        by_article.setdefault(claim["article_id"], []).append(claim)
    by_claim: dict[str, list[dict]] = {}
    for row in evidence:
        by_claim.setdefault(row["claim_id"], []).append(row)
    (out_dir / "articles").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(Path(__file__).parent / "templates" / "report.css", out_dir / "report.css")
    page = env.get_template("article.html")
    for article in articles:
        article_claims = by_article.get(article["article_id"], [])
        spans = [
            (c["span_start"], c["span_end"], c["claim_id"], c["verdict"]) for c in article_claims
        ]
        html = page.render(
            article=article,
            pieces=segments(texts[article["article_id"]], spans),
            claims=article_claims,
            evidence=by_claim,
            runs=[r for r in runs if r["article_id"] == article["article_id"]],
        )
        (out_dir / "articles" / f"{article['article_id']}.html").write_text(html, encoding="utf-8")
    (out_dir / "index.html").write_text(
        env.get_template("index.html").render(articles=articles, n_runs=len(runs)),
        encoding="utf-8",
    )
    (out_dir / "runs.html").write_text(
        env.get_template("runs.html").render(runs=runs), encoding="utf-8"
    )
    tables: dict[str, list[dict]] = {}
    for column in rows_of(con, "report_schema"):
        tables.setdefault(column["table_name"], []).append(column)
    (out_dir / "schema.html").write_text(
        env.get_template("schema.html").render(tables=list(tables.items())), encoding="utf-8"
    )
    return {"articles": len(articles), "claims": len(claims), "runs": len(runs)}
