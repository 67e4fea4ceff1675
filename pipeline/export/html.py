"""Review report: damaged and restored text side by side, every change and doubtful token marked.

One self-contained HTML file (inline CSS, no scripts, no external resources) so a reviewer can open it
anywhere, archive it with the copy, or print it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

from pipeline.types import DocumentRecord, RestoredText, RestoredToken
from pipeline.vietnamese import nfc

LOW_OCR_CONFIDENCE = 60.0  # Tesseract's 0..100 word confidence below which a word is marked

_CSS = """
body{font-family:"Liberation Serif","Times New Roman",serif;margin:1.5em;color:#111;background:#fff}
h1{font-size:1.4em;margin:0 0 .3em} h2{font-size:1.15em;margin:1.2em 0 .4em}
table{border-collapse:collapse;width:100%} td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}
th{background:#f2f2f2;text-align:left} .fields th{width:12em}
.side td{width:50%;white-space:pre-wrap;font-size:1.02em;line-height:1.45}
.chg-o{background:#fde2e1;text-decoration:line-through;text-decoration-color:#c0392b}
.chg{background:#d4f5dd;border-bottom:2px solid #1e8449}
.low{outline:2px dashed #e67e22;outline-offset:1px}
.ocr-low{border-bottom:2px dotted #8e44ad}
.legend span{margin-right:1.2em;padding:0 .3em} .summary{color:#444}
"""


@dataclass(frozen=True)
class _Segment:
    original: str
    restored: str
    token: RestoredToken | None


def _segments(restored: RestoredText) -> list[_Segment]:
    """The original text cut at token boundaries; gaps between tokens are copied on both sides."""
    out: list[_Segment] = []
    pos = 0
    for tok in sorted(restored.tokens, key=lambda t: t.start):
        if tok.start > pos:
            gap = restored.original[pos : tok.start]
            out.append(_Segment(gap, gap, None))
        out.append(_Segment(restored.original[tok.start : tok.end], tok.restored, tok))
        pos = max(pos, tok.end)
    if pos < len(restored.original):
        gap = restored.original[pos:]
        out.append(_Segment(gap, gap, None))
    return out


def _title(tok: RestoredToken, ocr_conf: float | None = None) -> str:
    parts = [f"xác suất {tok.probability:.2f}"]
    if tok.changed:
        parts.insert(0, f"{tok.original} → {tok.restored}")
    if tok.alternatives:
        alts = ", ".join(f"{a.text} ({a.probability:.2f})" for a in tok.alternatives[:5])
        parts.append(f"phương án khác: {alts}")
    if ocr_conf is not None:
        parts.append(f"OCR {ocr_conf:.0f}")
    return "; ".join(parts)


def _rows(restored: RestoredText, ocr_conf: list[float | None] | None = None) -> list[tuple[str, str]]:
    """Rows of (damaged HTML, restored HTML), one per line of the original."""
    rows: list[tuple[str, str]] = []
    left: list[str] = []
    right: list[str] = []
    t = 0
    for seg in _segments(restored):
        if seg.token is None:
            pieces = seg.original.split("\n")
            for k, piece in enumerate(pieces):
                if k:
                    rows.append(("".join(left), "".join(right)))
                    left, right = [], []
                left.append(escape(piece))
                right.append(escape(piece))
            continue
        tok = seg.token
        conf = ocr_conf[t] if ocr_conf is not None and t < len(ocr_conf) else None
        t += 1
        classes_r = []
        if tok.changed:
            classes_r.append("chg")
        if tok.flagged:
            classes_r.append("low")
        if conf is not None and conf < LOW_OCR_CONFIDENCE:
            classes_r.append("ocr-low")
        title = escape(_title(tok, conf), quote=True)
        o, r = escape(nfc(seg.original)), escape(nfc(seg.restored))
        if not classes_r:
            left.append(o)
            right.append(r)
            continue
        left.append(f'<span class="chg-o">{o}</span>' if tok.changed else o)
        right.append(f'<span class="{" ".join(classes_r)}" title="{title}">{r}</span>')
    rows.append(("".join(left), "".join(right)))
    return rows


def _from_words(record: DocumentRecord) -> tuple[RestoredText, list[float | None]]:
    """Without restoration tokens, each OCR word is a token: its original and its archived restored form."""
    original: list[str] = []
    tokens: list[RestoredToken] = []
    confs: list[float | None] = []
    pos = 0
    for page in record.pages:
        if not page.words:  # a text-layer page: compare its texts line by line
            text = nfc(page.raw_text)
            original.append(text + "\n\n")
            tokens.append(RestoredToken(text, nfc(page.restored_text), pos, pos + len(text), 1.0))
            confs.append(None)
            pos += len(text) + 2
            continue
        key = None
        for word, rest in zip(page.words, page.restored_words, strict=True):
            sep = "" if key is None else (" " if (word.block, word.line) == key else "\n")
            key = (word.block, word.line)
            original.append(sep)
            pos += len(sep)
            text = nfc(word.text)
            tokens.append(RestoredToken(text, nfc(rest) or text, pos, pos + len(text), 1.0))
            confs.append(word.confidence)
            original.append(text)
            pos += len(text)
        original.append("\n\n")
        pos += 2
    text = "".join(original)
    return RestoredText(text, "", tuple(tokens)), confs


def _fields_table(record: DocumentRecord) -> str:
    rows = []
    for key, value in record.fields.to_json().items():
        if value in (None, [], {}):
            continue
        if isinstance(value, list):
            shown = "<br>".join(escape(str(v if not isinstance(v, dict) else _dict_text(v))) for v in value)
        elif isinstance(value, dict):
            shown = escape(_dict_text(value))
        else:
            shown = escape(str(value))
        prov = record.fields.provenance.get(key)
        note = f' title="trang {prov.page + 1}, {prov.block}, độ tin cậy {prov.confidence:.2f}"' if prov else ""
        rows.append(f"<tr><th>{escape(key)}</th><td{note}>{shown}</td></tr>")
    if not rows:
        return "<p>Không trích xuất được trường nào.</p>"
    return '<table class="fields">' + "".join(rows) + "</table>"


def _dict_text(value: dict) -> str:
    return ", ".join(f"{k}: {v}" for k, v in value.items() if v not in (None, "", []))


def render_report(record: DocumentRecord, restored: RestoredText | None = None) -> str:
    """The review report as one HTML string."""
    confs: list[float | None] | None = None
    if restored is None:
        restored, confs = _from_words(record)
    tokens = restored.tokens
    changed = sum(t.changed for t in tokens)
    flagged = sum(t.flagged for t in tokens)
    low_ocr = sum(1 for c in (confs or []) if c is not None and c < LOW_OCR_CONFIDENCE)
    name = Path(record.path).name
    body = "".join(f"<tr><td>{o}</td><td>{r}</td></tr>" for o, r in _rows(restored, confs) if o.strip() or r.strip())
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>Báo cáo rà soát: {escape(name)}</title>
<style>{_CSS}</style></head>
<body>
<h1>Báo cáo rà soát bản sạch</h1>
<p class="summary">Tệp gốc: <code>{escape(record.path)}</code> · SHA-256 <code>{record.sha256[:16]}</code> ·
{len(record.pages)} trang · {len(tokens)} từ · <b id="n-changed">{changed}</b> từ đã sửa ·
<b id="n-flagged">{flagged}</b> từ độ tin cậy thấp · <b id="n-ocr-low">{low_ocr}</b> từ OCR kém</p>
<p class="legend"><span class="chg-o">bản hỏng</span><span class="chg">đã sửa</span>
<span class="low">cần xem lại</span><span class="ocr-low">OCR kém</span> (rê chuột lên một từ để xem xác suất
và các phương án khác)</p>
<h2>Các trường</h2>
{_fields_table(record)}
<h2>Văn bản: bản hỏng và bản đã phục hồi</h2>
<table class="side"><thead><tr><th>Bản hỏng (OCR / tệp gốc)</th><th>Bản đã phục hồi</th></tr></thead>
<tbody>{body}</tbody></table>
</body></html>
"""


def write_report(record: DocumentRecord, out: Path, restored: RestoredText | None = None) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(record, restored), encoding="utf-8")
    return out


__all__ = ["render_report", "write_report"]
