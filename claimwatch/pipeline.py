"""The stages of verifying one article, as plain functions the CLI and the flows both call."""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import combinations
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
from rapidfuzz import fuzz
from spacy.language import Language
from spacy.tokens import Doc

from claimwatch import store
from claimwatch.article import (
    Article,
    ArticleError,
    dated,
    mask_boilerplate,
    split_sentences,
)
from claimwatch.config import Settings
from claimwatch.entailment import Entailment
from claimwatch.extract.claims import Claim
from claimwatch.extract.component import article_cfg
from claimwatch.extract.grammar import Rejected
from claimwatch.extract.slots.base import Slot
from claimwatch.extract.slots.entities import canonical_entity
from claimwatch.extract.slots.holders import described_names
from claimwatch.feeds import FeedItem, relevant_items
from claimwatch.fetch import Fetcher, normalised_or_none
from claimwatch.ids import content_id
from claimwatch.rows import (
    EvidenceRow,
    ExtractionRow,
    PairScoreRow,
    RunDocumentRow,
)
from claimwatch.sources import (
    CachedDocument,
    FetchResult,
    Source,
    fetch_source,
    is_remote,
    item_source,
    link_source,
    load_registry,
    offline_feed_result,
    offline_result,
    read_feed,
)
from claimwatch.stance.compare import lede_dates
from claimwatch.stance.judge import (
    NEUTRAL,
    ON_TOPIC,
    Stance,
    coverage_key,
    judge,
    judge_jointly,
    restate_coverage,
    shared_facts,
)
from claimwatch.stance.rules import decide_pairs
from claimwatch.text import normalise_tokens, plain_terms, sentence_slots
from claimwatch.validate import ValidationOutcome, publish_or_quarantine, validate_run
from claimwatch.verdict import ScoredEvidence, Verdict, decide
from claimwatch.version import extractor_version, matcher_version, model_id, pipeline_version
from claimwatch.webarticle import fetch_web_article, read_article_text

# Two documents this alike are one text under two URLs (syndication), so one outlet.
NEAR_DUPLICATE_RATIO = 92.0
# A source this close to the article is a copy of it and never its own evidence.
ARTICLE_COPY_RATIO = 90.0
COMPARE_CHARS = 4000

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ParsedArticle:
    article: Article
    doc: Doc | None  # None when the claims are known already and no parse was needed
    url: str | None = None  # where the article was read from, when it came from the web
    links: tuple[str, ...] = ()  # pages it cites, candidate sources
    # (claim_id, claim_text) stored by this extractor version for this very text
    known_claims: tuple[tuple[str, str], ...] | None = None
    # The claims read from doc, kept when doc is let go (a batch holds many articles,
    # and a parse is neither small nor cheap to send between processes)
    extracted: ExtractedClaims | None = None


@dataclass(frozen=True)
class ExtractedClaims:
    """An article's claims that read well, each with its content terms, and how many the
    grammar check rejected."""

    claims: tuple[Claim, ...]
    terms: tuple[tuple[str, ...], ...]  # normalise_tokens of each claim's own parse
    n_rejected: int


@dataclass(frozen=True)
class RunSummary:
    run_id: str
    article_id: str
    n_claims: int
    n_sources: int
    n_sources_ok: int
    status: str
    failure_reason: str | None
    docs_path: str | None  # the Data Docs index
    run_page: str | None  # this run's validation page (the failing suite's when quarantined)
    same_as: str | None = None  # for an unchanged re-run, the published run whose verdicts stand
    # Seconds each stage took, in order: parse, extract, fetch, store, remember, score, validate.
    stage_seconds: tuple[tuple[str, float], ...] = ()


