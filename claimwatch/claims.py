"""Atomic claims from an article's dependency parse: split, attributed, dated and slotted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from claimwatch.article import Article
from claimwatch.ids import content_id
from claimwatch.slots import SAY_LEMMAS, Slot, canonical_entity, extract_slots, resolve_date
from claimwatch.text import term_of

ISSUE_LEMMAS = {"issue", "release", "publish", "sign", "send"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
OBJECT_DEPS = {"dobj", "attr", "oprd", "acomp"}
CLAUSE_DROP_DEPS = {"cc", "punct", "mark", "preconj"}
DEFINITE_PLACE_NOUNS = {"country", "nation"}
# "the agency said": the organisation last named, when the article named one.
DEFINITE_ORG_NOUNS = {"agency", "company", "firm", "group", "regulator", "ministry", "department"}
DEMONSTRATIVES = {"these", "this", "those", "that"}
QUOTE_CHARS = '“”"‘’'
IRREGULAR_PAST = {
    "make": "made",
    "take": "took",
    "give": "gave",
    "say": "said",
    "send": "sent",
    "find": "found",
    "hold": "held",
    "bring": "brought",
    "keep": "kept",
    "set": "set",
    "put": "put",
    "tell": "told",
    "lead": "led",
    "begin": "began",
    "pay": "paid",
    "build": "built",
    "seek": "sought",
    "buy": "bought",
    "sell": "sold",
    "leave": "left",
    "become": "became",
    "come": "came",
    "go": "went",
    "see": "saw",
    "write": "wrote",
}
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
# A "claim" starting with one of these is a fragment of a mis-parsed clause.
WH_WORDS = {"how", "what", "why", "which", "who", "whom", "when", "where", "whether", "that"}


@dataclass(frozen=True)
class Claim:
    claim_id: str
    article_id: str
    sentence_index: int
    text: str
    span_start: int
    span_end: int
    speaker: str | None
    via: str | None
    kind: str  # factual | attribution | opinion
    claim_date: str | None
    is_date_explicit: bool
    slots: tuple[Slot, ...] = field(default_factory=tuple)
    checkworthiness: float = 0.0


@dataclass(frozen=True)
class Phrase:
    """Words of a claim: original tokens, or a replacement text standing for them."""

    text: str
    tokens: tuple[Token, ...]
    entity: str | None = None  # the entity a pronoun or description was resolved to
    entity_label: str = ""  # its NER label (GPE, PERSON, ORG)


@dataclass(frozen=True)
class Context:
    """What a clause inherits from the sentence around it."""

    article: Article
    sentence_index: int
    dominant_place: str | None
    speaker: str | None = None
    via: str | None = None
    inherited_date: str | None = None
    actor: Phrase | None = None  # who does what a participle describes

    def with_actor(self, actor: Phrase | None) -> Context:
        """Return this context for a clause whose implicit subject is actor."""
        return replace(self, actor=actor)


def extract_claims(article: Article, doc: Doc) -> list[Claim]:
    """Return the atomic claims of an article whose masked text was parsed into doc."""
    place = dominant_place(doc)
    claims: list[Claim] = []
    by_start = {s.start: s for s in article.sentences}
    for span in doc.sents:
        stripped_start = span.start_char + (len(span.text) - len(span.text.lstrip()))
        sentence = by_start.get(stripped_start)
        if sentence is None:
            continue
        ctx = Context(article, sentence.index, place)
        claims.extend(sentence_claims(span, ctx))
    return dedupe(claims)


def dominant_place(doc: Doc) -> str | None:
    """Return the most mentioned country or city, which "the country" usually means."""
    places = Counter(canonical_entity(e.text) for e in doc.ents if e.label_ == "GPE")
    return places.most_common(1)[0][0] if places else None


def sentence_claims(span: Span, ctx: Context) -> list[Claim]:
    """Return the claims of one sentence: attribution first, then the reported content."""
    root = span.root
    via_tokens = attribution_via(span)
    via = via_name(via_tokens) if via_tokens else None
    ctx = Context(ctx.article, ctx.sentence_index, ctx.dominant_place, via=via)
    skip = {t.i for t in via_tokens}
    subject = first_child(root, SUBJECT_DEPS)
    contents = [c for c in root.children if c.dep_ == "ccomp"]
    if root.lemma_.lower() in SAY_LEMMAS and subject is not None and contents:
        speaker_phrase = noun_phrase(subject, ctx)
        speaker = speaker_name(speaker_phrase)
        time_tokens = time_modifiers(root)
        said_date = date_of(time_tokens, ctx.article.published)
        # The side facts of participles are claims of their own, not part of who said what.
        side = {
            i
            for c in contents
            for a in c.children
            if a.dep_ == "advcl" and a.tag_ in {"VBG", "VBN"}
            for i in subtree_ids(a)
        }
        for content in contents:
            for _, appos in appositives(content, side):
                side |= subtree_ids(appos) | set(clause_commas(appos))
        # "X rose 5.4%, the department said, matching the fastest pace": the participle
        # describes what was reported, so its actor is the reported clause's subject.
        report_participles = [a for a in root.children if a.dep_ == "advcl" and a.tag_ == "VBG"]
        for participle in report_participles:
            side |= subtree_ids(participle) | set(clause_commas(participle))
        attribution_tokens = [t for t in span if t.i not in skip | side and not t.is_space]
        claims = [make_claim(ctx, attribution_tokens, "attribution", speaker, via, said_date)]
        inner = Context(
            ctx.article,
            ctx.sentence_index,
            ctx.dominant_place,
            speaker,
            via,
            said_date,
            actor=speaker_phrase,
        )
        if is_negated_verb(root):
            return claims  # "did not find that X": X is not asserted by anyone here
        for content in contents:
            for verb in coordinated_verbs(content):
                claims.extend(clause_claims(verb, inner, skip))
        reported = first_child(contents[0], SUBJECT_DEPS)
        if reported is not None:
            reported_ctx = inner.with_actor(noun_phrase(reported, ctx))
            for participle in report_participles:
                claims.extend(clause_claims(participle, reported_ctx, skip))
        return claims
    actor = noun_phrase(subject, ctx) if subject is not None else None
    inner = Context(ctx.article, ctx.sentence_index, ctx.dominant_place, None, via, None, actor)
    claims = []
    for verb in coordinated_verbs(root):
        claims.extend(clause_claims(verb, inner, skip))
    return claims


def coordinated_verbs(verb: Token) -> list[Token]:
    """Return the verb and the verbs coordinated with it ("…, and people would be investigated")."""
    verbs = [verb]
    for child in verb.children:
        if child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"}:
            verbs.extend(coordinated_verbs(child))
    return verbs


def clause_claims(verb: Token, ctx: Context, skip: set[int]) -> list[Claim]:
    """Return the claims of one clause: each conjunct split out, time and side facts apart."""
    subject_token = first_child(verb, SUBJECT_DEPS)
    if subject_token is not None and subject_token.tag_ in {"WDT", "WP"} and ctx.actor is not None:
        subject = ctx.actor  # "a spacecraft that will crash": the spacecraft will crash
    elif subject_token is not None:
        subject = noun_phrase(subject_token, ctx)
    else:
        subject = ctx.actor
    if subject is None or verb.pos_ not in {"VERB", "AUX"}:
        return []
    excluded = set(skip)
    if subject_token is not None:
        excluded |= subtree_ids(subject_token)
    side_claims: list[Claim] = []
    # In reported speech ("the bank announced that X is illegal, banning Y") the
    # participle's actor is the speaker, not the subject of the reported clause.
    actor_for_nested = ctx.actor if ctx.speaker or subject_token is None else subject
    nested_ctx = ctx.with_actor(actor_for_nested)
    time_tokens = tuple(t for t in time_modifiers(verb) if t.i not in skip)
    excluded |= {t.i for t in time_tokens}
    nested_skip = skip | {t.i for t in time_tokens}
    issuer = issuing_agent(verb)
    keeps_cc = any(c.dep_ == "conj" and c.pos_ not in {"VERB", "AUX"} for c in verb.children)
    for child in verb.children:
        if child.dep_ == "cc" and keeps_cc:
            continue  # "rose 4% … and 0.2% …": the parser hung a second object on the verb
        if child.dep_ in CLAUSE_DROP_DEPS - {"punct"} or child.lower_ == "also":
            excluded.add(child.i)
        elif child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"}:
            excluded |= subtree_ids(child)  # handled by coordinated_verbs
        elif child.dep_ == "advcl" and child.tag_ in {"VBG", "VBN"}:
            excluded |= subtree_ids(child)
            for nested in coordinated_verbs(child):
                side_claims.extend(clause_claims(nested, nested_ctx, nested_skip))
        elif child.dep_ == "prep" and child.lower_ == "with":
            absolute = [
                g for g in child.children if g.dep_ == "pcomp" and first_child(g, SUBJECT_DEPS)
            ]
            if absolute:
                excluded |= subtree_ids(child)
                side_claims.extend(clause_claims(absolute[0], nested_ctx, nested_skip))
    if subject_token is not None:
        for clause in nonrestrictive_clauses(subject_token):
            # "Core prices, which exclude food, rose 4%": prices exclude food; prices rose 4%.
            cut = subtree_ids(clause) | set(clause_commas(clause))
            excluded |= cut
            if subject.text == join_tokens(list(subject.tokens)):  # not a resolved stand-in
                kept = tuple(t for t in subject.tokens if t.i not in cut)
                subject = Phrase(join_tokens(list(kept)), kept)
            side_claims.extend(clause_claims(clause, ctx.with_actor(subject), nested_skip))
    subject_ids = subtree_ids(subject_token) if subject_token is not None else set()
    for noun in [
        t for t in verb.subtree if t.i not in excluded | subject_ids and t.pos_ in {"NOUN", "PROPN"}
    ]:
        for clause in nonrestrictive_clauses(noun):
            # "report to Phil Spencer, who leads the division": Spencer leads the division.
            cut = subtree_ids(clause) | set(clause_commas(clause))
            excluded |= cut
            noun_tokens = [t for t in noun.subtree if t.i not in cut and not t.is_space]
            described = Phrase(join_tokens(trim_punct(noun_tokens)), tuple(noun_tokens))
            relative_ctx = ctx.with_actor(described)
            side_claims.extend(clause_claims(clause, relative_ctx, nested_skip))
    for noun, clause in peelable_relative_clauses(verb):
        excluded |= subtree_ids(clause)
        described = Phrase(definite(noun), (noun,))
        relative_ctx = ctx.with_actor(described)
        side_claims.extend(clause_claims(clause, relative_ctx, nested_skip))
    for head, appos in appositives(verb, excluded):
        # "strike Dimorphos, a moonlet that orbits Didymos": Dimorphos is a moonlet;
        # Dimorphos orbits Didymos; the spacecraft will strike Dimorphos.
        excluded |= subtree_ids(appos) | set(clause_commas(appos))
        side_claims.extend(appositive_claims(head, appos, ctx, nested_skip))
    # After a reporting verb, "that" opens what was said, not a relative clause.
    reporting = verb.lemma_.lower() in SAY_LEMMAS
    for clause in [] if reporting else object_relative_clauses(verb, excluded):
        excluded |= subtree_ids(clause)
        side_claims.extend(object_relative_claim(clause, ctx))
    for second in misattached_participles(verb):
        # "preventing Ant Group from providing services and restricting mining": the parser
        # hangs "restricting" on "providing"; it is the actor's second action.
        excluded |= subtree_ids(second) | {c.i for c in second.head.children if c.dep_ == "cc"}
        side_claims.extend(clause_claims(second, ctx, nested_skip))
    for child in verb.children:
        if is_asserted_subclause(child) and child.i not in excluded:
            excluded |= subtree_ids(child) | set(clause_commas(child))
            side_claims.extend(clause_claims(child, nested_ctx, nested_skip))
    if issuer is not None:
        excluded |= subtree_ids(issuer.head) if issuer.head.dep_ == "prep" else set()
    kept = [
        t
        for t in verb.subtree
        if t.i not in excluded and not t.is_space and t.text not in QUOTE_CHARS
    ]
    predicate = trim_punct(inner_punctuation_only(kept))
    if subject_token is None and not has_complement(predicate, verb):
        return side_claims
    explicit_date = date_of(time_tokens, ctx.article.published)
    claim_date = explicit_date or ctx.inherited_date
    past = is_past(verb)
    claims: list[Claim] = []
    core_subject = issuer_phrase(issuer, ctx) if issuer is not None else subject
    # With a time modifier, the dated claim below states the fact; an undated copy would
    # only add a weaker twin. The issuer claim ("11 agencies issued …") is a fact of its own.
    if issuer is not None or not time_tokens:
        for subj in split_conjuncts(core_subject, ctx):
            for pred in split_object(predicate, verb):
                claims.append(build(ctx, subj, pred, verb, past, claim_date, False))
    if time_tokens:
        with_time = trim_punct(
            inner_punctuation_only(sorted(kept + list(time_tokens), key=lambda t: t.i))
        )
        claims.append(
            build(ctx, subject, with_time, verb, past, explicit_date, True, on_time=time_tokens)
        )
    return claims + side_claims


def build(
    ctx: Context,
    subject: Phrase,
    predicate: Sequence[Token],
    verb: Token,
    past: bool,
    claim_date: str | None,
    is_explicit: bool,
    on_time: Sequence[Token] = (),
) -> Claim:
    """Return one claim from a subject phrase and predicate tokens."""
    time_ids = {t.i for t in on_time}
    first_time = min(time_ids) if time_ids else None
    replacements: dict[int, str] = {}
    if verb.tag_ == "VBG" and verb.dep_ != "ROOT":
        replacements[verb.i] = inflect(verb.lemma_, past)
    if first_time is not None and needs_on(on_time):
        replacements[first_time] = "on " + verb.doc[first_time].text
    # Words fronted before an in-place subject ("On a monthly basis, the index climbed")
    # stay in front of it; a resolved or inherited subject leads the claim.
    start = min((t.i for t in subject.tokens), default=-1)
    in_place = (
        subject.tokens and verb.i > start and all(t.i not in time_ids for t in subject.tokens)
    )
    fronted = [t for t in predicate if in_place and t.i < start]
    rest = [t for t in predicate if t not in fronted]
    lead = join_tokens(trim_punct(fronted), replacements) if fronted else ""
    text = tidy(f"{lead} {subject.text} {join_tokens(rest, replacements)}")
    tokens = list(subject.tokens) + list(predicate)
    extra = [predicate_slot(verb)]
    extra += topic_slots(subject, predicate, verb)
    if subject.entity:
        extra.append(Slot("entity", subject.entity, subject.entity_label, subject.text))
    return make_claim(
        ctx, tokens, "factual", ctx.speaker, ctx.via, claim_date, text, is_explicit, tuple(extra)
    )


def predicate_slot(verb: Token) -> Slot:
    """Return the claim's predicate term; for "is illegal" that is "illegal", not "be"."""
    if verb.lemma_ == "be":
        complement = first_child(verb, {"acomp", "attr", "oprd"})
        if complement is not None and term_of(complement):
            return Slot("predicate", term_of(complement), "", complement.text)
    return Slot("predicate", term_of(verb) or verb.lemma_.lower(), "", verb.text)


