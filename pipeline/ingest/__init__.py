"""Ingest, the first stage: source files found, checked and turned into pages.

``discover`` expands folders, ``open_source`` checks one file (one-line ``SourceError`` when it cannot
be ingested) and ``load_page`` rasterises one of its pages. Running the later stages over those pages
is the runner's job (``pipeline.run``).
"""

from pipeline.ingest.sources import Source, SourceError, discover, load_page, open_source, pdf_text_layer

__all__ = ["Source", "SourceError", "discover", "load_page", "open_source", "pdf_text_layer"]