def new_run_id() -> str:
    """Return a sortable, unique run id: UTC time plus random suffix."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)


def load_article(path: Path | str, settings: Settings, nlp: Language) -> ParsedArticle:
    """Return the parsed article in a file or at an http(s) URL, or raise ArticleError."""
    if is_remote(str(path)):
        if settings.offline:
            raise ArticleError(f"{path}: an article URL needs the network; drop --offline")
        page = fetch_web_article(str(path), settings)
        doc = parse_with_claims(nlp, dated(page.text, settings.article_date), page.url)
        return ParsedArticle(doc._.article, doc, page.url, page.links)
    text = dated(read_article_text(Path(path), settings.max_article_bytes), settings.article_date)
    doc = parse_with_claims(nlp, text, str(path))
    return ParsedArticle(doc._.article, doc)


def parse_with_claims(nlp: Language, text: str, origin: str) -> Doc:
    """Return the article's parse with its claims set on it by the pipeline's claim
    extractor (claimwatch/extract/component.py); raise ArticleError for an article with
    no readable sentence."""
    return nlp(mask_boilerplate(text), component_cfg=article_cfg(text, origin))


def sources_for(parsed: ParsedArticle, registry: Sequence[Source]) -> list[Source]:
    """Return the registry's sources plus the pages the article links to, without the
    article's own URL: a page is never evidence for itself."""
    own = normalised_or_none(parsed.url) if parsed.url else None
    sources = [s for s in registry if s.url != own]
    known = {s.url for s in sources}
    for link in parsed.links:
        if link not in known and link != own:
            known.add(link)
            sources.append(link_source(link))
    return sources


@dataclass(frozen=True)
class Extraction:
    """An article's claims that read well, each with its own parse, and those the grammar
    check rejected (claimwatch/extract/grammar.py)."""

    claims: list[Claim]
    docs: list[Doc]
    rejected: list[Rejected]


def checked_extraction(parsed: ParsedArticle, nlp: Language) -> Extraction:
    """Return the claims the pipeline's extractor set on the article's parse, each with
    its own parse (which both checked its grammar and gives its terms)."""
    doc = parsed.doc
    if doc is None or doc._.claims is None:
        doc = parse_with_claims(nlp, parsed.article.text, parsed.article.origin)
    return Extraction(doc._.claims, doc._.claim_docs, doc._.rejected_claims)


def extract_claims_from_file(path: Path, settings: Settings, nlp: Language) -> Extraction:
    """Return the claims of an article file, without touching the database."""
    return checked_extraction(load_article(path, settings, nlp), nlp)


def without_parse(parsed: ParsedArticle, nlp: Language) -> ParsedArticle:
    """Return the article with its claims and their terms in place of its parse."""
    if parsed.doc is None:
        return parsed
    extraction = checked_extraction(parsed, nlp)
    terms = tuple(tuple(normalise_tokens(list(doc))) for doc in extraction.docs)
    extracted = ExtractedClaims(tuple(extraction.claims), terms, len(extraction.rejected))
    return replace(parsed, doc=None, extracted=extracted)


def extract_and_store(
    con: duckdb.DuckDBPyConnection, parsed: ParsedArticle, nlp: Language
) -> list[Claim]:
    return extract_and_store_many(con, [parsed], nlp)[0]


def extract_and_store_many(
    con: duckdb.DuckDBPyConnection, parsed: Sequence[ParsedArticle], nlp: Language
) -> list[list[Claim]]:
    """Store the claims of the articles, with one insert for them all, and return each
    article's claims."""
    extracted = [(p.extracted or without_parse(p, nlp).extracted) for p in parsed]
    claims = [list(e.claims) for e in extracted if e is not None]
    store.save_claims(
        con,
        [c for one in claims for c in one],
        [list(terms) for e in extracted if e is not None for terms in e.terms],
    )
    # Remember what this extractor found here, so an unchanged re-run need not parse again.
    version = extractor_version(model_id(nlp))
    store.save_extractions(
        con,
        [
            ExtractionRow(p.article.article_id, version, [c.claim_id for c in one])
            for p, one in zip(parsed, claims, strict=True)
        ],
    )
    return claims


def articles_claims(
    con: duckdb.DuckDBPyConnection,
    parsed: Sequence[ParsedArticle],
    nlp: Language,
    progress: Progress,
) -> list[list[tuple[str, str]]]:
    """Return each article's (claim_id, claim_text): those stored for this very text and
    extractor, or freshly extracted and stored (all in one insert)."""
    fresh = [p for p in parsed if p.known_claims is None]
    extracted = dict(zip((id(p) for p in fresh), extract_and_store_many(con, fresh, nlp)))
    found = []
    for p in parsed:
        if p.known_claims is not None:
            progress(f"{len(p.known_claims)} claims, as extracted before from this very text")
            found.append(list(p.known_claims))
        else:
            progress(f"extracted {len(extracted[id(p)])} claims")
            found.append([(c.claim_id, c.text) for c in extracted[id(p)]])
    return found


