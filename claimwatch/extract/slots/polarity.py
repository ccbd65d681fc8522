"""Polarity: negation, prohibition and unrealised modality, read from the main clause."""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Token

NEGATORS = {"not", "n't", "never", "no", "cannot", "neither", "nor", "without"}


PROHIBITING_VERBS = {"ban", "bar", "prohibit", "forbid", "outlaw"}


PROHIBITING_NOUNS = {"ban", "prohibition"}


PROHIBITING_ADJECTIVES = {"illegal", "unlawful", "illicit", "forbidden", "prohibited", "banned"}


def is_negator_word(token: Token) -> bool:
    """True for "not", "never", "no"..., but not the "No." of "the world's No. 3"."""
    if token.lower_ not in NEGATORS:
        return False
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    numero = following is not None and (following.text == "." or following.like_num)
    return not (token.lower_ == "no" and numero)


# Verbs of ceasing: "will stop buying funds" says it will no longer buy them.
CEASING_VERBS = {"stop", "cease", "quit", "discontinue"}


def is_ceasing(token: Token) -> bool:
    """True for a verb of ceasing with the action it ends as its complement ("stop
    buying", "ceased to operate"), which says the same as "no longer buys"; "stopped the
    car" ends no action and says nothing of the kind."""
    if token.pos_ != "VERB" or token.lemma_.lower() not in CEASING_VERBS:
        return False
    return any(
        c.dep_ == "xcomp" or (c.dep_ in {"dobj", "pcomp"} and c.tag_ == "VBG")
        for c in token.children
    )


def is_negated(tokens: Sequence[Token]) -> bool:
    """True when the tokens assert the negation of their predicate: "cannot", "no longer",
    "stopped buying", and predicates that mean "not allowed" ("illegal", "banned")."""
    restricting = membership_restriction(tokens)
    if restricting is not None:
        return is_negated(restricting)
    main = main_clause(tokens)
    negations = sum(1 for t in main if t.dep_ == "neg" or is_negator_word(t) or is_ceasing(t))
    # Prohibitions do not cancel each other ("illegal and must be banned"); a negator does.
    prohibited = any(is_prohibition(t) for t in main)
    return (negations % 2 == 1) != prohibited


# "The services banks cannot offer include X" says banks cannot offer X: the verb only
# places X in a set, and the set's defining clause carries the polarity.
MEMBERSHIP_LEMMAS = {"include", "comprise"}


def membership_restriction(tokens: Sequence[Token]) -> list[Token] | None:
    """Return the relative clause that defines the subject of a membership claim, or None."""
    ids = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i == t.i or t.head.i not in ids]
    if len(roots) != 1 or roots[0].lemma_.lower() not in MEMBERSHIP_LEMMAS:
        return None
    for subject in (c for c in roots[0].children if c.dep_ in {"nsubj", "nsubjpass"}):
        for clause in (c for c in subject.children if c.dep_ == "relcl" and c.i in ids):
            return [t for t in clause.subtree if t.i in ids]
    return None


# Subordinate clauses; coordinated verbs ("ordered a crackdown and outlawed trading") stay
# in the main clause.
CLAUSAL_DEPS = {"ccomp", "advcl", "relcl", "acl", "csubj", "parataxis"}


# Verbs that report what someone said or decided; what they report is the claim.
SAY_LEMMAS = {
    "say",
    "announce",
    "state",
    "tell",
    "add",
    "report",
    "declare",
    "claim",
    "confirm",
    "write",
    "rule",
    "find",
    "conclude",
    "argue",
    "note",
    "estimate",
    "warn",
    "predict",
    "acknowledge",
    "admit",
    "allege",
    "insist",
}


def main_clause(tokens: Sequence[Token]) -> list[Token]:
    """Return the tokens of the outermost clause: what a subordinate or coordinated clause
    negates ("…, stressing that transactions are illegal") is not the sentence's polarity.
    Reporting verbs are transparent: in "the bank said X is illegal" the clause is X."""
    ids = {t.i for t in tokens}
    # Whether each token is inside, remembered so that a token's walk up the tree stops at
    # the first ancestor already walked (each head is read once, not once per dependent).
    inside: dict[int, bool] = {}
    for token in tokens:
        path, node, verdict = [], token, True
        while node.i not in inside and node.head.i != node.i and node.head.i in ids:
            path.append(node.i)
            reported = node.dep_ in {"ccomp", "xcomp", "oprd"} and (
                node.head.lemma_.lower() in SAY_LEMMAS
            )
            if node.dep_ in CLAUSAL_DEPS and node.pos_ in {"VERB", "AUX", "ADJ"} and not reported:
                verdict = False
                break
            node = node.head
        else:
            verdict = inside.get(node.i, True)
            path.append(node.i)
        for i in path:
            inside[i] = verdict
    return [t for t in tokens if inside.get(t.i, True)]


def is_prohibition(token: Token) -> bool:
    """True for a word that forbids: "ban", "bar", "outlaw", "illegal", "a ban on"."""
    if token.pos_ == "VERB":
        return token.lemma_.lower() in PROHIBITING_VERBS
    if token.pos_ == "NOUN":
        # "imposed a ban on mining" forbids; "the ban was motivated by" talks about one.
        return token.lemma_.lower() in PROHIBITING_NOUNS and token.dep_ not in {
            "nsubj",
            "nsubjpass",
        }
    return token.pos_ == "ADJ" and token.lower_ in PROHIBITING_ADJECTIVES


UNREALISED = "unrealised"


UNREALISED_MODALS = {"could", "might", "would", "should"}


def is_unrealised(tokens: Sequence[Token]) -> bool:
    """True when the main clause tells what could, might or would have happened, not what
    did: "she could have run faster if she had not celebrated"."""
    return any(
        {c.lower_ for c in t.children if c.dep_ == "aux"} & {"have", "'ve"}
        and any(c.dep_ == "aux" and c.lower_ in UNREALISED_MODALS for c in t.children)
        for t in main_clause(tokens)
        if t.tag_ == "VBN"
    )
