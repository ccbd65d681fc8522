"""Dependency-tree helpers for claim extraction: phrases, coordination, clauses, time."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from lemminflect import getInflection
from spacy.tokens import Span, Token

from claimwatch.extract.patterns import matches
from claimwatch.extract.slots.base import governing_verb, said_when
from claimwatch.extract.slots.entities import (
    canonical_entity,
    entity_of,
    latest_entity_span,
    salient_organisation,
)
from claimwatch.extract.slots.holders import FIGURE_ENTITIES
from claimwatch.extract.slots.percent import CHANGE_NOUNS
from claimwatch.extract.slots.polarity import SAY_LEMMAS

ISSUE_LEMMAS = {"issue", "release", "publish", "sign", "send"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
OBJECT_DEPS = {"dobj", "attr", "oprd", "acomp"}
QUOTE_CHARS = '“”"‘’'
MAX_CONJUNCTS = 6
TIME_PREFIXES = {
    "in",
    "on",
    "since",
    "by",
    "last",
    "this",
    "next",
    "early",
    "late",
    "earlier",
    "a",
    "the",
}


def misparsed_report(root: Token) -> list[Token]:
    """Return the reported clause of "told reporters after the race that she could have run
    faster", which the parser hangs as a relative clause on "race" with "that" as its object."""
    if root.lemma_.lower() not in SAY_LEMMAS:
        return []
    for token in root.subtree:
        if token.dep_ != "relcl" or token.i < root.i:
            continue
        opener = token.doc[min(t.i for t in token.subtree)]
        subject = first_child(token, SUBJECT_DEPS)
        if (
            opener.lower_ == "that"
            and opener.dep_ in {"dobj", "mark"}
            and subject is not None
            and subject.tag_ not in {"WDT", "WP"}
        ):
            return [token]
    return []


def coordinated_verbs(verb: Token) -> list[Token]:
    """Return the verb and the verbs coordinated with it ("…, and people would be investigated")."""
    verbs = [verb]
    for child in verb.children:
        if child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"}:
            verbs.extend(coordinated_verbs(child))
    return verbs


def antecedent_description(head: Token) -> tuple[str, bool]:
    """Return what "these services" refers to, from the sentence before: ("financial
    institutions cannot offer", True) when it said "Financial institutions cannot offer
    services" (True: the act is negated); ("", False) when no such mention is found."""
    sentence = head.sent
    if sentence.start == 0:
        return "", False
    previous = head.doc[sentence.start - 1].sent
    for token in previous:
        if token.lemma_ != head.lemma_ or token.dep_ != "dobj":
            continue
        verb = token.head
        subject = first_child(verb, SUBJECT_DEPS)
        if subject is None:
            continue
        others = set().union(
            *(subtree_ids(c) for c in subject.children if c.dep_ in {"conj", "cc"})
        )
        subject_words = [
            t
            for t in subject.subtree
            if t.i not in others and not is_punctuation(t) and t.text not in QUOTE_CHARS
        ]
        verb_words = sorted(
            [verb, *(c for c in verb.children if c.dep_ in {"aux", "neg"})], key=lambda t: t.i
        )
        phrase = join_tokens(subject_words)
        if subject_words and subject_words[0].pos_ != "PROPN":
            phrase = phrase[:1].lower() + phrase[1:]
        return f"{phrase} {join_tokens(verb_words)}", is_negated_verb(verb)
    return "", False


def latest_entity(token: Token, labels: set[str]) -> str | None:
    """Return the canonical name of the entity "it" or "the company" likely refers to
    (entities.latest_entity_span)."""
    span = latest_entity_span(token, labels)
    return canonical_entity(span.text) if span is not None else None


def described_organisation(token: Token) -> str | None:
    """Return the canonical name of the organisation "the company" or "the bank" stands
    for (entities.salient_organisation)."""
    span = salient_organisation(token)
    return canonical_entity(span.text) if span is not None else None


def strip_parenthetical(text: str) -> str:
    return text.split("(")[0].strip()


def split_object(predicate: list[Token], verb: Token) -> list[list[Token]]:
    """Return predicate variants, one per coordinated object ("include A, B and C") or
    coordinated prepositional phrase ("a win for developers or for consumers")."""
    elliptical = (
        split_elliptical(predicate, verb)
        or split_examples(predicate)
        or split_parallel_phrases(predicate, verb)
        or split_those_of(predicate)
    )
    if elliptical:
        return elliptical
    objects = [c for c in verb.children if c.dep_ in OBJECT_DEPS]
    if not objects:
        objects = [
            g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"
        ]
    objects += [
        t
        for t in predicate
        if t.pos_ == "ADP" and any(c.dep_ == "conj" and c.pos_ == "ADP" for c in t.children)
    ]
    present = {t.i for t in predicate}
    nominal = split_nominal_coordination(predicate)
    if nominal:
        return nominal
    for obj in objects:
        if obj.i not in present:
            continue
        # A conjunct the clause left out (a gapped one, claimed apart) is no object here.
        conjuncts = [c for c in conjunct_chain(obj) if c.i in present]
        if len(conjuncts) < 2 or is_compound_measure(conjuncts) or obj.ent_type_ == "DATE":
            continue  # "in August and September" is one time, kept whole
        whole = subtree_ids(obj)
        outside = [t for t in predicate if t.i not in whole]
        variants = []
        for _, toks in conjunct_texts(conjuncts):
            variant = sorted(outside + list(toks), key=lambda t: t.i)
            variants.append(variant)
        return variants
    return [predicate]


