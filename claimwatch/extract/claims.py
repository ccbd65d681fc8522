"""Atomic claims from an article's dependency parse: split, attributed, dated and slotted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from claimwatch.article import Article
from claimwatch.extract.nominals import verb_of
from claimwatch.extract.slots import extract_slots
from claimwatch.extract.slots.base import Slot, preposition_object, said_when
from claimwatch.extract.slots.dates import date_direction, resolve_date
from claimwatch.extract.slots.entities import ENTITY_LABELS, canonical_entity, entity_of
from claimwatch.extract.slots.numbers import listed_unit_noun
from claimwatch.extract.slots.polarity import MEMBERSHIP_LEMMAS, SAY_LEMMAS
from claimwatch.extract.syntax import (
    FIGURE_ENTS,
    OBJECT_DEPS,
    QUOTE_CHARS,
    SUBJECT_DEPS,
    TITLE_WORDS,
    antecedent_description,
    appositives,
    attribution_via,
    clause_commas,
    conjunct_chain,
    conjunct_texts,
    coordinated_verbs,
    definite,
    described_organisation,
    earlier_level,
    figure_before,
    first_child,
    first_time_phrase,
    first_time_span,
    gapped_conjuncts,
    has_complement,
    has_number,
    inflect,
    inner_punctuation_only,
    is_asserted_subclause,
    is_clause_marker,
    is_negated_verb,
    is_participial,
    is_past,
    is_restricted,
    issuing_agent,
    join_tokens,
    latest_entity,
    measured_asides,
    misattached_participles,
    misparsed_report,
    needs_on,
    nonrestrictive_clauses,
    object_relative_clauses,
    own_figures,
    peelable_relative_clauses,
    prior_change,
    progressive,
    split_change,
    split_object,
    split_respectively,
    stranded_object_clause,
    strip_parenthetical,
    subtree_ids,
    summarised_event,
    summary_appositive,
    summary_tail_ids,
    tidy,
    time_modifiers,
    trailing_comparisons,
    trim_punct,
    via_name,
)
from claimwatch.ids import content_id
from claimwatch.text import term_of

CLAUSE_DROP_DEPS = {"cc", "punct", "mark", "preconj"}
DEFINITE_PLACE_NOUNS = {"country", "nation"}
# "the agency said": the organisation last named, when the article named one.
DEFINITE_ORG_NOUNS = {
    "agency",
    "bank",
    "company",
    "firm",
    "group",
    "regulator",
    "ministry",
    "department",
}
DEMONSTRATIVES = {"these", "this", "those", "that"}
DISJUNCTIONS = {"or", "either", "nor", "neither"}
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
    # "The services financial institutions cannot offer": a set defined by a negated act.
    negated_definition: bool = False


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
    # doc.ents builds every entity span anew, and Span.ents walks them all: read them once.
    ents = list(doc.ents)
    for span in doc.sents:
        stripped_start = span.start_char + (len(span.text) - len(span.text.lstrip()))
        sentence = by_start.get(stripped_start)
        if sentence is None:
            continue
        ctx = Context(article, sentence.index, place)
        claims.extend(sentence_claims(span, ctx))
        own = [e for e in ents if span.start <= e.start and e.end <= span.end]
        claims.extend(title_claims(own, ctx))
    return dedupe(claims)


def dominant_place(doc: Doc) -> str | None:
    """Return the most mentioned country or city, which "the country" usually means."""
    places = Counter(canonical_entity(e.text) for e in doc.ents if e.label_ == "GPE")
    return places.most_common(1)[0][0] if places else None


def person_title(ent: Span) -> list[Token]:
    """Return the title words before a person's name ("Epic chief executive" of "Epic chief
    executive Tim Sweeney"), or [] for none or a one-word title ("President"). Only a
    subject's: the NER names "video game publisher Activision Blizzard" a person."""
    if ent.label_ != "PERSON" or len(ent) < 2 or ent.root.dep_ not in SUBJECT_DEPS:
        return []  # as a subject the name is surely a person's; as an object, less so
    title = [
        t
        for t in ent.root.subtree
        if t.i < ent.start and t.dep_ in {"compound", "amod"} and t.ent_type_ != "PERSON"
    ]
    if len(title) < 2 or title[-1].i != ent.start - 1 or title[-1].pos_ not in {"NOUN", "PROPN"}:
        return []
    return title


def title_claims(ents: Sequence[Span], ctx: Context) -> list[Claim]:
    """Return, for a sentence's named entities, "<name> is <title>" for a person named
    after a title of two words or more:
    "Epic chief executive Tim Sweeney" gives "Tim Sweeney is Epic's chief executive";
    "Kansas City Fed President Esther George", "Esther George is Kansas City Fed
    President". A one-word title ("President Xi Jinping") says too little to check."""
    claims = []
    for ent in ents:
        title = person_title(ent)
        if not title:
            continue
        words = [t.text if t.pos_ == "PROPN" else t.lower_ for t in title]
        # "Epic chief executive": the organisation owns the post, when the post after its
        # name is in lower case ("Kansas City Fed President" is kept as written).
        owner = 1
        while owner < len(title) and title[owner].text[:1].isupper():
            owner += 1
        # "Chief executive Tim Cook": a capitalised post is no owner of the post.
        is_owner = title[0].text[:1].isupper() and title[0].lower_ not in TITLE_WORDS
        if is_owner and 0 < owner < len(title):
            words[owner - 1] = f"{title[owner - 1].text}'s"
        name = canonical_entity(ent.text)
        text = tidy(f"{name} is {' '.join(words)}")
        claims.append(
            make_claim(
                ctx, [*title, *ent], "factual", None, None, ctx.inherited_date, text, False, (IS,)
            )
        )
    return claims


