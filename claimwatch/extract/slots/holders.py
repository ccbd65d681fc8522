"""Whose figure it is: the holder a count, amount or percentage describes.

"Labour had 411 seats, the Conservatives 121 and Reform UK 5" gives three counts of
seats, each of another party; "iPhone sales fell 8% and Mac sales 29%" two falls of two
products. A figure is compared with a claim's only when both describe the same holder
(claimwatch.stance.compare), so another holder's figure is silence, not a conflict or a
confirmation. A holder is kept as the distinctive words of its phrase ("mac" for "Mac
sales"; "scottish", "national" and the initials "=snp" for "the Scottish National
Party"): generic words ("sales", "revenue", "party") say what is measured, not whose, and
"the company" or "its" stand for the organisation named before.

Each way a figure finds its holder is one named rule in HOLDER_RULES, tried in order; a
figure none of them binds has no holder, and is compared as before. A count of the people
a sentence quotes ("two people familiar with the talks said") is a count of sources
(the role SOURCE), never of the claim's thing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Span, Token

from claimwatch.extract.slots.base import governing_verb, normalise_apostrophes
from claimwatch.extract.slots.entities import (
    alias_table,
    latest_entity_span,
    salient_organisation,
)

# Words that name what is measured or a kind of body, not whose it is: a holder of only
# these is unknown ("its revenue", "the company's shares").
GENERIC_HOLDER_WORDS = frozenset(
    {
        "sale", "sales", "revenue", "share", "stock", "price", "figure", "number", "total",
        "level", "value", "amount", "index", "company", "firm", "group", "business",
        "result", "consumer", "headline", "overall", "percent", "%", "point", "year",
        "quarter", "month", "week", "day", "seat", "vote", "people", "person", "party",
        "previous", "new", "former", "latest", "last", "current", "annual", "record",
        "rise", "increase", "fall", "drop", "decline", "gain", "jump", "cut", "hike",
        # measures, named by what they are, not whose: "the CPI" is consumer prices
        "cpi", "ppi", "gdp", "inflation", "growth", "output", "economy",
    }
)  # fmt: skip

# A definite description or pronoun that names an organisation met earlier in the
# document ("the company", "the iPhone maker", "the lender", "its").
REFERRING_HEADS = frozenset(
    {"company", "firm", "group", "bank", "lender", "maker", "carrier", "insurer", "giant",
     "steelmaker", "automaker", "carmaker", "chipmaker", "retailer", "airline", "conglomerate"}
)  # fmt: skip
REFERRING_PRONOUNS = frozenset({"it", "its", "they", "their", "which", "that"})
# A person's pronouns, read as the person named before them in a source document.
PERSONAL_PRONOUNS = frozenset({"he", "she", "his", "her"})

# Who may be counted as the sources of a report ("two people familiar with", "three
# officials"), when they are the ones saying it.
SOURCE_NOUNS = frozenset(
    {"people", "person", "source", "sources", "official", "officials", "trader", "analyst", "executive", "aide",
     "diplomat", "banker", "investor", "economist", "insider", "lawyer", "witness"}
)  # fmt: skip
SPEECH_VERBS = frozenset({"say", "tell", "report", "add", "confirm", "speak", "describe"})

# Marks a run of names' initials among a holder's words.
ACRONYM = "="

# Modifiers of a holder's noun that are part of its phrase.
PHRASE_DEPS = frozenset({"compound", "amod", "poss", "nmod", "prep", "pobj", "case"})


def phrase_tokens(noun: Token, figure: set[int]) -> list[Token]:
    """Return the noun with the modifiers of its phrase ("Sales of the iPhone", "Mac
    sales"), without the figure's own tokens, clauses, appositions or lists after it."""
    found = [noun]
    for child in noun.children:
        if child.dep_ not in PHRASE_DEPS or child.i in figure:
            continue
        if child.dep_ == "prep" and child.lower_ not in {"of", "in", "from"}:
            continue
        found.extend(phrase_tokens(child, figure))
    return found


def initials(words: list[str]) -> str:
    return "".join(word[0] for word in words if word)


def referent(token: Token) -> list[Token]:
    """Return what a pronoun or a description such as "the company" stands for: a name
    that is the subject of a clause before it in its sentence ("Rengo ... said its
    members"), else the organisation named last before it ([] when none is)."""
    subjects = [
        t
        for t in token.sent
        if t.i < token.i and t.dep_ in {"nsubj", "nsubjpass"} and t.pos_ == "PROPN"
    ]
    if subjects:
        name = subjects[-1]
        return [c for c in name.children if c.dep_ == "compound"] + [name]
    # "The iPhone maker earned …, and its net income was …": its is the described subject's.
    described = [
        t
        for t in token.sent
        if t.i < token.i
        and t.dep_ in {"nsubj", "nsubjpass"}
        and t.pos_ == "NOUN"
        and refers_back(t)
    ]
    if described and described[-1] != token:
        return referent(described[-1])
    # A pronoun is the organisation named last; a description the one the document is
    # about ("the iPhone maker": Apple, not the iPhone it names).
    span = (
        latest_entity_span(token, {"ORG"}) if token.pos_ == "PRON" else salient_organisation(token)
    )
    return list(span) if span is not None else []


def described_names(tokens: Sequence[Token]) -> list[Span]:
    """Return the organisations and people the sentence names only by a description ("the
    Pittsburgh-based steelmaker", "the company", "the lender") or a person's pronoun ("he",
    "her"): the entity each stands for in its document, so a source sentence that names
    its subject so counts as naming it."""
    names = []
    for token in tokens:
        if token.lower_ in PERSONAL_PRONOUNS and token.dep_ in {"nsubj", "nsubjpass", "poss"}:
            # "He was born in 1974": the person the document named last before, unless
            # the sentence names anyone before it ("Thompson-Herah kept her title", "the
            # American set the world record, and she also ...").
            named_here = any(
                t.pos_ == "PROPN" or t.ent_type_ == "PERSON" for t in token.sent if t.i < token.i
            )
            span = None if named_here else latest_entity_span(token, {"PERSON"})
        elif token.pos_ == "PRON" or not refers_back(token):
            continue
        else:
            span = salient_organisation(token)
        if span is not None and span.sent != token.sent:
            names.append(span)
    return names


def refers_back(token: Token) -> bool:
    lemma = token.lemma_.lower()
    if token.pos_ == "PRON":
        return token.lower_ in REFERRING_PRONOUNS
    has_the = any(c.dep_ == "det" and c.lower_ == "the" for c in token.children)
    return has_the and (lemma in REFERRING_HEADS or lemma.endswith("maker"))


def holder_terms(tokens: Iterable[Token], head: Token | None = None) -> tuple[str, ...]:
    """Return the distinctive words of a holder's phrase, a run of names adding its
    initials ("Scottish National Party" also gives "=snp"), references read as what they
    refer to; sorted, so equal holders compare equal. A common noun at the head of the
    phrase is left out: news names one thing with many ("the pair", "the asteroid
    system"), and its modifiers ("services" of "services revenue") tell parts apart."""
    terms: set[str] = set()
    names: list[str] = []
    ordered, aliased = with_aliases(sorted(set(tokens), key=lambda t: t.i))
    for name in aliased:
        words = [w.lower() for w in name.replace("'s", "").split()]
        terms.update(words)
        flush_names(words, terms)
    # "the iPhone maker": the words of a description name what it refers to, not a holder.
    described = {
        t.i
        for token in ordered
        if token.pos_ == "NOUN" and not token.ent_type_ and refers_back(token)
        for t in token.subtree
        if t != token
    }
    for token in ordered:
        if refers_back(token):
            terms.update(holder_terms(referent(token)))
            continue
        if token.i in described:
            continue
        if token == head and token.pos_ == "NOUN" and not token.ent_type_:
            names = flush_names(names, terms)
            continue
        if token.pos_ == "PROPN" or (token.ent_type_ and token.pos_ in {"NOUN", "ADJ"}):
            names.append(token.lower_)
        elif names:
            names = flush_names(names, terms)
        if token.pos_ not in {"NOUN", "PROPN"} and not token.ent_type_ or token.is_stop:
            continue
        lemma = token.lemma_.lower() if token.pos_ != "PROPN" else token.lower_
        if lemma not in GENERIC_HOLDER_WORDS:
            terms.add(lemma.removesuffix("s") if token.pos_ == "PROPN" else lemma)
    flush_names(names, terms)
    return tuple(sorted(terms))


def with_aliases(tokens: list[Token]) -> tuple[list[Token], list[str]]:
    """Return the tokens not in a name of the alias table, and the canonical names of those
    that are ("euro zone" and "eurozone" are both "euro area"; "the PBOC" is "People's
    Bank of China"), so a holder named either way is one holder."""
    table = alias_table()
    kept: list[Token] = []
    names: list[str] = []
    start = 0
    while start < len(tokens):
        for end in range(min(len(tokens), start + 4), start, -1):
            window = tokens[start:end]
            text = " ".join(normalise_apostrophes(t.lower_) for t in window)
            contiguous = window[-1].i - window[0].i == len(window) - 1
            if contiguous and text in table:
                names.append(table[text])
                start = end
                break
        else:
            kept.append(tokens[start])
            start += 1
    return kept, names


def flush_names(names: list[str], terms: set[str]) -> list[str]:
    if len(names) > 1:
        terms.add(ACRONYM + initials(names))
    return []


@dataclass(frozen=True)
class HolderRule:
    """One way a figure finds its holder: the noun whose phrase holds it, or None."""

    name: str
    finds: Callable[[Token], Token | None]
    # Whether the object the verb changes is whose it is too: "Netflix raised the price of
    # its standard plan to $15.49" is the standard plan's price, as "the standard plan now
    # costs $15.49" says.
    with_object: bool = False
    # Whether the noun itself names the holder even when it is a common noun: what
    # "analysts" expected is the analysts', whoever else the sentence speaks of.
    keeps_head: bool = False


FIGURE_ENTITIES = frozenset({"PERCENT", "MONEY", "CARDINAL", "QUANTITY"})


def is_figure_word(token: Token) -> bool:
    return token.like_num or token.ent_type_ in FIGURE_ENTITIES or token.text in {"%", "$"}


def listed_noun(figure: Token) -> Token | None:
    """ "the Conservatives 121", "Mac sales 29% to $7.7 billion", "the Liberal Democrats
    12.2%": a figure hung on a name, or on a noun listed after the clause's own subject
    (gapping), is that one's. The walk stops at the figure's verb."""
    node = figure
    while node.head.i != node.i:
        head = node.head
        if head.pos_ in {"VERB", "AUX"}:
            return None
        if not is_figure_word(head):
            if head.pos_ == "PROPN" and node.dep_ in {"nummod", "npadvmod", "appos"}:
                return head if head.i < node.i else None
            if head.dep_ in {"conj", "appos", "npadvmod"} and head.pos_ in {"NOUN", "PROPN"}:
                return head if node.dep_ != "nummod" else None
        node = head
    return None


def for_whom(figure: Token) -> Token | None:
    """ "23.7% for the Conservatives": the object of "for" after the figure."""
    for child in figure.children:
        if child.dep_ == "prep" and child.lower_ == "for":
            whom = next((c for c in child.children if c.dep_ == "pobj"), None)
            # "for the Conservatives", not "for these Games" (what for, not whose)
            named = whom is not None and whom.ent_type_ in NAMED
            return whom if named else None
    return None


NAMED = frozenset({"ORG", "NORP", "GPE", "PERSON", "PRODUCT"})


def clause_subject(figure: Token) -> Token | None:
    """The subject of the verb the figure belongs to, or of the verb that one is
    coordinated with ("iPhone sales fell 8% ... and climbed"): "Apple reported revenue of
    $117 billion" is Apple's. A figure inside the subject itself has no holder here."""
    verb = governing_verb(figure)
    while True:
        subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None and subject.tag_ in {"WDT", "WP"} and verb.dep_ == "relcl":
            return verb.head  # "Jackson, who had moved down from the 400 meters": hers
        if subject is not None:
            return None if figure in subject.subtree else subject
        if verb.dep_ not in {"conj", "xcomp", "advcl"} or verb.head.i == verb.i:
            return None
        verb = verb.head


def changed_object(figure: Token) -> Token | None:
    """The object of the figure's verb, before the figure and not a figure itself: "the
    price of its standard plan" of "raised the price of its standard plan to $15.49"."""
    verb = governing_verb(figure)
    for child in verb.children:
        if child.dep_ == "dobj" and child.i < figure.i and figure not in child.subtree:
            counted = any(c.dep_ == "nummod" for c in child.children)
            return None if counted or is_figure_word(child) else child
    return None


def given_to(figure: Token) -> Token | None:
    """ "That gives Labour a working majority of 174", "handed shareholders a 20% premium":
    what the verb gives is its indirect object's, whoever the subject is."""
    verb = governing_verb(figure)
    return next((c for c in verb.children if c.dep_ == "dative" and c.i < figure.i), None)


# Verbs whose subject holds a figure as an expectation: "the $1.94 analysts had forecast".
EXPECTATION_VERBS = frozenset(
    {"expect", "forecast", "estimate", "predict", "anticipate", "project"}
)


def expected_by(figure: Token) -> Token | None:
    """ "earned $1.88, short of the $1.94 analysts had forecast", "above the 1.8% that
    economists expected": a figure told as someone's expectation is theirs, not the
    sentence subject's. Read from the words (a figure, "that", a noun, auxiliaries, the
    verb, and nothing after it in its clause), as the parser hangs that clause anywhere."""
    verb = figure.head if figure.dep_ in {"dobj", "attr"} else None
    if verb is not None and verb.lemma_.lower() in EXPECTATION_VERBS:
        # "Analysts had expected $1.94": the subject of the expectation.
        subject = next((c for c in verb.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None and subject.pos_ in {"NOUN", "PROPN"}:
            return subject
    doc = figure.doc
    position = figure.i + 1
    if position < len(doc) and doc[position].lower_ in {"%", "percent"}:
        position += 1
    if position < len(doc) and doc[position].lower_ == "that":
        position += 1
    if position >= len(doc) or doc[position].pos_ not in {"NOUN", "PROPN"}:
        return None
    expecter = doc[position]
    position += 1
    while position < len(doc) and doc[position].pos_ == "AUX":
        position += 1
    if position >= len(doc) or doc[position].lemma_.lower() not in EXPECTATION_VERBS:
        return None
    after = doc[position + 1] if position + 1 < len(doc) else None
    ends_clause = after is None or after.is_punct or after.dep_ == "cc"
    return expecter if ends_clause else None


HOLDER_RULES: tuple[HolderRule, ...] = (
    HolderRule("expected by", expected_by, keeps_head=True),
    HolderRule("for whom", for_whom),
    HolderRule("listed noun", listed_noun),
    HolderRule("given to", given_to),
    HolderRule("clause subject", clause_subject, with_object=True),
)


def named_figure(figure: Token) -> Token | None:
    """ "the Olympic record of 10.62 seconds", "the previous Olympic record, 10.62": the
    noun the figure is the value of, whose modifiers say which one it is."""
    head = figure.head
    if figure.dep_ == "appos" and head.pos_ == "NOUN":
        # "6.8 million miles (11 million kilometers)": the same figure in other units.
        counted = any(c.dep_ == "nummod" or is_figure_word(c) for c in head.children)
        return None if counted or is_figure_word(head) else head
    if figure.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
        return head.head
    return None


def held_by(noun: Token) -> Token | None:
    """Whose the noun is by a clause on it: the agent of a reduced clause ("the record of
    10.62 seconds held by Griffith-Joyner") or the subject of a relative one ("the record
    of 10.62 seconds that Griffith-Joyner set")."""
    for clause in (c for c in noun.children if c.dep_ in {"acl", "relcl"}):
        for child in clause.children:
            if child.dep_ == "agent":
                return next((c for c in child.children if c.dep_ == "pobj"), None)
            if child.dep_ == "nsubj" and child.pos_ != "PRON":
                return child
    return None


def figure_holder(figure: Token, figure_tokens: Iterable[Token] = ()) -> tuple[str, ...]:
    """Return the holder's distinctive words for the figure whose head token is figure
    (its other tokens in figure_tokens): the first rule's that binds it, with the words of
    the noun the figure is the value of; () when nothing binds it."""
    inside = {figure.i, *(t.i for t in figure_tokens)}
    terms: set[str] = set()
    if (noun := named_figure(figure)) is not None:
        terms.update(holder_terms(phrase_tokens(noun, inside), head=noun))
        if (agent := held_by(figure) or held_by(noun)) is not None:
            # "the Olympic record of 10.62 seconds held by Griffith-Joyner": hers.
            return tuple(sorted(terms | set(holder_terms(phrase_tokens(agent, inside)))))
    for rule in HOLDER_RULES:
        noun = rule.finds(figure)
        if noun is not None:
            head = None if rule.keeps_head else noun
            terms.update(holder_terms(phrase_tokens(noun, inside), head=head))
            if rule.with_object and (changed := changed_object(figure)) is not None:
                terms.update(holder_terms(phrase_tokens(changed, inside), head=changed))
            break
    return tuple(sorted(terms))


def is_source_count(figure: Token) -> bool:
    """True for a count of the people a report quotes: "two people familiar with the
    talks said", "three officials told reporters", "according to two sources"."""
    counted = figure.head if figure.dep_ == "nummod" else None
    if counted is None or counted.lemma_.lower() not in SOURCE_NOUNS:
        return False
    if counted.dep_ in {"nsubj", "nsubjpass"}:
        return counted.head.lemma_.lower() in SPEECH_VERBS
    preposition = counted.head
    return (
        counted.dep_ == "pobj"
        and preposition.lower_ == "to"
        and preposition.head.lower_ == "according"
    )


def holders_differ(claim: tuple[str, ...], sentence: tuple[str, ...]) -> bool:
    """True when both figures have a holder and neither holder's words are among the
    other's (its initials counting as a word of it): "mac" and "iphone" differ; "dow" and
    "dow jones industrial average" do not, nor "snp" and "scottish national party"."""
    first, second = words_of(claim), words_of(sentence)
    if not first or not second:
        return False
    return not (first <= second | acronyms_of(sentence) or second <= first | acronyms_of(claim))


def words_of(holder: tuple[str, ...]) -> set[str]:
    return {term for term in holder if not term.startswith(ACRONYM)}


def acronyms_of(holder: tuple[str, ...]) -> set[str]:
    return {term.removeprefix(ACRONYM) for term in holder if term.startswith(ACRONYM)}


def stated_as(figure: Token) -> str:
    """Return the common noun a count or amount is said to be, when it says one: "Labour's
    majority is 174 seats" and "a working majority of 174" are majorities, so neither is
    set against "Labour had 411 seats". "" when the figure is only of what it counts, or
    the noun is a generic one ("the record of 10.62 seconds", "revenue of $117 billion")."""
    counted = figure.head if figure.dep_ in {"nummod", "quantmod", "compound"} else figure
    noun = None
    if counted.dep_ == "attr" and counted.head.lemma_ == "be":
        noun = next((c for c in counted.head.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    elif counted.dep_ == "pobj" and counted.head.lower_ == "of":
        noun = counted.head.head
        if noun.like_num:
            return "total"  # "411 of the 650 seats": the whole the first figure is part of
    elif counted.dep_ == "appos":
        noun = counted.head
    if noun is None or noun.pos_ != "NOUN" or is_figure_word(noun):
        return ""
    lemma = noun.lemma_.lower()
    return "" if lemma in GENERIC_HOLDER_WORDS else lemma