def fetch_sources(
    sources: Sequence[Source],
    settings: Settings,
    progress: Progress,
    cache: Mapping[str, CachedDocument] | None = None,
    fetcher: Fetcher | None = None,
) -> list[FetchResult]:
    """Return one result per source, in registry order; failures are results too, never
    exceptions. Remote sources are fetched in parallel (politely per host) and
    conditionally when the cache holds a copy; with settings.offline only the cache is read."""
    cache = cache or {}
    if settings.offline:
        results = [offline_result(s, cache.get(s.url)) for s in sources]
        for index, result in enumerate(results, start=1):
            progress(f"[{index}/{len(sources)}] {describe(result)} (offline)")
        return results
    own_fetcher = fetcher is None
    active = fetcher or Fetcher(settings)
    done = 0
    lock = threading.Lock()

    def fetch_one(source: Source) -> FetchResult:
        nonlocal done
        result = fetch_source(source, active, settings, cache.get(source.url))
        with lock:
            done += 1
            progress(f"[{done}/{len(sources)}] {describe(result)}")
        return result

    try:
        with ThreadPoolExecutor(max_workers=max(1, settings.fetch_workers)) as pool:
            return list(pool.map(fetch_one, sources))
    finally:
        if own_fetcher:
            active.close()


@dataclass(frozen=True)
class FeedRead:
    """One feed of the registry as read for a batch: its fetch and its items."""

    feed: Source
    result: FetchResult
    items: tuple[FeedItem, ...]


def read_feeds(sources: Sequence[Source], settings: Settings, progress: Progress) -> list[FeedRead]:
    """Read each feed of the sources once (offline: none, each recorded as not read)."""
    feeds = [s for s in sources if s.kind == "feed"]
    if not feeds:
        return []
    if settings.offline:
        progress(f"offline: {len(feeds)} feeds not read")
        return [FeedRead(feed, offline_feed_result(feed), ()) for feed in feeds]
    fetcher = Fetcher(settings)
    try:
        read = []
        for feed in feeds:
            result, items = read_feed(feed, fetcher)
            read.append(FeedRead(feed, result, tuple(items)))
    finally:
        fetcher.close()
    for one in read:
        progress(f"feed {one.feed.outlet}: {len(one.items)} items")
    return read


def feed_pages(
    sources: Sequence[Source],
    feeds: Sequence[FeedRead],
    claim_texts: Sequence[str],
    article: Article,
) -> list[Source]:
    """Return the article's page sources: the registry's pages plus the items of its feeds
    that are near the article's date and share terms with its claims."""
    pages = [s for s in sources if s.kind != "feed"]
    if not any(one.items for one in feeds):
        return pages
    terms = set().union(*(plain_terms(text) for text in claim_texts)) if claim_texts else set()
    known = {s.url for s in pages}
    if is_remote(article.origin):
        known.add(normalised_or_none(article.origin))  # a feed may list the article itself
    for one in feeds:
        for item in relevant_items(one.items, terms, article.published):
            if item.link not in known:
                known.add(item.link)
                pages.append(item_source(one.feed, item.link, item.published))
    return pages


def by_host(sources: Sequence[Source]) -> list[list[Source]]:
    """Return the sources grouped by host, in order of first appearance: one worker fetches
    one host, so the per-host delay and robots.txt hold wherever the groups run. A local
    snapshot file is a group of its own."""
    groups: dict[str, list[Source]] = {}
    for source in sources:
        host = urlsplit(source.url).hostname if is_remote(source.url) else None
        groups.setdefault(host or source.url, []).append(source)
    return list(groups.values())


def in_registry_order(
    sources: Sequence[Source], results: Sequence[FetchResult]
) -> list[FetchResult]:
    """Return results in the order of their sources (groups finish in any order)."""
    by_url = {r.source.url: r for r in results}
    return [by_url[s.url] for s in sources]