def topic_slots(subject: Phrase, predicate: Sequence[Token], verb: Token) -> list[Slot]:
    """Return what the claim is about, for matching. "qualifier" slots: the noun modifiers
    of the subject and object heads ("mining" in "mining activities"), which say which kind
    of thing is meant. "object" slot: a noun-compound object ("derivatives trading"), with
    its noun modifiers as unit, one of whose words a supporting sentence has to name."""
    objects = [
        t
        for t in predicate
        if t.dep_ in OBJECT_DEPS or (t.dep_ == "conj" and t.head.dep_ in OBJECT_DEPS | {"conj"})
    ]
    heads = [
        t
        for t in (*subject.tokens, *objects)
        if t.pos_ in {"NOUN", "PROPN"} or (t.pos_ == "VERB" and t.tag_ == "VBG" and t in objects)
    ]
    slots = []
    for head in heads:
        if head.dep_ in {"compound", "poss", "npadvmod", "amod"}:
            continue
        head_term = term_of(head)
        if not head_term:
            continue
        nouns = [
            term_of(c)
            for c in head.children
            if c.dep_ in {"compound", "npadvmod"} and c.pos_ == "NOUN"
        ]
        nouns = [m for m in nouns if m]
        slots += [Slot("qualifier", m, head_term, "") for m in nouns]
        if head in objects and nouns:
            slots.append(Slot("object", head_term, ";".join(nouns), head.text))
    return slots


