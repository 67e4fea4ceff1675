"""`vanban backup DEST`: a consistent copy of an SQLite archive, taken while ingest may be writing."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.archive import ArchiveError, open_archive
from pipeline.cli.common import add_archive_option, open_for_cli
from pipeline.errors import UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backup",
        help="copy the archive into a new file, consistent while ingest writes (SQLite's online backup); "
        "for a PostgreSQL archive, print the pg_dump command to use",
    )
    p.add_argument("dest", metavar="DEST", help="the new file, or a folder to put it in")
    add_archive_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if "://" in args.archive:
        from pipeline.archive.postgres import pg_dump_command

        raise UsageError(
            "a PostgreSQL archive is backed up with PostgreSQL's own tool, which vanban does not run: "
            + pg_dump_command(args.archive, args.dest)
        )
    dest = Path(args.dest)
    if dest.is_dir():
        dest = dest / Path(args.archive).name
    if dest.exists() or dest.is_symlink():
        raise UsageError(f"{dest}: exists already; a backup never replaces a file")
    if not dest.parent.is_dir():
        raise UsageError(f"{dest.parent}: no such folder to write the backup into")
    with open_for_cli(args.archive) as archive:
        try:
            archive.backup(dest)
        except OSError as exc:
            raise UsageError(f"{dest}: cannot write the backup ({exc.strerror or exc})") from None
    with open_archive(dest, mode="read") as copy:  # the copy opens, and is whole
        problems = copy.quick_check()
        stats = None if problems else copy.stats()
    if stats is None:
        raise ArchiveError(f"{args.archive}: the archive is damaged ({problems[0]}); {dest} copies it, damage and all")
    print(f"{dest} ({dest.stat().st_size:,} bytes; {stats.documents:,} documents, {stats.pages:,} pages)")
    return 0
