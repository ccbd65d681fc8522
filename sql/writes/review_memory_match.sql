-- A reviewer's decision on a proposed (or machine) match: 'matched' or 'rejected'.
update memory_matches
set decision = $decision, reviewed_by = $reviewer,
    reason = $decision || ' by ' || $reviewer || ': ' || reason
where claim_id = $claim_id and matched_id = $matched_id;