def make_claim(
    ctx: Context,
    tokens: Sequence[Token],
    kind: str,
    speaker: str | None,
    via: str | None,
    claim_date: str | None,
    text: str | None = None,
    is_explicit: bool | None = None,
    extra_slots: tuple[Slot, ...] = (),
) -> Claim:
    """Return a claim with its span, slots and content-hash id."""
    tokens = [t for t in tokens if not t.is_space]
    if text is None:
        text = tidy(join_tokens([t for t in trim_punct(tokens) if t.text not in QUOTE_CHARS]))
    reference = ctx.article.published
    slots = extract_slots(tokens, reference) + extra_slots
    explicit = any(s.kind == "date" for s in slots) if is_explicit is None else is_explicit
    if claim_date is None:
        # A date the claim states is its time; otherwise it inherits the article's.
        stated = [s.value for s in slots if s.kind == "date"]
        claim_date = stated[0] if stated else (reference.isoformat() if reference else None)
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t.text) for t in tokens)
    if kind == "factual" and is_opinion(tokens):
        kind = "opinion"
    return Claim(
        claim_id=content_id("claim", ctx.article.article_id, text),
        article_id=ctx.article.article_id,
        sentence_index=ctx.sentence_index,
        text=text,
        span_start=start,
        span_end=end,
        speaker=speaker,
        via=via,
        kind=kind,
        claim_date=claim_date,
        is_date_explicit=explicit,
        slots=slots,
        checkworthiness=checkworthiness(kind, slots, explicit),
    )


