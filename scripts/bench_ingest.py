"""Ingest overhead and scaling, measured side by side in one run on the same sample pages.

1. bare `tesseract PAGE - -l vie` per page (one thread) vs `vanban ingest --workers 1`:
   the pipeline's overhead over OCR alone (cleanup, restoration, extraction, archive).
2. `vanban ingest --workers 2` vs `--workers 1`: parallel scaling, beside the machine's own ceiling:
   bare Tesseract run two pages at a time vs one at a time.
3. with ``--cluster ADDRESS`` (e.g. ``local:2``): `vanban ingest --cluster ADDRESS` beside
   `--workers 2` and bare Tesseract two at a time, each whole command timed as a user runs it (a
   LocalCluster's start included); ``--repeat R`` runs the three R times, round after round, and
   compares their medians.
4. with ``--stages``: every page through the runner in this process (one core), each stage function
   timed (``Stages`` wrapped with timers), and the records stored in SQLite and PostgreSQL (a
   throw-away server, as bench_search starts): seconds per page of each stage, pages/s per core.

The pages are the sample PDFs' pages rasterised once to 300 dpi PNGs, so both sides read the same
images and rasterisation is not counted on either side; ``--pages`` beyond the 17 the PDFs hold
repeats them as new files (a PNG text chunk tells them apart; same image, so same work).

    python scripts/bench_ingest.py [--pages 8] [--samples samples] [--cluster local:2] [--repeat 1] [--stages]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pdf2image import convert_from_path
from PIL.PngImagePlugin import PngInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
VANBAN = [sys.executable, "-m", "pipeline.cli"]
STAGE_NAMES = {"open_source": "check + SHA-256", "load_page": "decode page", "clean": "cleanup + layout",
               "ocr": "Tesseract OCR", "restore": "restoration", "extract": "fields"}  # fmt: skip


def rasterise(samples: Path, limit: int, out: Path) -> list[Path]:
    images = [(pdf.stem, i, image) for pdf in sorted(samples.glob("*.pdf"))
              for i, image in enumerate(convert_from_path(str(pdf), dpi=300))]  # fmt: skip
    pages: list[Path] = []
    for n in range(limit):
        stem, i, image = images[n % len(images)]
        copy = n // len(images)
        info = PngInfo()
        info.add_text("copy", str(copy))
        path = out / f"{stem}-p{i + 1}{f'-copy{copy}' if copy else ''}.png"
        image.save(path, dpi=(300, 300), pnginfo=info)
        pages.append(path)
    return pages


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, check=True, env=env, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    if "--json" in cmd:  # every page ingested, or the timing means nothing
        files = json.loads(result.stdout)["files"]
        assert all(f["status"] == "ingested" for f in files), [f for f in files if f["status"] != "ingested"]
    return seconds


def timed_parallel(cmds: list[list[str]], env: dict[str, str], workers: int) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda cmd: subprocess.run(cmd, check=True, env=env, capture_output=True), cmds))
    return time.perf_counter() - start


def stage_seconds(pages: list[Path]) -> None:
    """Seconds per page of each stage, in this process on one core, and of storing the records."""
    import dataclasses
    from collections import defaultdict

    from bench_search import temp_postgres

    from pipeline.archive import open_archive
    from pipeline.run import STAGES, process_file
    from pipeline.settings import Settings

    spent: dict[str, float] = defaultdict(float)

    def timer(name: str, fn):
        def call(*args, **kwargs):
            t = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.process_time() - t

        return call

    stages = dataclasses.replace(STAGES, **{n: timer(n, getattr(STAGES, n)) for n in STAGE_NAMES})
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import cv2

    cv2.setNumThreads(1)
    process_file(pages[0], Settings(workers=1), stages)  # models loaded, not counted
    spent.clear()
    children = os.times().children_user + os.times().children_system
    t = time.perf_counter()
    records = [process_file(p, Settings(workers=1), stages) for p in pages]
    wall = time.perf_counter() - t
    tesseract = os.times().children_user + os.times().children_system - children  # the OCR subprocesses
    spent["ocr"] += tesseract
    n = len(pages)
    with tempfile.TemporaryDirectory() as tmp, temp_postgres(Path("/usr/lib/postgresql/15/bin")) as pg:
        for name, where in (("SQLite", str(Path(tmp) / "a.sqlite")), ("PostgreSQL", f"{pg}/bench")):
            with open_archive(where) as archive:
                t = time.process_time()
                for record in records:
                    archive.add(record)
                spent[f"store ({name}, this process)"] = time.process_time() - t
    print(f"per stage, CPU seconds per page on one core ({n} pages; Tesseract's own processes counted in OCR):")
    for name, seconds in spent.items():
        print(f"  {STAGE_NAMES.get(name, name):<36}{seconds / n:>8.3f}")
    total = sum(v for k, v in spent.items() if k in STAGE_NAMES)
    print(f"  {'all stages':<36}{total / n:>8.3f}   -> {n / total:.3f} pages/s per core "
          f"(wall {wall / n:.2f} s/page)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    parser.add_argument("--cluster", metavar="ADDRESS", help="also time vanban ingest --cluster ADDRESS")
    parser.add_argument("--repeat", type=int, default=1, help="runs of --workers 2 and --cluster each, alternating")
    parser.add_argument("--stages", action="store_true", help="only the per-stage seconds on one core")
    args = parser.parse_args()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        (tmpdir / "pages").mkdir()
        pages = rasterise(args.samples, args.pages, tmpdir / "pages")
        n = len(pages)
        print(f"{n} pages from {args.samples}, 300 dpi, Tesseract limited to one thread per process")
        if args.stages:
            return stage_seconds(pages)

        def ingest(name: str, *extra: str) -> float:
            archive = tmpdir / f"{name}.sqlite"
            archive.unlink(missing_ok=True)
            return timed([*VANBAN, "ingest", str(tmpdir / "pages"), "--json", "--archive", str(archive), *extra], env)

        bare_cmds = [["tesseract", str(p), "-", "-l", "vie"] for p in pages]
        bare = timed_parallel(bare_cmds, env, 1)
        one = ingest("w1", "--workers", "1")
        bare2_runs, two_runs, cluster_runs = [], [], []
        for _ in range(max(1, args.repeat)):  # the two-at-a-time runs side by side, round after round
            bare2_runs.append(timed_parallel(bare_cmds, env, 2))
            two_runs.append(ingest("w2", "--workers", "2"))
            if args.cluster:
                cluster_runs.append(ingest("cluster", "--cluster", args.cluster))
        bare2, two = statistics.median(bare2_runs), statistics.median(two_runs)

    rows = [("bare tesseract -l vie", bare), ("bare tesseract, 2 at a time", bare2),
            ("vanban ingest --workers 1", one), ("vanban ingest --workers 2", two)]  # fmt: skip
    if cluster_runs:
        cluster = statistics.median(cluster_runs)
        rows.append((f"vanban ingest --cluster {args.cluster}", cluster))
    print(f"{'run':<40}{'seconds':>9}{'s/page':>9}{'pages/s':>9}")
    for name, seconds in rows:
        print(f"{name:<40}{seconds:>9.1f}{seconds / n:>9.2f}{n / seconds:>9.2f}")
    print(f"overhead: vanban --workers 1 / bare tesseract = {one / bare:.2f}x  (target <= 1.25x)")
    print(f"scaling:  --workers 2 vs --workers 1 = {one / two:.2f}x  (target >= 1.7x on 2 idle cores); "
          f"bare tesseract 2 at a time vs 1: {bare / bare2:.2f}x (this machine's ceiling)")
    if cluster_runs:
        runs = ", ".join(f"{a:.1f}/{b:.1f}/{c:.1f}" for a, b, c in zip(bare2_runs, two_runs, cluster_runs, strict=True))
        print(f"cluster:  --cluster {args.cluster} / --workers 2 = {cluster / two:.2f}x  (target <= 1.10x); "
              f"/ bare tesseract 2 at a time = {cluster / bare2:.2f}x")  # fmt: skip
        ratios = [c / t for t, c in zip(two_runs, cluster_runs, strict=True)]
        print(f"          rounds, seconds (bare tesseract 2 at a time / --workers 2 / --cluster): {runs}; "
              f"--cluster / --workers 2 per round: {', '.join(f'{r:.2f}' for r in ratios)} "
              f"(median {statistics.median(ratios):.2f}x)")  # fmt: skip


if __name__ == "__main__":
    main()
