"""Page text from a stored file: the PDF text layer (PDFium), OCR (Tesseract) for scanned pages
and images, DOCX paragraphs, plain text.

Every reader yields :class:`PageText` one page at a time, so the caller can store and report
progress page by page. Problems with the input raise :class:`ExtractionError` with a message
meant for the user.
"""

from __future__ import annotations

import re
import shutil
import os
import subprocess
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

#: PDFium is not thread-safe: every use in this process goes through this lock.
PDFIUM_LOCK = threading.RLock()

#: A PDF page with fewer visible characters than this is treated as scanned and OCR'd.
MIN_TEXT_CHARS = 25
#: Pages of DOCX / text files without page breaks are cut near this many characters.
SOFT_PAGE_CHARS = 3500


class ExtractionError(Exception):
    """The file cannot be read; the message is shown on the document."""


class OCRUnavailable(ExtractionError):
    pass


@dataclass
class PageText:
    number: int
    text: str
    ocr: bool = False
    ocr_confidence: float | None = None


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None


def clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = text.replace("\ufffe", "").replace("\x02", "").replace("\x03", "")
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- PDF ----------------------------------------------------------------------------------------

def pdf_page_count(path: Path) -> int:
    return len(_open_pdf(path))


def _open_pdf(path: Path):
    import pypdfium2 as pdfium

    with PDFIUM_LOCK:
        try:
            return pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError as exc:
            msg = str(exc)
            if "password" in msg.lower():
                raise ExtractionError("encrypted PDF: it needs a password to open; upload an unlocked copy") from exc
            pages = _pypdf_page_count(path)
            if pages == 0:
                raise ExtractionError("PDF has no pages") from exc
            raise ExtractionError(f"corrupt PDF: it cannot be read ({msg.split('(')[-1].rstrip(').') or msg})") from exc


