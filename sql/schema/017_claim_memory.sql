-- Claim memory (issue 33): published fact checks imported as ClaimReview, every new
-- claim's matches among the claims stored before and those fact checks, and the clusters
-- the matches make. Rows are only ever added or replaced by a later match of the same pair.

-- One imported ClaimReview. `label` is the rating mapped to a verdict through
-- claimwatch/memory/data/ratings.csv, null when the rating is unknown (it is kept as text).
-- Grain: one row per fact check (its url and claim).
create table if not exists fact_checks (
    fact_check_id varchar primary key,
    claim_reviewed varchar not null,
    rating_text varchar,
    rating_value double,
    best_rating double,
    worst_rating double,
    label varchar,
    publisher varchar,
    review_url varchar,
    date_published date,
    claim_author varchar,
    appearances json not null,          -- the itemReviewed's appearance urls, in order
    sd_license varchar,
    norm_text varchar not null,
    slots json not null,
    slot_schema integer not null default 3,
    source_file varchar not null,
    imported_at timestamp not null
);

create table if not exists fact_check_terms (
    fact_check_id varchar not null,
    term varchar not null,
    primary key (fact_check_id, term)
);

-- A new claim's match to a stored claim or a fact check: `decision` is 'matched' (the same
-- truth conditions: it joins the cluster), 'proposed' (for a reviewer to confirm) or
-- 'rejected' (a reviewer said no). A row a reviewer decided (`reviewed_by`) stands when
-- the claim is matched again; the machine's rows are replaced.
-- Grain: one row per (claim, what it matched).
create table if not exists memory_matches (
    claim_id varchar not null,
    matched_kind varchar not null,      -- claim | fact_check
    matched_id varchar not null,
    decision varchar not null,          -- matched | proposed
    score double not null,
    similarity double not null,
    entails_forward double,             -- the stored text entails the new claim
    entails_backward double,            -- the new claim entails the stored text
    reason varchar not null,
    matcher_version varchar not null,
    matched_at timestamp not null,
    reviewed_by varchar,
    primary key (claim_id, matched_id)
);

-- Which cluster a claim belongs to: the cluster of the stored claim it matched best, or its
-- own (cluster_id = claim_id). Claims stored before the memory existed have no row and are
-- clusters of their own. Grain: one row per claim.
create table if not exists claim_cluster_members (
    claim_id varchar primary key,
    cluster_id varchar not null,
    joined_at timestamp not null
);

-- A document a run reads because a claim of its cluster was judged on it: the cluster's
-- evidence joins the claim's pool. Such documents are not inputs of the article itself,
-- so an unchanged re-run is still recognised (last_published_inputs leaves them out).
alter table run_documents add column if not exists via_memory boolean default false;

create or replace view claim_clusters_of as
select c.claim_id, coalesce(m.cluster_id, c.claim_id) as cluster_id
from claims as c
left join claim_cluster_members as m on m.claim_id = c.claim_id;

-- One row per cluster of more than one claim or with a fact check: its claims, articles,
-- latest human review and the fact checks its claims matched.
create or replace view claim_clusters as
with members as (
    select co.cluster_id, co.claim_id, c.article_id, c.claim_text
    from claim_clusters_of as co
    inner join claims as c on c.claim_id = co.claim_id
),

reviewed as (
    select m.cluster_id, r.verdict, r.reviewer, r.reviewed_at, r.claim_id, m.article_id
    from members as m
    inner join latest_reviews as r on r.claim_id = m.claim_id
    qualify row_number() over (
        partition by m.cluster_id order by r.reviewed_at desc, r.review_id desc
    ) = 1
),

checks as (
    select
        m.cluster_id,
        list(distinct f.fact_check_id order by f.fact_check_id) as fact_check_ids,
        list(distinct coalesce(f.label, f.rating_text) order by coalesce(f.label, f.rating_text))
            as fact_check_ratings
    from members as m
    inner join memory_matches as mm
        on mm.claim_id = m.claim_id and mm.matched_kind = 'fact_check' and mm.decision = 'matched'
    inner join fact_checks as f on f.fact_check_id = mm.matched_id
    group by m.cluster_id
),

