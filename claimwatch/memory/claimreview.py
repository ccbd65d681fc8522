"""Reading published fact checks: schema.org ClaimReview as JSON-LD, pure.

A file may hold one ClaimReview object, a list of them, a JSON-LD `@graph`, a DataFeed
(`dataFeedElement`, each element a ClaimReview or a DataFeedItem whose `item` holds
them), or be a saved HTML page with the JSON-LD in its <script> tags (read by extruct).
Each ClaimReview becomes a FactCheck; an item that cannot be one is a Problem with one
line saying why. Ratings map to claimwatch's verdicts through data/ratings.csv (by
name) and data/rating_scale.csv (by value, for a name not listed)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from claimwatch.ids import content_id

DATA = Path(__file__).parent / "data"
# A ClaimReview file larger than this is refused whole (a DataFeed of every check a large
# publisher made is a few MB).
MAX_FILE_BYTES = 50_000_000
# A claim longer than this is not a claim but a pasted article.
MAX_CLAIM_CHARS = 2_000


@dataclass(frozen=True)
class FactCheck:
    claim_reviewed: str
    rating_text: str | None
    rating_value: float | None
    best_rating: float | None
    worst_rating: float | None
    label: str | None
    publisher: str | None
    review_url: str | None
    date_published: date | None
    claim_author: str | None
    appearances: tuple[str, ...]
    sd_license: str | None
    source_file: str

    @property
    def fact_check_id(self) -> str:
        return content_id("fact_check", self.review_url or "", self.claim_reviewed)


@dataclass(frozen=True)
class Problem:
    """An item or file that could not be read; `message` is one line."""

    source_file: str
    message: str

    def describe(self) -> str:
        return f"{self.source_file}: {self.message}"


def data_rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


@cache
def rating_names() -> dict[str, str]:
    return {row["rating"]: row["label"] for row in data_rows("ratings.csv")}


@cache
def rating_scale() -> list[tuple[float, float, str]]:
    return [(float(r["low"]), float(r["high"]), r["label"]) for r in data_rows("rating_scale.csv")]


def normalised_rating(name: str) -> str:
    return " ".join(name.lower().split()).strip(" .!\"'“”")


def rating_label(
    name: str | None, value: float | None, best: float | None, worst: float | None
) -> str | None:
    """Return the verdict a rating stands for, or None when the table does not know it."""
    if name and normalised_rating(name) in rating_names():
        return rating_names()[normalised_rating(name)]
    if value is None or best is None or worst is None or best == worst:
        return None
    position = (value - worst) / (best - worst)
    return next((label for low, high, label in rating_scale() if low <= position <= high), None)


def as_number(value: object) -> float | None:
    try:
        return float(value) if value is not None and str(value).strip() != "" else None
    except (TypeError, ValueError):
        return None


def as_date(value: object) -> date | None:
    """The date of an ISO date or date-time ("2026-11-30", "2026-11-30T09:00:00Z")."""
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def types_of(item: Mapping) -> set[str]:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1] for k in kinds if k}


def name_of(value: object) -> str | None:
    """The name of a Person or Organization (or the first of a list), or a plain string."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, Mapping):
        value = value.get("name")
    return " ".join(str(value).split()) if value else None


def urls_of(value: object) -> tuple[str, ...]:
    """The urls of an appearance: a CreativeWork, a url string, or a list of either."""
    items = value if isinstance(value, list) else [value]
    urls = []
    for item in items:
        url = item.get("url") if isinstance(item, Mapping) else item
        if isinstance(url, str) and url.strip():
            urls.append(url.strip())
    return tuple(dict.fromkeys(urls))


def claimreview_objects(data: object) -> Iterator[Mapping]:
    """Yield every ClaimReview object in parsed JSON-LD, wherever the shapes above put it."""
    if isinstance(data, list):
        for item in data:
            yield from claimreview_objects(item)
        return
    if not isinstance(data, Mapping):
        return
    if "ClaimReview" in types_of(data):
        yield data
        return
    for key in ("@graph", "dataFeedElement", "item", "mainEntity"):
        if key in data:
            yield from claimreview_objects(data[key])


def fact_check(item: Mapping, source_file: str) -> FactCheck | Problem:
    """Return the fact check an object holds, or why it holds none."""
    claim = item.get("claimReviewed")
    if not isinstance(claim, str) or not claim.strip():
        url = item.get("url")
        where = f" ({url})" if isinstance(url, str) else ""
        return Problem(source_file, f"a ClaimReview{where} has no claimReviewed")
    claim = " ".join(claim.split())
    if len(claim) > MAX_CLAIM_CHARS:
        return Problem(source_file, f"claimReviewed of {len(claim)} characters: not one claim")
    rating = item.get("reviewRating")
    rating = rating[0] if isinstance(rating, list) and rating else rating
    rating = rating if isinstance(rating, Mapping) else {}
    name = rating.get("alternateName") or rating.get("name")
    name = " ".join(str(name).split()) if name else None
    value, best, worst = (
        as_number(rating.get("ratingValue")),
        as_number(rating.get("bestRating")),
        as_number(rating.get("worstRating")),
    )
    reviewed = item.get("itemReviewed")
    reviewed = reviewed if isinstance(reviewed, Mapping) else {}
    appearances = urls_of(reviewed.get("appearance")) + urls_of(reviewed.get("firstAppearance"))
    url = item.get("url")
    return FactCheck(
        claim_reviewed=claim,
        rating_text=name,
        rating_value=value,
        best_rating=best,
        worst_rating=worst,
        label=rating_label(name, value, best, worst),
        publisher=name_of(item.get("author")) or name_of(item.get("publisher")),
        review_url=url.strip() if isinstance(url, str) and url.strip() else None,
        date_published=as_date(item.get("datePublished")),
        claim_author=name_of(reviewed.get("author")),
        appearances=tuple(dict.fromkeys(appearances)),
        sd_license=name_of(item.get("sdLicense")),
        source_file=source_file,
    )


def parsed_content(content: bytes, source_file: str) -> object | Problem:
    """Return the JSON-LD a file holds: parsed JSON, or the JSON-LD blocks of an HTML page."""
    if not content.strip():
        return Problem(source_file, "empty file")
    if b"\x00" in content[:4096]:
        return Problem(source_file, "binary file, not JSON or HTML")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return Problem(source_file, f"not UTF-8 text (byte {err.start})")
    if text.lstrip()[:1] == "<":
        from extruct.jsonld import JsonLdExtractor

        try:
            return JsonLdExtractor().extract(text)
        except (ValueError, TypeError) as err:
            return Problem(source_file, f"HTML with unreadable JSON-LD ({str(err)[:120]})")
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        return Problem(source_file, f"not JSON: {err.msg} at line {err.lineno}")


def read_claimreview_file(path: Path) -> tuple[list[FactCheck], list[Problem]]:
    """Return the fact checks a file holds and the problems of the items that are not."""
    name = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return [], [Problem(name, f"{size:,} bytes, over the {MAX_FILE_BYTES:,} read")]
        content = path.read_bytes()
    except OSError as err:
        return [], [Problem(name, f"cannot read ({err.strerror or err})")]
    data = parsed_content(content, name)
    if isinstance(data, Problem):
        return [], [data]
    found = [fact_check(item, name) for item in claimreview_objects(data)]
    if not found:
        return [], [Problem(name, "no ClaimReview in it")]
    checks = [f for f in found if isinstance(f, FactCheck)]
    return checks, [p for p in found if isinstance(p, Problem)]
