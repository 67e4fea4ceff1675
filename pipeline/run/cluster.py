"""The batch on a Dask cluster: the runner's own check, page and document jobs, run by Dask workers.

    client   list the inputs (local folders, or any fsspec URL)
    workers  check each file (``open_source``: validation and SHA-256)
    client   keep the files neither the batch nor the archive holds yet (``batch.admit``)
    workers  the page jobs (``process_page``: cleanup, OCR, restoration), then each document's job
             (``assemble``: fields) on the page results, which Dask moves between workers itself
    client   each document stored in one archive transaction as its record arrives (``batch.store``)

The workers read the scans themselves: a path (a local or shared file system) directly, any other
fsspec URL (``s3://``, ``gs://``... with that file system's package installed) through a copy in
a cache shared by the workers of one machine. Exactly once, at any scale: a document is stored in
one transaction under its SHA-256, which the archive keeps unique (PostgreSQL takes a lock per
SHA-256, so two clients storing the same document store it once); a worker that dies has its jobs
run again by the scheduler (a job that kills three workers fails its file); a client that dies
leaves only whole documents behind, and a rerun skips them.

``local:N`` starts a ``LocalCluster`` of N single-threaded worker processes on this machine; any
other address is an existing scheduler's (``dask scheduler`` and ``dask worker`` on the machines,
each set up with ``scripts/setup.sh``). Dask is the optional ``cluster`` extra, imported only here.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import re
import tempfile
import time
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, UsageError, VanbanError
from pipeline.ingest import Source, SourceError, discover
from pipeline.ingest.sources import SUPPORTED_EXTS
from pipeline.run.batch import SINGLE_THREAD_ENV, BatchLexicon, BatchReport, FileOutcome, Listener, admit, store
from pipeline.run.document import assemble
from pipeline.run.page import PageFailure, PageJob, PageResult, process_page
from pipeline.run.stages import STAGES, Stages
from pipeline.settings import Settings
from pipeline.types import DocumentRecord

INSTALL = "pip install 'vanban[cluster]'"
CACHE_BYTES = 8 * 2**30  # copies of remote files kept per machine (VANBAN_CACHE)
CACHE_KEEP_SECONDS = 3600  # a copy used this recently is never evicted (a job may be reading it)
PAGES_PER_THREAD = 4  # page jobs in flight per worker thread: enough to keep every worker busy
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters
CHECK_CHUNK = 10_000  # files checked at a time (their futures and results held by the client)
_LOCAL = re.compile(r"local:(\d+)")
# Job priorities: checks first, then a document's job as soon as its pages are in (frees their memory).
CHECK, PAGE, DOCUMENT = 2, 0, 1


# --- inputs: local paths or fsspec URLs ------------------------------------------------------------------
def is_url(text: str) -> bool:
    """Whether an input names a file system by protocol (``s3://b/k``, ``file:///x``, ``simplecache::...``)."""
    return "://" in text or "::" in text


def _local(url: str) -> Path | None:
    """The file a path or ``file://`` URL names on this machine; None for any other file system."""
    if not is_url(url):
        return Path(url)
    if url.startswith("file://") and "::" not in url:
        from fsspec.implementations.local import LocalFileSystem

        return Path(LocalFileSystem._strip_protocol(url))
    return None


def discover_inputs(inputs: Sequence[str | Path]) -> tuple[list[Path | str], list[tuple[Path | str, str]]]:
    """Files to ingest (a Path for a local file, the URL for any other) and (input, reason) for unusable
    inputs; folders expanded recursively, as ``pipeline.ingest.discover`` does for paths."""
    files: list[Path | str] = []
    problems: list[tuple[Path | str, str]] = []
    for item in inputs:
        text = os.fspath(item)
        path = _local(text)
        if path is not None:
            found, bad = discover([path])
            files += found
            problems += bad
            continue
        try:
            import fsspec

            fs, root = fsspec.core.url_to_fs(text)
            if fs.isdir(root):
                names = sorted(n for n in fs.find(root) if Path(n).suffix.lower() in SUPPORTED_EXTS)
                files += [fs.unstrip_protocol(n) for n in names]
            elif fs.isfile(root):
                files.append(text)
            else:
                problems.append((text, "no such file or directory"))
        except Exception as exc:  # a missing package (s3fs), credentials, the network: this input only
            problems.append((text, f"cannot list it ({_one_line(exc)})"))
    return files, problems


def _one_line(exc: BaseException) -> str:
    return " ".join(f"{type(exc).__name__}: {exc}".split())


def fetch(url: str, version: str | None = None) -> tuple[Path, str | None]:
    """A path on this machine holding the file's bytes, and the remote file's version (fsspec's ``ukey``;
    None for a local file). Remote files are copied once per machine into a cache the workers share;
    SourceError when the file is no longer the ``version`` that was checked."""
    path = _local(url)
    if path is not None:
        return path, None
    import fsspec

    try:
        fs, name = fsspec.core.url_to_fs(url)
        now = fs.ukey(name)
    except FileNotFoundError:
        raise SourceError("the file was deleted or moved after the batch started") from None
    except Exception as exc:
        raise SourceError(f"cannot read it ({_one_line(exc)})") from None
    if version is not None and now != version:
        raise SourceError("the file changed after it was checked; ingest it again to read what it holds now")
    cache = _cache_dir()
    copy = cache / (hashlib.sha256(f"{url}\0{now}".encode()).hexdigest()[:40] + Path(name).suffix.lower())
    if copy.exists():
        os.utime(copy)  # recently used: kept by the eviction below
        return copy, now
    part = cache / f".{copy.name}.{os.getpid()}.part"
    try:
        fs.get_file(name, str(part))
        os.replace(part, copy)  # whole or not at all; two workers fetching the same file both succeed
    except Exception as exc:
        part.unlink(missing_ok=True)
        raise SourceError(f"cannot copy it to this worker ({_one_line(exc)})") from None
    _evict(cache)
    return copy, now


def _cache_dir() -> Path:
    path = Path(os.environ.get("VANBAN_CACHE") or Path(tempfile.gettempdir()) / f"vanban-cache-{os.getuid()}")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _evict(cache: Path) -> None:
    """Least recently used copies removed while the cache holds over CACHE_BYTES (never one used within
    CACHE_KEEP_SECONDS: a job on this machine may still read it)."""
    entries = []
    for entry in os.scandir(cache):
        try:
            st = entry.stat()
        except FileNotFoundError:  # another worker evicted it
            continue
        entries.append((st.st_mtime, st.st_size, entry.path))
    total = sum(size for _, size, _ in entries)
    cutoff = time.time() - CACHE_KEEP_SECONDS
    for mtime, size, name in sorted(entries):
        if total <= CACHE_BYTES or mtime > cutoff:
            break
        Path(name).unlink(missing_ok=True)
        total -= size


# --- the jobs the workers run ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Checked:
    """A checked file as the client sees it: the source (its path is the checking worker's) and the
    remote version the check read."""

    source: Source
    version: str | None


@dataclass(frozen=True)
class Failed:
    """A job's failure that names its reason for the file (what the runner's jobs raise as a
    VanbanError), returned rather than raised: a worker logs every raised one as a crash."""

    reason: str


@functools.cache
def _worker_ready() -> None:
    """Once per worker process, before its first job: one thread for Tesseract, OpenCV and BLAS in
    each job (the cluster runs a job per worker thread), as the process pool's workers have."""
    os.environ.update(SINGLE_THREAD_ENV)
    import cv2

    cv2.setNumThreads(1)
    _keep_freed_memory()


def _keep_freed_memory() -> None:
    """Let glibc keep freed memory for the next page. Dask starts its workers with
    MALLOC_TRIM_THRESHOLD_=65536, which hands every freed page image back to the kernel and faults
    the next one in again (twice the system time of the process pool's workers); a page's images
    are tens of megabytes, allocated and freed for every page."""
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: nothing to undo
        return
    libc.mallopt(M_MMAP_THRESHOLD, 64 * 2**20)  # a page image comes from the heap, not its own mmap
    libc.mallopt(M_TRIM_THRESHOLD, 512 * 2**20)


def check_job(url: str, settings: Settings, stages: Stages) -> Checked | Failed:
    """``open_source`` on a worker: the file's checks and its SHA-256, read where the workers read it."""
    _worker_ready()
    try:
        path, version = fetch(url)
        return Checked(stages.open_source(path, settings.max_pixels, settings.dpi), version)
    except VanbanError as exc:
        return Failed(str(exc))


def page_job(url: str, checked: Checked, index: int, settings: Settings, stages: Stages) -> PageResult | Failed:
    """The runner's page job on a worker: ``process_page`` on this worker's copy of the file."""
    _worker_ready()
    try:
        path, _ = fetch(url, checked.version)
        return process_page(PageJob(replace(checked.source, path=path), index, settings), stages)
    except VanbanError as exc:  # process_page turns every failure of its own into a PageFailure
        return Failed(str(exc) if isinstance(exc, PageFailure) else f"page {index + 1}: {exc}")


def document_job(
    url: str, checked: Checked, settings: Settings, stages: Stages, *pages: PageResult | Failed
) -> tuple[DocumentRecord, list[str]] | Failed:
    """The runner's document job on a worker: ``assemble`` (fields) over the document's page results;
    the first failed page's reason when a page failed."""
    for page in pages:
        if isinstance(page, Failed):
            return page
    try:
        record, warnings = assemble(checked.source, {r.record.index: r for r in pages}, stages)
    except VanbanError as exc:
        return Failed(str(exc))
    if _local(url) is None:  # the archive names the file as the user did, not a worker's copy
        record = replace(record, path=url)
    return record, warnings


# --- the client --------------------------------------------------------------------------------------------
@contextmanager
def connect(address: str) -> Iterator[Any]:
    """A Dask client for ``--cluster ADDRESS``: ``local:N`` starts a LocalCluster of N worker processes
    (one thread each) for as long as the block runs; anything else is an existing scheduler's address.
    UsageError when Dask is not installed or the scheduler cannot be reached."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(f"--cluster needs Dask: {INSTALL}") from None
    local = _LOCAL.fullmatch(address)
    if address.startswith("local") and (local is None or int(local.group(1)) < 1):
        raise UsageError(f"--cluster {address!r}: give local:N (N worker processes, N >= 1) or a scheduler address")
    if local:
        with _local_cluster(int(local.group(1))) as cluster, Client(cluster) as client:
            yield client
        return
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"--cluster {address}: cannot reach the Dask scheduler ({_one_line(exc)})") from None
    with client:
        yield client


@contextmanager
def _local_cluster(workers: int) -> Iterator[Any]:
    """A LocalCluster of ``workers`` single-threaded processes, with no dashboard unless $VANBAN_DASHBOARD
    gives its address (``:8787``): starting it costs ~1.5 s of the client's time in every run."""
    from distributed import LocalCluster

    address = os.environ.get("VANBAN_DASHBOARD") or None
    with LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=address,
        # without a dashboard the scheduler still serves its health and metrics routes: on a free port
        scheduler_kwargs=None if address else {"dashboard_address": ":0"},
        silence_logs=logging.ERROR,
        env=SINGLE_THREAD_ENV,
    ) as cluster:
        yield cluster


