"""Field extractors, one spaCy component each (registered by name, wired in config.cfg).

Each component reads ``doc.text`` (plain text; layout blocks are only hints through
``doc._.vb_segments``) and the cue spans of the ``cues`` SpanRuler, and stores ``Found`` values
in ``doc._.vb[field]``; the span of every value also goes to ``doc.spans["vb_fields"]``.
"""

from __future__ import annotations

from typing import Any

import regex
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.extract.nlp import Found, doc_type_names, doc_type_rows
from pipeline.extract.text import (
    A_ANY,
    ANY_DATE_RE,
    DIGITISH,
    SHORT_DATE_RE,
    fix_digits,
    is_upper_line,
    lexicon,
    line_pieces,
    looks_like_place,
    majority_spelling,
    make_date,
    name_case,
    nearest_spelling,
    official_case,
    parse_date_match,
    respell_tail,
    squash,
    title_case,
)
from pipeline.vietnamese import fold_lower

H = r"[^\S\n]"  # horizontal whitespace

# "Số: 225/KH-UBND", "S6 : l5 / UBND - VP", "Số:      /UBND-KTHT&ĐT" (blank number).
SO_RE = regex.compile(
    rf"(?m)^{H}*S[ốôóoòỏõọồổỗộÔO6]{H}*[:;.,]?[\s.…_]*?(?P<num>{DIGITISH}{{1,6}})?(?:{H}|[.…_])*/{H}*"
    rf"(?P<sym>(?:(?:19|20)\d\d{H}*/{H}*)?[\p{{Lu}}0-9][\p{{L}}0-9&]*(?:{H}*[-–]{H}*[\p{{L}}0-9&]+)*)"
)
VV_RE = regex.compile(rf"(?m)^{H}*V{H}*[/|\\l1I.]{H}*[vV]\b{H}*[:.]?{H}*")
# Place and date of issue: "Kiến An, ngày 11 tháng 9 năm 2025" (blank day/month allowed).
_FILL = r"[\s.…_]*"
DATE_HEAD = (
    rf"[Nn]g{A_ANY}y{_FILL}(?P<d>{DIGITISH}{{1,2}})?{_FILL}th{A_ANY}ng{_FILL}(?P<m>{DIGITISH}{{1,2}})?"
    rf"{_FILL}n{A_ANY}m{_FILL}(?P<y>[12][0-9OoIl|]{{3}})"
)
PLACE_DATE_RE = regex.compile(rf"(?P<place>[\p{{Lu}}][^\n,;:]{{0,60}}?){H}*,{H}*(?P<date>{DATE_HEAD})")
BARE_DATE_RE = regex.compile(rf"(?m)^{H}*(?P<date>{DATE_HEAD})")
BODY_START_RE = regex.compile(
    r"(?m)^\W*(?:Căn cứ|Thực hiện|Triển khai|Theo đề nghị|Xét đề nghị|Nhằm|Để |Hướng ứng|Hưởng ứng|"
    r"Điều 1|I\.|1\.)"
)
MOTTO = ("cong hoa xa hoi chu nghia", "doc lap", "doc lap - tu do")
GENERIC_TYPES = {"VB"}
AMBIGUOUS_FIX = {"QD": "QĐ", "CD": "CĐ", "QYD": "QyĐ", "CTR": "CTr", "TTR": "TTr", "QYĐ": "QyĐ"}


# ---------------------------------------------------------------- shared helpers


def put(doc: Doc, name: str, value: Any, start: int, end: int, confidence: float) -> None:
    doc._.vb[name] = Found(value, start, end, round(confidence, 2))
    span = doc.char_span(start, end, label=name, alignment_mode="expand")
    if span is not None:
        doc.spans.setdefault("vb_fields", []).append(span)


def got(doc: Doc, name: str) -> Found | None:
    return doc._.vb.get(name)


def cues(doc: Doc, label: str) -> list[Span]:
    return sorted((s for s in doc.spans.get("vb_cues", []) if s.label_ == label), key=lambda s: s.start_char)


def meta(doc: Doc) -> dict[str, Any]:
    if doc._.vb_meta is None:
        doc._.vb_meta = {}
    return doc._.vb_meta


def body_start(doc: Doc) -> int:
    """Where the header ends: at 'Kính gửi' or the first body opening, whichever comes first."""
    m = meta(doc)
    if "body_start" not in m:
        ends = [len(doc.text)]
        kg = cues(doc, "KINH_GUI")
        if kg:
            ends.append(kg[0].start_char)
        if b := BODY_START_RE.search(doc.text):
            ends.append(b.start())
        m["body_start"] = min(ends)
    return m["body_start"]


def block_ranges(doc: Doc, kind: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in (doc._.vb_segments or ()) if s.block == kind]