def split_respectively(predicate: list[Token], n_subjects: int) -> list[list[Token]] | None:
    """Return one predicate per position of a "respectively" list: "end this year and next
    year at 3.4% and 3.8%, respectively" gives "end this year at 3.4%" and "end next year at
    3.8%". With n_subjects coordinated subjects ("the deposit rate and the lending rate rose
    to 0.75% and 1.25%, respectively") one list of that length pairs with them in order.
    None when there is no "respectively" or its lists do not line up."""
    markers = [t for t in predicate if t.lower_ == "respectively"]
    if not markers:
        return None
    doc = markers[0].doc
    drop = {m.i for m in markers} | {
        m.i - 1 for m in markers if m.i > 0 and doc[m.i - 1].text == ","
    }
    present = {t.i for t in predicate}
    groups: list[list[tuple[Token, ...]]] = []
    covered: set[int] = set()
    for token in predicate:
        if token.dep_ == "conj" or token.i in covered:
            continue
        chain = conjunct_chain(token)
        if len(chain) < 2 or not all(c.i in present for c in chain):
            continue
        groups.append([toks for _, toks in conjunct_texts(chain)])
        covered |= subtree_ids(token)
    sizes = {len(g) for g in groups}
    if len(sizes) != 1 or not (len(groups) >= 2 or sizes == {n_subjects}):
        return None
    outside = [t for t in predicate if t.i not in covered | drop]
    variants = []
    for position in range(sizes.pop()):
        chosen = [t for group in groups for t in group[position]]
        variants.append(trim_punct(sorted(outside + chosen, key=lambda t: t.i)))
    return variants


def is_compound_measure(conjuncts: Sequence[Token]) -> bool:
    """True for "59 minutes and 51 seconds": one time in two units, not two things."""
    return all(
        c.lemma_.lower() in DURATION_UNITS and any(g.dep_ == "nummod" for g in c.children)
        for c in conjuncts
    )


def split_change(predicate: list[Token], verb: Token) -> list[list[Token]]:
    """Return one predicate per figure the verb gives of one change: "rose 1,201 points,
    or 3.7%, to 33,715" gives "rose 1,201 points", "rose 3.7%" and "rose to 33,715"; "lifted
    the rate to 0.25% from 0.1%" the new level and the old one. Each is a fact to check
    on its own, so one wrong figure does not take the right ones with it."""
    present = {t.i for t in predicate}
    groups = [g for g in figure_groups(verb) if g <= present]
    if len(groups) < 2:
        return [predicate]
    joiners = set().union(*(joiner_ids(verb.doc[i]) for g in groups for i in g))
    variants = []
    for own in groups:
        others = set().union(*(g for g in groups if g is not own))
        variants.append([t for t in predicate if t.i not in others and t.i not in joiners])
    return variants


# Prepositions that give a change's size or its end points: "by 75 basis points", "to
# 0.25%", "from 0.1%", "at 33,715".
FIGURE_PREPOSITIONS = {"to", "from", "by", "at"}


def figure_groups(verb: Token) -> list[set[int]]:
    """Return the token ids of each figure the verb gives of its change: its figure objects
    ("1,201 points"), each figure coordinated with one ("or 3.7%"), and each of its
    prepositional figures ("to 33,715")."""
    groups: list[set[int]] = []
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in FIGURE_PREPOSITIONS and has_number(child):
            groups.append(subtree_ids(child))
        elif child.dep_ in {"npadvmod", "dobj"} and is_figure(child):
            # "1,201 points, or 3.7%": the change told again; "1 minute and 9 seconds" is one.
            restated = any(c.dep_ == "cc" and c.lower_ == "or" for c in child.children)
            alternatives = [
                c for c in child.children if c.dep_ == "conj" and is_figure(c) and restated
            ]
            inner = set().union(*(subtree_ids(a) for a in alternatives)) if alternatives else set()
            groups.append(subtree_ids(child) - inner - joiner_ids(child))
            groups.extend(subtree_ids(a) for a in alternatives)
    return groups


def joiner_ids(figure: Token) -> set[int]:
    """The commas and "or" that join a figure to its alternative ("1,201 points, or 3.7%,")."""
    return {c.i for c in figure.children if c.dep_ in {"cc", "punct"}}


def is_figure(token: Token) -> bool:
    """True for a figure noun: "3.7%", "1,201 points", "411"."""
    if token.ent_type_ in {"PERCENT", "MONEY"} or token.like_num:
        return True
    return any(c.dep_ == "nummod" and c.like_num for c in token.children)


def has_number(token: Token) -> bool:
    return any(t.like_num or t.ent_type_ in {"PERCENT", "MONEY"} for t in token.subtree)


def first_time_phrase(verb: Token) -> Token | None:
    """Return the "for the first time in three years" phrase on a verb: a fact of its own,
    apart from the date the act happened."""
    for child in verb.children:
        if child.dep_ != "prep" or child.lower_ != "for":
            continue
        pobj = first_child(child, {"pobj"})
        if (
            pobj is not None
            and pobj.lemma_.lower() == "time"
            and any(
                c.lower_ in {"first", "last"} or c.ent_type_ == "ORDINAL" for c in pobj.children
            )
        ):
            return child
    return None


