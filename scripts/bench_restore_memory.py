"""Peak memory and time of restoration against input size, side by side in one run.

    nice -n 10 .venv/bin/python scripts/bench_restore_memory.py [--sizes 0.1,1,10,20] [--api]

Input: accent-stripped Vietnamese Wikipedia lines from ../shared/corpus (every word is decoded,
the heaviest ordinary case), cut to each size in MB of UTF-8. Each size runs in a fresh process,
pinned to one core: ``vanban restore FILE -o OUT`` (and, with --api, ``restore(text)`` keeping the
whole RestoredText with every token). Also one 100,000-letter "word" (passed through unchanged).
Prints peak RSS, wall and CPU seconds, and syllables per CPU-second.
"""

from __future__ import annotations

import argparse
import lzma
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.settings import SHARED_DIR  # noqa: E402
from pipeline.vietnamese import WORD_RE, fold  # noqa: E402

CLI = "import sys; from pipeline.cli import main; sys.exit(main())"
API = """
import sys
from pipeline.restore import restore
text = open(sys.argv[1], encoding="utf-8").read()
r = restore(text)
print(len(r.tokens), file=sys.stderr)
"""


def make_input(mb: float, dest: Path) -> int:
    """Write ``mb`` MB of accent-stripped wiki text to ``dest``; return its word count."""
    want = int(mb * 1_000_000)
    size = words = 0
    with lzma.open(SHARED_DIR / "corpus" / "viwiki.txt.xz", "rt", encoding="utf-8") as src, open(
        dest, "w", encoding="utf-8"
    ) as out:
        for line in src:
            line = fold(line)
            n = len(line.encode("utf-8"))
            if size + n > want:
                break
            out.write(line)
            size += n
            words += sum(1 for w in WORD_RE.findall(line) if not w.isdigit())
    return words


def measure(argv: list[str]) -> tuple[float, float, float, int]:
    """(peak RSS MB, wall s, CPU s, exit status) of one child process on one core."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    core = min(os.sched_getaffinity(0))
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=lambda: os.sched_setaffinity(0, {core}))  # fmt: skip
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.stderr.close()
    return usage.ru_maxrss / 1024, wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="0.1,1,10,20", help="input sizes in MB")
    ap.add_argument("--api", action="store_true", help="also restore(text) keeping every token")
    args = ap.parse_args()
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="vanban-bench-restore-") as tmp:
        out = Path(tmp) / "out.txt"
        print(f"{'input':>24} | {'mode':>14} | {'peak RSS':>9} | {'wall':>8} | {'CPU':>8} | syll/CPU-s")
        for mb in (float(x) for x in args.sizes.split(",")):
            src = Path(tmp) / f"in-{mb}.txt"
            words = make_input(mb, src)
            modes = [("vanban restore", [py, "-c", CLI, "restore", str(src), "-o", str(out)])]
            if args.api:
                modes.append(("restore()", [py, "-c", API, str(src)]))
            for name, argv in modes:
                rss, wall, cpu, rc = measure(argv)
                status = "" if rc == 0 else f" (exit {rc})"
                print(f"{mb:>6.1f} MB, {words:>9,} words | {name:>14} | {rss:>6.0f} MB | {wall:>7.1f}s | "
                      f"{cpu:>7.1f}s | {words / cpu:>9,.0f}{status}")  # fmt: skip
            src.unlink()
        long = Path(tmp) / "long.txt"
        long.write_text("Uy ban " + "a" * 100_000 + " nhan dan\n", encoding="utf-8")
        rss, wall, cpu, rc = measure([py, "-c", CLI, "restore", str(long), "-o", str(out)])
        same = out.read_text(encoding="utf-8").split()[2] == "a" * 100_000
        print(f"one 100,000-letter word: peak RSS {rss:.0f} MB, {wall:.2f}s wall, {cpu:.2f}s CPU, exit {rc}, "
              f"passed through unchanged: {same}")  # fmt: skip
    print(f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