def unchanged_since(
    con: duckdb.DuckDBPyConnection,
    article_id: str,
    claim_ids: Sequence[str],
    results: Sequence[FetchResult],
    code_version: str,
) -> str | None:
    """Return the article's latest published run when this run has the very same claims,
    documents and code (nothing to score again), else None."""
    rows = con.execute(store.query("last_published_inputs"), {"article_id": article_id}).fetchall()
    if not rows:
        return None
    previous = {(kind, item) for _, kind, item in rows}
    current = (
        {("claim", claim_id) for claim_id in claim_ids}
        | {("document", content_id("document", r.text)) for r in results if r.text}
        | {("code", code_version)}
    )
    return rows[0][0] if previous == current else None


def run_counts(
    claim_pairs: Sequence[tuple[str, str]], results: Sequence[FetchResult]
) -> dict[str, int]:
    """Return what a run's row counts: claims, sources tried, sources read."""
    return {
        "n_claims": len(claim_pairs),
        "n_sources": len(results),
        "n_sources_ok": sum(1 for r in results if r.text),
    }


def finish_if_unchanged(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    parsed: ParsedArticle,
    claim_ids: Sequence[str],
    results: Sequence[FetchResult],
    counts: Mapping[str, int],
    settings: Settings,
    progress: Progress,
) -> RunSummary | None:
    """Record the run as 'unchanged' and return its summary when it has the claims and
    documents of the article's published run (unless forced); else None, and go on."""
    code_version = pipeline_version(settings.spacy_model)
    store.save_code_version(con, run_id, code_version)
    same_as = unchanged_since(con, parsed.article.article_id, claim_ids, results, code_version)
    if same_as is None or settings.force:
        return None
    reason = f"same claims and documents as run {same_as}; its verdicts stand"
    store.finish_run(con, run_id, "unchanged", reason, None, dict(counts))
    progress(reason)
    return RunSummary(
        run_id,
        parsed.article.article_id,
        counts["n_claims"],
        counts["n_sources"],
        counts["n_sources_ok"],
        "unchanged",
        reason,
        None,
        None,
        same_as,
    )


def no_sources_reason(results: Sequence[FetchResult]) -> str | None:
    """Return why nothing could be checked when no source was read, else None."""
    if any(r.text for r in results):
        return None
    if not results:
        return "no sources: the registry is empty"
    statuses = sorted({r.status for r in results})
    return f"no source could be read: all {len(results)} fetches failed ({', '.join(statuses)})"


def describe(result: FetchResult) -> str:
    """Return "<outlet>: <status>[ (why)]" for progress lines."""
    status = "not modified, stored copy" if result.from_cache else result.status
    return f"{result.source.outlet}: {status}" + (f" ({result.error})" if result.error else "")


def store_documents(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    article: Article,
    results: Sequence[FetchResult],
    nlp: Language,
) -> int:
    """Store fetch rows, documents and sentences, and remember validators for the next
    conditional GET; return how many documents the run may use."""
    store_corpus(con, results, nlp)
    return store_run_documents(con, run_id, article, results)


def store_corpus(
    con: duckdb.DuckDBPyConnection, results: Sequence[FetchResult], nlp: Language
) -> None:
    """Store the sources, the documents read and their sentences (a document this code
    has analysed before is not analysed again), and the validators for the next
    conditional GET. A batch does this once for the pages all its articles share."""
    version = extractor_version(model_id(nlp))
    store.save_sources(con, [r.source for r in results])
    document_ids: dict[str, str] = {}
    analysed = store.analysed_documents(
        con, [content_id("document", r.text) for r in results if r.text], version
    )
    for result in results:
        if not result.text:
            continue
        document_id = content_id("document", result.text)
        document_ids[result.source.source_id] = document_id
        if document_id in analysed:
            continue  # unchanged text read by unchanged code: its sentences are stored
        analysed.add(document_id)
        store.save_document(con, document_id, result, document_sentences(result, nlp), version)
    store.save_http_cache(con, results, document_ids)


