"""The claim extractor as a spaCy pipeline component, so one call goes parse -> claims ->
slots -> grammar check:

    doc = nlp(mask_boilerplate(text), component_cfg=article_cfg(text, origin))
    doc._.article, doc._.claims, doc._.rejected_claims, doc._.claim_docs

claimwatch.nlp.load_nlp adds it last to every pipeline it loads. Without article_cfg it
does nothing, so parsing a claim's own text or a source sentence costs nothing extra."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from claimwatch.article import parse_article
from claimwatch.extract.claims import extract_claims
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
        article = parse_article(article_text, origin, self.nlp, doc=doc)
        claims = extract_claims(article, doc)
        # The claims' own texts: no article_cfg, so this component passes them by.
        claim_docs = list(self.nlp.pipe(c.text for c in claims))
        kept, rejected = check_claims(claims, claim_docs, doc)
        kept_ids = {c.claim_id for c in kept}
        doc._.article = article
        doc._.claims = kept
        doc._.rejected_claims = rejected
        doc._.claim_docs = [d for c, d in zip(claims, claim_docs) if c.claim_id in kept_ids]
        return doc


@Language.factory(COMPONENT)
def make_claim_extractor(nlp: Language, name: str) -> ClaimExtractor:
    return ClaimExtractor(nlp)
