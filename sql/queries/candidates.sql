-- Candidate evidence: for each claim of each run's article, the top-k sentences of the
-- run's documents ranked by the summed BM25-style IDF of the terms they share, with what
-- scoring needs about each pair. No claim is compared with every sentence. Many runs
-- (a batch) go in one query; each is ranked against its own documents only.
-- Grain: one row per run x claim x candidate sentence. Parameters: $run_ids, $top_k.
with batch as (
    select run_id, article_id
    from runs
    where run_id in (select unnest($run_ids::varchar[]))
),

run_sentences as (
    select rd.run_id, s.sentence_id
    from sentences as s
    inner join run_documents as rd on rd.document_id = s.document_id
    inner join batch as b on b.run_id = rd.run_id
    where not rd.is_excluded
),

run_terms as (
    select rs.run_id, st.sentence_id, st.term
    from sentence_terms as st
    inner join run_sentences as rs on rs.sentence_id = st.sentence_id
),

corpus_size as (
    select run_id, count(*) as n_sentences
    from run_sentences
    group by run_id
),

term_idf as (
    select
        rt.run_id,
        rt.term,
        ln(1 + (cs.n_sentences - count(*) + 0.5) / (count(*) + 0.5)) as idf
    from run_terms as rt
    inner join corpus_size as cs on cs.run_id = rt.run_id
    group by rt.run_id, rt.term, cs.n_sentences
),

max_idf as (
    select run_id, max(idf) as idf
    from term_idf
    group by run_id
),

article_claim_terms as (
    select b.run_id, ct.claim_id, ct.term
    from claim_terms as ct
    inner join claims as c on c.claim_id = ct.claim_id
    inner join batch as b on b.article_id = c.article_id
),

-- A claim term no source sentence uses is as informative as the rarest one. Slot terms
-- ("#11", "@china") only rank candidates; coverage counts words.
claim_weight as (
    select
        act.run_id,
        act.claim_id,
        round(sum(coalesce(ti.idf, mi.idf)), 9) as claim_idf
    from article_claim_terms as act
    left join term_idf as ti on ti.run_id = act.run_id and ti.term = act.term
    left join max_idf as mi on mi.run_id = act.run_id
    where not (act.term like '#%' or act.term like '@%')
    group by act.run_id, act.claim_id
),

shared as (
    select
        act.run_id,
        act.claim_id,
        rt.sentence_id,
        -- a shared number or entity counts double: BM25 with a boost for fact slots
        -- Rounded: a float sum's last bits follow the order DuckDB's threads add in, and
        -- two equal scores must rank, and key stored stances, the same on every run.
        round(
            sum(ti.idf * case when act.term like '#%' or act.term like '@%' then 2 else 1 end),
            9
        ) as retrieval_score,
        round(
            sum(ti.idf) filter (where not (act.term like '#%' or act.term like '@%')), 9
        ) as word_score,
        count(*) as n_shared_terms
    from article_claim_terms as act
    inner join run_terms as rt on rt.run_id = act.run_id and rt.term = act.term
    inner join term_idf as ti on ti.run_id = act.run_id and ti.term = act.term
    group by act.run_id, act.claim_id, rt.sentence_id
),

ranked as (
    select
        *,
        row_number() over (
            partition by run_id, claim_id order by retrieval_score desc, sentence_id
        ) as candidate_rank
    from shared
),

top_k as (
    select
        r.run_id,
        r.claim_id,
        r.sentence_id,
        r.retrieval_score,
        r.n_shared_terms,
        r.candidate_rank,
        -- least(): the ratio of two float sums can land a hair above 1
        least(1.0, round(coalesce(r.word_score, 0) / cw.claim_idf, 9)) as weighted_coverage
    from ranked as r
    inner join claim_weight as cw on cw.run_id = r.run_id and cw.claim_id = r.claim_id
    where r.candidate_rank <= $top_k
),

batch_documents as (
    select distinct rd.document_id
    from run_documents as rd
    inner join batch as b on b.run_id = rd.run_id
),

-- Every entity a candidate's document names anywhere: a sentence that names no one
-- ("banks may not offer crypto services") is about whoever its document is about.
document_entities as (
    select
        s.document_id,
        list(distinct slot.value order by slot.value) as entities
    from sentences as s
    cross join unnest(
        from_json(s.slots, '[{"kind": "VARCHAR", "value": "VARCHAR"}]')
    ) as slot_list(slot)
    where slot.kind = 'entity'
        and s.document_id in (select document_id from batch_documents)
    group by s.document_id
),

-- The dates a candidate's document gives, in reading order: a sentence that dates nothing
-- ("food prices shot up 0.9%") tells of the period its story's opening names.
document_dates as (
    select
        s.document_id,
        -- list_filter keeps the order slots were found in, so dates stay in reading order
        flatten(list(
            list_transform(
                list_filter(
                    from_json(s.slots, '[{"kind": "VARCHAR", "value": "VARCHAR"}]'),
                    lambda slot: slot.kind = 'date'
                ),
                lambda slot: slot.value
            )
            order by s.sentence_index
        )) as dates
    from sentences as s
    where s.document_id in (select document_id from batch_documents)
    group by s.document_id
),

final as (
    select
        tk.run_id,
        tk.claim_id,
        tk.sentence_id,
        tk.candidate_rank,
        tk.retrieval_score,
        tk.weighted_coverage,
        c.claim_text,
        c.norm_text as claim_norm,
        c.slots as claim_slots,
        s.norm_text as sentence_norm,
        s.slots as sentence_slots,
        s.sentence_text,
        s.document_id,
        coalesce(src.original_url, d.url) as evidence_url,
        d.outlet,
        src.tier,
        rd.outlet_group,
        coalesce(de.entities, []) as document_entities,
        coalesce(dd.dates, []) as document_dates
    from top_k as tk
    inner join claims as c on c.claim_id = tk.claim_id
    inner join sentences as s on s.sentence_id = tk.sentence_id
    inner join documents as d on d.document_id = s.document_id
    inner join sources as src on src.source_id = d.source_id
    inner join run_documents as rd
        on rd.document_id = d.document_id and rd.run_id = tk.run_id
    left join document_entities as de on de.document_id = d.document_id
    left join document_dates as dd on dd.document_id = d.document_id
)

-- A fixed order: the same rows in the same order on every run, whatever the threads did.
select * from final
order by run_id, claim_id, candidate_rank
