"""Fixtures of the case-record tests: the demo file, its source fixture, and row counting."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.apps import apps

from habeas.cases.demo import DEMO_FILE

FIXTURE_DIR = DEMO_FILE.parent  # the fixture as copied into the repo (case.json, timeline.csv)


@pytest.fixture(scope="session")
def fixture_case() -> dict:
    """The fixture's own case.json (not our conversion of it)."""
    return json.loads((FIXTURE_DIR / "case.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def fixture_timeline() -> list[dict]:
    with (FIXTURE_DIR / "timeline.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def demo_text() -> str:
    return DEMO_FILE.read_text(encoding="utf-8")


@pytest.fixture
def demo_data(demo_text) -> dict:
    """A fresh, mutable copy of the demo case file."""
    return json.loads(demo_text)


@pytest.fixture
def demo_case(db):
    from habeas.cases.demo import load_demo

    case, _created = load_demo()
    return case


def count_rows() -> dict[str, int]:
    """Rows in every table of the cases app."""
    return {model.__name__: model.objects.count() for model in apps.get_app_config("cases").get_models()}


@pytest.fixture
def rows():
    return count_rows


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
