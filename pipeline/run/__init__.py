"""The runner: strings the stages together for one page, one document and a batch.

    pipeline.ingest (sources, checks) -> page job: image -> ocr -> restore -> document job: extract
    -> batch: one archive transaction per document

``process_page`` is a pure function of (page job, settings) that runs unchanged in a process pool
(or on any other worker); ``process_file`` runs one file in this process without an archive;
``ingest`` runs a batch into an archive. The stage functions all come from one ``Stages`` value.
"""

from pipeline.run.batch import BatchReport, FileOutcome, Listener, ingest
from pipeline.run.document import assemble, process_file
from pipeline.run.page import PageFailure, PageJob, PageResult, process_page
from pipeline.run.stages import STAGES, Stages

__all__ = [
    "STAGES",
    "BatchReport",
    "FileOutcome",
    "Listener",
    "PageFailure",
    "PageJob",
    "PageResult",
    "Stages",
    "assemble",
    "ingest",
    "process_file",
    "process_page",
]
