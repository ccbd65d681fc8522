"""Verdict quality: labelled claims, generated perturbations, two baselines, calibration."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from itertools import pairwise
from pathlib import Path

import duckdb
from spacy.language import Language

from claimwatch.article import parse_date_header
from claimwatch.config import Settings
from claimwatch.evaluate import GoldError, align, read_gold_rows
from claimwatch.extract.slots.dates import YEAR
from claimwatch.stance.judge import REFUTES, SUPPORTS
from claimwatch.verdict import CONTRADICTED, NEI, SUPPORTED, VERDICTS

# Baseline (a): a claim is SUPPORTED when any candidate sentence scores this high.
FUZZY_BASELINE_THRESHOLD = 85.0
CONFIDENCE_BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.01)
SYSTEMS = ("claimwatch", "fuzzy ≥ 85", "top BM25 sentence")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Stand-ins of the same entity type for the entity-swap perturbation.
SWAPS = {
    "GPE": ("Japan", "France"),
    "NORP": ("Japanese", "French"),
    "ORG": ("the European Central Bank", "Reuters"),
    "PERSON": ("Joe Biden", "Angela Merkel"),
}


@dataclass(frozen=True)
class GoldVerdict:
    claim_text: str
    expected: str
    evidence: str  # a phrase the true best evidence sentence contains ("" for NEI)
    why: str


@dataclass
class ClaimResult:
    claim_text: str
    expected: str
    predicted: dict[str, str]
    confidence: float
    found_at_k: bool | None  # None when the gold names no evidence
    article: str = ""


@dataclass
class VerdictReport:
    results: list[ClaimResult] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    perturbations: list[tuple[str, str, dict[str, str]]] = field(
        default_factory=list
    )  # kind, text, predictions
    perturbations_unmatched: int = 0


def load_gold_verdicts(path: Path) -> list[GoldVerdict]:
    """Return labelled claims from a CSV (claim_text, expected_verdict, evidence, why)."""
    rows = read_gold_rows(path, {"claim_text", "expected_verdict"})
    bad = [r["expected_verdict"] for r in rows if r["expected_verdict"] not in VERDICTS]
    if bad:
        raise GoldError(f"{path}: unknown verdict label {bad[0]!r}")
    return [
        GoldVerdict(
            r["claim_text"].strip(),
            r["expected_verdict"],
            (r.get("evidence") or "").strip(),
            (r.get("why") or "").strip(),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Candidate:
    """A candidate sentence of a claim as the baselines read it."""

    rank: int
    similarity: float
    stance: str
    sentence_text: str | None


@dataclass
class ClaimPrediction:
    """What claimwatch decided on one claim, its candidates, and each system's verdict."""

    verdict: str
    confidence: float
    candidates: list[Candidate] = field(default_factory=list)
    predicted: dict[str, str] = field(default_factory=dict)


def run_predictions(con: duckdb.DuckDBPyConnection, run_id: str) -> dict[str, ClaimPrediction]:
    """Return, per claim text of the run, every system's verdict and the candidate sentences."""
    from claimwatch import store

    rows = con.execute(store.query("eval_run_predictions"), {"run_id": run_id}).fetchall()
    by_claim: dict[str, ClaimPrediction] = {}
    for text, verdict, confidence, rank, similarity, stance, sentence in rows:
        item = by_claim.setdefault(text, ClaimPrediction(verdict, confidence))
        if rank is not None:
            item.candidates.append(Candidate(rank, similarity, stance, sentence))
    for item in by_claim.values():
        item.predicted = {
            "claimwatch": item.verdict,
            "fuzzy ≥ 85": fuzzy_baseline(item.candidates),
            "top BM25 sentence": top_sentence_baseline(item.candidates),
        }
    return by_claim


def fuzzy_baseline(candidates: Sequence[Candidate]) -> str:
    """Baseline (a): SUPPORTED when the best rapidfuzz score clears the threshold."""
    best = max((c.similarity for c in candidates), default=0.0)
    return SUPPORTED if best >= FUZZY_BASELINE_THRESHOLD else NEI


def top_sentence_baseline(candidates: Sequence[Candidate]) -> str:
    """Baseline (b): the verdict of the single highest-ranked BM25 sentence."""
    top = min(candidates, default=None, key=lambda c: c.rank)
    if top is None:
        return NEI
    return {SUPPORTS: SUPPORTED, REFUTES: CONTRADICTED}.get(top.stance, NEI)