def document_sentences(result: FetchResult, nlp: Language) -> list[tuple]:
    """Return the rows of a document's sentences that assert something, each with its
    slots (a sentence inherits the date of the one before) and its terms."""
    document_id = content_id("document", result.text)
    doc = nlp(result.text)
    rows = []
    previous: tuple[Slot, ...] = ()
    for sentence in split_sentences(result.text, nlp, doc=doc):
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
        tokens = list(span) if span is not None else []
        if not any(t.pos_ in {"VERB", "AUX"} for t in tokens):
            continue  # headings and labels assert nothing
        previous = sentence_slots(tokens, result.source.published, previous)
        # "the Pittsburgh-based steelmaker said": the sentence names U.S. Steel.
        described = described_names(tokens)
        named = tuple(
            Slot("entity", canonical_entity(span.text), span.label_, span.text)
            for span in described
        )
        rows.append(
            (
                content_id("sentence", document_id, sentence.index),
                sentence.index,
                sentence.start,
                sentence.end,
                sentence.text,
                previous + named,
                normalise_tokens(tokens)
                + [t for span in described for t in normalise_tokens(list(span))],
            )
        )
    return rows


def store_run_documents(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    article: Article,
    results: Sequence[FetchResult],
) -> int:
    """Store the run's fetch rows and the documents it may use, with their outlet groups;
    return how many documents that is."""
    return store_runs_documents(con, [(run_id, article, results)])[0]


def store_runs_documents(
    con: duckdb.DuckDBPyConnection,
    runs: Sequence[tuple[str, Article, Sequence[FetchResult]]],
) -> list[int]:
    """Store the fetch rows and usable documents of many runs, (run_id, article, results)
    each, with one insert per table; return how many documents each run may use."""
    store.save_fetches(con, [(run_id, results) for run_id, _, results in runs])
    rows: list[RunDocumentRow] = []
    counts = []
    for run_id, article, results in runs:
        documents = [(content_id("document", r.text), r.text) for r in results if r.text]
        rows += [RunDocumentRow(run_id, *group) for group in outlet_groups(article.text, documents)]
        counts.append(len(documents))
    store.save_run_documents(con, rows)
    return counts


def outlet_groups(
    article_text: str, documents: Sequence[tuple[str, str]]
) -> list[tuple[str, bool, str]]:
    """Return (document_id, is_excluded, outlet_group): copies of the article are excluded,
    near-duplicate documents share the group of the first of them."""
    rows: list[tuple[str, bool, str]] = []
    heads: list[tuple[str, str]] = []
    article_head = article_text[:COMPARE_CHARS]
    for document_id, text in documents:
        head = text[:COMPARE_CHARS]
        excluded = fuzz.ratio(article_head, head) >= ARTICLE_COPY_RATIO
        group = next(
            (gid for gid, other in heads if fuzz.ratio(other, head) >= NEAR_DUPLICATE_RATIO),
            document_id,
        )
        heads.append((document_id, head))
        rows.append((document_id, excluded, group))
    return rows


@dataclass(frozen=True)
class CandidatePair:
    """A claim and one of its candidate sentences, as sql/queries/candidates.sql returns
    them, with what judge reads of the sentence's document (derived once, see
    with_document_context)."""

    run_id: str
    claim_id: str
    sentence_id: str
    candidate_rank: int
    retrieval_score: float
    weighted_coverage: float
    claim_text: str
    claim_norm: str
    claim_slots: str  # JSON
    sentence_norm: str
    sentence_slots: str  # JSON
    sentence_text: str
    document_id: str
    evidence_url: str
    outlet: str
    tier: int
    outlet_group: str
    document_entities: list[str]
    document_dates: list[str]
    document_names: frozenset[str] = frozenset()
    document_lede: tuple[str, ...] = ()


def pair_key(row: CandidatePair) -> str:
    """Return the hash of everything stance.judge reads for a candidate pair, and the
    matcher's code: equal keys give equal stances, so a stored stance can stand in."""
    return content_id(
        "pair",
        matcher_version(),
        # The entailment model reads the words as written.
        row.claim_text,
        row.sentence_text,
        row.claim_norm,
        row.claim_slots,
        row.sentence_norm,
        row.sentence_slots,
        # The corpus weighting moves a little whenever a document arrives; only what judge
        # reads of it counts.
        coverage_key(row.weighted_coverage),
        "|".join(sorted(row.document_names)),
        "|".join(row.document_lede),
    )


def with_document_context(fields: Mapping[str, object]) -> CandidatePair:
    """Return a candidates.sql row as a pair with what judge reads of its document, derived
    once for the key and the judging: who the document names and the dates it opens on."""
    pair = CandidatePair(**fields)
    return replace(
        pair,
        document_names=document_names(pair.document_entities, pair.outlet),
        document_lede=lede_dates(pair.document_dates),
    )


