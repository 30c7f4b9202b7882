"""The importer on our own fixture files: counts, values, idempotence, errors, atomicity."""

import csv
import datetime as dt
import shutil

import pytest
from django.db.models import Count

from habeas.reference.importer import ReferenceImportError, import_file, import_files
from habeas.reference.models import Dataset, Execution, Exoneration, ImportBatch

pytestmark = pytest.mark.django_db


def data_rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def test_nre_2024_counts_and_values(nre2024):
    rows = data_rows(nre2024)
    res = import_file(nre2024, retrieved_on=dt.date(2024, 5, 26), warm_charts=False)
    # 8 data rows: row 8 repeats row 7 (Exoneree 6) and row 9 has no State.
    assert res.read == len(rows) == 8
    assert (res.added, res.updated, res.unchanged, res.rejected) == (6, 0, 0, 2)
    assert res.rejections == [{"row": 8, "reason": "same record as row 7"}, {"row": 9, "reason": "no State"}]
    ds = Dataset.objects.get()
    assert ds.slug == "nre-2024-2024-01-16"  # latest Posting Date in the sample
    assert ds.as_of == dt.date(2024, 1, 16)
    qs = Exoneration.objects.filter(dataset=ds)
    # factor counts by hand from the sample
    assert {f: qs.filter(**{f: True}).count() for f in ("mwid", "fc", "p_fa", "f_mfe", "om", "ild")} == {
        "mwid": 3, "fc": 1, "p_fa": 3, "f_mfe": 1, "om": 3, "ild": 1}
    assert qs.filter(dna=True).count() == 2
    assert list(qs.filter(death_sentence=True).values_list("last_name", flat=True)) == ["Exoneree 1"]
    e1 = qs.get(last_name="Exoneree 1")
    assert e1.crime_year == 1985  # "1,985" in the file
    assert e1.conviction_date == dt.date(1987, 6, 1) and e1.exoneration_date == dt.date(2005, 6, 1)
    assert e1.years_to_exoneration == round((dt.date(2005, 6, 1) - dt.date(1987, 6, 1)).days / 365.25, 2)
    assert e1.tags == "CV;IO" and e1.om_tags == "OF;WH"
    e3 = qs.get(last_name="Exoneree 3")
    assert e3.age is None  # "Don't Know"
    assert qs.get(last_name="Exoneree 5").federal is True
    batch = ImportBatch.objects.get()
    assert batch.file_name == "nre_2024_sample.csv"
    assert batch.retrieved_on == dt.date(2024, 5, 26)
    assert "law.umich.edu" in batch.source_url  # registry URL when none given
    assert len(batch.sha256) == 64 and batch.rows_read == 8 and batch.rejected == 2


def test_reimport_is_idempotent_and_updates_changed_rows(nre2024, tmp_path):
    import_file(nre2024, warm_charts=False)
    again = import_file(nre2024, warm_charts=False)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 6)
    assert Exoneration.objects.count() == 6 and Dataset.objects.count() == 1
    changed = tmp_path / "nre_2024_sample.csv"
    text = nre2024.read_text().replace("Texas,Harris,IO;#SA,Sexual Assault,Life,",
                                       "Texas,Harris,IO;#SA,Sexual Assault,Life without parole,")
    changed.write_text(text)
    third = import_file(changed, warm_charts=False)
    assert (third.added, third.updated, third.unchanged) == (0, 1, 5)
    assert Exoneration.objects.get(last_name="Exoneree 2").sentence == "Life without parole"
    assert Exoneration.objects.count() == 6


def test_nre_2018_xlsx(nre2018):
    res = import_file(nre2018, warm_charts=False)
    assert (res.layout, res.read, res.added, res.rejected) == ("nre-2018", 3, 3, 0)
    e = Exoneration.objects.get(nre_id=102)
    assert e.dna and e.dna_partly and e.mwid and e.f_mfe and e.om and not e.fc
    assert (e.crime_year, e.conviction_year, e.exoneration_year) == (1982, 1983, 1999)
    assert e.years_to_exoneration == 16.0
    assert e.posting_date == dt.date(2011, 8, 29)
    assert Exoneration.objects.get(nre_id=101).additional_crimes == "Sexual Assault; Kidnapping"
    assert Exoneration.objects.get(nre_id=103).death_sentence
    assert Dataset.objects.get().slug == "nre-2018-2015-02-13"


def test_executions(dpic, tdcj):
    res = import_file(dpic, warm_charts=False)
    assert (res.read, res.added, res.rejected) == (6, 5, 1)
    assert res.rejections == [{"row": 7, "reason": "no execution date"}]
    assert dict(Execution.objects.values_list("state").annotate(n=Count("pk"))) == {
        "TX": 3, "SC": 1, "AR": 1}
    x = Execution.objects.get(name="Executed 1")
    assert x.date == dt.date(1986, 1, 10) and x.juvenile and x.method == "Electrocution" and x.age == 25
    res = import_file(tdcj, warm_charts=False)
    assert (res.layout, res.added) == ("tdcj", 2)
    t = Execution.objects.get(dataset__format="tdcj", state_sequence=2)
    assert t.last_statement == "A made-up statement for the test." and t.volunteer
    assert Dataset.objects.count() == 2  # the two files are separate datasets, not merged


def test_wrong_columns_named(tmp_path, dpic):
    bad = tmp_path / "executions.csv"
    bad.write_text(dpic.read_text().replace("Foreign National", "Foreign"), encoding="utf-8")
    with pytest.raises(ReferenceImportError) as exc:
        import_file(bad)
    msg = str(exc.value)
    assert "executions.csv" in msg and "missing column 'Foreign National'" in msg
    assert "unexpected column 'Foreign'" in msg


def test_unknown_layout(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(ReferenceImportError, match="other.csv: header matches no known layout"):
        import_file(other)


def test_kind_mismatch(nre2024):
    with pytest.raises(ReferenceImportError, match="no known layout"):
        import_file(nre2024, kind="executions")


def test_all_or_nothing(tmp_path, nre2024, dpic):
    bad = tmp_path / "bad.csv"
    shutil.copy(dpic, bad)
    bad.write_text(bad.read_text().replace("County\n", "Country\n", 1))
    with pytest.raises(ReferenceImportError):
        import_files([nre2024, bad], warm_charts=False)
    assert Exoneration.objects.count() == 0 and Dataset.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_deleting_a_dataset_removes_its_records_and_batches(nre2024, dpic):
    import_file(nre2024, warm_charts=False)
    import_file(nre2024, warm_charts=False)  # a second batch of the same dataset
    import_file(dpic, warm_charts=False)
    Dataset.objects.get(format="nre-2024").delete()
    assert Exoneration.objects.count() == 0
    assert ImportBatch.objects.count() == 1 and Execution.objects.count() == 5
