"""The searchable archive: one entry point, ``open_archive``, for an SQLite file or PostgreSQL URL."""

from __future__ import annotations

import logging
import os

from pipeline.archive.base import Archive, Notify
from pipeline.archive.model import (
    HIGHLIGHT,
    ArchiveError,
    ArchiveVersionError,
    Hit,
    SearchQuery,
    Stats,
    StoredDocument,
)
from pipeline.archive.query import QueryError

__all__ = [
    "HIGHLIGHT",
    "Archive",
    "ArchiveError",
    "ArchiveVersionError",
    "Hit",
    "QueryError",
    "SearchQuery",
    "Stats",
    "StoredDocument",
    "open_archive",
]

log = logging.getLogger(__name__)


def open_archive(location: str | os.PathLike[str], notify: Notify | None = None) -> Archive:
    """Open (creating or upgrading as needed) the archive at a file path or ``postgresql://`` URL.

    ``notify`` receives one-line messages meant for the user, such as a schema upgrade; by
    default they go to the log. Raises ArchiveError (ArchiveVersionError for a newer schema)."""
    notify = notify or log.warning
    text = os.fspath(location)
    if text.startswith(("postgresql://", "postgres://")):
        from pipeline.archive.postgres import PostgresArchive

        return PostgresArchive(text, notify)
    from pipeline.archive.sqlite import SQLiteArchive

    return SQLiteArchive(text, notify)