def document_names(entities: Sequence[str], outlet: str) -> frozenset[str]:
    """Return who a document names: the entities in its text and its outlet, which speaks
    in its own pages ("the agency announced" on the agency's own site)."""
    return frozenset(entities) | {canonical_entity(outlet)}


def judge_row(row: CandidatePair) -> Stance:
    return judge(
        row.claim_norm,
        store.slots_from_json(row.claim_slots),
        row.sentence_norm,
        store.slots_from_json(row.sentence_slots),
        row.weighted_coverage,
        row.document_names,
        row.document_lede,
    )


@dataclass(frozen=True)
class Candidates:
    """A run's candidate pairs, with what is known of them before scoring."""

    rows: list[CandidatePair]
    keys: list[str]  # pair_key of each row
    known: dict[str, Stance]  # stances stored for some keys

    def unscored(self) -> list[tuple[str, CandidatePair]]:
        """Return (pair_key, row) once per key with no stored stance: the pairs to judge."""
        todo: dict[str, CandidatePair] = {}
        for key, row in zip(self.keys, self.rows):
            if key not in self.known:
                todo.setdefault(key, row)
        return list(todo.items())


def find_candidates(
    con: duckdb.DuckDBPyConnection, run_id: str, article_id: str, top_k: int
) -> Candidates:
    """Run the SQL blocking query for one run and look up the stances stored for its pairs."""
    return find_candidates_many(con, [run_id], top_k)[run_id]


def find_candidates_many(
    con: duckdb.DuckDBPyConnection, run_ids: Sequence[str], top_k: int
) -> dict[str, Candidates]:
    """Run the SQL blocking query for many runs at once (each ranked against its own
    documents) and look up the stances stored for their pairs; return each run's."""
    raw_rows = con.execute(
        store.query("candidates"), {"run_ids": list(run_ids), "top_k": top_k}
    ).fetchall()
    columns = [d[0] for d in con.description]
    rows = [with_document_context(dict(zip(columns, raw))) for raw in raw_rows]
    keys = [pair_key(row) for row in rows]
    known = {
        key: Stance(stance, sim, cov, tuple(json.loads(reasons)), probability=probability)
        for key, (sim, cov, stance, reasons, probability) in store.known_pair_scores(
            con, keys
        ).items()
    }
    by_run: dict[str, tuple[list, list]] = {run_id: ([], []) for run_id in run_ids}
    for row, key in zip(rows, keys):
        run_rows, run_keys = by_run[row.run_id]
        run_rows.append(row)
        run_keys.append(key)
    return {
        run_id: Candidates(run_rows, run_keys, {k: known[k] for k in run_keys if k in known})
        for run_id, (run_rows, run_keys) in by_run.items()
    }


@dataclass(frozen=True)
class Judged:
    """Stances of new pairs, and the model readings made for them that no store held."""

    stances: list[tuple[str, Stance]]  # (pair_key, stance)
    entailments: dict[tuple[str, str], Entailment]  # (claim, sentence) -> new reading


def judge_rows(
    pairs: Sequence[tuple[str, CandidatePair]],
    known: Mapping[tuple[str, str], Entailment] | None = None,
) -> Judged:
    """Judge each (pair_key, row): pure, so any worker may do any share. The keys come
    from find_candidates, which computed them once. The entailment model then reads the
    pairs the slots left open (claimwatch.stance.rules), each distinct pair of texts once
    and none whose reading known holds (entailment_scores)."""
    known = known or {}
    stances = [judge_row(row) for _, row in pairs]
    texts = [(str(row.claim_text), str(row.sentence_text)) for _, row in pairs]
    decided = decide_pairs(texts, stances, known=known)
    return Judged(
        list(zip([key for key, _ in pairs], decided.stances)),
        {pair: reading for pair, reading in decided.readings.items() if pair not in known},
    )


def known_entailments(
    con: duckdb.DuckDBPyConnection, pairs: Sequence[tuple[str, CandidatePair]]
) -> dict[tuple[str, str], Entailment]:
    """Return the stored model readings of the pairs' texts (all pairs: which are left open
    is only known once they are judged, and a lookup costs little)."""
    return store.known_entailments(
        con, {(str(row.claim_text), str(row.sentence_text)) for _, row in pairs}
    )