final as (
    select
        m.cluster_id,
        count(*) as n_claims,
        count(distinct m.article_id) as n_articles,
        list(m.claim_text order by m.claim_id) as claim_texts,
        any_value(r.verdict) as reviewed_verdict,
        any_value(r.reviewer) as reviewer,
        any_value(r.reviewed_at) as reviewed_at,
        any_value(r.claim_id) as reviewed_claim_id,
        any_value(r.article_id) as reviewed_article_id,
        coalesce(any_value(ch.fact_check_ids), []) as fact_check_ids,
        coalesce(any_value(ch.fact_check_ratings), []) as fact_check_ratings
    from members as m
    left join reviewed as r on r.cluster_id = m.cluster_id
    left join checks as ch on ch.cluster_id = m.cluster_id
    group by m.cluster_id
)

select * from final
where n_claims > 1 or len(fact_check_ids) > 0;

-- What the memory says of each published claim: how often its cluster was seen in other
-- articles and with what verdicts, the cluster's latest human review, the fact checks
-- its cluster matched, and whether this claim needs a reviewer: its machine verdict
-- differs from the cluster's reviewed verdict or from a matched fact check's label (the
-- memory never overrides a verdict, either way). Grain: one row per published claim.
create or replace view claim_memory as
with published as (
    select vp.claim_id, vp.article_id, vp.machine_verdict, co.cluster_id
    from verdicts_published as vp
    inner join claim_clusters_of as co on co.claim_id = vp.claim_id
),

earlier as (
    select
        p.claim_id,
        count(distinct o.article_id) as n_other_articles,
        list(distinct o.verdict order by o.verdict) as earlier_verdicts
    from published as p
    inner join claim_clusters_of as co on co.cluster_id = p.cluster_id and co.claim_id <> p.claim_id
    inner join verdicts_published as o on o.claim_id = co.claim_id and o.article_id <> p.article_id
    group by p.claim_id
),

proposals as (
    select claim_id, count(*) as n_proposed
    from memory_matches
    where decision = 'proposed'
    group by claim_id
),

memory as (
    select
        p.claim_id,
        p.cluster_id,
        coalesce(e.n_other_articles, 0) as seen_in_other_articles,
        coalesce(e.earlier_verdicts, []) as earlier_verdicts,
        cc.reviewed_verdict as cluster_reviewed_verdict,
        cc.reviewer as cluster_reviewer,
        cc.reviewed_at as cluster_reviewed_at,
        cc.reviewed_article_id as cluster_reviewed_article_id,
        coalesce(cc.fact_check_ids, []) as fact_check_ids,
        coalesce(cc.fact_check_ratings, []) as fact_check_ratings,
        coalesce(pr.n_proposed, 0) as proposed_matches,
        coalesce(
            (
                cc.reviewed_verdict is not null
                and cc.reviewed_claim_id <> p.claim_id
                and cc.reviewed_verdict <> p.machine_verdict
            )
            or list_has_any(
                cc.fact_check_ratings, ['SUPPORTED', 'CONTRADICTED', 'DISPUTED', 'NOT ENOUGH INFO']
            ) and not list_contains(cc.fact_check_ratings, p.machine_verdict),
            false
        ) as needs_review
    from published as p
    left join earlier as e on e.claim_id = p.claim_id
    left join claim_clusters as cc on cc.cluster_id = p.cluster_id
    left join proposals as pr on pr.claim_id = p.claim_id
),

-- The memory in one line, for tables: "seen in 2 other articles (SUPPORTED); reviewed
-- CONTRADICTED by ana on 2026-12-02; fact check: CONTRADICTED; needs review".
final as (
    select
        *,
        concat_ws(
            '; ',
            case when seen_in_other_articles > 0 then
                'seen in ' || seen_in_other_articles || ' other article'
                || case when seen_in_other_articles > 1 then 's' else '' end
                || ' (' || array_to_string(earlier_verdicts, ', ') || ')'
            end,
            case when cluster_reviewed_verdict is not null then
                'reviewed ' || cluster_reviewed_verdict || ' by ' || cluster_reviewer
                || ' on ' || strftime(cluster_reviewed_at, '%Y-%m-%d')
            end,
            case when len(fact_check_ratings) > 0 then
                'fact check: ' || array_to_string(fact_check_ratings, ', ')
            end,
            case when proposed_matches > 0 then
                proposed_matches || ' possible match' || case when proposed_matches > 1 then 'es' else '' end
                || ' to review'
            end,
            case when needs_review then 'needs review' end
        ) as memory_note
    from memory
)

select * from final;
