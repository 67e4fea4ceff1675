"""`vanban fields FILE`: the formal fields of one document, without an archive.

The file is read the way every command reads one (``pipeline.run.load_document``): a PDF or image goes
through the page processing as ingest does; a text file in any encoding we read is restored (unless
``--no-restore``) before extraction.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.cli.common import add_processing_options, settings_from


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("fields", help="print the formal fields (number, date, issuer…) of one document")
    p.add_argument(
        "file", metavar="FILE", help="a PDF, an image or a text file (UTF-8/16, Windows-1258, TCVN3 or VNI)"
    )
    p.add_argument("--format", choices=("json", "text"), default="json", help="output format (default: json)")
    p.add_argument(
        "--provenance", action="store_true", help="include each field's page, block, span and confidence"
    )
    add_processing_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pipeline.run import load_document

    fields = load_document(Path(args.file), settings_from(args)).record.fields
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