def score_claims(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    article_id: str,
    top_k: int,
    no_sources_reason: str | None = None,
    progress: Progress = lambda message: None,
) -> list[Verdict]:
    """Score candidate pairs from the SQL blocking query, store evidence and verdicts.
    A pair whose inputs were scored before (pair_scores) is not scored again.
    no_sources_reason, when no source could be read, is every verdict's reason."""
    candidates = find_candidates(con, run_id, article_id, top_k)
    todo = candidates.unscored()
    judged = judge_rows(todo, known_entailments(con, todo))
    store.save_entailments(con, judged.entailments)
    fresh = dict(judged.stances)
    return record_scores(con, run_id, article_id, candidates, fresh, no_sources_reason, progress)


def record_scores(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    article_id: str,
    candidates: Candidates,
    fresh: Mapping[str, Stance],
    no_sources_reason: str | None = None,
    progress: Progress = lambda message: None,
) -> list[Verdict]:
    """Store the new stances, the run's evidence rows and its verdicts; return the verdicts."""
    save_stances(con, fresh)
    return record_run(con, run_id, article_id, candidates, fresh, no_sources_reason, progress)


def save_stances(con: duckdb.DuckDBPyConnection, fresh: Mapping[str, Stance]) -> None:
    """Store newly judged stances by pair key (pair_scores), for any later run to reuse."""
    store.save_pair_scores(
        con,
        [
            PairScoreRow(
                k,
                s.similarity,
                s.coverage,
                s.stance,
                json.dumps(s.reasons),
                probability=s.probability,
            )
            for k, s in fresh.items()
        ],
    )


def record_run(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    article_id: str,
    candidates: Candidates,
    fresh: Mapping[str, Stance],
    no_sources_reason: str | None = None,
    progress: Progress = lambda message: None,
) -> list[Verdict]:
    """Store the run's evidence rows and verdicts, its stances read from candidates.known
    or fresh (the new stances, stored already); return the verdicts."""
    rows, keys, known = candidates.rows, candidates.keys, candidates.known
    n_new = len({key for key in keys if key not in known})
    progress(f"scored {n_new} new pairs; reused {len(rows) - n_new} scored before")
    by_claim: dict[str, list[ScoredEvidence]] = {}
    evidence_rows = []
    stances = [
        restate_coverage(known.get(key) or fresh[key], row.weighted_coverage)
        for key, row in zip(keys, rows)
    ]
    joint = joint_stances(rows, stances)
    stances = [joint.get(index, stance) for index, stance in enumerate(stances)]
    for row, stance in zip(rows, stances):
        evidence_rows.append(
            EvidenceRow(
                run_id,
                row.claim_id,
                row.sentence_id,
                row.candidate_rank,
                row.retrieval_score,
                stance.similarity,
                stance.coverage,
                stance.stance,
                "; ".join(stance.reasons),
                stance.probability,
            )
        )
        by_claim.setdefault(row.claim_id, []).append(
            ScoredEvidence(
                row.claim_id,
                row.sentence_id,
                stance.stance,
                stance.similarity,
                stance.reasons,
                row.sentence_text,
                row.evidence_url,
                row.outlet,
                row.outlet_group,
                row.tier,
                stance.probability,
            )
        )
    claim_ids = [
        r[0]
        for r in con.execute(
            store.query("article_claim_ids"), {"article_id": article_id}
        ).fetchall()
    ]
    verdicts = [decide(claim_id, by_claim.get(claim_id, [])) for claim_id in claim_ids]
    if no_sources_reason:
        verdicts = [replace(v, reason=no_sources_reason) for v in verdicts]
    store.save_evidence(con, evidence_rows)
    store.save_verdicts(con, run_id, verdicts)
    return verdicts


# Per claim and document, how many sentences (those giving its facts first, then the
# closest on topic) are tried in pairs.
JOINT_CANDIDATES = 4


