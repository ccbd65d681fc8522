"""Data Docs that render offline and run no injected script.

Great Expectations' pages load Bootstrap, jQuery, Font Awesome and Vega from public CDNs
(and a logo from S3 with the context's id in its query). claimwatch copies vendored copies
of those files into the site and points every page it renders at them, so a page opened
from disk, copied or served makes no request outside its own folder. The files and their
licences: claimwatch/static/datadocs/SOURCES.md.

GX writes a failing value into its page as it is, markup and all. So before a page is
rendered every value in the stored validation result is HTML-escaped (escaped_results),
and every page carries a Content-Security-Policy that runs scripts from the site's own
files only: GX's own inline scripts move into files of the site (those on a list of
known hashes, and its table set-up once its data is checked to be literal data), its
few onclick handlers become data attributes a vendored script serves, and any other
inline script or handler is dropped."""

from __future__ import annotations

import ast
import copy
import hashlib
import html as html_text
import os
import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATADOCS_STATIC = Path(__file__).parent / "static" / "datadocs"
VENDOR_SOURCE = DATADOCS_STATIC / "vendor"
# claimwatch's own script for the pages (handlers.js), copied beside the vendored files.
OWN_SCRIPTS = DATADOCS_STATIC / "claimwatch"
KNOWN_INLINE_SCRIPTS = DATADOCS_STATIC / "inline-scripts.txt"
# Where the vendored files go inside a Data Docs site (GX keeps its own files in static/).
VENDOR_DIR = Path("static") / "vendor"
OWN_DIR = VENDOR_DIR / "claimwatch"
# Where GX's inline scripts go once moved out of their pages, each named by its hash.
INLINE_DIR = Path("static") / "inline"
# The policy of every Data Docs page: scripts, fonts and images from the site's own files
# only (inline styles stay: GX's templates use them, and a style runs no code).
DATA_DOCS_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; base-uri 'none'; form-action 'none'"
)
POLICY_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>', re.IGNORECASE)
HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script>(?P<body>.*?)</script>", re.IGNORECASE | re.DOTALL)
# A start tag, and an event handler attribute in it, quoted or not; and the calls GX's
# buttons make, the same list handlers.js serves.
START_TAG = re.compile(r"<[a-zA-Z][^<>]*>")
HANDLER = re.compile(
    r"""\s+on[a-z]+\s*=\s*(?:"(?P<call>[^"]*)"|'[^']*'|[^\s'">]+)""", re.IGNORECASE
)
KNOWN_CALL = re.compile(
    r"(showAllValidations|hideSucceededValidations|clearTableFilters)\((?:'[\w-]*')?\)"
)
# GX's table set-up on the index page: a bootstrap-table call whose columns, data and
# options are written as Python literals, then a row-click handler.
TABLE_SETUP = re.compile(
    r"""\s*\$\('\#(?P<table>[\w-]+)'\)\.bootstrapTable\(\s*Object\.assign\(\s*\{\s*
    columns:\s*(?P<columns>\[.*?\]),\s*data:\s*(?P<data>\[.*\]),\s*
    toolbar:\s*'\#[\w-]+'\s*\},\s*(?P<options>\{[^{}]*\})\s*\)\s*\);\s*
    \$\(document\)\.ready\(function\(\)\s*\{\s*
    \$\("\#(?P=table)"\)\.on\('click-row\.bs\.table',\s*function\(e,\s*row,\s*\$element\)\s*\{\s*
    window\.location\s*=\s*\$element\.data\("href"\);\s*\}\)\s*\}\s*\);\s*""",
    re.DOTALL | re.VERBOSE,
)
# A failing value as a Data Docs page shows it: escaped, and cut to this many characters.
SHOWN_VALUE_CHARS = 200

