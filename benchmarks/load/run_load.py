#!/usr/bin/env python
"""Load test of ``habeas serve`` on loopback: start the server on a free port of 127.0.0.1 with the
demo loaded into a fresh data folder, run locust headless for a bounded time, print the p95 per
request type and the error count, stop everything.

    .venv/bin/python benchmarks/load/run_load.py                       # SQLite
    .venv/bin/python benchmarks/load/run_load.py --postgres postgres://postgres@127.0.0.1:5432/habeas_load

PostgreSQL: the database named in the URL is (re)created for the run and dropped afterwards.
Needs the ``bench`` extra (locust): ``pip install -e '.[bench]'``. A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "load-test-password-1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_admin(url: str, sql: str) -> None:
    import psycopg

    base = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(base, autocommit=True) as con:
        con.execute(sql)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--postgres", metavar="URL", help="run on this PostgreSQL database (created and dropped)")
    ap.add_argument("--users", type=int, default=50)
    ap.add_argument("--spawn-rate", type=float, default=10)
    ap.add_argument("--time", default="60s", help="locust run time (default 60s)")
    ap.add_argument("--threads", type=int, default=16, help="waitress threads (default 16)")
    ap.add_argument("--csv", default="", help="keep locust's CSV files under this prefix")
    args = ap.parse_args()

    home = Path(tempfile.mkdtemp(prefix="habeas-load-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HABEAS_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(HABEAS_HOME=str(home), HABEAS_SECRET_KEY="load-" + "x" * 60, HABEAS_PASSWORD=PASSWORD)
    if args.postgres:
        name = args.postgres.rsplit("/", 1)[1]
        pg_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}"')
        pg_admin(args.postgres, f'CREATE DATABASE "{name}"')
        env["HABEAS_DATABASE_URL"] = args.postgres
    server = None
    try:
        t0 = time.time()
        subprocess.run([BIN / "habeas", "demo"], env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        print(f"load: demo loaded in {time.time() - t0:.0f} s ({'PostgreSQL' if args.postgres else 'SQLite'})",
              flush=True)
        port = free_port()
        server = subprocess.Popen([BIN / "habeas", "serve", "--host", "127.0.0.1", "--port", str(port),
                                   "--threads", str(args.threads)], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=open(home / "server.log", "w"))
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(url + "/login/", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit((home / "server.log").read_text())
                time.sleep(0.2)
        prefix = args.csv or str(home / "locust")
        lenv = {**env, "HABEAS_LOAD_USER": "demo", "HABEAS_LOAD_PASSWORD": PASSWORD}
        subprocess.run([BIN / "locust", "-f", str(ROOT / "benchmarks/load/locustfile.py"), "--headless",
                        "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.time, "--host", url,
                        "--csv", prefix, "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
                       env=lenv, cwd=ROOT, check=False)
        report(prefix, home / "server.log")
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        if args.postgres:
            name = args.postgres.rsplit("/", 1)[1]
            pg_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(home, ignore_errors=True)
    return 0


def report(prefix: str, server_log: Path) -> None:
    rows = list(csv.DictReader(open(prefix + "_stats.csv")))
    print(f"\n{'request':<22}{'count':>8}{'fails':>7}{'median ms':>11}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for r in rows:
        print(f"{r['Name']:<22}{r['Request Count']:>8}{r['Failure Count']:>7}{r['50%']:>11}{r['95%']:>9}"
              f"{r['99%']:>9}{float(r['Max Response Time']):>9.0f}")
    total = next(r for r in rows if r["Name"] == "Aggregated")
    secs = max(1e-9, float(total["Requests/s"]))
    print(f"\nload: {total['Request Count']} requests, {total['Failure Count']} errors, {secs:.1f} requests/s")
    failures = Path(prefix + "_failures.csv")
    if failures.exists() and failures.stat().st_size:
        print(failures.read_text()[:4000])
    errors = [line for line in server_log.read_text().splitlines() if "Error" in line or "locked" in line]
    if errors:
        print("server log:\n" + "\n".join(errors[:40]))


if __name__ == "__main__":
    sys.exit(main())
