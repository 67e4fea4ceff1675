"""Ingest overhead and scaling, measured side by side in one run on the same sample pages.

1. bare `tesseract PAGE - -l vie` per page (one thread) vs `vanban ingest --workers 1`:
   the pipeline's overhead over OCR alone (cleanup, restoration, extraction, archive).
2. `vanban ingest --workers 2` vs `--workers 1`: parallel scaling, beside the machine's own ceiling:
   bare Tesseract run two pages at a time vs one at a time.

The pages are the sample PDFs' pages rasterised once to 300 dpi PNGs, so both sides read the same
images and rasterisation is not counted on either side.

    python scripts/bench_ingest.py [--pages 8] [--samples samples]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pdf2image import convert_from_path

ROOT = Path(__file__).resolve().parent.parent
VANBAN = [sys.executable, "-m", "pipeline.cli"]


def rasterise(samples: Path, limit: int, out: Path) -> list[Path]:
    pages: list[Path] = []
    for pdf in sorted(samples.glob("*.pdf")):
        for i, image in enumerate(convert_from_path(str(pdf), dpi=300)):
            if len(pages) == limit:
                return pages
            path = out / f"{pdf.stem}-p{i + 1}.png"
            image.save(path, dpi=(300, 300))
            pages.append(path)
    return pages


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def timed_parallel(cmds: list[list[str]], env: dict[str, str], workers: int) -> float:
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda cmd: subprocess.run(cmd, check=True, env=env, capture_output=True), cmds))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    args = parser.parse_args()
    env = dict(os.environ, OMP_THREAD_LIMIT="1")

    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        (tmpdir / "pages").mkdir()
        pages = rasterise(args.samples, args.pages, tmpdir / "pages")
        n = len(pages)
        print(f"{n} pages from {args.samples}, 300 dpi, Tesseract limited to one thread per process")

        bare_cmds = [["tesseract", str(p), "-", "-l", "vie"] for p in pages]
        bare = timed_parallel(bare_cmds, env, 1)
        bare2 = timed_parallel(bare_cmds, env, 2)
        ingest = [*VANBAN, "ingest", str(tmpdir / "pages"), "--json"]
        one = timed([*ingest, "--archive", str(tmpdir / "w1.sqlite"), "--workers", "1"], env)
        two = timed([*ingest, "--archive", str(tmpdir / "w2.sqlite"), "--workers", "2"], env)

    print(f"{'run':<34}{'seconds':>9}{'s/page':>9}{'pages/s':>9}")
    for name, seconds in (
        ("bare tesseract -l vie", bare),
        ("bare tesseract, 2 at a time", bare2),
        ("vanban ingest --workers 1", one),
        ("vanban ingest --workers 2", two),
    ):
        print(f"{name:<34}{seconds:>9.1f}{seconds / n:>9.2f}{n / seconds:>9.2f}")
    print(f"overhead: vanban --workers 1 / bare tesseract = {one / bare:.2f}x  (target <= 1.25x)")
    print(f"scaling:  --workers 2 vs --workers 1 = {one / two:.2f}x  (target >= 1.7x on 2 idle cores); "
          f"bare tesseract 2 at a time vs 1: {bare / bare2:.2f}x (this machine's ceiling)")


if __name__ == "__main__":
    main()
