"""The per-document job: a checked source's page results, in order, plus its fields, as one record."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.errors import InputError
from pipeline.ingest import Source
from pipeline.run.page import PageJob, PageResult, process_page
from pipeline.run.stages import STAGES, Stages
from pipeline.settings import Settings
from pipeline.types import DocumentRecord


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
    )
    return record, warnings


def process_file(path: Path, settings: Settings, stages: Stages = STAGES) -> DocumentRecord:
    """Process one file in this process, without an archive; a VanbanError says why it cannot be."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    source = stages.open_source(Path(path), settings.max_pixels, settings.dpi)
    results = {i: process_page(PageJob(source, i, settings), stages) for i in range(source.page_count)}
    return assemble(source, results, stages)[0]
