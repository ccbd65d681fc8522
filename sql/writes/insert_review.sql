-- One review, only ever added; returns its id.
-- Parameters: $claim_id, $verdict, $note, $reviewer, $machine_verdict, $machine_run_id,
-- $reviewed_at.
insert into reviews (
    claim_id, verdict, note, reviewer, machine_verdict, machine_run_id, reviewed_at
)
values (
    $claim_id, $verdict, $note, $reviewer, $machine_verdict, $machine_run_id, $reviewed_at
)
returning review_id