def first_time_span(phrase: Token) -> set[int]:
    """Return the ids of a "for the first time" phrase and the span it counts over when the
    parser hung that on the verb apart: "for the first time in 11 years"."""
    ids = subtree_ids(phrase)
    after = phrase.doc[max(ids) + 1] if max(ids) + 1 < len(phrase.doc) else None
    if (
        after is not None
        and after.dep_ == "prep"
        and after.head == phrase.head
        and after.lower_ == "in"
    ):
        ids |= subtree_ids(after)
    return ids


def is_restricted(noun: Token) -> bool:
    """True for "the only member who …", "the first country that …": the relative clause
    is part of what the noun says and cannot be peeled off."""
    return any(
        c.lower_ in {"only", "sole", "first", "last"} or c.tag_ == "JJS" for c in noun.children
    )


def split_nominal_coordination(predicate: list[Token]) -> list[list[Token]] | None:
    """Return two predicates for "reduce energy consumption and carbon emissions", which the
    parser reads as one noun ("emissions") with a coordinated modifier ("consumption and")."""
    present = {t.i for t in predicate}
    for noun in predicate:
        for modifier in noun.children:
            ccs = [c for c in modifier.children if c.dep_ == "cc"]
            if modifier.dep_ != "nmod" or not ccs or modifier.i not in present:
                continue
            shared = [c for c in modifier.children if c.dep_ == "conj" and c.i in present]
            if shared:
                # "engine and fuel problems": engine problems, and fuel problems
                whole = subtree_ids(modifier)
                first_own = {modifier.i} | set().union(
                    *(
                        subtree_ids(c)
                        for c in modifier.children
                        if c.dep_ not in {"conj", "cc", "punct"}
                    )
                )
                owns = [first_own, *(subtree_ids(m) for m in shared)]
                return [[t for t in predicate if t.i not in whole or t.i in own] for own in owns]
            second_head = {noun.i} | {
                c.i for c in noun.children if c.dep_ in {"compound", "amod"} and c.i > modifier.i
            }
            first = [t for t in predicate if t.i not in second_head and t not in ccs]
            second = [t for t in predicate if t.i not in subtree_ids(modifier)]
            return [first, second]
    return None


EXAMPLE_PREPOSITIONS = {"including", "like"}


def split_examples(predicate: list[Token]) -> list[list[Token]] | None:
    """Return one predicate per example in "games including Call of Duty and Candy Crush".
    Titles inside such lists parse badly, so the list is cut at its commas and "and"s."""
    present = {t.i for t in predicate}
    for prep in predicate:
        if prep.lower_ not in EXAMPLE_PREPOSITIONS or prep.dep_ != "prep":
            continue
        listed = [t for t in prep.subtree if t.i != prep.i and t.i in present]
        items, current = [], []
        for token in listed:
            if token.lower_ in {",", "and", "or"}:
                if current:
                    items.append(current)
                current = []
            else:
                current.append(token)
        if current:
            items.append(current)
        if len(items) < 2:
            return None
        listed_ids = {t.i for t in listed}
        outside = [t for t in predicate if t.i not in listed_ids]
        return [sorted(outside + item, key=lambda t: t.i) for item in items]
    return None


def split_those_of(predicate: list[Token]) -> list[list[Token]] | None:
    """Return one predicate per owner for "the emissions of Shell's own operations as well
    as those of its suppliers and customers": "those of X" repeats the noun before it
    ("the emissions of"), and its own list splits too (pattern those_of)."""
    present = {t.i for t in predicate}
    if not predicate:
        return None
    for match in matches(predicate[0].doc, "those_of", within=present):
        of, those, owner = match["of"], match["those"], match["owner"]
        joined = subtree_ids(those) | {
            t.i for t in predicate if of.i < t.i < those.i and t.dep_ in {"cc", "advmod"}
        }
        first = [t for t in predicate if t.i not in joined]
        head_part = [t for t in predicate if t.i <= of.i and t.i not in joined]
        after = [t for t in predicate if t.i > max(subtree_ids(those))]
        variants = [trim_punct(first)]
        for _, owned in conjunct_texts(conjunct_chain(owner)):
            variants.append(trim_punct([*head_part, *owned, *after]))
        return variants
    return None


def split_parallel_phrases(predicate: list[Token], verb: Token) -> list[list[Token]] | None:
    """Return two predicates for "raised rates by a quarter point in March and by half a
    point in May". The parser joins "by half a point" to "in March", the phrase just
    before the "and"; it parallels the earlier "by" phrase, and each keeps its own month."""
    present = {t.i for t in predicate}
    for second in predicate:
        joined = second.head
        if second.dep_ != "conj" or second.pos_ != "ADP" or joined.lower_ == second.lower_:
            continue
        earlier = [
            c
            for c in verb.children
            if c.dep_ == "prep" and c.lower_ == second.lower_ and c.i < joined.i and c.i in present
        ]
        ccs = [c for c in joined.children if c.dep_ == "cc" and c.i < second.i]
        if not earlier or not ccs:
            continue
        start = earlier[0].i
        before = [t for t in predicate if t.i < start]
        first = [t for t in predicate if start <= t.i < ccs[-1].i]
        rest = [t for t in predicate if t.i >= second.i]
        return [trim_punct(before + first), trim_punct(before + rest)]
    return None


