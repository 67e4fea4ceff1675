"""End-to-end text quality on the bundled samples: CER/WER of the archived text against ground truth.

Ingests samples/ into a fresh archive (or reads an existing one with --archive) and prints, per
sample, the error rates of Tesseract's raw text and of the restored text, with whitespace
normalised (line layout is not an OCR error). Reading order counts: text from a header column read
across the other would show up here.

    python scripts/eval_pipeline.py [--archive A.sqlite] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
VANBAN = [sys.executable, "-m", "pipeline.cli"]


def error_rate(got: str, want: str, words: bool = False) -> float:
    a, b = (got.split(), want.split()) if words else (" ".join(got.split()), " ".join(want.split()))
    return Levenshtein.distance(a, b) / max(len(b), 1)


def vanban(*args: str) -> str:
    return subprocess.run([*VANBAN, *args], check=True, capture_output=True, text=True, cwd=ROOT).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--archive", help="an archive that already holds the samples (default: ingest anew)")
    parser.add_argument("--workers", default="2")
    parser.add_argument("--samples", type=Path, default=ROOT / "samples")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        archive = args.archive or str(Path(tmp) / "eval.sqlite")
        if not args.archive:
            subprocess.run([*VANBAN, "ingest", str(args.samples), "--archive", archive, "--workers", args.workers],
                           cwd=ROOT, stderr=subprocess.DEVNULL, stdout=subprocess.DEVNULL)  # fmt: skip
        count = json.loads(vanban("stats", "--json", "--archive", archive))["documents"]
        rows = []
        for doc_id in range(1, count + 1):
            doc = json.loads(vanban("show", str(doc_id), "--json", "--archive", archive))
            truth_file = args.samples / f"{Path(doc['file']).stem}.json"
            if not truth_file.exists():
                continue
            truth = json.loads(truth_file.read_text(encoding="utf-8"))
            want = "\n".join(p["text"] for p in truth["pages"])
            raw = "\n".join(p["raw_text"] for p in doc["pages"])
            restored = "\n".join(p["restored_text"] for p in doc["pages"])
            rows.append((Path(doc["file"]).name, len(want), raw, restored, want))
    print(f"{'sample':<40}{'CER raw':>9}{'CER rest.':>10}{'WER raw':>9}{'WER rest.':>10}")
    for name, _, raw, restored, want in sorted(rows):
        print(f"{name:<40}{error_rate(raw, want):>9.2%}{error_rate(restored, want):>10.2%}"
              f"{error_rate(raw, want, True):>9.2%}{error_rate(restored, want, True):>10.2%}")  # fmt: skip
    chars = sum(n for _, n, *_ in rows)

    def pooled(i: int, words: bool = False) -> float:
        return sum(error_rate(r[i], r[4], words) * r[1] for r in rows) / max(chars, 1)

    print(f"{'all (weighted by length)':<40}{pooled(2):>9.2%}{pooled(3):>10.2%}{pooled(2, True):>9.2%}"
          f"{pooled(3, True):>10.2%}")  # fmt: skip
    print(f"{len(rows)} documents, {chars} characters of ground truth")


if __name__ == "__main__":
    main()
