"""The dataclasses that stages pass to each other.

Data flows one way: ``ingest`` -> ``PageImage`` -> ``image`` -> ``CleanPage`` -> ``ocr`` -> ``OcrPage``
-> ``restore`` -> ``RestoredText`` -> ``extract`` -> ``Fields`` -> ``archive`` (``DocumentRecord``).
Everything a worker process returns is picklable.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

# Layout block kinds, in the order a reader meets them on the first page.
BLOCK_KINDS = ("header_left", "header_right", "title", "body", "recipients", "signature", "other")


@dataclass(frozen=True, slots=True)
class Box:
    """Axis-aligned box in pixels of the page image it belongs to."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass(frozen=True)
class PageImage:
    """One rasterised page as it came from the source file."""

    source: str
    index: int  # 0-based page number within the source file
    image: np.ndarray  # uint8, grayscale (H, W) or BGR (H, W, 3)
    dpi: int


@dataclass(frozen=True)
class Block:
    """A layout region of a page; ``kind`` is one of ``BLOCK_KINDS``."""

    kind: str
    box: Box


@dataclass(frozen=True, slots=True)
class PageGeometry:
    """How a cleaned page image (the one OCR boxes refer to) was made from the source page: turned
    clockwise by ``rotation`` (0, 90, 180, 270) plus ``skew`` degrees about its centre on a canvas
    grown to hold it all, then resampled by ``scale`` (cleaned pixels per source pixel) to ``dpi``.
    Stored per page so exports can put text on the original without redoing the cleanup."""

    rotation: int = 0
    skew: float = 0.0
    scale: float = 1.0
    dpi: int = 300


@dataclass(frozen=True)
class CleanPage:
    """A page ready for OCR, with its layout blocks in reading order."""

    index: int
    image: np.ndarray  # uint8 grayscale, what Tesseract should see
    dpi: int
    blocks: tuple[Block, ...] = ()
    rotation: int = 0  # degrees clockwise applied to make the page upright
    skew: float = 0.0  # degrees of deskew applied
    timings: dict[str, float] = field(default_factory=dict)  # step name -> seconds
    ink_layer: np.ndarray | None = None  # removed colour ink (seal, signature), if kept
    scale: float = 1.0  # pixels of ``image`` per pixel of the source page (upscaling)

    @property
    def geometry(self) -> PageGeometry:
        return PageGeometry(self.rotation, self.skew, self.scale, self.dpi)


@dataclass(frozen=True, slots=True)
class OcrWord:
    text: str
    box: Box
    confidence: float  # 0..100 as Tesseract reports it
    block: int  # index into OcrPage.blocks
    line: int  # line number within the page, in reading order


@dataclass(frozen=True)
class TextBlock:
    """Text of one layout block; ``box`` is None for text that has no geometry (text files)."""

    kind: str
    text: str
    box: Box | None = None


@dataclass(frozen=True)
class OcrPage:
    index: int
    blocks: tuple[TextBlock, ...]
    words: tuple[OcrWord, ...]
    source: str  # "ocr" or "text-layer"
    seconds: float = 0.0  # OCR engine time
    timings: dict[str, float] = field(default_factory=dict)  # cleanup steps, copied from CleanPage
    width: int = 0  # size of the image the boxes refer to
    height: int = 0
    dpi: int = 300
    geometry: PageGeometry | None = None  # None: no image was cleaned (a PDF's own text layer)

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks if b.text)

    @property
    def mean_confidence(self) -> float:
        scored = [w.confidence for w in self.words if w.confidence >= 0]
        return sum(scored) / len(scored) if scored else 0.0


@dataclass(frozen=True)
class Alternative:
    text: str
    probability: float


@dataclass(frozen=True)
class RestoredToken:
    """One token of the input; ``start``/``end`` are character offsets into the original text."""

    original: str
    restored: str
    start: int
    end: int
    probability: float
    alternatives: tuple[Alternative, ...] = ()
    flagged: bool = False  # low confidence: a reviewer should look

    @property
    def changed(self) -> bool:
        return self.original != self.restored


@dataclass(frozen=True)
class RestoredText:
    original: str
    text: str
    tokens: tuple[RestoredToken, ...]

    @property
    def changes(self) -> tuple[RestoredToken, ...]:
        return tuple(t for t in self.tokens if t.changed)


@dataclass(frozen=True)
class PageText:
    """A page's text, block by block, as the field extractor reads it."""

    index: int
    blocks: tuple[TextBlock, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks if b.text)


@dataclass(frozen=True)
class Provenance:
    """Where a field value was read: page, block kind and character span in that block's text."""

    page: int
    block: str
    start: int
    end: int
    confidence: float


@dataclass
class Fields:
    """Formal fields of a document (Nghị định 30/2020/NĐ-CP); ``to_json`` is the contract."""

    number: str | None = None
    symbol: str | None = None
    doc_type: str | None = None
    issuer: str | None = None
    parent_issuer: str | None = None
    place: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    date_year: int | None = None
    subject: str | None = None
    recipients: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    references: list[dict[str, Any]] = field(default_factory=list)
    deadlines: list[dict[str, Any]] = field(default_factory=list)
    signer: dict[str, Any] | None = None
    urgency: str | None = None
    secrecy: str | None = None
    provenance: dict[str, Provenance] = field(default_factory=dict)

    def to_json(self, with_provenance: bool = False) -> dict[str, Any]:
        data = asdict(self)
        prov = data.pop("provenance")
        if with_provenance:
            data["provenance"] = prov
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fields:
        data = dict(data)
        prov = {k: Provenance(**v) for k, v in (data.pop("provenance", None) or {}).items()}
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known, provenance=prov)


@dataclass(frozen=True)
class PageRecord:
    """What the archive stores for one page."""

    index: int
    raw_text: str
    restored_text: str
    words: tuple[OcrWord, ...]
    restored_words: tuple[str, ...]  # restored form of each word in ``words`` (same length)
    mean_confidence: float
    source: str  # "ocr" or "text-layer"
    seconds: float
    width: int = 0
    height: int = 0
    geometry: PageGeometry | None = None  # how ``width`` x ``height`` was made from the source page


def readable_path(path: str) -> str:
    """A file path as UTF-8 text for people and JSON: the bytes of a name that is not UTF-8 (which
    Python holds as lone surrogates, ``os.fsdecode``) written as ``\\xNN``."""
    try:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # surrogates no file name decodes to
        return path.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass(frozen=True)
class DocumentRecord:
    """One source file, fully processed: the unit the archive commits in one transaction."""

    sha256: str
    path: str  # absolute path of the original file (the archive references, does not copy)
    size: int
    pages: tuple[PageRecord, ...]
    fields: Fields

    @property
    def shown_path(self) -> str:
        """``path`` as text to print: any file name, also one that is not UTF-8."""
        return readable_path(self.path)
