"""Build models/gazetteer-v1/units.tsv: Vietnam's administrative units on both maps.

Run at training time only (it reads the registry, never the runtime):

    .venv/bin/python scripts/build_gazetteer.py

It downloads two releases of the PyPI package ``vietnam-provinces`` (GPL-3.0-or-later code; its
data is the General Statistics Office's list of administrative units) into a temporary folder and
reads only their ``data/nested-divisions.json``: release 2025.10.1 holds the map in force since
1 July 2025 (34 provinces, 3,321 communes/wards, no districts), release 0.6.0 the earlier one
(63 provinces, 696 districts, 10,051 communes). No code of the package is used or copied.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "models" / "gazetteer-v1" / "units.tsv"
RELEASES = {"2025": "2025.10.1", "pre2025": "0.6.0"}
# Unit words a GSO name starts with, longest first ("Thành phố" before a one-word prefix).
PREFIXES = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "huyện", "quận", "tỉnh", "xã")
CODE_WIDTH = {"province": 2, "district": 3, "commune": 5}
# A unit's id is era/level/code and its parent is one level up on the same map: both are derived.
COLUMNS = ("era", "level", "code", "kind", "name", "parent_code")


def _split(full: str, fallback: str) -> tuple[str, str]:
    """'Phường Kiến An' -> ('phường', 'Kiến An'); a bare 'Sơn La' takes the record's division type."""
    full = unicodedata.normalize("NFC", " ".join(full.split()))
    low = full.lower()
    for p in PREFIXES:
        if low.startswith(p + " "):
            return p, full[len(p) + 1 :]
    return fallback, full


def _kind(division_type: str) -> str:
    return "thành phố" if division_type.startswith("thành phố") else division_type


def _row(era: str, level: str, code: int, kind: str, name: str, parent_code: str | None) -> dict[str, str]:
    c = str(code).zfill(CODE_WIDTH[level])
    return {"id": f"{era}/{level}/{c}", "code": c, "level": level, "kind": kind, "name": name, "era": era,
            "parent_code": parent_code or ""}  # fmt: skip


def rows_2025(data: list[dict]) -> list[dict[str, str]]:
    out = []
    for p in data:
        kind, name = _split(p["name"], _kind(p["division_type"]))
        prow = _row("2025", "province", p["code"], kind, name, None)
        out.append(prow)
        for w in p["wards"]:
            wkind, wname = _split(w["name"], w["division_type"])
            out.append(_row("2025", "commune", w["code"], wkind, wname, prow["code"]))
    return out


def rows_pre2025(data: list[dict]) -> list[dict[str, str]]:
    out = []
    for p in data:
        kind, name = _split(p["name"], "tỉnh")
        prow = _row("pre2025", "province", p["code"], kind, name, None)
        out.append(prow)
        for d in p["districts"]:
            dkind, dname = _split(d["name"], "huyện")
            drow = _row("pre2025", "district", d["code"], dkind, dname, prow["code"])
            out.append(drow)
            for w in d["wards"]:
                wkind, wname = _split(w["name"], "xã")
                out.append(_row("pre2025", "commune", w["code"], wkind, wname, drow["code"]))
    return out


def _read_release(version: str, work: Path) -> list[dict]:
    dest = work / version
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
         "--only-binary", ":all:", "-d", str(dest), f"vietnam-provinces=={version}"],
        check=True,
    )  # fmt: skip
    (wheel,) = dest.glob("*.whl")
    with zipfile.ZipFile(wheel) as z:
        return json.loads(z.read("vietnam_provinces/data/nested-divisions.json"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = rows_2025(_read_release(RELEASES["2025"], Path(tmp)))
        rows += rows_pre2025(_read_release(RELEASES["pre2025"], Path(tmp)))
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate unit ids"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(r[c] for c in COLUMNS) + "\n")
    counts: dict[tuple[str, str], int] = {}
    for r in rows:
        counts[r["era"], r["level"]] = counts.get((r["era"], r["level"]), 0) + 1
    print(f"{args.out}: {len(rows)} units, {args.out.stat().st_size:,} bytes")
    for (era, level), n in sorted(counts.items()):
        print(f"  {era:8s} {level:9s} {n:6d}")


if __name__ == "__main__":
    main()
