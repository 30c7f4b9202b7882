"""Where habeas keeps its data: one folder, ``HABEAS_HOME`` or the user's data dir.

Layout: ``habeas.sqlite3`` (the embedded database), ``files/`` (stored files,
content-addressed), ``secret_key`` (made on first use, mode 0600).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from platformdirs import user_data_dir


def home() -> Path:
    """The data folder: ``$HABEAS_HOME`` if set, else the platform user data dir (created)."""
    path = Path(os.environ.get("HABEAS_HOME") or user_data_dir("habeas", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key() -> str:
    """``$HABEAS_SECRET_KEY``, or a random key kept in the data folder so sessions survive restarts."""
    if os.environ.get("HABEAS_SECRET_KEY"):
        return os.environ["HABEAS_SECRET_KEY"]
    f = home() / "secret_key"
    if not f.exists():
        fd = os.open(f, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(50))
    return f.read_text().strip()
