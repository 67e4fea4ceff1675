"""`vanban stats`: what the archive holds."""

from __future__ import annotations

import argparse
import json
import sys

from pipeline.cli.common import add_archive_option, open_for_cli


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="count documents and pages in the archive")
    add_archive_option(p)
    p.add_argument("--json", action="store_true", help='print {"documents": N, "pages": M, ...}')
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_for_cli(args.archive) as archive:
        stats = archive.stats()
    if args.json:
        json.dump(stats.to_json(), sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    print(f"archive   {stats.location} ({stats.backend}, schema v{stats.schema_version})")
    print(f"documents {stats.documents:,}")
    print(f"pages     {stats.pages:,}")
    print(f"words     {stats.words:,}")
    print(f"size      {stats.size_bytes / 1e6:,.1f} MB")
    for name, count in stats.doc_types.items():
        print(f"  {name or '(unknown type)'}: {count:,}")
    return 0