FIRST_PERSON = {"i", "we", "me", "us", "my", "our", "mine", "ours"}
NORMATIVE_MODALS = {"should", "ought", "shall"}
QUANTITY_KINDS = {"number", "money", "percent"}


def is_opinion(tokens: Sequence[Token]) -> bool:
    """True for a judgement rather than a checkable fact: first person, "should", or a
    quoted verdict with nothing to measure ("Today's ruling isn't a win for developers")."""
    words = {t.lower_ for t in tokens}
    if words & FIRST_PERSON or words & NORMATIVE_MODALS:
        return True
    quoted = any(t.is_quote for t in tokens[0].sent) if tokens else False
    copular = any(
        t.lemma_ == "be" and any(c.dep_ in {"attr", "acomp"} for c in t.children) for t in tokens
    )
    measurable = any(
        t.like_num or t.ent_type_ in {"MONEY", "PERCENT", "CARDINAL", "QUANTITY"} for t in tokens
    )
    return quoted and copular and not measurable


def checkworthiness(kind: str, slots: Sequence[Slot], is_date_explicit: bool) -> float:
    """Return 0-1: how much a claim is worth checking. Quantities, explicit dates and named
    entities make a claim checkable; opinions are judgements, not facts."""
    kinds = {s.kind for s in slots}
    score = (
        0.35
        + 0.25 * bool(kinds & QUANTITY_KINDS)
        + 0.15 * is_date_explicit
        + 0.15 * ("entity" in kinds)
    )
    if kind == "attribution":
        score = 0.5 + 0.2 * bool(kinds & QUANTITY_KINDS)
    if kind == "opinion":
        score *= 0.4
    return round(min(score, 1.0), 2)


