"""What the document page shows of one archived page: its words, their marks and their boxes.

The archive keeps per page the OCR words (raw text, box on the cleaned image, confidence, block and
line) and each word's restored form. From those this module finds
- each word's span in the restored page text (to replace a corrected word in it),
- the words a field's provenance points at (page, block kind, span in that block's restored text),
- the alternatives restoration weighed for each word (restoration is re-run on the raw block text,
  which is deterministic; the archive does not store alternatives),
- where a word's box lies on an image of the original page, through the page geometry stored at
  ingest (``PageGeometry``: the turn and scale cleanup applied), using the export's own turn.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import regex
from rapidfuzz import fuzz

from pipeline.archive import QueryError, StoredDocument
from pipeline.archive.query import Phrase, parse_query, phrases
from pipeline.export.pdf import _inverse, _mul, _scale, _turn
from pipeline.types import Box, Fields, PageRecord, Provenance, RestoredToken
from pipeline.vietnamese import WORD_RE, fold_lower
from pipeline.web.store import Correction

LOW_CONFIDENCE = 60.0  # Tesseract word confidence below which a word is marked for review (as the HTML report)


@dataclass(frozen=True)
class WordView:
    index: int  # position in the page's words
    text: str  # restored (or corrected) form
    original: str  # as OCR read it
    confidence: float
    block: int
    line: int
    alternatives: tuple[str, ...] = ()
    flagged: bool = False  # restoration doubted it

    @property
    def changed(self) -> bool:
        return self.text != self.original

    @property
    def low(self) -> bool:
        return self.flagged or 0 <= self.confidence < LOW_CONFIDENCE


def block_texts(page: PageRecord, restored: bool = True) -> list[tuple[int, str, list[int]]]:
    """(block number, text, word indices) of each block that has words, in reading order, the text
    rebuilt as OCR wrote it (words of a line joined by spaces, lines by newlines)."""
    blocks: dict[int, list[int]] = {}
    for i, w in enumerate(page.words):
        blocks.setdefault(w.block, []).append(i)
    out = []
    for number in sorted(blocks):
        parts: list[str] = []
        line = None
        for i in blocks[number]:
            w = page.words[i]
            if line is not None:
                parts.append(" " if w.line == line else "\n")
            line = w.line
            parts.append(page.restored_words[i] if restored else w.text)
        out.append((number, "".join(parts), blocks[number]))
    return out


def word_spans(text: str, words: Sequence[str]) -> list[tuple[int, int] | None]:
    """Each word's span in ``text``, found in order (None for one that is not there)."""
    out: list[tuple[int, int] | None] = []
    pos = 0
    for word in words:
        start = text.find(word, pos) if word else -1
        if start < 0:
            out.append(None)
            continue
        out.append((start, start + len(word)))
        pos = start + len(word)
    return out


def replace_word(page: PageRecord, index: int, new: str) -> PageRecord:
    """The page with word ``index``'s restored form replaced, in ``restored_words`` and in the
    restored text (ValueError when the word cannot be placed in it)."""
    spans = word_spans(page.restored_text, page.restored_words)
    span = spans[index]
    if span is None:
        raise ValueError(f"word {index + 1} of page {page.index + 1} is not in the page's restored text")
    text = page.restored_text[: span[0]] + new + page.restored_text[span[1] :]
    words = (*page.restored_words[:index], new, *page.restored_words[index + 1 :])
    return replace(page, restored_text=text, restored_words=words)


@functools.lru_cache(maxsize=256)
def _restoration(raw_blocks: tuple[tuple[str, tuple[tuple[str, float], ...]], ...]) -> tuple[tuple[RestoredToken, ...], ...]:  # noqa: E501
    from pipeline.restore import restore
    from pipeline.types import OcrWord

    out = []
    for text, words in raw_blocks:
        ocr_words = [OcrWord(t, Box(0, 0, 0, 0), c, 0, 0) for t, c in words]
        out.append(restore(text, words=ocr_words).tokens)
    return tuple(out)


def word_views(page: PageRecord, alternatives: bool = True) -> list[WordView]:
    """Every word of the page with its restored form, original, confidence and, with
    ``alternatives``, what restoration weighed and whether it doubted the word."""
    alts: dict[int, tuple[tuple[str, ...], bool]] = {}
    if alternatives and page.words:
        raw = block_texts(page, restored=False)
        key = tuple((text, tuple((page.words[i].text, page.words[i].confidence) for i in idx)) for _, text, idx in raw)
        for (_, text, idx), tokens in zip(raw, _restoration(key), strict=True):
            spans = word_spans(text, [page.words[i].text for i in idx])
            for i, span in zip(idx, spans, strict=True):
                if span is None:
                    continue
                inside = [t for t in tokens if t.start < span[1] and t.end > span[0]]
                names = tuple(dict.fromkeys(a.text for t in inside for a in t.alternatives if a.text != t.restored))
                alts[i] = (names[:5], any(t.flagged for t in inside))
    return [
        WordView(i, page.restored_words[i], w.text, w.confidence, w.block, w.line, *alts.get(i, ((), False)))
        for i, w in enumerate(page.words)
    ]


