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


@pytest.fixture
def pages(case):
    """Pages made directly (indexed by the triggers / generated columns as any page)."""
    from habeas.documents.models import Document, Page

    doc = Document.objects.create(case=case, title="Phrases", kind="transcript", original_filename="p.txt",
                                  sha256="f" * 64, size=1, file_type="txt", status="ready", page_count=5)
    texts = [
        "The witness was taken to the state prison at Chino.",  # 1: "state prison at"
        "The state of the prison was poor; prison at night is loud.",  # 2: both pairs, no phrase
        "State-prison records: STATE PRISON at noon.",  # 3: punctuation between the words
        "Nothing here but the state.",  # 4
        "Prisoners and the state prisons were visited.",  # 5: prefix only
    ]
    Page.objects.bulk_create([Page(document=doc, number=i, text=t) for i, t in enumerate(texts, 1)])
    return doc


def _pages(r):
    return sorted(h.page for h in r)


def test_phrases_exact_on_both_databases(pages, case):
    assert _pages(search('"state prison"', cases=[case])) == [1, 3]
    # every pair of a longer phrase is on page 2, but not in a row
    assert _pages(search('"state prison at"', cases=[case])) == [1, 3]
    assert _pages(search('"prison at"', cases=[case])) == [1, 2, 3]
    assert _pages(search('"state prison*"', cases=[case])) == [1, 3, 5]
    assert _pages(search('"the state" -"state prison"', cases=[case])) == [2, 4, 5]
    assert _pages(search('"state prison" -chino', cases=[case])) == [3]
    assert _pages(search('"state prison" witness', cases=[case])) == [1]
    hit = search('"state prison at"', cases=[case], document=pages).hits
    assert "<mark>STATE PRISON at</mark>" in next(h for h in hit if h.page == 3).snippet


def test_count_up_to_the_cap_and_paging_past_the_end(pages, case, settings):
    settings.DOCUMENTS_SEARCH_RANK_LIMIT = 3
    r = search("state", cases=[case], limit=2)
    assert (r.total, r.capped, r.ranked_among, len(r)) == (4, True, 3, 2)
    settings.DOCUMENTS_SEARCH_RANK_LIMIT = 5000
    r = search("state", cases=[case], limit=2)
    assert (r.total, r.capped) == (5, False)
    past = search("state", cases=[case], limit=2, offset=10)
    assert (past.total, len(past)) == (5, 0)
    scores = [h.score for h in search("state", cases=[case])]
    assert scores == sorted(scores, reverse=True)


def test_search_leaves_planner_settings_as_they_were(pages, case):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL planner settings")
    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('enable_seqscan'), current_setting('jit')")
        before = cur.fetchone()
        search('"state prison"', cases=[case])
        cur.execute("SELECT current_setting('enable_seqscan'), current_setting('jit')")
        assert cur.fetchone() == before
