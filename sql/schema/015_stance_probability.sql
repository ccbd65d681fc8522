-- The learned stance decision (claimwatch/stance/decision.py) gives each pair's stance a
-- probability; verdicts weigh outlets by it, so it is stored with the stance it belongs
-- to. Null where a rule decided (a figure or date conflict, an off-topic sentence) or the
-- row was written before the decision existed.
alter table pair_scores add column probability double;
alter table evidence add column probability double;
