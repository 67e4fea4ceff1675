"""The batch on a Dask cluster (``pipeline.run.cluster``): a LocalCluster of 2 worker processes runs the
runner's own jobs; the outcomes and the archive are those of the local runner, whatever dies meanwhile."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("distributed")

from pipeline.archive import open_archive  # noqa: E402
from pipeline.errors import UsageError  # noqa: E402
from pipeline.ingest import SourceError  # noqa: E402
from pipeline.run import ingest  # noqa: E402
from pipeline.run.cluster import connect, dashboard, discover_inputs, fetch, ingest_on_cluster  # noqa: E402
from pipeline.settings import Settings  # noqa: E402
from tests.test_run import FAKE, FAULTS, fake_ocr  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
MARKS = "VANBAN_TEST_MARKS"  # folder where the slow stand-in OCR marks the pages it starts and ends
PAGE_SECONDS = 1.5


def slow_ocr(page, lang: str = "vie", timeout: float = 120.0):
    """The stand-in OCR, taking PAGE_SECONDS, leaving ``<page digest>-<pid>.start`` / ``.end`` marks."""
    mark = Path(os.environ[MARKS]) / f"{hashlib.sha256(page.image.tobytes()).hexdigest()[:16]}-{os.getpid()}"
    mark.with_suffix(".start").touch()
    time.sleep(PAGE_SECONDS)
    mark.with_suffix(".end").touch()
    return fake_ocr(page, lang, timeout)


SLOW = dataclasses.replace(FAKE, ocr=slow_ocr)


def deadly_ocr(page, lang: str = "vie", timeout: float = 120.0):
    """The stand-in OCR, ending its own process on a dark page (as a segfault or the OOM killer would)."""
    if page.image.mean() < 100:
        os.kill(os.getpid(), signal.SIGKILL)
    return fake_ocr(page, lang, timeout)


DEADLY = dataclasses.replace(FAKE, ocr=deadly_ocr)


def scans(folder: Path, names: list[str], seed: int = 0) -> Path:
    """One-page scans, each a different image (a line of ink at its own height); ``b*`` ones are dark
    (the stand-in stages' fault injection hits those)."""
    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(names):
        level = 40 if name.startswith("b") else 225
        image = np.full((300, 200), level, np.uint8)
        top = 20 + (7 * i + 31 * seed) % 250
        image[top : top + 10, 20:180] = 255 - level
        Image.fromarray(image).save(folder / f"{name}.png", dpi=(300, 300))
    return folder


@pytest.fixture(scope="module")
def marks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The marks folder, known to the workers through their environment (set before they start)."""
    path = tmp_path_factory.mktemp("marks")
    os.environ[MARKS] = str(path)
    return path


@pytest.fixture(scope="module")
def client(marks: Path):
    with connect("local:2") as c:
        yield c


def stored(location: str | Path) -> dict[str, dict]:
    """Every archived document by SHA-256: path, fields and what each page holds (not timings)."""
    out = {}
    with open_archive(location, mode="read") as archive:
        for doc_id in archive.ids():
            doc = archive.get(doc_id)
            assert doc.sha256 not in out, f"{doc.sha256} stored twice"
            pages = [(p.index, p.raw_text, p.restored_text, p.words, p.restored_words, p.source, p.width,
                      p.height, p.geometry) for p in doc.pages]  # fmt: skip
            out[doc.sha256] = {"path": doc.path, "fields": doc.fields, "pages": pages}
    return out


def outcomes(report) -> dict[str, tuple[str, str]]:
    return {Path(str(o.path)).name: (o.status, o.reason) for o in report.outcomes}


# --- quick: inputs, addresses ---------------------------------------------------------------------------------
def test_fsspec_inputs_are_listed_and_copied_once_per_version(tmp_path: Path, monkeypatch) -> None:
    import fsspec

    monkeypatch.setenv("VANBAN_CACHE", str(tmp_path / "cache"))
    fs = fsspec.filesystem("memory")
    fs.pipe({"/scans/a.pdf": b"%PDF-1 one", "/scans/sub/b.PNG": b"\x89PNG two", "/scans/notes.txt": b"x"})
    files, problems = discover_inputs(["memory://scans", "memory://missing.pdf", str(tmp_path / "gone")])
    assert files == ["memory:///scans/a.pdf", "memory:///scans/sub/b.PNG"]  # fsspec writes its root so
    assert problems == [("memory://missing.pdf", "no such file or directory"),
                        (tmp_path / "gone", "no such file or directory")]  # fmt: skip

    copy, version = fetch("memory://scans/a.pdf")
    assert copy.read_bytes() == b"%PDF-1 one" and copy.suffix == ".pdf" and copy.parent == tmp_path / "cache"
    assert fetch("memory://scans/a.pdf", version) == (copy, version)  # the same copy again
    fs.pipe({"/scans/a.pdf": b"%PDF-1 changed since"})
    with pytest.raises(SourceError, match="changed after it was checked"):
        fetch("memory://scans/a.pdf", version)
    fs.rm("/scans/a.pdf")
    with pytest.raises(SourceError, match="deleted or moved"):
        fetch("memory://scans/a.pdf", version)
    local = tmp_path / "x.png"
    assert fetch(str(local)) == (local, None) and fetch(local.as_uri()) == (local, None)


@pytest.mark.parametrize("address", ["local:0", "local:x", "local"])
def test_bad_cluster_addresses_are_usage_errors(address: str) -> None:
    with pytest.raises(UsageError, match="local:N"), connect(address):
        pass


def test_a_url_without_a_cluster_is_a_usage_error(tmp_path: Path) -> None:
    cmd = [sys.executable, "-m", "pipeline.cli", "ingest", "s3://bucket/scans", "--archive", str(tmp_path / "a.sqlite")]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2
    assert "s3://bucket/scans: URLs are read by cluster workers; add --cluster" in result.stderr
    assert not (tmp_path / "a.sqlite").exists()


# --- on a LocalCluster of 2 worker processes --------------------------------------------------------------------
def test_a_local_cluster_serves_no_dashboard_unless_asked(client) -> None:
    """No dashboard by default (it costs every run ~1.5 s); the workers read the client's environment
    and run Tesseract, OpenCV and BLAS on one thread."""
    assert dashboard(client) is None
    for env in client.run(lambda: dict(os.environ)).values():
        assert env[MARKS] == os.environ[MARKS] and env["OMP_THREAD_LIMIT"] == "1"


@pytest.mark.slow
@pytest.mark.parametrize("stage", sorted(FAULTS))
def test_a_failing_stage_fails_its_document_as_in_the_process_pool(client, tmp_path: Path, stage: str) -> None:
    """Fault injection on the cluster: the same outcomes, reasons and archive as the local runner."""
    folder = scans(tmp_path / "in", ["a", "b", "c"])
    (folder / "empty.pdf").write_bytes(b"")
    (folder / "copy.png").write_bytes((folder / "a.png").read_bytes())
    with open_archive(tmp_path / "local.sqlite") as archive:
        local = ingest([folder], archive, Settings(workers=2), stages=FAULTS[stage])
    with open_archive(tmp_path / "cluster.sqlite") as archive:
        remote = ingest_on_cluster([folder], archive, Settings(), client, stages=FAULTS[stage])
    assert outcomes(remote) == outcomes(local)
    assert outcomes(remote)["b.png"][0] == "failed" and "injected fault" in outcomes(remote)["b.png"][1]
    assert outcomes(remote)["empty.pdf"] == ("failed", "empty file (0 bytes)")
    assert [o.status for o in remote.outcomes].count("ingested") == 2
    assert stored(tmp_path / "cluster.sqlite") == stored(tmp_path / "local.sqlite")


@pytest.mark.slow
def test_the_cluster_ingests_what_the_local_runner_does(tmp_path: Path) -> None:
    """Real stages through the command line: ``--cluster local:2`` against ``--workers 1``, same outcomes,
    texts, word boxes and fields; the dashboard's address is printed when $VANBAN_DASHBOARD asks for one."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("12-tb-skhcn-photo.png", "11-qd-kien-an-fax.tiff"):
        (folder / name).write_bytes((SAMPLES / name).read_bytes())
    (folder / "truncated.pdf").write_bytes((SAMPLES / "01-cv-kien-an-clean.pdf").read_bytes()[:2000])
    reports = {}
    for run, extra in (("local", ["--workers", "1"]), ("cluster", ["--cluster", "local:2"])):
        location = str(tmp_path / f"{run}.sqlite")
        cmd = [sys.executable, "-m", "pipeline.cli", "ingest", str(folder), "--archive", location, "--json", *extra]
        env = dict(os.environ, VANBAN_DASHBOARD=":0")
        result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
        assert result.returncode == 1, result.stderr  # the truncated PDF
        reports[run] = [(f["path"], f["status"], f["reason"], f["pages"]) for f in json.loads(result.stdout)["files"]]
        if run == "cluster":
            assert "vanban: Dask dashboard at http://" in result.stderr
    assert reports["cluster"] == reports["local"]
    assert [r[1] for r in reports["cluster"]] == ["ingested", "ingested", "failed"]
    local, cluster = stored(tmp_path / "local.sqlite"), stored(tmp_path / "cluster.sqlite")
    assert cluster == local and len(cluster) == 2
    assert all(p[1] and p[2] and p[3] for doc in cluster.values() for p in doc["pages"])  # text and boxes


@pytest.mark.slow
def test_a_worker_killed_mid_page_and_every_document_stored_once(client, marks: Path, tmp_path: Path) -> None:
    folder = scans(tmp_path / "in", [f"a{i}" for i in range(6)], seed=1)
    workers = set(client.run(os.getpid).values())
    killed: list[int] = []

    def kill_one_mid_page() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            for start in marks.glob("*.start"):
                pid = int(start.stem.split("-")[1])
                if pid in workers and not start.with_suffix(".end").exists():
                    time.sleep(0.3)
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                    return
            time.sleep(0.05)

    killer = threading.Thread(target=kill_one_mid_page)
    killer.start()
    with open_archive(tmp_path / "a.sqlite") as archive:
        report = ingest_on_cluster([folder], archive, Settings(), client, stages=SLOW)
    killer.join()
    assert killed, "no worker was seen in the middle of a page"
    assert [o.status for o in report.outcomes] == ["ingested"] * 6
    assert len(stored(tmp_path / "a.sqlite")) == 6
    # the page the worker died in was done again by another worker
    died_in = {m.stem for m in marks.glob(f"*-{killed[0]}.start")} - {m.stem for m in marks.glob(f"*-{killed[0]}.end")}
    assert died_in and all(list(marks.glob(f"{page.split('-')[0]}-*.end")) for page in died_in)
    assert killed[0] not in set(client.run(os.getpid).values())


@pytest.mark.slow
def test_a_page_that_kills_every_worker_fails_its_file_only(client, tmp_path: Path) -> None:
    folder = scans(tmp_path / "in", ["a0", "b0", "a1"], seed=6)
    with open_archive(tmp_path / "a.sqlite") as archive:
        report = ingest_on_cluster([folder], archive, Settings(), client, stages=DEADLY)
    assert outcomes(report)["b0.png"] == (
        "failed", "a job of this file ended the worker running it every time it was tried (out of memory?)"
    )
    assert [o.status for o in report.outcomes].count("ingested") == 2
    assert len(stored(tmp_path / "a.sqlite")) == 2


@pytest.mark.slow
def test_the_cluster_workers_restore_with_the_archives_lexicon(client, tmp_path: Path) -> None:
    """The lexicon travels with the jobs (the workers never read the archive): a staff entry, and the
    names a document stored in an earlier batch read confidently."""
    from tests.test_run import CUONG, TEXT, text_scan

    client.wait_for_workers(2, timeout=120)  # the test before kills workers; their nannies start new ones
    pages = (("c", 212), ("a", 210), ("b", 211))
    staff, earlier, later = (text_scan(tmp_path / name, name, key) for name, key in pages)
    with open_archive(tmp_path / "a.sqlite") as archive:
        archive.add_lexicon(["Phạm Việt Hùng"], "staff")
        ingest_on_cluster([staff.parent, earlier.parent], archive, Settings(), client, stages=TEXT)
        ingest_on_cluster([later.parent], archive, Settings(), client, stages=TEXT)
        texts = {p.stem: archive.get(archive.ids(str(p.resolve()))[0]).pages[0].restored_text for p in (staff, later)}
    assert texts["c"].startswith("Ông Phạm Việt Hùng ") and texts["b"] == CUONG


def client_main() -> None:
    """A client in its own process for the tests below: ``python -c 'from tests.test_cluster import
    client_main; client_main()' ADDRESS ARCHIVE FOLDER...``; prints the outcomes as JSON."""
    address, location, *folders = sys.argv[1:]
    with connect(address) as c, open_archive(location) as archive:
        report = ingest_on_cluster(folders, archive, Settings(), c, stages=SLOW)
    print(json.dumps([[str(o.path), o.status, o.doc_id] for o in report.outcomes]))


def _client(address: str, location: str | Path, *folders: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-c", "from tests.test_cluster import client_main; client_main()", address, str(location),
           *map(str, folders)]  # fmt: skip
    return subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_a_client_killed_mid_batch_and_rerun(client, marks: Path, tmp_path: Path) -> None:
    """SIGKILL the client (and with it its LocalCluster) once two documents are stored: the archive holds
    whole documents only, and the rerun stores the rest, each once, skipping those already in."""
    folder = scans(tmp_path / "in", [f"a{i}" for i in range(8)], seed=2)
    location = tmp_path / "a.sqlite"
    proc = _client("local:2", location, folder)
    count = 0
    deadline = time.monotonic() + 180
    while count < 2 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
        if location.exists():
            try:
                with sqlite3.connect(f"file:{location}?mode=ro", uri=True) as db:
                    count = db.execute("SELECT count(*) FROM documents").fetchone()[0]
            except sqlite3.OperationalError:  # not created yet
                pass
    proc.kill()
    proc.communicate()
    assert count >= 2, "the client never stored two documents"
    before = stored(location)
    assert 2 <= len(before) < 8
    with open_archive(location) as archive:
        assert not archive.check().problems
        report = ingest_on_cluster([folder], archive, Settings(), client, stages=SLOW)
    statuses = [o.status for o in report.outcomes]
    assert statuses.count("skipped") == len(before) and statuses.count("ingested") == 8 - len(before)
    after = stored(location)
    assert len(after) == 8 and all(after[sha] == doc for sha, doc in before.items())


@pytest.mark.slow
def test_two_clients_at_once_on_one_postgres_archive(client, pg_url: str, tmp_path: Path) -> None:
    """Two clients ingest overlapping folders at the same time through one scheduler into one
    PostgreSQL archive: each document is stored once, and both clients report it under one id."""
    a = scans(tmp_path / "a", ["a0", "a1"], seed=3)
    shared = scans(tmp_path / "shared", [f"s{i}" for i in range(4)], seed=4)
    c = scans(tmp_path / "c", ["c0", "c1"], seed=5)
    address = client.scheduler.address
    first, second = _client(address, pg_url, a, shared), _client(address, pg_url, shared, c)
    reports = [json.loads(proc.communicate(timeout=300)[0]) for proc in (first, second)]
    assert first.returncode == 0 and second.returncode == 0
    documents = stored(pg_url)
    assert len(documents) == 8
    ids = {}
    for report in reports:
        assert {status for _, status, _ in report} <= {"ingested", "skipped"}
        for path, status, doc_id in report:
            if status == "ingested":
                assert ids.setdefault(Path(path).name, doc_id) == doc_id
    assert len(set(ids.values())) == 8
