"""The runner: strings the stages together for one page, one document and a batch.

    pipeline.ingest (sources, checks) -> page job: image -> ocr -> restore -> document job: extract
    -> batch: one archive transaction per document

``process_page`` is a pure function of (page job, settings) that runs unchanged in a process pool
(or on any other worker); ``process_file`` runs one scan in this process without an archive;
``load_document`` turns any file (a scan, or text in any encoding we read) into a document, the one
way every command does; ``ingest`` runs a batch into an archive. The stage functions all come from
one ``Stages`` value.
"""

from pipeline.run.batch import BatchReport, FileOutcome, Listener, ingest, shareable_names
from pipeline.run.document import LoadedDocument, assemble, load_document, process_file
from pipeline.run.page import PageFailure, PageJob, PageResult, process_page
from pipeline.run.stages import STAGES, Stages

__all__ = [
    "STAGES",
    "BatchReport",
    "FileOutcome",
    "Listener",
    "LoadedDocument",
    "PageFailure",
    "PageJob",
    "PageResult",
    "Stages",
    "assemble",
    "ingest",
    "load_document",
    "process_file",
    "process_page",
    "shareable_names",
]