def sentence_claims(span: Span, ctx: Context) -> list[Claim]:
    """Return the claims of one sentence: attribution first, then the reported content."""
    root = span.root
    via_tokens = attribution_via(span)
    via = via_name(via_tokens) if via_tokens else None
    ctx = Context(ctx.article, ctx.sentence_index, ctx.dominant_place, via=via)
    skip = {t.i for t in via_tokens}
    subject = first_child(root, SUBJECT_DEPS)
    contents = [c for c in root.children if c.dep_ == "ccomp"] or misparsed_report(root)
    if root.lemma_.lower() in SAY_LEMMAS and subject is not None and contents:
        # "Musk, who also runs Tesla, has said …": the clause says who he is, apart.
        speaker_clauses = nonrestrictive_clauses(subject)
        aside = set().union(*(subtree_ids(c) | set(clause_commas(c)) for c in speaker_clauses))
        speaker_phrase = without(noun_phrase(subject, ctx), aside)
        speaker = speaker_name(speaker_phrase)
        time_tokens = time_modifiers(root)
        said_date = date_of(time_tokens, ctx.article.published)
        # The side facts of participles are claims of their own, not part of who said what.
        side = {
            i for c in contents for a in c.children if is_participial(a) for i in subtree_ids(a)
        }
        for content in contents:
            for _, appos in appositives(content, side):
                side |= subtree_ids(appos) | set(clause_commas(appos))
            # "said prices rose 7.7%, down from 8.2%": the earlier figure is its own claim.
            set_off = [c for c in content.children if earlier_level(c) is not None]
            for phrase in set_off + benchmark_phrases(content, side):
                side |= subtree_ids(phrase) | set(clause_commas(phrase))
        # "Roger Cox, a lawyer for the groups, said …": who he is is a claim of its own.
        speaker_appositives = subject_appositives(subject)
        for appos in speaker_appositives:
            side |= subtree_ids(appos) | set(clause_commas(appos))
        side |= aside
        # "X rose 5.4%, the department said, matching the fastest pace": the participle
        # describes what was reported, so its actor is the reported clause's subject.
        report_participles = [a for a in root.children if a.dep_ == "advcl" and a.tag_ == "VBG"]
        for participle in report_participles:
            side |= subtree_ids(participle) | set(clause_commas(participle))
        attribution_tokens = [t for t in span if t.i not in skip | side and not t.is_space]
        claims = [
            make_claim(
                ctx,
                attribution_tokens,
                "attribution",
                speaker,
                via,
                said_date,
                named_speaker_text(attribution_tokens, speaker_phrase),
            )
        ]
        for appos in speaker_appositives:
            claims.extend(appositive_claims(subject, appos, ctx, skip))
        for clause in speaker_clauses:
            claims.extend(clause_claims(clause, ctx.with_actor(speaker_phrase), skip))
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