def split_elliptical(predicate: list[Token], verb: Token) -> list[list[Token]] | None:
    """Return two predicates for "rose 4% from a year earlier and 0.2% from August", where
    the parser hung the second amount on the verb; None when there is no such coordination."""
    second = [c for c in verb.children if c.dep_ == "conj" and c.pos_ not in {"VERB", "AUX"}]
    ccs = [c for c in verb.children if c.dep_ == "cc" and second and c.i < second[0].i]
    if not second or not ccs:
        return None
    cut = ccs[-1].i
    head = [
        t
        for t in predicate
        if t.i <= verb.i
        and (t.i == verb.i or t.head.i == verb.i and t.dep_ in {"aux", "auxpass", "neg"})
    ]
    first = trim_punct([t for t in predicate if t.i < cut])
    rest = trim_punct([t for t in predicate if t.i > cut])
    return [first, head + rest] if rest else None


def conjunct_chain(head: Token) -> list[Token]:
    """Return head and every noun coordinated with it, in order."""
    chain = [head]
    for child in head.children:
        if (
            child.dep_ == "conj"
            and child.pos_ in {"NOUN", "PROPN", "VERB", "ADJ", "ADP"}
            and not is_alias_conj(child)
        ):
            chain.extend(conjunct_chain(child))
    return chain[:MAX_CONJUNCTS]


def is_alias_conj(conj: Token) -> bool:
    """True for "the Double Asteroid Redirection Test, or DART": a second name, not a second thing."""
    has_or = any(c.dep_ == "cc" and c.lower_ == "or" for c in conj.head.children)
    return has_or and conj.text.isupper() and len(conj.text) > 1


def conjunct_texts(conjuncts: list[Token]) -> Iterable[tuple[str, tuple[Token, ...]]]:
    """Yield each conjunct's own words, with the first conjunct's determiner shared."""
    others = set().union(*(subtree_ids(c) for c in conjuncts[1:]))
    # "its suppliers and customers": a possessive pronoun is shared like an article.
    shared_det = [
        t
        for t in conjuncts[0].children
        if (t.dep_ in {"det", "predet"} or t.tag_ == "PRP$") and t.i < conjuncts[0].i
    ]
    for index, conj in enumerate(conjuncts):
        own = subtree_ids(conj) - (others - subtree_ids(conj) if index == 0 else set())
        nested = (
            set().union(*(subtree_ids(c) for c in conjuncts[index + 1 :]))
            if index + 1 < len(conjuncts)
            else set()
        )
        toks = [
            t
            for t in conj.doc[min(own) : max(own) + 1]
            if t.i in own
            and t.i not in nested
            and (t.dep_ not in {"cc", "punct"} or t.tag_ == "HYPH")  # "third-fastest"
        ]
        # "this year and next year": a dated conjunct says its own time.
        own_time = conj.ent_type_ == "DATE" and any(t.dep_ == "amod" for t in toks)
        if (
            index > 0
            and not own_time
            and not any(t.dep_ in {"det", "predet", "poss"} for t in toks)
        ):
            toks = shared_det + toks
        yield join_tokens(toks), tuple(toks)


def peelable_relative_clauses(verb: Token) -> list[tuple[Token, Token]]:
    """Return (noun, relative clause) pairs on the verb's indefinite objects: "launched a
    spacecraft that will crash into an asteroid" carries a second fact about the spacecraft.
    Clauses on subjects or definite nouns restrict them ("exchanges that serve residents")
    and stay where they are."""
    pairs = []
    for obj in verb.children:
        if obj.dep_ not in {"dobj", "attr", "oprd"}:
            continue
        if not any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in obj.children):
            continue
        pairs.extend(
            (obj, c)
            for c in obj.children
            if c.dep_ == "relcl" and c not in nonrestrictive_clauses(obj)
        )
    # The parser sometimes hangs the clause on a time word after the object.
    for child in verb.children:
        if child.ent_type_ == "DATE":
            obj = first_child(verb, {"dobj"})
            if obj is not None and any(c.lower_ in {"a", "an"} for c in obj.children):
                pairs.extend((obj, c) for c in child.children if c.dep_ == "relcl")
    return pairs


def appositives(verb: Token, excluded: set[int]) -> list[tuple[Token, Token]]:
    """Return (noun, appositive) pairs in the verb's clause, including a second object the
    parser hung on the verb after a comma ("rise 5.9% next year, the largest adjustment")."""
    pairs = []
    for token in verb.subtree:
        if token.i in excluded or token.dep_ != "appos" or token.head.pos_ not in {"NOUN", "PROPN"}:
            continue
        if token.head.ent_type_ in {"TIME", "DATE"}:
            continue  # "3 p.m. local time" qualifies the time; it describes nothing
        if (
            any(c.dep_ == "relcl" for c in verb.subtree if c.head.i == token.i)
            or token.i > token.head.i
        ):
            pairs.append((token.head, token))
    doc = verb.doc
    objects = [c for c in verb.children if c.dep_ in {"dobj", "npadvmod", "attr"}]
    for second in objects[1:]:
        if second.i in excluded:
            continue
        first = min(subtree_ids(second))
        if first < 1 or doc[first - 1].text != ",":
            continue
        earlier = [o for o in objects if o.i < second.i and o.ent_type_ != "DATE"]
        before = doc[first - 2] if first >= 2 else None
        if before is not None and before.pos_ == "NOUN" and before.ent_type_ != "DATE":
            pairs.append((before, second))
        elif earlier:
            pairs.append((earlier[-1], second))
    return pairs


