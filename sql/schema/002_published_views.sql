-- Views users query: only runs that passed validation are visible here.

create or replace view latest_published_runs as
select article_id, arg_max(run_id, finished_at) as run_id
from runs
where status = 'published'
group by article_id;

create or replace view verdicts_published as
select
    c.article_id,
    v.claim_id,
    v.run_id,
    c.claim_text,
    c.kind,
    c.speaker,
    c.via,
    c.claim_date,
    v.verdict,
    v.confidence,
    v.n_supporting_outlets as supporting_outlets,
    v.n_contradicting_outlets as contradicting_outlets,
    v.evidence_text,
    v.evidence_url,
    v.evidence_outlet,
    v.reason
from verdicts as v
inner join latest_published_runs as l on l.run_id = v.run_id
inner join claims as c on c.claim_id = v.claim_id;

create or replace view article_scorecard as
select
    article_id,
    run_id,
    count(*) as n_claims,
    count(*) filter (where verdict = 'SUPPORTED') as n_supported,
    count(*) filter (where verdict = 'CONTRADICTED') as n_contradicted,
    count(*) filter (where verdict = 'DISPUTED') as n_disputed,
    count(*) filter (where verdict = 'NOT ENOUGH INFO') as n_unverified
from verdicts_published
group by article_id, run_id;
