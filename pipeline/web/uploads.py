"""Upload and ingest: files from the browser become a batch that a background worker ingests.

An upload is checked before anything is kept: each file's size (``max_bytes``), its content
(a PDF, TIFF, PNG or JPEG by its first bytes, whatever its name says) and then the same checks the
command line runs (``pipeline.ingest.open_source``: empty, truncated, encrypted, decompression
bomb...), each failure one reason in the batch. Files that pass are kept under the uploads folder
(the archive references originals, it does not copy them) and the batch with its files is
recorded in one transaction. The worker thread runs ``pipeline.run.ingest`` (the command line's
runner: one archive transaction per document) and writes each file's outcome as it comes, so
the batch page shows progress after a reload, and after a restart the worker resumes every batch
that has files still queued.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from pipeline.archive import Archive
from pipeline.errors import InputError, VanbanError
from pipeline.ingest import open_source
from pipeline.ingest.sources import SUPPORTED_EXTS
from pipeline.run import FileOutcome, Listener, ingest
from pipeline.settings import Settings
from pipeline.web.store import NewFile, WebStore

SCAN_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")
ALREADY = "already in the archive"


@dataclass(frozen=True)
class Incoming:
    """One file as the browser sent it: its name (maybe a relative path in a folder) and content."""

    name: str
    stream: BinaryIO


def safe_name(name: str) -> str:
    """A file name to store under: the last path part, letters/digits/.-_ only, at most 80 characters."""
    base = re.split(r"[\\/]", name)[-1]
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = re.sub(r"[^\w.-]+", "_", stem, flags=re.UNICODE).strip("._")[:72] or "file"
    ext = re.sub(r"[^\w]+", "", ext)[:6]
    return f"{stem}.{ext}" if ext else stem


def receive(
    store: WebStore,
    archive: Archive,
    user: str,
    files: Iterable[Incoming],
    root: Path,
    settings: Settings,
    max_bytes: int,
) -> int:
    """Check and keep the files, record the batch; returns its id."""
    folder = f"{time.strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(4)}"
    target = root / folder
    target.mkdir(parents=True, exist_ok=False)
    rows: list[NewFile] = []
    try:
        for n, item in enumerate(files, start=1):
            rows.append(_keep(item, target / f"{n:04d}-{safe_name(item.name)}", archive, settings, max_bytes))
        if not rows:
            raise ValueError("không có tệp nào được gửi lên")
        return store.add_batch(user, str(target), rows)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)  # nothing half-stored: no batch, no files
        raise


def _keep(item: Incoming, path: Path, archive: Archive, settings: Settings, max_bytes: int) -> NewFile:
    """Keep one uploaded file, or say why not."""
    part = path.with_name(path.name + ".part")
    digest = hashlib.sha256()
    size = 0
    head = b""
    try:
        with part.open("wb") as out:
            while chunk := item.stream.read(1 << 20):
                if not head:
                    head = chunk[:8]
                size += len(chunk)
                if size > max_bytes:
                    return _refused(item.name, size, f"file too large (over {max_bytes // 2**20} MiB)")
                digest.update(chunk)
                out.write(chunk)
        folder = "/" in item.name or "\\" in item.name
        ext = Path(item.name).suffix.lower()
        if folder and ext not in SUPPORTED_EXTS and not head.startswith(SCAN_MAGIC):
            # a folder ingest passes over what is not a scan, as ``vanban ingest FOLDER`` does
            return NewFile(item.name, None, size, None, "skipped", f"not a scan ('{ext or '(none)'}'), passed over")
        part.rename(path)
        try:
            open_source(path, settings.max_pixels, settings.dpi)  # the command line's checks and reasons
            if not head.startswith(SCAN_MAGIC):  # an image Pillow reads but ingest does not take (GIF, BMP)
                raise InputError("not a PDF, TIFF, PNG or JPEG file (checked by content)")
        except VanbanError as exc:
            path.unlink()
            return _refused(item.name, size, str(exc))
        sha = digest.hexdigest()
        if archive.has(sha):
            path.unlink()
            return NewFile(item.name, None, size, sha, "skipped", ALREADY, int(archive.resolve(sha)))
        return NewFile(item.name, str(path), size, sha, "queued", "")
    finally:
        part.unlink(missing_ok=True)


def _refused(name: str, size: int, reason: str) -> NewFile:
    return NewFile(name, None, size, None, "failed", reason)


class _Progress(Listener):
    """Writes the batch's page count and each file's outcome as the runner reports them."""

    def __init__(self, worker: Worker, batch_id: int, files: dict[Path, tuple[int, str | None]]) -> None:
        self.worker = worker
        self.batch_id = batch_id
        self.files = files
        self.done = self.total = 0
        self.saved = 0.0

    def start(self, total_pages: int) -> None:
        self.total = total_pages
        self.worker.store.set_progress(self.batch_id, 0, total_pages)

    def page_done(self) -> None:
        self.done += 1
        if time.monotonic() - self.saved >= 0.5 or self.done == self.total:  # a write or two a second at most
            self.worker.store.set_progress(self.batch_id, self.done, self.total)
            self.saved = time.monotonic()

    def file_done(self, outcome: FileOutcome) -> None:
        file_id, sha = self.files[outcome.path]
        doc_id = int(outcome.doc_id) if outcome.doc_id else None
        if outcome.status == "skipped" and outcome.reason.startswith(ALREADY) and sha:
            # archived by this batch before a restart (uploads already in the archive never queue)
            outcome = replace(outcome, status="ingested", reason="")
            doc_id = int(self.worker.archive.resolve(sha))
        self.worker.store.set_file_outcome(file_id, outcome.status, outcome.reason, doc_id, outcome.pages)


class Worker:
    """The background ingest of uploaded batches: one thread with its own archive connection, in one
    server process only (the one holding ``lock``, a file lock; with ``vanban serve --processes N``
    the others leave their uploads to it). Batches wait in the archive, not in memory: the thread
    takes the oldest unfinished one when told of a new batch or every ``POLL`` seconds, so a batch
    uploaded through another process, or left running by a crash, is picked up."""

    POLL = 2.0

    def __init__(self, open_archive: Callable[[], Archive], settings: Settings, lock: Path) -> None:
        self.open_archive = open_archive
        self.settings = settings
        self.lock = lock
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.busy = threading.Event()
        self.thread: threading.Thread | None = None
        self.lock_file = None
        self.archive: Archive
        self.store: WebStore

    def start(self) -> None:
        import fcntl

        self.lock.parent.mkdir(parents=True, exist_ok=True)
        self.lock_file = self.lock.open("a")
        try:
            fcntl.flock(self.lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # another process of this server ingests
            self.lock_file.close()
            self.lock_file = None
            return
        self.archive = self.open_archive()
        self.store = WebStore(self.archive)
        self.thread = threading.Thread(target=self._run, name="vanban-ingest", daemon=True)
        self.thread.start()

    def submit(self, batch_id: int) -> None:
        self.wake.set()

    def stop(self, wait: float = 5.0) -> None:
        """Stop after the current batch; a batch still running after ``wait`` seconds is left to
        the next start, which resumes it (the thread is a daemon and ends with the process)."""
        if self.thread is not None:
            self.stopping.set()
            self.wake.set()
            self.thread.join(wait)
            if not self.thread.is_alive():
                self.archive.close()
            self.thread = None
        if self.lock_file is not None:
            self.lock_file.close()  # releases the lock
            self.lock_file = None

    def idle(self) -> bool:
        """Nothing running and nothing waiting (for tests and benchmarks)."""
        if self.busy.is_set():
            return False
        with self.open_archive() as archive:
            return not WebStore(archive).unfinished_batches()

    def _run(self) -> None:
        while not self.stopping.is_set():
            pending = self.store.unfinished_batches()
            if not pending:
                self.wake.wait(self.POLL)
                self.wake.clear()
                continue
            self.busy.set()
            try:
                self._ingest(pending[0])
            finally:
                self.busy.clear()

    def _ingest(self, batch_id: int) -> None:
        self.store.set_batch_state(batch_id, "running")
        files = {Path(f.stored): (f.id, f.sha256) for f in self.store.batch_files(batch_id)
                 if f.status == "queued" and f.stored}  # fmt: skip
        if files:
            try:
                ingest(list(files), self.archive, self.settings, _Progress(self, batch_id, files))
            except Exception as exc:  # the runner reports files; this is the archive itself failing
                reason = f"internal error: {type(exc).__name__}: {' '.join(str(exc).split())}"
                for f in self.store.batch_files(batch_id):
                    if f.status == "queued":
                        self.store.set_file_outcome(f.id, "failed", reason, None, 0)
        self.store.set_batch_state(batch_id, "done")
