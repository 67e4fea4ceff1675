"""Clean copies of a processed document: searchable PDF, corrected text, Markdown, DOCX, JSON, HTML review.

Entry points:
- ``export(record, fmt, out, *, restored=None) -> Path`` for any of ``FORMATS``;
- ``write_pdf(record, out, *, source=None, pdfa=True, page_image="original") -> PdfResult`` for the PDF
  with its PDF/A verdict (``PAGE_IMAGES``: pages as scanned or turned level);
- ``decode_text(data) -> (text, encoding)`` for text files in UTF-8/16, Windows-1258, TCVN3 or VNI
  (a text file becomes a document through ``pipeline.run.load_document``, as for every command).

``restored`` (the restoration of the whole text, with per-token probabilities and alternatives) is used
when the caller has it, as for a text file; for an archived document the per-word restored forms in the
record are used instead.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.encodings import DecodeError, decode_text, encode_text
from pipeline.export.output import ExportError, check_output, replacing
from pipeline.export.pdf import PAGE_IMAGES, PdfResult, write_pdf
from pipeline.types import DocumentRecord, RestoredText

FORMATS = ("pdf", "txt", "md", "docx", "json", "html")
SUFFIXES = {"pdf": ".pdf", "txt": ".txt", "md": ".md", "docx": ".docx", "json": ".json", "html": ".html"}

__all__ = [
    "FORMATS",
    "PAGE_IMAGES",
    "SUFFIXES",
    "DecodeError",
    "ExportError",
    "PdfResult",
    "decode_text",
    "encode_text",
    "export",
    "check_output",
    "write_pdf",
]


def export(record: DocumentRecord, fmt: str, out: Path, *, restored: RestoredText | None = None) -> Path:
    """Write ``record`` as ``fmt`` to ``out`` and return the path written. Raises ExportError, also for an
    ``out`` that is the record's original file; ``out`` is replaced only by a complete export."""
    out = Path(out)
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    if fmt == "pdf":
        if not record.pages or not any(p.words for p in record.pages):
            raise ExportError(
                f"{record.path}: no OCR word boxes to place a text layer on (a text file has no page "
                "images); export it as txt, md, docx, json or html"
            )
        return write_pdf(record, out).path
    check_output(out, record.path)
    with replacing(out) as tmp:
        if fmt == "txt":
            from pipeline.export.text import to_txt

            tmp.write_text(to_txt(record, restored), encoding="utf-8")
        elif fmt == "md":
            from pipeline.export.text import to_markdown

            tmp.write_text(to_markdown(record, restored), encoding="utf-8")
        elif fmt == "json":
            from pipeline.export.text import to_json

            tmp.write_text(json.dumps(to_json(record, restored), ensure_ascii=False, indent=1), encoding="utf-8")
        elif fmt == "docx":
            from pipeline.export.docx_writer import write_docx

            write_docx(record, tmp, restored)
        else:
            from pipeline.export.html import write_report

            write_report(record, tmp, restored)
    return out
