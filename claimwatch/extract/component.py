"""The claim extractor as a spaCy pipeline component, so one call goes parse -> claims ->
slots -> grammar check:

    doc = nlp(mask_boilerplate(text), component_cfg=article_cfg(text, origin))
    doc._.article, doc._.claims, doc._.rejected_claims, doc._.claim_docs

claimwatch.nlp.load_nlp adds it last to every pipeline it loads. Without article_cfg it
does nothing, so parsing a claim's own text or a source sentence costs nothing extra."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc

from claimwatch.article import Article, ArticleError, parse_article
from claimwatch.extract.claims import Claim, extract_claims
from claimwatch.extract.grammar import check_claims

COMPONENT = "claimwatch_claims"
# What the component sets on an article's Doc (None on any other parse).
EXTENSIONS = ("article", "claims", "rejected_claims", "claim_docs")
for extension in EXTENSIONS:
    if not Doc.has_extension(extension):
        Doc.set_extension(extension, default=None)


def article_cfg(text: str, origin: str) -> dict[str, dict[str, str]]:
    """Return the component_cfg that makes nlp() read a parse as this article's."""
    return {COMPONENT: {"article_text": text, "origin": origin}}


class ClaimExtractor:
    """Sets an article Doc's claims: extracted from the parse, each parsed on its own and
    checked for grammar (claimwatch/extract/grammar.py)."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def __call__(self, doc: Doc, article_text: str | None = None, origin: str = "") -> Doc:
        if article_text is None:
            return doc
        (outcome,) = self.extract_many([(doc, article_text, origin)])
        if isinstance(outcome, ArticleError):
            raise outcome
        return outcome

    def extract_many(self, articles: Sequence[tuple[Doc, str, str]]) -> list[Doc | ArticleError]:
        """Set the claims of many article parses, (doc, article text, origin) each, their
        claims' own texts parsed in one nlp.pipe pass (one per article costs a pipe's
        overhead per article). Returns each doc, or the ArticleError of an article with
        no readable sentence."""
        found: list[tuple[Doc, Article, list[Claim]] | ArticleError] = []
        for doc, article_text, origin in articles:
            try:
                article = parse_article(article_text, origin, self.nlp, doc=doc)
            except ArticleError as err:
                found.append(err)
                continue
            found.append((doc, article, extract_claims(article, doc)))
        texts = [c.text for one in found if not isinstance(one, ArticleError) for c in one[2]]
        # The claims' own texts: no article_cfg, so this component passes them by.
        claim_docs = iter(self.nlp.pipe(texts))
        done: list[Doc | ArticleError] = []
        for one in found:
            if isinstance(one, ArticleError):
                done.append(one)
                continue
            doc, article, claims = one
            own = [next(claim_docs) for _ in claims]
            kept, rejected = check_claims(claims, own, doc)
            kept_ids = {c.claim_id for c in kept}
            doc._.article = article
            doc._.claims = kept
            doc._.rejected_claims = rejected
            doc._.claim_docs = [d for c, d in zip(claims, own) if c.claim_id in kept_ids]
            done.append(doc)
        return done


@Language.factory(COMPONENT)
def make_claim_extractor(nlp: Language, name: str) -> ClaimExtractor:
    return ClaimExtractor(nlp)
