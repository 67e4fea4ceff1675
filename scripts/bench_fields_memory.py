"""Peak memory and time of field extraction on long texts (issue 14 item 7).

    python scripts/bench_fields_memory.py                    # 0.1, 1, 10 and 20 MB
    python scripts/bench_fields_memory.py --sizes 0.1 1

Each size is a letter built from the real Kiến An text in ../shared/texts (header, the body
repeated to the size, Nơi nhận and signature), extracted in a fresh process (``extract_text``, no
restoration: a text file of good Vietnamese is not restored), which reports its peak RSS and CPU
time. Before the bounded reading, spaCy refused any text over 1,000,000 characters.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.settings import SHARED_DIR

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import json, resource, sys, time
from pathlib import Path
from pipeline.extract import extract_text
text = Path(sys.argv[1]).read_text(encoding="utf-8")
extract_text("Số: 1/UBND")  # load spaCy and the patterns before measuring time
start = time.process_time()
fields = extract_text(text)
print(json.dumps({"seconds": time.process_time() - start, "chars": len(text),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "issuer": fields.issuer, "references": len(fields.references)}))
"""


def letter(megabytes: float) -> str:
    text = (SHARED_DIR / "texts" / "cv-kien-an-binh-chon-san-pham-2025.txt").read_text(encoding="utf-8")
    head, rest = text.split("Thực hiện Thực hiện", 1)
    body, tail = rest.split("Nơi nhận", 1)
    copies = max(1, round(megabytes * 1e6 / len(body.encode())))
    return head + "Thực hiện" + body * copies + "Nơi nhận" + tail


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=float, nargs="+", default=[0.1, 1, 10, 20], help="megabytes of UTF-8 text")
    args = ap.parse_args(argv)
    print("| size | characters | peak RSS | CPU s | s per MB | issuer found | references |")
    print("|---:|---:|---:|---:|---:|---|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for mb in args.sizes:
            path = Path(tmp) / f"{mb}.txt"
            path.write_text(letter(mb), encoding="utf-8")
            out = subprocess.run([sys.executable, "-c", CHILD, str(path)], cwd=ROOT, capture_output=True, text=True)
            if out.returncode:
                print(f"| {mb} MB | failed: {out.stderr.strip().splitlines()[-1]} |")
                continue
            r = json.loads(out.stdout)
            size = path.stat().st_size / 1e6
            print(f"| {size:.1f} MB | {r['chars']:,} | {r['rss_mb']:.0f} MB | {r['seconds']:.1f} | "
                  f"{r['seconds'] / size:.2f} | {r['issuer'] is not None} | {r['references']} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
