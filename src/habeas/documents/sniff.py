"""What a file really is: magic bytes first, the name's extension second."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype

#: type → (extensions, MIME type, human name)
TYPES = {
    "pdf": ((".pdf",), "application/pdf", "PDF"),
    "docx": ((".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)"),
    "txt": ((".txt", ".text", ".md", ".csv"), "text/plain", "plain text"),
    "png": ((".png",), "image/png", "PNG image"),
    "jpeg": ((".jpg", ".jpeg"), "image/jpeg", "JPEG image"),
    "tiff": ((".tif", ".tiff"), "image/tiff", "TIFF image"),
}
SUPPORTED_EXTENSIONS = sorted(e for exts, _, _ in TYPES.values() for e in exts)


@dataclass
class Sniffed:
    file_type: str | None  # one of TYPES, or None when unsupported
    mime_type: str
    description: str  # what the content is, in words
    warning: str = ""  # the name's extension disagrees with the content
    error: str = ""  # unsupported or unreadable type


def _by_extension(name: str) -> str | None:
    ext = Path(name).suffix.lower()
    for t, (exts, _, _) in TYPES.items():
        if ext in exts:
            return t
    return None


def _looks_like_text(head: bytes) -> bool:
    if not head:
        return True
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # cut in the middle of a character
            return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control / len(head) < 0.01


def sniff(path: Path, name: str) -> Sniffed:
    """Type of the file at ``path`` uploaded as ``name``."""
    with open(path, "rb") as f:
        head = f.read(8192)
    by_name = _by_extension(name)
    ext = Path(name).suffix.lower() or "(none)"
    kind = filetype.guess(head)
    content: str | None = None
    other = ""
    if head.lstrip()[:5] == b"%PDF-" or head[:1024].find(b"%PDF-") != -1:
        content = "pdf"
    elif kind is not None and kind.extension == "png":
        content = "png"
    elif kind is not None and kind.extension == "jpg":
        content = "jpeg"
    elif kind is not None and kind.extension == "tif":
        content = "tiff"
    elif head[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
            content = "docx" if "word/document.xml" in names else None
            other = "a ZIP archive" if content is None else ""
        except zipfile.BadZipFile:
            if by_name == "docx":
                return Sniffed("docx", TYPES["docx"][1], "a damaged DOCX",
                               error="corrupt DOCX: the file is not a readable ZIP archive")
            other = "a damaged ZIP archive"
    elif kind is not None:
        other = f"{kind.mime} ({kind.extension})"
    elif _looks_like_text(head):
        content = "txt"
    else:
        other = "binary data of an unknown type"

    if content is None:
        return Sniffed(None, kind.mime if kind else "application/octet-stream", other,
                       error=f"unsupported file type: the content is {other}, not one of "
                             f"PDF, DOCX, plain text, PNG, JPEG or TIFF")
    _, mime, desc = TYPES[content]
    warning = ""
    if by_name != content:
        warning = (f"wrong extension: the file is named '{ext}' but its content is {desc}; "
                   f"it was read as {desc}")
    return Sniffed(content, mime, desc, warning=warning)