def noun_phrase(head: Token, ctx: Context) -> Phrase:
    """Return a subject phrase with "the country" and demonstratives resolved."""
    tokens = tuple(t for t in head.subtree if not t.is_space and t.text not in QUOTE_CHARS)
    words = [t.lower_ for t in tokens]
    if head.lemma_.lower() in DEFINITE_PLACE_NOUNS and words[:1] == ["the"] and ctx.dominant_place:
        return Phrase(ctx.dominant_place, tokens, ctx.dominant_place, "GPE")
    if head.pos_ == "PRON" and head.lower_ in {"he", "she"}:
        person = latest_entity(head, {"PERSON"})
        if person is not None:
            return Phrase(person, tokens, person, "PERSON")
    if words[:1] == ["the"] and len(tokens) == 2 and head.lemma_.lower() in DEFINITE_ORG_NOUNS:
        org = latest_entity(head, {"ORG"})
        if org is not None:
            return Phrase(org, tokens, org, "ORG")
    text = "".join(t.text_with_ws for t in tokens).strip()
    if words and words[0] in DEMONSTRATIVES and len(tokens) > 1:
        rest = "".join(t.text_with_ws for t in tokens[1:]).strip()
        text = f"The {rest} {antecedent_description(head)}".strip()
    return Phrase(text, tokens)


