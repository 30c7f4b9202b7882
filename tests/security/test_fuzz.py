"""Hostile input: property-based fuzzing of every parser (hypothesis).

Each parser may refuse input only with its documented error type — ``DNAError`` (and its
``DNAFormatError``) for profile and frequency files, ``CaseImportError`` for case files,
``RuleFileError`` for deadline rule files — never crash with anything else. Examples are
bounded (``max_examples``) so each test stays within a few seconds.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from habeas.dna.errors import DNAError
from habeas.dna.formats import read_frequencies, read_profiles

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])
LOCI = ["D3S1358", "vWA", "D16S539", "CSF1PO", "TPOX", "FGA", "AMEL", "Penta D", "", "X"]
CELL = st.one_of(
    st.sampled_from(LOCI), st.sampled_from(["11", "9.3", "X", "Y", "OL", "0", "-1", "1e309", "nan", "", "15,16",
                                            "0.1", "1.5", "inf", '"', "\x00"]),
    st.text(max_size=8), st.integers(-10**6, 10**6).map(str), st.floats(allow_nan=True).map(str))
HEADERS = [
    ["sample", "marker", "allele", "height"],
    ["Sample Name", "Marker", "Allele 1", "Allele 2", "Height 1", "Height 2"],
    ["SampleName", "Marker", "Allele1", "Allele2"],
    ["marker", "allele", "frequency"],
    ["Allele", "D3S1358", "vWA", "FGA"],
    ["allele", "D3S1358"],
]


@st.composite
def tabular(draw) -> bytes:
    """A CSV or TSV file: a plausible header and rows of plausible or arbitrary cells, sometimes
    garbage bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=300))
    sep = draw(st.sampled_from([",", "\t", ";"]))
    header = draw(st.one_of(st.sampled_from(HEADERS), st.lists(CELL, max_size=6)))
    rows = draw(st.lists(st.lists(CELL, max_size=7), max_size=8))
    text = "\n".join(sep.join(r) for r in [header, *rows])
    if draw(st.booleans()):
        text = "\ufeff" + text
    return text.encode("utf-8", "surrogatepass") if draw(st.integers(0, 5)) else text.encode("latin-1", "replace")


def _file(data: bytes, suffix: str) -> Path:
    fd, name = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return Path(name)


@FAST
@given(data=tabular(), suffix=st.sampled_from([".csv", ".tsv", ".txt", ""]))
def test_read_profiles_raises_only_dna_errors(data, suffix):
    path = _file(data, suffix)
    try:
        read_profiles(path)
    except DNAError:
        pass
    finally:
        path.unlink()


@FAST
@given(data=tabular(), suffix=st.sampled_from([".csv", ".tsv", ".txt"]))
def test_read_frequencies_raises_only_dna_errors(data, suffix):
    path = _file(data, suffix)
    try:
        read_frequencies(path)
    except DNAError:
        pass
    finally:
        path.unlink()


# --- case files -----------------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=20)


def _demo() -> dict:
    from habeas.cases.demo import DEMO_FILE

    return json.loads(DEMO_FILE.read_text(encoding="utf-8"))


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


DEMO_PATHS = None


@st.composite
def mutated_demo(draw) -> str:
    """The demo case file with one value somewhere replaced by arbitrary JSON (or deleted)."""
    global DEMO_PATHS
    data = _demo()
    if DEMO_PATHS is None:
        DEMO_PATHS = [p for p in _paths(data) if p]
    path = draw(st.sampled_from(DEMO_PATHS))
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    if draw(st.integers(0, 4)) == 0 and isinstance(parent, dict):
        del parent[path[-1]]
    else:
        parent[path[-1]] = draw(JSON)
    return json.dumps(data)


def _import(text: str):
    from habeas.cases.importer import CaseImportError, import_case_text

    try:
        import_case_text(text, "fuzz.json")
    except CaseImportError:
        pass


@pytest.mark.django_db
@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=st.one_of(JSON.map(json.dumps), st.text(max_size=200),
                      st.builds(lambda d: json.dumps({"format": "habeas-case", "version": 1, **d}),
                                st.dictionaries(st.sampled_from(["case", "people", "evidence_items", "lab_requests",
                                                                 "external_id", "timeline", "claims"]), JSON))))
def test_import_case_arbitrary_json_raises_only_case_import_error(text):
    _import(text)


@pytest.mark.django_db
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(text=mutated_demo())
def test_import_case_mutated_demo_raises_only_case_import_error(text):
    _import(text)


# --- deadline rule files --------------------------------------------------------------------------

rules = pytest.importorskip("habeas.deadlines.rules")
RULE_FILES = sorted(Path(rules.PACKAGE_RULES).glob("*.toml"))


@st.composite
def rule_text(draw) -> bytes:
    if not RULE_FILES or draw(st.integers(0, 3)) == 0:
        return draw(st.text(max_size=200)).encode("utf-8", "replace")
    lines = draw(st.sampled_from(RULE_FILES)).read_text(encoding="utf-8").splitlines()
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, max(0, len(lines) - 1)))
        how = draw(st.integers(0, 3))
        if how == 0 and lines:
            del lines[i]
        elif how == 1 and lines and "=" in lines[i]:
            key = lines[i].split("=", 1)[0]
            value = draw(st.sampled_from(['""', "0", "-1", "99999", "true", "[]", "{}", '"2025-02-30"', '"x"',
                                          '"period"', '"P-1D"', "1.5", '"aedpa"', '"none"']))
            lines[i] = f"{key}= {value}"
        elif how == 2:
            lines.insert(i, draw(st.text(max_size=30)))
        elif lines:
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
    return "\n".join(lines).encode("utf-8", "replace")


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=rule_text())
def test_rule_loader_raises_only_rule_file_error(data):
    path = _file(data, ".toml")
    try:
        rules.load_file(path)
    except rules.RuleFileError:
        pass
    finally:
        path.unlink()


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.binary(min_size=1, max_size=100).filter(lambda b: not _is_utf8(b)))
def test_rule_loader_refuses_non_utf8_with_rule_file_error(data):
    test_rule_loader_raises_only_rule_file_error.hypothesis.inner_test(data=data)


def _is_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False
