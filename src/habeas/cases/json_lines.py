"""Where a value sits in a JSON text: the line of a JSON path, and the path as people write it.

Error messages of the case importer name the file, the line and the field. ``json`` does not
keep positions, so :func:`line_of` walks the text along the path, skipping sibling values
with the standard decoder; it is exact for nested values and needs no second parser.
"""

from __future__ import annotations

import json
from json.decoder import scanstring
from typing import Iterable

_WHITESPACE = " \t\n\r"
_decoder = json.JSONDecoder()


def _skip_ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def offset_of(text: str, path: Iterable[str | int]) -> int:
    """Character offset of the value at ``path`` (keys and list indexes) in the JSON ``text``.

    Where the path leaves the document (a missing key, an index past the end) the offset of
    the deepest value that exists is returned. With a duplicated key the last one counts, as
    in :func:`json.loads`. ``text`` must be valid JSON.
    """
    pos = _skip_ws(text, 0)
    for step in path:
        if pos >= len(text):
            break
        opener = text[pos]
        if opener == "{" and isinstance(step, str):
            found = None
            p = _skip_ws(text, pos + 1)
            while p < len(text) and text[p] != "}":
                key, p = scanstring(text, p + 1)
                p = _skip_ws(text, p)
                p = _skip_ws(text, p + 1)  # the colon
                if key == step:
                    found = p
                _, p = _decoder.raw_decode(text, p)
                p = _skip_ws(text, p)
                if p < len(text) and text[p] == ",":
                    p = _skip_ws(text, p + 1)
            if found is None:
                break
            pos = found
        elif opener == "[" and isinstance(step, int):
            p = _skip_ws(text, pos + 1)
            index = 0
            while p < len(text) and text[p] != "]" and index < step:
                _, p = _decoder.raw_decode(text, p)
                p = _skip_ws(text, p)
                if p < len(text) and text[p] == ",":
                    p = _skip_ws(text, p + 1)
                index += 1
            if index != step or p >= len(text) or text[p] == "]":
                break
            pos = p
        else:
            break
    return pos


def line_of(text: str, path: Iterable[str | int]) -> int:
    """1-based line number of the value at ``path`` (see :func:`offset_of`)."""
    return text.count("\n", 0, offset_of(text, path)) + 1


def format_path(path: Iterable[str | int]) -> str:
    """``['evidence_items', 3, 'custody', 0, 'seal_condition']`` → ``evidence_items[3].custody[0].seal_condition``.

    The empty path is written ``(top level)``.
    """
    out = ""
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else str(step)
    return out or "(top level)"
