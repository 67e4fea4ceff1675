"""Per-field precision / recall / F1 of ``pipeline.extract`` against the samples' ground truth.

    python scripts/eval_fields.py                 # (a) clean ground-truth text of samples/*.json
    python scripts/eval_fields.py --src           # (a) also every source in samples/src (via samplegen)
    python scripts/eval_fields.py --scans         # (b) OCR the scans (pipeline.run.process_file)
    python scripts/eval_fields.py --ocr-dir DIR   # (b) OCR text made before: DIR/<name>.txt
    python scripts/eval_fields.py --scans --save-ocr DIR   # keep the restored OCR text for --ocr-dir
    python scripts/eval_fields.py --archive A     # (b) the fields ingest stored for the samples in A

Scalar fields: a prediction equal to a non-null truth is a true positive; any other non-null prediction
is a false positive; a non-null truth not predicted exactly is a false negative (a wrong value counts as
both). List fields match entries exactly (as multisets): references on (doc_type, number, symbol, date),
``references+issuer`` also on issuer, deadlines on date. "acc" is the share of documents whose value is
exactly right, nulls included. F1 is 1.0 when there was nothing to find and nothing was predicted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.extract import extract_fields
from pipeline.types import PageText, TextBlock
from pipeline.vietnamese import nfc

SCALARS = (
    "number", "symbol", "doc_type", "date", "date_year", "place", "issuer", "parent_issuer", "subject",
    "signer.name", "signer.title", "signer.authority", "signer.on_behalf_of", "urgency", "secrecy",
)  # fmt: skip
LISTS = ("recipients", "cc", "references", "references+issuer", "deadlines")
TARGETS = (
    "number",
    "symbol",
    "doc_type",
    "date",
    "place",
    "issuer",
    "deadlines",
    "references",
    "signer.name",
)
SCAN_SUFFIXES = (".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg")


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(nfc(value).split())
    return value


def scalar(fields: dict[str, Any], key: str) -> Any:
    if key.startswith("signer."):
        signer = fields.get("signer") or {}
        return _norm(signer.get(key.split(".", 1)[1]))
    return _norm(fields.get(key))


def items(fields: dict[str, Any], key: str) -> list[Any]:
    if key == "references":
        return [
            tuple(_norm(r.get(k)) for k in ("doc_type", "number", "symbol", "date"))
            for r in fields[key] or []
        ]
    if key == "references+issuer":
        refs = fields.get("references") or []
        return [
            tuple(_norm(r.get(k)) for k in ("doc_type", "number", "symbol", "date", "issuer")) for r in refs
        ]
    if key == "deadlines":
        return [_norm(d.get("date")) for d in fields[key] or []]
    return [_norm(x) for x in fields.get(key) or []]


class Score:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = self.docs = self.exact = 0

    def add_scalar(self, gold: Any, pred: Any) -> None:
        self.docs += 1
        self.exact += gold == pred
        if pred is not None and pred == gold:
            self.tp += 1
        else:
            self.fp += pred is not None
            self.fn += gold is not None

    def add_list(self, gold: list[Any], pred: list[Any]) -> None:
        self.docs += 1
        g, p = Counter(gold), Counter(pred)
        tp = sum((g & p).values())
        self.tp += tp
        self.fp += sum(p.values()) - tp
        self.fn += sum(g.values()) - tp
        self.exact += g == p

    def prf(self) -> tuple[float, float, float]:
        if self.tp + self.fp + self.fn == 0:
            return 1.0, 1.0, 1.0
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def evaluate(
    pairs: Iterable[tuple[str, dict[str, Any], dict[str, Any]]], show_errors: bool
) -> dict[str, Score]:
    scores = {k: Score() for k in (*SCALARS, *LISTS)}
    for name, gold, pred in pairs:
        for key in SCALARS:
            g, p = scalar(gold, key), scalar(pred, key)
            scores[key].add_scalar(g, p)
            if show_errors and g != p:
                print(f"  {name}: {key}: expected {g!r}, got {p!r}")
        for key in LISTS:
            g, p = items(gold, key), items(pred, key)
            scores[key].add_list(g, p)
            if show_errors and Counter(g) != Counter(p):
                print(f"  {name}: {key}: missing {list((Counter(g) - Counter(p)).elements())!r}, "
                      f"extra {list((Counter(p) - Counter(g)).elements())!r}")  # fmt: skip
    return scores


def table(title: str, scores: dict[str, Score]) -> str:
    lines = [f"### {title}", "", "| field | docs | TP | FP | FN | precision | recall | F1 | exact |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for key, s in scores.items():
        p, r, f = s.prf()
        mark = " *" if key in TARGETS else ""
        lines.append(f"| {key}{mark} | {s.docs} | {s.tp} | {s.fp} | {s.fn} | {p:.3f} | {r:.3f} | {f:.3f} | "
                     f"{s.exact}/{s.docs} |")  # fmt: skip
    target = [scores[k].prf()[2] for k in TARGETS]
    lines.append("")
    lines.append(f"Target fields (*): min F1 {min(target):.3f}, mean F1 {sum(target) / len(target):.3f}")
    return "\n".join(lines)


def _pages(texts: list[str]) -> list[PageText]:
    return [PageText(i, (TextBlock("other", t),)) for i, t in enumerate(texts)]


def clean_pairs(samples: list[Path]) -> list[tuple[str, dict, dict]]:
    out = []
    for path in samples:
        data = json.loads(path.read_text(encoding="utf-8"))
        pred = extract_fields(_pages([p["text"] for p in data["pages"]])).to_json()
        out.append((path.stem, data["fields"], pred))
    return out


def src_pairs(src_dir: Path) -> list[tuple[str, dict, dict]]:
    from scripts.samplegen import document_fields, load_document, page_texts

    out = []
    for path in sorted(src_dir.glob("*.json")):
        doc = load_document(path)
        pred = extract_fields(_pages(page_texts(doc))).to_json()
        out.append((f"src/{path.stem}", document_fields(doc), pred))
    return out


def _restore_if_needed(text: str) -> str:
    try:
        from pipeline.restore import restore, vietnamese_score
    except ImportError:
        return text
    return restore(text).text if vietnamese_score(text) < 0.75 else text


def ocr_pairs(samples: list[Path], ocr_dir: Path | None, scans: bool, save: Path | None) -> list[tuple]:
    out = []
    for path in samples:
        gold = json.loads(path.read_text(encoding="utf-8"))["fields"]
        txt = ocr_dir / f"{path.stem}.txt" if ocr_dir else None
        if txt and txt.exists():
            pages = [_restore_if_needed(t) for t in txt.read_text(encoding="utf-8").split("\f")]
            out.append((path.stem, gold, extract_fields(_pages(pages)).to_json()))
            continue
        if not scans:
            continue
        scan = next((path.with_suffix(s) for s in SCAN_SUFFIXES if path.with_suffix(s).exists()), None)
        if scan is None:
            continue
        from pipeline.run import process_file
        from pipeline.settings import Settings

        record = process_file(scan, Settings(workers=1))
        texts = [p.restored_text for p in record.pages]
        if save:
            save.mkdir(parents=True, exist_ok=True)
            (save / f"{path.stem}.txt").write_text("\f".join(texts), encoding="utf-8")
        pred = record.fields if any(v for v in record.fields.to_json().values()) else None
        out.append((path.stem, gold, (pred or extract_fields(_pages(texts))).to_json()))
        print(f"  OCR'd {scan.name}: {len(texts)} page(s)", file=sys.stderr)
    return out


def archive_pairs(samples: list[Path], location: str) -> list[tuple]:
    """The fields `vanban ingest` stored, for every sample the archive holds."""
    from pipeline.archive import open_archive

    gold = {p.stem: json.loads(p.read_text(encoding="utf-8"))["fields"] for p in samples}
    out = []
    with open_archive(location) as archive:
        total, doc_id = archive.stats().documents, 0
        while len(out) < len(gold) and doc_id < total + 1000:  # ids may have gaps after deletions
            doc_id += 1
            try:
                doc = archive.get(str(doc_id))
            except KeyError:
                continue
            stem = Path(doc.path).stem
            if stem in gold:
                out.append((stem, gold[stem], doc.fields.to_json()))
    return sorted(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--samples", type=Path, default=Path("samples"), help="folder of <name>.json (+ scans)")
    ap.add_argument("--src", action="store_true", help="also score every source of samples/src (clean text)")
    ap.add_argument(
        "--ocr-dir", type=Path, help="(b) OCR'd text per sample: DIR/<name>.txt, pages split by \\f"
    )
    ap.add_argument("--scans", action="store_true", help="(b) OCR the scans through pipeline.run")
    ap.add_argument("--save-ocr", type=Path, help="with --scans: write the restored OCR text here")
    ap.add_argument("--archive", help="(b) score the fields stored in this archive (after `vanban ingest samples/`)")
    ap.add_argument("--only", help="substring: evaluate only samples whose name contains it")
    ap.add_argument("--errors", action="store_true", help="list every wrong value")
    args = ap.parse_args(argv)

    samples = sorted(p for p in args.samples.glob("*.json") if not args.only or args.only in p.stem)
    if not samples and not args.src:
        print(f"eval_fields: {args.samples}: no <name>.json samples", file=sys.stderr)
        return 2
    pairs = clean_pairs(samples)
    if args.src:
        pairs += src_pairs(args.samples / "src")
    print(table(f"(a) clean ground-truth text: {len(pairs)} documents", evaluate(pairs, args.errors)))
    if args.ocr_dir or args.scans or args.archive:
        if args.archive:
            pairs = archive_pairs(samples, args.archive)
        else:
            pairs = ocr_pairs(samples, args.ocr_dir, args.scans, args.save_ocr)
        print()
        if pairs:
            print(
                table(
                    f"(b) OCR'd scans after restoration: {len(pairs)} documents", evaluate(pairs, args.errors)
                )
            )
        else:
            print("(b) no OCR text found and no scans processed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