def fold_same_length(text: str) -> str | None:
    f = fold_lower(text)
    return f if len(f) == len(text) else None


def strip_motto(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut the national motto off a header line it was printed beside."""
    f = fold_same_length(text[start:end])
    if f is None:
        return start, end
    cut = min(
        (i for i in (f.find(m) for m in ("cong hoa xa hoi", "doc lap - tu do", "doc lap")) if i >= 0),
        default=-1,
    )
    if cut == 0:
        return start, start
    if cut > 0:
        end = start + cut
        while end > start and text[end - 1].isspace():
            end -= 1
    return start, end


def is_motto(piece: str) -> bool:
    f = fold_lower(piece).strip(" -_*")
    return any(f.startswith(m) for m in MOTTO) or "tu do - hanh phuc" in f or "tu do hanh phuc" in f


def clean_symbol(raw: str) -> tuple[str, bool]:
    """Normalise a ký hiệu read by OCR; returns (symbol, repaired)."""
    s = regex.sub(r"\s+", "", raw).replace("–", "-")
    year, rest = "", s
    if m := regex.match(r"((?:19|20)\d\d/)(.*)", s):
        year, rest = m.group(1), m.group(2)
    parts = []
    for part in rest.split("-"):
        fixed = part
        letters = sum(c.isalpha() for c in part)
        if letters >= 1 and not regex.search(r"[2-9]", part):
            fixed = fixed.replace("0", "O").replace("1", "I")
        fixed = fixed.replace("l", "I") if regex.search(r"\p{Lu}", fixed) else fixed
        up = fixed.upper()
        canon = {k.upper(): k for k in doc_type_names()}
        if up in canon and up != fixed and canon[up] != fixed and any(c.islower() for c in canon[up]):
            fixed = canon[up]  # QYĐ -> QyĐ, CTR -> CTr
        elif any(c.islower() for c in fixed) and up not in canon:
            fixed = up
        parts.append(fixed)
    if parts and len(parts) > 1:
        key = fold_lower(parts[0]).upper()
        if parts[0] not in doc_type_names() and key in AMBIGUOUS_FIX:
            parts[0] = AMBIGUOUS_FIX[key]
    out = year + "-".join(parts)
    return out, out != regex.sub(r"\s+", "", raw)


def symbol_type(symbol: str | None) -> str | None:
    """The type abbreviation of a ký hiệu ('KH-UBND' -> 'KH', '2020/NĐ-CP' -> 'NĐ'), if it has one."""
    if not symbol:
        return None
    rest = symbol.split("/")[-1]
    first = rest.split("-")[0]
    names = doc_type_names()
    if first in names and first not in GENERIC_TYPES and "-" in rest:
        return first
    return None


def typed_symbol(symbol: str, abbr: str) -> str:
    """'TI-KTHT&ĐT' cited as a Tờ trình -> 'TTr-KTHT&ĐT': a first part that is no type abbreviation,
    one letter off the named type's ('TI' for 'TTr'), is that abbreviation misread by OCR."""
    head, sep, rest = symbol.partition("-")
    names = doc_type_names()
    if not sep or "/" in head or head in names or abbr in GENERIC_TYPES or abbr not in names:
        return symbol
    a, b = fold_lower(head).upper(), fold_lower(abbr).upper()
    if a[:1] == b[:1] and abs(len(a) - len(b)) <= 1 and len(set(a) ^ set(b)) <= 2:
        return f"{abbr}-{rest}"
    return symbol


def issuer_abbreviation(symbol: str | None) -> str | None:
    if not symbol:
        return None
    parts = symbol.split("/")[-1].split("-")
    if symbol_type(symbol):
        return parts[1] if len(parts) > 1 else None
    return parts[0]


# ---------------------------------------------------------------- components


class Number:
    """number / symbol from the 'Số:' line (the first at a line start)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if doc._.vb is None:
            doc._.vb = {}
        m = SO_RE.search(doc.text)
        if not m:
            return doc
        meta(doc)["so_line"] = (m.start(), m.end())
        raw_num = m.group("num")
        if raw_num:
            num = fix_digits(raw_num).lstrip("0") or "0"
            put(doc, "number", num, m.start("num"), m.end("num"), 0.95 if num == raw_num else 0.8)
        else:
            put(doc, "number", None, m.start(), m.start("sym"), 0.9)
        sym, repaired = clean_symbol(m.group("sym"))
        put(doc, "symbol", sym, m.start("sym"), m.end("sym"), 0.8 if repaired else 0.95)
        return doc


class DocType:
    """doc_type: the title line, else the abbreviation in the symbol, else Công văn (V/v or no type)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        names = doc_type_names()
        text = doc.text
        limit = max(body_start(doc), (meta(doc).get("so_line") or (0, 0))[1])
        for span in cues(doc, "DOC_TYPE"):
            if span.start_char > limit + 400 or span.id_ in GENERIC_TYPES:
                continue
            ls = text.rfind("\n", 0, span.start_char) + 1
            le = text.find("\n", span.end_char)
            le = len(text) if le < 0 else le
            line = text[ls:le].strip(" *")
            if line.endswith(":") or not is_upper_line(line) or fold_lower(line) != fold_lower(span.text):
                continue
            put(doc, "doc_type", names[span.id_], span.start_char, span.end_char, 0.95)
            meta(doc)["title_end"] = span.end_char
            return doc
        sym = got(doc, "symbol")
        abbr = symbol_type(sym.value if sym else None)
        if sym and abbr:
            put(doc, "doc_type", names[abbr], sym.start, sym.end, 0.9)
        elif vv := VV_RE.search(text):
            put(doc, "doc_type", "Công văn", vv.start(), vv.end(), 0.9)
        elif sym and sym.value:
            put(doc, "doc_type", "Công văn", sym.start, sym.end, 0.6)
        return doc


class PlaceDate:
    """place / date / date_year from 'Kiến An, ngày 11 tháng 9 năm 2025' (blanks give date None)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        m = PLACE_DATE_RE.search(text)
        place = None
        if m:
            ps, pe = strip_motto(text, m.start("place"), m.end("place"))
            words = list(regex.finditer(r"\S+", text[ps:pe]))
            # keep the trailing run of capitalised words ("TP. Hồ Chí Minh", "Kiến An")
            keep = []
            for w in reversed(words):
                if w.group()[:1].isupper() or w.group().lower() in ("tp.", "tx.", "tt."):
                    keep.append(w)
                else:
                    break
            if keep and len(keep) <= 6:
                keep.reverse()
                s, e = ps + keep[0].start(), ps + keep[-1].end()
                place = (squash(text[s:e]), s, e)
        else:
            m = BARE_DATE_RE.search(text, 0, body_start(doc) + 200)
        if not m:
            return doc
        if place:
            value = majority_spelling(text, name_case(place[0]) if is_upper_line(place[0]) else place[0])
            near = nearest_spelling(text, value)
            put(doc, "place", near, place[1], place[2], 0.9 if near == value else 0.7)
        iso, year = make_date(m.group("d"), m.group("m"), m.group("y"))
        clean = all(g is None or g.isdigit() for g in (m.group("d"), m.group("m"), m.group("y")))
        conf = 0.95 if clean else 0.8
        put(doc, "date", iso, m.start("date"), m.end("date"), conf if iso or not m.group("d") else 0.5)
        if year:
            put(doc, "date_year", year, m.start("y"), m.end("y"), conf)
        return doc


class Issuer:
    """issuer / parent_issuer from the upper-left header; fallback: the symbol's issuer abbreviation."""

    def __init__(self, nlp: Language, name: str, max_header_lines: int) -> None:
        self.name = name
        self.max_lines = max_header_lines

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        ends = [body_start(doc)]
        for key in ("number", "date"):
            if f := got(doc, key):
                ends.append(f.start)
        if f := got(doc, "place"):
            ends.append(f.start)
        if vv := VV_RE.search(text):
            ends.append(vv.start())
        if so := meta(doc).get("so_line"):
            ends.append(so[0])
        limit = min(ends)
        ranges = block_ranges(doc, "header_left")
        groups: list[list[tuple[int, int]]] = []
        seen = 0
        for s, e in line_pieces(text, 0, limit):
            if ranges and not any(a <= s < b for a, b in ranges):
                continue
            s, e = strip_motto(text, s, e)
            piece = text[s:e].strip(" *")
            if not piece or is_motto(piece) or not regex.search(r"\p{L}{2}", piece):
                continue
            if fold_lower(piece) in ("khan", "thuong khan", "hoa toc", "mat", "toi mat", "tuyet mat"):
                continue
            seen += 1
            if seen > self.max_lines or len(piece.split()) > 14:
                break
            if groups and not self._starts_org(piece, groups[-1], text):
                groups[-1].append((s, e))
            else:
                groups.append([(s, e)])
        if groups:
            s, e = groups[-1][0][0], groups[-1][-1][1]
            raw = " ".join(text[a:b] for a, b in groups[-1])
            put(doc, "issuer", respell_tail(text, official_case(raw)), s, e, 0.9)
            if len(groups) > 1:
                ps, pe = groups[-2][0][0], groups[-2][-1][1]
                praw = " ".join(text[a:b] for a, b in groups[-2])
                put(doc, "parent_issuer", respell_tail(text, official_case(praw)), ps, pe, 0.85)
            return doc
        self._from_symbol(doc)
        return doc

    @staticmethod
    def _starts_org(piece: str, group: list[tuple[int, int]], text: str) -> bool:
        last = text[group[-1][0] : group[-1][1]]
        if fold_lower(last).rstrip().endswith((" va", " -", " –", ",")):
            return False
        words = fold_lower(piece).split()
        lex = lexicon()
        heads = set(lex["org_heads"]) | {
            "ubnd",
            "uy ban nhan dan",
            "hdnd",
            "hoi dong nhan dan",
            "ban quan ly",
        }
        return any(" ".join(words[:n]) in heads for n in (1, 2, 3, 4))

    @staticmethod
    def _from_symbol(doc: Doc) -> None:
        """Header missing: the body phrase whose initials spell the symbol's issuer abbreviation."""
        sym = got(doc, "symbol")
        if found := find_by_initials(doc.text, issuer_abbreviation(sym.value if sym else None)):
            value, s, e = found
            put(doc, "issuer", official_case(value), s, e, 0.5)


def find_by_initials(text: str, abbr: str | None) -> tuple[str, int, int] | None:
    """First capitalised phrase whose initials spell ``abbr`` ('SKHCN' -> 'Sở Khoa học và Công nghệ').

    The phrase runs on over the rest of the name: capitalised words, and up to two lower-case
    words when a capitalised one follows ('Ban Quản lý Khu kinh tế Hải Phòng').
    """
    if not abbr or len(abbr) < 2:
        return None
    target = fold_lower(regex.sub(r"[^\p{L}]", "", abbr)).upper()
    if len(target) < 2:
        return None
    words = list(regex.finditer(r"[\p{L}\p{M}]+", text))

    def joined(a: int, b: int) -> bool:  # only spaces / line breaks between words a and b
        return not regex.search(r"[^\s]", text[words[a].end() : words[b].start()])

    fallback = None
    for i, w in enumerate(words):
        if not w.group()[0].isupper() or fold_lower(w.group()[0]).upper() != target[0]:
            continue
        upper = w.group().isupper() and len(w.group()) > 1
        initials, j = "", i
        while j < len(words) and len(initials) < len(target) and j - i < len(target) + 3:
            if j > i and not joined(j - 1, j):
                break
            if j == i or fold_lower(words[j].group()) != "va":
                initials += fold_lower(words[j].group()[0]).upper()
            j += 1
        if initials != target:
            continue
        k = j
        while k < len(words) and joined(k - 1, k):
            word = words[k].group()
            if upper:  # a header line in capitals: the name ends with the line
                if "\n" in text[words[k - 1].end() : words[k].start()] or not word.isupper():
                    break
                j = k = k + 1
                continue
            if word[0].isupper():
                j = k = k + 1
                continue
            ahead = [x for x in (k + 1, k + 2) if x < len(words) and joined(x - 1, x)]
            if (
                ahead
                and any(words[x].group()[0].isupper() for x in ahead)
                and not any(fold_lower(words[x].group()) in _NAME_BREAKS for x in (k, *ahead))
            ):
                k += 1
                continue
            break
        s, e = w.start(), words[j - 1].end()
        if not upper:
            return squash(text[s:e]), s, e
        fallback = fallback or (official_case(text[s:e]), s, e)
    return fallback


# Function words that end a name found by its initials ("Sở Công Thương tại Tờ trình …").
_NAME_BREAKS = {
    "tai", "ve", "cua", "co", "theo", "va", "voi", "cho", "de", "da", "den", "trong", "ngay", "so",
    "la", "duoc", "thuoc", "o", "nhu", "sau", "khi", "tu", "nhung",
}  # fmt: skip


def _subject_stop(piece: str) -> bool:
    f = fold_lower(piece)
    return (
        is_motto(piece)
        or bool(
            regex.match(
                r"^\W*(kinh gui|can cu|thuc hien|trien khai|theo de nghi|xet de nghi|nhan duoc|"
                r"so\s*[:.]|dieu \d|[ivx]+\.\s|\d{1,2}\.(?:\s|$))",
                f,
            )
        )
        or bool(PLACE_DATE_RE.search(piece) or BARE_DATE_RE.match(piece))
        or bool(regex.fullmatch(r"[\W_]+", piece))
        or (is_upper_line(piece) and sum(c.isalpha() for c in piece) > 6)
    )


class Subject:
    """subject (trích yếu): the text after 'V/v', or the lines under the title, joined across lines."""

    def __init__(self, nlp: Language, name: str, max_lines: int) -> None:
        self.name = name
        self.max_lines = max_lines

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        vv = VV_RE.search(text)
        start = vv.end() if vv else meta(doc).get("title_end")
        if start is None:
            return doc
        pieces: list[tuple[int, int]] = []
        first = True
        for s, e in line_pieces(text, start):
            piece = text[s:e].strip(" *")
            if not piece:
                continue
            if not (first and vv) and _subject_stop(piece):
                break
            if pieces and text[pieces[-1][0] : pieces[-1][1]].rstrip(" *").endswith("."):
                break
            pieces.append((s, e))
            first = False
            if len(pieces) >= self.max_lines:
                break
        if not pieces:
            return doc
        s, e = pieces[0][0], pieces[-1][1]
        value = squash(" ".join(text[a:b].strip(" *") for a, b in pieces)).rstrip(" .;")
        if value:
            put(doc, "subject", value, s, e, 0.9 if vv else 0.8)
        return doc


# 'Lưu: VT, …' (the file copy kept by Văn thư) as OCR reads it: 'Lưu: VE, …', 'Lưu: VI …', 'Lưu: VTj …'.
LUU_VT_RE = regex.compile(r"^Lưu\s*:\s*V(?:[TEIl1][j,.;]?|[TEIl1]?[j,.;])(?=\s+\p{Lu}{2})")
BULLET_RE = regex.compile(r"^[-–+•*·~]\s*")  # "~": a dash as OCR reads it on a fax


def is_debris(piece: str) -> bool:
    """A line OCR made of specks and strokes: fewer letters and digits than other marks."""
    chars = piece.replace(" ", "")
    odd = regex.search(r"[^\p{L}\p{N}.,;:()/\-–'\"%&]", chars)  # 'b/c);' is short, not debris
    return bool(odd) and sum(c.isalnum() and not regex.match(r"\p{Lm}", c) for c in chars) < 0.5 * len(chars)


def _list_items(text: str, start: int, max_items: int, skip_upper: bool) -> list[tuple[str, int, int]]:
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
        if not piece:
            continue
        same_line = s < line_end
        prev = items[-1][0] if items else ""
        open_entry = bool(items) and not regex.search(r"[;.]$", prev)
        if items and is_debris(piece):  # scan specks between entries: '=>... .. . ..ÝẺ.<'
            continue
        if skip_upper and (is_upper_line(piece) or regex.match(r"^(TM|KT|TL|TUQ|Q)\s*\.", piece)):
            continue
        if m := BULLET_RE.match(piece):
            mark = m.group().strip().replace("~", "-")
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
            if not piece.endswith(";"):
                break
            continue
        if items and inline and prev.endswith(";"):
            items.append([piece, s, e])
            continue
        break
    out = []
    for value, s, e in items:
        # trailing specks after the closing ';' ('công; ˆ'); a spaced hyphen is the en dash these names print
        value = regex.sub(r"(?:\s+(?:[^\p{L}\p{N}()\s]|\p{Lm})+)+$", "", squash(value)).replace(" - ", " – ")
        value = LUU_VT_RE.sub("Lưu: VT,", value.rstrip(" ;:,.").strip())
        if value:
            out.append((value, s, e))
    return out


class Recipients:
    """recipients: the entries of 'Kính gửi:' (inline or a bulleted list)."""

    def __init__(self, nlp: Language, name: str, max_items: int) -> None:
        self.name = name
        self.max_items = max_items

    def __call__(self, doc: Doc) -> Doc:
        kg = cues(doc, "KINH_GUI")
        if not kg:
            return doc
        start = kg[0].end_char
        m = regex.match(r"[^\S\n]*[:;.]?", doc.text[start:])
        start += m.end() if m else 0
        items = _list_items(doc.text, start, self.max_items, skip_upper=False)
        if items:
            put(doc, "recipients", [v for v, _, _ in items], items[0][1], items[-1][2], 0.9)
        return doc


class Cc:
    """cc: the entries of 'Nơi nhận:' (including 'Lưu: VT, …'); signature lines beside them are skipped."""

    def __init__(self, nlp: Language, name: str, max_items: int) -> None:
        self.name = name
        self.max_items = max_items

    def __call__(self, doc: Doc) -> Doc:
        nn = cues(doc, "NOI_NHAN")
        if not nn:
            return doc
        start = nn[-1].end_char
        m = regex.match(r"[^\S\n]*[:;.]?", doc.text[start:])
        start += m.end() if m else 0
        items = _list_items(doc.text, start, self.max_items, skip_upper=True)
        if items:
            put(doc, "cc", [v for v, _, _ in items], items[0][1], items[-1][2], 0.9)
        return doc


REF_TAIL_RE = regex.compile(
    rf"\s*(?:s[ốôóoồổ]{H}*:?\s*)?(?P<num>{DIGITISH}{{1,6}})\s*/\s*"
    rf"(?P<sym>(?:(?:19|20)\d\d\s*/\s*)?[\p{{Lu}}0-9][\p{{L}}0-9&]*(?:{H}*[-–]{H}*[\p{{L}}0-9&]+)*)"
)
REF_ISSUER_RE = regex.compile(r"\s*,?\s*(?:của|do)\s+")
ISSUER_STOP = {
    "ve", "v/v", "ban", "quy", "huong", "thong", "trien", "da", "de", "tai", "ngay", "gui", "nam", "theo",
    "kem", "cho", "ket", "phe", "giao", "len", "tu", "co", "va",
}  # fmt: skip


def _ref_issuer(text: str, pos: int) -> tuple[str, int, int] | None:
    """'… của Ủy ban nhân dân thành phố về …' -> 'Ủy ban nhân dân thành phố' (wrapped lines joined)."""
    m = REF_ISSUER_RE.match(text, pos)
    if not m:
        return None
    raw = list(regex.finditer(r"\S+", text[m.end() : m.end() + 240]))
    words: list[tuple[str, int, int]] = []
    for n, w in enumerate(raw):
        core = w.group().rstrip(",;.():")
        f = fold_lower(core)
        if not words and not core[:1].isupper():
            return None
        if not core or not regex.fullmatch(r"[\p{L}\p{M}]+", core):
            break
        nxt = raw[n + 1].group() if n + 1 < len(raw) else ""
        # "Ủy ban", "Sở Khoa học và Công nghệ": ban / và belong to the name before a capital
        keep = (f == "ban" and words and fold_lower(words[-1][0]) == "uy") or (
            f == "va" and words and nxt[:1].isupper() and core == w.group()
        )
        if words and f in ISSUER_STOP and not keep:
            break
        words.append((core, m.end() + w.start(), m.end() + w.start() + len(core)))
        if core != w.group() or len(words) >= 12:
            break
    if not words:
        return None
    return squash(" ".join(w[0] for w in words)), words[0][1], words[-1][2]


NAMED_REF_RE = regex.compile(
    r"(?P<name>(?:\s+[\p{L}\p{M}]+){1,12}?)\s*,?\s+(?:được\s+\S+\s+)?(?:ban hành\s+|thông qua\s+)?"
    r"(?=ngày\s*\d)"
)


class References:
    """references: every '<type> số N/KH-… ngày … của …' cited in the body."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        names = doc_type_names()
        rows = doc_type_rows()
        own = meta(doc).get("so_line")
        refs: dict[tuple[Any, ...], dict[str, Any]] = {}
        spans: list[tuple[int, int]] = []
        for cue in cues(doc, "DOC_TYPE"):
            if m := REF_TAIL_RE.match(text, cue.end_char):
                if own and own[0] <= m.start() < own[1]:
                    continue
                num = fix_digits(m.group("num"))
                sym = typed_symbol(clean_symbol(m.group("sym"))[0], cue.id_)
                if cue.id_ in GENERIC_TYPES:
                    abbr = symbol_type(sym)
                    doc_type = names[abbr] if abbr else "Công văn"
                else:
                    doc_type = names[cue.id_]
                key: tuple[Any, ...] = (num, sym)
                default_issuer = None
            elif rows[cue.id_].get("named") and cue.text[:1].isupper():
                m = NAMED_REF_RE.match(text, cue.end_char)
                if not m or not m.group("name").strip()[:1].isupper():
                    continue
                num = sym = None
                doc_type = names[cue.id_]
                key = (doc_type, fold_lower(squash(m.group("name"))))
                default_issuer = rows[cue.id_].get("issuer")
            else:
                continue
            date, pos = _date_after(text, m.end())
            iss = _ref_issuer(text, pos)
            issuer = iss[0] if iss else default_issuer
            entry = refs.get(key)
            if entry is None:
                refs[key] = {
                    "doc_type": doc_type,
                    "number": num,
                    "symbol": sym,
                    "date": date,
                    "issuer": issuer,
                }
            else:
                entry["date"] = entry["date"] or date
                entry["issuer"] = entry["issuer"] or issuer
            spans.append((cue.start_char, iss[2] if iss else pos))
        for entry in refs.values():
            if entry["issuer"] is None and entry["symbol"]:
                if found := find_by_initials(text, issuer_abbreviation(entry["symbol"])):
                    entry["issuer"] = found[0]
        if refs:
            put(doc, "references", list(refs.values()), spans[0][0], spans[-1][1], 0.85)
        return doc


def _date_after(text: str, pos: int) -> tuple[str | None, int]:
    """The date right after a cited number: ', ngày 03/9/2025', 'ngày 12 tháng 4 năm 2024'."""
    lead = regex.match(r"\s*,?\s*(?:ban hành\s+|được\s+\S+\s+)?", text[pos:])
    at = pos + (lead.end() if lead else 0)
    if d := ANY_DATE_RE.match(text, at):
        return parse_date_match(d), d.end()
    if (w := regex.match(r"ngày\s*", text[at:])) and (d := ANY_DATE_RE.match(text, at + w.end())):
        return parse_date_match(d), d.end()
    return None, pos


# A line opening with a bullet ends the sentence; '-15/12/2025' (a stray stroke before a date carried
# to the next line) does not.
SENT_END_RE = regex.compile(r"[.;!?](?=\s)|\n(?=[^\S\n]*(?:[-–+•](?!\d)|\d+\.|[a-zđ]\)))")


class Deadlines:
    """deadlines: a date within the same sentence after 'trước ngày', 'chậm nhất', 'thời hạn', 'hạn nộp'."""

    def __init__(self, nlp: Language, name: str, window: int) -> None:
        self.name = name
        self.window = window

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        year = got(doc, "date_year")
        out: list[dict[str, Any]] = []
        seen: set[tuple[str, int]] = set()
        first = last = None
        for cue in cues(doc, "DEADLINE"):
            end = min(len(text), cue.end_char + self.window)
            if stop := SENT_END_RE.search(text, cue.end_char, end):
                end = stop.start()
            date = None
            d = ANY_DATE_RE.search(text, cue.start_char, end)
            if d:
                date = parse_date_match(d)
            elif year and year.value and (sd := SHORT_DATE_RE.search(text, cue.end_char, end)):
                date = make_date(sd.group("d"), sd.group("m"), str(year.value))[0]
            if not date:
                continue
            s, e = self._sentence(text, cue.start_char)
            if (date, s) in seen:
                continue
            seen.add((date, s))
            clause = squash(BULLET_RE.sub("", text[s:e].strip()))
            out.append({"date": date, "text": clause})
            first = s if first is None else first
            last = e
        if out:
            put(doc, "deadlines", out, first, last, 0.85)
        return doc

    @staticmethod
    def _sentence(text: str, pos: int) -> tuple[int, int]:
        start = 0
        for m in SENT_END_RE.finditer(text, max(0, pos - 600), pos):
            start = m.end()
        m = SENT_END_RE.search(text, pos)
        end = m.start() + (1 if m and text[m.start()] in ".;!?" else 0) if m else len(text)
        while start < end and text[start].isspace():
            start += 1
        return start, end


def title_words(piece: str) -> str:
    """A title line without the seal or stroke debris OCR puts around it ('= NÊN CHỦ TỊCH' -> 'NÊN CHỦ
    TỊCH'); '' when nothing title-like is left ('TA ^': no word of three letters, or mostly symbols)."""
    core = regex.sub(r"^[^\p{L}]+|[^\p{L}]+$", "", piece)
    letters = sum(c.isalpha() for c in core)
    if not regex.search(r"\p{L}{3}", core) or letters < 0.8 * len(core.replace(" ", "")):
        return ""
    return core


AUTH_RE = regex.compile(r"^(?P<a>TM|KT|TL|TUQ|Q)\s*[.,]\s*(?P<rest>.+)$")
NOISE_RE = regex.compile(r"(?i)^\W*(\(?đã ký\)?|\(?ký\b.*|\(?ky\b.*|\[.*\]|\d+|\W*)\W*$")


def _is_name(piece: str) -> bool:
    words = piece.split()
    if not 2 <= len(words) <= 6 or not all(regex.fullmatch(r"\p{Lu}[\p{L}\p{M}]*", w) for w in words):
        return False
    if is_upper_line(piece):
        key = fold_lower(piece)
        positions = ("chu tich", "giam doc", "truong", "thu ky", "bi thu", "uy ban", "tuong", "chanh", "pho ")
        return not any(p in key for p in positions)
    return True


class Signer:
    """signer: name under the signature, its title and KT./TL./TUQ. authority and TM. body."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        ranges = block_ranges(doc, "signature")
        floor = cues(doc, "NOI_NHAN")[-1].start_char if cues(doc, "NOI_NHAN") else body_start(doc)
        pieces = [(s, e) for s, e in line_pieces(text, floor, columns=True) if text[s:e].strip(" *")]
        if ranges:
            inside = [(s, e) for s, e in pieces if any(a <= s < b for a, b in ranges)]
            pieces = inside or pieces
        i = len(pieces) - 1
        while (
            i >= 0 and NOISE_RE.match(text[pieces[i][0] : pieces[i][1]].strip(" *")) and i > len(pieces) - 6
        ):
            i -= 1
        name = None
        if i >= 0 and _is_name(cand := text[pieces[i][0] : pieces[i][1]].strip(" *")):
            if not looks_like_place(text, cand):
                name = pieces[i]
            i -= 1  # seal text read where the name should be: neither name nor title
        lines: list[tuple[int, int]] = []
        misses = 0
        while i >= 0 and misses < 8:
            s, e = pieces[i]
            piece = text[s:e].strip(" *")
            i -= 1
            if AUTH_RE.match(piece) or (is_upper_line(piece) and not is_motto(piece) and title_words(piece)):
                lines.append((s, e))
                continue
            if BULLET_RE.match(piece) or NOISE_RE.match(piece):
                misses += 1
                continue
            if lines or fold_lower(piece).startswith("noi nhan"):
                break
            misses += 1
        lines.reverse()
        if not lines and not name:
            return doc
        signer: dict[str, Any] = {"name": None, "title": None, "authority": None, "on_behalf_of": None}
        titles = []
        for s, e in lines:
            piece = squash(text[s:e].strip(" *"))
            if m := AUTH_RE.match(piece):
                a, rest = m.group("a"), m.group("rest")
                if a == "TM":
                    signer["on_behalf_of"] = f"TM. {official_case(rest)}"
                else:
                    # "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" printed on one line
                    if (sp := regex.search(r"\s(PHÓ|QUYỀN)\s", rest)) and not titles:
                        titles.append(rest[sp.start() + 1 :])
                        rest = rest[: sp.start()]
                    signer["authority"] = f"{a}. {title_case(rest)}"
            else:
                titles.append(title_words(piece))
        if titles:
            signer["title"] = title_case(" ".join(titles))
        if name:
            signer["name"] = majority_spelling(text, name_case(text[name[0] : name[1]].strip(" *")))
        start = (lines or [name])[0][0]
        end = name[1] if name else lines[-1][1]
        put(doc, "signer", signer, start, end, 0.9 if name and lines else 0.6)
        return doc


class Marks:
    """urgency / secrecy: a stamp line holding only 'KHẨN', 'HỎA TỐC', 'MẬT', …"""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        for label, field in (("URGENCY", "urgency"), ("SECRECY", "secrecy")):
            best = None
            for span in cues(doc, label):
                ls = text.rfind("\n", 0, span.start_char) + 1
                le = text.find("\n", span.end_char)
                for s, e in line_pieces(text, ls, len(text) if le < 0 else le):
                    piece = text[s:e].strip(" *")
                    if s <= span.start_char < e and fold_lower(piece) == fold_lower(span.text):
                        best = span if is_upper_line(piece) or len(piece) > 3 else None
                if best is not None:
                    break
            if best is not None:
                put(doc, field, best.id_, best.start_char, best.end_char, 0.9)
        return doc


# ---------------------------------------------------------------- registration
# One factory per extractor, so config.cfg can swap any of them for another implementation.

_ASSIGNS = ["doc._.vb"]


@Language.factory("vanban_number", assigns=_ASSIGNS)
def make_number(nlp: Language, name: str) -> Number:
    return Number(nlp, name)


@Language.factory("vanban_doc_type", assigns=_ASSIGNS)
def make_doc_type(nlp: Language, name: str) -> DocType:
    return DocType(nlp, name)


@Language.factory("vanban_place_date", assigns=_ASSIGNS)
def make_place_date(nlp: Language, name: str) -> PlaceDate:
    return PlaceDate(nlp, name)


@Language.factory("vanban_issuer", assigns=_ASSIGNS, default_config={"max_header_lines": 8})
def make_issuer(nlp: Language, name: str, max_header_lines: int) -> Issuer:
    return Issuer(nlp, name, max_header_lines)


@Language.factory("vanban_subject", assigns=_ASSIGNS, default_config={"max_lines": 6})
def make_subject(nlp: Language, name: str, max_lines: int) -> Subject:
    return Subject(nlp, name, max_lines)


@Language.factory("vanban_recipients", assigns=_ASSIGNS, default_config={"max_items": 40})
def make_recipients(nlp: Language, name: str, max_items: int) -> Recipients:
    return Recipients(nlp, name, max_items)


@Language.factory("vanban_cc", assigns=_ASSIGNS, default_config={"max_items": 30})
def make_cc(nlp: Language, name: str, max_items: int) -> Cc:
    return Cc(nlp, name, max_items)


@Language.factory("vanban_references", assigns=_ASSIGNS)
def make_references(nlp: Language, name: str) -> References:
    return References(nlp, name)


@Language.factory("vanban_deadlines", assigns=_ASSIGNS, default_config={"window": 80})
def make_deadlines(nlp: Language, name: str, window: int) -> Deadlines:
    return Deadlines(nlp, name, window)


@Language.factory("vanban_signer", assigns=_ASSIGNS)
def make_signer(nlp: Language, name: str) -> Signer:
    return Signer(nlp, name)


@Language.factory("vanban_marks", assigns=_ASSIGNS)
def make_marks(nlp: Language, name: str) -> Marks:
    return Marks(nlp, name)
