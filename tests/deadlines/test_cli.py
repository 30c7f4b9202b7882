"""``habeas deadline …``: the same engine as the UI, no database."""

import json
import os
import subprocess
import sys

import pytest

from habeas.cli import main


def test_aedpa_text(capsys):
    rc = main(["deadline", "aedpa", "--judgment-final", "2023-02-28",
               "--state-petition", "2023-06-01:2023-06-30", "2023-06-20:2023-07-10"])
    out = capsys.readouterr().out
    assert rc == 0
    # Hand-computed in test_engine.test_overlapping_state_petitions_are_merged.
    assert "DUE: 2024-04-08 (Monday)" in out
    assert "28 U.S.C. § 2244(d)(1)–(2)" in out and "40 days" in out


def test_state_petition_flag_repeats(capsys):
    assert main(["deadline", "aedpa", "--judgment-final", "2023-02-28", "--state-petition", "2023-06-01:2023-06-30",
                 "--state-petition", "2023-06-20:2023-07-10"]) == 0
    assert "DUE: 2024-04-08 (Monday)" in capsys.readouterr().out


def test_aedpa_json(capsys):
    rc = main(["deadline", "aedpa", "--judgment-final", "2025-07-03", "--json"])
    d = json.loads(capsys.readouterr().out)
    assert rc == 0
    assert d["due"] == "2026-07-06" and d["last_day"] == "2026-07-03"  # July 4 2026 on a Saturday
    assert len(d["roll_forward"]) == 3 and d["citation"].startswith("28 U.S.C.")


def test_aedpa_unknown_trigger_exit_1(capsys):
    rc = main(["deadline", "aedpa", "--factual-predicate", "2021-08-10"])
    assert rc == 1
    assert "UNKNOWN" in capsys.readouterr().out


def test_bad_state_petition_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as e:
        main(["deadline", "aedpa", "--judgment-final", "2023-02-28", "--state-petition", "2023-06-01"])
    assert e.value.code == 2


def test_rules_check_reports_file_and_line(tmp_path, capsys):
    p = tmp_path / "bad.toml"
    p.write_text('schema = 1\n[jurisdiction]\nid = "x"\nname = "X\n', encoding="utf-8")
    assert main(["deadline", "rules", "--check", str(p)]) == 2
    assert f"{p}:4:" in capsys.readouterr().err


def test_period_and_rules_listing(capsys):
    assert main(["deadline", "period", "california:pc1405-writ", "--trigger", "2026-03-11"]) == 0
    assert "DUE: 2026-04-01" in capsys.readouterr().out
    assert main(["deadline", "period", "nowhere:nothing", "--trigger", "2026-03-11"]) == 2
    assert main(["deadline", "rules"]) == 0
    assert "federal:aedpa" in capsys.readouterr().out


def test_aedpa_needs_no_database(tmp_path):
    """Runs with an unreachable database configured and without loading Django's ORM."""
    code = ("import sys; from habeas.cli import main; "
            "rc = main(['deadline', 'aedpa', '--judgment-final', '2023-02-28']); "
            "assert 'django.db' not in sys.modules, 'django.db imported'; sys.exit(rc)")
    env = dict(os.environ, HABEAS_HOME=str(tmp_path / "none"),
               HABEAS_DATABASE_URL="postgres://nobody@127.0.0.1:1/none")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "DUE: 2024-02-28" in r.stdout


@pytest.mark.parametrize("argv,flag", [
    (["--direct-review-decided", "2020-01-01", "--cert-decided", "2019-01-01"], "--cert-decided"),
    (["--judgment-final", "2020-01-01", "--direct-review-decided", "2021-01-01"], "--judgment-final"),
    (["--judgment-final", "2099-01-01"], "--judgment-final"),
    (["--judgment-final", "2023-02-28", "--state-petition", "2099-01-01:pending"], "--state-petition"),
])
def test_impossible_aedpa_facts_exit_2_with_one_line(capsys, argv, flag):
    assert main(["deadline", "aedpa", *argv]) == 2
    out, err = capsys.readouterr()
    assert out == ""  # no due date printed
    assert err.count("\n") == 1 and err.startswith(f"habeas: error: {flag}: ")


def test_period_trigger_after_today_exits_2(capsys):
    assert main(["deadline", "period", "federal:notice-of-appeal", "--trigger", "2099-01-01"]) == 2
    assert "--trigger: " in capsys.readouterr().err
