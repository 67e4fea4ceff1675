"""Render Vietnamese administrative documents as scanned-looking pages, with their ground truth.

The samples in ``samples/`` and the cleanup benchmark need pages whose every character and every
scan defect is known, so this module draws them from a structured source (``samples/src/*.json``)
in the layout of Nghị định 30/2020/NĐ-CP, and degrades them deterministically.

API (everything else is private)::

    doc = load_document("samples/src/kh-ubnd-hai-phong-cnnt-2025.json")   # or load_sources()
    pages = render_document(doc, dpi=300)        # list[PIL.Image.Image], clean RGB A4 pages
    blocks = page_blocks(doc, dpi=300)           # list (per page) of tuple[TextBlock, ...]
    texts = page_texts(doc)                      # list[str]: blocks joined by blank lines
    fields = document_fields(doc)                # dict in the Fields.to_json() schema
    img, info = degrade(pages[0], ["skew", "blur"], seed=3, dpi=300)
    # info = {"degradations": [...], "skew": 2.41, "rotation": 0, "dpi": 300, ...}

``DEGRADATIONS`` names every degradation; they combine freely and are applied in a fixed physical
order (print, paper, scanner, file), whatever order they are given in. Conventions of ``info``:
``skew`` is the angle in degrees the content was turned counter-clockwise (PIL / OpenCV sign);
``rotation`` is the clockwise turn in degrees that makes the page upright again (the meaning of
``CleanPage.rotation``); ``dpi`` is the resolution of the returned image.

Ground-truth blocks come in reading order: a page number ("other", pages >= 2), header_left,
header_right, title, recipients (Kính gửi), body, Nơi nhận (kind "other") and signature; within a
block one line per printed line, whitespace collapsed. Block boxes are in pixels of the clean page
(before ``degrade``). The seal and the handwritten signature are ink, not text: they are not in the
ground truth.
"""

from __future__ import annotations

import io
import json
import math
import re
import unicodedata
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from pipeline.citation import reference_family, reference_key
from pipeline.types import Box, Reference, TextBlock

FONT_DIR = Path("/usr/share/fonts/truetype/liberation2")  # Debian fonts-liberation2 (v1 lacks Vietnamese)
FONT_FILES = {
    "regular": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "bolditalic": "LiberationSerif-BoldItalic.ttf",
}
_CROSCORE = Path("/usr/share/fonts/truetype/croscore")  # Debian fonts-croscore
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")  # Debian fonts-dejavu-core
# Font families with full Vietnamese coverage a page can be set in: directory and the four styles.
_STYLES = (("regular", "Regular"), ("bold", "Bold"), ("italic", "Italic"), ("bolditalic", "BoldItalic"))
FAMILIES: dict[str, tuple[Path, dict[str, str]]] = {
    "Liberation Serif": (FONT_DIR, FONT_FILES),
    "Tinos": (_CROSCORE, {s: f"Tinos-{n}.ttf" for s, n in _STYLES}),
    "Arimo": (_CROSCORE, {s: f"Arimo-{n}.ttf" for s, n in _STYLES}),
    "DejaVu Serif": (_DEJAVU, {"regular": "DejaVuSerif.ttf", "bold": "DejaVuSerif-Bold.ttf",
                               "italic": "DejaVuSerif-Italic.ttf", "bolditalic": "DejaVuSerif-BoldItalic.ttf"}),
}  # fmt: skip
DEFAULT_FAMILY = "Liberation Serif"
SOURCE_DIR = Path(__file__).resolve().parent.parent / "samples" / "src"

DEGRADATIONS = (
    "faint",  # faint print: worn toner
    "yellow",  # yellowed paper with uneven illumination
    "punch_holes",  # two filing holes in the left margin
    "skew",  # page placed askew, up to ±4°
    "borders",  # dark scanner-lid borders
    "rotate90",  # page scanned sideways
    "rotate180",  # page scanned upside down
    "blur",  # out-of-focus optics
    "dpi200",  # scanned at 200 dpi
    "dpi150",  # scanned at 150 dpi
    "noise",  # sensor noise and dust speckles
    "jpeg",  # heavy JPEG compression
)

A4_MM = (210.0, 297.0)
INK = (20, 20, 20)
SEAL_RED = (212, 32, 44)
SIGNATURE_BLUE = (28, 48, 150)


# --------------------------------------------------------------------------- source documents


@dataclass(frozen=True)
class Document:
    """A document as its source JSON describes it; see samples/src/README.md for the keys."""

    name: str
    data: dict[str, Any] = field(hash=False, compare=False)

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


def _nfc_tree(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc_tree(v) for v in value]
    if isinstance(value, dict):
        return {k: _nfc_tree(v) for k, v in value.items()}
    return value


