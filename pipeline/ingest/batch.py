"""Batch ingestion: validate files, OCR their pages in parallel, commit each document atomically.

Pages (not documents) are the unit of parallelism so that one long document does not leave workers
idle. The main process alone talks to the archive, one transaction per document, so a crash at any
moment leaves only whole documents behind and a re-run picks up where it stopped.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.ingest.page import PageFailure, PageJob, PageResult, process_page
from pipeline.ingest.sources import Source, SourceError, discover, open_source
from pipeline.settings import Settings
from pipeline.types import DocumentRecord


@dataclass
class FileOutcome:
    path: Path
    status: str  # "ingested" | "skipped" | "failed"
    reason: str = ""
    pages: int = 0
    doc_id: str | None = None
    warnings: list[str] = field(default_factory=list)


@dataclass
class BatchReport:
    outcomes: list[FileOutcome]
    seconds: float

    @property
    def failures(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def pages(self) -> int:
        return sum(o.pages for o in self.outcomes if o.status == "ingested")


class Listener:
    """Progress callbacks; the CLI renders them as a progress bar or as log lines."""

    def start(self, total_pages: int) -> None: ...

    def page_done(self) -> None: ...

    def file_done(self, outcome: FileOutcome) -> None: ...


class _Document:
    """Pages of one source file as they come back from the workers."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.results: dict[int, PageResult] = {}
        self.futures: list[Future] = []

    @property
    def complete(self) -> bool:
        return len(self.results) == self.source.page_count


