"""Full-text search: the same tests run on SQLite (FTS5) and PostgreSQL (tsvector)."""

import datetime as dt

import pytest

from habeas.documents.search import QueryError, parse_query, search, visible_cases

from .conftest import ingest


@pytest.fixture
def corpus(case, other_case, demo_file):
    docs = {
        "2001": ingest(case, demo_file("255_F3d_1104.excerpt.pdf"), kind="court_opinion", date=dt.date(2001, 7, 9)),
        "2009": ingest(case, demo_file("565_F3d_581.excerpt.pdf"), kind="court_opinion", date=dt.date(2009, 5, 11)),
        "1991": ingest(case, demo_file("53_Cal3d_771.excerpt.pdf"), kind="other", date=dt.date(1991, 5, 6)),
        "other": ingest(other_case, demo_file("357_F3d_1019.excerpt.pdf"), kind="court_opinion"),
    }
    assert all(d.status == "ready" for d in docs.values())
    return docs


def test_phrase_on_the_right_page_with_highlight(corpus, case):
    r = search('"execute an innocent man"', cases=[case])
    assert r.total == 1
    hit = r.hits[0]
    assert (hit.document_id, hit.page) == (corpus["2009"].pk, 2)
    assert "<mark>execute an innocent man</mark>" in hit.snippet
    assert search('"innocent an execute man"', cases=[case]).total == 0  # order matters in a phrase


def test_words_prefix_and_exclusion(corpus, case):
    pages = {(h.document_id, h.page) for h in search("escaped Institute", cases=[case])}
    assert pages == {(corpus["2001"].pk, 2)}
    prefix = search("escap*", cases=[case])
    assert (corpus["2001"].pk, 2) in {(h.document_id, h.page) for h in prefix}
    assert "<mark>escaped</mark>" in next(h for h in prefix if h.document_id == corpus["2001"].pk).snippet
    assert search("escap", cases=[case]).total == 0  # no stemming: a bare word is a whole word
    with_cooper = {h.page_id for h in search("Cooper", cases=[case], limit=100)}
    without = {h.page_id for h in search("Cooper -escaped", cases=[case], limit=100)}
    assert without and without < with_cooper


def test_citation_text_is_searchable_as_in_the_text(corpus, case):
    hits = search('"255 F.3d 1104"', cases=[case])
    assert {h.document_id for h in hits} >= {corpus["2001"].pk}


def test_filters_kind_and_date(corpus, case):
    everything = {h.document_id for h in search("Cooper", cases=[case], limit=100)}
    assert everything == {corpus["2001"].pk, corpus["2009"].pk, corpus["1991"].pk}
    opinions = {h.document_id for h in search("Cooper", cases=[case], kind="court_opinion", limit=100)}
    assert opinions == {corpus["2001"].pk, corpus["2009"].pk}
    later = {h.document_id for h in search("Cooper", cases=[case], date_from=dt.date(2005, 1, 1), limit=100)}
    assert later == {corpus["2009"].pk}
    earlier = {h.document_id for h in search("Cooper", cases=[case], date_to=dt.date(2001, 12, 31), limit=100)}
    assert earlier == {corpus["2001"].pk, corpus["1991"].pk}


def test_ranking_puts_the_denser_page_first(corpus, case):
    hits = search("Cooper habeas", cases=[case], limit=50)
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)


def test_cases_a_user_may_see(corpus, case, other_case, users):
    member, outsider, staff = users["member"], users["outsider"], users["staff"]
    assert {h.case_id for h in search("Cooper", cases=visible_cases(member), limit=100)} == {case.pk}
    assert search("Cooper", cases=visible_cases(outsider)).total == 0
    assert {h.case_id for h in search("Cooper", cases=visible_cases(staff), limit=100)} == {case.pk, other_case.pk}


def test_paging_and_total(corpus, case):
    first = search("Cooper", cases=[case], limit=2)
    rest = search("Cooper", cases=[case], limit=50, offset=2)
    assert first.total == rest.total >= 4
    assert not {h.page_id for h in first} & {h.page_id for h in rest}


def test_query_language():
    q = parse_query('"state of California" exonerat* -Brown F.3d')
    assert q.fts5() == '("state of california" AND "exonerat"* AND "f 3d") NOT "brown"'
    assert q.tsquery() == "(state <-> of <-> california) & exonerat:* & (f <-> 3d) & !brown"
    for bad in ("", '""', "-alone", "*** ()"):
        with pytest.raises(QueryError):
            parse_query(bad)
    # tsquery and FTS5 syntax characters never reach the database unquoted
    assert parse_query("a&b|c:*!(d)").tsquery() == "(a <-> b <-> c <-> d)"
