"""Backups of the whole data: database and stored files in one archive.

Archive (``.tar.gz``)::

    manifest.json            format, version, engine, created, and {member: {sha256, size}}
    database/habeas.sqlite3  SQLite: a consistent copy made with the online backup API
    database/habeas.pgdump   PostgreSQL: ``pg_dump --format=custom``
    files/…                  everything under MEDIA_ROOT (content-addressed blobs …)

:func:`restore` checks every member against the manifest before it touches the data folder,
refuses a data folder that already holds data unless ``force``, and swaps the database and
the files folder into place with atomic renames. Stop the server before restoring.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

FORMAT, VERSION = "habeas-backup", 1
CHUNK = 1024 * 1024
# tables that a fresh `migrate` fills: their rows do not make a database "hold data"
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence", "auth_group",
               "auth_group_permissions"}


class BackupError(ValueError):
    """A backup or restore that cannot proceed; nothing was changed."""


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def _engine() -> str:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"backups of {engine} databases are not supported (SQLite and PostgreSQL are)")


def _pg_env() -> tuple[dict, list[str]]:
    from django.conf import settings

    db = settings.DATABASES["default"]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    args = []
    for opt, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [opt, str(db[key])]
    return env, args + ["--dbname", db["NAME"]]


def _sqlite_copy(dest: Path) -> None:
    """A consistent copy of the live database (readers and writers may go on meanwhile)."""
    from django.db import connection

    connection.ensure_connection()
    target = sqlite3.connect(dest)
    try:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        ok = target.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            raise BackupError(f"the database copy failed its integrity check: {ok}")
    finally:
        target.close()


def backup(archive: str | os.PathLike) -> dict:
    """Write a backup archive of the current data; return a summary."""
    from django.conf import settings

    archive = Path(archive)
    engine = _engine()
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="habeas-backup-") as tmp:
        tmp = Path(tmp)
        if engine == "sqlite":
            db_member, db_file = "database/habeas.sqlite3", tmp / "habeas.sqlite3"
            _sqlite_copy(db_file)
        else:
            db_member, db_file = "database/habeas.pgdump", tmp / "habeas.pgdump"
            env, args = _pg_env()
            done = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(db_file), *args],
                                  env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
        members = {db_member: (db_file, None)}
        if media.is_dir():
            for path in sorted(media.rglob("*")):
                if path.is_symlink() or not path.is_file() or path.name.startswith(".upload-"):
                    continue
                members["files/" + path.relative_to(media).as_posix()] = (path, path.stat().st_mode & 0o777)
        manifest = {"format": FORMAT, "version": VERSION, "engine": engine,
                    "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "members": {}}
        for name, (path, _mode) in members.items():
            manifest["members"][name] = {"sha256": _sha256(path), "size": path.stat().st_size}
        part = archive.with_name(archive.name + ".part")
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # backups hold privileged data
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                data = json.dumps(manifest, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size, info.mode, info.mtime = len(data), 0o600, int(dt.datetime.now().timestamp())
                tar.addfile(info, io.BytesIO(data))
                for name, (path, mode) in members.items():
                    info = tar.gettarinfo(str(path), arcname=name)
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    info.mode = mode if mode is not None else 0o600
                    with open(path, "rb") as fh:
                        tar.addfile(info, fh)
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(part, archive)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
    return {"engine": engine, "files": len(members) - 1, "bytes": archive.stat().st_size}


def _safe_name(name: str) -> bool:
    p = PurePosixPath(name)
    return not p.is_absolute() and ".." not in p.parts and p.parts[:1] in (("database",), ("files",))


def _extract_checked(archive: Path, staging: Path) -> dict:
    """Extract into ``staging`` checking every member against the manifest; return the manifest."""
    try:
        tar = tarfile.open(archive, mode="r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive}: not a habeas backup archive ({exc})") from None
    with tar:
        try:
            first = tar.next()
            if first is None or first.name != "manifest.json" or not first.isfile():
                raise BackupError(f"{archive}: no manifest.json at the start: not a habeas backup archive")
            manifest = json.loads(tar.extractfile(first).read())
            if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
                raise BackupError(f"{archive}: unknown backup format {manifest.get('format')!r} "
                                  f"version {manifest.get('version')!r}")
            expected = manifest["members"]
            seen = set()
            while (info := tar.next()) is not None:
                if not info.isfile() or not _safe_name(info.name) or info.name not in expected or info.name in seen:
                    raise BackupError(f"{archive}: unexpected member {info.name!r} (not in the manifest)")
                seen.add(info.name)
                dest = staging / info.name
                dest.parent.mkdir(parents=True, exist_ok=True)
                h, size = hashlib.sha256(), 0
                with tar.extractfile(info) as src, open(dest, "wb") as out:
                    for chunk in iter(lambda: src.read(CHUNK), b""):
                        h.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                    out.flush()
                    os.fsync(out.fileno())
                os.chmod(dest, (info.mode & 0o777) | 0o400)
                want = expected[info.name]
                if h.hexdigest() != want["sha256"] or size != want["size"]:
                    raise BackupError(f"{archive}: {info.name} does not match the manifest (SHA-256 or size "
                                      f"differs): the archive is damaged or was altered")
            missing = sorted(set(expected) - seen)
            if missing:
                raise BackupError(f"{archive}: {len(missing)} member(s) of the manifest missing, e.g. {missing[0]}")
        except (tarfile.TarError, EOFError, OSError, KeyError, TypeError, json.JSONDecodeError) as exc:
            raise BackupError(f"{archive}: damaged archive ({exc})") from None
    return manifest


def _sqlite_has_data(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return any(con.execute(f'SELECT 1 FROM "{t}" LIMIT 1').fetchone() for t in tables if t not in BOOKKEEPING)
    finally:
        con.close()


def _pg_has_data() -> bool:
    from django.db import connection

    tables = [t for t in connection.introspection.table_names() if t not in BOOKKEEPING]
    with connection.cursor() as cur:
        for t in tables:
            cur.execute(f"SELECT 1 FROM {connection.ops.quote_name(t)} LIMIT 1")
            if cur.fetchone():
                return True
    return False


def restore(archive: str | os.PathLike, *, force: bool = False) -> dict:
    """Restore ``archive`` into the current data folder (``HABEAS_HOME`` / the PostgreSQL database)."""
    from habeas.cli import setup_django

    setup_django(migrate=False)  # the restored database brings its own schema
    from django.conf import settings
    from django.db import connections

    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    engine = _engine()
    media = Path(settings.MEDIA_ROOT)
    home = media.parent
    home.mkdir(parents=True, exist_ok=True)
    db_path = Path(settings.DATABASES["default"]["NAME"]) if engine == "sqlite" else None

    has_files = media.is_dir() and any(p.is_file() for p in media.rglob("*"))
    has_db = _sqlite_has_data(db_path) if engine == "sqlite" else _pg_has_data()
    if (has_db or has_files) and not force:
        what = " and ".join(w for w, y in (("a database with data", has_db), ("stored files", has_files)) if y)
        raise BackupError(f"{home} already holds {what}; restore refuses to overwrite it (use --force to replace)")

    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=home))
    try:
        manifest = _extract_checked(archive, staging)
        if manifest["engine"] != engine:
            raise BackupError(f"{archive} holds a {manifest['engine']} database; this install uses {engine}")
        connections.close_all()
        if engine == "sqlite":
            src = staging / "database" / "habeas.sqlite3"
            con = sqlite3.connect(src)
            try:
                ok = con.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                con.close()
            if ok != "ok":
                raise BackupError(f"{archive}: the database in the archive fails its integrity check: {ok}")
            for suffix in ("-wal", "-shm", "-journal"):
                Path(str(db_path) + suffix).unlink(missing_ok=True)
            os.replace(src, db_path)
        else:
            env, args = _pg_env()
            done = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                                   *args, str(staging / "database" / "habeas.pgdump")],
                                  env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
        new_files = staging / "files"
        new_files.mkdir(exist_ok=True)
        old = None
        if media.exists():
            old = home / f".files-replaced-{os.getpid()}"
            os.replace(media, old)
        os.replace(new_files, media)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    n_files = sum(1 for name in manifest["members"] if name.startswith("files/"))
    return {"engine": engine, "files": n_files}
