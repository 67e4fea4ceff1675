"""Bulleted lists: the entries of 'Kính gửi:' and 'Nơi nhận:' as OCR reads them."""

from __future__ import annotations

from typing import Any

import regex

from pipeline.extract.text import BODY_START_RE, is_upper_line, lexicon, line_pieces, respell_head, squash
from pipeline.vietnamese import fold_lower

_LUU = r"^(?:[Ll][ưuữứừ]{1,2}|ư[uữ]?)\s*:\s*V"  # 'Lưu:' as OCR leaves it: 'Lưữ:', 'lu:', 'ưu:' (the L lost)
# 'Lưu: VT' run into the unit after it ('VT CCVC', 'V CCVC', 'VL P2'): 'Lưu: VT, CCVC'
LUU_VT_RE = regex.compile(rf"{_LUU}(?:[TLEIl1ŨÊỀẾ]?[j,.;]?)(?=\s+\p{{Lu}}[\p{{Lu}}\d])")
# 'Lưu: VT' (the clerk's copy, văn thư) as OCR and restoration leave it: 'Lưu: VL', 'Lưu: VLE', 'Lưữ: VT',
# 'ưu: VT' (the L lost), 'Lưu: VỀ' (restoration's reading);
# and '(để b/c)' (for report): '(de b/c)', '(để b/C)', '(để bíc)', '(để bí/c)'.
LUU_RE = regex.compile(rf"{_LUU}(?:[TLEIl1ÊỀẾŨ]{{1,2}})?(?=[,.;]|\s|$)")
FOR_REPORT_RE = regex.compile(r"\((?:để|de|đề|dé)\s*b[íi]?[/|]?[íi]?[cC]\)")
BULLET_RE = regex.compile(r"^[-–+•*·~]+\s*")  # "~": a dash as OCR reads it on a fax; "--": one read twice
# An entry that opens a line whose dash OCR lost: the clerk's copy, or 'các …' after an entry closed by a
# comma (Party documents end their entries with ',': 'Trung ương,' / 'các đảng ủy đơn vị …').
OPENS_ENTRY_RE = regex.compile(r"^(?:Lưu\b|[Cc]ác\s)")
# What a copy prints where the signature stood ('(Đã ký)', '[daky]'), read into the list's column.
SIGNED_MARK_RE = regex.compile(r"\s*[(\[]\s*(?:đã\s*ký|da\s*ky|daky|đã\s*kí)\s*[)\]]", regex.IGNORECASE)


def is_debris(piece: str) -> bool:
    """A line OCR made of specks and strokes: fewer letters and digits than other marks."""
    chars = piece.replace(" ", "")
    odd = regex.search(r"[^\p{L}\p{N}.,;:()/\-–'\"%&]", chars)  # 'b/c);' is short, not debris
    return bool(odd) and sum(c.isalnum() and not regex.match(r"\p{Lm}", c) for c in chars) < 0.5 * len(chars)


def _title(piece: str) -> bool:
    """A signature title beside the list whose capitals restoration partly lowered ('Bí THƯ')."""
    return bool(regex.search(r"\b\p{Lu}{2,}\b", piece)) and fold_lower(piece) in lexicon()["titles"]


def list_items(text: str, start: int, max_items: int, skip_upper: bool) -> list[tuple[str, int, int]]:
    """Bulleted (or single inline) entries after a cue like 'Kính gửi:'; wrapped lines are joined.

    A line continues the previous entry while that entry has no closing ';' or '.', so an entry
    wrapped at a dash ('Đình Vũ' / '– Cát Hải') or at a capital ('Hải' / 'Phòng;') stays whole.
    """
    items: list[list[Any]] = []
    bullet = None
    inline = False
    line_end = text.find("\n", start)
    line_end = len(text) if line_end < 0 else line_end
    for s, e in line_pieces(text, start, columns=skip_upper):
        piece = text[s:e].strip(" *")
        if not piece or SIGNED_MARK_RE.fullmatch(piece):
            continue
        same_line = s < line_end
        prev = items[-1][0] if items else ""
        open_entry = bool(items) and not regex.search(r"[;.]$", prev)
        if items and is_debris(piece):  # scan specks between entries: '=>... .. . ..ÝẺ.<'
            continue
        # the signature column beside the list, not an entry's wrapped capitals ('các' / 'Vụ: TH, KTTH;')
        closes = piece.endswith(";")
        if skip_upper and not closes and (
            is_upper_line(piece) or regex.match(r"^(TM|KT|TL|TUQ|Q)\s*\.", piece) or _title(piece)
        ):
            continue
        if m := BULLET_RE.match(piece):
            if sum(c.isalpha() for c in piece[m.end() :]) < 2:
                continue  # a seal's speck read as an entry ('+ V')
            mark = m.group().strip()[:1].replace("~", "-")
            if open_entry and bullet is not None and mark != bullet:
                items[-1][0] = prev + " " + piece
                items[-1][2] = e
                continue
            if len(items) >= max_items:
                break
            bullet = bullet or mark
            lead = regex.match(r"[\s*\-–+•·~]*", text[s:e])
            items.append([piece[m.end() :], s + (lead.end() if lead else 0), e])
            continue
        if same_line and not items:
            items.append([piece, s, e])
            inline = True
            continue
        opens = OPENS_ENTRY_RE.match(piece) if items and regex.search(r"[;.,]$", prev) else None
        if opens and not BODY_START_RE.match(piece):
            # 'các …' opens an entry only in a list whose entries close with ',' (a state list's with ';'
            # wraps 'Thủ trưởng các sở, ban, ngành,' / 'các đơn vị trực thuộc;' inside one entry)
            if opens.group().startswith("Lưu") or not any(item[0].endswith(";") for item in items):
                items.append([piece, s, e])
                continue
        if (
            open_entry
            and not BODY_START_RE.match(piece)
            and (piece[:1].islower() or regex.search(r"[;.,]$", piece))
        ):
            items[-1][0] = prev + " " + piece
            items[-1][2] = e
            continue
        if not items and not same_line:
            items.append([piece, s, e])
            inline = True
            if not piece.endswith((";", ",")):
                break
            continue
        if items and inline and prev.endswith(";"):
            items.append([piece, s, e])
            continue
        break
    out = []
    for value, s, e in items:
        # trailing specks after the closing ';' ('công; ˆ'); a spaced hyphen is the en dash these names print
        value = SIGNED_MARK_RE.sub("", squash(value))
        value = regex.sub(r"(?:\s+(?:[^\p{L}\p{N}()\s]|\p{Lm})+)+$", "", value).replace(" - ", " – ")
        value = LUU_VT_RE.sub("Lưu: VT,", value.rstrip(" ;:,.").strip())
        value = respell_head(FOR_REPORT_RE.sub("(để b/c)", LUU_RE.sub("Lưu: VT", value)))
        if value:
            out.append((value, s, e))
    return out

