"""Atomic claims from an article's dependency parse: split, attributed, dated and slotted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span, Token

from claimwatch.article import Article
from claimwatch.ids import content_id
from claimwatch.slots import Slot, canonical_entity, extract_slots, resolve_date
from claimwatch.text import term_of

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
}
ISSUE_LEMMAS = {"issue", "release", "publish", "sign", "send"}
SUBJECT_DEPS = {"nsubj", "nsubjpass", "csubj"}
OBJECT_DEPS = {"dobj", "attr", "oprd", "acomp"}
CLAUSE_DROP_DEPS = {"cc", "punct", "mark", "preconj"}
DEFINITE_PLACE_NOUNS = {"country", "nation"}
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
    kind: str  # factual | attribution
    claim_date: str | None
    is_date_explicit: bool
    slots: tuple[Slot, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Phrase:
    """Words of a claim: original tokens, or a replacement text standing for them."""

    text: str
    tokens: tuple[Token, ...]


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
        speaker = canonical_entity(strip_parenthetical(speaker_phrase.text))
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
        for content in contents:
            for verb in coordinated_verbs(content):
                claims.extend(clause_claims(verb, inner, skip))
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
    subject = noun_phrase(subject_token, ctx) if subject_token is not None else ctx.actor
    if subject is None or verb.pos_ not in {"VERB", "AUX"}:
        return []
    excluded = set(skip)
    if subject_token is not None:
        excluded |= subtree_ids(subject_token)
    side_claims: list[Claim] = []
    # In reported speech ("the bank announced that X is illegal, banning Y") the
    # participle's actor is the speaker, not the subject of the reported clause.
    actor_for_nested = ctx.actor if ctx.speaker or subject_token is None else subject
    nested_ctx = Context(
        ctx.article,
        ctx.sentence_index,
        ctx.dominant_place,
        ctx.speaker,
        ctx.via,
        ctx.inherited_date,
        actor_for_nested,
    )
    time_tokens = tuple(t for t in time_modifiers(verb) if t.i not in skip)
    excluded |= {t.i for t in time_tokens}
    nested_skip = skip | {t.i for t in time_tokens}
    issuer = issuing_agent(verb)
    for child in verb.children:
        if child.dep_ in CLAUSE_DROP_DEPS or child.lower_ == "also":
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
    if issuer is not None:
        excluded |= subtree_ids(issuer.head) if issuer.head.dep_ == "prep" else set()
    predicate = [
        t
        for t in verb.subtree
        if t.i not in excluded and not t.is_space and t.text not in QUOTE_CHARS
    ]
    predicate = trim_punct(predicate)
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
        with_time = sorted(predicate + list(time_tokens), key=lambda t: t.i)
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
    text = tidy(f"{subject.text} {join_tokens(predicate, replacements)}")
    tokens = list(subject.tokens) + list(predicate)
    verb_slot = Slot("predicate", term_of(verb) or verb.lemma_.lower(), "", verb.text)
    return make_claim(
        ctx, tokens, "factual", ctx.speaker, ctx.via, claim_date, text, is_explicit, (verb_slot,)
    )


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
    if claim_date is None and reference is not None:
        claim_date = reference.isoformat()
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t.text) for t in tokens)
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
    )


def noun_phrase(head: Token, ctx: Context) -> Phrase:
    """Return a subject phrase with "the country" and demonstratives resolved."""
    tokens = tuple(t for t in head.subtree if not t.is_space and t.text not in QUOTE_CHARS)
    words = [t.lower_ for t in tokens]
    if head.lemma_.lower() in DEFINITE_PLACE_NOUNS and words[:1] == ["the"] and ctx.dominant_place:
        return Phrase(ctx.dominant_place, tokens)
    text = "".join(t.text_with_ws for t in tokens).strip()
    if words and words[0] in DEMONSTRATIVES and len(tokens) > 1:
        text = "The " + "".join(t.text_with_ws for t in tokens[1:]).strip()
    return Phrase(text, tokens)


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
    """Return predicate variants, one per coordinated object ("include A, B and C")."""
    objects = [c for c in verb.children if c.dep_ in OBJECT_DEPS]
    if not objects:
        objects = [
            g for c in verb.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"
        ]
    present = {t.i for t in predicate}
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


def conjunct_chain(head: Token) -> list[Token]:
    """Return head and every noun coordinated with it, in order."""
    chain = [head]
    for child in head.children:
        if child.dep_ == "conj" and child.pos_ in {"NOUN", "PROPN", "VERB", "ADJ"}:
            chain.extend(conjunct_chain(child))
    return chain[:MAX_CONJUNCTS]


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
    return bool(time_tokens) and time_tokens[0].lower_ not in {
        "in",
        "on",
        "since",
        "by",
        "last",
        "this",
    }


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


def first_child(token: Token, deps: set[str]) -> Token | None:
    return next((c for c in token.children if c.dep_ in deps), None)


def subtree_ids(token: Token) -> set[int]:
    return {t.i for t in token.subtree}


def trim_punct(tokens: Sequence[Token]) -> list[Token]:
    tokens = list(tokens)
    while tokens and (tokens[-1].is_punct or tokens[-1].dep_ == "cc"):
        tokens.pop()
    while tokens and (tokens[0].is_punct and tokens[0].text not in "$£€"):
        tokens.pop(0)
    return tokens


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
