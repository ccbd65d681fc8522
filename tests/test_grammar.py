"""The grammar check on generated claims (claimwatch/extract/grammar.py)."""

import pytest

from claimwatch.article import mask_boilerplate, parse_article
from claimwatch.extract.claims import extract_claims
from claimwatch.extract.grammar import check_claims, faults


@pytest.mark.parametrize(
    "text, kind",
    [
        ("The bank's three key interest rates is the largest increase", "agreement"),
        ("Tencent are larger gaming companies", "agreement"),
        ("Either a 50 was most likely at the next meeting", "subject without a noun"),
        ("The deal is Microsoft's", "dangling possessive"),
        # issue 32: claims that are no claims
        ("Maria Okafor is Chief's executive", "a title as an owner"),
        ("Millbrook is Ohio", "a place said to be a place"),
        ("About 60% is the lowest since 2001", "a figure as a subject"),
    ],
)
def test_a_garbled_claim_has_a_fault(nlp, text, kind):
    assert kind in {f.kind for f in faults(nlp(text))}


@pytest.mark.parametrize(
    "text",
    [
        "Consumer prices' rise of 8.6% is the biggest gain since December 1981",
        "The decision was 10-1",
        "Policymakers voted 8-1 for the increase",
        "The agencies would act",
        "News of the ban is spreading",
        "Turnout was the lowest since 2001",
        "The 5.9% rise is the largest cost-of-living adjustment in nearly four decades",
        "Maria Okafor is Acme's chief executive",
    ],
)
def test_a_well_formed_claim_has_none(nlp, text):
    assert not faults(nlp(text))


def test_a_fault_the_article_itself_has_is_forgiven(nlp):
    text = (
        " date 2021-09-24 Overseas exchanges that serve domestic residents is also considered "
        "illegal financial activity."
    )
    doc = nlp(mask_boilerplate(text))
    claims = extract_claims(parse_article(text, "t", nlp, doc=doc), doc)
    kept, rejected = check_claims(claims, list(nlp.pipe(c.text for c in claims)), doc)
    assert kept and not rejected


def test_a_fault_the_extractor_made_is_dropped_with_its_reason(nlp):
    text = " date 2021-09-24 The rates rose."
    doc = nlp(mask_boilerplate(text))
    claims = extract_claims(parse_article(text, "t", nlp, doc=doc), doc)
    garbled = [nlp("The rates is the highest")] * len(claims)
    kept, rejected = check_claims(claims, garbled, doc)
    assert not kept and [str(f) for f in rejected[0].faults] == ["agreement: rates … is"]


def test_the_pipeline_component_sets_an_article_s_claims_on_its_doc(nlp):
    from claimwatch.extract.component import COMPONENT, article_cfg

    text = " date 2022-06-15 The Fed raised rates by 75 basis points on Wednesday."
    assert nlp.pipe_names[-1] == COMPONENT
    doc = nlp(mask_boilerplate(text), component_cfg=article_cfg(text, "t"))
    article = parse_article(text, "t", nlp, doc=doc)
    assert doc._.article.article_id == article.article_id
    assert [c.text for c in doc._.claims] == [c.text for c in extract_claims(article, doc)]
    assert len(doc._.claim_docs) == len(doc._.claims) and doc._.rejected_claims == []
    # any other parse (a claim's own text, a source sentence) is left alone
    assert nlp("The Fed raised rates.")._.claims is None
