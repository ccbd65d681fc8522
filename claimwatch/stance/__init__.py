"""How a claim's stance toward one source sentence is decided once the slots and the word
overlap have read the pair (claimwatch.stance.judge): the entailment model's reading,
WordNet's antonyms, and one precedence table (rules.PRECEDENCE) that folds their findings
into SUPPORTS, REFUTES or NEUTRAL with the id of the rule that decided."""
