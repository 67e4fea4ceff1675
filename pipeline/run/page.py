"""The per-page job: a pure function of (source page, settings) that runs in a worker process.

source page -> PageImage -> clean -> ocr (or the PDF's own text layer) -> restore (per block)
-> PageRecord + PageText. The stage functions come from ``Stages`` (``pipeline.run.stages``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from pipeline.errors import InputError, VanbanError
from pipeline.ingest import Source, check_unchanged
from pipeline.ocr import OcrTimeout
from pipeline.restore import Lexicon, vietnamese_score
from pipeline.run.stages import STAGES, Stages
from pipeline.settings import Settings
from pipeline.types import OcrPage, PageRecord, PageText, RestoredText, TextBlock

T = TypeVar("T")
TEXT_LAYER_MIN_SCORE = 0.6  # share of valid, accented Vietnamese syllables for a text layer to be trusted
MIN_LETTERS = 3  # fewer recognised letters than this on a page means the page is blank


class PageFailure(InputError):
    """A page could not be processed; the message is the user-facing reason."""


@dataclass(frozen=True)
class PageJob:
    source: Source
    index: int
    settings: Settings


@dataclass(frozen=True)
class PageResult:
    record: PageRecord
    text: PageText  # restored text by layout block, for the field extractor
    blank: bool
    seconds: float  # wall time of the whole job
    names: tuple[str, ...] = ()  # names and phrases the page read confidently (``Lexicon.learn``)


def _text_layer_page(job: PageJob, stages: Stages) -> OcrPage | None:
    """A PDF's own text layer when the mode allows it and it is good enough to skip OCR."""
    if job.source.kind != "pdf" or job.settings.mode == "force":
        return None
    text = _read(job, lambda: stages.text_layer(job.source.path, job.index))
    if not text:
        return None
    if job.settings.mode == "auto" and vietnamese_score(text) < TEXT_LAYER_MIN_SCORE:
        return None
    return OcrPage(index=job.index, blocks=(TextBlock("other", text),), words=(), source="text-layer")


def _read(job: PageJob, read: Callable[[], T]) -> T:
    """Read from the source file, making sure it is the file that was checked and hashed before and
    after (so the record's SHA-256 is that of the bytes read); a changed or deleted file is the reason
    given even when reading it failed."""
    check_unchanged(job.source)
    try:
        return read()
    finally:
        check_unchanged(job.source)


def _ocr(job: PageJob, stages: Stages) -> OcrPage:
    settings = job.settings
    page = _read(job, lambda: stages.load_page(job.source.path, job.source.kind, job.index, settings.dpi))
    clean = stages.clean(page, settings.cleanup)
    return stages.ocr(clean, lang=settings.lang, timeout=settings.ocr_timeout)


def _map_offsets(restored: RestoredText):
    """A function from offsets in the original text to offsets in the restored text."""
    spans = [(t.start, t.end, len(t.restored) - (t.end - t.start)) for t in restored.tokens if t.changed]

    def at(pos: int) -> int:
        shift = 0
        for start, end, delta in spans:
            if end <= pos:
                shift += delta
            elif start < pos:  # inside a changed token: snap to its end
                return end + shift + delta
            else:
                break
        return pos + shift

    return at


def _restored_words(page: OcrPage, restored_blocks: list[RestoredText]) -> tuple[str, ...]:
    """The restored form of every OCR word, found through the word's span in its block's text."""
    out: list[str] = []
    by_block: dict[int, list] = {}
    for word in page.words:
        by_block.setdefault(word.block, []).append(word)
    for block_no, words in sorted(by_block.items()):
        restored = restored_blocks[block_no]
        at = _map_offsets(restored)
        pos = 0  # block text is its words joined by spaces and newlines, so search forward
        for word in words:
            start = restored.original.index(word.text, pos)
            end = start + len(word.text)
            out.append(restored.text[at(start) : at(end)] or word.text)
            pos = end
    return tuple(out)