# Each CDN address GX's templates use, and the vendored file that stands in for it.
LOCAL_COPIES: dict[str, str] = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "bootstrap/bootstrap.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "bootstrap-table/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "bootstrap-table/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": "bootstrap-table/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": "bootstrap-table/bootstrap-table-filter-control.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": "bootstrap-table/bootstrap-table-filter-control.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": "bootstrap-datepicker/bootstrap-datepicker.min.css",
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": "bootstrap-datepicker/bootstrap-datepicker.min.js",
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": "bootstrap-dark/bootstrap-prefers-dark.css",
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "fontawesome/css/all.min.css",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "popper/popper.min.js",
    "https://cdn.jsdelivr.net/npm/vega@5": "vega/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega/vega-embed.min.js",
}
# GX's logos on S3 (one with a tracking query); the site has its own copy in static/images.
GX_LOGO = re.compile(
    r"https://great-expectations-web-assets\.s3[\w.-]*\.amazonaws\.com/"
    r"(?P<name>[\w-]+)\.png(?:\?[^\"')\s]*)?"
)
LOGO_FILES = {"logo-long": "logo-long.png", "full_logo_dark": "logo-long.png"}
# Subresource-integrity and CORS attributes: the local files need neither, and
# crossorigin="anonymous" makes a browser refuse a script opened from file://.
INTEGRITY = re.compile(r'\s+(?:integrity="[^"]*"|crossorigin="[^"]*")')
# Any remaining resource a page would load from elsewhere (a new GX release may add one):
# dropped rather than fetched. Links a reader clicks (<a href>) are not loads and stay.
OUTSIDE_LOADS = (
    re.compile(r'<script\b[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>', re.IGNORECASE),
    re.compile(r'<link\b[^>]*\bhref="https?://[^"]*"[^>]*/?>', re.IGNORECASE),
    re.compile(r'<img\b[^>]*\bsrc="https?://[^"]*"[^>]*/?>', re.IGNORECASE),
)


def copy_changed(source_dir: Path, target_dir: Path) -> None:
    """Copy every file under source_dir to the same place under target_dir, skipping a file
    already copied unchanged (same size, copy no older: copies keep their source's time)."""
    for source in source_dir.rglob("*"):
        if not source.is_file():
            continue
        target = target_dir / source.relative_to(source_dir)
        stat = source.stat()
        if target.exists():
            copied = target.stat()
            if copied.st_size == stat.st_size and copied.st_mtime >= stat.st_mtime:
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def install_vendor_files(site: Path) -> None:
    """Copy the vendored files into the site (once: they never change within a release)."""
    copy_changed(VENDOR_SOURCE, site / VENDOR_DIR)
    copy_changed(OWN_SCRIPTS, site / OWN_DIR)


def shown_value(value: object) -> object:
    """Return a stored validation value as a page may show it raw: every string in it
    HTML-escaped and cut to SHOWN_VALUE_CHARS, lists and mappings item by item."""
    if isinstance(value, str):
        cut = value if len(value) <= SHOWN_VALUE_CHARS else value[: SHOWN_VALUE_CHARS - 1] + "…"
        return html_text.escape(cut, quote=True)
    if isinstance(value, Mapping):
        return {key: shown_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(shown_value(item) for item in value)
    return value


def escaped_results(validation):
    """Return a copy of a suite's validation result (GX's ExpectationSuiteValidationResult)
    whose expectation results and errors hold only shown values, for rendering."""
    safe = copy.deepcopy(validation)
    for outcome in safe.results:
        outcome.result = shown_value(outcome.result or {})
        if outcome.exception_info:
            outcome.exception_info = shown_value(outcome.exception_info)
    return safe


@cache
def known_inline_scripts() -> frozenset[str]:
    """Return the SHA-256 of each inline script of GX's templates that holds no data."""
    lines = KNOWN_INLINE_SCRIPTS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.split()[0] for line in lines if line and not line.startswith("#"))


def table_setup(script: str) -> bool:
    """True when an inline script is GX's table set-up with literal data only (the page's
    run names, suites and links): nothing in it can run but the table's own calls."""
    match = TABLE_SETUP.fullmatch(script)
    if match is None:
        return False
    try:
        for part in ("columns", "data", "options"):
            ast.literal_eval(match[part])
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def script_name(script: str) -> str:
    return hashlib.sha256(script.encode("utf-8")).hexdigest()[:32] + ".js"


