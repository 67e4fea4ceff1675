"""Structured field extraction (issue 5): formal fields of Nghị định 30/2020/NĐ-CP from page text.

The pages' blocks are joined into one text (blocks are hints, not requirements: a single "body"
block holding the whole page works), run through the spaCy pipeline in ``config.cfg``, and every
value found is returned with its provenance: page, block kind, character span in that block's NFC
text, and a confidence.

Components by region of the document: ``header.py`` (where the header ends, number, type, place
and date, issuer, trích yếu, stamps), ``body.py`` (Kính gửi, deadlines), ``references.py``,
``footer.py`` (Nơi nhận, signature); ``factories.py`` registers each with the ``doc._`` attributes
(``doc.py``) it requires and assigns; ``config.cfg`` wires them.
"""

from __future__ import annotations

from collections.abc import Sequence

import regex
from spacy.language import Language

from pipeline.extract.doc import FIELD_NAMES, Found, Segment, attr
from pipeline.extract.nlp import get_nlp
from pipeline.extract.reading import read
from pipeline.extract.text import block_text, stamp_text, working_text
from pipeline.types import Fields, PageText, Provenance, TextBlock

__all__ = ["extract_fields", "extract_text", "get_nlp"]

_SEPARATOR = "\n\n"


# The number Nghị định 30/2020 prints at the top of every page but the first, alone on its line
_PAGE_NUMBER_RE = regex.compile(r"\A\s*\d{1,3}[^\S\n]*(?=\n)")


def _assemble(pages: Sequence[PageText]) -> tuple[str, list[Segment]]:
    """The document's text, its blocks in order, and where each block stands in it. A later page's number
    is blanked (same length: offsets hold), so a sentence the page cut reads on ('… ngày 18 tháng 9' / '2'
    / 'năm 2006 của …')."""
    parts: list[str] = []
    segments: list[Segment] = []
    pos = 0
    held: list[tuple[TextBlock, PageText]] = []
    for n, page in enumerate(pages):
        blocks = [(b, page) for b in page.blocks]
        first = next((b for b in page.blocks if b.kind != "stamp"), None)  # where a later page's number stands
        if held:  # the stamps held back go after this page's first text
            at = page.blocks.index(first) + 1 if first is not None else 0
            blocks[at:at] = held
            held = []
        # a stamp the layout read after a page's text, with a page after it, would cut the sentence the page breaks
        # ('… Nghị định số' / 'KHẨN' / '39/2016/NĐ-CP …', set 203): held back till that sentence has gone on
        while n + 1 < len(pages) and blocks and blocks[-1][0].kind == "stamp":
            held.insert(0, blocks.pop())
        for block, of in blocks:
            text = block_text(block.text or "")
            if not text.strip():
                continue
            if parts:
                parts.append(_SEPARATOR)
                pos += len(_SEPARATOR)
            work = stamp_text(working_text(text)) if block.kind == "stamp" else working_text(text)
            if n and block is first and (number := _PAGE_NUMBER_RE.match(work)):
                work = " " * number.end() + work[number.end() :]
            parts.append(work)
            segments.append(Segment(pos, pos + len(text), of.index, block.kind, of.damaged))
            pos += len(text)
    return "".join(parts), segments


def _provenance(found: Found, segments: list[Segment]) -> Provenance:
    for seg in segments:
        if seg.start <= found.start < seg.end or (found.start == seg.end and seg is segments[-1]):
            end = min(found.end, seg.end)
            start = found.start - seg.start
            return Provenance(seg.page, seg.block, start, end - seg.start, found.confidence, found.guess)
    seg = segments[-1]
    return Provenance(seg.page, seg.block, 0, 0, found.confidence, found.guess)


def _assigned_fields(nlp: Language) -> list[str]:
    """The fields in the order the pipeline's components declare them (provenance keeps that order)."""
    order = [f for pipe in nlp.pipe_names for f in FIELD_NAMES if attr(f) in nlp.get_pipe_meta(pipe).assigns]
    return list(dict.fromkeys(order))


def extract_fields(pages: Sequence[PageText]) -> Fields:
    """Formal fields of one document; provenance spans index the NFC text of the named block."""
    text, segments = _assemble(pages)
    if not text.strip():
        return Fields()
    nlp = get_nlp()
    found = read(nlp, text, tuple(segments))
    values: dict[str, object] = {}
    provenance: dict[str, Provenance] = {}
    for name in _assigned_fields(nlp):
        if name in found:
            values[name] = found[name].value
            provenance[name] = _provenance(found[name], segments)
    return Fields(**values, provenance=provenance)  # type: ignore[arg-type]


def extract_text(text: str, page: int = 0) -> Fields:
    """Fields of a plain-text document (one page, one block of kind "other")."""
    return extract_fields([PageText(page, (TextBlock("other", text),))])
