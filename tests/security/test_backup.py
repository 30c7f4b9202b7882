"""`habeas backup` / `habeas restore`: a round trip gives back the same data and the same files."""

from __future__ import annotations

import hashlib
import json
import tarfile
from pathlib import Path

import pytest


BUILD = """
from habeas.cli import setup_django
setup_django()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from habeas.cases.demo import load_demo
from habeas.documents.storage import store
import io, json
case, _ = load_demo()
sha, size, path = store(io.BytesIO(b"%PDF-1.4 lab report of item 1\\n" * 1000))
print(json.dumps({"case": case.pk, "sha": sha}))
"""

EXPORT = """
import sys, json
from habeas.cli import setup_django
setup_django()
from habeas.cases.exporter import export_case
from habeas.cases.models import Case
from habeas.audit.models import AuditEntry
print(json.dumps({"cases": [export_case(c) for c in Case.objects.order_by("pk")],
                  "audit": list(AuditEntry.objects.order_by("sequence").values_list("hash", flat=True))},
                 sort_keys=True, default=str))
"""


def _python(code: str, home: Path) -> str:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("HABEAS_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update({"HABEAS_HOME": str(home), "HABEAS_SECRET_KEY": "test-" + "x" * 60})
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _file_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def source(tmp_path_factory, habeas_cmd):
    run_habeas = habeas_cmd
    home = tmp_path_factory.mktemp("source-home")
    built = json.loads(_python(BUILD, home).strip().splitlines()[-1])
    archive = tmp_path_factory.mktemp("backups") / "habeas-backup.tar.gz"
    done = run_habeas("backup", str(archive), home=home)
    assert done.returncode == 0, done.stderr
    return home, archive, built


def test_round_trip_restores_equal_data_and_files(source, tmp_path, habeas_cmd):
    run_habeas = habeas_cmd
    home, archive, built = source
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    target = tmp_path / "restored-home"
    done = run_habeas("restore", str(archive), home=target)
    assert done.returncode == 0, done.stderr
    assert "restored" in done.stdout
    original, restored = _python(EXPORT, home), _python(EXPORT, target)
    assert json.loads(original)["cases"], "the demo case is in the export"
    assert restored == original
    files_a, files_b = _file_hashes(home / "files"), _file_hashes(target / "files")
    assert files_a and files_a == files_b
    blob = f"blobs/{built['sha'][:2]}/{built['sha'][2:4]}/{built['sha']}"
    assert files_b[blob] == built["sha"]
    assert run_habeas("verify", home=target).returncode == 0


def test_restore_refuses_a_data_folder_with_data(source, tmp_path, habeas_cmd):
    run_habeas = habeas_cmd
    home, archive, _ = source
    done = run_habeas("restore", str(archive), home=home)
    assert done.returncode == 2
    assert "refuses to overwrite" in done.stderr and "--force" in done.stderr
    forced = run_habeas("restore", str(archive), "--force", home=home)
    assert forced.returncode == 0, forced.stderr


def test_restore_refuses_an_altered_archive(source, tmp_path, habeas_cmd):
    run_habeas = habeas_cmd
    _home, archive, _ = source
    altered = tmp_path / "altered.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(altered, "w:gz") as dst:
        for info in src:
            data = src.extractfile(info).read()
            if info.name.startswith("files/"):
                data = data.replace(b"item 1", b"item 2")
            import io

            dst.addfile(info, io.BytesIO(data))
    target = tmp_path / "t"
    done = run_habeas("restore", str(altered), home=target)
    assert done.returncode == 2
    assert "does not match the manifest" in done.stderr
    assert not (target / "habeas.sqlite3").exists() or (target / "habeas.sqlite3").stat().st_size == 0 \
        or "does not match" in done.stderr
    assert not any((target / "files").rglob("*")) if (target / "files").exists() else True


def test_restore_refuses_path_traversal(tmp_path, habeas_cmd):
    run_habeas = habeas_cmd
    import io

    evil = tmp_path / "evil.tar.gz"
    manifest = json.dumps({"format": "habeas-backup", "version": 1, "engine": "sqlite",
                           "members": {"../escape": {"sha256": "0" * 64, "size": 1}}}).encode()
    with tarfile.open(evil, "w:gz") as tar:
        for name, data in (("manifest.json", manifest), ("../escape", b"x")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    done = run_habeas("restore", str(evil), home=tmp_path / "t")
    assert done.returncode == 2 and "unexpected member" in done.stderr
    assert not (tmp_path / "escape").exists()
