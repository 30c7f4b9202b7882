"""Fixtures of the reference-data tests.

``fixtures/`` holds made-up rows we wrote (same columns as the real files). The real files are
read from ``../shared/data`` (next to the repository) by tests marked ``shared``.
"""

import csv
import datetime as dt
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture
def nre2024():
    return FIXTURES / "nre_2024_sample.csv"


@pytest.fixture
def dpic():
    return FIXTURES / "dpic_sample.csv"


@pytest.fixture
def tdcj():
    return FIXTURES / "tdcj_sample.csv"


@pytest.fixture
def nre2018(tmp_path):
    """The 2018 sample as the registry published that layout: an XLSX workbook."""
    import openpyxl

    with open(FIXTURES / "nre_2018_sample.csv", newline="") as f:
        rows = list(csv.reader(f))
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(rows[0])
    for r in rows[1:]:
        r = list(r)
        r[22] = dt.datetime.fromisoformat(r[22])  # Posting Date: a date cell, as in the real file
        r[23] = int(r[23])  # ID: a number cell
        ws.append(r)
    path = tmp_path / "nre_2018_sample.xlsx"
    wb.save(path)
    return path


@pytest.fixture
def imported(db, nre2024, nre2018, dpic, tdcj):
    from habeas.reference.importer import import_files

    return import_files([nre2024, nre2018, dpic, tdcj], retrieved_on=dt.date(2024, 5, 26),
                        source_url="https://example.invalid/download", warm_charts=False)


@pytest.fixture
def user(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("clinic", password="a-long-password-1")


@pytest.fixture
def client_in(client, user):
    client.force_login(user)
    return client


def shared_file(rel: str) -> Path:
    p = SHARED / rel
    if not p.is_file():
        pytest.skip(f"{p} is absent: the real reference files are not redistributed with habeas "
                    f"(no open licence); put ../shared/data next to the repository to run this test")
    return p
