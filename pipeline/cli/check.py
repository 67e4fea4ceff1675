"""`vanban check`: is the archive whole? The database's own integrity checks and vanban's invariants."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from pipeline.archive import ArchiveError, open_archive
from pipeline.cli.common import add_archive_option, open_for_cli


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check",
        help="look for damage in the archive (SQLite: integrity and full-text index checks; PostgreSQL: "
        "index validity and sanity queries); exit status 3 when it finds any",
    )
    add_archive_option(p)
    p.add_argument("--json", action="store_true", help='print {"ok": ..., "counts": ..., "problems": [...]}')
    p.set_defaults(func=run)


def _writable(location: str) -> bool:
    """An archive file whose file and folder can be written: its full-text index can check itself."""
    path = Path(location).absolute()
    return "://" not in location and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def run(args: argparse.Namespace) -> int:
    if _writable(args.archive):  # opened for writing, never created: the index check is a write statement
        notify = lambda msg: print(f"vanban: {msg}", file=sys.stderr)  # noqa: E731
        archive = open_archive(args.archive, notify=notify, mode="write")
    else:
        archive = open_for_cli(args.archive)
    with archive:
        report = archive.check()
    if args.json:
        json.dump(report.to_json(), sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        print(f"archive   {report.location} ({report.backend}, schema v{report.schema_version})")
        for name, count in report.counts.items():
            print(f"{name:<9} {count:,}")
        print("ok: no damage found" if report.ok else f"{len(report.problems)} problems:")
        for problem in report.problems:
            print(f"  {problem}")
        for note in report.notes:
            print(f"not checked: {note}")
    if not report.ok:
        raise ArchiveError(f"{report.location}: the archive is damaged ({report.problems[0]})")
    return 0