def score_gold(
    gold: Sequence[GoldVerdict], predictions: dict[str, ClaimPrediction], article: str = ""
) -> tuple[list[ClaimResult], list[str]]:
    """Return per-claim results for gold claims aligned with the run's claims, and the unaligned."""
    texts = list(predictions)
    pairs = {j: i for i, j, _ in align(texts, [g.claim_text for g in gold])}
    results, unmatched = [], []
    for j, item in enumerate(gold):
        if j not in pairs:
            unmatched.append(item.claim_text)
            continue
        pred = predictions[texts[pairs[j]]]
        found = None
        if item.evidence:
            phrase = item.evidence.lower()
            found = any(phrase in (c.sentence_text or "").lower() for c in pred.candidates)
        results.append(
            ClaimResult(
                item.claim_text,
                item.expected,
                pred.predicted,
                pred.confidence,
                found,
                article,
            )
        )
    return results, unmatched


def accuracy(results: Sequence[ClaimResult], system: str) -> float:
    return (
        sum(r.predicted[system] == r.expected for r in results) / len(results) if results else 0.0
    )


def macro_f1(results: Sequence[ClaimResult], system: str) -> float:
    """Return the mean F1 over the four verdict labels that occur in gold or predictions."""
    labels = {r.expected for r in results} | {r.predicted[system] for r in results}
    scores = []
    for label in sorted(labels):
        tp = sum(r.expected == label and r.predicted[system] == label for r in results)
        fp = sum(r.expected != label and r.predicted[system] == label for r in results)
        fn = sum(r.expected == label and r.predicted[system] != label for r in results)
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    return sum(scores) / len(scores) if scores else 0.0


def accuracy_by_article(results: Sequence[ClaimResult]) -> list[tuple[str, int, float]]:
    """Return (article, labelled claims, claimwatch accuracy) per article, in name order:
    the seed the rules were built on and the held-out sets apart."""
    articles = sorted({r.article for r in results})
    return [
        (name, len(part), accuracy(part, "claimwatch"))
        for name in articles
        for part in [[r for r in results if r.article == name]]
    ]


def wrong_verdicts(results: Sequence[ClaimResult]) -> list[ClaimResult]:
    """Return the labelled claims claimwatch got wrong, by article."""
    return sorted(
        (r for r in results if r.predicted["claimwatch"] != r.expected),
        key=lambda r: (r.article, r.claim_text),
    )


def recall_at_k(results: Sequence[ClaimResult]) -> float | None:
    judged = [r.found_at_k for r in results if r.found_at_k is not None]
    return sum(judged) / len(judged) if judged else None


def calibration(results: Sequence[ClaimResult]) -> list[tuple[str, int, float, float]]:
    """Return (bin, count, mean confidence, accuracy) of claimwatch's verdicts per confidence bin."""
    table = []
    for low, high in pairwise(CONFIDENCE_BINS):
        inside = [r for r in results if low <= r.confidence < high]
        if inside:
            table.append(
                (
                    f"{low:.1f}–{min(high, 1.0):.1f}",
                    len(inside),
                    sum(r.confidence for r in inside) / len(inside),
                    sum(r.predicted["claimwatch"] == r.expected for r in inside) / len(inside),
                )
            )
    return table


def names_in(story: str, name: str) -> bool:
    """True when the story names the swap candidate or its country: "Japanese" in a story of
    "Japan" (the first five letters of its first word, starting a word). Such a swap may be
    true ("Japanese members" for a union the tagger read as a nationality), so it is not used."""
    stem = re.escape(name.removeprefix("the ")[:5])
    return re.search(rf"\b{stem}", story, flags=re.IGNORECASE) is not None


