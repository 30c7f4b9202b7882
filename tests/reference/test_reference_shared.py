"""The importer on the real files in ../shared/data (skipped, with the reason, where absent).

Expected values are counted from the files with the csv module / openpyxl, not by the code under test.
"""

import csv
import io

import pytest

from habeas.reference.importer import import_file, import_shared_if_present
from habeas.reference.models import Dataset, Execution, Exoneration

from .conftest import shared_file

pytestmark = [pytest.mark.shared, pytest.mark.django_db]

FACTOR_COLUMNS = {"MWID": "mwid", "FC": "fc", "P/FA": "p_fa", "F/MFE": "f_mfe", "OM": "om", "ILD": "ild", "DNA": "dna"}


def read_csv(path):
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        return list(csv.DictReader(f))


def test_nre_2024(tmp_path):
    path = shared_file("exonerations/nre_publicspreadsheet_may2024.csv")
    rows = read_csv(path)
    res = import_file(path, warm_charts=False)
    assert res.read == len(rows) and res.added == len(rows) and res.rejected == 0
    qs = Exoneration.objects.filter(dataset__slug=res.dataset)
    for col, field in FACTOR_COLUMNS.items():
        assert qs.filter(**{field: True}).count() == sum(1 for r in rows if r[col].strip()), col
    assert qs.filter(death_sentence=True).count() == sum(1 for r in rows if r["Sentence"] == "Death")
    assert qs.filter(state="California").count() == sum(1 for r in rows if r["State"] == "California")
    again = import_file(path, warm_charts=False)
    assert (again.added, again.updated, again.unchanged) == (0, 0, len(rows))


def test_nre_2018_xlsx():
    import openpyxl

    path = shared_file("exonerations/nre_publicspreadsheet_2018.xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    header, data = rows[0], [r for r in rows[1:] if any(v not in (None, "") for v in r)]
    res = import_file(path, warm_charts=False)
    assert res.layout == "nre-2018" and res.read == len(data) and res.added == len(data)
    qs = Exoneration.objects.filter(dataset__slug=res.dataset)
    assert set(qs.values_list("nre_id", flat=True)) == {r[header.index("ID")] for r in data}
    for col, field in FACTOR_COLUMNS.items():
        i = header.index(col)
        assert qs.filter(**{field: True}).count() == sum(1 for r in data if (r[i] or "").strip()), col


def test_executions():
    path = shared_file("deathpenalty/dpic_execution_database_feb2019.csv")
    rows = read_csv(path)
    res = import_file(path, warm_charts=False)
    dated = [r for r in rows if r["Date"].strip()]
    assert res.read == len(rows) and res.added == len(dated) and res.rejected == len(rows) - len(dated)
    assert Execution.objects.filter(state="TX").count() == sum(1 for r in dated if r["State"] == "TX")
    assert Execution.objects.filter(method="Lethal Injection").count() == sum(
        1 for r in dated if r["Method"] == "Lethal Injection")
    path = shared_file("deathpenalty/tx_executions_last_statements_2016.csv")
    res = import_file(path, warm_charts=False)
    assert res.added == len(read_csv(path))


def test_import_shared_if_present():
    shared_file("exonerations/nre_publicspreadsheet_may2024.csv")
    out = io.StringIO()
    results = import_shared_if_present(out, warm_charts=False)  # speed: benchmarks/bench_reference.py
    assert len(results) == 4 and Dataset.objects.count() == 4
    assert out.getvalue().count("habeas: reference data:") == 4
    batch = Dataset.objects.get(format="nre-2024").batches.get()
    assert str(batch.retrieved_on) == "2024-05-26" and "alejandroh3005" in batch.source_url
    again = import_shared_if_present(io.StringIO(), warm_charts=False)
    assert all(r.added == 0 and r.updated == 0 for r in again)
