"""Errors raised by :mod:`habeas.dna`.

Every error about input names where the problem is (file, line, field), so that a person
can open the file and fix it.
"""

from __future__ import annotations


class DNAError(ValueError):
    """Base class of every error :mod:`habeas.dna` raises on bad input or bad parameters."""


class DNAFormatError(DNAError):
    """A profile or frequency file that cannot be read.

    Attributes: ``path`` (str or None), ``line`` (1-based line number or None), ``field``
    (column / field name or None) and ``reason``. ``str(err)`` reads
    ``"path:line: field 'X': reason"``.
    """

    def __init__(self, reason: str, *, path: str | None = None, line: int | None = None,
                 field: str | None = None):
        self.reason, self.path, self.line, self.field = reason, path, line, field
        where = ":".join(str(p) for p in (path, line) if p is not None)
        what = f"field {field!r}: " if field else ""
        super().__init__(f"{where}: {what}{reason}" if where else f"{what}{reason}")


class UnknownLocusError(DNAError):
    """A locus name that matches no known STR locus (after normalisation)."""


class MissingFrequencyError(DNAError):
    """An allele with no frequency in the table where the caller asked for no rare-allele rule."""
