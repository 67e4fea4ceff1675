"""The batch runner: check files, process their pages in parallel, commit each document atomically.

Pages (not documents) are the unit of parallelism so that one long document does not leave workers
idle. The main process alone talks to the archive, one transaction per document, so a crash at any
moment leaves only whole documents behind and a re-run picks up where it stopped.

The archive's lexicon (names and phrases restoration prefers: staff's, editors' corrections, names
read confidently in earlier documents) is read once per batch and travels to the page jobs in their
settings; each stored document adds the names it read confidently, in its own transaction, and the
documents submitted after it restore with them (``BatchLexicon``).
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.errors import EXIT_ARCHIVE, VanbanError
from pipeline.ingest import Source, discover
from pipeline.run.document import assemble
from pipeline.run.page import PageJob, PageResult, process_page
from pipeline.run.stages import STAGES, Stages
from pipeline.settings import Settings
from pipeline.types import DocumentRecord, Fields


@dataclass
class FileOutcome:
    path: Path | str  # a URL for a file read through fsspec (``pipeline.run.cluster``)
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


class BatchLexicon:
    """The archive's lexicon as one batch uses it: read once, handed to the page jobs in their settings
    (plain data, so it reaches pool and cluster workers), grown by every document the batch stores."""

    def __init__(self, archive, settings: Settings) -> None:
        self.base = settings
        self.phrases = dict.fromkeys((*settings.lexicon, *(e.phrase for e in archive.lexicon())))
        self._settings: Settings | None = None

    def settings(self) -> Settings:
        """The settings of the page jobs submitted now: with every name known so far."""
        if self._settings is None:
            self._settings = replace(self.base, lexicon=tuple(self.phrases))
        return self._settings

    def grow(self, names: Iterable[str]) -> None:
        before = len(self.phrases)
        self.phrases.update(dict.fromkeys(names))
        if len(self.phrases) != before:
            self._settings = None


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
PAGES_PER_WORKER = 4  # page jobs in flight per pool worker


def _worker_init() -> None:
    import cv2

    cv2.setNumThreads(1)


def ingest(
    paths: Iterable[Path],
    archive,
    settings: Settings,
    listener: Listener | None = None,
    stages: Stages = STAGES,
) -> BatchReport:
    """Ingest files and folders into ``archive``; failures are reported, never fatal to the batch.

    ``stages`` are the stage functions to run (tests swap one for a failing one)."""
    listener = listener or Listener()
    started = time.perf_counter()
    # Workers start (and import) while this process validates and hashes the files.
    pool = _start_pool(settings.workers) if settings.workers > 1 else None
    try:
        outcomes = _ingest(paths, archive, BatchLexicon(archive, settings), listener, pool, stages)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    return BatchReport(outcomes=list(outcomes.values()), seconds=time.perf_counter() - started)


def _ingest(
    paths: Iterable[Path],
    archive,
    lexicon: BatchLexicon,
    listener: Listener,
    pool: ProcessPoolExecutor | None,
    stages: Stages,
) -> dict[Path, FileOutcome]:
    settings = lexicon.base
    files, problems = discover([Path(p) for p in paths])
    outcomes: dict[Path, FileOutcome] = {p: FileOutcome(p, "failed", reason) for p, reason in problems}
    documents: list[_Document] = []
    seen: dict[str, Path] = {}
    for path in files:
        try:
            source = stages.open_source(path, settings.max_pixels, settings.dpi)
        except VanbanError as exc:
            outcomes[path] = FileOutcome(path, "failed", str(exc))
            continue
        if skip := admit(path, source, seen, archive, settings):
            outcomes[path] = skip
        else:
            documents.append(_Document(source))
    for outcome in outcomes.values():
        listener.file_done(outcome)

    listener.start(sum(d.source.page_count for d in documents))
    if pool is None:
        run = _run_inline(documents, lexicon, listener, stages)
    else:
        run = _run_parallel(pool, documents, lexicon, listener, stages)
    for doc, outcome in run:  # a document's jobs are submitted after the documents stored before it
        if outcome is None:
            outcome = _commit(doc, archive, lexicon, stages)
        outcomes[doc.source.path] = outcome
        listener.file_done(outcome)
    # Report in the order the files were named and found.
    return {p: outcomes[p] for p in [p for p, _ in problems] + files if p in outcomes}


def admit(
    path: Path | str, source: Source, seen: dict[str, Path | str], archive, settings: Settings
) -> FileOutcome | None:
    """None when the checked file is to be processed; its "skipped" outcome when the batch already
    holds its bytes (``seen``: SHA-256 -> path, updated) or the archive does (without --force)."""
    if source.sha256 in seen:
        return FileOutcome(path, "skipped", f"same content as {seen[source.sha256]}")
    if not settings.force and archive.has(source.sha256):
        return FileOutcome(path, "skipped", "already in the archive (use --force to redo)")
    if settings.force and (kept := _kept(path, archive, source.sha256)):
        return kept
    seen[source.sha256] = path
    return None


def _kept(path: Path | str, archive, sha256: str) -> FileOutcome | None:
    """A re-ingest (--force) never writes over editors' corrections: the document stays as they left it."""
    count = archive.standing_corrections(sha256)
    if not count:
        return None
    reason = (f"kept as it is: {count} correction(s) by editors stand on it (revert them in vanban serve to "
              "re-process it)")  # fmt: skip
    return FileOutcome(path, "skipped", reason)


