"""Packets from the demo case (Kevin Cooper, from the public record): PDF and DOCX, text checked."""

import io
import re

import pytest
from django.urls import reverse

from habeas.cases.demo import load_demo
from habeas.cases.models import Case, CaseMembership, LabResult
from habeas.cli import main
from habeas.petitions import dna_hook, packet
from habeas.petitions.packet import Exhibit

pytestmark = pytest.mark.django_db

EXHIBITS = [Exhibit("Order of the Governor directing additional DNA testing", "2019-02-22", "Executive order", 3),
            Exhibit("Laboratory report on the tan T-shirt", "2002", "Lab report", 14)]
SECTIONS = ["Case summary", "Conviction and sentence history", "Custody", "Claims and contributing factors",
            "Evidence and laboratory history", "DNA statistics", "Timeline with sources", "Exhibit index"]


@pytest.fixture
def demo():
    case, _ = load_demo()
    return case


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    text = re.sub(r"-\s*\n\s*", "", text)  # words hyphenated at a line end
    return re.sub(r"\s+", " ", text)


def docx_text(data: bytes) -> str:
    from docx import Document

    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    parts += [p.text for p in doc.sections[0].header.paragraphs]
    return re.sub(r"\s+", " ", "\n".join(parts))


def norm(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def check_common(text: str, case, kind: str):
    assert "People of the State of California v. Kevin Cooper" in text
    assert "Kevin Cooper" in text
    assert "CAPITAL CASE" in text.upper() and "SENTENCE OF DEATH" in text.upper()
    for s in SECTIONS:
        assert s.lower() in text.lower(), s
    # Lab history: who ordered it and what it found, from the record.
    result = LabResult.objects.filter(request__case=case).exclude(conclusion="").first()
    assert norm(result.conclusion)[:40] in text
    assert "Investigating agency" in text
    # Timeline with its sources.
    event = case.timeline_events.exclude(source="").first()
    assert norm(event.what)[:30] in text
    # DNA statistics hook: empty for now, and says so.
    assert "No DNA statistics have been computed" in text
    # Exhibit index.
    assert "Order of the Governor directing additional DNA testing" in text
    assert "Laboratory report on the tan T-shirt" in text
    # Checklist of the jurisdiction's requirements, with citations.
    if kind == "clemency":
        assert "Cal. Const. art. V, § 8(a)" in text and "Pen. Code § 4804" in text
    else:
        assert "Pen. Code § 1405(d)(1)(A)" in text and "not the perpetrator" in text


@pytest.mark.parametrize("kind", ["clemency", "dna-motion"])
def test_pdf(demo, kind):
    data = packet.build_packet(demo, kind, "pdf", EXHIBITS, organisation="Innocence Clinic")
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    check_common(text, demo, kind)
    title = packet.KINDS[kind]["title"]
    assert title.upper() in text.upper()
    assert "Page 2 of" in text and "Innocence Clinic" in text


@pytest.mark.parametrize("kind", ["clemency", "dna-motion"])
def test_docx(demo, kind):
    data = packet.build_packet(demo, kind, "docx", EXHIBITS)
    assert data[:2] == b"PK"
    text = docx_text(data)
    check_common(text, demo, kind)
    assert "{{" not in text and "{%" not in text
    if kind == "clemency":
        assert "application for executive clemency on behalf of Kevin Cooper" in text
    else:
        assert "motion for post-conviction DNA testing on behalf of Kevin Cooper" in text


def test_packet_data_never_names_private_persons(demo):
    data = packet.packet_data(demo, "clemency", [])
    assert data["petitioner"] == "Kevin Cooper (convicted person)"
    flat = repr(data)
    for role in demo.roles.select_related("person"):
        if not role.person.is_public and role.person.name:
            assert role.person.name not in flat


def test_dna_statistics_hook_rows_reach_both_formats(demo, monkeypatch):
    row = {"sample": "Tan T-shirt stain", "item": "EV-1", "reference": "petitioner", "statistic": "LR",
           "value": "1.2 × 10^18", "propositions": "Hp: petitioner; Hd: unknown", "population": "NIST 1036 Caucasian",
           "theta": "0.01", "dropout_dropin": "—", "noc": "1", "model": "habeas.dna 0.1", "note": ""}
    monkeypatch.setattr(dna_hook, "_provider", lambda: (lambda case: [row]))
    html = packet.render_html(packet.packet_data(demo, "dna-motion", []))
    assert "1.2 × 10^18" in html and "NIST 1036 Caucasian" in html and "No DNA statistics" not in html
    text = docx_text(packet.build_packet(demo, "dna-motion", "docx", []))
    assert "1.2 × 10^18" in text and "θ (F_ST) 0.01" in text


# --- the DNA statistics section in print: one block per statistic ------------------------------------

LONG_HP = ("Hp: the stain is a mixture of the victim and the petitioner, with a minor contributor whose alleles "
           "at D21S11, D18S51 and FGA fall below the analytical threshold / Hd: the victim and an unknown person "
           "unrelated to the petitioner")
TOKEN = "NIST1036_Caucasian_expanded_with_subpopulation_correction_table_v2_2017"  # 70 characters, no break


def test_dna_blocks_group_by_sample_and_split_propositions():
    rows = [
        {"sample": "E-1 stain", "item": "E-1", "reference": "petitioner", "statistic": "LR", "value": "10^6",
         "propositions": "Hp: petitioner / Hd: unknown", "population": "NIST", "theta": "0.01",
         "dropout_dropin": "", "noc": "1", "model": "m", "note": ""},
        {"sample": "E-1 stain", "item": "E-1", "reference": "", "statistic": "CPI", "value": "1 in 50",
         "propositions": "", "population": "NIST", "theta": "", "dropout_dropin": "", "noc": "", "model": "", "note": ""},
        {"sample": "E-2 swab", "item": "E-2", "reference": "victim", "statistic": "conclusion", "value": "exclusion",
         "propositions": "either way", "population": "", "theta": "", "dropout_dropin": "", "noc": "", "model": "",
         "note": ""},
    ]
    blocks = packet.dna_blocks(rows)
    assert [(b["sample"], len(b["stats"])) for b in blocks] == [("E-1 stain", 2), ("E-2 swab", 1)]
    first = blocks[0]["stats"][0]
    assert (first["statistic"], first["value"]) == ("LR", "10^6")
    assert first["details"] == [
        {"label": "Compared with", "value": "petitioner"},
        {"label": "Proposition Hp", "value": "petitioner"},
        {"label": "Proposition Hd", "value": "unknown"},
        {"label": "Frequency data", "value": "NIST"},
        {"label": "θ (F_ST)", "value": "0.01"},
        {"label": "Number of contributors (NOC)", "value": "1"},
        {"label": "Model / software", "value": "m"},
    ]
    assert blocks[0]["stats"][1]["details"] == [{"label": "Frequency data", "value": "NIST"}]  # blanks left out
    # Propositions not written "Hp: … / Hd: …" stay in one line.
    assert blocks[1]["stats"][0]["details"][1] == {"label": "Hp / Hd", "value": "either way"}


@pytest.fixture
def training():
    from habeas.cases.demo import load_training

    case, _ = load_training()
    return case


def dna_section(text: str) -> str:
    """Section 6 of a packet's text (headings are printed in capitals; the contents list comes first)."""
    low = text.lower()
    return text[low.rindex("6. dna statistics"):low.rindex("7. proceedings and filings")]


def test_training_case_dna_statistics_in_print(training):
    rows = dna_hook.dna_statistics_rows(training)
    assert rows, "the training case has DNA statistics"
    html = packet.render_html(packet.packet_data(training, "clemency", []))
    assert html.count('<table class="dna-stat">') == len(rows)
    assert "<th>Evidence sample</th>" not in html  # the old 12-column table is gone
    text = dna_section(pdf_text(packet.build_packet(training, "clemency", "pdf", [])))
    # Labels print whole (no "Eviden ce"), one block per statistic, every value and parameter in full.
    assert text.count("Statistic ") >= len(rows)
    for label in ("Evidence sample:", "Compared with", "Frequency data", "Number of contributors (NOC)",
                  "Model / software", "Proposition Hp", "Proposition Hd", "Drop-out / drop-in"):
        assert label in text, label
    for r in rows:
        assert norm(r["reference"]) in text and norm(r["population"]) in text
        if r["propositions"].startswith("Hp: "):
            hp, hd = r["propositions"][4:].split(" / Hd: ")
            assert hp in text and hd in text
    docx = docx_text(packet.build_packet(training, "clemency", "docx", []))
    assert "Number of contributors (NOC) ≥ 2" in docx and "Statistic CPI Value 1 in" in docx


def test_long_propositions_and_tokens_are_not_cut(demo, monkeypatch):
    row = {"sample": "Tan T-shirt stain", "item": "EV-1", "reference": "petitioner", "statistic": "LR",
           "value": "1.2 × 10^18", "propositions": LONG_HP, "population": TOKEN, "theta": "0.03",
           "dropout_dropin": "d = 0.1 / C = 0.05", "noc": "2", "model": "LRmix", "note": ""}
    monkeypatch.setattr(dna_hook, "_provider", lambda: (lambda case: [row]))
    text = dna_section(pdf_text(packet.build_packet(demo, "dna-motion", "pdf", [])))
    hp, hd = LONG_HP[4:].split(" / Hd: ")
    assert hp in text and hd in text  # wrapped between words, nothing cut
    # The 70-character token is broken only where it must be: all of its characters are there, in order.
    assert TOKEN in text.replace(" ", "")


def test_small_case_outside_california_has_no_checklist():
    case = Case.objects.create(caption="State v. Roe", jurisdiction="Texas", summary="A short summary.")
    data = packet.packet_data(case, "dna-motion", [])
    assert data["requirements"] == [] and data["exhibits"] == []
    html = packet.render_html(data)
    assert "State v. Roe" in html and "No exhibits selected." in html and "requirements checklist" not in html
    assert "No evidence items recorded." in html


def test_organisation_template_overrides(demo, settings, tmp_path):
    d = tmp_path / "packet_templates" / "petitions" / "packet"
    d.mkdir(parents=True)
    (d / "clemency.html").write_text('{% extends "petitions/packet/base.html" %}'
                                     '{% block intro %}<p>OUR CLINIC LETTERHEAD for {{ petitioner }}</p>{% endblock %}')
    settings.HOME = tmp_path
    html = packet.render_html(packet.packet_data(demo, "clemency", []))
    assert "OUR CLINIC LETTERHEAD for Kevin Cooper" in html and "Case summary" in html


def test_unknown_kind_or_format(demo):
    with pytest.raises(ValueError):
        packet.build_packet(demo, "pardon-ish", "pdf")
    with pytest.raises(ValueError):
        packet.build_packet(demo, "clemency", "odt")


def test_cli_packet(demo, tmp_path, capsys):
    out = tmp_path / "p.docx"
    assert main(["packet", str(demo.pk), "--kind", "dna-motion", "--format", "docx", "-o", str(out)]) == 0
    assert out.read_bytes()[:2] == b"PK" and "wrote" in capsys.readouterr().out
    assert main(["packet", "999999", "--kind", "clemency", "--format", "pdf", "-o", str(out)]) == 2


def test_packet_page(client, django_user_model, demo):
    user = django_user_model.objects.create_user("clin", password="a-long-password-3")
    client.force_login(user)
    url = reverse("petitions:case", args=[demo.pk])
    assert client.get(url).status_code == 404  # not on the team
    CaseMembership.objects.create(case=demo, user=user)
    page = client.get(url).content.decode()
    assert "Download packet" in page
    resp = client.get(url, {"kind": "clemency", "format": "docx"})
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "clemency-packet-people-of-the-state-of-california" in resp["Content-Disposition"]


def test_exhibits_from_the_documents_app(demo, client, django_user_model):
    Document = pytest.importorskip("habeas.documents.models").Document
    a = Document.objects.create(case=demo, title="Ninth Circuit opinion, 2009", kind="court_opinion",
                                date="2009-05-11", original_filename="op.pdf", sha256="a" * 64, size=10,
                                page_count=101, citation="565 F.3d 581")
    Document.objects.create(case=demo, title="Police report", kind="police_report", original_filename="pr.pdf",
                            sha256="b" * 64, size=10)
    every = packet.exhibits_from_documents(demo)
    assert [(e.title, e.date, e.kind, e.pages) for e in every] == [
        ("Ninth Circuit opinion, 2009", "2009-05-11", "Court opinion", 101), ("Police report", "", "Police report", None)]
    chosen = packet.exhibits_from_documents(demo, [a.pk])
    data = packet.packet_data(demo, "clemency", chosen)
    assert [(x["label"], x["title"]) for x in data["exhibits"]] == [("A", "Ninth Circuit opinion, 2009")]
    assert len(packet.packet_data(demo, "clemency")["exhibits"]) == 2  # default: every document of the case
    user = django_user_model.objects.create_user("ex", password="a-long-password-4", is_staff=True)
    client.force_login(user)
    page = client.get(reverse("petitions:case", args=[demo.pk])).content.decode()
    assert "Ninth Circuit opinion, 2009" in page and "checked" in page
    resp = client.get(reverse("petitions:case", args=[demo.pk]),
                      {"kind": "dna-motion", "format": "docx", "documents": [str(a.pk)]})
    text = docx_text(resp.content)
    assert "Ninth Circuit opinion, 2009" in text and "Police report" not in text.split("Exhibit index")[-1]
