"""The dataclasses that stages pass to each other.

Data flows one way: ``ingest`` -> ``PageImage`` -> ``image`` -> ``CleanPage`` -> ``ocr`` -> ``OcrPage``
-> ``restore`` -> ``RestoredText`` -> ``extract`` -> ``Fields`` -> ``archive`` (``DocumentRecord``).
Everything a worker process returns is picklable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from dataclasses import fields as dataclass_fields
from typing import Any, Literal, get_args

import numpy as np

# Layout block kinds, in the order a reader meets them on the first page ("stamp": a boxed KHẨN / MẬT
# stamp, wherever it stands).
BLOCK_KINDS = ("header_left", "header_right", "title", "body", "recipients", "signature", "other", "stamp")

# Closed values. Where a page's text came from, and what ingest does with a PDF's text layer.
PageSource = Literal["ocr", "text-layer"]
TextLayerMode = Literal["auto", "force", "skip"]  # auto: use it when good; force: always OCR; skip: never OCR
# Stamps of Nghị định 30/2020/NĐ-CP (độ khẩn, độ mật).
Urgency = Literal["Khẩn", "Thượng khẩn", "Hỏa tốc"]
Secrecy = Literal["Mật", "Tối mật", "Tuyệt mật"]
URGENCIES: tuple[Urgency, ...] = get_args(Urgency)
SECRECIES: tuple[Secrecy, ...] = get_args(Secrecy)


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
    source: PageSource
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
    # Restoration read the text as legacy OCR (most words unreadable): the marks it wrote are
    # guesses from the letters, which later stages weigh (a listed family name may be wrong).
    damaged: bool = False

    @property
    def changes(self) -> tuple[RestoredToken, ...]:
        return tuple(t for t in self.tokens if t.changed)


@dataclass(frozen=True)
class PageText:
    """A page's text, block by block, as the field extractor reads it. ``damaged``: restored from
    legacy OCR (``RestoredText.damaged``), so its marks are guesses."""

    index: int
    blocks: tuple[TextBlock, ...]
    damaged: bool = False

    @property
    def text(self) -> str:
        return "\n\n".join(b.text for b in self.blocks if b.text)


@dataclass(frozen=True)
class Provenance:
    """Where a field value was read: page, block kind and character span in that block's text.

    ``guess`` marks a value inferred rather than read where the form puts it (an issuer named in the
    body of a page whose header is cut off): keep it for search, show it as uncertain.
    """

    page: int
    block: str
    start: int
    end: int
    confidence: float
    guess: bool = False


class _Record:
    """A frozen record of ``Fields``: its JSON object is its fields, in order."""

    def to_json(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclass_fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Any:
        """The record of a JSON object; keys this version does not know are dropped (newer archives)."""
        names = {f.name for f in dataclass_fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass(frozen=True)
class Reference(_Record):
    """A document cited by this one: 'Kế hoạch số 225/KH-UBND ngày 03/9/2025 của Ủy ban nhân dân thành phố'.

    ``number`` is the part before the first separator, ``symbol`` the rest ('15' and '2024/QĐ-UBND',
    '57' and 'NQ/TW'); a law cited by its name alone has neither, only ``title``. ``key`` is
    ``pipeline.citation.reference_key`` of the pair: what search and the archive compare.
    """

    doc_type: str | None = None
    number: str | None = None
    symbol: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd
    issuer: str | None = None
    title: str | None = None  # a law by its name: 'Luật Tổ chức chính quyền địa phương'
    family: Literal["state", "law", "party", "joint"] | None = None
    cited_in: Literal["basis", "body"] = "body"  # basis: a 'Căn cứ' line of the preamble
    key: str | None = None


@dataclass(frozen=True)
class Deadline(_Record):
    """A date by which something must be done, with the sentence that sets it."""

    date: str  # ISO yyyy-mm-dd
    text: str


@dataclass(frozen=True)
class Signer(_Record):
    """Who signed: 'Nguyễn Tùng Lâm', 'Phó Chủ tịch', authority 'KT. Chủ tịch', 'TM. Ủy ban nhân dân'."""

    name: str | None = None
    title: str | None = None
    authority: str | None = None  # KT. / TL. / TUQ. / Q. and the position signed for
    on_behalf_of: str | None = None  # TM. and the collective body


@dataclass(frozen=True)
class Entity(_Record):
    """A place or an issuing body, normalised against the gazetteer of administrative units (both the
    2025 map and the earlier one) or against the table of central bodies: what filters by issuer and
    by province compare."""

    name: str  # canonical: 'phường Kiến An', 'Ủy ban nhân dân phường Kiến An', 'Bộ Nội vụ'
    level: Literal["central", "province", "district", "commune"]
    code: str | None = None  # GSO code of its administrative unit ('11443'); None for central bodies
    parent: str | None = None  # the unit or body above it: 'thành phố Hải Phòng', 'Chính phủ'
    province: str | None = None  # the province-level unit it lies in: 'thành phố Hải Phòng'
    era: Literal["2025", "pre2025"] | None = None  # the map its unit is on


@dataclass(frozen=True)
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
    recipients: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    references: tuple[Reference, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    signer: Signer | None = None
    urgency: Urgency | None = None
    secrecy: Secrecy | None = None
    place_unit: Entity | None = None
    issuer_unit: Entity | None = None
    provenance: Mapping[str, Provenance] = field(default_factory=dict)

    def to_json(self, with_provenance: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for f in dataclass_fields(self):
            value = getattr(self, f.name)
            if f.name == "provenance":
                if with_provenance:
                    data["provenance"] = {k: asdict(v) for k, v in value.items()}
            elif isinstance(value, tuple):
                data[f.name] = [v.to_json() if hasattr(v, "to_json") else v for v in value]
            elif hasattr(value, "to_json"):
                data[f.name] = value.to_json()
            else:
                data[f.name] = value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fields:
        data = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        prov = {k: Provenance(**v) for k, v in (data.pop("provenance", None) or {}).items()}
        for key, record in (("references", Reference), ("deadlines", Deadline)):
            data[key] = tuple(record.from_json(x) for x in data.get(key) or ())
        for key in ("recipients", "cc"):
            data[key] = tuple(data.get(key) or ())
        for key, record in (("signer", Signer), ("place_unit", Entity), ("issuer_unit", Entity)):
            if data.get(key) is not None:
                data[key] = record.from_json(data[key])
        return cls(**data, provenance=prov)


@dataclass(frozen=True)
class PageRecord:
    """What the archive stores for one page."""

    index: int
    raw_text: str
    restored_text: str
    words: tuple[OcrWord, ...]
    restored_words: tuple[str, ...]  # restored form of each word in ``words`` (same length)
    mean_confidence: float
    source: PageSource
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
    # names and phrases the document read confidently (``Lexicon.learn``): the batch adds them to the
    # archive's lexicon in the document's transaction, for later documents
    names: tuple[str, ...] = ()

    @property
    def shown_path(self) -> str:
        """``path`` as text to print: any file name, also one that is not UTF-8."""
        return readable_path(self.path)