# One thread per worker for Tesseract (OpenMP), OpenCV and BLAS: the pool already fills the cores,
# and oversubscription makes OCR many times slower. Set before the workers import anything.
SINGLE_THREAD_ENV = {"OMP_THREAD_LIMIT": "1", "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}


def _worker_init() -> None:
    import cv2

    cv2.setNumThreads(1)


def assemble(source: Source, results: dict[int, PageResult]) -> tuple[DocumentRecord, list[str]]:
    """Build the archive record of a fully processed file; raise SourceError if it has no text."""
    ordered = [results[i] for i in sorted(results)]
    blank = [r.record.index + 1 for r in ordered if r.blank]
    if len(blank) == len(ordered):
        raise SourceError(f"blank document: no text found on any of its {len(ordered)} page(s)")
    warnings = [f"page {n} is blank" for n in blank]
    from pipeline.extract import extract_fields  # here, not at the top: workers need no spaCy (1.2 s)

    fields = extract_fields([r.text for r in ordered if not r.blank])
    record = DocumentRecord(
        sha256=source.sha256,
        path=str(source.path.resolve()),
        size=source.size,
        pages=tuple(r.record for r in ordered),
        fields=fields,
    )
    return record, warnings


def process_file(path: Path, settings: Settings) -> DocumentRecord:
    """Process one file in this process (no archive): what `vanban fields` and `export` need."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    source = open_source(Path(path), settings.max_pixels, settings.dpi)
    results = {}
    for index in range(source.page_count):
        try:
            results[index] = process_page(PageJob(str(source.path), source.kind, index, settings))
        except PageFailure as exc:
            raise SourceError(str(exc)) from None
    return assemble(source, results)[0]


def ingest(
    paths: Iterable[Path],
    archive,
    settings: Settings,
    listener: Listener | None = None,
) -> BatchReport:
    """Ingest files and folders into ``archive``; failures are reported, never fatal to the batch."""
    listener = listener or Listener()
    started = time.perf_counter()
    # Workers start (and import) while this process validates and hashes the files.
    pool = _start_pool(settings.workers) if settings.workers > 1 else None
    try:
        outcomes = _ingest(paths, archive, settings, listener, pool)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return BatchReport(outcomes=list(outcomes.values()), seconds=time.perf_counter() - started)


def _ingest(
    paths: Iterable[Path], archive, settings: Settings, listener: Listener, pool: ProcessPoolExecutor | None
) -> dict[Path, FileOutcome]:
    files, problems = discover([Path(p) for p in paths])
    outcomes: dict[Path, FileOutcome] = {p: FileOutcome(p, "failed", reason) for p, reason in problems}
    documents: list[_Document] = []
    seen: dict[str, Path] = {}
    for path in files:
        try:
            source = open_source(path, settings.max_pixels, settings.dpi)
        except SourceError as exc:
            outcomes[path] = FileOutcome(path, "failed", str(exc))
            continue
        if source.sha256 in seen:
            outcomes[path] = FileOutcome(path, "skipped", f"same content as {seen[source.sha256]}")
        elif not settings.force and archive.has(source.sha256):
            outcomes[path] = FileOutcome(path, "skipped", "already in the archive (use --force to redo)")
        else:
            seen[source.sha256] = path
            documents.append(_Document(source))
    for outcome in outcomes.values():
        listener.file_done(outcome)

    listener.start(sum(d.source.page_count for d in documents))
    if pool is None:
        run = _run_inline(documents, settings, listener)
    else:
        run = _run_parallel(pool, documents, settings, listener)
    for doc, outcome in run:
        if outcome is None:
            outcome = _commit(doc, archive, settings)
        outcomes[doc.source.path] = outcome
        listener.file_done(outcome)
    # Report in the order the files were named and found.
    return {p: outcomes[p] for p in [p for p, _ in problems] + files if p in outcomes}


def _commit(doc: _Document, archive, settings: Settings) -> FileOutcome:
    path = doc.source.path
    try:
        record, warnings = assemble(doc.source, doc.results)
        doc_id = archive.add(record, replace=settings.force)
    except SourceError as exc:
        return FileOutcome(path, "failed", str(exc))
    return FileOutcome(path, "ingested", pages=len(record.pages), doc_id=doc_id, warnings=warnings)


def _failed(doc: _Document, reason: str) -> FileOutcome:
    return FileOutcome(doc.source.path, "failed", reason)


def _run_inline(
    documents: list[_Document], settings: Settings, listener: Listener
) -> Iterable[tuple[_Document, FileOutcome | None]]:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    for doc in documents:
        failure = None
        for index in range(doc.source.page_count):
            try:
                doc.results[index] = process_page(
                    PageJob(str(doc.source.path), doc.source.kind, index, settings)
                )
            except PageFailure as exc:
                failure = _failed(doc, str(exc))
            except Exception as exc:  # a bug must cost one file, not the batch
                failure = _failed(doc, f"page {index + 1}: internal error: {type(exc).__name__}: {exc}")
            listener.page_done()
            if failure:
                break
        yield doc, failure


def _start_pool(workers: int) -> ProcessPoolExecutor:
    os.environ.update(SINGLE_THREAD_ENV)  # inherited by the fork server, hence by every worker
    context = multiprocessing.get_context("forkserver")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init)
    for _ in range(workers):
        pool.submit(_warm)
    return pool


def _warm() -> None:
    """Load the restoration model in a fresh worker before its first page."""
    from pipeline.restore import restore

    restore("Uy ban nhan dan")


def _run_parallel(
    pool: ProcessPoolExecutor, documents: list[_Document], settings: Settings, listener: Listener
) -> Iterable[tuple[_Document, FileOutcome | None]]:
    owner: dict[Future, tuple[_Document, int]] = {}
    for doc in documents:
        for index in range(doc.source.page_count):
            job = PageJob(str(doc.source.path), doc.source.kind, index, settings)
            future = pool.submit(process_page, job)
            owner[future] = (doc, index)
            doc.futures.append(future)
    failed: set[int] = set()
    pending = set(owner)
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            doc, index = owner[future]
            if future.cancelled() or id(doc) in failed:
                continue
            listener.page_done()
            error = future.exception()
            if error is None:
                doc.results[index] = future.result()
                if doc.complete:
                    yield doc, None
                continue
            failed.add(id(doc))
            for other in doc.futures:
                other.cancel()
            if isinstance(error, PageFailure):
                reason = str(error)
            else:
                reason = f"page {index + 1}: internal error: {type(error).__name__}: {error}"
            yield doc, _failed(doc, reason)