def _pypdf_page_count(path: Path) -> int | None:
    """A second opinion (pypdf) on a PDF that PDFium refused: its page count, or None."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(path))
        if reader.is_encrypted:
            return None
        return len(reader.pages)
    except Exception:  # noqa: BLE001
        return None


def read_pdf(path: Path, *, ocr: bool = True, on_page=None):
    """Yield the pages of a PDF: the text layer, or OCR where a page has (almost) none."""
    pdf = _open_pdf(path)
    try:
        with PDFIUM_LOCK:
            n = len(pdf)
        if n == 0:
            raise ExtractionError("PDF has no pages")
        for i in range(n):
            with PDFIUM_LOCK:
                page = pdf[i]
                textpage = page.get_textpage()
                text = clean(textpage.get_text_bounded())
                textpage.close()
            if len(re.sub(r"\s", "", text)) >= MIN_TEXT_CHARS or not ocr:
                yield PageText(i + 1, text)
            else:
                with PDFIUM_LOCK:
                    image = page.render(scale=settings.DOCUMENTS_OCR_DPI / 72, grayscale=True).to_pil()
                ocr_text, conf = ocr_image(image)
                # keep whatever text layer there was if OCR found nothing better
                yield PageText(i + 1, ocr_text if len(ocr_text) > len(text) else text, ocr=True,
                               ocr_confidence=conf)
            page.close()
    finally:
        with PDFIUM_LOCK:
            pdf.close()


def render_pdf_page(path: Path, number: int, width: int = 1000):
    """A PIL image of page ``number`` (from 1), ``width`` pixels wide."""
    pdf = _open_pdf(path)
    try:
        with PDFIUM_LOCK:
            if not 1 <= number <= len(pdf):
                raise ExtractionError(f"no page {number}")
            page = pdf[number - 1]
            scale = width / page.get_width()
            image = page.render(scale=scale).to_pil()
            page.close()
            return image
    finally:
        with PDFIUM_LOCK:
            pdf.close()


# --- OCR ----------------------------------------------------------------------------------------

def ocr_image(image) -> tuple[str, float | None]:
    """Run Tesseract on a PIL image; return (text, mean word confidence 0..100)."""
    if not ocr_available():
        raise OCRUnavailable("this page is a scan and needs OCR, but Tesseract is not installed "
                             "(run scripts/install-system-deps.sh, then extract again)")
    with tempfile.TemporaryDirectory(prefix="habeas-ocr-") as tmp:
        src = Path(tmp) / "page.png"
        if image.mode not in ("L", "RGB"):
            image = image.convert("L")
        image.save(src, dpi=(settings.DOCUMENTS_OCR_DPI, settings.DOCUMENTS_OCR_DPI))
        out = Path(tmp) / "out"
        try:
            subprocess.run(
                ["tesseract", str(src), str(out), "-l", settings.DOCUMENTS_OCR_LANGUAGE, "txt", "tsv"],
                check=True, capture_output=True, timeout=settings.DOCUMENTS_OCR_TIMEOUT,
                # Tesseract's OpenMP threads slow it down badly on a busy machine: one per process
                env={**os.environ, "OMP_THREAD_LIMIT": "1"})
        except subprocess.TimeoutExpired as exc:
            raise ExtractionError("OCR took too long on a page (timeout)") from exc
        except subprocess.CalledProcessError as exc:
            raise ExtractionError(f"OCR failed: {exc.stderr.decode(errors='replace').strip()[-300:]}") from exc
        text = clean(out.with_suffix(".txt").read_text(errors="replace"))
        confs = []
        for line in out.with_suffix(".tsv").read_text(errors="replace").splitlines()[1:]:
            cols = line.split("\t")
            if len(cols) >= 12 and cols[11].strip():
                try:
                    c = float(cols[10])
                except ValueError:
                    continue
                if c >= 0:
                    confs.append(c)
        return text, (sum(confs) / len(confs) if confs else None)


def read_image(path: Path, *, on_page=None):
    """Yield the OCR text of each frame of a PNG, JPEG or (multi-page) TIFF."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = 200_000_000  # refuse decompression bombs beyond ~14k × 14k
    try:
        with Image.open(path) as im:
            frames = [f.copy() for f in ImageSequence.Iterator(im)]
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise ExtractionError(f"corrupt or unreadable image: {exc}") from exc
    if not frames:
        raise ExtractionError("image has no frames")
    for i, frame in enumerate(frames, 1):
        text, conf = ocr_image(frame)
        yield PageText(i, text, ocr=True, ocr_confidence=conf)


def image_frame_count(path: Path) -> int:
    from PIL import Image

    try:
        with Image.open(path) as im:
            return getattr(im, "n_frames", 1)
    except Exception:  # noqa: BLE001 — reported by read_image
        return 1


def render_image_page(path: Path, number: int, width: int = 1000):
    from PIL import Image, ImageSequence

    with Image.open(path) as im:
        for i, frame in enumerate(ImageSequence.Iterator(im), 1):
            if i == number:
                frame = frame.convert("RGB")
                if frame.width > width:
                    frame = frame.resize((width, round(frame.height * width / frame.width)))
                return frame
    raise ExtractionError(f"no page {number}")


# --- DOCX and text ------------------------------------------------------------------------------

def check_zip(path: Path) -> None:
    """Refuse a ZIP (DOCX) that would inflate past the limits (a zip bomb) or is damaged."""
    limit = settings.DOCUMENTS_MAX_UNCOMPRESSED_BYTES
    ratio_limit = settings.DOCUMENTS_MAX_COMPRESSION_RATIO
    try:
        with zipfile.ZipFile(path) as z:
            total = 0
            for info in z.infolist():
                total += info.file_size
                if total > limit:
                    raise ExtractionError(
                        f"refused: the DOCX would decompress to more than {limit / 1024 / 1024:.0f} MB "
                        f"(a 'zip bomb'); nothing was extracted")
                if info.file_size > 1_000_000 and info.file_size > ratio_limit * max(info.compress_size, 1):
                    raise ExtractionError(
                        f"refused: '{info.filename}' in the DOCX is compressed {info.file_size // max(info.compress_size, 1)}"
                        f" times (a 'zip bomb'); nothing was extracted")
    except zipfile.BadZipFile as exc:
        raise ExtractionError(f"corrupt DOCX: {exc}") from exc


