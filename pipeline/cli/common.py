"""Options and helpers shared by several sub-commands."""

from __future__ import annotations

import argparse

from pipeline.settings import default_archive


def add_archive_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--archive",
        default=str(default_archive()),
        help="archive file path or postgresql:// URL (default: %(default)s; env VANBAN_ARCHIVE)",
    )
