"""Options and helpers shared by several sub-commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.archive import Archive, ArchiveError, open_archive
from pipeline.settings import default_archive


def add_archive_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--archive",
        default=str(default_archive()),
        help="archive file path or postgresql:// URL (default: %(default)s; env VANBAN_ARCHIVE)",
    )


def open_for_cli(location: str, create: bool = False) -> Archive | None:
    """Open the archive or print the one-line reason (the caller exits with status 3).

    Only ingest creates an archive: a mistyped path given to search or show must not leave an
    empty archive behind and answer "no hits".
    """
    if not create and "://" not in location and not Path(location).exists():
        print(f"vanban: {location}: no archive there (vanban ingest creates one)", file=sys.stderr)
        return None
    try:
        return open_archive(location, notify=lambda msg: print(f"vanban: {msg}", file=sys.stderr))
    except ArchiveError as exc:
        print(f"vanban: {exc}", file=sys.stderr)
        return None