# Nouns that sum up the event a sentence reports ("…, the largest deal in its history").
EVENT_NOUNS = {
    "deal",
    "purchase",
    "acquisition",
    "takeover",
    "merger",
    "sale",
    "transaction",
    "move",
    "step",
    "decision",
    "record",
}
SUMMARY_NOUNS = EVENT_NOUNS | CHANGE_NOUNS
# The noun for the act a verb reports, so a summary can name it: buy -> purchase.
EVENT_NOMINALS = {
    "buy": "purchase",
    "purchase": "purchase",
    "acquire": "acquisition",
    "sell": "sale",
    "merge": "merger",
}


def summary_appositive(verb: Token) -> Token | None:
    """Return the sentence-final noun phrase after a comma that sums up the main clause
    ("Microsoft agreed to buy Activision, the largest deal in its history"; "prices rose
    8.6%, the biggest gain since 1981"), which the parser hangs on the verb as an object.
    A clause of its own at the end ("…, as it tried to …") is not part of the summary."""
    if verb.dep_ != "ROOT":
        return None
    objects = [c for c in verb.children if c.dep_ in {"dobj", "npadvmod", "attr"}]
    if not objects or objects[-1].lemma_.lower() not in SUMMARY_NOUNS:
        return None
    summary = objects[-1]
    ids = subtree_ids(summary) - summary_tail_ids(summary)
    doc = verb.doc
    ends = max(ids) + 1 >= verb.sent.end or is_punctuation(doc[max(ids) + 1])
    if min(ids) < 1 or doc[min(ids) - 1].text != "," or not ends:
        return None
    # With one object the summary must name the act of a verb below ("buy" -> purchase)
    # or follow a figure ("won in 2:15:37, a course record"); after a first object
    # ("raised its rate …, the largest increase") it names the change.
    if len(objects) == 1 and summarised_event(verb) is None and figure_before(summary) is None:
        return None
    return summary


# Words of a post, never its holder: "Chief executive Tim Cook" names no organisation
# "Chief", and "Chief's executive" is a title read as an owner.
TITLE_WORDS = {"chief", "executive", "president", "vice", "deputy", "senior", "managing"}
FIGURE_ENTS = {"CARDINAL", "PERCENT", "MONEY", "QUANTITY", "TIME"}


def figure_before(summary: Token) -> Token | None:
    """Return the figure just before a summary's comma ("2:15:37" in "won in 2:15:37, a
    course record"), else None."""
    start = min(subtree_ids(summary))
    if start < 2:
        return None
    before = summary.doc[start - 2]
    return before if before.like_num or before.ent_type_ in FIGURE_ENTS else None


COMPARATIVES = {"JJR", "RBR"}


def trailing_comparisons(verb: Token, excluded: set[int]) -> list[tuple[Token, Token]]:
    """Return (object, comparative) pairs where a comparison set off by a comma follows the
    verb's quantity object: "8.8 million pounds of thrust, 15% more than the Saturn V"
    (pattern trailing_comparison)."""
    pairs = []
    for match in matches(verb.doc, "trailing_comparison"):
        obj, comparison = match["object"], match["comparative"]
        if match["verb"] != verb or comparison.i < obj.i or comparison.i in excluded:
            continue
        if verb.doc[min(subtree_ids(comparison)) - 1].text == ",":
            pairs.append((obj, comparison))
    return pairs


ASIDE_DEPS = {"advmod", "prep", "npadvmod"}
MEASURE_ENTS = {"CARDINAL", "QUANTITY", "TIME", "PERCENT", "MONEY"}


def measured_asides(verb: Token, excluded: set[int]) -> list[list[Token]]:
    """Return the spans set off by commas after a verb that measure its act ("finished
    second, almost five minutes behind"; "passed halfway in 59:51, on pace for a time under
    two hours"): modifiers of the verb only, holding a figure, no date."""
    doc = verb.doc
    commas = sorted(
        c.i for c in verb.children if c.dep_ == "punct" and c.text == "," and c.i > verb.i
    )
    stops = set(commas) | {c.i for c in verb.children if c.dep_ in {"cc", "conj"} and c.i > verb.i}
    asides = []
    for comma in commas:
        end = min([i for i in stops if i > comma] + [verb.sent.end])
        span = [t for t in doc[comma + 1 : end] if not t.is_space]
        if not span or any(t.i in excluded for t in span):
            continue
        tops = [t for t in span if t.head.i not in {u.i for u in span}]
        if not all(t.head == verb and t.dep_ in ASIDE_DEPS for t in tops):
            continue
        if any(t.ent_type_ == "DATE" for t in span):
            continue
        if any(t.like_num or t.ent_type_ in MEASURE_ENTS for t in span):
            asides.append(trim_punct(span))
    return asides