def antecedent_description(head: Token) -> str:
    """Return what "these services" refers to, from the sentence before: "financial
    institutions cannot offer" when it said "Financial institutions cannot offer services";
    "" when no such mention is found."""
    sentence = head.sent
    if sentence.start == 0:
        return ""
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
        return f"{phrase} {join_tokens(verb_words)}"
    return ""


def latest_entity(token: Token, labels: set[str]) -> str | None:
    """Return the last entity of those labels mentioned before token (its likely referent)."""
    before = [e for e in token.doc.ents if e.label_ in labels and e.end <= token.i]
    return canonical_entity(before[-1].text) if before else None


def speaker_name(phrase: Phrase) -> str:
    """Return who spoke: an alias-table name for the whole phrase ("China's central bank"),
    else the first person or organisation named in it ("Epic chief executive Tim Sweeney"
    -> "Tim Sweeney"), else the phrase without its article."""
    whole = canonical_entity(strip_parenthetical(phrase.text))
    if whole != strip_parenthetical(phrase.text).removeprefix("the ").removeprefix("The "):
        return whole
    for token in phrase.tokens:
        if token.ent_type_ in {"PERSON", "ORG"}:
            ent = next(e for e in token.doc.ents if e.start <= token.i < e.end)
            return canonical_entity(ent.text)
    return whole


def strip_parenthetical(text: str) -> str:
    return text.split("(")[0].strip()


def split_conjuncts(phrase: Phrase, ctx: Context) -> list[Phrase]:
    """Return one phrase per coordinated noun ("A and B" -> A, B); shared determiners kept."""
    if not phrase.tokens:
        return [phrase]
    head = min(phrase.tokens, key=lambda t: abs(t.head.i - t.i) if t.head in phrase.tokens else -1)
    heads = [
        t for t in phrase.tokens if t.dep_ not in {"conj", "cc"} and t.head not in phrase.tokens
    ]
    head = heads[0] if heads else head
    conjuncts = conjunct_chain(head)
    if len(conjuncts) < 2 or phrase.text != "".join(t.text_with_ws for t in phrase.tokens).strip():
        return [phrase]
    return [Phrase(text, toks) for text, toks in conjunct_texts(conjuncts)]


def split_object(predicate: list[Token], verb: Token) -> list[list[Token]]:
    """Return predicate variants, one per coordinated object ("include A, B and C") or
    coordinated prepositional phrase ("a win for developers or for consumers")."""
    elliptical = split_elliptical(predicate, verb) or split_examples(predicate)
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
        conjuncts = conjunct_chain(obj)
        if len(conjuncts) < 2:
            continue
        whole = subtree_ids(obj)
        outside = [t for t in predicate if t.i not in whole]
        variants = []
        for _, toks in conjunct_texts(conjuncts):
            variant = sorted(outside + list(toks), key=lambda t: t.i)
            variants.append(variant)
        return variants
    return [predicate]