def read_docx(path: Path, *, on_page=None):
    """Yield DOCX text in pages: cut at explicit page breaks, else near SOFT_PAGE_CHARS."""
    check_zip(path)
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        d = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise ExtractionError(f"corrupt DOCX: {exc}") from exc
    except Exception as exc:  # lxml errors and the like
        raise ExtractionError(f"corrupt DOCX: {type(exc).__name__}: {exc}") from exc
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    blocks: list[str] = []  # text with "\f" at page breaks
    body = d.element.body
    for el in body.iterchildren():
        if el.tag == ns + "p":
            parts = []
            for node in el.iter():
                if node.tag == ns + "t" and node.text:
                    parts.append(node.text)
                elif node.tag == ns + "tab":
                    parts.append("\t")
                elif node.tag == ns + "br" and node.get(ns + "type") == "page":
                    parts.append("\f")
                elif node.tag == ns + "br":
                    parts.append("\n")
            blocks.append("".join(parts))
        elif el.tag == ns + "tbl":
            for row in el.iter(ns + "tr"):
                cells = ["".join(t.text or "" for t in cell.iter(ns + "t")) for cell in row.iter(ns + "tc")]
                blocks.append(" | ".join(cells))
    yield from paginate("\n".join(blocks))


def read_text(path: Path, *, on_page=None):
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    yield from paginate(text)


def paginate(text: str):
    """Pages of a text: form feeds are page breaks; long stretches are cut at paragraph ends."""
    number = 0
    for chunk in text.split("\f"):
        for page in _soft_pages(chunk):
            number += 1
            yield PageText(number, clean(page))
    if number == 0:
        yield PageText(1, "")


def _soft_pages(text: str):
    if len(text) <= SOFT_PAGE_CHARS * 1.3:
        yield text
        return
    start = 0
    while start < len(text):
        end = start + SOFT_PAGE_CHARS
        if end >= len(text):
            yield text[start:]
            return
        cut = text.rfind("\n\n", start + SOFT_PAGE_CHARS // 2, end + 500)
        if cut == -1:
            cut = text.rfind("\n", start + SOFT_PAGE_CHARS // 2, end + 500)
        if cut == -1:
            cut = text.rfind(" ", start + SOFT_PAGE_CHARS // 2, end)
        if cut == -1:
            cut = end
        yield text[start:cut]
        start = cut + 1


def count_pages(path: Path, file_type: str) -> int | None:
    """Pages to expect (for progress), when cheap to know."""
    if file_type == "pdf":
        return pdf_page_count(path)
    if file_type in ("png", "jpeg", "tiff"):
        return image_frame_count(path)
    return None


def read(path: Path, file_type: str, *, ocr: bool = True):
    readers = {"pdf": lambda: read_pdf(path, ocr=ocr), "docx": lambda: read_docx(path),
               "txt": lambda: read_text(path)}
    if file_type in ("png", "jpeg", "tiff"):
        return read_image(path)
    if file_type not in readers:
        raise ExtractionError(f"unsupported file type {file_type!r}")
    return readers[file_type]()


def render_page(path: Path, file_type: str, number: int, width: int = 1000):
    if file_type == "pdf":
        return render_pdf_page(path, number, width)
    if file_type in ("png", "jpeg", "tiff"):
        return render_image_page(path, number, width)
    raise ExtractionError("this document has no page images")


__all__ = ["ExtractionError", "OCRUnavailable", "PageText", "read", "render_page", "count_pages",
           "ocr_available"]