def summary_tail_ids(summary: Token) -> set[int]:
    """Return the ids of a clause hung at the end of a summary ("…, as it tried to …")."""
    return set().union(
        *(
            subtree_ids(c) | set(clause_commas(c))
            for c in summary.children
            if c.dep_ in {"advcl", "relcl"}
            and c.i > summary.i
            and any(g.dep_ == "mark" for g in c.children)
        )
    )


def summarised_event(verb: Token) -> tuple[Token, str] | None:
    """Return the verb whose act a summary names and that act as a noun: for "agreed to
    buy Activision", (buy, "purchase")."""
    candidates = [verb, *(c for c in verb.children if c.dep_ == "xcomp")]
    for candidate in reversed(candidates):
        nominal = EVENT_NOMINALS.get(candidate.lemma_.lower())
        if nominal is not None and first_child(candidate, {"dobj"}) is not None:
            return candidate, nominal
    return None


def object_relative_clauses(verb: Token, excluded: set[int]) -> list[Token]:
    """Return relative clauses with a subject of their own ("the record that Griffith-Joyner
    set in 1988"): a second fact, about who did what to the noun."""
    clauses = []
    for token in verb.subtree:
        if token.dep_ != "relcl" or token.i in excluded or token.i == verb.i:
            continue
        subject = first_child(token, SUBJECT_DEPS)
        pronoun = any(
            c.tag_ in {"WDT", "WP"} and c.dep_ in {"dobj", "pobj"} for c in token.children
        )
        if subject is not None and subject.tag_ not in {"WDT", "WP"} and pronoun:
            clauses.append(token)
    return clauses


# Subordinate clauses that assert their own fact; conditions and concessions do not.
ASSERTING_MARKERS = {"when", "while", "because", "as", "after", "before", "since", "where"}


# Verbs that take "from V-ing" ("prevent X from providing"); an "and V-ing" after the
# gerund coordinates with the verb itself, not with the gerund.
BLOCKING_LEMMAS = {"prevent", "stop", "bar", "ban", "block", "prohibit", "keep", "forbid"}


def misattached_participles(verb: Token) -> list[Token]:
    """Return participles the parser coordinated with a "from V-ing" gerund of the verb."""
    if verb.tag_ != "VBG" or verb.lemma_.lower() not in BLOCKING_LEMMAS:
        return []
    found = []
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ != "from":
            continue
        for gerund in prep.children:
            if gerund.dep_ == "pcomp" and gerund.tag_ == "VBG":
                found.extend(
                    c
                    for c in gerund.children
                    if c.dep_ == "conj" and c.tag_ == "VBG" and first_child(c, {"dobj"}) is not None
                )
    return found


WH_OPENERS = {"how", "what", "whether", "why", "where", "when", "who", "which"}
OBJECT_LIKE_DEPS = {"dobj", "ccomp", "xcomp", "prep", "attr", "oprd", "acomp"}


def stranded_object_clause(participle: Token) -> list[Token]:
    """Return the words of a "how …" clause that is the object of a participle left
    without one, which the parser hung elsewhere: in "a law severely restricting how tech
    companies are able to collect data" it joins "are able …" to the main verb, and the
    participle would lose what the law restricts. [] when there is no such clause."""
    if any(c.dep_ in OBJECT_LIKE_DEPS for c in participle.children):
        return []
    doc = participle.doc
    after = max(subtree_ids(participle)) + 1
    if after >= len(doc) or doc[after].lower_ not in WH_OPENERS:
        return []
    clause = doc[after]
    while clause.pos_ not in {"VERB", "AUX"} and clause.head != clause:
        clause = clause.head
    ids = subtree_ids(clause)
    if clause.pos_ not in {"VERB", "AUX"} or min(ids) != after or participle.i in ids:
        return []
    return [t for t in doc[after : max(ids) + 1] if t.i in ids and not t.is_space]


def is_participial(token: Token) -> bool:
    """True for a participial clause with no subject of its own ("…, banning X from Y")."""
    return (
        token.dep_ == "advcl"
        and token.tag_ in {"VBG", "VBN"}
        and first_child(token, SUBJECT_DEPS) is None
    )


def is_asserted_subclause(token: Token) -> bool:
    """True for an adverbial clause with its own subject that states a fact ("…, when the
    pair will be …", "after Fortnite was removed"); "if …" and "although …" do not."""
    if token.dep_ != "advcl":
        return False
    markers = {c.lower_ for c in token.children if c.dep_ in {"mark", "advmod"}}
    return bool(markers & ASSERTING_MARKERS) and first_child(token, SUBJECT_DEPS) is not None


def is_clause_marker(token: Token) -> bool:
    """True for the "when" of an asserted clause ("…, when the pair will be …"), which the
    parser hangs on the clause's verb as an adverb rather than a marker."""
    return (
        token.dep_ == "advmod"
        and token.lower_ in ASSERTING_MARKERS
        and token.i < token.head.i
        and is_asserted_subclause(token.head)
    )


# "after a 0.3% gain in August": a change the figure follows, told as a noun.
PRIOR_CHANGE_PREPOSITIONS = {"after", "following"}


def prior_change(prep: Token) -> Token | None:
    """Return the change noun of "climbed 0.4% after a 0.3% gain in August" (gain): an
    earlier change with its own figure, a fact of its own."""
    if prep.dep_ != "prep" or prep.lower_ not in PRIOR_CHANGE_PREPOSITIONS:
        return None
    noun = first_child(prep, {"pobj"})
    if noun is None or noun.lemma_.lower() not in CHANGE_NOUNS:
        return None
    return noun if any(t.ent_type_ == "PERCENT" for t in noun.subtree) else None


