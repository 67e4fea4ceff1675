"""Page images for the browser, rendered from the stored original and cached on disk.

The archive references originals by path; a page is rendered once per resolution (poppler for
PDFs, Pillow for TIFF/PNG/JPEG pages) into ``cache/<sha256[:2]>/<sha256>-<page>-<dpi>.jpg`` and
served from there. The file is found only through an archived document (the client names a
document id and a page number, never a path), and it must still have the archived size: another
file at that path is not shown as this document.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from PIL import Image, ImageSequence

from pipeline.archive import StoredDocument
from pipeline.ingest.sources import _image_dpi

DPIS = (100, 150, 300)  # resolutions a client may ask for (the cache holds at most these)
DEFAULT_DPI = 150
JPEG_QUALITY = 82
TURNS = {0: None, 90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_90}


class ImageError(Exception):
    """The page cannot be rendered; the message says why (shown to the user)."""


def cached_page(doc: StoredDocument, page: int, cache: Path, dpi: int = DEFAULT_DPI, turn: int = 0) -> Path:
    """The JPEG of page ``page`` (0-based) of the document's original at ``dpi``, turned clockwise by
    ``turn`` degrees (0, 90, 180, 270: a sideways scan shown upright), rendering it once."""
    if dpi not in DPIS:
        raise ImageError(f"resolution {dpi} dpi is not offered ({', '.join(map(str, DPIS))})")
    if not 0 <= page < len(doc.pages):
        raise ImageError(f"the document has no page {page + 1}")
    if turn not in TURNS:
        raise ImageError(f"a page turns by 0, 90, 180 or 270 degrees, not {turn}")
    out = cache / doc.sha256[:2] / f"{doc.sha256}-{page}-{dpi}{f'-t{turn}' if turn else ''}.jpg"
    if out.exists():
        return out
    source = Path(doc.path)
    try:
        size = source.stat().st_size
    except OSError as exc:
        raise ImageError(f"the original file cannot be read ({exc.strerror or exc})") from None
    if size != doc.size:
        raise ImageError("the original file has changed since it was archived")
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=".part")
    os.close(fd)
    try:
        with source.open("rb") as fh:
            is_pdf = fh.read(5) == b"%PDF-"
        image = _render_pdf(source, page, dpi) if is_pdf else _render_image(source, page, dpi)
        if turn:
            image = image.transpose(TURNS[turn])
        image.save(tmp, "JPEG", quality=JPEG_QUALITY, optimize=True)
        os.replace(tmp, out)  # whole files only: a concurrent reader never sees a half-written image
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out


def image_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as img:
        return img.size


def _render_pdf(source: Path, page: int, dpi: int) -> Image.Image:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = ["pdftoppm", "-f", str(page + 1), "-l", str(page + 1), "-r", str(dpi), "-png", "-singlefile",
               str(source), f"{tmp}/page"]  # fmt: skip
        result = subprocess.run(cmd, capture_output=True, timeout=120)
        if result.returncode != 0 or not Path(f"{tmp}/page.png").exists():
            reason = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise ImageError(f"the PDF page cannot be rendered ({reason[-1] if reason else 'pdftoppm failed'})")
        with Image.open(f"{tmp}/page.png") as img:
            return _for_screen(img)


def _render_image(source: Path, page: int, dpi: int) -> Image.Image:
    try:
        with Image.open(source) as img:
            for i, frame in enumerate(ImageSequence.Iterator(img)):
                if i == page:
                    scale = dpi / _image_dpi(frame)  # the page size ingest assumed
                    width, height = max(1, round(frame.width * scale)), max(1, round(frame.height * scale))
                    return _for_screen(frame.resize((width, height), Image.Resampling.LANCZOS))
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageError(f"the image cannot be read ({exc})") from None
    raise ImageError(f"the image has no page {page + 1}")


def _for_screen(img: Image.Image) -> Image.Image:
    return img.convert("L") if img.mode in ("1", "L", "I;16", "I", "F") else img.convert("RGB")
