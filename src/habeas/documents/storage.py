"""Content-addressed file store: ``MEDIA_ROOT/blobs/ab/cd/<sha256>``.

A file is streamed to a temporary file in its final folder while it is hashed, then moved into
place with :func:`os.replace` (atomic). A blob that exists is never overwritten: the same
content has the same name, so the temporary copy is dropped.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from django.conf import settings

CHUNK = 1024 * 1024


class TooLarge(ValueError):
    """The file is over ``DOCUMENTS_MAX_UPLOAD_BYTES``."""


class Refused(ValueError):
    """The ``check`` given to :func:`store` refused the file (nothing is stored)."""


def blob_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "blobs"


def blob_path(sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return blob_root() / sha256[:2] / sha256[2:4] / sha256


def max_bytes() -> int:
    return int(getattr(settings, "DOCUMENTS_MAX_UPLOAD_BYTES", 200 * 1024 * 1024))


def store(source, *, limit: int | None = None, check=None) -> tuple[str, int, Path]:
    """Store ``source`` (a path, or a binary file object / Django UploadedFile); return
    ``(sha256, size, path)``. Raises :class:`TooLarge` past ``limit`` (default: the setting),
    leaving nothing behind. ``check(path)``, called on the complete temporary copy before it is
    moved into place, may raise :class:`Refused` (or anything): then nothing is stored.
    """
    limit = max_bytes() if limit is None else limit
    root = blob_root()
    incoming = root / "incoming"
    incoming.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp = tempfile.mkstemp(dir=incoming, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in _chunks(source):
                size += len(chunk)
                if size > limit:
                    raise TooLarge(f"file is larger than the limit of {limit / 1024 / 1024:.0f} MB")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if check is not None:
            check(Path(tmp))
        sha = digest.hexdigest()
        final = blob_path(sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            os.unlink(tmp)
        else:
            # same file system (both under blobs/), so the rename is atomic
            os.chmod(tmp, 0o440)
            os.replace(tmp, final)
        return sha, size, final
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _chunks(source):
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            while chunk := f.read(CHUNK):
                yield chunk
        return
    if hasattr(source, "chunks"):  # Django UploadedFile
        if hasattr(source, "seek"):
            source.seek(0)
        yield from source.chunks(CHUNK)
        return
    while chunk := source.read(CHUNK):
        yield chunk
