"""Where the shared data folder is, for the habeas.dna tests (imported by test modules)."""

from __future__ import annotations

from pathlib import Path

import pytest

#: ../shared/data beside the repository (absent on machines without the shared folder).
SHARED = Path(__file__).parents[2].parent / "shared" / "data"
SHARED_DNA = SHARED / "dna"


def shared_file(rel: str) -> Path:
    """Path under ../shared/data/dna, or skip the test with the reason."""
    p = SHARED_DNA / rel
    if not p.exists():
        pytest.skip(f"needs ../shared/data/dna/{rel} (shared data folder absent)")
    return p
