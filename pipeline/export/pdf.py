"""Searchable PDF: the original page images, untouched, under an invisible layer of restored text.

The approach is OCRmyPDF's: the source pages are copied as they are (a PDF's own image streams, or a
JPEG/PNG/TIFF wrapped losslessly by img2pdf; an image whose EXIF orientation mirrors it is embedded
upright as a lossless PNG, as img2pdf cannot mirror), and a text layer in render mode 3 (invisible) is added
on top, each restored word placed on its OCR box and stretched with ``Tz`` to the box's width so a
selection covers what the eye sees. The font is a subset of Liberation Serif, embedded as a CID font
whose ToUnicode map gives back the exact NFC text; PDF/A-2b is declared only when pikepdf's validator
(veraPDF's rules) passes the written file.
"""

from __future__ import annotations

import io
import logging
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from fontTools import subset as ft_subset
from fontTools.ttLib import TTFont
from pikepdf import Array, Dictionary, Name, Stream

from pipeline.export.output import ExportError, check_output, replacing
from pipeline.types import DocumentRecord, OcrWord, PageRecord
from pipeline.vietnamese import nfc

FONT_PATH = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
FONT_NAME = "LiberationSerif"
A4_WIDTH_IN = 8.27
WORD_GAP = 0.2  # least gap between two words' glyphs, in ems: pdftotext breaks words from about 0.1 em
MAX_SIZE_DRIFT = 0.03  # how far the original, turned as stored, may be from the archived page size
PAGE_IMAGES = ("original", "deskewed")
MIN_WORD_WIDTH = 0.1  # ems: the narrowest a word is squeezed to when its box leaves no room
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


@dataclass
class PdfResult:
    """What was written and whether it is PDF/A-2b (``findings`` say why not)."""

    path: Path
    pdfa: bool
    findings: list[str] = field(default_factory=list)
    words: int = 0
    notes: list[str] = field(default_factory=list)  # pages whose text layer could only be scaled, not aligned


# --- Font ------------------------------------------------------------------------------------------------
class _Font:
    """A subset CID font for the characters of one document: CIDs 1..n in order of first use."""

    def __init__(self, chars: Sequence[str], font_path: Path = FONT_PATH) -> None:
        self.cids: dict[str, int] = {}
        for ch in chars:
            if ch not in self.cids and ch not in "\n\r\t":
                self.cids[ch] = len(self.cids) + 1
        font = TTFont(str(font_path))
        cmap = font.getBestCmap()
        # A character the font lacks is drawn with '?' (PDF/A forbids showing .notdef); ToUnicode still
        # maps it to the real character, so copying gives it back.
        fallback = "question"
        wanted = {cmap.get(ord(ch), fallback) for ch in self.cids} | {fallback, "space"}
        options = ft_subset.Options()
        options.retain_gids = False
        options.notdef_outline = True
        options.hinting = False  # invisible text is never rasterised: hinting is dead weight
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "DSIG", "FFTM"]
        subsetter = ft_subset.Subsetter(options)
        subsetter.populate(glyphs=sorted(wanted))
        subsetter.subset(font)
        buf = io.BytesIO()
        font.save(buf)
        self.program = buf.getvalue()
        upem = font["head"].unitsPerEm
        hmtx = font["hmtx"]
        self.gids: dict[str, int] = {}
        self.widths: dict[str, float] = {}
        for ch in self.cids:
            name = cmap.get(ord(ch), fallback)
            self.gids[ch] = font.getGlyphID(name)
            self.widths[ch] = hmtx[name][0] * 1000 / upem
        head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
        scale = 1000 / upem
        self.bbox = [round(v * scale) for v in (head.xMin, head.yMin, head.xMax, head.yMax)]
        self.ascent = round(hhea.ascent * scale)
        self.descent = round(hhea.descent * scale)
        self.cap_height = round(getattr(os2, "sCapHeight", hhea.ascent) * scale)

    def encode(self, text: str) -> bytes:
        return b"".join(self.cids[ch].to_bytes(2, "big") for ch in text if ch in self.cids)

    def advance(self, text: str) -> float:
        """Width of ``text`` at size 1, in text space units."""
        return sum(self.widths.get(ch, 0.0) for ch in text) / 1000

    def to_pdf(self, pdf: pikepdf.Pdf) -> Dictionary:
        tag = "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(6))
        base = Name(f"/{tag}+{FONT_NAME}")
        count = len(self.cids) + 1
        cid_to_gid = bytearray(2 * count)
        for ch, cid in self.cids.items():
            cid_to_gid[2 * cid : 2 * cid + 2] = self.gids[ch].to_bytes(2, "big")
        widths = Array()
        for ch, cid in self.cids.items():
            widths.extend([cid, Array([round(self.widths[ch], 3)])])
        descriptor = pdf.make_indirect(
            Dictionary(
                Type=Name.FontDescriptor,
                FontName=base,
                Flags=32 + 2,  # non-symbolic, serif
                FontBBox=Array(self.bbox),
                ItalicAngle=0,
                Ascent=self.ascent,
                Descent=self.descent,
                CapHeight=self.cap_height,
                StemV=80,
                FontFile2=Stream(pdf, self.program),
            )
        )
        cid_font = pdf.make_indirect(
            Dictionary(
                Type=Name.Font,
                Subtype=Name.CIDFontType2,
                BaseFont=base,
                CIDSystemInfo=Dictionary(Registry="Adobe", Ordering="Identity", Supplement=0),
                FontDescriptor=descriptor,
                DW=1000,
                W=widths,
                CIDToGIDMap=Stream(pdf, bytes(cid_to_gid)),
            )
        )
        return pdf.make_indirect(
            Dictionary(
                Type=Name.Font,
                Subtype=Name.Type0,
                BaseFont=base,
                Encoding=Name("/Identity-H"),
                DescendantFonts=Array([cid_font]),
                ToUnicode=Stream(pdf, self._to_unicode()),
            )
        )

    def _to_unicode(self) -> bytes:
        lines = [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            "<0000> <FFFF>",
            "endcodespacerange",
        ]
        items = list(self.cids.items())
        for start in range(0, len(items), 100):
            chunk = items[start : start + 100]
            lines.append(f"{len(chunk)} beginbfchar")
            for ch, cid in chunk:
                lines.append(f"<{cid:04X}> <{ch.encode('utf-16-be').hex().upper()}>")
            lines.append("endbfchar")
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        return "\n".join(lines).encode("ascii")


