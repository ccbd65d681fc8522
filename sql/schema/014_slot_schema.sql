-- Slots get a schema version. `slot_schema` says which shape a row's `slots` JSON has;
-- the code writes and reads the current one (extract.slots.base.SLOT_SCHEMA) and a
-- migration converts stored rows when the shape changes, so no reader has to guess.
--
-- Schema 1 (before this migration) kept a figure's role in its unit ("rate (from)",
-- "second (margin)"), a clause's polarity in its value and its terms space-separated in
-- its unit, an object's kinds ';'-separated in its unit, and older rows lack the fields
-- added since. Schema 2 has every field of extract.slots.base.Slot, each in its place:
-- role, polarity and terms are fields. Rows are rewritten in place.
alter table claims add column if not exists slot_schema integer default 1;
alter table sentences add column if not exists slot_schema integer default 1;

-- One schema-1 record with every schema-2 field present ('' or [] where it was absent).
create or replace temp macro slot_v1_complete(s) as struct_pack(
    kind := s.kind,
    value := coalesce(s.value, ''),
    unit := coalesce(s.unit, ''),
    text := coalesce(s.text, ''),
    scope := coalesce(s.scope, ''),
    period := coalesce(s.period, ''),
    anchor := coalesce(s.anchor, ''),
    role := coalesce(s.role, ''),
    polarity := coalesce(s.polarity, ''),
    terms := coalesce(s.terms, []::varchar[])
);

-- The flags kept in other fields, moved to theirs.
create or replace temp macro slot_v2(s) as case
    when s.kind = 'clause' and s.polarity = '' then struct_update(s,
        value := '',
        unit := '',
        polarity := s.value,
        terms := list_filter(string_split(s.unit, ' '), lambda t: t <> ''))
    when s.kind = 'object' and s.unit <> '' and len(s.terms) = 0 then struct_update(s,
        unit := '',
        terms := list_filter(string_split(s.unit, ';'), lambda t: t <> ''))
    when s.role = '' and regexp_matches(s.unit, ' \((margin|surpassed|forecast|from)\)$') then struct_update(s,
        unit := regexp_replace(s.unit, ' \((margin|surpassed|forecast|from)\)$', ''),
        role := regexp_extract(s.unit, ' \((margin|surpassed|forecast|from)\)$', 1))
    else s
end;

create or replace temp macro slots_v1_to_v2(slots) as to_json(list_transform(
    from_json(slots, '[{"kind": "VARCHAR", "value": "VARCHAR", "unit": "VARCHAR", "text": "VARCHAR",
                       "scope": "VARCHAR", "period": "VARCHAR", "anchor": "VARCHAR", "role": "VARCHAR",
                       "polarity": "VARCHAR", "terms": "VARCHAR[]"}]'),
    lambda s: slot_v2(slot_v1_complete(s))
));

update claims set slots = slots_v1_to_v2(slots), slot_schema = 2 where slot_schema = 1;
update sentences set slots = slots_v1_to_v2(slots), slot_schema = 2 where slot_schema = 1;

alter table claims alter column slot_schema set default 2;
alter table sentences alter column slot_schema set default 2;

drop macro slots_v1_to_v2;
drop macro slot_v2;
drop macro slot_v1_complete;