def query_words(wanted: Sequence[Phrase]) -> tuple[frozenset[str], tuple[str, ...]]:
    """Folded words and folded prefixes that mark a word as a search hit."""
    words = {w for p in wanted for w in p.folded[: len(p.folded) - p.prefix]}
    prefixes = tuple(p.folded[-1] for p in wanted if p.prefix)
    return frozenset(words), prefixes


def is_hit(text: str, words: frozenset[str], prefixes: tuple[str, ...]) -> bool:
    for part in WORD_RE.findall(fold_lower(text)):
        if part in words or (prefixes and part.startswith(prefixes)):
            return True
    return False


def field_words(page: PageRecord, prov: Provenance, value: str) -> list[int]:
    """The words a field was read from: the provenance span in the block of its kind whose text at
    that span looks most like the value (the archive keeps block texts, not block kinds)."""
    if not page.words or prov.end <= prov.start:
        return []
    best: tuple[float, list[int]] = (-1.0, [])
    for _, text, idx in block_texts(page):
        if prov.end > len(text):
            continue
        score = fuzz.partial_ratio(fold_lower(value), fold_lower(text[prov.start : prov.end]))
        if score > best[0]:
            spans = word_spans(text, [page.restored_words[i] for i in idx])
            inside = [i for i, s in zip(idx, spans, strict=True) if s and s[0] < prov.end and s[1] > prov.start]
            best = (score, inside)
    return best[1]


def field_text(fields: Fields, name: str) -> str:
    """A field's value as text to compare with the page (a date as the page prints it)."""
    value = getattr(fields, name, None)
    if name == "date" and isinstance(value, str) and len(value) == 10:
        y, m, d = value.split("-")
        return f"ngày {int(d)} tháng {int(m)} năm {y}"
    if name == "signer" and value is not None:
        return value.name or ""
    return value if isinstance(value, str) else ""


Point = tuple[float, float]


@dataclass(frozen=True)
class Frame:
    """The original page as displayed, in the cleaned page's pixel units (``width`` x ``height``),
    and the map from a box on the cleaned page to its corners there."""

    width: float
    height: float
    matrix: tuple[float, float, float, float, float, float]

    def corners(self, box: Box) -> list[Point]:
        a, b, c, d, e, f = self.matrix
        pts = ((box.left, box.top), (box.right, box.top), (box.right, box.bottom), (box.left, box.bottom))
        return [(a * x + c * y + e, b * x + d * y + f) for x, y in pts]

    def turned(self, turn: int) -> Frame:
        """The same frame on the original turned clockwise by ``turn`` (0, 90, 180, 270) degrees."""
        w, h = self.width, self.height
        quarter = {0: ((1.0, 0.0, 0.0, 1.0, 0.0, 0.0), w, h), 90: ((0.0, 1.0, -1.0, 0.0, h, 0.0), h, w),
                   180: ((-1.0, 0.0, 0.0, -1.0, w, h), w, h), 270: ((0.0, -1.0, 1.0, 0.0, 0.0, w), h, w)}  # fmt: skip
        matrix, width, height = quarter[turn % 360]
        return Frame(width, height, _mul(matrix, self.matrix))


def upright_turn(page: PageRecord) -> int:
    """The quarter turn (clockwise) that cleanup gave the page to make it upright."""
    return page.geometry.rotation % 360 if page.geometry is not None else 0


