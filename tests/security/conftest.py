"""Fixtures of the security tests: the demo case, and running the ``habeas`` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_case(db):
    from habeas.cases.demo import load_demo

    case, _ = load_demo()
    return case


def run_habeas(*args: str, home: Path, timeout: float = 120, **env_extra) -> subprocess.CompletedProcess:
    """Run ``habeas ARGS`` in a subprocess with its own data folder ``home``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HABEAS_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update({"HABEAS_HOME": str(home), "HABEAS_SECRET_KEY": "test-" + "x" * 60, **env_extra})
    return subprocess.run([sys.executable, "-m", "habeas", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture(scope="session")
def habeas_cmd():
    """``habeas_cmd(*args, home=...)``: run the ``habeas`` command in a subprocess."""
    return run_habeas
