"""Ingestion: source files -> pages -> (image, ocr, restore, extract) -> one archive transaction each.

Entry points: ``ingest`` for a batch into an archive, ``process_file`` for one file without one.
"""

from pipeline.ingest.batch import BatchReport, FileOutcome, Listener, ingest, process_file
from pipeline.ingest.sources import SourceError

__all__ = ["BatchReport", "FileOutcome", "Listener", "SourceError", "ingest", "process_file"]