def dashboard(client: Any) -> str | None:
    """The Dask dashboard's address, when the scheduler serves one (a local cluster's scheduler lists
    its HTTP routes as the dashboard even when it was started without one)."""
    spec = getattr(getattr(client, "cluster", None), "scheduler_spec", None) or {}
    if spec.get("options", {}).get("dashboard") is False:
        return None
    try:
        return client.dashboard_link if "dashboard" in client.scheduler_info().get("services", {}) else None
    except Exception:
        return None


@dataclass(frozen=True)
class _Doc:
    name: Path | str  # as the user named it (outcomes, messages)
    url: str  # as the workers read it
    checked: Checked


def ingest_on_cluster(
    inputs: Sequence[str | Path],
    archive,
    settings: Settings,
    client: Any,
    listener: Listener | None = None,
    stages: Stages = STAGES,
) -> BatchReport:
    """``pipeline.run.ingest`` with the jobs run by the workers of ``client``'s Dask cluster: the same
    outcomes, listener calls and archive transactions (the client stores each document)."""
    listener = listener or Listener()
    started = time.perf_counter()
    _check_workers(client)
    files, problems = discover_inputs(inputs)
    outcomes: dict[Path | str, FileOutcome] = {name: FileOutcome(name, "failed", reason) for name, reason in problems}
    documents = _check(client, files, archive, settings, stages, outcomes)
    for outcome in outcomes.values():
        listener.file_done(outcome)
    listener.start(sum(d.checked.source.page_count for d in documents))
    for doc, outcome in _run(client, documents, archive, BatchLexicon(archive, settings), stages, listener):
        outcomes[doc.name] = outcome
        listener.file_done(outcome)
    ordered = [name for name, _ in problems] + files
    return BatchReport([outcomes[n] for n in ordered if n in outcomes], time.perf_counter() - started)


