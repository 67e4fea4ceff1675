"""`vanban fields FILE`: the formal fields of one document, without an archive.

Text files are read directly (restored first when they are not good Vietnamese: OCR'd without the
Vietnamese model, or without accents); PDFs and images go through the ingest page processing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.errors import InputError
from pipeline.types import Fields

TEXT_SUFFIXES = {".txt", ".text", ".md"}
# Below this share of valid accented syllables a text is restored before extraction.
RESTORE_BELOW = 0.75


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fields", help="print the formal fields (number, date, issuer…) of one document")
    p.add_argument("file", metavar="FILE", help="a PDF, an image or a UTF-8 text file")
    p.add_argument("--format", choices=("json", "text"), default="json", help="output format (default: json)")
    p.add_argument(
        "--provenance", action="store_true", help="include each field's page, block, span and confidence"
    )
    p.add_argument("--no-restore", action="store_true", help="never restore a damaged text file first")
    p.set_defaults(func=run)


def _read_text(path: Path, allow_restore: bool) -> tuple[str, bool]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})") from None
    if "\x00" in text:
        raise InputError("binary data in a text file")
    if not allow_restore:
        return text, False
    try:
        from pipeline.restore import restore, vietnamese_score
    except ImportError:  # restoration stage not installed in this checkout
        return text, False
    if vietnamese_score(text) < RESTORE_BELOW:
        return restore(text).text, True
    return text, False


def fields_of(path: Path, allow_restore: bool = True) -> tuple[Fields, dict[str, object]]:
    """Fields of one file and a note on how they were read; InputError on bad input."""
    from pipeline.extract import extract_text

    if not path.exists():
        raise InputError("no such file")
    if path.is_dir():
        raise InputError("is a directory")
    if path.suffix.lower() in TEXT_SUFFIXES:
        text, restored = _read_text(path, allow_restore)
        if not text.strip():
            raise InputError("empty text file")
        return extract_text(text), {"source": "text", "restored": restored}
    try:
        from pipeline.run import process_file
    except ImportError:
        raise InputError("PDF and image input need the ingest stage, which is not installed") from None
    from pipeline.settings import Settings

    try:
        record = process_file(path, Settings(workers=1))
    except InputError as exc:
        raise InputError(str(exc)) from None
    return record.fields, {"source": "ingest", "pages": len(record.pages)}


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        fields, _ = fields_of(path, allow_restore=not args.no_restore)
    except (InputError, OSError) as exc:
        raise InputError(f"{path}: {exc}") from None
    data = fields.to_json(with_provenance=args.provenance)
    if args.format == "json":
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=_plain)
        sys.stdout.write("\n")
        return 0
    for key, value in data.items():
        if value in (None, [], {}):
            continue
        if isinstance(value, (list, dict)):
            value = json.dumps(value, ensure_ascii=False, default=_plain)
        print(f"{key:14} {value}")
    return 0


def _plain(obj: object) -> object:
    return getattr(obj, "__dict__", str(obj))