def clause_claims(verb: Token, ctx: Context, skip: set[int]) -> list[Claim]:
    """Return the claims of one clause: each conjunct split out, time and side facts apart."""
    subject_token = first_child(verb, SUBJECT_DEPS)
    if subject_token is not None and subject_token.tag_ in {"WDT", "WP"} and ctx.actor is not None:
        subject = ctx.actor  # "a spacecraft that will crash": the spacecraft will crash
    elif (
        subject_token is not None
        and subject_token.lower_ in {"it", "they"}
        and verb.dep_ == "advcl"
        and ctx.actor is not None
    ):
        # "the Fed raised rates, as it tried to …": the Fed tried to …; "the Panama-flagged
        # vessel ran aground, and it lost …": the vessel lost … (its head, not every
        # modifier, is what "it" repeats).
        subject = plain_antecedent(ctx.actor)
    elif (
        subject_token is not None
        and ctx.speaker
        and ctx.actor is not None
        and refers_to_speaker(subject_token, ctx.actor)
    ):
        subject = ctx.actor  # "X told reporters that she could …": X could …
    elif subject_token is not None:
        subject = noun_phrase(subject_token, ctx)
    else:
        subject = ctx.actor
    if subject is None or verb.pos_ not in {"VERB", "AUX"}:
        return []
    excluded = set(skip)
    if subject_token is not None:
        excluded |= subtree_ids(subject_token)
    # "… that she could have run": the relative word is not part of what she could do.
    excluded |= {
        c.i for c in verb.children if c.tag_ in {"WDT", "WP"} and c.dep_ in {"dobj", "mark"}
    }
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
    stranded_tokens: list[Token] = []
    for child in verb.children:
        if child.dep_ == "cc" and keeps_cc:
            continue  # "rose 4% … and 0.2% …": the parser hung a second object on the verb
        if child.dep_ in CLAUSE_DROP_DEPS - {"punct"} or child.lower_ == "also":
            excluded.add(child.i)
        elif said_when(child) is not None:
            excluded |= subtree_ids(child)  # "said on Tuesday it will close": the saying's
        elif is_clause_marker(child):
            excluded.add(child.i)  # "…, when the pair will be …": the pair will be …
        elif (level := earlier_level(child)) is not None:
            # "won nine seats, down from 48 in 2019": it won 48 seats in 2019; one figure a
            # claim.
            excluded |= subtree_ids(child) | set(clause_commas(child))
            side_claims.append(earlier_level_claim(subject, verb, level, ctx))
        elif (change := prior_change(child)) is not None:
            # "the index climbed 0.4% after a 0.3% gain in August": the index gained 0.3%
            # in August; the index climbed 0.4%.
            excluded |= subtree_ids(child) | set(clause_commas(child))
            side_claims.append(prior_change_claim(subject, change, ctx))
        elif child.dep_ == "conj" and child.pos_ in {"VERB", "AUX"}:
            excluded |= subtree_ids(child)  # handled by coordinated_verbs
        elif is_participial(child) and (stranded := stranded_object_clause(child)):
            stranded_tokens += stranded  # "a law restricting how …": the law's content
        elif is_participial(child):
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
            # "voted 8-1, with Tenreyro the only member who …": a fact about Tenreyro.
            for pobj in [g for g in child.children if g.dep_ == "pobj"]:
                for appos in [a for a in pobj.children if a.dep_ == "appos"]:
                    excluded |= subtree_ids(child) | set(clause_commas(child))
                    side_claims.extend(appositive_claims(pobj, appos, ctx, nested_skip))
    for benchmark in benchmark_phrases(verb, excluded):
        # "earned $1.88 a share, below the $1.94 analysts had expected": one figure a
        # claim; what analysts expected is a claim of its own.
        excluded |= subtree_ids(benchmark) | set(clause_commas(benchmark))
        side_claims.extend(expectation_claims(benchmark, ctx))
    for against, claims_of_others in contrasted_claims(verb, subject_token, ctx, excluded):
        # "Labour's share was 33.7%, against 23.7% for the Conservatives": their share too.
        excluded |= subtree_ids(against) | set(joiners_before(against))
        side_claims.extend(claims_of_others)
    gapped = gapped_conjuncts(verb, excluded)
    for conjunct in gapped:
        # "…, the Conservatives 121 and the Liberal Democrats 72": each with the verb.
        own = subtree_ids(conjunct) - set().union(
            *(subtree_ids(g) for g in gapped if g != conjunct and g.i > conjunct.i)
        )
        excluded |= own | set(joiners_before(conjunct))
        gapped_date = date_of(time_tokens, ctx.article.published) or ctx.inherited_date
        side_claims.extend(gapped_claims(conjunct, own, verb, ctx, gapped_date))
    if subject_token is not None:
        for appos in subject_appositives(subject_token):
            # "The Ever Given, a giant container ship that had blocked the canal, was
            # refloated": the ship is one; it had blocked the canal; it was refloated.
            cut = subtree_ids(appos) | set(clause_commas(appos))
            excluded |= cut
            if subject.text == join_tokens(list(subject.tokens)):  # not a resolved stand-in
                kept = tuple(t for t in subject.tokens if t.i not in cut)
                subject = Phrase(join_tokens(trim_punct(list(kept))), kept)
            side_claims.extend(appositive_claims(subject_token, appos, ctx, nested_skip))
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
    for obj, comparison in trailing_comparisons(verb, excluded):
        # "produced 8.8 million pounds of thrust, 15% more than the Saturn V": the
        # comparison is a second fact, with the same subject and act.
        excluded |= subtree_ids(comparison) | set(clause_commas(comparison))
        excluded |= {obj.doc[min(subtree_ids(comparison)) - 1].i}
        side_claims.extend(comparison_claims(verb, obj, comparison, subject, ctx, nested_skip))
    summary = summary_appositive(verb)
    if summary is not None and summary.i not in excluded:
        excluded |= subtree_ids(summary) | set(clause_commas(summary))
        side_claims.extend(summary_claims(verb, summary, subject, ctx))
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
    # "finished second, almost five minutes behind": a measured aside is a second fact
    # about the same act, checked apart from the first.
    asides = measured_asides(verb, excluded)
    for aside in asides:
        excluded |= {t.i for t in aside} | {aside[0].i - 1}
    if issuer is not None:
        excluded |= subtree_ids(issuer.head) if issuer.head.dep_ == "prep" else set()
    kept = [
        t
        for t in [*verb.subtree, *stranded_tokens]
        if t.i not in excluded and not t.is_space and t.text not in QUOTE_CHARS
    ]
    kept = sorted(dict.fromkeys(kept), key=lambda t: t.i)
    predicate = trim_punct(inner_punctuation_only(kept))
    side_claims.extend(nominal_claims(kept, verb, ctx))
    if subject_token is None and not has_complement(predicate, verb):
        return side_claims
    for aside in asides:
        head = [c for c in verb.children if c.dep_ in {"aux", "auxpass", "neg"} and c.i < verb.i]
        aside_predicate = sorted([*head, verb, *aside], key=lambda t: t.i)
        side_claims.append(
            build(ctx, subject, aside_predicate, verb, is_past(verb), ctx.inherited_date, False)
        )
    explicit_date = date_of(time_tokens, ctx.article.published)
    claim_date = explicit_date or ctx.inherited_date
    past = is_past(verb)
    claims: list[Claim] = []
    core_subject = issuer_phrase(issuer, ctx) if issuer is not None else subject
    # With a time modifier, the dated claim below states the fact; an undated copy would
    # only add a weaker twin. The issuer claim ("11 agencies issued …") is a fact of its own.
    # "raised rates on Thursday for the first time in three years": when it happened and
    # that it was a first are two facts.
    first_time = first_time_phrase(verb) if time_tokens else None
    if issuer is not None or not time_tokens:
        for subj, part in claim_parts(split_conjuncts(core_subject, ctx), predicate, verb):
            claims.append(build(ctx, subj, part, verb, past, claim_date, False))
    if time_tokens:
        # A claim keeps its time: "raised rates for the first time in 11 years by 50 basis
        # points in July" is checked against July's move, not the article's day.
        first_time_ids = first_time_span(first_time) if first_time is not None else set()
        variants = (
            [kept] if first_time is None else [kept, [t for t in kept if t.i not in first_time_ids]]
        )
        for tokens in variants:
            with_time = trim_punct(
                inner_punctuation_only(sorted([*tokens, *time_tokens], key=lambda t: t.i))
            )
            # A dated claim keeps a coordinated subject whole ("Facebook, Instagram and
            # WhatsApp were unavailable on Monday") unless "respectively" pairs it out.
            subjects = split_conjuncts(subject, ctx) if has_respectively(with_time) else [subject]
            for subj, part in claim_parts(subjects, with_time, verb):
                # Each part keeps the time it states ("… in March", "… in May").
                own_time = [t for t in time_tokens if t in part] or list(time_tokens)
                own_date = date_of(own_time, ctx.article.published) or explicit_date
                claims.append(build(ctx, subj, part, verb, past, own_date, True, on_time=own_time))
    return claims + side_claims


# Prepositions that set other holders' figures beside the subject's.
CONTRAST_PREPOSITIONS = {"against", "versus", "vs"}


def contrasted_claims(
    verb: Token, subject: Token | None, ctx: Context, excluded: set[int]
) -> list[tuple[Token, list[Claim]]]:
    """Return, for "Labour's share of the vote was 33.7%, against 23.7% for the
    Conservatives and 14.3% for Reform UK", the "against" phrase with a claim for each
    holder it names: "The Conservatives' share of the vote was 23.7%"."""
    owner = next((c for c in subject.children if c.dep_ == "poss"), None) if subject else None
    if subject is None or owner is None or verb.lemma_ != "be":
        return []
    owner_ids = subtree_ids(owner)
    measured = [
        t for t in subject.subtree if t.i not in owner_ids and (t.dep_, t.head) != ("det", subject)
    ]
    found = []
    for against in (c for c in verb.children if c.dep_ == "prep" and c.i not in excluded):
        if against.lower_ not in CONTRAST_PREPOSITIONS:
            continue
        first = first_child(against, {"pobj"})
        figures = conjunct_chain(first) if first is not None else []
        claims = []
        for figure in figures:
            whom = next(
                (
                    first_child(p, {"pobj"})
                    for p in figure.children
                    if p.dep_ == "prep" and p.lower_ == "for"
                ),
                None,
            )
            if whom is None or not has_number(figure):
                continue
            name = [t for t in whom.subtree if not t.is_space]
            others = set().union(
                *(subtree_ids(c) for c in figure.children if c.dep_ in {"conj", "prep", "cc"})
            )
            said = [t for t in figure.subtree if t.i not in others and t.dep_ != "punct"]
            possessive = "'" if name[-1].text.endswith("s") else "'s"
            text = tidy(
                f"{join_tokens(name)}{possessive} {join_tokens(measured)} {verb.text} "
                f"{join_tokens(said)}"
            )
            tokens = [*name, *measured, verb, *said]
            claims.append(derived_claim(ctx, tokens, text, predicate_slot(verb), False))
        if claims:
            found.append((against, claims))
    return found