def load_document(path: str | Path) -> Document:
    """Read one source; text is NFC-normalised so rendering and ground truth cannot disagree."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read document source: {exc}") from exc
    if not isinstance(data, dict) or "body" not in data or "issuer_lines" not in data:
        raise ValueError(f"{path}: not a document source (needs 'issuer_lines' and 'body')")
    return Document(name=path.stem, data=_nfc_tree(data))


def load_sources(directory: str | Path = SOURCE_DIR) -> list[Document]:
    """All document sources of a folder, sorted by name."""
    return [load_document(p) for p in sorted(Path(directory).glob("*.json"))]


# --------------------------------------------------------------------------- text helpers


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", "")).strip()


def _number_line(doc: Document) -> str:
    """`Số:` line as printed; a blank number keeps a wide gap, as offices leave it to fill by hand."""
    number = doc.get("number")
    if doc.get("party"):  # Party documents: 'Số 57-NQ/TW'
        return f"Số {number}-{doc.get('symbol')}" if number else f"Số{' ' * 10}-{doc.get('symbol')}"
    return f"Số: {number}/{doc.get('symbol')}" if number else f"Số:{' ' * 12}/{doc.get('symbol')}"


def _date_line(doc: Document) -> str:
    day, month, year = doc.get("day"), doc.get("month"), doc.get("year")
    gap = " " * 8
    return (
        f"{doc.get('place')}, ngày {day if day else gap} tháng {month if month else gap} năm {year}"
    )


def _subject_lines(doc: Document, f: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Trích yếu as printed: the source's own line breaks, wrapped again only where a line is too long."""
    lines = []
    for part in doc.get("subject").split("\n"):
        wrapped = _wrap(_runs(part), {False: f, True: f}, width, width)
        lines.extend(" ".join(_word_text(w) for w in line) for line in wrapped)
    return lines


def _signature_lines(doc: Document) -> list[str]:
    return list(doc.get("signature")["lines"])


# --------------------------------------------------------------------------- layout


@lru_cache(maxsize=64)
def font(style: str, size_px: int, family: str = DEFAULT_FAMILY) -> ImageFont.FreeTypeFont:
    """A font of ``FAMILIES`` (Liberation Serif: Times-metric) in one of the four styles."""
    folder, files = FAMILIES[family]
    return ImageFont.truetype(str(folder / files[style]), size_px)


@dataclass
class _Op:
    kind: str  # text | line | rect | seal | signature
    args: tuple
    color: tuple[int, int, int] = INK


@dataclass
class _Page:
    ops: list[_Op] = field(default_factory=list)
    blocks: list[tuple[str, list[str], list[int]]] = field(default_factory=list)  # kind, lines, bbox

    def block(self, kind: str) -> tuple[str, list[str], list[int]]:
        if self.blocks and self.blocks[-1][0] == kind:
            return self.blocks[-1]
        entry = (kind, [], [10**9, 10**9, -1, -1])
        self.blocks.append(entry)
        return entry