# --- Text layer ----------------------------------------------------------------------------------------
def _lines(page: PageRecord) -> list[list[tuple[OcrWord, str]]]:
    """Words with their restored form, grouped by OCR line, in the record's reading order."""
    lines: list[list[tuple[OcrWord, str]]] = []
    key = None
    for word, restored in zip(page.words, page.restored_words, strict=True):
        text = nfc(restored).strip() or nfc(word.text).strip()
        if not text:
            continue
        if (word.block, word.line) != key:
            lines.append([])
            key = (word.block, word.line)
        lines[-1].append((word, text))
    return lines


def _num(value: float, digits: int = 3) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _text_layer(page: PageRecord, font: _Font, scale_x: float, scale_y: float, height_pt: float) -> bytes:
    """Content stream placing each restored word on its box (image pixels -> PDF points)."""
    ops = ["BT", "3 Tr"]
    for line in _lines(page):
        top = min(w.box.top for w, _ in line)
        bottom = max(w.box.bottom for w, _ in line)
        size = max((bottom - top) * scale_y, 1.0)
        # Baseline: the line box spans ascender to descender; put the baseline at the descender's top.
        descent = -font.descent / 1000 * size
        baseline = height_pt - bottom * scale_y + descent * 0.8
        ops.append(f"/FVb {_num(size, 2)} Tf")
        gap = WORD_GAP * size
        cursor = 0.0  # where the previous word's glyphs ended, plus the gap
        start = 0.0  # x of the previous word's origin, as written
        for i, (word, text) in enumerate(line):
            # The word's glyphs are stretched over its box, but end at least a space short of the next
            # word's box: OCR boxes of neighbours can touch or overlap, and extractors (pdftotext, viewers)
            # split words by the gap they see. A word whose box overlaps the previous one starts after it.
            # A trailing space follows every word but the line's last.
            x = max(word.box.left * scale_x, cursor)
            width = word.box.right * scale_x - x
            if i + 1 < len(line):
                width = min(width, line[i + 1][0].box.left * scale_x - x - gap)
            width = max(width, MIN_WORD_WIDTH * size)  # never drop a word, even on a garbled box
            cursor = x + width + gap
            natural = font.advance(text) * size
            stretch = 100 * width / natural if natural > 0 else 100
            if i + 1 < len(line):
                text = text + " "
            # One decimal: the layer is drawn in page-image pixels (0.1 px is 0.024 pt at 300 dpi). The line's
            # first word is placed with Tm, the others moved along the baseline with Td (Tz does not scale it).
            here = round(x, 1)
            move = f"1 0 0 1 {_num(here, 1)} {_num(baseline, 1)} Tm" if i == 0 else f"{_num(here - start, 1)} 0 Td"
            start = here
            ops.append(f"{_num(stretch, 1)} Tz {move} <{font.encode(text).hex()}> Tj")
        # Each line ends a line for extractors that join by content order (pdftotext -raw).
    ops.append("ET")
    return ("\n".join(ops) + "\n").encode("ascii")