# Prepositions that set a figure beside the clause's own as the mark it is measured
# against: "earned $1.88 a share, below the $1.94 analysts had expected".
BENCHMARK_PREPOSITIONS = {"below", "above"}


def benchmark_phrases(verb: Token, excluded: set[int]) -> list[Token]:
    """Return the set-off "below/above <figure>" phrases of a clause that has a figure of
    its own: the benchmark is another figure, not a second one of the subject's."""
    clause_figures = [
        c
        for c in verb.children
        if c.dep_ in {"dobj", "attr", "npadvmod", "prep"}
        and c.lower_ not in BENCHMARK_PREPOSITIONS
        and has_number(c)
    ]
    return [
        c
        for c in verb.children
        if clause_figures
        and c.dep_ == "prep"
        and c.lower_ in BENCHMARK_PREPOSITIONS
        and c.i not in excluded
        and c.i > 0
        and c.doc[c.i - 1].text == ","
        and has_number(c)
    ]


def expectation_claims(benchmark: Token, ctx: Context) -> list[Claim]:
    """Return "Analysts had expected $1.94" for "below the $1.94 analysts had expected":
    a figure followed by who expected, forecast or estimated it (a relative clause, with
    or without "that", however the parser hangs it)."""
    words = [t for t in benchmark.subtree if t.i != benchmark.i and not t.is_space]
    for subject in (t for t in words if t.dep_ in SUBJECT_DEPS and t.head in words):
        act = subject.head
        if act.pos_ not in {"VERB", "AUX"}:
            continue
        figure = [
            t
            for t in words
            if t.i < subject.i
            and (t.like_num or t.ent_type_ in {"MONEY", "PERCENT"} or t.tag_ == "$")
        ]
        if not figure or not any(t.like_num for t in figure):
            continue
        who = [t for t in subject.subtree if t.i >= subject.i and t not in figure]
        verb_part = [c for c in act.children if c.dep_ in {"aux", "neg"}] + [act]
        tokens = sorted(who, key=lambda t: t.i) + sorted(verb_part, key=lambda t: t.i)
        text = tidy(f"{join_tokens(tokens)} {join_tokens(figure)}")
        predicate = Slot("predicate", term_of(act) or act.lemma_.lower(), "", act.text)
        return [derived_claim(ctx, [*tokens, *figure], text, predicate)]
    return []


def joiners_before(token: Token) -> list[Token]:
    """Return the commas and "and" that join a listed noun to what comes before it."""
    doc, first = token.doc, min(subtree_ids(token))
    joiners = []
    index = first - 1
    while index >= 0 and (doc[index].dep_ in {"cc", "punct"} and doc[index].text != "."):
        joiners.append(doc[index])
        index -= 1
    return joiners


def gapped_claims(
    conjunct: Token, own: set[int], verb: Token, ctx: Context, claim_date: str | None
) -> list[Claim]:
    """Return "<listed noun> <verb> <figure>" for each figure of a noun a clause lists with
    the verb left out: "the Conservatives 121" after "Labour won 411 seats" gives "the
    Conservatives won 121 seats" (the unit said once for the list comes along), "Mac sales
    29% to $7.7 billion" gives "Mac sales fell 29%" and "Mac sales fell to $7.7 billion"."""
    doc = conjunct.doc
    figures = [subtree_ids(f) & own for f in own_figures(conjunct)]
    figures += [
        subtree_ids(c) & own
        for c in conjunct.children
        if c.i > conjunct.i and c.dep_ == "prep" and has_number(c)
    ]
    every_figure = set().union(*figures)
    holder = [doc[i] for i in sorted(own - every_figure) if doc[i].dep_ not in {"cc", "punct"}]
    head = [c for c in verb.children if c.dep_ in {"aux", "auxpass", "neg"} and c.i < verb.i]
    unit = listed_unit_noun(conjunct)
    claims = []
    for figure in figures:
        said = [doc[i] for i in sorted(figure)]
        bare = len(said) == 1 and said[0].like_num and said[0].ent_type_ != "PERCENT"
        text = tidy(
            f"{join_tokens(trim_punct(holder))} {join_tokens([*head, verb])} "
            f"{join_tokens(said)}{' ' + unit.text if bare and unit is not None else ''}"
        )
        tokens = [*holder, *head, verb, *said]
        claims.append(derived_claim(ctx, tokens, text, predicate_slot(verb), False, claim_date))
    return claims


def plain_antecedent(phrase: Phrase) -> Phrase:
    """Return a phrase a pronoun repeats: a name as it is, a common noun as "The <noun>"."""
    heads = [t for t in phrase.tokens if t.head not in phrase.tokens or t.head == t]
    if phrase.entity or not heads or heads[0].pos_ == "PROPN":
        return phrase
    head = heads[0]
    return Phrase(f"The {head.text}", (head,))


def named_speaker_text(tokens: Sequence[Token], speaker: Phrase) -> str | None:
    """Return an attribution claim's text with "he" or "she" as its subject written as
    the name it stands for ("Jerome Powell said moves of this size would not be common"),
    or None to write the tokens as they are."""
    pronoun = len(speaker.tokens) == 1 and speaker.tokens[0].pos_ == "PRON"
    if speaker.entity is None or not pronoun:
        return None  # "the company said": a description stays as written
    cut = {t.i for t in speaker.tokens}
    first = min(cut)
    replacements = {i: "" for i in cut} | {first: speaker.text}
    kept = [t for t in trim_punct(tokens) if t.text not in QUOTE_CHARS]
    if not any(t.i == first for t in kept):
        return None
    return tidy(join_tokens(kept, replacements))


