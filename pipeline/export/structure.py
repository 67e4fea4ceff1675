"""The parts of a Vietnamese administrative document (Nghị định 30/2020/NĐ-CP layout), read from text.

Exports need the structure, not the page geometry: the issuer and number block on the left, the national
motto and place/date on the right, the title, "Kính gửi", the body with its numbered sections and lists,
"Nơi nhận" and the signature. The archive keeps text and word boxes but not block kinds, so the parts
are recognised from the text itself, which also works for restored text files.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from pipeline.vietnamese import fold_lower, nfc

__all__ = ["Paragraph", "Structure", "parse_structure"]


@dataclass(frozen=True)
class Paragraph:
    """``kind``: heading (numbered section), item (list entry) or text."""

    kind: str
    text: str


@dataclass
class Structure:
    header_left: list[str] = field(default_factory=list)  # issuer lines, "Số: …", "V/v …"
    header_right: list[str] = field(default_factory=list)  # national motto, place and date
    head: list[str] = field(default_factory=list)  # header_left and header_right lines in source order
    title: list[str] = field(default_factory=list)  # "KẾ HOẠCH", "Về việc …"
    addressees: list[str] = field(default_factory=list)  # lines after "Kính gửi:"
    body: list[Paragraph] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)  # lines after "Nơi nhận:"
    signature: list[str] = field(default_factory=list)


_MOTTO = ("cong hoa xa hoi chu nghia viet nam", "doc lap - tu do - hanh phuc", "doc lap tu do hanh phuc")
_DATE_RE = regex.compile(r"^[\p{L} .-]{2,40},\s*ngày\b.*\bnăm\b", regex.I)
_NUMBER_RE = regex.compile(r"^(Số|So)\s*[:.]", regex.I)
_SUBJECT_RE = regex.compile(r"^(V/v|Về việc)\b", regex.I)
_KINH_GUI_RE = regex.compile(r"^Kính\s+gửi\s*:?\s*(.*)$", regex.I)
_NOI_NHAN_RE = regex.compile(r"^\W*Nơi\s+nhận\s*:?\W*(.*)$", regex.I)
_SIGN_RE = regex.compile(r"^\W*(TM|KT|TL|TUQ|Q)\s*\.\s*\p{Lu}", regex.U)
_SECTION_RE = regex.compile(r"^(?:(?:[IVXLC]+|\d+(?:\.\d+)*)[.)]|Điều\s+\d+|Chương\s+[IVXLC\d]+|Mục\s+\d+)\s")
_ITEM_RE = regex.compile(r"^(?:[-–—•+*]\s*|[a-zđ][)]\s|\d+[)]\s)")
_DOC_TYPES = (
    "cong van", "ke hoach", "quyet dinh", "thong bao", "bao cao", "to trinh", "chi thi", "nghi quyet",
    "huong dan", "chuong trinh", "giay moi", "bien ban", "thong tu", "nghi dinh", "phuong an", "de an",
)  # fmt: skip
FULL_LINE = 70  # characters: a body line this long that ends mid-sentence was wrapped, not ended
_SENTENCE_END = (".", "!", "?", ":", ";", "…", ".)", ".”", '."')


def _is_caps(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def _is_motto(line: str) -> bool:
    key = regex.sub(r"\s+", " ", fold_lower(line).replace("–", "-")).strip(" -")
    return any(m in key for m in _MOTTO)


def _lines(text: str) -> list[str]:
    return [regex.sub(r"[ \t\u00a0]+", " ", ln).strip() for ln in nfc(text).replace("\r\n", "\n").split("\n")]


def _ends_sentence(line: str) -> bool:
    """Ends in sentence punctuation, looking past closing quotes, brackets and Markdown emphasis."""
    return line.rstrip("*_”’\"')] ").endswith(_SENTENCE_END)


def _join_wrapped(lines: list[str]) -> list[str]:
    """Re-join a paragraph's hard-wrapped lines: a line that does not end a sentence continues on the
    next when that one starts in lower case or with a digit (``Ủy`` / ``ban nhân dân``), or when it is a
    full-width line (``… của`` / ``Sở Công Thương`` across a page break)."""
    out: list[str] = []
    for line in lines:
        if (
            out
            and not _ends_sentence(out[-1])
            and line
            and (line[0].islower() or line[0].isdigit() or (len(out[-1]) >= FULL_LINE and not _is_caps(line)))
            and not _ITEM_RE.match(line)
            and not _SECTION_RE.match(line)
        ):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def parse_structure(text: str) -> Structure:
    """Split a restored document's text into its parts, keeping every non-empty line exactly once."""
    doc = Structure()
    lines = [ln for ln in _lines(text) if ln]
    i, n = 0, len(lines)
    # 1. Head: everything before "Kính gửi", the title or the first body paragraph.
    in_subject = False
    subject_at = -1  # index in doc.head of the "V/v" line that continuation lines join

    def head(side: list[str], line: str) -> None:
        side.append(line)
        doc.head.append(line)

    while i < n:
        line = lines[i]
        key = fold_lower(line)
        if _KINH_GUI_RE.match(line) or _SECTION_RE.match(line) or _NOI_NHAN_RE.match(line):
            break
        if _is_motto(line) or _DATE_RE.match(line):
            head(doc.header_right, line)
            in_subject = False
        elif _NUMBER_RE.match(line):
            head(doc.header_left, line)
            in_subject = False
        elif _SUBJECT_RE.match(line) and not doc.title:
            head(doc.header_left, line)
            in_subject, subject_at = True, len(doc.head) - 1
        elif in_subject and not _is_caps(line) and len(line) < 90:
            doc.header_left[-1] = doc.head[subject_at] = f"{doc.header_left[-1]} {line}"
        elif _is_caps(line) and any(key.startswith(t) for t in _DOC_TYPES) and (doc.header_right or doc.header_left):
            doc.title.append(line)
            in_subject = False
        elif doc.title and (key.startswith("ve ") or _is_caps(line)) and len(doc.title) < 4:
            doc.title.append(line)
        elif _is_caps(line) and not doc.header_right and not doc.title:
            head(doc.header_left, line)  # issuer, parent issuer
        elif not doc.header_left and not doc.header_right:
            break  # no head at all: plain text
        else:
            break
        i += 1
    # 2. Addressees.
    if i < n and (m := _KINH_GUI_RE.match(lines[i])):
        if m.group(1):
            doc.addressees.append(m.group(1))
        i += 1
        while i < n and (_ITEM_RE.match(lines[i]) or (doc.addressees and lines[i][0].islower())):
            if lines[i][0].islower() and not _ITEM_RE.match(lines[i]) and doc.addressees:
                doc.addressees[-1] = f"{doc.addressees[-1]} {lines[i]}"
            else:
                doc.addressees.append(lines[i])
            i += 1
    # 3. Body, up to "Nơi nhận" or the signature.
    body: list[str] = []
    while i < n and not _NOI_NHAN_RE.match(lines[i]) and not _SIGN_RE.match(lines[i]):
        body.append(lines[i])
        i += 1
    for line in _join_wrapped(body):
        if _SECTION_RE.match(line):
            doc.body.append(Paragraph("heading", line))
        elif _ITEM_RE.match(line):
            doc.body.append(Paragraph("item", line))
        else:
            doc.body.append(Paragraph("text", line))
    # 4. Nơi nhận: its list, then the signature block (which may come first on the page).
    tail = lines[i:]
    j = 0
    while j < len(tail):
        line = tail[j]
        if m := _NOI_NHAN_RE.match(line):
            if m.group(1):
                doc.recipients.append(m.group(1))
            j += 1
            while j < len(tail) and _ITEM_RE.match(tail[j]):
                doc.recipients.append(tail[j])
                j += 1
            continue
        doc.signature.append(line)
        j += 1
    if not doc.signature and doc.body and len(doc.body[-1].text) < 40 and doc.body[-1].kind == "text":
        # A bare name at the end of a letter with neither "Nơi nhận" nor a TM./KT. line.
        last = doc.body[-1].text
        if all(w[:1].isupper() for w in last.split()) and 2 <= len(last.split()) <= 5:
            doc.signature.append(doc.body.pop().text)
    return doc
