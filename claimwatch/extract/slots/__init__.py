"""Fact slots: the numbers, amounts, dates, entities and polarity a sentence asserts.

One reader per kind (numbers, dates, percent, entities, polarity); extract_slots runs
them over a claim's or a sentence's tokens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from spacy.tokens import Token

from claimwatch.extract.slots.base import Slot, aside_of, clause_anchor
from claimwatch.extract.slots.dates import (
    YEAR,
    date_direction,
    is_comparison_base,
    period_after,
    resolve_date,
    years_since,
)
from claimwatch.extract.slots.entities import ENTITY_LABELS, canonical_entity, clipped, entity_of
from claimwatch.extract.slots.holders import figure_holder, stated_as
from claimwatch.extract.slots.numbers import (
    _number_slots,
    duration_slots,
    format_number,
    money_slot,
    names_a_kind,
    parse_number,
    quantity_slot,
    strip_hedges,
)
from claimwatch.extract.slots.percent import PER_CENT, change_period, measured_by
from claimwatch.extract.slots.polarity import UNREALISED, is_negated, is_unrealised


def extract_slots(tokens: Sequence[Token], reference: date | None) -> tuple[Slot, ...]:
    """Return the fact slots found in the tokens (a sentence, or the tokens of a claim)."""
    token_ids = {t.i for t in tokens}
    slots: list[Slot] = []
    seen_ents: set[tuple[int, int]] = set()
    in_special_ent: set[int] = set()
    for duration, duration_tokens in duration_slots(tokens):
        slots.append(duration)
        in_special_ent.update(t.i for t in duration_tokens)
    for token in tokens:
        if token.i in in_special_ent and token.ent_type_ in {"TIME", "QUANTITY", "CARDINAL"}:
            continue  # read whole above ("2 hours, 1 minute and 9 seconds")
        ent = entity_of(token)
        if ent is not None and ent.label_ in ENTITY_LABELS:
            ent = clipped(ent, token_ids)
        if not ent or (ent.start, ent.end) in seen_ents:
            continue
        seen_ents.add((ent.start, ent.end))
        if ent.label_ in {"DATE", "TIME", "MONEY", "PERCENT", "ORDINAL", "QUANTITY"}:
            in_special_ent.update(range(ent.start, ent.end))
        anchor = clause_anchor(ent.root)
        if ent.label_ == "DATE":
            resolved = resolve_date(ent.text, reference, date_direction(ent.root))
            if resolved and is_comparison_base(ent.root):
                resolved = period_after(resolved)
            if resolved:
                slots.append(Slot("date", resolved, "", ent.text, anchor=anchor))
            if resolved and (elapsed := years_since(ent, resolved, reference)):
                slots.append(replace(elapsed, anchor=anchor, holder=figure_holder(ent.root, ent)))
            elif not resolved and not names_a_kind(ent) and (duration := quantity_slot(ent)):
                # "in 90 days": a length of time, not a date
                slots.append(replace(duration, anchor=anchor, holder=figure_holder(ent.root, ent)))
            elif not resolved and len(ent) == 1:
                # "rose to 33716": a number the tagger took for a date; read as one below.
                in_special_ent.discard(ent.start)
        elif ent.label_ == "PERCENT" or (ent.label_ == "MONEY" and PER_CENT.search(ent.text)):
            # "5.1 per cent" is a percentage, whatever the NER says about "cent".
            value = parse_number(strip_hedges(PER_CENT.sub("", ent.text.lower())))
            if value is not None:
                unit, scope, role = measured_by(ent.root)
                period = change_period(ent.root, token_ids)
                slots.append(
                    Slot(
                        "percent",
                        format_number(value),
                        unit,
                        ent.text,
                        scope,
                        period,
                        anchor,
                        role,
                        holder=figure_holder(ent.root, ent),
                    )
                )
        elif ent.label_ == "MONEY":
            money = money_slot(ent.text)
            if money:
                holder = figure_holder(ent.root, ent)
                slots.append(
                    replace(money, anchor=anchor, scope=stated_as(ent.root), holder=holder)
                )
        elif ent.label_ in {"QUANTITY", "TIME"}:
            quantity = quantity_slot(ent)
            if quantity:
                holder = figure_holder(ent.root, ent)
                slots.append(
                    replace(quantity, anchor=anchor, scope=aside_of(ent.root), holder=holder)
                )
        elif ent.label_ == "EVENT":
            # "the 1988 Games", "the 2016 Olympics": the year dates the event; it counts
            # nothing.
            for year in (t for t in ent if YEAR.fullmatch(t.text) and t.i in token_ids):
                slots.append(Slot("date", year.text, "", year.text, anchor=anchor))
                in_special_ent.add(year.i)
        elif ent.label_ in ENTITY_LABELS:
            slots.append(Slot("entity", canonical_entity(ent.text), ent.label_, ent.text))
    slots.extend(_number_slots(tokens, token_ids, in_special_ent))
    if is_negated(tokens):
        slots.append(Slot("polarity", "negated", "", ""))
    if is_unrealised(tokens):
        slots.append(Slot("modality", UNREALISED, "", ""))
    return tuple(dict.fromkeys(slots))
