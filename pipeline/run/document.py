"""The per-document job: a checked source's page results, in order, plus its fields, as one record;
and ``load_document``, the one way every command turns a file (scan or text) into a document."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from pipeline.encodings import read_text
from pipeline.errors import InputError
from pipeline.ingest import Source, is_scan
from pipeline.run.page import PageJob, PageResult, process_page
from pipeline.run.stages import STAGES, Stages
from pipeline.settings import Settings
from pipeline.types import DocumentRecord, PageRecord, PageText, RestoredText, TextBlock
from pipeline.vietnamese import nfc


def assemble(
    source: Source, results: dict[int, PageResult], stages: Stages = STAGES
) -> tuple[DocumentRecord, list[str]]:
    """The archive record of a fully processed file and its warnings; InputError if it has no text."""
    ordered = [results[i] for i in sorted(results)]
    blank = [r.record.index + 1 for r in ordered if r.blank]
    if len(blank) == len(ordered):
        raise InputError(f"blank document: no text found on any of its {len(ordered)} page(s)")
    warnings = [f"page {n} is blank" for n in blank]
    fields = stages.extract([r.text for r in ordered if not r.blank])
    record = DocumentRecord(
        sha256=source.sha256,
        path=str(source.path.resolve()),
        size=source.size,
        pages=tuple(r.record for r in ordered),
        fields=fields,
        names=tuple(dict.fromkeys(name for r in ordered for name in r.names)),
    )
    return record, warnings


def process_file(path: Path, settings: Settings, stages: Stages = STAGES) -> DocumentRecord:
    """Process one file in this process, without an archive; a VanbanError says why it cannot be."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    source = stages.open_source(Path(path), settings.max_pixels, settings.dpi)
    results = {i: process_page(PageJob(source, i, settings), stages) for i in range(source.page_count)}
    return assemble(source, results, stages)[0]


@dataclass(frozen=True)
class LoadedDocument:
    record: DocumentRecord
    restored: RestoredText | None  # a text file's whole restoration (changes, probabilities); None for a scan


def load_document(path: Path, settings: Settings, stages: Stages = STAGES) -> LoadedDocument:
    """A scan through the pages (as ingest does), or a text file in any encoding we read, restored
    (unless ``settings.restore`` is off) and its fields read; InputError naming the file otherwise."""
    path = Path(path)
    try:
        if not path.exists():
            raise InputError(f"{path}: no such file")
        if path.is_dir():
            raise InputError(f"{path}: is a folder; give a file")
        scan = is_scan(path)
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    if scan:
        try:
            return LoadedDocument(process_file(path, settings, stages), None)
        except InputError as exc:
            raise InputError(f"{path}: {exc}") from None
    file = read_text(path)
    text = nfc(file.text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise InputError(f"{path}: empty text file")
    restored = stages.restore(text) if settings.restore else RestoredText(text, text, ())
    page = PageRecord(
        index=0,
        raw_text=text,
        restored_text=nfc(restored.text),
        words=(),
        restored_words=(),
        mean_confidence=0.0,
        source="text-file",
        seconds=0.0,
    )
    record = DocumentRecord(
        sha256=hashlib.sha256(file.data).hexdigest(),
        path=str(path.resolve()),
        size=len(file.data),
        pages=(page,),
        fields=stages.extract([PageText(0, (TextBlock("other", page.restored_text),), restored.damaged)]),
    )
    return LoadedDocument(record, restored)
