"""Build ``packet.docx``, the docxtpl template of clemency and DNA-motion packets.

Run ``python -m habeas.petitions.docx.make_template`` after changing this script; the .docx is
committed beside it and shipped as package data. An organisation may instead edit a copy of
packet.docx in Word (keeping the ``{{ … }}`` / ``{%p … %}`` / ``{%tr … %}`` tags) and put it in
``$HABEAS_HOME/packet_templates/packet.docx``. The context is :func:`habeas.petitions.packet.packet_data`.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT  # noqa: F401
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor

OUT = Path(__file__).with_name("packet.docx")


def _field(paragraph, instr: str):
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    fld.append(r)
    paragraph._p.append(fld)


def _table(doc, headers: list[str], cells: list[str], loop: str, widths: list[float] | None = None):
    """A table: header row, ``{%tr for … %}`` row, data row, ``{%tr endfor %}`` row."""
    t = doc.add_table(rows=4, cols=len(headers))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headers):
        c = t.rows[0].cells[i]
        c.text = ""
        run = c.paragraphs[0].add_run(h)
        run.bold = True
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:fill"), "E8E8E8")
        c._tc.get_or_add_tcPr().append(shd)
    # mark the header row to repeat on each page
    trPr = t.rows[0]._tr.get_or_add_trPr()
    hdr = OxmlElement("w:tblHeader")
    hdr.set(qn("w:val"), "true")
    trPr.append(hdr)
    t.rows[1].cells[0].text = "{%tr for " + loop + " %}"
    for i, cell in enumerate(cells):
        t.rows[2].cells[i].text = cell
    t.rows[3].cells[0].text = "{%tr endfor %}"
    for row in t.rows:
        for i, c in enumerate(row.cells):
            if widths:
                c.width = Inches(widths[i])
            for p in c.paragraphs:
                for r in p.runs:
                    r.font.size = Pt(9.5)
    doc.add_paragraph()
    return t


def _shade(cell, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _stat_table(doc) -> None:
    """One DNA statistic (``st`` of :func:`habeas.petitions.packet.dna_blocks`): a two-column table —
    statistic and value, then a ``{%tr for %}`` row per parameter. Kept on one page."""
    t = doc.add_table(rows=5, cols=2)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    rows = [("Statistic", "{{ st.statistic }}"), ("Value", "{{ st.value }}"),
            ("{%tr for d in st.details %}", ""), ("{{ d.label }}", "{{ d.value }}"), ("{%tr endfor %}", "")]
    for i, (label, value) in enumerate(rows):
        a, b = t.rows[i].cells
        a.text, b.text = label, value
        a.width, b.width = Inches(2.1), Inches(4.4)
        if i not in (2, 4):
            _shade(a, "E0E0E0" if i == 0 else "F2F2F2")
        if i == 0:
            _shade(b, "E0E0E0")
        for c in (a, b):
            for p in c.paragraphs:
                p.paragraph_format.keep_with_next = True  # the table stays on one page
                for r in p.runs:
                    r.font.size = Pt(12 if (i == 1 and c is b) else 10)
                    r.bold = i in (0, 1) or c is a
        trPr = t.rows[i]._tr.get_or_add_trPr()
        cant = OxmlElement("w:cantSplit")
        cant.set(qn("w:val"), "true")
        trPr.append(cant)
    doc.add_paragraph()


def build(path: Path = OUT) -> Path:
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Inches(1))
    normal = doc.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.font.size = Pt(12)
    for name, size in (("Heading 1", 13), ("Heading 2", 12), ("Title", 16)):
        st = doc.styles[name]
        st.font.name = "Times New Roman"
        st.font.size = Pt(size)
        st.font.color.rgb = RGBColor(0, 0, 0)
        st.font.bold = True

    sec.different_first_page_header_footer = True
    hp = sec.header.paragraphs[0]
    hp.text = "{{ caption }} — {{ title }}"
    hp.runs[0].font.size = Pt(9)
    hp.runs[0].italic = True
    fp = sec.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fp.add_run("Page ")
    _field(fp, "PAGE")
    fp.add_run(" of ")
    _field(fp, "NUMPAGES")
    fp.add_run("   ·   Prepared {{ generated_on }}")

    # Cover
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run("{{ addressee|upper }}")
    r.bold = True
    doc.add_paragraph()
    p = doc.add_paragraph("In the matter of")
    p = doc.add_paragraph()
    p.add_run("{{ caption }}").bold = True
    doc.add_paragraph("{{ petitioner }}, Petitioner.")
    doc.add_paragraph("{%p for d in dockets %}")
    doc.add_paragraph("{{ d.court }} — No. {{ d.number }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph()
    t = doc.add_paragraph(style="Title")
    t.alignment = WD_ALIGN_PARAGRAPH.CENTER
    t.add_run("{{ title|upper }}")
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("{{ subtitle }}").italic = True
    doc.add_paragraph("{%p if death_sentence %}")
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.add_run("CAPITAL CASE — SENTENCE OF DEATH").bold = True
    doc.add_paragraph("{%p endif %}")
    p = doc.add_paragraph("Jurisdiction: {{ jurisdiction }}. Court of conviction: {{ court }}.")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p = doc.add_paragraph("Prepared {{ generated_on_long }}{% if organisation %} by {{ organisation }}{% endif %}")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_page_break()

    doc.add_paragraph("{%p if kind == 'clemency' %}")
    doc.add_paragraph("This packet assembles the record supporting an application for executive clemency on behalf "
                      "of {{ petitioner }}. It accompanies the application form required by the Governor's office; "
                      "it does not replace it.")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("This packet assembles the record supporting a motion for post-conviction DNA testing on "
                      "behalf of {{ petitioner }}: the evidence to be tested, its chain of custody, the prior testing "
                      "and its results. It accompanies the verified motion; it does not replace it.")
    doc.add_paragraph("{%p endif %}")
    doc.add_paragraph("Every fact carries its source; facts marked \u201c[reported — verify]\u201d rest on one, "
                      "secondary or partisan source.")

    doc.add_heading("1. Case summary", level=1)
    doc.add_paragraph("Petitioner: {{ petitioner }}")
    doc.add_paragraph("{{ summary }}")
    doc.add_paragraph("{%p if current_status %}")
    doc.add_paragraph("Current status: {{ current_status }}")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("2. Conviction and sentence history", level=1)
    doc.add_paragraph("{%p for c in convictions %}")
    p = doc.add_paragraph()
    p.add_run("{{ c.court }}{% if c.conviction_date %}, {{ c.conviction_date }}{% endif %}").bold = True
    doc.add_paragraph("Offences: {{ c.offenses_text }}")
    doc.add_paragraph("Verdict: {{ c.verdict }}")
    doc.add_paragraph("Sentence: {{ c.sentence }}{% if c.death_sentence %} (sentence of death){% endif %}"
                      "{% if c.sentencing_date %}; imposed {{ c.sentencing_date }}{% endif %}")
    doc.add_paragraph("Source: {{ c.source }}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_heading("Court decisions and executive actions", level=2)
    _table(doc, ["Date", "Court / office", "Action and outcome", "Citation / source"],
           ["{{ d.date }}", "{{ d.body }}", "{{ d.kind }}. {{ d.outcome }}", "{{ d.citation }} {{ d.source }}"],
           "d in decisions", [0.9, 1.4, 2.6, 1.6])

    doc.add_heading("3. Custody", level=1)
    _table(doc, ["Facility", "Prisoner no.", "From", "To", "Source"],
           ["{{ r.facility }}", "{{ r.prisoner_number }}", "{{ r.start }}", "{{ r.end }}", "{{ r.source }}"],
           "r in custody", [2.0, 0.9, 0.8, 0.8, 2.0])

    doc.add_heading("4. Claims and contributing factors", level=1)
    doc.add_paragraph("{%p for c in claims %}")
    p = doc.add_paragraph()
    p.add_run("{{ loop.index }}. {{ c.ground }}").bold = True
    doc.add_paragraph("{{ c.description }}")
    doc.add_paragraph("Source: {{ c.source }}")
    doc.add_paragraph("{%p endfor %}")
    _table(doc, ["Contributing factor", "Status", "How it appears", "Source"],
           ["{{ f.factor }}", "{{ f.status }}", "{{ f.description }}", "{{ f.source }}"],
           "f in factors", [1.4, 1.1, 2.5, 1.5])

    doc.add_heading("5. Evidence and laboratory history", level=1)
    _table(doc, ["Item", "Description", "Collected", "Status and custody", "Testing"],
           ["{{ e.number }}", "{{ e.description }} ({{ e.kind }})",
            "{{ e.collected }} {{ e.collected_at }} {{ e.collected_by }}",
            "{{ e.status }}; {{ e.custodian }} {{ e.location }}; {{ e.custody_events }} custody events",
            "{{ e.testing }}"], "e in evidence", [0.6, 2.0, 1.2, 1.4, 1.3])
    doc.add_heading("Laboratory requests and results", level=2)
    _table(doc, ["Report", "Laboratory / test", "Ordered by", "Items", "Finding", "Conclusion"],
           ["{{ r.date }}", "{{ r.laboratory }} — {{ r.test }}", "{{ r.ordered_by }}", "{{ r.items }}",
            "{{ r.finding }}", "{{ r.conclusion }} {{ r.source }}"], "r in lab_results",
           [0.8, 1.2, 0.9, 0.7, 0.9, 2.0])

    doc.add_heading("6. DNA statistics", level=1)
    doc.add_paragraph("{%p if dna_rows %}")
    doc.add_paragraph("One table per statistic: the value first, then the propositions and the parameters it rests "
                      "on. Parameters that do not apply are left out.")
    doc.add_paragraph("{%p for s in dna_samples %}")
    doc.add_heading("Evidence sample: {{ s.sample }}{% if s.item and s.item not in s.sample %} (item {{ s.item }})"
                    "{% endif %}", level=2)
    doc.add_paragraph("{%p for st in s.stats %}")
    _stat_table(doc)
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p else %}")
    doc.add_paragraph("{{ dna_note }}")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("7. Proceedings and filings", level=1)
    _table(doc, ["Filing", "Court / office", "Filed", "Status", "Decided", "Outcome"],
           ["{{ f.title or f.kind }}", "{{ f.court }}", "{{ f.filed }}", "{{ f.status }}", "{{ f.decided }}",
            "{{ f.outcome }} {{ f.detail }}"], "f in filings", [1.6, 1.3, 0.8, 0.8, 0.8, 1.2])

    doc.add_heading("8. Timeline with sources", level=1)
    _table(doc, ["Date", "Event", "Source"], ["{{ t.date }}", "{{ t.what }}", "{{ t.source }}"],
           "t in timeline", [0.9, 3.6, 2.0])

    doc.add_paragraph("{%p if requirements %}")
    doc.add_heading("9. Filing requirements checklist", level=1)
    doc.add_paragraph("{%p for q in requirements %}")
    doc.add_paragraph("☐ {{ q.text }} — {{ q.citation }}{% if q.verify and 'verify' not in q.citation %} [verify]{% endif %}")
    doc.add_paragraph("{%p endfor %}")
    doc.add_paragraph("{%p endif %}")

    doc.add_heading("Exhibit index", level=1)
    _table(doc, ["Exhibit", "Document", "Date", "Kind", "Pages"],
           ["{{ x.label }}", "{{ x.title }}", "{{ x.date }}", "{{ x.kind }}", "{{ x.pages }}"],
           "x in exhibits", [0.7, 3.0, 0.9, 1.2, 0.6])

    doc.add_paragraph("Respectfully submitted,")
    doc.add_paragraph()
    doc.add_paragraph("______________________________")
    doc.add_paragraph("Counsel for {{ petitioner }}{% if organisation %}, {{ organisation }}{% endif %}")
    doc.add_paragraph("Dated: ____________________")
    doc.core_properties.title = "habeas packet template"
    doc.core_properties.author = "habeas"
    doc.save(path)
    return path


if __name__ == "__main__":
    print(build())