def _commit(doc: _Document, archive, lexicon: BatchLexicon, stages: Stages) -> FileOutcome:
    return store(doc.source.path, lambda: assemble(doc.source, doc.results, stages), archive, lexicon.base, lexicon)


def shareable_names(fields: Fields, names: Iterable[str]) -> tuple[str, ...]:
    """The names a document (its ``fields``) may teach the archive's lexicon, at ingest or by an
    editor's correction: none from a classified one, whose names would otherwise surface in other
    documents' restoration, to readers without clearance."""
    return () if fields.secrecy else tuple(names)


def store(
    path: Path | str,
    build: Callable[[], tuple[DocumentRecord, list[str]]],
    archive,
    settings: Settings,
    lexicon: BatchLexicon | None = None,
) -> FileOutcome:
    """The document ``build`` makes (its fields read: the document job) and the names it read
    confidently, stored in one archive transaction; any failure costs this document only. The names
    then reach ``lexicon`` (the batch's later documents)."""
    try:
        record, warnings = build()
        names = shareable_names(record.fields, record.names)
        with archive.transaction():
            if settings.force and (kept := _kept(path, archive, record.sha256)):  # corrected while it ran
                return kept
            doc_id = archive.add(record, replace=settings.force)
            archive.add_lexicon(names, "ingest", doc_id)
    except VanbanError as exc:
        if exc.exit_status == EXIT_ARCHIVE:  # the archive itself fails (damaged, gone): no document can be stored
            raise
        return FileOutcome(path, "failed", str(exc))
    except Exception as exc:  # a bug (in field extraction, say) must cost one file, not the batch
        return FileOutcome(path, "failed", f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())}")
    if lexicon is not None:
        lexicon.grow(names)
    return FileOutcome(path, "ingested", pages=len(record.pages), doc_id=doc_id, warnings=warnings)


def _failed(doc: _Document, reason: str) -> FileOutcome:
    return FileOutcome(doc.source.path, "failed", reason)


def _run_inline(
    documents: list[_Document], lexicon: BatchLexicon, listener: Listener, stages: Stages
) -> Iterable[tuple[_Document, FileOutcome | None]]:
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    for doc in documents:
        failure = None
        settings = lexicon.settings()
        for index in range(doc.source.page_count):
            try:
                doc.results[index] = process_page(PageJob(doc.source, index, settings), stages)
            except VanbanError as exc:  # process_page turns every failure into a PageFailure
                failure = _failed(doc, str(exc))
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
    pool: ProcessPoolExecutor, documents: list[_Document], lexicon: BatchLexicon, listener: Listener, stages: Stages
) -> Iterable[tuple[_Document, FileOutcome | None]]:
    """Pages in the pool, at most PAGES_PER_WORKER per worker in flight (enough to keep every worker
    busy): a document's pages are submitted once earlier ones are stored, with their names."""
    owner: dict[Future, tuple[_Document, int]] = {}
    queue = deque(documents)
    window = PAGES_PER_WORKER * lexicon.base.workers
    pending: set[Future] = set()

    def feed() -> None:
        while queue and len(pending) < window:
            doc = queue.popleft()
            settings = lexicon.settings()
            for index in range(doc.source.page_count):
                future = pool.submit(process_page, PageJob(doc.source, index, settings), stages)
                owner[future] = (doc, index)
                doc.futures.append(future)
                pending.add(future)

    failed: set[int] = set()
    feed()
    while pending:
        done, rest = wait(pending, return_when=FIRST_COMPLETED)
        pending.intersection_update(rest)
        for future in done:
            doc, index = owner.pop(future)
            if future.cancelled() or id(doc) in failed:
                feed()
                continue
            listener.page_done()
            error = future.exception()
            if error is None:
                doc.results[index] = future.result()
                if doc.complete:
                    yield doc, None  # stored before the next pages are submitted
                feed()
                continue
            failed.add(id(doc))
            for other in doc.futures:
                other.cancel()
            if isinstance(error, VanbanError):
                reason = str(error)
            else:  # the pool itself failed (a worker killed, a job that does not pickle)
                reason = f"page {index + 1}: internal error: {type(error).__name__}: {error}"
            yield doc, _failed(doc, reason)
            feed()
