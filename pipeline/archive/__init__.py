"""The searchable archive: one entry point, ``open_archive``, for an SQLite file or PostgreSQL URL."""

from __future__ import annotations

import logging
import os

from pipeline.archive.base import Archive, Mode, Notify
from pipeline.archive.model import (
    HIGHLIGHT,
    LEXICON_SOURCES,
    ArchiveError,
    ArchiveVersionError,
    Hit,
    LexiconEntry,
    SearchQuery,
    Stats,
    StoredDocument,
)
from pipeline.archive.query import QueryError

__all__ = [
    "HIGHLIGHT",
    "LEXICON_SOURCES",
    "Archive",
    "ArchiveError",
    "ArchiveVersionError",
    "Hit",
    "LexiconEntry",
    "Mode",
    "QueryError",
    "SearchQuery",
    "Stats",
    "StoredDocument",
    "open_archive",
]

log = logging.getLogger(__name__)


def open_archive(location: str | os.PathLike[str], notify: Notify | None = None, *, mode: Mode = "create") -> Archive:
    """Open the archive at a file path or ``postgresql://`` URL, upgrading its schema as needed.

    ``mode``: "create" makes the archive when there is none (ingest); "write" opens an existing one;
    "read" opens an existing one read-only (search, show, stats, export: they work on an archive they
    cannot write, and never turn another file into one). ``notify`` receives one-line messages meant
    for the user, such as a schema upgrade; by default they go to the log. Raises ArchiveError
    (ArchiveVersionError for a newer schema)."""
    notify = notify or log.warning
    text = os.fspath(location)
    if text.startswith(("postgresql://", "postgres://")):
        from pipeline.archive.postgres import PostgresArchive

        return PostgresArchive(text, notify, mode=mode)
    from pipeline.archive.sqlite import SQLiteArchive

    return SQLiteArchive(text, notify, mode=mode)
