"""Pages, filters, sorting, record pages, analytics with charts, CSV downloads."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from habeas.reference.models import Execution, Exoneration

pytestmark = pytest.mark.django_db

PAGES = ["reference:index", "reference:exoneration-list", "reference:execution-list"]
TOPICS = ["factors", "years", "time", "dna", "death", "executions"]


def rows_of(resp):
    return list(csv.reader(io.StringIO(resp.content.decode())))


@pytest.mark.parametrize("name", PAGES)
def test_login_required(client, name):
    resp = client.get(reverse(name))
    assert resp.status_code == 302 and "login" in resp["Location"]


def test_login_required_analytics_and_csv(client):
    assert client.get(reverse("reference:analytics", args=["factors"])).status_code == 302
    assert client.get(reverse("reference:exoneration-csv")).status_code == 302


@pytest.mark.parametrize("name", PAGES)
def test_empty_pages(client_in, name):
    resp = client_in.get(reverse(name))
    assert resp.status_code == 200
    assert b"No " in resp.content


def test_index_lists_sources(client_in, imported):
    html = client_in.get(reverse("reference:index")).content.decode()
    assert "nre_2024_sample.csv" in html and "retrieved 2024-05-26" in html
    assert "dpic_sample.csv" in html and "https://example.invalid/download" in html


def test_exoneration_browser_filters(client_in, imported):
    url = reverse("reference:exoneration-list")
    resp = client_in.get(url)
    assert resp.status_code == 200
    assert resp.context["page"].paginator.count == 6  # newest edition: the 2024 sample
    cases = {
        "state=Texas": {"Exoneree 2", "Exoneree 6"},
        "factor=mwid": {"Exoneree 1", "Exoneree 2", "Exoneree 6"},
        "factor=mwid&factor=om": {"Exoneree 1"},
        "dna=yes": {"Exoneree 1", "Exoneree 2"},
        "dna=no": {"Exoneree 3", "Exoneree 4", "Exoneree 5", "Exoneree 6"},
        "death=yes": {"Exoneree 1"},
        "race=Black": {"Exoneree 1", "Exoneree 4", "Exoneree 6"},
        "crime=Murder": {"Exoneree 1", "Exoneree 4"},
        "year_from=2012&year_to=2022": {"Exoneree 2", "Exoneree 3", "Exoneree 6"},
        "q=Exoneree 5": {"Exoneree 5"},
    }
    for query, expected in cases.items():
        page = client_in.get(f"{url}?{query}").context["page"]
        assert {e.last_name for e in page} == expected, query
    html = client_in.get(f"{url}?state=Texas").content.decode()
    assert "Exoneree 2" in html and "Exoneree 1" not in html


def test_exoneration_sorting(client_in, imported):
    url = reverse("reference:exoneration-list")
    by_years = [e.last_name for e in client_in.get(f"{url}?sort=-years").context["page"]]
    # years from conviction to exoneration, by hand: 2 ≈ 21.0, 1 ≈ 18.0, 6 ≈ 17.4, 4 ≈ 14.6, 3 ≈ 13.9, 5 ≈ 6.5
    assert by_years == ["Exoneree 2", "Exoneree 1", "Exoneree 6", "Exoneree 4", "Exoneree 3", "Exoneree 5"]
    by_exon = [e.exoneration_year for e in client_in.get(url).context["page"]]
    assert by_exon == [2023, 2022, 2018, 2012, 2010, 2005]  # default: latest exoneration first


def test_other_edition(client_in, imported):
    resp = client_in.get(reverse("reference:exoneration-list") + "?dataset=nre-2018-2015-02-13")
    assert {e.nre_id for e in resp.context["page"]} == {101, 102, 103}


def test_exoneration_detail(client_in, imported):
    e = Exoneration.objects.get(last_name="Exoneree 1", dataset__format="nre-2024")
    html = client_in.get(e.get_absolute_url()).content.decode()
    for text in ("Exoneree 1", "Los Angeles", "Murder", "Mistaken witness identification",
                 "False or misleading forensic evidence", "1987-06-01", "2005-06-01", "nre_2024_sample.csv row 2"):
        assert text in html, text
    assert "False confession" not in html


def test_execution_browser_and_detail(client_in, imported):
    url = reverse("reference:execution-list")
    assert client_in.get(url).context["page"].paginator.count == 5  # DPIC sample (largest file)
    assert {x.name for x in client_in.get(f"{url}?state=TX").context["page"]} == {
        "Executed 3", "Executed 4", "Executed 5"}
    assert {x.name for x in client_in.get(f"{url}?year_from=2000").context["page"]} == {"Executed 4", "Executed 5"}
    assert [x.name for x in client_in.get(f"{url}?sort=age").context["page"]] == [
        "Executed 1", "Executed 5", "Executed 4", "Executed 3", "Executed 2"]
    x = Execution.objects.get(dataset__format="tdcj", state_sequence=2)
    html = client_in.get(x.get_absolute_url()).content.decode()
    assert "A made-up statement for the test." in html and "2013-05-15" in html


def test_csv_downloads(client_in, imported):
    resp = client_in.get(reverse("reference:exoneration-csv") + "?state=Texas")
    assert resp["Content-Type"].startswith("text/csv")
    rows = rows_of(resp)
    assert rows[0][:3] == ["nre_id", "last_name", "first_name"]
    assert sorted(r[1] for r in rows[1:]) == ["Exoneree 2", "Exoneree 6"]
    rows = rows_of(client_in.get(reverse("reference:execution-csv")))
    assert len(rows) == 1 + 5


@pytest.mark.parametrize("topic", TOPICS)
def test_analytics_pages(client_in, imported, topic):
    resp = client_in.get(reverse("reference:analytics", args=[topic]))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert html.count("<svg") == len(resp.context["page"].sections) >= 1
    assert "Source:" in html and ".csv" in html


def test_analytics_numbers(client_in, imported):
    # contributing factors of the 2024 sample, by hand: MWID 3/6, FC 1/6, P/FA 3/6, F/MFE 1/6, OM 3/6, ILD 1/6
    rows = rows_of(client_in.get(reverse("reference:analytics-csv", args=["factors", "overall"])))
    assert rows[0] == ["Factor", "Code", "Exonerations", "% of exonerations"]
    assert [(r[1], r[2], r[3]) for r in rows[1:]] == [
        ("MWID", "3", "50.0"), ("FC", "1", "16.7"), ("P/FA", "3", "50.0"), ("F/MFE", "1", "16.7"),
        ("OM", "3", "50.0"), ("ILD", "1", "16.7")]
    rows = rows_of(client_in.get(reverse("reference:analytics-csv", args=["years", "per-year"])))
    counts = {int(r[0]): int(r[1]) for r in rows[1:]}
    assert counts[2005] == counts[2010] == counts[2012] == counts[2018] == counts[2022] == counts[2023] == 1
    assert sum(counts.values()) == 6 and min(counts) == 2005 and max(counts) == 2023
    rows = rows_of(client_in.get(reverse("reference:analytics-csv", args=["dna", "per-year"])))
    assert ["2012", "1", "0", "100.0"] in rows and ["2010", "0", "1", "0.0"] in rows
    rows = rows_of(client_in.get(reverse("reference:analytics-csv", args=["death", "by-state"])))
    assert rows[1:] == [["California", "1"]]
    rows = rows_of(client_in.get(reverse("reference:analytics-csv", args=["executions", "by-state"])))
    assert rows[1:] == [["TX", "3", "60.0"], ["AR", "1", "20.0"], ["SC", "1", "20.0"]]
    rows = rows_of(client_in.get(reverse("reference:analytics-csv", args=["time", "by-factor"])))
    fc = next(r for r in rows if r[0] == "False confession")
    # only Exoneree 4 has FC: 1996-02-15 → 2010-09-24
    years = round((dt.date(2010, 9, 24) - dt.date(1996, 2, 15)).days / 365.25, 2)
    assert fc[1] == "1" and float(fc[3]) == round(years, 1)


def test_analytics_filters_narrow(client_in, imported):
    page = client_in.get(reverse("reference:analytics", args=["factors"]) + "?state=Texas").context["page"]
    assert page.n == 2
    rows = rows_of(client_in.get(reverse("reference:analytics-csv", args=["factors", "overall"]) + "?state=Texas"))
    assert rows[1][1:] == ["MWID", "2", "100.0"]


def test_analytics_unknown(client_in, imported):
    assert client_in.get("/reference/analytics/nothing/").status_code == 404
    assert client_in.get(reverse("reference:analytics-csv", args=["factors", "nothing"])).status_code == 404


def test_chart_cache(client_in, imported):
    from habeas.reference.models import ChartCache

    client_in.get(reverse("reference:analytics", args=["years"]))
    assert ChartCache.objects.filter(key__contains=":years:").count() == 1
    client_in.get(reverse("reference:analytics", args=["years"]) + "?state=Texas")
    assert ChartCache.objects.filter(key__contains=":years:").count() == 1  # filtered charts are not cached
