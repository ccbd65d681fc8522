-- Slot schema 3: every figure records whose it is (extract.slots.holders), a `holder`
-- list of words. Rows written before have no holder: each record gets an empty one, which
-- compares as "not known" (the figure is compared as it was), until the text is analysed
-- again. Rows are rewritten in place.
create or replace temp macro slots_v2_to_v3(slots) as to_json(list_transform(
    from_json(slots, '[{"kind": "VARCHAR", "value": "VARCHAR", "unit": "VARCHAR", "text": "VARCHAR",
                       "scope": "VARCHAR", "period": "VARCHAR", "anchor": "VARCHAR", "role": "VARCHAR",
                       "polarity": "VARCHAR", "terms": "VARCHAR[]"}]'),
    lambda s: struct_insert(s, holder := []::varchar[])
));

update claims set slots = slots_v2_to_v3(slots), slot_schema = 3 where slot_schema = 2;
update sentences set slots = slots_v2_to_v3(slots), slot_schema = 3 where slot_schema = 2;

alter table claims alter column slot_schema set default 3;
alter table sentences alter column slot_schema set default 3;

drop macro slots_v2_to_v3;
