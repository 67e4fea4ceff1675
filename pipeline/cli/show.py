"""`vanban show DOC`: one document's fields and text, by id or SHA-256 prefix."""

from __future__ import annotations

import argparse
import json
import sys

from pipeline.cli.common import add_archive_option, open_for_cli
from pipeline.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", help="print one archived document's fields and text")
    p.add_argument("doc", metavar="DOC", help="document id or a SHA-256 prefix (4+ hex digits)")
    add_archive_option(p)
    p.add_argument("--raw", action="store_true", help="print the raw OCR text instead of the restored text")
    p.add_argument(
        "--json", action="store_true", help="print JSON: fields, pages with raw and restored text"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_for_cli(args.archive) as archive:
        try:
            doc = archive.get(archive.resolve(args.doc))
        except KeyError as exc:  # the archive's "no such document", in its words
            raise UsageError(exc.args[0]) from None
    if args.json:
        data = doc.to_json()
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    out = [f"Document {doc.id}  {doc.shown_path}", f"sha256 {doc.sha256}  added {doc.added_at}", ""]
    for key, value in doc.fields.to_json().items():
        if value not in (None, [], {}):
            shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            out.append(f"{key:>14}: {shown}")
    for p in doc.pages:
        out.append("")
        out.append(f"── page {p.index + 1} ({p.source}, mean confidence {p.mean_confidence:.1f}) ──")
        out.append(p.raw_text if args.raw else p.restored_text)
    print("\n".join(out))
    return 0
