"""Rule files: loaded with citations and versions; a file with an error is refused with file and line."""

import datetime as dt
import textwrap

import pytest

from habeas.deadlines import rules
from habeas.deadlines.rules import RuleFileError, load_all, load_file

GOOD = textwrap.dedent("""\
    schema = 1

    [jurisdiction]
    id = "testland"
    name = "Testland"
    version = "1"

    [calendar]
    observed = "none"

    [[calendar.holidays]]
    name = "Founders' Day"
    month = 3
    day = 3

    [[rules]]
    id = "answer"
    title = "Answer to the petition"
    kind = "response"
    method = "period"
    citation = "Testland R. 1"
    effective = 2020-01-01
    period = { days = 10 }
    trigger_label = "service"
""")


def write(tmp_path, text, name="t.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_package_rule_files_load_with_citations():
    jurs = load_all([rules.PACKAGE_RULES])
    assert set(jurs) == {"federal", "california"}
    for j in jurs.values():
        for r in j.rules.values():
            assert r.citation and r.version and isinstance(r.effective, dt.date)
    aedpa = jurs["federal"].rules["aedpa"]
    assert [t.citation for t in aedpa.triggers] == [f"28 U.S.C. § 2244(d)(1)({k})" for k in "ABCD"]
    cal = jurs["california"].rules
    assert any("§ 4804" in q.citation for q in cal["clemency"].requirements)
    assert any("1405(d)(1)(A)" in q.citation for q in cal["pc1405-motion"].requirements)


def test_good_file(tmp_path):
    j = load_file(write(tmp_path, GOOD))
    assert j.rules["answer"].period_days == 10
    assert j.calendar.holiday_name(dt.date(2021, 3, 3)) == "Founders' Day"


def test_toml_syntax_error_has_file_and_line(tmp_path):
    p = write(tmp_path, GOOD.replace('name = "Testland"', 'name = "Testland'))
    with pytest.raises(RuleFileError) as e:
        load_file(p)
    assert str(e.value).startswith(f"{p}:5:")
    assert e.value.line == 5


# Lines of GOOD: 16 [[rules]], 19 kind, 22 effective, 23 period, 14 holiday day, 9 observed.
@pytest.mark.parametrize("old,new,line,words", [
    ('citation = "Testland R. 1"\n', "", 16, "missing or empty 'citation'"),       # falls back to the [[rules]] line
    ('kind = "response"', 'kind = "reply"', 19, "'kind' must be one of"),
    ("period = { days = 10 }", "period = { days = -1 }", 23, "whole numbers"),
    ("effective = 2020-01-01", 'effective = "soon"', 22, "expected a date"),
    ("day = 3", "day = 32", 14, "impossible day"),
    ('observed = "none"', 'observed = "sometimes"', 9, "observed"),
    ('method = "period"', 'method = "aedpa"', 16, "triggers A, B, C, D"),
])
def test_semantic_errors_name_the_line(tmp_path, old, new, line, words):
    p = write(tmp_path, GOOD.replace(old, new))
    with pytest.raises(RuleFileError) as e:
        load_file(p)
    assert words in str(e.value)
    assert str(e.value).startswith(f"{p}:{line}:"), str(e.value)


def test_duplicate_rule_id(tmp_path):
    text = GOOD + "\n" + GOOD[GOOD.index("[[rules]]"):]
    p = write(tmp_path, text)
    with pytest.raises(RuleFileError, match="defined twice"):
        load_file(p)


def test_organisation_file_replaces_package_file(tmp_path, monkeypatch):
    (tmp_path / "rules").mkdir()
    write(tmp_path / "rules", GOOD.replace('id = "testland"', 'id = "federal"'), "federal.toml")
    monkeypatch.setenv("HABEAS_HOME", str(tmp_path))
    rules._cache.clear()
    try:
        jurs = rules.jurisdictions()
        assert "answer" in jurs["federal"].rules and "california" in jurs
    finally:
        monkeypatch.delenv("HABEAS_HOME")
        rules._cache.clear()


def test_broken_organisation_file_is_refused(tmp_path, monkeypatch):
    (tmp_path / "rules").mkdir()
    write(tmp_path / "rules", "schema = 1\n[jurisdiction\n", "bad.toml")
    monkeypatch.setenv("HABEAS_HOME", str(tmp_path))
    rules._cache.clear()
    try:
        with pytest.raises(RuleFileError, match=r"bad\.toml:2:"):
            rules.jurisdictions()
    finally:
        monkeypatch.delenv("HABEAS_HOME")
        rules._cache.clear()


@pytest.mark.parametrize("line, message", [
    ("filing_kinds = 0", "'filing_kinds' must be a list of text"),
    ("notes = [1, 2]", "'notes' must be a list of text"),
    ("summary = 5", "'summary' must be text"),
    ("period = 3", "'period' must be a table"),
    ("triggers = [1]", "'triggers' must be a list of tables"),
])
def test_values_of_the_wrong_type_are_refused_with_their_line(tmp_path, line, message):
    from habeas.deadlines.rules import RuleFileError, load_file

    text = ('schema = 1\n[jurisdiction]\nid = "x"\nname = "X"\nversion = "1"\n\n'
            '[[rules]]\nid = "r"\nkind = "limitation"\n' + line + "\n")
    path = tmp_path / "x.toml"
    path.write_text(text)
    with pytest.raises(RuleFileError) as err:
        load_file(path)
    assert str(err.value).startswith(f"{path}:10:") and message in str(err.value)