def perturbations(text: str, nlp: Language, story: str = "") -> list[tuple[str, str]]:
    """Return (kind, changed claim) for a claim: a number changed, a date shifted, an entity
    swapped for another of its type that the story does not name, the predicate negated.
    Each changes one fact only."""
    doc = nlp(text)
    changed: list[tuple[str, str]] = []
    for token in doc:
        if token.like_num and token.ent_type_ not in {"DATE", "TIME"}:
            value = token.text.replace(",", "")
            if value.isdecimal():  # "²" is a digit, not a number to count with
                changed.append(("number", replace_token(doc, token, str(int(value) + 1))))
                break
    for token in doc:
        if token.text in WEEKDAYS:
            changed.append(
                ("date", replace_token(doc, token, WEEKDAYS[WEEKDAYS.index(token.text) - 1]))
            )
            break
        if token.text in MONTHS and token.ent_type_ == "DATE":
            changed.append(
                ("date", replace_token(doc, token, MONTHS[MONTHS.index(token.text) - 1]))
            )
            break
        # A year on its own ("opened in 1869", "since 2008") is a date to shift too.
        if token.ent_type_ == "DATE" and YEAR.fullmatch(token.text):
            changed.append(("date", replace_token(doc, token, str(int(token.text) - 1))))
            break
    for ent in doc.ents:
        options = [
            o
            for o in SWAPS.get(ent.label_, ())
            if o.lower() != ent.text.lower() and not names_in(story, o)
        ]
        if options:
            changed.append(
                ("entity", (doc.text[: ent.start_char] + options[0] + doc.text[ent.end_char :]))
            )
            break
    negated = negate(doc)
    if negated:
        changed.append(("negation", negated))
    return changed


def replace_token(doc, token, new: str) -> str:
    return doc.text[: token.idx] + new + doc.text[token.idx + len(token.text) :]


def negate(doc) -> str | None:
    """Return the claim with its main predicate negated (or a negation removed)."""
    root = doc[:].root
    for child in root.children:
        if child.dep_ == "neg":
            end = child.idx + len(child.text_with_ws)
            return (doc.text[: child.idx].rstrip() + " " + doc.text[end:].lstrip()).strip()
    if any(t.dep_ == "neg" for t in doc) or any(t.lower_ == "never" for t in doc):
        # A negation elsewhere ("would no longer be able") plus a "not" reads as a double
        # negative, which says the claim again rather than its opposite: no perturbation.
        return None
    auxiliaries = [c for c in root.children if c.dep_ in {"aux", "auxpass"}]
    if auxiliaries:
        first = auxiliaries[0]
        return (
            doc.text[: first.idx + len(first.text)]
            + " not"
            + doc.text[first.idx + len(first.text) :]
        )
    if root.lemma_ == "be":
        return (
            doc.text[: root.idx + len(root.text)] + " not" + doc.text[root.idx + len(root.text) :]
        )
    helper = {"VBD": "did not", "VBZ": "does not", "VBP": "do not"}.get(root.tag_)
    if helper is None:
        return None
    return doc.text[: root.idx] + f"{helper} {root.lemma_}" + doc.text[root.idx + len(root.text) :]


def perturbation_article(claims: Sequence[tuple[str, str]], published: date | None) -> str:
    """Return an article holding one perturbed claim per line, dated like the original."""
    header = f" date {published.isoformat()} " if published else ""
    return header + "\n".join(text.rstrip(".") + "." for _, text in claims) + "\n"


def evaluate_article(
    article: Path,
    gold: Sequence[GoldVerdict],
    settings,
    nlp: Language,
) -> VerdictReport:
    """Verify the article and a companion article of perturbed claims through the real
    pipeline (a scratch database under settings), and score every system against the gold."""
    report = VerdictReport()
    predictions = verify_and_predict(article, settings, nlp)
    report.results, report.unmatched = score_gold(gold, predictions, article.stem)
    story = article.read_text(encoding="utf-8")
    changed = [
        (kind, text)
        for item in gold
        if item.expected == SUPPORTED
        for kind, text in perturbations(item.claim_text, nlp, story)
    ]
    if not changed:
        return report
    perturbed_path = settings.db_path.parent / f"{article.stem}-perturbed.txt"
    published = parse_date_header(story)
    perturbed_path.write_text(perturbation_article(changed, published), encoding="utf-8")
    perturbed_predictions = verify_and_predict(perturbed_path, settings, nlp)
    texts = list(perturbed_predictions)
    pairs = {j: i for i, j, _ in align(texts, [t for _, t in changed])}
    for j, (kind, text) in enumerate(changed):
        if j in pairs:
            report.perturbations.append(
                (kind, text, perturbed_predictions[texts[pairs[j]]].predicted)
            )
        else:
            report.perturbations_unmatched += 1
    return report