class _Layout:
    """Places text on A4 pages at a given dpi; all sizes in the decree's mm and points."""

    def __init__(self, dpi: int, family: str = DEFAULT_FAMILY) -> None:
        self.dpi = dpi
        self.family = family
        self.width = self.mm(A4_MM[0])
        self.height = self.mm(A4_MM[1])
        self.left = self.mm(30)
        self.right = self.width - self.mm(20)
        self.top = self.mm(20)
        self.bottom = self.height - self.mm(20)
        self.pages: list[_Page] = [_Page()]
        self.y = self.top

    def mm(self, value: float) -> int:
        return round(value / 25.4 * self.dpi)

    def font(self, style: str, points: float) -> ImageFont.FreeTypeFont:
        return font(style, round(points * self.dpi / 72), self.family)

    @property
    def page(self) -> _Page:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(_Page())
        number = str(len(self.pages))
        f = self.font("regular", 13)
        w = f.getlength(number)
        x = round((self.left + self.right - w) / 2)
        y = self.mm(10)
        self.text(x, y, number, f, "page_number")
        self.y = self.top + self.mm(2)

    def text(self, x: int, y: int, text: str, f: ImageFont.FreeTypeFont, kind: str, record: bool = True,
             line_text: str | None = None) -> None:
        """Draw one printed line and (optionally) add it to the block's ground truth."""
        self.page.ops.append(_Op("text", (x, y, text, f)))
        if record:
            self._record(kind, line_text if line_text is not None else text, x, y, f.getlength(text), f)

    def _record(self, kind: str, line: str, x: int, y: int, width: float, f: ImageFont.FreeTypeFont) -> None:
        _, lines, box = self.page.block(kind)
        clean = _collapse(line)
        if clean:
            lines.append(clean)
        ascent, descent = f.getmetrics()
        box[0] = min(box[0], x)
        box[1] = min(box[1], y)
        box[2] = max(box[2], round(x + width))
        box[3] = max(box[3], y + ascent + descent)

    def centered(self, cx: int, y: int, text: str, f: ImageFont.FreeTypeFont, kind: str) -> int:
        w = f.getlength(text)
        self.text(round(cx - w / 2), y, text, f, kind)
        return round(w)

    def rule(self, cx: int, y: int, length: int) -> None:
        self.page.ops.append(_Op("line", (cx - length // 2, y, cx + length // 2, y, max(1, self.mm(0.25)))))


Word = tuple[tuple[str, bool], ...]  # one printed word as (text, bold) segments


def _runs(text: str) -> list[Word]:
    """Split `**bold**` markup into words; punctuation touching a bold span stays in the same word."""
    words: list[list[tuple[str, bool]]] = []
    glue = False
    for i, part in enumerate(text.split("**")):
        bold = i % 2 == 1
        tokens = part.split()
        if not tokens:
            glue = glue and part == ""
            continue
        for j, token in enumerate(tokens):
            if j == 0 and glue and words and not part[0].isspace():
                words[-1].append((token, bold))
            else:
                words.append([(token, bold)])
        glue = not part[-1].isspace()
    return [tuple(w) for w in words]


def _word_text(word: Word) -> str:
    return "".join(t for t, _ in word)


def _word_width(word: Word, fonts: dict[bool, ImageFont.FreeTypeFont]) -> float:
    return sum(fonts[b].getlength(t) for t, b in word)


def _wrap(words: list[Word], fonts: dict[bool, ImageFont.FreeTypeFont], first: float,
          rest: float) -> list[list[Word]]:
    lines: list[list[Word]] = []
    current: list[Word] = []
    width = 0.0
    space = fonts[False].getlength(" ")
    for word in words:
        w = _word_width(word, fonts)
        limit = first if not lines else rest
        if current and width + space + w > limit:
            lines.append(current)
            current, width = [word], w
        else:
            width = width + space + w if current else w
            current.append(word)
    if current:
        lines.append(current)
    return lines


def _paragraph(lay: _Layout, para: str | dict[str, Any], kind: str = "body", size: float = 14,
               x0: int | None = None, x1: int | None = None, indent_mm: float = 10,
               spacing: float = 1.2, after_pt: float = 6, hanging_mm: float = 0) -> None:
    """Justified paragraph with first-line indent, breaking pages as needed."""
    spec = {"text": para} if isinstance(para, str) else dict(para)
    align = spec.get("align", "justify")
    style_bold = spec.get("bold", False)
    style_italic = spec.get("italic", False)
    text = spec["text"]
    if style_bold:
        text = f"**{text.replace('**', '')}**"
    indent = lay.mm(spec.get("indent", indent_mm if align == "justify" else 0))
    x0 = lay.left if x0 is None else x0
    x1 = lay.right if x1 is None else x1
    base = "italic" if style_italic else "regular"
    fonts = {False: lay.font(base, size), True: lay.font("bolditalic" if style_italic else "bold", size)}
    hanging = lay.mm(hanging_mm)
    lines = _wrap(_runs(text), fonts, x1 - x0 - indent, x1 - x0 - hanging)
    step = round(size * lay.dpi / 72 * spacing)
    space = fonts[False].getlength(" ")
    for n, line in enumerate(lines):
        if lay.y + step > lay.bottom:
            lay.new_page()
        start = x0 + (indent if n == 0 else hanging)
        widths = [_word_width(w, fonts) for w in line]
        natural = sum(widths) + space * (len(line) - 1)
        gap = space
        if align == "center":
            start = round((x0 + x1 - natural) / 2)
        elif align == "right":
            start = round(x1 - natural)
        elif align == "justify" and n < len(lines) - 1 and len(line) > 1:
            gap = (x1 - start - sum(widths)) / (len(line) - 1)
        x = float(start)
        for word, w in zip(line, widths, strict=True):
            sx = x
            for seg, bold in word:
                lay.text(round(sx), lay.y, seg, fonts[bold], kind, record=False)
                sx += fonts[bold].getlength(seg)
            x += w + gap
        lay._record(kind, " ".join(_word_text(w) for w in line), start, lay.y, x - gap - start, fonts[False])
        lay.y += step
    lay.y += round(after_pt * lay.dpi / 72)


def _stamps(lay: _Layout, doc: Document, cx: int, y: int) -> int:
    """Urgency and secrecy stamps, boxed, in black or (``stamp_color: red``) red ink; returns the y below."""
    for mark in (doc.get("urgency"), doc.get("secrecy")):
        if mark:
            f = lay.font("bold", 14)
            y += lay.mm(2)
            w = lay.centered(cx, y, mark.upper(), f, "header_left")
            pad = lay.mm(2)
            asc, desc = f.getmetrics()
            framed = doc.get("stamp_box", True)
            if framed:
                lay.page.ops.append(_Op("rect", (cx - w // 2 - pad, y - pad // 2, cx + w // 2 + pad,
                                                 y + asc + desc + pad // 2, max(1, lay.mm(0.4)))))
            if doc.get("stamp_color") == "red":  # the stamp's text (and box) drawn in red ink
                n = 2 if framed else 1
                lay.page.ops[-n:] = [_Op(op.kind, op.args, SEAL_RED) for op in lay.page.ops[-n:]]
            y += asc + desc + lay.mm(2)
    return y


def _header(lay: _Layout, doc: Document) -> None:
    left_cx = lay.left + lay.mm(20)
    right_cx = lay.left + lay.mm(110)
    y = lay.top
    if doc.get("stamp_at") == "top":  # stamped above the issuing body: the page's first line
        y = _stamps(lay, doc, left_cx, y - lay.mm(4)) + lay.mm(1)
    size = 12.5
    line = round(size * lay.dpi / 72 * 1.2)
    for text in doc.get("parent_issuer_lines") or []:
        lay.centered(left_cx, y, text, lay.font("regular", 12), "header_left")
        y += line
    widest = 0
    for text in doc.get("issuer_lines"):
        widest = max(widest, lay.centered(left_cx, y, text, lay.font("bold", size), "header_left"))
        y += line
    lay.rule(left_cx, y + lay.mm(1), max(widest // 3, lay.mm(18)))
    y += lay.mm(5)
    lay.centered(left_cx, y, _number_line(doc), lay.font("regular", 13), "header_left")
    y += round(13 * lay.dpi / 72 * 1.3)
    if doc.get("doc_type") == "Công văn":
        f = lay.font("regular", 12)
        for text in _subject_lines(doc, f, lay.mm(74)):
            lay.centered(left_cx, y, text, f, "header_left")
            y += round(12 * lay.dpi / 72 * 1.15)
    if doc.get("stamp_at") != "top":
        y = _stamps(lay, doc, left_cx, y)
    left_end = y
    y = lay.top
    national = doc.get("national_title", "ĐẢNG CỘNG SẢN VIỆT NAM" if doc.get("party") else
                       "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")  # fmt: skip
    w = lay.centered(right_cx, y, national, lay.font("bold", 12.5 if not doc.get("party") else 14), "header_right")
    y += line
    if not doc.get("party"):  # Party documents print no motto
        w = lay.centered(right_cx, y, "Độc lập - Tự do - Hạnh phúc", lay.font("bold", 13.5), "header_right")
        y += round(13.5 * lay.dpi / 72 * 1.2)
    lay.rule(right_cx, y + lay.mm(0.5), w)
    y += lay.mm(5)
    lay.centered(right_cx, y, _date_line(doc), lay.font("italic", 13.5), "header_right")
    y += round(13.5 * lay.dpi / 72 * 1.3)
    lay.y = max(left_end, y) + lay.mm(6)


def _title(lay: _Layout, doc: Document) -> None:
    if doc.get("doc_type") == "Công văn":
        return
    cx = (lay.left + lay.right) // 2
    step = round(14 * lay.dpi / 72 * 1.2)
    lay.centered(cx, lay.y, doc.get("title", doc.get("doc_type").upper()), lay.font("bold", 14), "title")
    lay.y += step
    for text in doc.get("title_lines") or []:  # 'CỦA BỘ CHÍNH TRỊ' under a Party title: not the subject
        lay.centered(cx, lay.y, text, lay.font("bold", 14), "title")
        lay.y += step
    widest = 0
    for text in _subject_lines(doc, lay.font("bold", 14), lay.right - lay.left):
        widest = max(widest, lay.centered(cx, lay.y, text, lay.font("bold", 14), "title"))
        lay.y += step
    lay.rule(cx, lay.y + lay.mm(1), max(widest // 3, lay.mm(25)))
    lay.y += lay.mm(7)


def _recipients(lay: _Layout, doc: Document) -> None:
    recipients = doc.get("recipients") or []
    if not recipients:
        return
    f = lay.font("regular", 14)
    if len(recipients) == 1:
        _paragraph(lay, {"text": f"Kính gửi: {recipients[0]}", "align": "center"}, "recipients",
                   x0=lay.left + lay.mm(10), x1=lay.right - lay.mm(10), after_pt=10)
        return
    x = lay.left + lay.mm(22)
    label = "Kính gửi:"
    lay.text(x, lay.y, label, f, "recipients")
    item_x = x + round(f.getlength(label + "  "))
    for item in recipients[:-1]:
        _paragraph(lay, {"text": f"- {item}", "align": "left", "indent": 0}, "recipients",
                   x0=item_x, x1=lay.right, after_pt=0, hanging_mm=2.5)
    _paragraph(lay, {"text": f"- {recipients[-1]}", "align": "left", "indent": 0}, "recipients",
               x0=item_x, x1=lay.right, after_pt=10, hanging_mm=2.5)
    del x


def _closing_height(lay: _Layout, doc: Document) -> int:
    cc = len(doc.get("cc") or [])
    left = round(12 * lay.dpi / 72 * 1.2) + cc * round(11 * lay.dpi / 72 * 1.25) * 2
    right = len(_signature_lines(doc)) * round(13.5 * lay.dpi / 72 * 1.2) + lay.mm(34)
    return max(left, right) + lay.mm(3)


def _closing(lay: _Layout, doc: Document, rng: np.random.Generator) -> None:
    """Nơi nhận on the left, signature block with seal and handwritten signature on the right."""
    if lay.y + _closing_height(lay, doc) > lay.bottom:
        lay.new_page()
    top = lay.y + lay.mm(2)
    # Nơi nhận
    y = top
    fh = lay.font("bolditalic", 12)
    lay.text(lay.left, y, "Nơi nhận:", fh, "cc")
    y += round(12 * lay.dpi / 72 * 1.2)
    x1 = lay.left + lay.mm(72)
    saved = lay.y
    lay.y = y
    for item in doc.get("cc") or []:
        _paragraph(lay, {"text": f"- {item}", "align": "left", "indent": 0}, "cc", size=11,
                   x0=lay.left, x1=x1, spacing=1.15, after_pt=0, hanging_mm=2)
    lay.y = saved
    # signature
    cx = lay.left + lay.mm(110)
    y = top
    fb = lay.font("bold", 13.5)
    step = round(13.5 * lay.dpi / 72 * 1.2)
    for text in _signature_lines(doc):
        lay.centered(cx, y, text, fb, "signature")
        y += step
    gap_top = y
    y += lay.mm(30)
    name = doc.get("signature")["name"]
    name_w = lay.centered(cx, y, name, fb, "signature")
    gap_mid = (gap_top + y) // 2 + lay.mm(2)
    lay.page.ops.append(_Op("signature", (cx, gap_mid, max(name_w, lay.mm(30)), int(rng.integers(1 << 30)))))
    seal_text = doc.get("seal_text") or " ".join(doc.get("issuer_lines"))
    lay.page.ops.append(_Op("seal", (cx - lay.mm(17), gap_mid - lay.mm(1), lay.mm(19), seal_text,
                                     doc.get("seal_center", ""))))


def _layout(doc: Document, dpi: int, family: str = DEFAULT_FAMILY) -> _Layout:
    lay = _Layout(dpi, family)
    rng = np.random.default_rng(zlib.crc32(doc.name.encode()))
    if doc.get("header", True):
        _header(lay, doc)
    _title(lay, doc)
    _recipients(lay, doc)
    for para in doc.get("body"):
        _paragraph(lay, para)
    _closing(lay, doc, rng)
    return lay


# --------------------------------------------------------------------------- drawing


def _draw_seal(page: Image.Image, cx: int, cy: int, radius: int, text: str, center: str, dpi: int) -> None:
    """Red round seal: two rings, the issuer's name around, a star in the middle; multiplied like ink."""
    size = 2 * radius + 8
    mask = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(mask)
    c = size // 2
    ring = max(2, round(radius * 0.045))
    d.ellipse((c - radius, c - radius, c + radius, c + radius), outline=255, width=ring)
    inner = round(radius * 0.70)
    d.ellipse((c - inner, c - inner, c + inner, c + inner), outline=255, width=max(1, ring // 2))
    # star
    star_r = radius * 0.26
    pts = []
    for k in range(10):
        r = star_r if k % 2 == 0 else star_r * 0.4
        a = -math.pi / 2 + k * math.pi / 5
        pts.append((c + r * math.cos(a), c - star_r * 0.25 + r * math.sin(a)))
    d.polygon(pts, fill=255)
    if center:
        fc = font("bold", max(8, round(radius * 0.14)))
        w = fc.getlength(center)
        d.text((c - w / 2, c + star_r * 0.55), center, font=fc, fill=255)
    # curved text between the rings, centred on the top
    f = font("bold", max(8, round(radius * 0.16)))
    text_r = (radius + inner) / 2 - radius * 0.06
    widths = [f.getlength(ch) for ch in text]
    spacing = f.getlength(" ") * 0.25
    total = sum(widths) + spacing * (len(text) - 1)
    span = min(total / text_r, math.radians(300))
    scale = span / (total / text_r)
    angle = -math.pi / 2 - span / 2
    asc, desc = f.getmetrics()
    for ch, w in zip(text, widths, strict=True):
        step = (w + spacing) / text_r * scale
        mid = angle + (w / text_r * scale) / 2
        if ch.strip():
            glyph = Image.new("L", (round(w) + 4, asc + desc + 4), 0)
            ImageDraw.Draw(glyph).text((2, 2), ch, font=f, fill=255)
            rotated = glyph.rotate(-math.degrees(mid) - 90, resample=Image.BICUBIC, expand=True)
            gx = c + text_r * math.cos(mid) - rotated.width / 2
            gy = c + text_r * math.sin(mid) - rotated.height / 2
            mask.paste(255, (round(gx), round(gy)), rotated)
        angle += step
    # uneven stamping pressure
    rng = np.random.default_rng(zlib.crc32(text.encode()))
    pressure = rng.uniform(0.55, 1.0, (8, 8)).astype(np.float32)
    pressure_img = Image.fromarray((pressure * 255).astype(np.uint8)).resize((size, size), Image.BICUBIC)
    alpha = (np.asarray(mask, np.float32) / 255) * (np.asarray(pressure_img, np.float32) / 255) * 0.9
    _multiply_ink(page, alpha, SEAL_RED, cx - c, cy - c)


def _multiply_ink(page: Image.Image, alpha: np.ndarray, color: tuple[int, int, int], x: int, y: int) -> None:
    """Lay translucent ink over what is printed, as a stamp does (darker where both overlap)."""
    h, w = alpha.shape
    region = np.asarray(page.crop((x, y, x + w, y + h)), np.float32)
    tint = np.array(color, np.float32) / 255
    out = region * (1 - alpha[..., None] + alpha[..., None] * tint)
    page.paste(Image.fromarray(out.clip(0, 255).astype(np.uint8)), (x, y))


def _draw_signature(page: Image.Image, cx: int, cy: int, width: int, seed: int, dpi: int) -> None:
    """A quick handwritten flourish in ballpoint blue: a smooth random curve plus an underline."""
    rng = np.random.default_rng(seed)
    n = 9
    xs = np.linspace(cx - width * 0.45, cx + width * 0.45, n) + rng.normal(0, width * 0.03, n)
    ys = cy + rng.normal(0, dpi * 0.09, n) * np.array([1 if i % 2 else -1 for i in range(n)])
    t = np.linspace(0, n - 1, 240)
    px = np.interp(t, np.arange(n), xs) + np.sin(t * 2.7) * dpi * 0.05
    py = np.interp(t, np.arange(n), ys) + np.cos(t * 3.1) * dpi * 0.06
    layer = Image.new("L", page.size, 0)
    d = ImageDraw.Draw(layer)
    pen = max(2, round(dpi / 300 * 5))
    d.line(list(zip(px.tolist(), py.tolist(), strict=True)), fill=255, width=pen, joint="curve")
    ux0, ux1 = cx - width * 0.35, cx + width * 0.5
    uy = cy + dpi * 0.16
    d.line([(ux0, uy + dpi * 0.02), ((ux0 + ux1) / 2, uy), (ux1, uy - dpi * 0.03)], fill=255,
           width=max(1, pen - 1), joint="curve")
    box = layer.getbbox()
    if box is None:
        return
    alpha = np.asarray(layer.crop(box), np.float32) / 255 * 0.95
    _multiply_ink(page, alpha, SIGNATURE_BLUE, box[0], box[1])


def _draw(lay: _Layout) -> list[Image.Image]:
    images = []
    for page in lay.pages:
        img = Image.new("RGB", (lay.width, lay.height), (255, 255, 255))
        d = ImageDraw.Draw(img)
        for op in page.ops:
            if op.kind == "text":
                x, y, text, f = op.args
                d.text((x, y), text, font=f, fill=op.color)
            elif op.kind == "line":
                x0, y0, x1, y1, w = op.args
                d.line((x0, y0, x1, y1), fill=op.color, width=w)
            elif op.kind == "rect":
                x0, y0, x1, y1, w = op.args
                d.rectangle((x0, y0, x1, y1), outline=op.color, width=w)
        for op in page.ops:  # ink goes on after the print
            if op.kind == "signature":
                cx, cy, width, seed = op.args
                _draw_signature(img, cx, cy, width, seed, lay.dpi)
        for op in page.ops:
            if op.kind == "seal":
                cx, cy, radius, text, center = op.args
                _draw_seal(img, cx, cy, radius, text, center, lay.dpi)
        images.append(img)
    return images


def render_document(doc: Document, dpi: int = 300, family: str = DEFAULT_FAMILY) -> list[Image.Image]:
    """Clean A4 RGB pages of the document at ``dpi``, set in one of ``FAMILIES``."""
    return _draw(_layout(doc, dpi, family))


def page_blocks(doc: Document, dpi: int = 300) -> list[tuple[TextBlock, ...]]:
    """Ground-truth blocks per page, in reading order, with boxes in pixels of the clean page."""
    rank = {"page_number": 0, "header_left": 1, "header_right": 2, "title": 3, "recipients": 4, "body": 5,
            "cc": 6, "signature": 7}
    public = {"page_number": "other", "cc": "other"}  # kinds outside BLOCK_KINDS
    out = []
    for page in _layout(doc, dpi).pages:
        merged: dict[str, tuple[list[str], list[int]]] = {}
        for kind, lines, box in page.blocks:
            if kind in merged:  # a block interrupted by another column, e.g. Nơi nhận beside the signature
                old_lines, old_box = merged[kind]
                old_lines.extend(lines)
                old_box[:] = [min(old_box[0], box[0]), min(old_box[1], box[1]),
                              max(old_box[2], box[2]), max(old_box[3], box[3])]
            else:
                merged[kind] = (list(lines), list(box))
        out.append(tuple(
            TextBlock(public.get(kind, kind), "\n".join(lines), Box(b[0], b[1], b[2] - b[0], b[3] - b[1]))
            for kind, (lines, b) in sorted(merged.items(), key=lambda item: rank[item[0]])
        ))
    return out


def page_texts(doc: Document) -> list[str]:
    """Ground-truth text of each page: blocks in reading order separated by blank lines."""
    return ["\n\n".join(b.text for b in blocks if b.text) for blocks in page_blocks(doc)]


# --------------------------------------------------------------------------- expected fields


def _entry(text: str) -> str:
    return _collapse(text).rstrip(";.").strip()


def _reference(ref: dict[str, Any]) -> dict[str, Any]:
    """A cited document as the source states it, completed to the ``Reference`` record: its family and
    key follow from the number and symbol (``pipeline.citation``), unless the source states them."""
    number, symbol = ref.get("number"), ref.get("symbol")
    derived = {
        "family": reference_family(number, symbol) or ("law" if ref.get("doc_type") in NAMED_LAWS else None),
        "key": reference_key(f"{number}/{symbol}") if number and symbol else None,
    }
    return Reference(**{**derived, **ref}).to_json()


NAMED_LAWS = ("Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp")


def document_fields(doc: Document) -> dict[str, Any]:
    """Expected fields in the ``Fields.to_json()`` schema, derived from the same source as the page."""
    day, month, year = doc.get("day"), doc.get("month"), doc.get("year")
    subject = _collapse(doc.get("subject"))
    subject = re.sub(r"^V/v\s+", "", subject).rstrip(".")
    sig = doc.get("signature")
    return {
        "number": doc.get("number") or None,
        "symbol": doc.get("symbol"),
        "doc_type": doc.get("doc_type"),
        "issuer": doc.get("issuer"),
        "parent_issuer": doc.get("parent_issuer"),
        "place": doc.get("place"),
        "date": f"{year:04d}-{month:02d}-{day:02d}" if day and month else None,
        "date_year": year,
        "subject": subject,
        "recipients": [_entry(r) for r in doc.get("recipients") or []],
        "cc": [_entry(c) for c in doc.get("cc") or []],
        "references": [_reference(r) for r in doc.get("references") or []],
        "deadlines": [dict(d) for d in doc.get("deadlines") or []],
        "signer": {"name": sig["name"], "title": sig.get("title"), "authority": sig.get("authority"),
                   "on_behalf_of": sig.get("on_behalf_of")},
        "urgency": doc.get("urgency"),
        "secrecy": doc.get("secrecy"),
    }


# --------------------------------------------------------------------------- degradations


def _paper(arr: np.ndarray) -> np.ndarray:
    return arr.astype(np.float32)


def _faint(arr: np.ndarray, rng: np.random.Generator, dpi: int, info: dict) -> np.ndarray:
    strength = float(rng.uniform(0.38, 0.5))
    info["faint"] = round(strength, 3)
    h, w = arr.shape[:2]
    wear = np.asarray(Image.fromarray((rng.uniform(0.75, 1.0, (6, 4)) * 255).astype(np.uint8))
                      .resize((w, h), Image.BICUBIC), np.float32) / 255
    return 255 - (255 - arr) * (strength * wear)[..., None]


def _yellow(arr: np.ndarray, rng: np.random.Generator, dpi: int, info: dict) -> np.ndarray:
    h, w = arr.shape[:2]
    tone = np.array([rng.uniform(238, 248), rng.uniform(226, 236), rng.uniform(186, 204)], np.float32) / 255
    theta = rng.uniform(0, 2 * math.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ramp = (xx / w - 0.5) * math.cos(theta) + (yy / h - 0.5) * math.sin(theta)
    light = 1.0 - float(rng.uniform(0.12, 0.2)) * (ramp + 0.5)
    blotch = np.asarray(Image.fromarray((rng.uniform(0.93, 1.0, (5, 4)) * 255).astype(np.uint8))
                        .resize((w, h), Image.BICUBIC), np.float32) / 255
    return arr * tone * (light * blotch)[..., None]


def _punch_holes(arr: np.ndarray, rng: np.random.Generator, dpi: int, info: dict) -> np.ndarray:
    img = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    d = ImageDraw.Draw(img)
    r = round(3 / 25.4 * dpi)
    x = round(rng.uniform(9, 13) / 25.4 * dpi)
    cy = img.height // 2 + round(rng.uniform(-8, 8) / 25.4 * dpi)
    for dy in (-40, 40):
        y = cy + round(dy / 25.4 * dpi)
        d.ellipse((x - r, y - r, x + r, y + r), fill=(38, 38, 40))
    return np.asarray(img, np.float32)


def _skew(arr: np.ndarray, rng: np.random.Generator, dpi: int, info: dict) -> np.ndarray:
    angle = float(rng.uniform(1.0, 4.0)) * (1 if rng.random() < 0.5 else -1)
    info["skew"] = round(angle, 2)
    img = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
    out = img.rotate(info["skew"], resample=Image.BICUBIC, expand=False, fillcolor=(250, 250, 250))
    return np.asarray(out, np.float32)


def _borders(arr: np.ndarray, rng: np.random.Generator, dpi: int, info: dict) -> np.ndarray:
    h, w = arr.shape[:2]
    out = arr.copy()
    sides = ["left", "right", "top", "bottom"]
    chosen = [s for s in sides if rng.random() < 0.7] or ["left", "bottom"]
    for side in chosen:
        depth = round(rng.uniform(3, 9) / 25.4 * dpi)
        shade = np.linspace(25, 90, depth, dtype=np.float32)  # darkest at the very edge
        if side == "left":
            out[:, :depth] = np.minimum(out[:, :depth], shade[None, :, None])
        elif side == "right":
            out[:, w - depth:] = np.minimum(out[:, w - depth:], shade[::-1][None, :, None])
        elif side == "top":
            out[:depth] = np.minimum(out[:depth], shade[:, None, None])
        else:
            out[h - depth:] = np.minimum(out[h - depth:], shade[::-1][:, None, None])
    info["borders"] = chosen
    return out


def _rotate(turn: int):
    def apply(arr: np.ndarray, rng: np.random.Generator, dpi: int, info: dict) -> np.ndarray:
        info["rotation"] = (info["rotation"] + turn) % 360
        # the scan is turned counter-clockwise by `turn`; turning it clockwise by as much restores it
        return np.ascontiguousarray(np.rot90(arr, k=turn // 90))
    return apply


def _blur(arr: np.ndarray, rng: np.random.Generator, dpi: int, info: dict) -> np.ndarray:
    radius = float(rng.uniform(1.3, 1.9)) * dpi / 300
    info["blur"] = round(radius, 2)
    img = Image.fromarray(arr.clip(0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(radius))
    return np.asarray(img, np.float32)


def _noise(arr: np.ndarray, rng: np.random.Generator, dpi: int, info: dict) -> np.ndarray:
    h, w = arr.shape[:2]
    sigma = float(rng.uniform(9, 14))
    out = arr + rng.normal(0, sigma, (h, w, 1)).astype(np.float32)
    count = int(h * w * 4e-4)
    ys, xs = rng.integers(0, h - 3, count), rng.integers(0, w - 3, count)
    sizes = rng.integers(1, 4, count)
    for y, x, s in zip(ys.tolist(), xs.tolist(), sizes.tolist(), strict=True):
        out[y:y + s, x:x + s] = rng.uniform(10, 70)
    info["noise"] = round(sigma, 2)
    return out


def _jpeg(arr: np.ndarray, rng: np.random.Generator, dpi: int, info: dict) -> np.ndarray:
    quality = int(rng.integers(15, 26))
    buf = io.BytesIO()
    Image.fromarray(arr.clip(0, 255).astype(np.uint8)).save(buf, "JPEG", quality=quality)
    info["jpeg_quality"] = quality
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"), np.float32)


_STEPS = {
    "faint": _faint, "yellow": _yellow, "punch_holes": _punch_holes, "skew": _skew, "borders": _borders,
    "rotate90": _rotate(90), "rotate180": _rotate(180), "blur": _blur, "noise": _noise, "jpeg": _jpeg,
}


def degrade(image: Image.Image, degradations: Sequence[str], seed: int, dpi: int = 300
            ) -> tuple[Image.Image, dict[str, Any]]:
    """Apply the named degradations (in their fixed physical order) to a clean page."""
    unknown = [d for d in degradations if d not in DEGRADATIONS]
    if unknown:
        raise ValueError(f"unknown degradation(s) {unknown}; known: {', '.join(DEGRADATIONS)}")
    wanted = [d for d in DEGRADATIONS if d in degradations]
    info: dict[str, Any] = {"degradations": wanted, "skew": 0.0, "rotation": 0, "dpi": dpi}
    arr = _paper(np.asarray(image.convert("RGB")))
    for name in wanted:
        rng = np.random.default_rng([seed, zlib.crc32(name.encode())])
        if name in ("dpi150", "dpi200"):
            target = 150 if "dpi150" in wanted else 200
            if target < info["dpi"]:
                h, w = arr.shape[:2]
                scale = target / info["dpi"]
                img = Image.fromarray(arr.clip(0, 255).astype(np.uint8))
                img = img.resize((round(w * scale), round(h * scale)), Image.LANCZOS)
                arr = np.asarray(img, np.float32)
                info["dpi"] = target
            continue
        arr = _STEPS[name](arr, rng, info["dpi"], info)
    return Image.fromarray(arr.clip(0, 255).round().astype(np.uint8)), info
