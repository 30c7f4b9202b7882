"""The set-up commands: ``habeas --help``, ``init``, ``createuser``."""

import subprocess
import sys

import pytest

from habeas.cli import main


def test_help_lists_every_area(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for command in ("init", "serve", "demo", "createuser"):
        assert command in out


@pytest.mark.parametrize("command", ["init", "serve", "demo", "createuser"])
def test_each_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "usage: habeas " + command in capsys.readouterr().out


@pytest.mark.django_db
def test_createuser_prints_a_one_time_password_that_logs_in(capsys, monkeypatch):
    from django.contrib.auth import get_user_model

    monkeypatch.delenv("HABEAS_PASSWORD", raising=False)
    assert main(["createuser", "attorney1"]) == 0
    out = capsys.readouterr().out
    password = out.split("one-time password: ")[1].split()[0]
    assert get_user_model().objects.get(username="attorney1").check_password(password)


@pytest.mark.django_db
def test_createuser_takes_the_password_from_the_environment(capsys, monkeypatch):
    from django.contrib.auth import get_user_model

    monkeypatch.setenv("HABEAS_PASSWORD", "correct horse battery staple")
    assert main(["createuser", "attorney2"]) == 0
    assert "one-time password" not in capsys.readouterr().out
    assert get_user_model().objects.get(username="attorney2").check_password("correct horse battery staple")


@pytest.mark.django_db
def test_duplicate_user_is_a_one_line_error(capsys, monkeypatch):
    monkeypatch.setenv("HABEAS_PASSWORD", "correct horse battery staple")
    assert main(["createuser", "attorney3"]) == 0
    assert main(["createuser", "attorney3"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["habeas: error: user 'attorney3' already exists"]


def test_init_creates_the_database_in_habeas_home(tmp_path):
    env = {"HABEAS_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "habeas", "init"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "habeas.sqlite3").stat().st_size > 0
    assert str(tmp_path / "habeas.sqlite3") in proc.stdout


def test_unknown_command_exits_non_zero():
    proc = subprocess.run([sys.executable, "-m", "habeas", "no-such-command"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "invalid choice" in proc.stderr


def test_a_data_folder_of_an_older_schema_is_brought_up_to_date_by_any_command(tmp_path):
    """A command on a database migrated by an older habeas (here: documents before 0005) must
    not fail on a missing column: every database command brings the schema up to date first."""
    from habeas.cases.demo import TRAINING_FILE

    env = {"HABEAS_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "habeas.settings"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", *args], env=env, capture_output=True, text=True, timeout=300)

    assert run("habeas", "import", "case", str(TRAINING_FILE)).returncode == 0
    assert run("django", "migrate", "documents", "0004", "--verbosity", "0").returncode == 0
    proc = run("habeas", "packet", "1", "--kind", "clemency", "--format", "docx", "-o", str(tmp_path / "p.docx"))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "p.docx").stat().st_size > 0
