"""Options and helpers shared by several sub-commands."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

from pipeline.archive import Archive, ArchiveError, open_archive
from pipeline.settings import CleanupSettings, Settings, default_archive

CLEANUP_STEPS = [f.name for f in dataclasses.fields(CleanupSettings) if f.type in (bool, "bool")]


def add_archive_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--archive",
        default=str(default_archive()),
        help="archive file path or postgresql:// URL (default: %(default)s; env VANBAN_ARCHIVE)",
    )


def open_for_cli(location: str, create: bool = False, write: bool = False) -> Archive:
    """Open the archive; ArchiveError (exit status 3) with the one-line reason if it cannot be.

    Only ingest creates an archive: a mistyped path given to search or show must not leave an
    empty archive behind and answer "no hits". ``write``: an existing archive, to change it.
    """
    if not create and "://" not in location and not Path(location).exists():
        raise ArchiveError(f"{location}: no archive there (vanban ingest creates one)")
    notify = lambda msg: print(f"vanban: {msg}", file=sys.stderr)  # noqa: E731
    return open_archive(location, notify=notify, mode="create" if create else "write" if write else "read")


def add_processing_options(parser: argparse.ArgumentParser) -> None:
    """How a file is processed: every command that reads scans or text takes these (``settings_from``)."""
    parser.add_argument(
        "--mode",
        choices=("auto", "force", "skip"),
        default="auto",
        help="PDFs with a text layer: auto = use it when it is good Vietnamese, force = always OCR, "
        "skip = use any text layer as is (default: %(default)s)",
    )
    parser.add_argument(
        "--ocr-timeout",
        type=float,
        default=Settings.ocr_timeout,
        help="seconds per page (default: %(default)s)",
    )
    parser.add_argument("--lang", default=Settings.lang, help="Tesseract language(s) (default: %(default)s)")
    parser.add_argument("--dpi", type=int, default=Settings.dpi, help="PDF rasterisation DPI (default: %(default)s)")
    parser.add_argument("--no-restore", action="store_true", help="keep OCR text as recognised")
    for step in CLEANUP_STEPS:
        parser.add_argument(f"--no-{step}", action="store_true", help=f"skip the {step} cleanup step")


def settings_from(args: argparse.Namespace) -> Settings:
    """The one Settings of a command, from its processing options (``--workers``/``--force`` if it has them)."""
    cleanup = CleanupSettings(**{step: not getattr(args, f"no_{step}") for step in CLEANUP_STEPS})
    return Settings(
        workers=max(1, getattr(args, "workers", 1)),
        mode=args.mode,
        lang=args.lang,
        dpi=args.dpi,
        ocr_timeout=args.ocr_timeout,
        force=getattr(args, "force", False),
        restore=not args.no_restore,
        cleanup=cleanup,
    )