def _check_workers(client: Any) -> None:
    """UsageError unless every worker runs this version of vanban."""
    from pipeline import __version__

    try:
        versions = client.run(lambda: __import__("pipeline").__version__)
    except Exception as exc:
        raise UsageError(f"the cluster's workers cannot run vanban ({_one_line(exc)}); set each machine up "
                         "with scripts/setup.sh") from None  # fmt: skip
    if not versions:
        raise UsageError("the Dask cluster has no workers")
    other = {v for v in versions.values() if v != __version__}
    if other:
        raise UsageError(f"the cluster's workers run vanban {', '.join(sorted(other))}, this is {__version__}")


def _url(name: Path | str) -> str:
    """An input as the workers read it: a local path made absolute (the workers' directory is another)."""
    return str(name.absolute()) if isinstance(name, Path) else name


def _check(client: Any, files: list[Path | str], archive, settings: Settings, stages: Stages,
           outcomes: dict[Path | str, FileOutcome]) -> list[_Doc]:  # fmt: skip
    """Check every file on the workers, CHECK_CHUNK at a time (their results fetched in one transfer
    each); the documents to process, in the order the files were found."""
    from distributed import wait

    documents: list[_Doc] = []
    seen: dict[str, Path | str] = {}
    for start in range(0, len(files), CHECK_CHUNK):
        names = files[start : start + CHECK_CHUNK]
        futures = client.map(check_job, [_url(n) for n in names], settings=settings, stages=stages, pure=False,
                             priority=CHECK)  # fmt: skip
        wait(futures)
        done = [f for f in futures if f.status == "finished"]
        values = dict(zip(done, client.gather(done), strict=True))
        for name, future in zip(names, futures, strict=True):
            try:
                checked = _value(future, "the file's check", values)
            except VanbanError as exc:
                outcomes[name] = FileOutcome(name, "failed", str(exc))
                continue
            except Exception as exc:  # a bug
                outcomes[name] = FileOutcome(name, "failed", f"internal error: {_one_line(exc)}")
                continue
            if skip := admit(name, checked.source, seen, archive, settings):
                outcomes[name] = skip
            else:
                documents.append(_Doc(name, _url(name), checked))
    return documents


