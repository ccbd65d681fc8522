-- Human reviews: a reviewer's verdict on a claim, with a note. Rows are only ever added;
-- the latest review of a claim is the one that stands, the earlier ones are its history.
-- Grain: one row per review.
create sequence if not exists review_id_seq;

create table if not exists reviews (
    review_id bigint primary key default nextval('review_id_seq'),
    claim_id varchar not null,
    verdict varchar not null,
    note varchar not null,
    reviewer varchar not null,
    machine_verdict varchar,            -- the published verdict the reviewer overrode
    machine_run_id varchar,             -- and the run it came from
    reviewed_at timestamp not null
);

create or replace view latest_reviews as
select *
from reviews
qualify row_number() over (partition by claim_id order by reviewed_at desc, review_id desc) = 1;

-- verdicts_published gains the review: `verdict` is the reviewer's when there is one,
-- `machine_verdict` what claimwatch decided, and `review_disagrees` flags a review when a
-- later run changed the machine's verdict to one other than the reviewer's: evidence the
-- reviewer has not seen. (Overriding a verdict that then stays the same is no news.)
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
    coalesce(r.verdict, v.verdict) as verdict,
    v.confidence,
    v.n_supporting_outlets as supporting_outlets,
    v.n_contradicting_outlets as contradicting_outlets,
    v.evidence_text,
    v.evidence_url,
    v.evidence_outlet,
    v.reason,
    v.verdict as machine_verdict,
    r.review_id is not null as human_reviewed,
    r.reviewer,
    r.note as review_note,
    r.reviewed_at,
    coalesce(
        r.machine_verdict is distinct from v.verdict and v.verdict <> r.verdict, false
    ) as review_disagrees
from verdicts as v
inner join latest_published_runs as l on l.run_id = v.run_id
inner join claims as c on c.claim_id = v.claim_id
left join latest_reviews as r on r.claim_id = v.claim_id;
