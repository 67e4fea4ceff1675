"""The stage functions the runner calls, gathered in one replaceable place.

The runner never imports a stage function directly: it calls the ones in a ``Stages`` value. Tests
swap one for a failing one (fault injection, as OCRmyPDF's crash plugins do) and check that a batch
survives it. Stage functions are module-level, so a ``Stages`` pickles by reference and reaches pool
workers unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pipeline.image import clean_page
from pipeline.ingest import load_page, open_source, pdf_text_layer
from pipeline.ocr import ocr_page
from pipeline.restore import restore
from pipeline.types import Fields, PageText


def extract_fields(pages: Sequence[PageText]) -> Fields:
    """The field extractor, imported when first used: page workers never need spaCy (1.2 s to load)."""
    from pipeline.extract import extract_fields as extract

    return extract(pages)


@dataclass(frozen=True)
class Stages:
    open_source: Callable = open_source  # (path, max_pixels, dpi) -> Source; the checks
    load_page: Callable = load_page  # (path, kind, index, dpi) -> PageImage
    text_layer: Callable = pdf_text_layer  # (path, index) -> str
    clean: Callable = clean_page  # (PageImage, CleanupSettings) -> CleanPage
    ocr: Callable = ocr_page  # (CleanPage, lang=, timeout=) -> OcrPage
    restore: Callable = restore  # (text, words=) -> RestoredText
    extract: Callable = extract_fields  # (list[PageText]) -> Fields


STAGES = Stages()