# --- Page images ---------------------------------------------------------------------------------------
def _image_dpi(path: Path) -> tuple[float, float]:
    from PIL import Image

    with Image.open(path) as img:
        dpi = img.info.get("dpi")
        if dpi and dpi[0] and float(dpi[0]) > 1:
            return float(dpi[0]), float(dpi[1] or dpi[0])
        guess = max(50, round(min(img.size) / A4_WIDTH_IN))  # what ingest assumes: an A4-wide scan
        return float(guess), float(guess)


MIRRORED = (2, 4, 5, 7)  # EXIF orientations that mirror the stored pixels


def _images_to_pdf(path: Path) -> bytes:
    """Wrap an image file in a PDF without re-encoding (JPEG stays JPEG, PNG's data is copied)."""
    import img2pdf

    layout = img2pdf.get_fixed_dpi_layout_fun(_image_dpi(path))
    try:
        if _orientation(path) in MIRRORED:  # img2pdf turns pages but ignores mirrors
            return img2pdf.convert(_png_frames(path), layout_fun=layout)
        return img2pdf.convert(str(path), layout_fun=layout, rotation=img2pdf.Rotation.ifvalid)
    except (img2pdf.AlphaChannelError, img2pdf.ImageOpenError, ValueError) as exc:
        # Alpha channels and exotic modes cannot be embedded as they are; flatten losslessly to PNG.
        frames = _png_frames(path)
        if not frames:
            raise ExportError(f"{path}: cannot read the image ({exc})") from None
        return img2pdf.convert(frames, layout_fun=layout)


def _orientation(path: Path) -> int:
    from PIL import Image

    with Image.open(path) as img:
        return int(img.getexif().get(274, 1) or 1)


def _png_frames(path: Path) -> list[bytes]:
    """Every frame as a lossless PNG, as ingest read it: upright by its orientation (mirrors too)."""
    from PIL import ImageSequence

    from pipeline.picture import open_image, upright

    frames = []
    with open_image(path) as img:
        for page in ImageSequence.Iterator(img):
            frame = upright(page)
            buf = io.BytesIO()
            frame.convert("RGB" if frame.mode not in ("1", "L") else frame.mode).save(buf, "PNG")
            frames.append(buf.getvalue())
    return frames


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(5) == b"%PDF-"
    except OSError as exc:
        raise ExportError(f"{path}: cannot read the original file ({exc.strerror or exc})") from None


def _open_source(path: Path) -> pikepdf.Pdf:
    try:
        if _is_pdf(path):
            return pikepdf.open(path)
        return pikepdf.open(io.BytesIO(_images_to_pdf(path)))
    except pikepdf.PasswordError:
        raise ExportError(f"{path}: encrypted PDF (a password is required)") from None
    except (pikepdf.PdfError, OSError) as exc:
        raise ExportError(f"{path}: cannot open the original as a PDF or image ({exc})") from None


# --- Geometry: OCR boxes live on the cleaned page, not on the original ------------------------------------
Matrix = tuple[float, float, float, float, float, float]


def _mul(a: Matrix, b: Matrix) -> Matrix:
    """``a`` after ``b`` (both map column vectors: x' = a*x + c*y + e, y' = b*x + d*y + f)."""
    a0, a1, a2, a3, a4, a5 = a
    b0, b1, b2, b3, b4, b5 = b
    return (
        a0 * b0 + a2 * b1, a1 * b0 + a3 * b1, a0 * b2 + a2 * b3, a1 * b2 + a3 * b3,
        a0 * b4 + a2 * b5 + a4, a1 * b4 + a3 * b5 + a5,
    )  # fmt: skip