# Adverbs that set a figure's earlier level beside it: "won nine seats, down from 48 in
# 2019"; "rose 7.7%, up from 7.1%".
EARLIER_LEVEL_ADVERBS = {"down", "up"}


def earlier_level(modifier: Token) -> Token | None:
    """Return the "from" of a set-off "down from 48 in 2019" on a clause: the earlier
    level is a figure of its own, the same holder's at another time."""
    if modifier.dep_ != "advmod" or modifier.lower_ not in EARLIER_LEVEL_ADVERBS:
        return None
    if modifier.i == 0 or modifier.doc[modifier.i - 1].text != ",":
        return None
    source = next((c for c in modifier.children if c.dep_ == "prep" and c.lower_ == "from"), None)
    return source if source is not None and has_number(source) else None


def nonrestrictive_clauses(noun: Token) -> list[Token]:
    """Return relative clauses set off by a comma ("prices, which exclude food, …")."""
    clauses = []
    for clause in noun.children:
        if clause.dep_ != "relcl":
            continue
        first = min(subtree_ids(clause))
        if first > 0 and noun.doc[first - 1].text == ",":
            clauses.append(clause)
    return clauses


def clause_commas(clause: Token) -> list[int]:
    """Return the indices of the commas around a clause."""
    ids = subtree_ids(clause)
    doc = clause.doc
    around = [min(ids) - 1, max(ids) + 1]
    return [i for i in around if 0 <= i < len(doc) and doc[i].text == ","]


def definite(noun: Token) -> str:
    """Return "the <noun with its compounds>" for a noun introduced as "a <noun>"."""
    words = [
        t
        for t in noun.subtree
        if t.i <= noun.i and t.dep_ in {"compound", "amod", "nmod"} or t.i == noun.i
    ]
    return "The " + " ".join(t.text for t in words)


def issuing_agent(verb: Token) -> Token | None:
    """Return the noun in "issued a statement from 11 agencies": who really issued it."""
    if verb.lemma_.lower() not in ISSUE_LEMMAS:
        return None
    candidates = [verb] + [c for c in verb.children if c.dep_ == "dobj"]
    for node in candidates:
        for prep in node.children:
            if prep.dep_ == "prep" and prep.lower_ == "from":
                pobj = first_child(prep, {"pobj"})
                if pobj is not None:
                    return pobj
    return None


def time_modifiers(verb: Token) -> tuple[Token, ...]:
    """Return the tokens of date modifiers attached to the verb ("Friday", "in August")."""
    found: list[Token] = []
    # "said on Tuesday it will close": the parser hangs the saying's date on the clause.
    reported = [c for c in verb.children if c.dep_ == "ccomp"]
    borrowed = [t for c in reported for t in c.children if said_when(t) == verb]
    for child in [*verb.children, *borrowed]:
        if said_when(child) not in (None, verb):
            continue  # the reporting verb's, not this clause's
        if child.ent_type_ == "DATE" and child.dep_ in {"npadvmod", "tmod", "compound", "nmod"}:
            found.extend(t for t in child.subtree if t.ent_type_ == "DATE")
        elif child.dep_ == "prep" and child.lower_ in {"in", "on", "since", "by"}:
            pobj = first_child(child, {"pobj"})
            if pobj is not None and pobj.ent_type_ == "DATE" and not is_duration(pobj):
                found.extend([child, *pobj.subtree])
        elif child.dep_ in {"advcl", "acl"}:
            # "… agencies Friday warning of …": the parser can hang the date on a participle.
            found.extend(
                t for t in child.children if t.ent_type_ == "DATE" and t.dep_ == "compound"
            )
    return tuple(sorted(set(found), key=lambda t: t.i))


DURATION_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"}


def is_duration(noun: Token) -> bool:
    """True for a counted span ("11 years", "more than three decades"): how long, not when,
    so "for the first time in 11 years" is not dated by it."""
    return noun.lemma_.lower() in DURATION_UNITS and any(c.dep_ == "nummod" for c in noun.children)


def needs_on(time_tokens: Sequence[Token]) -> bool:
    """True for a bare weekday or date ("Friday"), which reads as "on Friday" when moved."""
    first = time_tokens[0].lower_ if time_tokens else ""
    return bool(time_tokens) and first not in TIME_PREFIXES


def attribution_via(span: Span) -> list[Token]:
    """Return the tokens of "according to …" (with its comma), the channel of a report."""
    for token in span:
        if token.lower_ == "according":
            to = first_child(token, {"prep"})
            if to is not None and to.lower_ == "to":
                tokens = list(token.subtree)
                before = token.doc[token.i - 1] if token.i > span.start else None
                if before is not None and before.text == ",":
                    tokens.insert(0, before)
                return tokens
    return []


def via_name(tokens: Sequence[Token]) -> str:
    """Return who the report came through ("a translation by CNBC" -> CNBC)."""
    for token in tokens:
        if token.ent_type_ in {"ORG", "PERSON", "WORK_OF_ART", "GPE"}:
            return canonical_entity(entity_of(token).text)
    words = [t for t in tokens if t.lower_ not in {",", "according", "to"}]
    return canonical_entity(" ".join(t.text for t in words))


