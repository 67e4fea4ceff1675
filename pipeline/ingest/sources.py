"""Source files -> pages: discovery, validation and rasterisation.

Validation happens up front, in the main process, so a bad file is reported with one clear reason
before any page is scheduled; rasterising a single page is cheap enough to do inside the worker
that OCRs it, which keeps the main process from becoming the bottleneck.
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

from pipeline.errors import InputError
from pipeline.picture import open_image, upright
from pipeline.types import PageImage

PDF_EXTS = {".pdf"}
IMAGE_EXTS = {".tif", ".tiff", ".png", ".jpg", ".jpeg"}
SUPPORTED_EXTS = PDF_EXTS | IMAGE_EXTS
IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")  # PNG, JPEG, TIFF (both byte orders)
A4_WIDTH_IN = 8.27
MIN_SIDE_PX = 16  # a page narrower than this holds no text (and image cleanup refuses it)


class SourceError(InputError):
    """A file that cannot be ingested; the message is the one-line reason shown to the user."""


Stamp = tuple[int, ...]  # what os.stat says of a file: device, inode, size, modified and changed times


@dataclass(frozen=True)
class Source:
    """A validated input file and what is needed to schedule its pages."""

    path: Path
    sha256: str
    size: int
    kind: str  # "pdf" or "image"
    page_count: int
    stamp: Stamp  # the file as it was checked and hashed; see ``check_unchanged``


def discover(paths: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Expand folders recursively; return (files to ingest, [(path, reason)] for unusable arguments).

    A file named twice (a folder given twice, a file inside a folder also given) is listed once."""
    files: list[Path] = []
    problems: list[tuple[Path, str]] = []
    seen: set[Path] = set()

    def add(file: Path) -> None:
        key = file.resolve()
        if key not in seen:
            seen.add(key)
            files.append(file)

    for path in paths:
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_EXTS):
                add(file)
        elif path.is_file():
            add(path)
        elif path.exists():
            problems.append((path, "not a regular file"))
        else:
            problems.append((path, "no such file or directory"))
    return files, problems


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _stamp(path: Path) -> Stamp:
    st = path.stat()
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def check_unchanged(source: Source) -> None:
    """SourceError unless the file is still the one that was checked and hashed: text read from a file
    swapped, rewritten or deleted since must not be stored under the old bytes' SHA-256."""
    try:
        now = _stamp(source.path)
    except FileNotFoundError:
        raise SourceError("the file was deleted or moved after the batch started") from None
    except OSError as exc:
        raise SourceError(f"the file can no longer be read ({exc.strerror or exc})") from None
    if now != source.stamp:
        raise SourceError(
            "the file changed after it was checked (replaced, or still being written); "
            "ingest it again to read what it holds now"
        )


def open_source(path: Path, max_pixels: int, dpi: int) -> Source:
    """Check that ``path`` is an ingestible document; raise SourceError with the reason if not."""
    try:
        stamp = _stamp(path)
        size = stamp[2]
        with path.open("rb") as fh:
            head = fh.read(8)
    except PermissionError:
        raise SourceError("permission denied (file is not readable)") from None
    except OSError as exc:
        raise SourceError(f"cannot read file: {exc.strerror or exc}") from None
    if size == 0:
        raise SourceError("empty file (0 bytes)")
    ext = path.suffix.lower()
    if head.startswith(b"%PDF-"):
        count = _check_pdf(path, max_pixels, dpi)
        kind = "pdf"
    elif ext in PDF_EXTS:
        raise SourceError(f"not a PDF: the file starts with {head[:5]!r}, not '%PDF-'")
    elif ext in IMAGE_EXTS or _looks_like_image(head):
        count = _check_image(path, max_pixels)
        kind = "image"
    else:
        raise SourceError(f"unsupported file type '{ext or '(none)'}'")
    sha256 = _sha256(path)
    try:
        unchanged = _stamp(path) == stamp
    except OSError:
        unchanged = False
    if not unchanged:
        raise SourceError("the file changed while it was being checked (still being copied?); try again")
    return Source(path=path, sha256=sha256, size=size, kind=kind, page_count=count, stamp=stamp)


def _looks_like_image(head: bytes) -> bool:
    return head.startswith(IMAGE_MAGIC)


def is_scan(path: Path) -> bool:
    """Whether ``path`` is read as pages (a PDF or an image, by its name or its first bytes); every
    command that takes a file decides with this, and reads anything else as text."""
    if path.suffix.lower() in SUPPORTED_EXTS:
        return True
    with path.open("rb") as fh:
        head = fh.read(8)
    return head.startswith(b"%PDF-") or _looks_like_image(head)


def _check_pdf(path: Path, max_pixels: int, dpi: int) -> int:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceError("encrypted PDF (a password is required to open it)")
        pages = reader.pages
        count = len(pages)
        boxes = [page.mediabox for page in pages]
    except SourceError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise SourceError(f"corrupt or truncated PDF ({type(exc).__name__}: {exc})") from None
    except Exception as exc:  # pypdf raises assorted errors on damaged files
        raise SourceError(f"corrupt or truncated PDF ({type(exc).__name__}: {exc})") from None
    if count == 0:
        raise SourceError("PDF has no pages")
    for number, box in enumerate(boxes, start=1):
        width_pt, height_pt = abs(float(box.width)), abs(float(box.height))
        if width_pt < 1 or height_pt < 1:
            raise SourceError(f"page {number} has zero size ({width_pt:g}×{height_pt:g} pt)")
        if min(width_pt, height_pt) / 72 * dpi < MIN_SIDE_PX:
            raise SourceError(f"page {number} is {width_pt:g}×{height_pt:g} pt: too small to hold any text")
        pixels = (width_pt / 72 * dpi) * (height_pt / 72 * dpi)
        if pixels > max_pixels:
            raise SourceError(
                f"page {number} is too large to rasterise ({width_pt:g}×{height_pt:g} pt at {dpi} dpi "
                f"is {pixels / 1e6:.0f} Mpx, limit {max_pixels / 1e6:.0f} Mpx)"
            )
    _check_pdf_renders(path)
    return count