def _inverse(m: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    det = a * d - b * c
    return (d / det, -b / det, -c / det, a / det, (c * f - d * e) / det, (b * e - a * f) / det)


def _scale(sx: float, sy: float) -> Matrix:
    return (sx, 0.0, 0.0, sy, 0.0, 0.0)


def _flip(height: float) -> Matrix:
    """y down <-> y up on a page ``height`` tall (its own inverse)."""
    return (1.0, 0.0, 0.0, -1.0, 0.0, height)


@dataclass(frozen=True)
class _Turn:
    """The cleanup's turn of one page, in the original's units: ``matrix`` maps the displayed original
    (y down) onto a ``width`` x ``height`` canvas holding the upright, level page (y down); the cleaned
    page is that canvas resampled to its pixel size."""

    matrix: Matrix
    width: float
    height: float


def _turn(width: float, height: float, rotation: int, skew: float) -> _Turn:
    """As ``pipeline.image.clean_page`` turned the page: counter-clockwise by quarter + skew about the
    centre on a grown canvas, then 180° when it was upside down. ``rotation``/``skew`` are the stored
    ``PageGeometry``'s (the clockwise turn that was applied is rotation + skew)."""
    undo = (-rotation) % 360
    quarter = 90 if undo in (90, 270) else 0
    flip = undo in (180, 270)
    turn = math.radians(quarter - skew)
    cos, sin = math.cos(turn), math.sin(turn)
    new_w = abs(height * sin) + abs(width * cos)
    new_h = abs(height * cos) + abs(width * sin)
    # Image y points down, so a counter-clockwise turn on screen is (x, y) -> (x cos + y sin, -x sin + y cos).
    centre = (1.0, 0.0, 0.0, 1.0, -width / 2, -height / 2)
    turned = _mul((cos, -sin, sin, cos, new_w / 2, new_h / 2), centre)
    if flip:
        turned = _mul((-1.0, 0.0, 0.0, -1.0, new_w, new_h), turned)
    return _Turn(turned, new_w, new_h)


def _page_turn(rec: PageRecord, width_pt: float, height_pt: float) -> tuple[_Turn | None, str | None]:
    """The stored turn of a page whose original is ``width_pt`` x ``height_pt`` as displayed, or None with
    a note when the archive has no geometry for it or the original does not fit it (another file)."""
    label = f"page {rec.index + 1}"
    g = rec.geometry
    if g is None:
        return None, (f"{label}: the archive has no page geometry (stored before vanban's schema 4; "
                      "`vanban ingest --force` stores it); text layer scaled to the page")  # fmt: skip
    turn = _turn(width_pt, height_pt, g.rotation, g.skew)
    want_w, want_h = turn.width * g.dpi / 72, turn.height * g.dpi / 72  # what cleanup made of this original
    if abs(want_w / rec.width - 1) > MAX_SIZE_DRIFT or abs(want_h / rec.height - 1) > MAX_SIZE_DRIFT:
        return None, (f"{label}: the original page, {width_pt:g}x{height_pt:g} pt turned by {g.rotation + g.skew:g}° "
                      f"at {g.dpi} dpi, would be {want_w:.0f}x{want_h:.0f} px, not the archived "
                      f"{rec.width}x{rec.height} px; text layer scaled to the page")  # fmt: skip
    return turn, None


def _display_matrix(page: pikepdf.Page, width: float, height: float, x0: float, y0: float) -> Matrix:
    """The displayed page (what was rasterised and OCR'd; y up) -> the page's own user space."""
    rotate = int(page.obj.get("/Rotate", 0)) % 360
    # Displayed coords (u, v) -> user space for a page shown rotated clockwise by ``rotate``.
    matrices = {
        0: (1.0, 0.0, 0.0, 1.0, x0, y0),
        90: (0.0, -1.0, 1.0, 0.0, x0, y0 + width),
        180: (-1.0, 0.0, 0.0, -1.0, x0 + width, y0 + height),
        270: (0.0, 1.0, -1.0, 0.0, x0 + height, y0),
    }
    return matrices.get(rotate, matrices[0])


def _cm(m: Matrix) -> bytes:
    return f"{' '.join(_num(v, 6) for v in m)} cm\n".encode()


def _place_layer(pdf: pikepdf.Pdf, page: pikepdf.Page, rec: PageRecord, layer: bytes, deskew: bool) -> str | None:
    """Add the text layer to ``page``: over the original where the stored turn puts the words, or with
    ``deskew`` over the page turned level (its content drawn turned, the images untouched). Returns a note
    when the words could only be scaled to the page."""
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    width_pt, height_pt = abs(x1 - x0), abs(y1 - y0)
    if int(page.obj.get("/Rotate", 0)) % 180:
        width_pt, height_pt = height_pt, width_pt
    display = _display_matrix(page, width_pt, height_pt, min(x0, x1), min(y0, y1))
    turn, note = _page_turn(rec, width_pt, height_pt)
    to_canvas = _scale(1.0, 1.0) if turn is None else _scale(turn.width / rec.width, turn.height / rec.height)
    page.contents_coalesce()
    g = rec.geometry
    if deskew and turn is not None and g is not None and (g.rotation or g.skew):
        # user space -> displayed (y up, then down) -> turned canvas (y down, then up): the new page
        content = _mul(_flip(turn.height), _mul(turn.matrix, _mul(_flip(height_pt), _inverse(display))))
        page.contents_add(Stream(pdf, b"q\n" + _cm(content)), prepend=True)
        page.contents_add(Stream(pdf, b"\nQ\nq\n" + _cm(to_canvas) + layer + b"Q\n"))
        page.obj.MediaBox = Array([0, 0, round(turn.width, 3), round(turn.height, 3)])
        for key in ("/Rotate", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
            if key in page.obj:
                del page.obj[key]
        return note
    if turn is None:  # the cleaned page taken to be the original, scaled
        to_display = _mul(_flip(height_pt), _scale(width_pt / rec.width, height_pt / rec.height))
    else:  # cleaned pixels -> turned canvas -> displayed original (y down), then y up
        to_display = _mul(_flip(height_pt), _mul(_inverse(turn.matrix), to_canvas))
    matrix = _mul(display, _mul(to_display, _flip(float(rec.height))))
    page.contents_add(Stream(pdf, b"q\n"), prepend=True)
    page.contents_add(Stream(pdf, b"\nQ\nq\n" + _cm(matrix) + layer + b"Q\n"))
    return note


# --- Public entry point --------------------------------------------------------------------------------
def write_pdf(
    record: DocumentRecord,
    out: Path,
    *,
    source: Path | None = None,
    pdfa: bool = True,
    page_image: str = "original",
) -> PdfResult:
    """Write a searchable copy of ``record``'s original file to ``out``.

    ``source`` overrides ``record.path`` (an archive may reference a file that has moved). Pages whose
    record has no OCR words (a PDF's own text layer was used) are copied without an added layer. The words
    are put on the original through each page's stored ``PageGeometry``. ``page_image`` "original" keeps
    every page as scanned (the words follow its skew); "deskewed" turns turned or skewed pages level by
    their stored rotation and skew, as OCRmyPDF's --deskew does (the page's drawing is turned, its images
    are not re-encoded), so extractors that read by position, not only in content order, read the lines.
    """
    if page_image not in PAGE_IMAGES:
        raise ExportError(f"unknown page image {page_image!r} (choose from {', '.join(PAGE_IMAGES)})")
    src = Path(source or record.path)
    check_output(out, src, record.path)
    if not src.exists():
        raise ExportError(f"{src}: original file not found (the archive references it, does not copy it)")
    pdf = _open_source(src)
    with pdf:
        if len(pdf.pages) < len(record.pages):
            raise ExportError(
                f"{src}: has {len(pdf.pages)} pages but the record has {len(record.pages)}; "
                "it is not the file that was processed"
            )
        chars = "".join(" ".join(p.restored_words) + " " + " ".join(w.text for w in p.words) for p in record.pages)
        font = _Font(nfc(chars) + " ?")
        font_ref = font.to_pdf(pdf)
        placed = 0
        notes: list[str] = []
        for rec in record.pages:
            if not rec.words or rec.width <= 0 or rec.height <= 0:
                continue
            page = pdf.pages[rec.index]
            layer = _text_layer(rec, font, 1.0, 1.0, float(rec.height))
            note = _place_layer(pdf, page, rec, layer, page_image == "deskewed")
            if note:
                notes.append(note)
            resources = page.obj.get("/Resources")
            if resources is None:
                page.obj.Resources = resources = Dictionary()
            if "/Font" not in resources:
                resources.Font = Dictionary()
            resources.Font.FVb = font_ref
            placed += sum(len(line) for line in _lines(rec))
        _set_metadata(pdf, record)
        with replacing(out) as tmp:
            if not pdfa:
                pdf.save(tmp)
                return PdfResult(out, False, ["PDF/A not requested"], placed, notes)
            from pikepdf.pdfa import PdfaError
            from pikepdf.pdfa import save as save_pdfa

            try:
                save_pdfa(pdf, tmp, "2b")
                return PdfResult(out, True, [], placed, notes)
            except PdfaError as exc:
                findings = [str(f) for f in exc.report.findings]
            pdf.save(tmp)
            return PdfResult(out, False, findings, placed, notes)


def _set_metadata(pdf: pikepdf.Pdf, record: DocumentRecord) -> None:
    fields = record.fields
    title = fields.subject or Path(record.path).stem
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = nfc(title)
        if fields.issuer:
            meta["dc:creator"] = [nfc(fields.issuer)]
        meta["dc:language"] = ["vi"]
        meta["xmp:CreatorTool"] = "vanban export"