def _value(future: Any, job: str, fetched: dict | None = None) -> Any:
    """A job's result (from ``fetched`` when it is there); InputError with its reason when it failed
    (its ``Failed``, or its worker died)."""
    try:
        value = fetched[future] if fetched and future in fetched else future.result()
    except VanbanError:
        raise
    except Exception as exc:
        if type(exc).__name__ == "KilledWorker":
            raise InputError(f"{job} ended the worker running it every time it was tried (out of memory?)") from None
        raise
    if isinstance(value, Failed):
        raise InputError(value.reason)
    return value


def _run(client: Any, documents: list[_Doc], archive, lexicon: BatchLexicon, stages: Stages,
         listener: Listener) -> Iterator[tuple[_Doc, FileOutcome]]:  # fmt: skip
    """Submit the documents' jobs, at most PAGES_PER_THREAD pages per worker thread in flight; each
    document's outcome as soon as it is stored or has failed. The client never fetches a page's
    result: the document job reads them on the workers. A document's jobs carry the archive's lexicon
    as it is when they are submitted (with the names of the documents stored before)."""
    from distributed import as_completed

    window = max(8, PAGES_PER_THREAD * sum(client.nthreads().values()))
    queue = deque(documents)
    owner: dict[Any, _Doc | None] = {}  # future -> its document (None: a page job)
    running = as_completed()
    in_flight = 0

    def feed() -> None:
        nonlocal in_flight
        while queue and in_flight < window:
            doc = queue.popleft()
            settings = lexicon.settings()
            pages = [client.submit(page_job, doc.url, doc.checked, i, settings, stages, priority=PAGE)
                     for i in range(doc.checked.source.page_count)]  # fmt: skip
            job = client.submit(document_job, doc.url, doc.checked, settings, stages, *pages, priority=DOCUMENT)
            owner.update({**dict.fromkeys(pages), job: doc})
            running.update([*pages, job])
            in_flight += len(pages)

    feed()
    try:
        for future in running:
            doc = owner.pop(future)
            if doc is None:
                listener.page_done()
                in_flight -= 1
                feed()
                continue
            yield doc, store(doc.name, lambda f=future: _value(f, "a job of this file"), archive, lexicon.base, lexicon)
    finally:
        for future in owner:
            future.cancel()