def is_negated_verb(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def first_child(token: Token, deps: set[str]) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def subtree_ids(token: Token) -> set[int]:
    return {t.i for t in token.subtree}


def trim_punct(tokens: Sequence[Token]) -> list[Token]:
    """Return tokens without leading/trailing punctuation ("%" and "$" are words here)."""
    tokens = list(tokens)
    while tokens and (is_punctuation(tokens[-1]) or tokens[-1].dep_ == "cc"):
        tokens.pop()
    while tokens and is_punctuation(tokens[0]):
        tokens.pop(0)
    return tokens


def inner_punctuation_only(tokens: list[Token]) -> list[Token]:
    """Return tokens with each punctuation mark kept only between two kept words, so
    "next year, the largest rise" keeps its comma and a comma before a removed clause goes."""
    kept = {t.i for t in tokens}
    return [t for t in tokens if not is_punctuation(t) or (t.i - 1 in kept and t.i + 1 in kept)]


def is_punctuation(token: Token) -> bool:
    return token.is_punct and token.pos_ == "PUNCT" and token.text not in "$£€%"


def is_past(verb: Token) -> bool:
    """True when the sentence a participle hangs on is told in the past tense."""
    node = verb
    while node.tag_ == "VBG" and node.head.i != node.i:
        node = node.head
    root = node.sent.root
    for candidate in (node, root):
        if candidate.tag_ == "VBD":
            return True
        # A VBN root is either a mis-tagged simple past or a present perfect: both past events.
        if candidate.tag_ == "VBN" and not any(c.dep_ == "auxpass" for c in candidate.children):
            return True
    return False


def has_complement(predicate: Sequence[Token], verb: Token) -> bool:
    """True when a participle says something beyond its verb ("China severely restricted")."""
    content = [
        t
        for t in predicate
        if t.i != verb.i and t.dep_ not in {"aux", "auxpass", "neg", "advmod", "prt"}
    ]
    return bool(content)


def join_tokens(tokens: Sequence[Token], replacements: dict[int, str] | None = None) -> str:
    """Return tokens as text: original spacing between neighbours, one space across gaps."""
    replacements = replacements or {}
    parts: list[str] = []
    for position, token in enumerate(tokens):
        parts.append(replacements.get(token.i, token.text))
        following = tokens[position + 1] if position + 1 < len(tokens) else None
        if following is None:
            break
        adjacent = following.i == token.i + 1
        parts.append(token.whitespace_ if adjacent else " ")
    return "".join(parts)


def progressive(lemma: str) -> str:
    """Return a verb's -ing form ("develop" -> "developing", "ban" -> "banning")."""
    forms = getInflection(lemma.lower(), tag="VBG")
    return forms[0] if forms else lemma.lower() + "ing"


def inflect(lemma: str, past: bool) -> str:
    """Return the past tense ("banned", "won") or third-person present ("bans") of a verb
    lemma, from lemminflect's English tables (its first spelling: "equalled")."""
    forms = getInflection(lemma.lower(), tag="VBD" if past else "VBZ")
    return forms[0] if forms else lemma.lower()


def tidy(text: str) -> str:
    """Return claim text with quotes dropped, spacing normalised and a capital first letter."""
    for quote in QUOTE_CHARS:
        text = text.replace(quote, "" if quote in '“”"' else quote)
    text = " ".join(text.split()).replace(" ,", ",").replace(" .", ".").strip(" ,;")
    text = text.replace("( ", "(").replace(" )", ")")
    first_word = text.split(" ", 1)[0]
    if any(c.isupper() for c in first_word[1:]):
        return text  # "iPhone sales fell 8%": a name's own capitals, never "IPhone"
    return text[:1].upper() + text[1:]


def own_figures(noun: Token) -> list[Token]:
    """Return the figures told after a listed noun as its own: "121" of "the
    Conservatives 121", "29%" of "Mac sales 29%"."""
    return [
        c
        for c in noun.children
        if c.i > noun.i
        and c.dep_ in {"nummod", "npadvmod", "appos"}
        and (c.like_num or c.ent_type_ in FIGURE_ENTITIES)
    ]


def is_second_object(token: Token) -> bool:
    """True for an object after another of the same verb: "won 411 of the seats, the
    Conservatives 121", where the parser made both objects of "won"."""
    return token.dep_ == "dobj" and any(
        c.dep_ in {"dobj", "npadvmod"} and c.i < token.i for c in token.head.children
    )


def gapped_conjuncts(verb: Token, excluded: set[int]) -> list[Token]:
    """Return the nouns a clause lists after its own figure with a figure each and the verb
    left out (gapping): "Labour won 411 seats, the Conservatives 121 and the Liberal
    Democrats 72" lists the Conservatives and the Liberal Democrats; "iPhone sales fell 8%
    and Mac sales 29%" lists Mac sales. Each is a fact of its own, with the clause's verb."""
    return [
        t
        for t in verb.subtree
        if t.i > verb.i
        and t.i not in excluded
        and t.pos_ in {"NOUN", "PROPN"}
        and (t.dep_ in {"conj", "appos", "npadvmod"} or is_second_object(t))
        and not t.like_num
        and t.ent_type_ not in FIGURE_ENTITIES
        and governing_verb(t) == verb
        and own_figures(t)
    ]