def refers_to_speaker(pronoun: Token, speaker: Phrase) -> bool:
    """True when a subject pronoun of reported speech stands for its speaker: "he" or
    "she" for a person, "it" for an organisation ("Shell said it was disappointed"),
    "they" for a plural speaker. "it" never stands for a person, nor "they" for one."""
    word = pronoun.lower_
    if pronoun.dep_ == "expl":
        return False  # "it is illegal to …"
    person = speaker.entity_label == "PERSON" or any(
        t.ent_type_ == "PERSON" for t in speaker.tokens
    )
    heads = [t for t in speaker.tokens if t.dep_ in SUBJECT_DEPS or t.head not in speaker.tokens]
    plural = any(t.tag_ in {"NNS", "NNPS"} for t in heads)
    if word in {"he", "she"}:
        return True
    if word == "it":
        # "Downdetector said it was the largest outage": "it" is what is described.
        described = pronoun.head.lemma_ == "be" and first_child(pronoun.head, {"attr"}) is not None
        return not person and not plural and not described
    return word == "they" and plural


def is_name(token: Token) -> bool:
    """True for a proper name, tagged or not: the tagger reads "PBOC" as a common noun."""
    return (
        token.pos_ == "PROPN"
        or token.ent_type_ in {"ORG", "PERSON", "GPE"}
        or (token.text.isupper() and len(token.text) > 1)
    )


def nominal_claims(tokens: Sequence[Token], verb: Token, ctx: Context) -> list[Claim]:
    """Return the fact a named possessor's act noun carries: "the PBOC's development of its
    own virtual currency" gives "The PBOC is developing its own virtual currency" (in the
    past tense when the clause is). Which nouns name an act is WordNet's word
    (claimwatch/extract/nominals.py)."""
    present = {t.i for t in tokens}
    claims = []
    for noun in tokens:
        act = verb_of(noun.lemma_) if noun.pos_ == "NOUN" else None
        owner = first_child(noun, {"poss"})
        acted_on = preposition_object(noun, "of")
        if act is None or owner is None or acted_on is None or not is_name(owner):
            continue
        owner_tokens = [t for t in owner.subtree if t.dep_ != "case" and t.i in present]
        object_tokens = [t for t in acted_on.subtree if t.i in present and not t.is_space]
        if not owner_tokens or not object_tokens:
            continue
        plural = owner.tag_ == "NNPS"
        if is_past(verb):
            verb_text = inflect(act, past=True)
        else:
            verb_text = ("are " if plural else "is ") + progressive(act)
        owner_text = join_tokens(owner_tokens)
        text = tidy(
            f"{owner_text[:1].upper()}{owner_text[1:]} {verb_text} {join_tokens(object_tokens)}"
        )
        predicate = Slot("predicate", act, "", verb_text)
        claims.append(derived_claim(ctx, [*owner_tokens, noun, *object_tokens], text, predicate))
    return claims


def has_respectively(tokens: Sequence[Token]) -> bool:
    return any(t.lower_ == "respectively" for t in tokens)


def claim_parts(
    subjects: Sequence[Phrase], predicate: list[Token], verb: Token
) -> list[tuple[Phrase, list[Token]]]:
    """Return the (subject, predicate) of each atomic claim: coordinated subjects and
    objects split out, "to X from Y" as two changes, and a "respectively" list paired
    position by position rather than multiplied out."""
    respective = split_respectively(predicate, len(subjects))
    if respective is not None and len(subjects) == len(respective) > 1:
        return list(zip(subjects, respective))
    predicates = respective or split_object(predicate, verb)
    return [
        (subject, part)
        for subject in subjects
        for pred in predicates
        for part in split_change(pred, verb)
    ]


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
    # A bare participle ("…, banning X") becomes a finite verb; "is undergoing" stays.
    if verb.tag_ == "VBG" and verb.dep_ != "ROOT" and first_child(verb, {"aux"}) is None:
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
    if subject.negated_definition and verb.lemma_.lower() in MEMBERSHIP_LEMMAS:
        extra.append(Slot("polarity", "negated", "", ""))  # the set is what may not be done
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
        if head.ent_type_ in ENTITY_LABELS:
            continue  # "publisher Activision Blizzard": a name is one thing, not a kind
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
        # In "the services include token issuance" the member's full name is the claim,
        # and the parser tags some of its nouns as adjectives ("token").
        adjectives = [
            term_of(c)
            for c in head.children
            if c.dep_ == "amod" and c.i < head.i and verb.lemma_.lower() in MEMBERSHIP_LEMMAS
        ]
        kinds = nouns + [a for a in adjectives if a and a not in nouns]
        if head in objects and kinds:
            slots.append(Slot("object", head_term, "", head.text, terms=tuple(kinds)))
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


# The predicate of "<X> is <Y>" claims built from appositives, titles and summaries.
IS = Slot("predicate", "be", "", "is")