def split_nominal_coordination(predicate: list[Token]) -> list[list[Token]] | None:
    """Return two predicates for "reduce energy consumption and carbon emissions", which the
    parser reads as one noun ("emissions") with a coordinated modifier ("consumption and")."""
    present = {t.i for t in predicate}
    for noun in predicate:
        for modifier in noun.children:
            ccs = [c for c in modifier.children if c.dep_ == "cc"]
            if modifier.dep_ != "nmod" or not ccs or modifier.i not in present:
                continue
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
    shared_det = [
        t for t in conjuncts[0].children if t.dep_ in {"det", "predet"} and t.i < conjuncts[0].i
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
            if t.i in own and t.i not in nested and t.dep_ not in {"cc", "punct"}
        ]
        if index > 0 and not any(t.dep_ in {"det", "predet", "poss"} for t in toks):
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
        if (
            any(c.dep_ == "relcl" for c in verb.subtree if c.head.i == token.i)
            or token.i > token.head.i
        ):
            pairs.append((token.head, token))
    doc = verb.doc
    objects = [c for c in verb.children if c.dep_ in {"dobj", "npadvmod", "attr"}]
    for second in objects[1:]:
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


def appositive_claims(head: Token, appos: Token, ctx: Context, skip: set[int]) -> list[Claim]:
    """Return "<noun> is <appositive>" and the facts of the appositive's relative clauses."""
    appos_ids = subtree_ids(appos)
    head_tokens = [
        t
        for t in head.subtree
        if t.i not in appos_ids
        and t.i not in clause_commas(appos)
        and not t.is_space
        and t.i < min(appos_ids)
    ]
    clauses = [c for c in appos.subtree if c.dep_ == "relcl" and c.head.i == appos.i]
    clause_ids = set().union(*(subtree_ids(c) for c in clauses)) if clauses else set()
    appos_tokens = [t for t in appos.subtree if t.i not in clause_ids and not t.is_space]
    head_text = join_tokens(trim_punct(head_tokens))
    text = tidy(f"{head_text} is {join_tokens(trim_punct(appos_tokens))}")
    claims = [
        make_claim(
            ctx,
            head_tokens + appos_tokens,
            "factual",
            ctx.speaker,
            ctx.via,
            ctx.inherited_date,
            text,
            False,
            (Slot("predicate", "be", "", "is"),),
        )
    ]
    described = ctx.with_actor(Phrase(head_text, tuple(head_tokens)))
    for clause in clauses:
        claims.extend(clause_claims(clause, described, skip))
    return claims


def object_relative_clauses(verb: Token, excluded: set[int]) -> list[Token]:
    """Return relative clauses with a subject of their own ("the record that Griffith-Joyner
    set in 1988"): a second fact, about who did what to the noun."""
    clauses = []
    for token in verb.subtree:
        if token.dep_ != "relcl" or token.i in excluded:
            continue
        subject = first_child(token, SUBJECT_DEPS)
        pronoun = any(
            c.tag_ in {"WDT", "WP"} and c.dep_ in {"dobj", "pobj"} for c in token.children
        )
        if subject is not None and subject.tag_ not in {"WDT", "WP"} and pronoun:
            clauses.append(token)
    return clauses


def object_relative_claim(clause: Token, ctx: Context) -> list[Claim]:
    """Return "<subject> <verb> <the noun phrase> <rest>" for an object relative clause."""
    noun = clause.head
    while noun.head.dep_ == "prep" and noun.head.head.pos_ in {"NOUN", "PROPN"}:
        noun = noun.head.head  # "the record of 10.62 seconds that …": the record
    clause_ids = subtree_ids(clause)
    subject = first_child(clause, SUBJECT_DEPS)
    subject_ids = subtree_ids(subject)
    np_tokens = [t for t in noun.subtree if t.i not in clause_ids and not t.is_space]
    rest = [
        t
        for t in clause.subtree
        if t.i not in subject_ids and t.tag_ not in {"WDT", "WP"} and not t.is_space
    ]
    verb_part = [t for t in rest if t.i <= clause.i]
    after = [t for t in rest if t.i > clause.i]
    text = tidy(
        " ".join(
            p
            for p in (
                join_tokens(list(subject.subtree)),
                join_tokens(verb_part),
                join_tokens(trim_punct(np_tokens)),
                join_tokens(after),
            )
            if p
        )
    )
    slot = Slot("predicate", term_of(clause) or clause.lemma_.lower(), "", clause.text)
    return [
        make_claim(
            ctx,
            list(subject.subtree) + np_tokens + rest,
            "factual",
            ctx.speaker,
            ctx.via,
            ctx.inherited_date,
            text,
            None,
            (slot,),
        )
    ]


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


