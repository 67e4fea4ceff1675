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


def open_for_cli(location: str, create: bool = False) -> Archive:
    """Open the archive; ArchiveError (exit status 3) with the one-line reason if it cannot be.

    Only ingest creates an archive: a mistyped path given to search or show must not leave an
    empty archive behind and answer "no hits".
    """
    if not create and "://" not in location and not Path(location).exists():
        raise ArchiveError(f"{location}: no archive there (vanban ingest creates one)")
    notify = lambda msg: print(f"vanban: {msg}", file=sys.stderr)  # noqa: E731
    return open_archive(location, notify=notify, mode="create" if create else "read")
