"""Build models/names-v2/names.json: how often each syllable is part of a Vietnamese person's name.

Run at training time only (the runtime reads the JSON, never the corpus):

    .venv/bin/python scripts/build_names.py            # reads ../shared/corpus/viwiki.txt.xz

A person's full name is counted where Wikipedia writes one: a family name of
``pipeline/extract/patterns/surnames.json`` after a word in lower case (``ông``, ``của``, ``vua``: not at
a sentence start, where ``Vì``, ``Văn``, ``Hà`` are words), then two or three
capitalised Vietnamese syllables, then no further letter (``Nguyễn Văn Hùng``, ``Lê Công Vinh``).
A run containing an administrative unit's name (``Trà Vinh``, ``Hưng Yên``: the gazetteer, both
maps) is skipped, so the counts are of people, not places or words; the law corpus and the
evaluation texts are not read. The signer's name is then repaired with these counts
(``pipeline/extract/names.py``); see models/names-v2/README.md for what they measure.
"""

from __future__ import annotations

import argparse
import json
import lzma
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import regex

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.gazetteer import get_gazetteer
from pipeline.restore.syllable import canonical
from pipeline.vietnamese import nfc

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "models" / "names-v2" / "names.json"
SURNAMES = ROOT / "pipeline" / "extract" / "patterns" / "surnames.json"
MIN_COUNT = 2  # a given or middle name seen once is as often a misparse as a name
# Wikipedia names emperors by dynasty and reign title ('Đường Thái Tông', 'Lê Thánh Tông', 'Dương Quý
# Phi'): counted, they made 'Đường' a commoner family name than 'Dương' and 'Thánh' a common middle name
TITLES = frozenset({"Tông", "Tổ", "Đế", "Vương", "Phi"})
# places no gazetteer holds: Malaya, Rome, a mountain, regions of China
NOT_NAMES = frozenset({"Mã Lai", "La Mã", "Bạch Mã", "Giang Nam", "Giang Bắc"})


def name_runs(line: str, family: list[str]) -> list[list[str]]:
    """The full names of one line of text (family name first), as the module docstring says."""
    fam = "|".join(sorted(family, key=len, reverse=True))
    run = regex.compile(
        rf"(?<=(?<![\p{{L}}\p{{M}}])\p{{Ll}}[\p{{L}}\p{{M}}]*[^\S\n]+)({fam})((?:[^\S\n]+\p{{Lu}}\p{{Ll}}*){{2,3}})(?![\p{{L}}\p{{M}}])"
    )
    return [[m.group(1), *m.group(2).split()] for m in run.finditer(line)]


def count(lines: Iterable[str], family: list[str], places: set[str]) -> dict[str, Counter[str]]:
    out: dict[str, Counter[str]] = {"family": Counter(), "middle": Counter(), "given": Counter()}
    for line in lines:
        for words in name_runs(nfc(line), family):
            if not all(canonical(w.lower()) for w in words[1:]):
                continue  # a foreign name, an abbreviation
            spans = (" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 2, len(words) + 1))
            if words[-1] in TITLES or any(span in places or span in NOT_NAMES for span in spans):
                continue
            out["family"][words[0]] += 1
            out["middle"].update(words[1:-1])
            out["given"][words[-1]] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    wiki = args.corpus / "viwiki.txt.xz"
    if not wiki.exists():
        print(f"build_names: {wiki}: corpus missing", file=sys.stderr)
        return 2
    family = json.loads(SURNAMES.read_text(encoding="utf-8"))["names"]
    places = {u.name for u in get_gazetteer().units}
    with lzma.open(wiki, "rt", encoding="utf-8") as f:
        counts = count(f, family, places)
    data = {
        "_source": "Vietnamese Wikipedia (../shared/corpus/viwiki.txt.xz, CC BY-SA 4.0), scripts/build_names.py",
        "family": dict(counts["family"].most_common()),
        **{k: {w: n for w, n in counts[k].most_common() if n >= MIN_COUNT} for k in ("middle", "given")},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    names = sum(counts["given"].values())
    print(f"{args.out}: {names} full names; {len(data['family'])} family, {len(data['middle'])} middle, "
          f"{len(data['given'])} given names (seen {MIN_COUNT}+ times); {args.out.stat().st_size:,} bytes")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
