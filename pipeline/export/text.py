"""Corrected text, Markdown and JSON exports: the restored document in reading order."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from pipeline.export.structure import Structure, parse_structure
from pipeline.types import DocumentRecord, RestoredText
from pipeline.vietnamese import nfc


def document_text(record: DocumentRecord, restored: RestoredText | None = None) -> str:
    """The restored text of the whole document (NFC), pages in order."""
    if restored is not None:
        return nfc(restored.text)
    return nfc("\n\n".join(p.restored_text for p in record.pages if p.restored_text))


def _blocks(doc: Structure, markdown: bool) -> list[str]:
    """Paragraph-sized chunks in reading order; ``markdown`` adds the markup."""

    def strong(line: str) -> str:
        return f"**{_md_escape(line)}**" if markdown else line

    def plain(line: str) -> str:
        return _md_escape(line) if markdown else line

    def lines(items: list[str]) -> str:
        return ("  \n" if markdown else "\n").join(items)

    out: list[str] = []
    # Head lines keep the source's order (some letters put the date between "Số:" and "V/v"); each run of
    # lines from one column (issuer block on the left, motto and date on the right) is one chunk.
    motto = set(ln for ln in doc.header_right[:2] if not _is_date(ln))
    left = set(doc.header_left)
    run: list[str] = []
    for k, ln in enumerate(doc.head):
        run.append(strong(ln) if _caps(ln) or ln in motto else plain(ln))
        if k + 1 == len(doc.head) or (ln in left) != (doc.head[k + 1] in left):
            out.append(lines(run))
            run = []
    if doc.title:
        out.append(lines([f"# {_md_escape(doc.title[0])}"] + [plain(t) for t in doc.title[1:]]) if markdown
                   else lines(doc.title))  # fmt: skip
    if doc.addressees:
        # A list under its label: items one a line (no hard-break spaces inside a Markdown list).
        out.append("\n".join([strong("Kính gửi:")] + [_item(a, markdown) for a in doc.addressees]))
    items: list[str] = []
    for para in doc.body:
        if para.kind == "item":
            items.append(_item(para.text, markdown))
            continue
        if items:
            out.append("\n".join(items))
            items = []
        if para.kind == "heading" and markdown:
            out.append(f"### {_md_escape(para.text)}" if len(para.text) <= 120 else plain(para.text))
        else:
            out.append(plain(para.text))
    if items:
        out.append("\n".join(items))
    if doc.recipients:
        out.append("\n".join([strong("Nơi nhận:")] + [_item(r, markdown) for r in doc.recipients]))
    if doc.signature:
        sig = [strong(s) if _caps(s) or i == len(doc.signature) - 1 else plain(s)
               for i, s in enumerate(doc.signature)]  # fmt: skip
        out.append(lines(sig))
    return out


def _caps(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _is_date(line: str) -> bool:
    return "ngày" in line and "năm" in line


def _item(text: str, markdown: bool) -> str:
    if not markdown:
        return text
    body = text.lstrip("-–—•+* ").strip()
    if body == text.strip():  # "a) …" keeps its own marker
        return f"- {_md_escape(text)}"
    return f"- {_md_escape(body)}"


_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>#|"})


def _md_escape(text: str) -> str:
    text = text.translate(_MD_SPECIAL)
    # A line starting "1. " or "- " would become a list item; these are literal section numbers.
    if text[:1] in "-+" and text[1:2] == " ":
        text = "\\" + text
    head, dot, rest = text.partition(". ")
    if dot and head.isdigit():
        text = f"{head}\\. {rest}"
    return text


def to_txt(record: DocumentRecord, restored: RestoredText | None = None) -> str:
    """Plain corrected text: the document's parts in reading order, one blank line between them."""
    return "\n\n".join(_blocks(parse_structure(document_text(record, restored)), markdown=False)) + "\n"


def _yaml_front_matter(fields: dict[str, Any]) -> str:
    """YAML 1.2 front matter; values are written in JSON syntax, which is valid YAML flow style."""
    lines = ["---"]
    for key, value in fields.items():
        if value in (None, [], {}):
            continue
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("---")
    return "\n".join(lines)


def to_markdown(record: DocumentRecord, restored: RestoredText | None = None) -> str:
    """Markdown with the fields in a YAML front matter, headings for title and numbered sections."""
    fields = {"source": Path(record.path).name, "sha256": record.sha256, **record.fields.to_json()}
    body = "\n\n".join(_blocks(parse_structure(document_text(record, restored)), markdown=True))
    return f"{_yaml_front_matter(fields)}\n\n{body}\n"


def to_json(record: DocumentRecord, restored: RestoredText | None = None) -> dict[str, Any]:
    """Fields, each page's raw and restored text, and every word with its box and restored form."""
    pages = []
    for page in record.pages:
        pages.append(
            {
                "index": page.index,
                "source": page.source,
                "width": page.width,
                "height": page.height,
                "geometry": asdict(page.geometry) if page.geometry else None,
                "mean_confidence": round(page.mean_confidence, 2),
                "raw_text": nfc(page.raw_text),
                "restored_text": nfc(page.restored_text),
                "words": [
                    {
                        "text": nfc(w.text),
                        "restored": nfc(r),
                        "box": [w.box.left, w.box.top, w.box.width, w.box.height],
                        "confidence": round(w.confidence, 2),
                        "block": w.block,
                        "line": w.line,
                    }
                    for w, r in zip(page.words, page.restored_words, strict=True)
                ],
            }
        )
    data: dict[str, Any] = {
        "sha256": record.sha256,
        "path": record.path,
        "size": record.size,
        "fields": record.fields.to_json(with_provenance=True),
        "text": document_text(record, restored),
        "pages": pages,
    }
    if restored is not None:
        data["tokens"] = [
            {
                "original": t.original,
                "restored": t.restored,
                "start": t.start,
                "end": t.end,
                "probability": round(t.probability, 4),
                "alternatives": [{"text": a.text, "probability": round(a.probability, 4)} for a in t.alternatives],
                "flagged": t.flagged,
            }
            for t in restored.tokens
        ]
    return data