def process_page(job: PageJob, stages: Stages = STAGES) -> PageResult:
    """Turn one source page into its archive record; raise PageFailure with a one-line reason.

    Whatever goes wrong, bugs included, comes back as a PageFailure naming the page: a worker's
    failure costs its document, never the batch.
    """
    label = f"page {job.index + 1}"
    try:
        return _process(job, stages)
    except OcrTimeout as exc:
        raise PageFailure(f"{label}: {exc} (raise --ocr-timeout to allow more)") from None
    except VanbanError as exc:
        raise PageFailure(f"{label}: {exc}") from None
    except MemoryError:
        raise PageFailure(f"{label}: out of memory while processing the page") from None
    except Exception as exc:  # a bug must cost one file, not the batch
        raise PageFailure(f"{label}: internal error: {type(exc).__name__}: {exc}") from None


def _process(job: PageJob, stages: Stages) -> PageResult:
    started = time.perf_counter()
    page = _text_layer_page(job, stages) or _ocr(job, stages)
    restored_blocks = _restore_blocks(page, job.settings, stages)
    learnt = Lexicon()
    for restored in restored_blocks:
        learnt.learn(restored)
    blocks = tuple(
        TextBlock(block.kind, r.text, block.box) for block, r in zip(page.blocks, restored_blocks, strict=True)
    )
    letters = sum(ch.isalpha() for ch in page.text)
    return PageResult(
        record=_page_record(page, blocks, restored_blocks),
        text=PageText(index=job.index, blocks=blocks, damaged=any(r.damaged for r in restored_blocks)),
        blank=letters < MIN_LETTERS,
        seconds=time.perf_counter() - started,
        names=tuple(" ".join(words) for words in learnt.entries),
    )


def _restore_blocks(page: OcrPage, settings: Settings, stages: Stages) -> list[RestoredText]:
    if not settings.restore:
        return [RestoredText(block.text, block.text, ()) for block in page.blocks]
    # One document memory for the page, the longest blocks (the body) first: a name read well
    # there is preferred where the header or the signature has it damaged.
    memory = Lexicon()
    extra = {"lexicon": _lexicon(settings.lexicon)} if settings.lexicon else {}
    out: dict[int, RestoredText] = {}
    for i in sorted(range(len(page.blocks)), key=lambda k: -len(page.blocks[k].text)):
        words = [w for w in page.words if w.block == i]
        out[i] = stages.restore(page.blocks[i].text, words=words, memory=memory, **extra)
    return [out[i] for i in range(len(page.blocks))]


_built: list[tuple[tuple[str, ...], Lexicon]] = []  # this process's last lexicon, with the phrases it holds


def _lexicon(phrases: tuple[str, ...]) -> Lexicon:
    """The archive's lexicon as restoration reads it, built once per worker process; a batch's later
    documents bring it grown (the same phrases and new ones after them), which only adds those."""
    if _built and phrases[: len(_built[0][0])] == _built[0][0]:
        known, lexicon = _built[0]
        if len(phrases) == len(known):
            return lexicon
        lexicon = lexicon.copy()
    else:
        known, lexicon = (), Lexicon()
    for phrase in phrases[len(known) :]:
        lexicon.add(phrase)
    _built[:] = [(phrases, lexicon)]
    return lexicon


def _page_record(page: OcrPage, blocks: tuple[TextBlock, ...], restored_blocks: list[RestoredText]) -> PageRecord:
    """What the archive stores for the page."""
    return PageRecord(
        index=page.index,
        raw_text=page.text,
        restored_text="\n\n".join(b.text for b in blocks if b.text),
        words=page.words,
        restored_words=_restored_words(page, restored_blocks),
        mean_confidence=page.mean_confidence,
        source=page.source,
        seconds=page.seconds,
        width=page.width,
        height=page.height,
        geometry=page.geometry,
    )