def _check_pdf_renders(path: Path) -> None:
    """pypdf is lenient with truncated files; poppler, which rasterises them later, is the judge."""
    result = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=60)
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["pdfinfo failed"])[-1]
        raise SourceError(f"corrupt or truncated PDF ({reason})")


def _check_image(path: Path, max_pixels: int) -> int:
    Image.MAX_IMAGE_PIXELS = None  # we apply our own limit, with a clearer message
    try:
        with Image.open(path) as img:
            count = getattr(img, "n_frames", 1)
            for frame in range(count):
                img.seek(frame)
                width, height = img.size
                if width * height > max_pixels:
                    raise SourceError(
                        f"image too large ({width}×{height} px = {width * height / 1e6:.0f} Mpx, "
                        f"limit {max_pixels / 1e6:.0f} Mpx): refused as a possible decompression bomb"
                    )
                if width == 0 or height == 0:
                    raise SourceError(f"page {frame + 1} has zero size")
                if min(width, height) < MIN_SIDE_PX:
                    raise SourceError(f"page {frame + 1} is {width}×{height} pixels: too small to hold any text")
    except SourceError:
        raise
    except (OSError, SyntaxError, ValueError) as exc:
        raise SourceError(f"unreadable or truncated image ({exc})") from None
    _check_image_end(path)
    return count


def _check_image_end(path: Path) -> None:
    """Catch a cut-off PNG or JPEG from its last bytes; decoding it here would cost as much as OCR
    prep, serially, before any worker starts. Other damage surfaces when the page is decoded."""
    with path.open("rb") as fh:
        head = fh.read(4)
        fh.seek(max(0, path.stat().st_size - 64))
        tail = fh.read().rstrip(b"\x00")
    if head.startswith(b"\x89PNG") and b"IEND" not in tail[-12:]:
        raise SourceError("unreadable or truncated image (PNG without its IEND end chunk)")
    if head.startswith(b"\xff\xd8") and not tail.endswith(b"\xff\xd9"):
        raise SourceError("unreadable or truncated image (JPEG without its end-of-image marker)")


def _image_dpi(img: Image.Image) -> int:
    """The file's own DPI; without one, assume an A4-wide scan (what archives feed us)."""
    dpi = img.info.get("dpi")
    if dpi and dpi[0] and float(dpi[0]) > 1:
        return round(float(dpi[0]))
    return max(50, round(min(img.size) / A4_WIDTH_IN))


def _to_array(img: Image.Image) -> np.ndarray:
    if img.mode.startswith("I") or img.mode == "F":  # 16- and 32-bit greyscale, integer or float
        return _to_8bit(np.asarray(img))
    if img.mode in ("1", "L"):
        return np.asarray(img.convert("L"))
    return cv2.cvtColor(np.asarray(img.convert("RGB")), cv2.COLOR_RGB2BGR)  # BGR, as OpenCV expects


def _to_8bit(values: np.ndarray) -> np.ndarray:
    """Greyscale of more than 8 bits scaled to 0..255 by the depth the data uses (16-bit scans use
    0..65535, 12-bit ones 0..4095; 8-bit values in a wider container stay as they are). Pillow's own
    conversion clips at 255, which leaves only black and white."""
    floating = values.dtype.kind == "f"
    data = np.nan_to_num(values.astype(np.float32), nan=0.0, posinf=0.0, neginf=0.0).clip(min=0)
    top = float(data.max(initial=0.0))
    full = 1.0 if floating and top <= 1.0 else float(2 ** max(8, int(top).bit_length()) - 1)
    return np.rint(data * (255.0 / full)).astype(np.uint8)


def load_page(path: Path, kind: str, index: int, dpi: int) -> PageImage:
    """Rasterise one page (0-based ``index``) of a validated source."""
    if kind == "pdf":
        from pdf2image import convert_from_path

        images = convert_from_path(str(path), dpi=dpi, first_page=index + 1, last_page=index + 1)
        if not images:
            raise SourceError(f"page {index + 1} could not be rasterised")
        return PageImage(source=str(path), index=index, image=_to_array(images[0]), dpi=dpi)
    try:
        with open_image(path) as img:
            img.seek(index)
            page = upright(img)
            return PageImage(source=str(path), index=index, image=_to_array(page), dpi=_image_dpi(img))
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise SourceError(f"unreadable or truncated image ({exc})") from None


def pdf_text_layer(path: Path, index: int) -> str:
    """The text a PDF already carries on page ``index`` (empty when it has none)."""
    page = str(index + 1)
    result = subprocess.run(
        ["pdftotext", "-q", "-enc", "UTF-8", "-f", page, "-l", page, str(path), "-"],
        capture_output=True,
        timeout=120,
    )
    return result.stdout.decode("utf-8", "replace").replace("\f", "").strip()
