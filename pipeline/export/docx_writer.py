"""DOCX export with python-docx: the document's parts laid out as a Vietnamese official letter."""

from __future__ import annotations

import json
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.shared import Pt

from pipeline.export.structure import parse_structure
from pipeline.export.text import document_text
from pipeline.types import DocumentRecord, RestoredText

CORE_LIMIT = 255  # python-docx (and Word's UI) cap a core property at 255 characters
PROPERTY_PREFIX = "vanban."  # custom property names: vanban.number, vanban.date, …, vanban.fields_json
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the one FMTID every user-defined property uses
FONT = "Times New Roman"  # what Vietnamese offices use; viewers without it fall back to a metric twin


def _caps(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _cell_lines(cell, lines: list[str], *, bold_caps: bool = True, italic_dates: bool = True) -> None:
    cell.paragraphs[0].text = ""
    for i, line in enumerate(lines):
        para = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(line)
        run.bold = bold_caps and (_caps(line) or "Độc lập" in line)
        run.italic = italic_dates and "ngày" in line and "năm" in line


def _short(text: str) -> str:
    return text if len(text) <= CORE_LIMIT else text[: CORE_LIMIT - 1] + "…"


def _summary(record: DocumentRecord) -> str:
    """A one-line reading of the fields for the Comments box; the full fields are custom properties."""
    f = record.fields
    number = "/".join(v for v in (f.number, f.symbol) if v)
    parts = [f.doc_type, f"số {number}" if number else None, f.issuer, f.place, f.date]
    return " · ".join(p for p in parts if p) or Path(record.path).name


def _text(value: Any) -> str:
    """A field value as a person reads it: lists one per line, objects as ``key: value`` pairs."""
    if isinstance(value, list):
        return "\n".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, "", []))
    return str(value)


def _custom_values(record: DocumentRecord) -> dict[str, str]:
    """One readable custom property per non-empty field, plus the whole ``Fields.to_json`` as JSON."""
    data = record.fields.to_json()
    values = {f"{PROPERTY_PREFIX}{k}": _text(v) for k, v in data.items() if v not in (None, "", [], {})}
    values[f"{PROPERTY_PREFIX}source"] = Path(record.path).name
    values[f"{PROPERTY_PREFIX}fields_json"] = json.dumps(data, ensure_ascii=False)
    return values


def _add_custom_properties(document, values: dict[str, str]) -> None:
    """Write docProps/custom.xml (python-docx has no API for it): Word shows these under
    File > Properties > Custom, and they have no length limit."""
    items = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name="{escape(name, {chr(34): "&quot;"})}">'
        f"<vt:lpwstr>{escape(_XML_BAD.sub('', value))}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(values.items(), start=2)  # pids 0 and 1 are reserved
    )
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{items}</Properties>'
    ).encode()
    package = document.part.package
    part = Part(PackURI("/docProps/custom.xml"), CONTENT_TYPE.OFC_CUSTOM_PROPERTIES, xml, package)
    package.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_PROPERTIES)


def read_custom_properties(path: Path) -> dict[str, str]:
    """The custom properties of a DOCX (name -> text), as Word would list them."""
    with zipfile.ZipFile(path) as zf:
        try:
            root = ET.fromstring(zf.read("docProps/custom.xml"))
        except KeyError:
            return {}
    return {p.get("name", ""): "".join(p.itertext()) for p in root.findall(f"{{{_CUSTOM_NS}}}property")}


def write_docx(record: DocumentRecord, out: Path, restored: RestoredText | None = None) -> Path:
    """Write a DOCX; the core properties carry the main fields (title = subject, author = issuer, …) and
    the custom properties every field (``vanban.*``), since core properties are capped at 255 characters."""
    doc = parse_structure(document_text(record, restored))
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(13)

    if doc.header_left or doc.header_right:
        table = document.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        _cell_lines(table.cell(0, 0), doc.header_left)
        _cell_lines(table.cell(0, 1), doc.header_right)
    for i, line in enumerate(doc.title):
        para = document.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = para.add_run(line)
        run.bold = True
        if i == 0:
            run.font.size = Pt(14)
    if doc.addressees:
        para = document.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.add_run("Kính gửi:").italic = True
        for line in doc.addressees:
            document.add_paragraph(line.lstrip("-–• ").strip(), style="List Bullet")
    for part in doc.body:
        if part.kind == "item":
            document.add_paragraph(part.text.lstrip("-–•+* ").strip(), style="List Bullet")
        elif part.kind == "heading":
            para = document.add_paragraph()
            para.add_run(part.text).bold = True
        else:
            para = document.add_paragraph(part.text)
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if doc.recipients or doc.signature:
        table = document.add_table(rows=1, cols=2)
        left, right = table.cell(0, 0), table.cell(0, 1)
        left.paragraphs[0].text = ""
        if doc.recipients:
            head = left.paragraphs[0].add_run("Nơi nhận:")
            head.bold = head.italic = True
            for line in doc.recipients:
                run = left.add_paragraph().add_run(line)
                run.font.size = Pt(11)
        _cell_lines(right, doc.signature, italic_dates=False)

    fields = record.fields
    props = document.core_properties
    props.title = _short(fields.subject or Path(record.path).stem)
    props.author = _short(fields.issuer or "")
    props.subject = _short(fields.doc_type or "")
    props.category = _short(fields.doc_type or "")
    props.keywords = _short("; ".join(v for v in (fields.number, fields.symbol, fields.place) if v))
    props.identifier = record.sha256
    props.language = "vi-VN"
    props.comments = _short(_summary(record))
    _add_custom_properties(document, _custom_values(record))
    if fields.date:
        try:
            props.created = datetime.fromisoformat(fields.date)
        except ValueError:
            pass
    out.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(out))
    return out
