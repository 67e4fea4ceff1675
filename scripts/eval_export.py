"""How text extractors read the searchable PDF: CER of ``pdftotext`` against the words the PDF holds.

Processes each scan as ingest does (cleanup, OCR, restoration; no archive), writes the searchable PDF
with each ``--page-image`` and prints the character error rate of ``pdftotext`` (which orders text by
its position on the page) and of ``pdftotext -raw`` (content-stream order) against the record's
restored words in reading order, whitespace collapsed. Only the export is measured: the reference is
what the text layer holds, not the ground truth.

    nice -n 10 python scripts/eval_export.py [SCAN ...] [--records FILE.pickle]

Default scans: the samples that are skewed or turned (02, 03, 07, 08, 10, 11). ``--records`` keeps the
processed records in a pickle (read back when it exists), so the OCR runs once across runs.
"""

from __future__ import annotations

import argparse
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from pipeline.export import PAGE_IMAGES, write_pdf  # noqa: E402
from pipeline.types import DocumentRecord  # noqa: E402

SAMPLES = ["02-kh-ubnd-skew-yellow.pdf", "03-ttr-ktht-rotate90.pdf", "07-cv-bql-borders-holes-skew.pdf",
           "08-tb-skhcn-rotate180.pdf", "10-cv-kien-an-worst.pdf", "11-qd-kien-an-fax.tiff"]  # fmt: skip


def cer(truth: str, got: str) -> float:
    truth, got = " ".join(truth.split()), " ".join(got.split())
    return Levenshtein.distance(truth, got) / max(1, len(truth))


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, check=True).stdout.decode()


def records(scans: list[Path], cache: Path | None) -> list[DocumentRecord]:
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    from pipeline.run import process_file
    from pipeline.settings import Settings

    out = [process_file(scan, Settings(workers=1)) for scan in scans]
    if cache:
        cache.write_bytes(pickle.dumps(out))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scans", nargs="*", type=Path, default=[ROOT / "samples" / s for s in SAMPLES])
    parser.add_argument("--records", type=Path, help="pickle of the processed records (written, then reused)")
    args = parser.parse_args()
    totals: dict[tuple[str, str], list[int]] = {}
    print(f"{'scan':<36} {'page image':<10} {'CER pdftotext':>14} {'CER -raw':>9}  skew per page")
    with tempfile.TemporaryDirectory(prefix="vanban-eval-export-") as tmp:
        for record in records(args.scans, args.records):
            truth = " ".join(" ".join(p.restored_words) for p in record.pages if p.words)
            skews = ", ".join(f"{p.geometry.rotation + p.geometry.skew:g}°" for p in record.pages if p.geometry)
            for mode in PAGE_IMAGES:
                out = Path(tmp) / f"{mode}.pdf"
                write_pdf(record, out, page_image=mode)
                row = []
                for kind, extra in (("position", ()), ("raw", ("-raw",))):
                    got = pdftotext(out, *extra).replace("\f", " ")
                    row.append(cer(truth, got))
                    t = totals.setdefault((mode, kind), [0, 0])
                    t[0] += round(row[-1] * len(" ".join(truth.split())))
                    t[1] += len(" ".join(truth.split()))
                print(f"{Path(record.path).name:<36} {mode:<10} {row[0]:>14.2%} {row[1]:>9.2%}  {skews}")
    for mode in PAGE_IMAGES:
        pos, raw = totals[(mode, "position")], totals[(mode, "raw")]
        print(f"{'all, weighted by length':<36} {mode:<10} {pos[0] / pos[1]:>14.2%} {raw[0] / raw[1]:>9.2%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
