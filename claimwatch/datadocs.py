"""Data Docs that render offline: Great Expectations' pages load Bootstrap, jQuery, Font
Awesome and Vega from public CDNs (and a logo from S3 with the context's id in its
query). claimwatch copies vendored copies of those files into the site and points every
page it renders at them, so a page opened from disk, copied or served makes no request
outside its own folder. The files and their licences: claimwatch/static/datadocs/SOURCES.md."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

VENDOR_SOURCE = Path(__file__).parent / "static" / "datadocs" / "vendor"
# Where the vendored files go inside a Data Docs site (GX keeps its own files in static/).
VENDOR_DIR = Path("static") / "vendor"

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


def offline_page(html: str, page_dir_to_site: str) -> str:
    """Return a Data Docs page whose assets are the site's own: CDN addresses replaced by
    the vendored copies, GX's logos by the site's copy, anything else outside dropped.
    page_dir_to_site is the relative path from the page's folder to the site's root."""
    prefix = f"{page_dir_to_site}/" if page_dir_to_site not in ("", ".") else ""
    for url, local in LOCAL_COPIES.items():
        html = html.replace(url, f"{prefix}{VENDOR_DIR.as_posix()}/{local}")
    html = GX_LOGO.sub(
        lambda m: f"{prefix}static/images/{LOGO_FILES.get(m['name'], 'logo-long.png')}", html
    )
    html = INTEGRITY.sub("", html)
    for pattern in OUTSIDE_LOADS:
        html = pattern.sub("", html)
    return html


def make_offline(site: Path, pages: Iterable[Path]) -> int:
    """Install the vendored files in the site and rewrite the given pages (those GX just
    rendered); return how many pages changed."""
    install_vendor_files(site)
    changed = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        rewritten = offline_page(html, os.path.relpath(site, page.parent).replace(os.sep, "/"))
        if rewritten != html:
            page.write_text(rewritten, encoding="utf-8")
            changed += 1
    return changed


def rendered_since(site: Path, started: float) -> list[Path]:
    """Return the site's HTML pages written at or after started (a time.time() value)."""
    return [page for page in site.rglob("*.html") if page.stat().st_mtime >= started]
