"""The demo case: People v. Kevin Cooper (California, 1983), built from the public record.

``cooper/`` holds the fixture as received (``case.json``, ``timeline.csv``, ``SOURCES.md``,
``README.md``; see ``PROVENANCE.md``) and ``cooper.habeas.json``, its conversion to the habeas
case format by :mod:`habeas.cases.demo.convert`.
"""

from __future__ import annotations

import json
from pathlib import Path

DEMO_FILE = Path(__file__).resolve().parent / "cooper" / "cooper.habeas.json"


def load_demo(path: Path = DEMO_FILE):
    """Import the demo case through :func:`habeas.cases.importer.import_case` unless it is there.

    Returns ``(case, created)``: the case (new, or the one already imported with the same
    ``external_id``) and whether it was imported now. Raises
    :class:`habeas.cases.importer.CaseImportError` when the file is invalid.
    """
    from habeas.cases.importer import find_imported, import_case

    external_id = json.loads(path.read_text(encoding="utf-8")).get("external_id", "")
    existing = find_imported(external_id)
    if existing is not None:
        return existing, False
    return import_case(path), True


TRAINING_FILE = Path(__file__).resolve().parent / "training" / "training.habeas.json"


def load_training():
    """Import the synthetic training case (profiles drawn from NIST 1036 frequencies by
    ``scripts/make_training_case.py``; no real person) the same way. Returns ``(case, created)``."""
    return load_demo(TRAINING_FILE)
