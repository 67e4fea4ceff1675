"""What the components read and write on a spaCy ``Doc``: one typed extension per attribute.

The components hand values to each other only through these extensions, and each factory in
``factories.py`` declares the ones it ``requires`` and ``assigns``, so ``nlp.analyze_pipes()``
checks that a pipeline reordered or swapped in ``config.cfg`` still gets what it reads.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span

from pipeline.extract.text import KINH_GUI_RE, NOI_NHAN_RE
from pipeline.types import Fields


@dataclass(frozen=True)
class Segment:
    """Where one block's text sits inside the document text the pipeline reads."""

    start: int
    end: int
    page: int
    block: str
    damaged: bool = False  # its page was restored from legacy OCR (PageText.damaged)


@dataclass(frozen=True)
class Found:
    """A field value with the document-text span it was read from."""

    value: object
    start: int
    end: int
    confidence: float
    guess: bool = False  # inferred, not read where the form puts it


@dataclass(frozen=True)
class Regions:
    """Where the parts of the document lie in its text."""

    body_start: int  # the header ends here: at 'Kính gửi' or the first body opening


# Every field of ``Fields`` is one ``doc._.vb_<name>`` extension holding a ``Found`` (or None).
FIELD_NAMES = tuple(name for name in Fields.__dataclass_fields__ if name != "provenance")
# Fields found anywhere in a text (the others are in its head or tail): see reading.py.
ANYWHERE = ("references", "deadlines")
# Positions the components pass on: the 'Số:' line, where the title line ends.
STATE_NAMES = ("segments", "regions", "so_line", "title_end")

for _name in (*FIELD_NAMES, *STATE_NAMES):
    if not Doc.has_extension(f"vb_{_name}"):
        Doc.set_extension(f"vb_{_name}", default=None)


def attr(name: str) -> str:
    """The spaCy attribute path of a field or state extension, as factories declare it."""
    return f"doc._.vb_{name}"


def put(doc: Doc, name: str, value: object, start: int, end: int, confidence: float, guess: bool = False) -> None:
    setattr(doc._, f"vb_{name}", Found(value, start, end, round(confidence, 2), guess))
    span = doc.char_span(start, end, label=name, alignment_mode="expand")
    if span is not None:
        doc.spans.setdefault("vb_fields", []).append(span)


def got(doc: Doc, name: str) -> Found | None:
    return getattr(doc._, f"vb_{name}")


def cues(doc: Doc, label: str) -> list[Span]:
    return sorted((s for s in doc.spans.get("vb_cues", []) if s.label_ == label), key=lambda s: s.start_char)


def body_start(doc: Doc) -> int:
    return doc._.vb_regions.body_start


def noi_nhan(doc: Doc) -> tuple[int, int] | None:
    """Where the last 'Nơi nhận' stands: the cue, or its OCR-damaged form ('Noinhén:'), whichever is last."""
    found = [(s.start_char, s.end_char) for s in cues(doc, "NOI_NHAN")[-1:]]
    found += [(m.start(), m.end() - 1) for m in NOI_NHAN_RE.finditer(doc.text)][-1:]  # before its ':' as the cue is
    return max(found) if found else None


def block_ranges(doc: Doc, kind: str, first_page: bool = False) -> list[tuple[int, int]]:
    """Where the blocks of ``kind`` stand (on the document's first page only, if ``first_page``)."""
    segments = doc._.vb_segments or ()
    page = segments[0].page if segments else None
    return [(s.start, s.end) for s in segments if s.block == kind and (not first_page or s.page == page)]


def kinh_gui(doc: Doc) -> tuple[int, int] | None:
    """Where 'Kính gửi' stands: the cue, or its OCR-damaged form ('Kinh gvti:'), whichever is first."""
    found = [(s.start_char, s.end_char) for s in cues(doc, "KINH_GUI")[:1]]
    if m := KINH_GUI_RE.search(doc.text):
        found.append((m.start(), m.end() - 1))  # before its ':' as the cue is
    return min(found) if found else None