def frame(page: PageRecord) -> Frame | None:
    """Where the page's word boxes lie on its original, from the stored geometry alone: cleanup
    turned the original (w x h) by rotation + skew onto a grown canvas the size of the cleaned
    page, so w and h solve canvas = [[cos, sin], [sin, cos]] (w, h). None without a page size."""
    if not page.width or not page.height:
        return None
    g = page.geometry
    if g is None or not (g.rotation or g.skew):
        return Frame(page.width, page.height, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    quarter = 90 if (-g.rotation) % 360 in (90, 270) else 0
    angle = math.radians(quarter - g.skew)
    c, s = abs(math.cos(angle)), abs(math.sin(angle))
    det = c * c - s * s
    if abs(det) < 1e-6:
        return Frame(page.width, page.height, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    w = (c * page.width - s * page.height) / det
    h = (c * page.height - s * page.width) / det
    turn = _turn(w, h, g.rotation, g.skew)
    to_canvas = _scale(turn.width / page.width, turn.height / page.height)
    return Frame(w, h, _mul(_inverse(turn.matrix), to_canvas))


# -- the whole view of one page ---------------------------------------------------------------------
@dataclass(frozen=True)
class Mark:
    """How the text panel shows one word."""

    classes: str
    tip: str  # hover text: OCR form, alternatives, confidence, who corrected it
    deadline_starts: int | None  # the number of a deadline whose sentence starts at this word


@dataclass(frozen=True)
class PageView:
    page: PageRecord
    words: list[WordView]
    lines: list[list[list[WordView]]]  # blocks of lines of words, in reading order
    hits: frozenset[int]  # words matching the search
    marks: dict[int, Mark]
    frame: Frame | None  # where boxes go on the image (None: no page size stored)
    turn: int  # clockwise quarter turn of the image shown (a sideways scan shown upright)
    sideways: bool  # the scan is not upright as stored
    boxes: dict[str, list[int]]  # field -> the words it was read from, on this page
    text_parts: list[tuple[str, bool]]  # a page without word boxes: (piece, is a hit)


def build(doc: StoredDocument, index: int, q: str, fixed: dict[str, Correction], upright: bool = True) -> PageView:
    """Everything the document page shows of page ``index`` for a search ``q``."""
    page = doc.pages[index]
    try:
        wanted = phrases(parse_query(q))
    except QueryError:
        wanted = []
    words, prefixes = query_words(wanted)
    views = word_views(page)
    hits = frozenset(v.index for v in views if is_hit(v.text, words, prefixes) or is_hit(v.original, words, prefixes))
    sideways = upright_turn(page) != 0
    turn = upright_turn(page) if upright else 0
    shown = frame(page)
    if shown is not None and turn:
        shown = shown.turned(turn)
    boxes = {}
    for name, prov in doc.fields.provenance.items():
        value = field_text(doc.fields, name)
        if prov.page == page.index and value:
            boxes[name] = field_words(page, prov, value)
    marks = _marks(views, hits, fixed, index, _deadline_words(doc, page))
    parts = [] if page.words else _text_parts(page.restored_text, words, prefixes)
    return PageView(page, views, _lines(views), hits, marks, shown, turn, sideways, boxes, parts)


def _marks(views: list[WordView], hits: frozenset[int], fixed: dict[str, Correction], index: int,
           deadlines: dict[int, int]) -> dict[int, Mark]:  # fmt: skip
    out = {}
    for v in views:
        fix = fixed.get(f"word:{index}:{v.index}")
        classes = ["w"]
        tips = []
        if v.index in hits:
            classes.append("hit")
        if v.changed:
            classes.append("chg")
            tips.append(f"OCR: {v.original}")
        if v.alternatives:
            tips.append("phương án khác: " + ", ".join(v.alternatives))
        if v.low:
            classes.append("low")
            if v.confidence >= 0:
                tips.append(f"độ tin cậy OCR {v.confidence:.0f}")
        if fix:
            classes.append("fixed")
            tips.append(f"sửa bởi {fix.user_name}, máy đọc: {fix.machine or ''}")
        deadline = deadlines.get(v.index)
        if deadline is not None:
            classes.append("deadline")
        starts = deadline if deadline is not None and deadlines.get(v.index - 1) != deadline else None
        out[v.index] = Mark(" ".join(classes), "; ".join(tips), starts)
    return out


def _lines(views: list[WordView]) -> list[list[list[WordView]]]:
    blocks: list[list[list[WordView]]] = []
    key = None
    for v in views:
        if key is None or v.block != key[0]:
            blocks.append([[]])
        elif v.line != key[1]:
            blocks[-1].append([])
        blocks[-1][-1].append(v)
        key = (v.block, v.line)
    return blocks


def _text_parts(text: str, words: frozenset[str], prefixes: tuple[str, ...]) -> list[tuple[str, bool]]:
    out = []
    pos = 0
    for m in regex.finditer(r"[^\W_]+", text):
        if is_hit(m.group(), words, prefixes):
            out += [(text[pos : m.start()], False), (m.group(), True)]
            pos = m.end()
    out.append((text[pos:], False))
    return out


def deadline_page(doc: StoredDocument, number: int) -> int:
    """The index of the page whose text holds deadline ``number``'s sentence (0 when not found)."""
    if not 0 <= number < len(doc.fields.deadlines):
        return 0
    probe = " ".join(fold_lower(doc.fields.deadlines[number].text).split())[:60]
    texts = [" ".join(fold_lower(p.restored_text).split()) for p in doc.pages]
    return next((i for i, text in enumerate(texts) if probe and probe in text), 0)


def _deadline_words(doc: StoredDocument, page: PageRecord) -> dict[int, int]:
    """Word index -> deadline number, for the words of each deadline sentence on this page."""
    out: dict[int, int] = {}
    folded = [fold_lower(w) for w in page.restored_words]
    for k, d in enumerate(doc.fields.deadlines):
        target = fold_lower(d.text).split()
        n = len(target)
        for i in range(len(folded) - n + 1):
            if n and folded[i : i + n] == target:
                out.update({j: k for j in range(i, i + n)})
                break
    return out