def is_asserted_subclause(token: Token) -> bool:
    """True for a finite adverbial clause with its own subject ("…, when the pair will be …")."""
    if token.dep_ != "advcl" or token.tag_ in {"VBG", "VBN"}:
        return False
    markers = {c.lower_ for c in token.children if c.dep_ in {"mark", "advmod"}}
    return bool(markers & ASSERTING_MARKERS) and first_child(token, SUBJECT_DEPS) is not None


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


def issuer_phrase(pobj: Token, ctx: Context) -> Phrase:
    tokens = tuple(t for t in pobj.subtree if t.ent_type_ != "DATE" and not t.is_space)
    return Phrase("".join(t.text_with_ws for t in tokens).strip(), tokens)


def time_modifiers(verb: Token) -> tuple[Token, ...]:
    """Return the tokens of date modifiers attached to the verb ("Friday", "in August")."""
    found: list[Token] = []
    for child in verb.children:
        if child.ent_type_ == "DATE" and child.dep_ in {"npadvmod", "tmod", "compound", "nmod"}:
            found.extend(t for t in child.subtree if t.ent_type_ == "DATE")
        elif child.dep_ == "prep" and child.lower_ in {"in", "on", "since", "by"}:
            pobj = first_child(child, {"pobj"})
            if pobj is not None and pobj.ent_type_ == "DATE":
                found.extend([child, *pobj.subtree])
        elif child.dep_ in {"advcl", "acl"}:
            # "… agencies Friday warning of …": the parser can hang the date on a participle.
            found.extend(
                t for t in child.children if t.ent_type_ == "DATE" and t.dep_ == "compound"
            )
    return tuple(sorted(set(found), key=lambda t: t.i))


def date_of(tokens: Sequence[Token], reference: date | None) -> str | None:
    if not tokens:
        return None
    return resolve_date(" ".join(t.text for t in tokens), reference)


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
            ent = next(e for e in token.doc.ents if e.start <= token.i < e.end)
            return canonical_entity(ent.text)
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
    while node.tag_ == "VBG" and node.head is not node:
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


def inflect(lemma: str, past: bool) -> str:
    """Return the past tense ("banned") or third-person present ("bans") of a verb lemma."""
    lemma = lemma.lower()
    if not past:
        if lemma.endswith(("s", "sh", "ch", "x", "z")):
            return lemma + "es"
        if lemma.endswith("y") and lemma[-2:-1] not in set("aeiou"):
            return lemma[:-1] + "ies"
        return lemma + "s"
    if lemma in IRREGULAR_PAST:
        return IRREGULAR_PAST[lemma]
    if lemma.endswith("e"):
        return lemma + "d"
    if lemma.endswith("y") and lemma[-2:-1] not in set("aeiou"):
        return lemma[:-1] + "ied"
    consonants = set("bcdfghjklmnpqrstvwxyz")
    if (
        len(lemma) <= 4
        and len(lemma) >= 3
        and lemma[-1] in consonants - set("wxy")
        and lemma[-2] in set("aeiou")
        and lemma[-3] in consonants
    ):
        return lemma + lemma[-1] + "ed"  # ban -> banned, stop -> stopped
    return lemma + "ed"


def tidy(text: str) -> str:
    """Return claim text with quotes dropped, spacing normalised and a capital first letter."""
    for quote in QUOTE_CHARS:
        text = text.replace(quote, "" if quote in '“”"' else quote)
    text = " ".join(text.split()).replace(" ,", ",").replace(" .", ".").strip(" ,;")
    text = text.replace("( ", "(").replace(" )", ")")
    return text[:1].upper() + text[1:]


def dedupe(claims: list[Claim]) -> list[Claim]:
    """Return claims with repeated texts and fragments dropped, first occurrence kept."""
    seen: dict[str, Claim] = {}
    for claim in claims:
        first_word = claim.text.split()[0].lower() if claim.text else ""
        if len(claim.text.split()) >= 3 and first_word not in WH_WORDS:
            seen.setdefault(claim.claim_id, claim)
    return list(seen.values())