def derived_claim(
    ctx: Context,
    tokens: Sequence[Token],
    text: str,
    predicate: Slot,
    is_explicit: bool | None = None,
    claim_date: str | None = None,
) -> Claim:
    """Return a factual claim the extractor rebuilt from parts of a sentence (an
    appositive, a summary, an act noun, a comparison, a relative clause, a listed holder):
    said by the sentence's speaker, dated like its clause unless claim_date is given, with
    the predicate slot given."""
    return make_claim(
        ctx,
        tokens,
        "factual",
        ctx.speaker,
        ctx.via,
        claim_date or ctx.inherited_date,
        text,
        is_explicit,
        (predicate,),
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
    if head.ent_type_ == "PERSON" and (ent := entity_of(head)) is not None and person_title(ent):
        # The title is a claim of its own (title_claims); the act is the person's.
        cut = {t.i for t in person_title(ent)}
        tokens = tuple(t for t in tokens if t.i not in cut)
        words = [t.lower_ for t in tokens]
    if head.pos_ == "PRON" and head.lower_ in {"he", "she"}:
        person = latest_entity(head, {"PERSON"})
        if person is not None:
            return Phrase(person, tokens, person, "PERSON")
    if words[:1] == ["the"] and len(tokens) == 2 and head.lemma_.lower() in DEFINITE_ORG_NOUNS:
        org = described_organisation(head)
        if org is not None:
            return Phrase(org, tokens, org, "ORG")
    text = "".join(t.text_with_ws for t in tokens).strip()
    # "its revenue": the organisation named before ("their" is as often people).
    if owners := {
        i: name
        for i, name in possessor_replacements(tokens).items()
        if head.doc[i].lower_ != "their"
    }:
        # "its revenue fell 5%": Apple's revenue fell 5%, as the article named it before.
        text = join_tokens(list(tokens), owners)
    if words and words[0] in DEMONSTRATIVES and len(tokens) > 1:
        rest = "".join(t.text_with_ws for t in tokens[1:]).strip()
        description, negated = antecedent_description(head)
        return Phrase(f"The {rest} {description}".strip(), tokens, negated_definition=negated)
    return Phrase(text, tokens)


def without(phrase: Phrase, cut: set[int]) -> Phrase:
    """Return a phrase with the tokens of cut (a clause set off by commas) taken out; a
    resolved stand-in keeps its text."""
    if not cut or phrase.text != join_tokens(list(phrase.tokens)):
        return phrase
    kept = tuple(t for t in phrase.tokens if t.i not in cut)
    return replace(phrase, text=join_tokens(trim_punct(list(kept))), tokens=kept)


def speaker_name(phrase: Phrase) -> str:
    """Return who spoke: an alias-table name for the whole phrase ("China's central bank"),
    else the first person or organisation named in it ("Epic chief executive Tim Sweeney"
    -> "Tim Sweeney"), else the phrase without its article."""
    whole = canonical_entity(strip_parenthetical(phrase.text))
    if whole != strip_parenthetical(phrase.text).removeprefix("the ").removeprefix("The "):
        return whole
    for token in phrase.tokens:
        if token.ent_type_ in {"PERSON", "ORG"}:
            return canonical_entity(entity_of(token).text)
    return whole


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
    # "Either a 50 or a 75 basis point increase is likely" states neither alone.
    if any(t.dep_ in {"cc", "preconj"} and t.lower_ in DISJUNCTIONS for t in phrase.tokens):
        return [phrase]
    return [Phrase(text, toks) for text, toks in conjunct_texts(conjuncts)]


def prior_change_claim(subject: Phrase, change: Token, ctx: Context) -> Claim:
    """Return "<subject> gained 0.3% in August" for the change noun of "after a 0.3% gain
    in August": its figure and whatever follows the noun (the time)."""
    subtree = [t for t in change.subtree if not t.is_space]
    figure = [t for t in subtree if t.ent_type_ == "PERCENT"]
    after = [t for t in subtree if t.i > change.i]
    verb = inflect(change.lemma_, past=True)
    text = tidy(f"{subject.text} {verb} {join_tokens(figure)} {join_tokens(trim_punct(after))}")
    predicate = Slot("predicate", term_of(change) or change.lemma_.lower(), "", verb)
    return earlier_figure_claim(ctx, [*subject.tokens, *figure, *after], text, predicate)


def earlier_figure_claim(
    ctx: Context, tokens: Sequence[Token], text: str, predicate: Slot
) -> Claim:
    """Return a claim of an earlier figure of the clause's subject ("gained 0.3% in
    August", "won 48 seats in 2019"): dated by its own words, never by its clause's."""
    return make_claim(ctx, tokens, "factual", ctx.speaker, ctx.via, None, text, None, (predicate,))


# Words that make a "from" phrase a rate's basis rather than its earlier level.
COMPARISON_BASES = {"earlier", "ago", "before"}


def earlier_level_claim(subject: Phrase, verb: Token, source: Token, ctx: Context) -> Claim:
    """Return "<subject> won 48 seats in 2019" for "won nine seats, down from 48 in 2019":
    the clause's verb in the past with the earlier figure, the unit of the clause's own
    figure when the earlier one is a bare number, and the earlier figure's time."""
    said = [t for t in source.subtree if t.i != source.i and not t.is_space]
    first = first_child(source, {"pobj"})
    unit = ""
    if first is not None and first.pos_ == "NUM":
        counted = [c for c in verb.children if c.dep_ == "dobj" and has_number(c)]
        unit = counted[0].text if counted and counted[0].pos_ == "NOUN" else ""
    figure = [t for t in said if first is None or t.i <= first.i]
    after = [t for t in said if t not in figure]
    # "rose 7.7% from a year earlier, down from 8.2%": the earlier rate has the same basis.
    basis = next(
        (
            [t for t in c.subtree if not t.is_space]
            for c in verb.children
            if c.dep_ == "prep"
            and c.lower_ == "from"
            and c.i != source.i
            and any(t.lower_ in COMPARISON_BASES for t in c.subtree)
        ),
        [],
    )
    past = inflect(verb.lemma_, past=True)
    text = tidy(
        f"{subject.text} {past} {join_tokens(figure)} {unit} {join_tokens(after)} "
        f"{join_tokens(basis)}"
    )
    return earlier_figure_claim(
        ctx, [*subject.tokens, verb, *said, *basis], text, predicate_slot(verb)
    )


def subject_appositives(subject: Token) -> list[Token]:
    """Return the appositives set off by a comma after a subject noun ("The Ever Given, a
    giant container ship, ..."); "the company Smit Salvage" is one name, not two."""
    doc = subject.doc
    return [
        a
        for a in subject.children
        if a.dep_ == "appos"
        and a.i > subject.i
        and subject.pos_ in {"NOUN", "PROPN"}
        and doc[min(subtree_ids(a)) - 1].text == ","
    ]


def measured_noun(figure: Token) -> Token:
    """Return the noun a figure measures when it is "<noun> of <figure>" ("pay rises of
    5.28%"), else the figure: what an appositive on the figure ("…, the biggest in 33
    years") describes is the thing measured, not the number alone."""
    of = figure.head
    if figure.dep_ == "pobj" and of.lower_ == "of" and of.head.pos_ == "NOUN":
        return of.head
    return figure


def appositive_claims(head: Token, appos: Token, ctx: Context, skip: set[int]) -> list[Claim]:
    """Return "<noun> is <appositive>" and the facts of the appositive's relative clauses."""
    if head.ent_type_ in FIGURE_ENTS:
        head = measured_noun(head)
    copula = None
    if head.ent_type_ in FIGURE_ENTS and head.dep_ == "attr":
        # "Turnout was 59.8%, the lowest since 2001": turnout was the lowest, not 59.8%.
        copula = head.head
        head = first_child(copula, SUBJECT_DEPS) or head
    appos_ids = subtree_ids(appos)
    head_tokens = [
        t
        for t in head.subtree
        if t.i not in appos_ids
        and t.i not in clause_commas(appos)
        and not t.is_space
        and t.i < min(appos_ids)
    ]
    clauses = [
        c
        for c in appos.subtree
        if c.dep_ == "relcl" and c.head.i == appos.i and not is_restricted(appos)
    ]
    # "a yuan backed by the central bank which is undergoing testing": the parser hangs the
    # clause on the agent; a restrictive "which" on a definite agent describes the appositive.
    agent_clauses = misattached_agent_clauses(appos)
    cut = [*clauses, *agent_clauses]
    clause_ids = set().union(*(subtree_ids(c) for c in cut)) if cut else set()
    appos_tokens = [t for t in appos.subtree if t.i not in clause_ids and not t.is_space]
    resolved = possessor_replacements([*head_tokens, *appos_tokens])
    head_text = join_tokens(trim_punct(head_tokens), resolved)
    be = "are" if head.tag_ in {"NNS", "NNPS"} else "is"
    if copula is not None:
        be = copula.lower_
    elif (change := change_named(head)) is not None:
        # "benefits would rise 5.9%, the largest adjustment in decades": the 5.9% rise is.
        head_text = f"The {join_tokens(trim_punct(head_tokens), resolved)} {change}"
    text = tidy(f"{head_text} {be} {join_tokens(trim_punct(appos_tokens), resolved)}")
    claims = [derived_claim(ctx, head_tokens + appos_tokens, text, IS, is_explicit=False)]
    described = ctx.with_actor(Phrase(head_text, tuple(head_tokens)))
    for clause in clauses:
        claims.extend(clause_claims(clause, described, skip))
    appositive_itself = ctx.with_actor(Phrase(definite(appos), (appos,)))
    for clause in agent_clauses:
        claims.extend(clause_claims(clause, appositive_itself, skip))
    return claims


# Verbs of a change whose noun is the verb itself: "rose 5.9%" is a 5.9% rise.
CHANGE_VERBS = {
    "rise", "fall", "drop", "jump", "gain", "climb", "slump", "increase", "decline",
    "surge", "slide", "dip", "cut", "hike", "advance", "tumble", "plunge",
}  # fmt: skip


def change_named(figure: Token) -> str | None:
    """Return the noun of the change a figure measures ("rise" for the 5.9% of "would rise
    5.9%"), or None when the figure is no change's size."""
    if figure.ent_type_ not in FIGURE_ENTS or figure.dep_ not in {"npadvmod", "dobj"}:
        return None
    lemma = figure.head.lemma_.lower()
    return lemma if figure.head.pos_ == "VERB" and lemma in CHANGE_VERBS else None


def comparison_claims(
    verb: Token, obj: Token, comparison: Token, subject: Phrase, ctx: Context, skip: set[int]
) -> list[Claim]:
    """Return "<subject> <verb> 15% more pounds of thrust than the Saturn V rockets" and the
    facts of a relative clause on what it is compared with."""
    cut = subtree_ids(comparison)
    than = next((c for c in comparison.children if c.dep_ == "prep" and c.lower_ == "than"), None)
    if than is None:
        return []
    compared = first_child(than, {"pobj"})
    clauses = [c for c in compared.children if c.dep_ == "relcl"] if compared is not None else []
    clause_ids = set().union(*(subtree_ids(c) for c in clauses)) if clauses else set()
    degree = [t for t in comparison.subtree if t.i < than.i or t.i == comparison.i]
    what = [
        t
        for t in obj.subtree
        if t.i not in cut
        and t.dep_ not in {"nummod", "quantmod", "det", "punct"}
        and not (t.head == obj and t.like_num)
        and t.head.dep_ != "nummod"
    ]
    against = [t for t in than.subtree if t.i not in clause_ids and not t.is_space]
    verb_text = verb.text if verb.tag_ != "VBG" else inflect(verb.lemma_, is_past(verb))
    text = tidy(
        f"{subject.text} {verb_text} {join_tokens(degree)} {join_tokens(trim_punct(what))} "
        f"{join_tokens(trim_punct(against))}"
    )
    tokens = [*subject.tokens, verb, *degree, *what, *against]
    predicate = Slot("predicate", term_of(verb) or verb.lemma_.lower(), "", verb.text)
    claims = [derived_claim(ctx, tokens, text, predicate)]
    if compared is not None:
        described = Phrase(join_tokens([t for t in compared.subtree if t.i not in clause_ids]), ())
        for clause in clauses:
            claims.extend(clause_claims(clause, ctx.with_actor(described), skip))
    return claims


def owner_name(subject: Phrase) -> str:
    """Return a subject as an owner: a name without what follows it ("Tigist Assefa of
    Ethiopia" -> "Tigist Assefa"), else the subject as written."""
    tokens = list(subject.tokens)
    if subject.text != join_tokens(tokens) or not tokens:
        return subject.text
    cut = next((k for k, t in enumerate(tokens) if t.pos_ == "ADP" and k > 0), len(tokens))
    named = tokens[:cut]
    return join_tokens(named) if named and named[-1].pos_ == "PROPN" else subject.text


def summary_claims(verb: Token, summary: Token, subject: Phrase, ctx: Context) -> list[Claim]:
    """Return "<subject>'s <act> of <object> is <summary>": "Microsoft's purchase of
    Activision Blizzard is the largest deal in Microsoft's history"; "Consumer prices' rise
    of 8.6% is the biggest gain since December 1981". A clause at the summary's end
    ("…, as it tried to bring down inflation") is a claim of the subject's own."""
    if any(t.pos_ == "PRON" for t in subject.tokens):
        return []
    event = summarised_event(verb)
    if event is not None:
        event_verb, nominal = event
        obj = first_child(event_verb, {"dobj"})
        assert obj is not None  # summarised_event only returns verbs with an object
    else:
        # The verb's own noun when it has one ("rose" -> rise), else the summary's noun.
        same = verb_of(verb.lemma_) == verb.lemma_.lower()
        nominal = verb.lemma_.lower() if same else summary.lemma_.lower()
        earlier = [
            c
            for c in verb.children
            if c.dep_ in {"dobj", "npadvmod", "attr"} and c.i < summary.i and c.ent_type_ != "DATE"
        ]
        figure = figure_before(summary)
        if not earlier and figure is None:
            return []
        obj = earlier[-1] if earlier else figure
    tail = summary_tail_ids(summary)
    object_tokens = [t for t in obj.subtree if t.i <= obj.i and t.dep_ not in {"det", "punct"}]
    # "won in 2:15:37, a course record": the figure keeps its own preposition.
    linker = obj.head.lower_ if obj.dep_ == "pobj" and obj.head.dep_ == "prep" else "of"
    if obj.pos_ == "PROPN":  # "video game publisher Activision Blizzard": the name says it
        object_tokens = [t for t in object_tokens if t.pos_ == "PROPN"]
    owner = owner_name(subject)
    possessive = (
        "'" if owner.endswith("s") and any(t.tag_ == "NNS" for t in subject.tokens) else "'s"
    )
    claims = []
    # "a course record and the third-fastest time in history": two things said of it.
    for _, said in conjunct_texts(conjunct_chain(summary)):
        summary_tokens = [t for t in said if not t.is_space and t.i not in tail]
        resolved = possessor_replacements(summary_tokens)
        text = tidy(
            f"{owner}{possessive} {nominal} {linker} {join_tokens(object_tokens)} is "
            f"{join_tokens(trim_punct(summary_tokens), resolved)}"
        )
        tokens = [*subject.tokens, *object_tokens, *summary_tokens]
        claims.append(derived_claim(ctx, tokens, text, IS, is_explicit=False))
    for clause in (c for c in summary.children if c.i in tail and c.dep_ in {"advcl", "relcl"}):
        claims.extend(clause_claims(clause, ctx.with_actor(subject), set()))
    return claims


def misattached_agent_clauses(appos: Token) -> list[Token]:
    """Return "which" clauses hung on the definite agent of a participle that modifies the
    appositive, with no comma before them."""
    clauses = []
    for token in appos.subtree:
        if token.dep_ != "relcl" or token.head.head.dep_ != "agent":
            continue
        agent_noun = token.head
        opener = min(subtree_ids(token))
        if not any(c.lower_ == "the" for c in agent_noun.children):
            continue
        if token.doc[opener].lower_ == "which" and token.doc[opener - 1].text != ",":
            clauses.append(token)
    return clauses


def possessor_replacements(tokens: Sequence[Token]) -> dict[int, str]:
    """Return text replacements naming who "its" and "the company's" refer to: the nearest
    named possessor earlier in the sentence, else the last organisation named before."""
    replacements: dict[int, str] = {}
    for token in tokens:
        if token.dep_ != "poss":
            continue
        if token.lower_ in {"its", "their"}:
            owner = earlier_possessor(token)
            if owner is not None:
                replacements[token.i] = f"{owner}'s"
        elif token.lemma_.lower() in DEFINITE_ORG_NOUNS and any(
            c.lower_ == "the" and c.dep_ == "det" for c in token.children
        ):
            org = described_organisation(token)
            if org is not None:
                replacements |= {c.i: "" for c in token.children if c.dep_ == "det"}
                replacements[token.i] = org
    return replacements


def earlier_possessor(pronoun: Token) -> str | None:
    """Return "the PBOC" for "its" in "the PBOC's development of its own currency"."""
    sentence = pronoun.sent
    for token in reversed(pronoun.doc[sentence.start : pronoun.i]):
        named = token.pos_ == "PROPN" or token.is_upper or token.ent_type_ in {"ORG", "GPE"}
        if token.dep_ == "poss" and named and token.pos_ != "PRON":
            words = [t for t in token.subtree if t.dep_ != "case"]
            return join_tokens(words)
    return latest_entity(pronoun, {"ORG"})


def object_relative_claim(clause: Token, ctx: Context) -> list[Claim]:
    """Return "<subject> <verb> <the noun phrase> <rest>" for an object relative clause."""
    noun = clause.head
    while noun.head.dep_ == "prep" and noun.head.head.pos_ in {"NOUN", "PROPN"}:
        noun = noun.head.head  # "the record of 10.62 seconds that …": the record
    clause_ids = subtree_ids(clause)
    subject = first_child(clause, SUBJECT_DEPS)
    subject_ids = subtree_ids(subject)
    # "the record of 2:01:39 that he set": who "he" is, as a subject elsewhere resolves.
    subject_text = noun_phrase(subject, ctx).text
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
                subject_text,
                join_tokens(verb_part),
                join_tokens(trim_punct(np_tokens)),
                join_tokens(after),
            )
            if p
        )
    )
    predicate = Slot("predicate", term_of(clause) or clause.lemma_.lower(), "", clause.text)
    return [derived_claim(ctx, list(subject.subtree) + np_tokens + rest, text, predicate)]


def issuer_phrase(pobj: Token, ctx: Context) -> Phrase:
    tokens = tuple(t for t in pobj.subtree if t.ent_type_ != "DATE" and not t.is_space)
    return Phrase("".join(t.text_with_ws for t in tokens).strip(), tokens)


def date_of(tokens: Sequence[Token], reference: date | None) -> str | None:
    """Return the date a claim's date phrase resolves to, pointing the way its clause's
    tense does, as its date slot does ("takes effect in July" told in March: this July)."""
    if not tokens:
        return None
    return resolve_date(" ".join(t.text for t in tokens), reference, date_direction(tokens[0]))


def dedupe(claims: list[Claim]) -> list[Claim]:
    """Return claims with repeated texts and fragments dropped, first occurrence kept."""
    seen: dict[str, Claim] = {}
    for claim in claims:
        first_word = claim.text.split()[0].lower() if claim.text else ""
        if len(claim.text.split()) >= 3 and first_word not in WH_WORDS:
            seen.setdefault(claim.claim_id, claim)
    return list(seen.values())