@dataclass(frozen=True)
class SafePage:
    """A page rewritten to run only the site's own files, and the scripts moved out of it
    (file name under INLINE_DIR -> text)."""

    html: str
    scripts: dict[str, str]
    dropped: int  # inline scripts and handlers removed as not GX's own


def script_safe_page(html: str, prefix: str) -> SafePage:
    """Return the page with its Content-Security-Policy, GX's own inline scripts moved to
    files, its known handlers made data attributes, and every other inline script or
    handler removed. prefix leads from the page's folder to the site's root ("../" or "")."""
    scripts: dict[str, str] = {}
    dropped = 0

    def move_out(match: re.Match) -> str:
        nonlocal dropped
        body = match["body"]
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        if digest not in known_inline_scripts() and not table_setup(body):
            dropped += 1
            return ""
        name = script_name(body)
        scripts[name] = body
        return f'<script src="{prefix}{INLINE_DIR.as_posix()}/{name}"></script>'

    def handler(match: re.Match) -> str:
        nonlocal dropped
        if match["call"] is not None and KNOWN_CALL.fullmatch(match["call"]):
            return f' data-gx-click="{match["call"]}"'
        dropped += 1
        return ""

    html = INLINE_SCRIPT.sub(move_out, html)
    html = START_TAG.sub(lambda tag: HANDLER.sub(handler, tag[0]), html)
    own = f'<script src="{prefix}{OWN_DIR.as_posix()}/handlers.js"></script>'
    if own not in html:
        html = html.replace("</body>", f"{own}\n</body>", 1)
    return SafePage(with_policy(html, DATA_DOCS_POLICY), scripts, dropped)


def with_policy(html: str, policy: str) -> str:
    """Return the page with policy as its Content-Security-Policy, first in its head."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    html = POLICY_META.sub("", html)
    head = HEAD.search(html)
    if head is None:
        return meta + html
    return html[: head.end()] + meta + html[head.end() :]


def offline_page(html: str, page_dir_to_site: str) -> str:
    """Return a Data Docs page whose assets are the site's own: CDN addresses replaced by
    the vendored copies, GX's logos by the site's copy, anything else outside dropped.
    page_dir_to_site is the relative path from the page's folder to the site's root."""
    prefix = site_prefix(page_dir_to_site)
    for url, local in LOCAL_COPIES.items():
        html = html.replace(url, f"{prefix}{VENDOR_DIR.as_posix()}/{local}")
    html = GX_LOGO.sub(
        lambda m: f"{prefix}static/images/{LOGO_FILES.get(m['name'], 'logo-long.png')}", html
    )
    html = INTEGRITY.sub("", html)
    for pattern in OUTSIDE_LOADS:
        html = pattern.sub("", html)
    return html


def site_prefix(page_dir_to_site: str) -> str:
    return f"{page_dir_to_site}/" if page_dir_to_site not in ("", ".") else ""


def published_page(html: str, page_dir_to_site: str) -> SafePage:
    """Return a Data Docs page as claimwatch publishes it: offline, and script-safe."""
    return script_safe_page(offline_page(html, page_dir_to_site), site_prefix(page_dir_to_site))


def make_offline(site: Path, pages: Iterable[Path]) -> int:
    """Install the vendored files in the site and rewrite the given pages (those GX just
    rendered) as published_page does, their inline scripts written under INLINE_DIR;
    return how many pages changed."""
    install_vendor_files(site)
    changed = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        rewritten = published_page(html, os.path.relpath(site, page.parent).replace(os.sep, "/"))
        for name, body in rewritten.scripts.items():
            target = site / INLINE_DIR / name
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(body, encoding="utf-8")
        if rewritten.html != html:
            page.write_text(rewritten.html, encoding="utf-8")
            changed += 1
    return changed


def rendered_since(site: Path, started: float) -> list[Path]:
    """Return the site's HTML pages written at or after started (a time.time() value)."""
    return [page for page in site.rglob("*.html") if page.stat().st_mtime >= started]