def verify_and_predict(article: Path, settings, nlp: Language) -> dict[str, ClaimPrediction]:
    """Run the real pipeline on an article and return every system's prediction per claim."""
    from claimwatch import batch, store

    summary = batch.verify_article(article, settings)
    con = store.connect(settings.db_path, read_only=True)
    try:
        return run_predictions(con, summary.run_id)
    finally:
        con.close()


def supported_perturbations(report: VerdictReport) -> list[tuple[str, str]]:
    """Return (kind, perturbed claim) for every false claim claimwatch called SUPPORTED:
    each is a claim it would publish as true, so the summary names them."""
    return [(kind, text) for kind, text, p in report.perturbations if p["claimwatch"] == SUPPORTED]


def false_supported_rate(report: VerdictReport, system: str) -> float:
    """Return the share of perturbed (false) claims a system calls SUPPORTED."""
    if not report.perturbations:
        return 0.0
    return sum(p[system] == SUPPORTED for _, _, p in report.perturbations) / len(
        report.perturbations
    )


def contradicted_rate(report: VerdictReport, system: str) -> float:
    if not report.perturbations:
        return 0.0
    return sum(p[system] == CONTRADICTED for _, _, p in report.perturbations) / len(
        report.perturbations
    )


@dataclass(frozen=True)
class SystemScore:
    """How one system (claimwatch or a baseline) did on the labelled claims."""

    system: str
    accuracy: float
    macro_f1: float
    false_supported_on_perturbations: float
    contradicted_on_perturbations: float


@dataclass(frozen=True)
class VerdictSummary:
    """The figures `claimwatch eval verdicts` reports, computed once."""

    report: VerdictReport
    systems: tuple[SystemScore, ...]
    recall: float | None
    top_k: int

    def as_dict(self) -> dict[str, object]:
        """The summary as `--format json` prints it."""
        results = self.report.results
        return {
            "systems": [asdict(s) for s in self.systems],
            f"recall_at_{self.top_k}": self.recall,
            "n_claims": len(results),
            "n_unmatched": len(self.report.unmatched),
            "n_perturbations": len(self.report.perturbations),
            "calibration": [
                dict(zip(("bin", "count", "mean_confidence", "accuracy"), c))
                for c in calibration(results)
            ],
            "by_article": [
                {"article": name, "n_claims": n, "accuracy": round(acc, 4)}
                for name, n, acc in accuracy_by_article(results)
            ],
            "wrong": [
                {
                    "article": r.article,
                    "claim": r.claim_text,
                    "expected": r.expected,
                    "predicted": r.predicted["claimwatch"],
                    "confidence": r.confidence,
                }
                for r in wrong_verdicts(results)
            ],
            "supported_perturbations": [
                {"kind": kind, "claim": text} for kind, text in supported_perturbations(self.report)
            ],
        }


def system_scores(report: VerdictReport) -> tuple[SystemScore, ...]:
    return tuple(
        SystemScore(
            name,
            round(accuracy(report.results, name), 4),
            round(macro_f1(report.results, name), 4),
            round(false_supported_rate(report, name), 4),
            round(contradicted_rate(report, name), 4),
        )
        for name in SYSTEMS
    )


def evaluate_verdicts(
    gold: Path,
    articles: Path,
    settings: Settings,
    progress: Callable[[str], None] = lambda message: None,
) -> VerdictSummary:
    """Verify every labelled article (and its perturbations) through the real pipeline in
    a scratch database, and score claimwatch and the baselines against the labels.

    Raises GoldError, ArticleError, RegistryError, StoreError or ModelNotFound."""
    import tempfile

    from claimwatch.evaluate import gold_pairs
    from claimwatch.nlp import load_nlp

    report = VerdictReport()
    pairs = gold_pairs(gold, articles)
    nlp = load_nlp(settings.spacy_model)
    with tempfile.TemporaryDirectory(prefix="claimwatch-eval-") as scratch:
        root = Path(scratch)
        scratch_settings = settings.with_overrides(
            db_path=root / "eval.duckdb", docs_dir=root / "docs", gx_dir=root / "gx"
        )
        for article, gold_file in pairs:
            progress(f"verifying {article.name} and its perturbations…")
            part = evaluate_article(article, load_gold_verdicts(gold_file), scratch_settings, nlp)
            report.results += part.results
            report.unmatched += part.unmatched
            report.perturbations += part.perturbations
            report.perturbations_unmatched += part.perturbations_unmatched
    return VerdictSummary(
        report, system_scores(report), recall_at_k(report.results), settings.top_k
    )
