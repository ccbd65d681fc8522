"""A grammar check on every claim the extractor writes: a claim rebuilt from a sentence's
parts ("<head> is <appositive>", a conjunct split off its verb) can come out garbled, and a
garbled claim is dropped with its reason rather than published. Only faults the extractor
introduced count: a fault the article's own sentence has is the article's."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from claimwatch.extract.claims import Claim
from claimwatch.extract.slots.holders import FIGURE_ENTITIES
from claimwatch.extract.syntax import SUBJECT_DEPS, TITLE_WORDS

log = logging.getLogger(__name__)

SINGULAR_VERBS = {"is", "was", "has", "does"}
PLURAL_VERBS = {"are", "were", "have", "do"}
# Subjects whose number the form does not show ("I", "you") or that take either verb
# ("8.6%", "none", "who").
ANY_NUMBER = {"i", "you", "%", "none", "who", "which", "that", "what", "all", "some", "most"}


@dataclass(frozen=True)
class Fault:
    """One grammar fault: its kind and the words at fault ("agreement", "rates … is")."""

    kind: str
    words: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.words}"


@dataclass(frozen=True)
class Rejected:
    claim: Claim
    faults: tuple[Fault, ...]


def number_marker(verb: Token) -> Token | None:
    """Return the word that shows a verb's number: itself when finite ("rises", "are"), or
    its first finite auxiliary ("is considered", "has risen"), else None ("rose")."""
    for token in [*(c for c in verb.children if c.dep_ in {"aux", "auxpass"}), verb]:
        if token.tag_ in {"VBZ", "VBP"} or token.lower_ in {"was", "were"}:
            return token
    return None


def subject_number(subject: Token) -> str | None:
    """Return "plural", "singular", or None when the form does not tell."""
    if subject.lower_ in ANY_NUMBER or subject.like_num or subject.pos_ == "NUM":
        return None
    if any(c.dep_ == "conj" for c in subject.children) or subject.tag_ in {"NNS", "NNPS"}:
        return "plural"
    if subject.tag_ in {"NN", "NNP"} or subject.lower_ in {"he", "she", "it"}:
        return "singular"
    return None


PLACE_ENTITIES = {"GPE", "LOC"}


def copula_garble(subject: Token) -> str:
    """Return what is wrong with "<subject> is <complement>", or "": a figure said to be
    something ("5% is Apple's first drop since 2019", rebuilt from "fell 5%, its first
    drop"), or one place said to be another ("Millbrook is Ohio", from "Millbrook, Ohio")."""
    complement = next((c for c in subject.head.children if c.dep_ == "attr"), None)
    if complement is None:
        return ""
    if subject.ent_type_ in FIGURE_ENTITIES and complement.ent_type_ not in FIGURE_ENTITIES:
        return "a figure as a subject"
    bare_name = subject.text[:1].isupper() and subject.pos_ != "PRON" and not list(subject.children)
    if complement.ent_type_ in PLACE_ENTITIES and not list(complement.children) and bare_name:
        # "Millbrook is Ohio", from "Millbrook, Ohio": a town and its state, no claim
        return "a place said to be a place"
    return ""


def faults(tokens: Doc | Span) -> set[Fault]:
    """Return the agreement faults, dangling possessives, nounless subjects, titles read
    as owners and garbled "X is Y" in a parse."""
    found: set[Fault] = set()
    for token in tokens:
        if token.dep_ in SUBJECT_DEPS:
            marker = number_marker(token.head)
            number = subject_number(token)
            if marker is not None and number is not None:
                verb_plural = marker.tag_ == "VBP" or marker.lower_ in PLURAL_VERBS
                verb_singular = marker.tag_ == "VBZ" or marker.lower_ in SINGULAR_VERBS
                if (number == "plural" and verb_singular) or (number == "singular" and verb_plural):
                    found.add(Fault("agreement", f"{token.text} … {marker.text}"))
            if token.tag_ == "CD" and any(c.dep_ == "det" for c in token.children):
                found.add(Fault("subject without a noun", f"{token.text} {token.head.text}"))
        if token.dep_ in SUBJECT_DEPS and token.head.lemma_ == "be" and copula_garble(token):
            found.add(Fault(copula_garble(token), f"{token.text} {token.head.text}"))
        if token.tag_ == "POS" and token.nbor(-1).lower_ in TITLE_WORDS:
            found.add(Fault("a title as an owner", f"{token.nbor(-1).text}{token.text}"))
        if token.tag_ == "POS":
            after = token.nbor(1) if token.i + 1 < len(token.doc) else None
            if after is None or after.pos_ in {"VERB", "AUX", "PUNCT", "ADP", "DET", "CCONJ"}:
                found.add(Fault("dangling possessive", f"{token.nbor(-1).text}{token.text}"))
    return found


def check_claims(
    claims: Sequence[Claim], parsed: Iterable[Doc], source: Doc
) -> tuple[list[Claim], list[Rejected]]:
    """Split claims into those that read well and those rejected with their faults.
    parsed holds each claim's own parse, in order; source is the article's parse, whose
    sentences' own faults are forgiven."""
    sentences = list(source.sents)
    kept: list[Claim] = []
    rejected: list[Rejected] = []
    for claim, claim_doc in zip(claims, parsed):
        sentence = next(
            (s for s in sentences if s.start_char <= claim.span_start < s.end_char), None
        )
        forgiven = faults(sentence) if sentence is not None else set()
        new = tuple(sorted(faults(claim_doc) - forgiven, key=str))
        if new:
            log.info("claim dropped (%s): %s", "; ".join(map(str, new)), claim.text)
            rejected.append(Rejected(claim, new))
        else:
            kept.append(claim)
    return kept, rejected