def joint_stances(rows: Sequence[CandidatePair], stances: Sequence[Stance]) -> dict[int, Stance]:
    """Return, by row index, the stances of sentences that support a claim together with
    another sentence of their document (stance.judge.judge_jointly), for the documents where no
    single sentence supports or refutes the claim. The closer sentence of the pair carries
    the joint stance, and its reasons quote the other one."""
    by_document: dict[tuple[object, object], list[int]] = {}
    for index, row in enumerate(rows):
        by_document.setdefault((row.claim_id, row.document_id), []).append(index)
    joint: dict[int, Stance] = {}
    for indices in by_document.values():
        if any(stances[i].stance != NEUTRAL for i in indices):
            continue
        claim_slots = store.slots_from_json(rows[indices[0]].claim_slots)
        slots = {i: store.slots_from_json(rows[i].sentence_slots) for i in indices}
        facts = {i: len(shared_facts(claim_slots, slots[i])) for i in indices}
        # A sentence may bring a figure or date without the claim's words ("consumer prices
        # rising 5.1% in the year to November"), so those that share facts come first.
        closest = sorted(
            (i for i in indices if facts[i] or stances[i].similarity >= ON_TOPIC),
            key=lambda i: (-facts[i], -stances[i].similarity, str(rows[i].sentence_id)),
        )[:JOINT_CANDIDATES]
        for first, second in combinations(closest, 2):
            row, other = rows[first], rows[second]
            together = judge_jointly(
                row.claim_norm,
                claim_slots,
                (row.sentence_norm, slots[first]),
                (other.sentence_norm, slots[second]),
                row.document_names,
                row.document_lede,
            )
            if together is not None:
                quoted = f'read with "{other.sentence_text}"'
                joint[first] = replace(together, reasons=(quoted, *together.reasons))
                break
    return joint


def validate_and_publish(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    article_id: str,
    counts: dict[str, int],
    settings: Settings,
) -> RunSummary:
    """Validate the run with GX, publish or quarantine it, and return its summary. A run
    that could read no source is quarantined without an audit: its verdicts could only
    say NOT ENOUGH INFO, and must not replace verdicts that were checked."""
    if not counts["n_sources_ok"]:
        return quarantine_unread(con, run_id, article_id, counts)
    return publish_validated(
        con, run_id, article_id, counts, validate_run(con, run_id, article_id, settings)
    )


def publish_validated(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    article_id: str,
    counts: dict[str, int],
    outcome: ValidationOutcome,
) -> RunSummary:
    """Publish or quarantine a validated run as its outcome says; return its summary."""
    status = publish_or_quarantine(con, run_id, outcome, counts)
    return finished_summary(
        run_id,
        article_id,
        counts,
        status,
        "; ".join(f.describe() for f in outcome.failures) or None,
        str(outcome.docs_index) if outcome.docs_index else None,
        str(outcome.run_page) if outcome.run_page else None,
    )


def finished_summary(
    run_id: str,
    article_id: str,
    counts: dict[str, int],
    status: str,
    reason: str | None,
    docs_path: str | None = None,
    run_page: str | None = None,
) -> RunSummary:
    """Return the summary of a run that was published or quarantined."""
    return RunSummary(
        run_id,
        article_id,
        counts["n_claims"],
        counts["n_sources"],
        counts["n_sources_ok"],
        status,
        reason,
        docs_path,
        run_page,
    )


def quarantine_unread(
    con: duckdb.DuckDBPyConnection, run_id: str, article_id: str, counts: dict[str, int]
) -> RunSummary:
    """Record a run that read no source as quarantined, its reason the fetches' outcomes."""
    rows = con.execute(store.query("run_fetch_statuses"), {"run_id": run_id}).fetchall()
    reason = unread_reason(counts["n_sources"], [status for status, _ in rows])
    con.execute("begin transaction")
    store.finish_run(con, run_id, "quarantined", reason, None, counts)
    con.execute("commit")
    return finished_summary(run_id, article_id, counts, "quarantined", reason)


def unread_reason(n_sources: int, statuses: Sequence[str]) -> str:
    """Return why a run that read no source is not published. A feed read "ok" gives
    items, not a text, so it is no readable source either."""
    if not n_sources:
        return "no sources to check against; the published verdicts stand"
    outcome = "failed" if "ok" not in statuses else "gave no text to check against"
    return (
        f"no source could be read: all {n_sources} fetches {outcome} ({', '.join(statuses)}); "
        "the published verdicts stand"
    )


def load_sources(settings: Settings) -> list[Source]:
    return load_registry(settings.sources_csv)
