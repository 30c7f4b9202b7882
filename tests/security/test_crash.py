"""Crash safety: `habeas import case` killed with SIGKILL mid-import leaves no partial case, loses
no committed data, and the database passes `habeas verify`."""

from __future__ import annotations

import copy
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time


from habeas.cases.demo import DEMO_FILE


# Runs the real `habeas import case` (habeas.cli.main) and prints a marker, flushed, once the import
# has written records inside its transaction — so the test kills it provably mid-way.
IMPORT_WITH_MARKER = """
import sys
from habeas.cli import setup_django
setup_django()
from django.db.models.signals import post_save
from habeas.cases.models import CustodyEvent
seen = [0]
def progress(sender, **kw):
    seen[0] += 1
    if seen[0] == 200:
        print("WRITING", flush=True)
post_save.connect(progress, sender=CustodyEvent, weak=False)
from habeas.cli import main
sys.exit(main(["import", "case", sys.argv[1]]))
"""


def _env(home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("HABEAS_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(HABEAS_HOME=str(home), HABEAS_SECRET_KEY="test-" + "x" * 60)
    return env


def _case_rows(db) -> dict:
    """Every row of every table of the cases app (the committed record, compared before and after)."""
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'cases_%'")]
        return {t: con.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall() for t in tables}
    finally:
        con.close()


def _big_case(tmp_path, copies: int = 60):
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    data["external_id"] = "BIG-CRASH-TEST"
    items = data["evidence_items"]
    extra = []
    for n in range(copies):
        for item in items:
            clone = copy.deepcopy(item)
            clone["item_number"] = f"{item['item_number']}-c{n}"
            if clone.get("external_id"):
                clone["external_id"] = f"{item['external_id']}-c{n}"
            clone["custody"] = (clone.get("custody") or []) + [
                {"from_party": "lab", "to_party": "court", "purpose": f"copy {n}", "description": "generated"}]
            extra.append(clone)
    data["evidence_items"] = items + extra
    path = tmp_path / "big.habeas.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path, data


def test_sigkill_mid_import_leaves_no_partial_case(tmp_path, habeas_cmd):
    home = tmp_path / "home"
    # committed data first: the demo case
    done = habeas_cmd("import", "case", str(DEMO_FILE), home=home)
    assert done.returncode == 0, done.stderr
    before = _case_rows(home / "habeas.sqlite3")

    big, data = _big_case(tmp_path)
    n_events = sum(len(i.get("custody") or []) for i in data["evidence_items"])
    assert n_events > 1000
    proc = subprocess.Popen([sys.executable, "-c", IMPORT_WITH_MARKER, str(big)], env=_env(home),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        started = time.monotonic()
        line = proc.stdout.readline()
        assert line.strip() == "WRITING", proc.stderr.read()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        killed_after = time.monotonic() - started
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    print(f"killed {killed_after:.1f} s after start, mid-way through {n_events} custody events")

    db = home / "habeas.sqlite3"
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT COUNT(*) FROM cases_case").fetchone()[0] == 1
        assert con.execute("SELECT COUNT(*) FROM cases_case WHERE external_id = 'BIG-CRASH-TEST'").fetchone()[0] == 0
        items = con.execute("SELECT COUNT(*) FROM cases_evidenceitem").fetchone()[0]
        assert items == len(json.loads(DEMO_FILE.read_text(encoding="utf-8"))["evidence_items"])
    finally:
        con.close()
    verify = habeas_cmd("verify", home=home)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "chains intact" in verify.stdout
    assert _case_rows(home / "habeas.sqlite3") == before  # the committed case is whole and unchanged
