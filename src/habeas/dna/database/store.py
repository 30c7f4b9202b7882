"""Columnar store of reference profiles.

A database is a folder::

    <root>/<NAME>/
        meta.json        name, loci (in column order), per-locus allele dictionaries,
                         number of profiles, source, format version
        codes.npy        uint8 array, shape (n_loci, n_profiles, 2): the two allele codes
                         of every profile at every locus (C order: each locus is one
                         contiguous column of 2-byte genotypes, read by a search as one
                         uint16 ``code1 + 256 * code2`` and looked up in a 65 536-entry
                         table); code 0 = locus not typed, codes 1..255 index the locus's
                         allele dictionary (``alleles[locus][code - 1]``)
        ids.bin          profile ids, UTF-8, concatenated
        ids_offsets.npy  uint32 (uint64 above 4 GiB of ids) offsets into ids.bin, n + 1

Genotypes are stored normalised: ``code1 <= code2``; a homozygote has ``code1 == code2``;
a reference typed with one allele at a locus is stored as that homozygote.

Memory: 2 bytes per locus per profile (40 bytes for 20 loci) for the codes, which is all a
search reads; ids cost their UTF-8 length + 4 bytes and are only decoded for the hits.
``codes.npy`` is memory-mapped on open, so opening a 10 M profile database costs nothing
until a search touches it.

Databases live in ``$HABEAS_HOME/dna-databases/<NAME>/`` unless the caller gives a root.
A database is replaced atomically (written to a temporary folder beside it, then renamed
into place with :func:`os.replace`), so a failed import leaves the old one as it was.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from habeas.dna.errors import DNAError
from habeas.dna.profile import Profile

FORMAT_VERSION = 1
MISSING = 0
MAX_CODES = 255
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")


def default_root() -> Path:
    """``$HABEAS_HOME/dna-databases`` (or the platform data folder's ``dna-databases``)."""
    env = os.environ.get("HABEAS_HOME")
    if env:
        return Path(env) / "dna-databases"
    from habeas.paths import home  # plain Python (platformdirs), no Django
    return home() / "dna-databases"


def check_name(name: str) -> str:
    if not _NAME_RE.match(name or ""):
        raise DNAError(f"invalid database name {name!r}: use letters, digits, '_', '-', '.' "
                       "(at most 100 characters, not starting with a dot)")
    return name


def database_path(name: str, root: str | os.PathLike | None = None) -> Path:
    """Folder of database ``name`` under ``root`` (default :func:`default_root`)."""
    return (Path(root) if root is not None else default_root()) / check_name(name)


@dataclass
class ProfileDatabase:
    """An opened (or in-memory) database of single-source reference profiles.

    ``loci``: canonical locus names, column order. ``alleles``: per locus the allele
    dictionary (code c >= 1 is ``alleles[i][c - 1]``). ``codes``: uint8 (n_loci, n, 2).
    ``ids``: lazily decoded profile ids (see :meth:`id_of`, :meth:`ids_of`).
    """

    name: str
    loci: list[str]
    alleles: list[list[str]]
    codes: np.ndarray
    _id_blob: bytes | np.ndarray = b""
    _id_offsets: np.ndarray = field(default_factory=lambda: np.zeros(1, np.uint32))
    path: Path | None = None
    meta: dict = field(default_factory=dict)

    # ---- sizes -----------------------------------------------------------------------
    def __len__(self) -> int:
        return int(self.codes.shape[1])

    @property
    def n_loci(self) -> int:
        return len(self.loci)

    def locus_index(self, locus: str) -> int | None:
        try:
            return self.loci.index(locus)
        except ValueError:
            return None

    def bytes_per_profile(self) -> dict:
        """Measured storage per profile: codes (what a search reads) and ids."""
        n = max(len(self), 1)
        codes = self.codes.shape[0] * self.codes.shape[2]
        ids = (len(self._id_blob) + self._id_offsets.nbytes) / n
        return {"codes": float(codes), "ids": float(ids), "total": float(codes + ids)}

    # ---- ids ---------------------------------------------------------------------------
    def id_of(self, i: int) -> str:
        a, b = int(self._id_offsets[i]), int(self._id_offsets[i + 1])
        return bytes(self._id_blob[a:b]).decode("utf-8")

    def ids_of(self, rows: Iterable[int]) -> list[str]:
        return [self.id_of(int(i)) for i in rows]

    def all_ids(self) -> list[str]:
        blob = bytes(self._id_blob).decode("utf-8") if len(self._id_blob) else ""
        # offsets are byte offsets; decode per id when non-ASCII
        if len(blob) == len(self._id_blob):
            off = self._id_offsets
            return [blob[off[i]:off[i + 1]] for i in range(len(self))]
        return [self.id_of(i) for i in range(len(self))]

    def row_of(self, profile_id: str) -> int | None:
        ids = self.all_ids()
        try:
            return ids.index(profile_id)
        except ValueError:
            return None

    # ---- profiles ------------------------------------------------------------------------
    def genotype(self, row: int, locus: str) -> tuple[str, ...] | None:
        li = self.locus_index(locus)
        if li is None:
            return None
        c1, c2 = int(self.codes[li, row, 0]), int(self.codes[li, row, 1])
        if c1 == MISSING:
            return None
        a = self.alleles[li]
        return (a[c1 - 1],) if c1 == c2 else (a[c1 - 1], a[c2 - 1])

    def profile(self, row: int) -> Profile:
        loci = {}
        for li, locus in enumerate(self.loci):
            g = self.genotype(row, locus)
            if g is not None:
                loci[locus] = g
        return Profile(sample=self.id_of(row), loci=loci)

    def profiles(self, rows: Iterable[int] | None = None) -> list[Profile]:
        rows = range(len(self)) if rows is None else rows
        return [self.profile(int(r)) for r in rows]

    def code_of(self, locus_index: int, allele: str) -> int:
        """Code of ``allele`` at a locus, or -1 when the database never saw it."""
        try:
            return self.alleles[locus_index].index(allele) + 1
        except ValueError:
            return -1

    def info(self) -> dict:
        return {"name": self.name, "path": str(self.path) if self.path else None,
                "n_profiles": len(self), "loci": list(self.loci),
                "bytes_per_profile": self.bytes_per_profile(),
                "source": self.meta.get("source")}


# ---- building ------------------------------------------------------------------------------

class Builder:
    """Accumulates profiles (locus -> alleles) into per-locus allele dictionaries and codes.

    Used by the importers; raises nothing itself about ids (the importer checks duplicates
    with file/line context)."""

    def __init__(self, loci: Sequence[str] | None = None):
        self.loci: list[str] = list(loci or [])
        self._lidx = {l: i for i, l in enumerate(self.loci)}
        self.dicts: list[dict[str, int]] = [dict() for _ in self.loci]
        self.rows: list[list[tuple[int, int]]] = []  # per profile: per locus (c1, c2)
        self.ids: list[str] = []

    def _locus(self, locus: str) -> int:
        i = self._lidx.get(locus)
        if i is None:
            i = len(self.loci)
            self.loci.append(locus)
            self._lidx[locus] = i
            self.dicts.append({})
            for r in self.rows:
                r.append((MISSING, MISSING))
        return i

    def code(self, li: int, allele: str) -> int:
        d = self.dicts[li]
        c = d.get(allele)
        if c is None:
            if len(d) >= MAX_CODES:
                raise DNAError(f"locus {self.loci[li]}: more than {MAX_CODES} distinct alleles "
                               "(the store keeps one byte per allele)")
            c = len(d) + 1
            d[allele] = c
        return c

    def add(self, profile_id: str, genotypes: dict[str, tuple[str, ...]]) -> None:
        row = [(MISSING, MISSING)] * len(self.loci)
        for locus, als in genotypes.items():
            li = self._locus(locus)
            if li >= len(row):
                row = row + [(MISSING, MISSING)] * (li + 1 - len(row))
            if not als:
                continue
            c = sorted(self.code(li, a) for a in als)
            row[li] = (c[0], c[-1])
        row = row + [(MISSING, MISSING)] * (len(self.loci) - len(row))
        self.rows.append(row)
        self.ids.append(profile_id)

    def build(self, name: str) -> ProfileDatabase:
        n, L = len(self.rows), len(self.loci)
        codes = np.zeros((L, n, 2), dtype=np.uint8)
        if n and L:
            arr = np.asarray([r + [(0, 0)] * (L - len(r)) for r in self.rows], dtype=np.uint8)
            codes[:] = arr.transpose(1, 0, 2)
        alleles = [sorted(d, key=lambda a: d[a]) for d in self.dicts]
        return from_arrays(name, self.loci, alleles, codes, self.ids)


def encode_ids(ids: Sequence[str]) -> tuple[bytes, np.ndarray]:
    enc = [s.encode("utf-8") for s in ids]
    lens = np.fromiter((len(b) for b in enc), dtype=np.int64, count=len(enc))
    off = np.zeros(len(enc) + 1, dtype=np.int64)
    np.cumsum(lens, out=off[1:])
    dtype = np.uint32 if off[-1] < 2**32 else np.uint64
    return b"".join(enc), off.astype(dtype)


def from_arrays(name: str, loci: Sequence[str], alleles: Sequence[Sequence[str]],
                codes: np.ndarray, ids: Sequence[str] | tuple[bytes, np.ndarray],
                meta: dict | None = None, normalise: bool = True) -> ProfileDatabase:
    """An in-memory database from its parts. ``codes``: uint8 (n_loci, n, 2); each pair is
    normalised here (smaller code first). ``ids``: list of str, or (blob, offsets)."""
    codes = np.asarray(codes, dtype=np.uint8)
    if codes.ndim != 3 or codes.shape[0] != len(loci) or codes.shape[2] != 2:
        raise DNAError(f"codes must have shape (n_loci={len(loci)}, n, 2), got {codes.shape}")
    if normalise:
        lo = np.minimum(codes[..., 0], codes[..., 1])
        hi = np.maximum(codes[..., 0], codes[..., 1])
        # a single typed allele (other slot 0) is a homozygote
        lo = np.where(lo == MISSING, hi, lo)
        codes = np.ascontiguousarray(np.stack([lo, hi], axis=2))
    blob, off = ids if isinstance(ids, tuple) else encode_ids(ids)
    if len(off) != codes.shape[1] + 1:
        raise DNAError("number of ids differs from number of profiles")
    return ProfileDatabase(name=name, loci=list(loci), alleles=[list(a) for a in alleles],
                           codes=codes, _id_blob=blob, _id_offsets=off, meta=dict(meta or {}))


# ---- saving / opening ----------------------------------------------------------------------

def save(db: ProfileDatabase, root: str | os.PathLike | None = None, *,
         overwrite: bool = True) -> Path:
    """Write ``db`` to ``<root>/<db.name>/`` atomically and return the folder.

    Everything is written into a temporary folder in ``root`` and moved into place with
    :func:`os.replace`; an existing database of that name is replaced only then (when
    ``overwrite``), so a failure leaves it untouched."""
    root = Path(root) if root is not None else default_root()
    root.mkdir(parents=True, exist_ok=True)
    final = root / check_name(db.name)
    if final.exists() and not overwrite:
        raise DNAError(f"database {db.name!r} already exists in {root}")
    tmp = Path(tempfile.mkdtemp(prefix=f".{db.name}.", suffix=".tmp", dir=root))
    try:
        np.save(tmp / "codes.npy", np.ascontiguousarray(db.codes))
        (tmp / "ids.bin").write_bytes(bytes(db._id_blob))
        np.save(tmp / "ids_offsets.npy", db._id_offsets)
        meta = dict(db.meta)
        meta.update({"format_version": FORMAT_VERSION, "name": db.name, "loci": db.loci,
                     "alleles": db.alleles, "n_profiles": len(db)})
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        old = None
        if final.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{db.name}.", suffix=".old", dir=root))
            os.replace(final, old / "db")
        os.replace(tmp, final)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    db.path = final
    return final


def open_database(name_or_path: str | os.PathLike, root: str | os.PathLike | None = None,
                  *, mmap: bool = True) -> ProfileDatabase:
    """Open a database by name (in ``root`` or the default root) or by folder path."""
    p = Path(name_or_path)
    if not (p / "meta.json").is_file():
        p = (Path(root) if root is not None else default_root()) / check_name(str(name_or_path))
    if not (p / "meta.json").is_file():
        raise DNAError(f"no DNA database {str(name_or_path)!r} (looked in {p})")
    meta = json.loads((p / "meta.json").read_text(encoding="utf-8"))
    if meta.get("format_version") != FORMAT_VERSION:
        raise DNAError(f"{p}: unsupported database format {meta.get('format_version')!r}")
    codes = np.load(p / "codes.npy", mmap_mode="r" if mmap else None)
    blob = np.memmap(p / "ids.bin", dtype=np.uint8, mode="r") if mmap and \
        (p / "ids.bin").stat().st_size else (p / "ids.bin").read_bytes()
    off = np.load(p / "ids_offsets.npy")
    return ProfileDatabase(name=meta["name"], loci=list(meta["loci"]),
                           alleles=[list(a) for a in meta["alleles"]], codes=codes,
                           _id_blob=blob, _id_offsets=off, path=p, meta=meta)


def list_databases(root: str | os.PathLike | None = None) -> list[str]:
    root = Path(root) if root is not None else default_root()
    if not root.is_dir():
        return []
    return sorted(d.name for d in root.iterdir()
                  if d.is_dir() and not d.name.startswith(".") and (d / "meta.json").is_file())


def delete_database(name: str, root: str | os.PathLike | None = None) -> None:
    p = (Path(root) if root is not None else default_root()) / check_name(name)
    if not (p / "meta.json").is_file():
        raise DNAError(f"no DNA database {name!r} in {p.parent}")
    shutil.rmtree(p)
