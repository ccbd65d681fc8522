"""`claimwatch eval`: quality measured against hand-labelled gold files, each command a
library evaluation (claimwatch.evaluate, verdict_eval, stance_eval) and its rendering."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from claimwatch.cli_options import (
    SAMPLE_ARTICLES,
    ArticlesOption,
    FormatOption,
    environment_settings,
)
from claimwatch.config import PROJECT_ROOT
from claimwatch.errors import ArticleError, RegistryError, StoreError
from claimwatch.output import (
    OutputFormat,
    console,
    fail,
    fail_for,
    show_claim_scores,
    show_stance_report,
    show_verdict_summary,
)


class StanceDecision(str, Enum):
    """What decides an open pair in `eval stance`."""

    table = "table"
    learned = "learned"


eval_app = typer.Typer(
    help="Measure quality against hand-labelled gold files.",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@eval_app.command("claims")
def eval_claims(
    gold: Annotated[
        Path,
        typer.Option(
            "--gold",
            help="Folder of <article>.csv gold files.",
            show_default="tests/gold/claims in the project",
        ),
    ] = PROJECT_ROOT / "tests" / "gold" / "claims",
    articles: ArticlesOption = SAMPLE_ARTICLES,
    output: FormatOption = OutputFormat.table,
    show_misses: Annotated[
        bool, typer.Option("--show-misses", help="List unmatched gold and extracted claims.")
    ] = False,
) -> None:
    """Score claim extraction: precision, recall, F1 and slot accuracy per article.

    Gold file columns: claim_text, kind, numbers, dates, entities, negated (lists split by ';').

    Example: claimwatch eval claims --gold my-gold/ --show-misses
    """
    from claimwatch.evaluate import GoldError, evaluate_claims
    from claimwatch.nlp import ModelNotFound

    try:
        rows = evaluate_claims(gold, articles, environment_settings())
    except (GoldError, ArticleError, ModelNotFound) as err:
        fail(str(err))
    show_claim_scores(rows, output, show_misses)


@eval_app.command("stance")
def eval_stance(
    pairs_file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE.jsonl",
            help='One {"claim", "evidence", "label"} object a line; labels SUPPORTS, REFUTES, '
            "NOT ENOUGH INFO, DISPUTED.",
        ),
    ],
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Judge only the first N pairs.")
    ] = None,
    no_model: Annotated[
        bool,
        typer.Option(
            "--no-model",
            help="Judge without the entailment model: the word overlap, the slots and "
            "WordNet alone (the baseline the model is measured against).",
        ),
    ] = False,
    decision: Annotated[
        StanceDecision,
        typer.Option(
            "--decision",
            help="table: the precedence table a run uses; learned: the learned decision "
            "(models/stance/decision.json), measured here before a run uses it.",
        ),
    ] = StanceDecision.table,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Score the stance step on labelled claim-evidence pairs: accuracy, macro-F1, the
    confusion table, the share of REFUTES judged SUPPORTS, and pairs per second.

    Example: claimwatch eval stance models/stance/fever-test.jsonl --format json
    """
    from claimwatch.nlp import ModelNotFound, load_nlp
    from claimwatch.stance_eval import StanceInputError, evaluate_stance

    try:
        nlp = load_nlp(environment_settings().spacy_model)
        with console.status(f"judging the pairs of {pairs_file}…"):
            report = evaluate_stance(
                pairs_file,
                nlp,
                limit,
                use_model=not no_model,
                learned=decision == StanceDecision.learned,
            )
    except (StanceInputError, ModelNotFound, OSError) as err:
        fail(str(err))
    show_stance_report(report, pairs_file.name, output)


@eval_app.command("verdicts")
def eval_verdicts(
    gold: Annotated[
        Path,
        typer.Option(
            "--gold",
            help="Folder of <article>.csv labelled verdicts.",
            show_default="tests/gold/verdicts in the project",
        ),
    ] = PROJECT_ROOT / "tests" / "gold" / "verdicts",
    articles: ArticlesOption = SAMPLE_ARTICLES,
    sources: Annotated[
        Path | None,
        typer.Option(
            "--sources",
            help="Source registry CSV [default: the bundled example registry, for the "
            "bundled articles only].",
        ),
    ] = None,
    output: FormatOption = OutputFormat.table,
) -> None:
    """Score verdicts against labelled claims, generated perturbations and two baselines.

    Each article runs through the real pipeline in a scratch database; a second article of
    perturbed claims (a number changed, a date shifted, an entity swapped, the predicate
    negated) checks that false claims never come out SUPPORTED.

    Example: claimwatch eval verdicts --format json
    """
    from claimwatch.config import SettingError, with_registry
    from claimwatch.evaluate import GoldError
    from claimwatch.nlp import ModelNotFound
    from claimwatch.verdict_eval import evaluate_verdicts

    settings = environment_settings().with_overrides(sources_csv=sources)
    try:
        settings = with_registry(settings, [str(p) for p in sorted(articles.glob("*.txt"))])
    except SettingError as err:
        fail(str(err))
    try:
        with console.status("verifying the labelled articles…") as status:
            summary = evaluate_verdicts(gold, articles, settings, status.update)
    except (GoldError, ArticleError, RegistryError, StoreError, ModelNotFound) as err:
        fail_for(err)
    show_verdict_summary(summary, output)
