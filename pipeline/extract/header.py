"""Header components: where the header ends, number and symbol, type, place and date, issuer,
trích yếu, and the urgency / secrecy stamps."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.encodings import is_syllable
from pipeline.extract.doc import Regions, block_ranges, body_start, cues, got, kinh_gui, put
from pipeline.extract.footer import AUTH_RE
from pipeline.extract.normalise import central_bodies, central_body, find_unit, placed_apart
from pipeline.extract.text import (
    BODY_START_RE,
    DIGITISH,
    KINH_GUI_RE,
    NAMED_BY_NUMBER,
    V_ANY,
    H,
    department_names,
    find_by_initials,
    fix_digits,
    is_motto,
    is_upper_line,
    lexicon,
    line_pieces,
    majority_spelling,
    make_date,
    mixed_case_names,
    name_case,
    nearest_spelling,
    official_case,
    province_names,
    respell_tail,
    respelt,
    squash,
    stamp_words,
    strip_motto,
    unit_names,
    vien_chuc,
)
from pipeline.extract.vocab import (
    GENERIC_TYPES,
    QUOTE_HYPHEN,
    TONE_MARK_RE,
    clean_symbol,
    doc_type_names,
    issuer_abbreviation,
    joint_bodies,
    legislature,
    symbol_type,
    typed_symbol,
)
from pipeline.gazetteer import KINDS
from pipeline.types import SECRECIES, URGENCIES
from pipeline.vietnamese import fold_lower

# "Số: 225/KH-UBND", "S6 : l5 / UBND - VP", "Số:      /UBND-KTHT&ĐT" (blank number).
# Party documents: "Số 57-NQ/TW"; OCR damage: "$6: /KH-UBND" (the 'Số' of a Latin-model OCR), 'Sẽ: 318/…'
# (restoration's reading of an 'ố' OCR read 'é', before the colon); the slash read twice: 'Số: 96//KH-UBND'.
# A law's, a code's, an ordinance's, a resolution of Quốc hội's: 'Luật số: 63/2025/QH15', 'Bộ luật số:',
# 'Pháp lệnh số: …', 'Nghị quyết số: 190/2025/QH15' (its colon: 'Nghị quyết số 57-NQ/TW …' opening a line is cited).
# A hyphen between two codes read as an apostrophe (QUOTE_HYPHEN): 'Số: 1187/SYT'NVY'.
SO_RE = regex.compile(
    rf"(?m)^{H}*(?:(?P<typed>(?:Bộ{H}+)?[Ll]uật|Pháp{H}+lệnh|Nghị{H}+quyết(?={H}+số{H}*:)){H}+s|[S$5])"
    rf"(?:[ốôóoòỏõọồổỗộÔÓÒỐỒỔỖỘO06ơớờởỡợƠỚỜỞỠỢ]|[ẽéèẻẹ](?={H}*:)|06(?={H}*:)){H}*[:;.,]?[\s.…_]*?(?P<num>(?:{DIGITISH}|(?<=\d)G(?=[\d-])){{1,6}}(?:(?<=\d)[a-z](?={H}*/)|{H}\d{{1,5}}(?={H}*/))?)?(?:{H}|[.…_]|(?<=\d)G(?=/))*"
    rf"[/-]{{1,2}}{H}*(?P<sym>(?:(?:19|20)\d\d{H}*/{H}*)?[\p{{Lu}}0-9][\p{{L}}0-9&]*(?:{H}*(?:[-–/]{{1,2}}|:(?=\p{{Lu}})|{QUOTE_HYPHEN}){H}*['’]?[\p{{L}}0-9&]+)*"
    rf"(?:(?<=QH){H}\d\d(?!\d)|(?<=[-–]\p{{Lu}}{{1,3}}){H}\p{{Lu}}{{2,3}}(?={H}*$))?"  # a unit's code split: 'BT XH'
    rf"(?:\.\p{{Lu}}{{1,6}}(?!\p{{L}}))?)"  # the legislature's term set apart: '79/2006/QH
)  # 11'; the office that drafted it after a dot: 'Số: 812/TTr-SNV.TCBC'; a number with a letter: 'Số: 05b/BC-UBND';
# 'ố' read as two characters by the English engine: 'S06: 3418/CAT-PA05' (set 247); of a damaged scan, a '6' read
# 'G' ('Số 4G-CT/TU'; before the slash, a speck: 'SỐ: 1436G/SLĐTBXH-BTXH', set 227), a number OCR split ('Số: 1 125/…').
# The 'Số:' line run into the line above, its '/' read as '7' or '1' or lost: '… Hải Phòng số: 217NQ-HĐND',
# 'Số: 15HD-KSBT'; read as a letter, it follows the number whole ('Số: 27IGM-SKHCN').
_SO_WORD = r"s[ốôóoòỏõọồổỗộ06]"  # 'Số' however OCR read its vowel, any case
SO_LOOSE_RE = regex.compile(
    rf"(?i:\b{_SO_WORD}){H}*:{H}*(?P<num>\d{{1,6}}(?=[lI|])|\d{{1,6}}?)(?:[71lI|]|{H}*[/-]{H}*)?"
    rf"(?P<sym>(?-i:\p{{Lu}}[\p{{Lu}}a-z]{{0,3}})(?:{H}*[-–/]{H}*[\p{{L}}0-9&]+)+)"
)
_NUMBER_LINE_RE = regex.compile(
    rf"(?i:{_SO_WORD}){H}*(?::|[;.,]?{H}*(?:\d|{DIGITISH}+{H}*[/-]|[/-]{H}*\p{{Lu}}))"
)
VV_RE = regex.compile(rf"(?m)^{H}*V{H}*[/|\\l1Ii.]{H}*[vV]\b{H}*[:.]?{H}*")  # 'Viv' (eng OCR) too
# Place and date of issue: "Kiến An, ngày 11 tháng 9 năm 2025" (blank day/month allowed; a day read as a letter and a
# digit, 'ngày Z7 tháng 11', set 249, is no day: the place and the year stand, the date is unknown).
# Between its parts: blanks, dots, and the specks OCR reads beside them ('tháng 10: năm', '9:ndm 2025').
_FILL = r"[\s.…_:;,'’‘]*"
DATE_HEAD = (
    rf"[Nn]g{V_ANY}y{_FILL}(?:(?:(?P<d>{DIGITISH}{{1,2}})|[^\W\d]{DIGITISH}(?={H}+th))?{_FILL}th{V_ANY}ng{_FILL}"
    rf"(?P<m>{DIGITISH}{{1,2}})?"
    rf"{_FILL}n{V_ANY}{{1,2}}m{_FILL}(?P<y>[12][0-9OoIl|]{{3}})"
    # also in figures, as some letters print it: 'Hà Nội, ngày 15/10/2025'
    rf"|(?P<d>\d{{1,2}})[/.-](?P<m>\d{{1,2}})[/.-](?P<y>(?:19|20)\d\d)\b)"
)
PLACE_DATE_RE = regex.compile(rf"(?P<place>[\p{{Lu}}][^\n,;:]{{0,60}}?){H}*,{H}*(?P<date>{DATE_HEAD})")
# A place printed with its unit word: 'Thành phố Hồ Chí Minh, ngày …' (the unit word is part of it).
PLACE_UNIT_RE = regex.compile(r"(?:Thành phố|Thị xã|Thị trấn|Tỉnh|Huyện|Quận|Phường|Xã|Đặc khu)\s*$")
_SYMBOL_LIKE_RE = regex.compile(r"[\p{Lu}\d&]*[\d/-][\p{Lu}\d/&-]*")
# How far past the header's end the place-and-date line may stand (two columns read in turn).
PLACE_DATE_REACH = 300
# an 'l' the Vietnamese engine read as a capital 'I', marked or not, after a word's small letters ('Đắk MiÌ', set 173)
_L_AS_I_RE = regex.compile(r"(?<=\p{Ll})[IÌÍỈĨỊ]")
_PLACE_WORD = r"\p{Lu}(?:['’]\p{L})?(?:[\p{Ll}\p{M}]*(?:-\p{Lu}[\p{Ll}\p{M}]*)*|[\p{Lu}\p{M}]*)\.?"
# A date line whose place OCR lost; a sentence that opens with a date is prose ('Ngày 13/9/1945, Chủ tịch …').
BARE_DATE_RE = regex.compile(rf"(?m)^{H}*(?P<date>{DATE_HEAD})(?!{H}*,{H}*\p{{L}})")
# A law, a code, an ordinance, a resolution of Quốc hội has no place-and-date line: its date is the day the
# legislature passed it, in its last sentence ('Luật này được Quốc hội … khóa XIII, kỳ họp thứ 10 thông qua
# ngày 24 tháng 11 năm 2015.').
PASSED_RE = regex.compile(
    rf"(?:Bộ luật|Luật|Pháp lệnh|Nghị quyết) này (?:đã )?(?:được )?(?:Quốc hội|Ủy ban [Tt]hường vụ Quốc hội)"
    rf"[^.\n]{{0,160}}?thông qua(?: vào)?{H}+(?P<date>{DATE_HEAD})"
)


class HeaderEnd:
    """regions: the header ends at 'Kính gửi' or the first body opening, whichever comes first."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        ends = [len(doc.text)]
        if kg := kinh_gui(doc):
            ends.append(kg[0])
        if b := BODY_START_RE.search(doc.text):
            ends.append(b.start())
        doc._.vb_regions = Regions(body_start=min(ends))
        return doc


class Number:
    """number / symbol from the 'Số:' line (the first at a line start)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        m = SO_RE.search(doc.text)
        damaged = 0.85 if m and fold_lower(m.group().lstrip()[:2]) != "so" else 1.0  # '$6:' read for 'Số:'
        if not m:
            m = SO_LOOSE_RE.search(doc.text, 0, body_start(doc))
            if not m or symbol_type(clean_symbol(m.group("sym"))[0]) is None:
                return doc
            damaged = 0.7
        doc._.vb_so_line = (m.start(), m.end())
        raw_num = m.group("num")
        if raw_num:
            # as printed: Nghị định 30/2020 writes a number under 10 with its zero ('Số: 02/CTr-UBND'); the
            # reference key that search uses drops it (pipeline.citation.reference_key)
            num = fix_digits(raw_num).replace("G", "6")
            put(doc, "number", num, m.start("num"), m.end("num"), (0.95 if num == raw_num else 0.8) * damaged)
        else:
            put(doc, "number", None, m.start(), m.start("sym"), 0.9 * damaged)
        sym, repaired = clean_symbol(m.group("sym"))
        put(doc, "symbol", sym, m.start("sym"), m.end("sym"), (0.8 if repaired else 0.95) * damaged)
        return doc


class DocType:
    """doc_type: the title line, else the abbreviation in the symbol, else Công văn (V/v or no type)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        names = doc_type_names()
        text = doc.text
        so_end = (doc._.vb_so_line or (0, 0))[1]
        limit = max(body_start(doc), so_end)
        found = cues(doc, "DOC_TYPE")
        longest = {s.start_char: max(c.end_char for c in found if c.start_char == s.start_char) for s in found}
        for span in found:
            if span.start_char > limit + 400 or span.id_ in GENERIC_TYPES or span.end_char < longest[span.start_char]:
                continue  # 'THÔNG TƯ' of 'THÔNG TƯ LIÊN TỊCH' is no title of its own
            ls = text.rfind("\n", 0, span.start_char) + 1
            le = text.find("\n", span.end_char)
            le = len(text) if le < 0 else le
            line = text[ls:le].strip(" *.,;'\"_-~")  # specks OCR puts beside a title ('. NGHỊ QUYẾT')
            # the type alone on its line, or with a word or two of its kind after it ('KẾT LUẬN THANH TRA', under
            # the number's line)
            rest = text[span.end_char : le].strip(" *.,;'\"_-~").split()
            alone = not text[ls : span.start_char].strip(" *.,;'\"_-~") and (
                not rest or (len(rest) <= 2 and span.start_char > so_end)
            )
            if line.endswith(":") or not is_upper_line(line) or not alone:
                continue
            self._title(doc, span.id_, span.start_char, span.end_char, 0.95)
            return doc
        if title := _damaged_title(text, so_end, limit + 400):
            self._title(doc, *title, 0.8)
            return doc
        sym = got(doc, "symbol")
        abbr = symbol_type(sym.value if sym else None)
        so = doc._.vb_so_line
        typed = SO_RE.match(text, so[0]) if so else None
        if typed and typed.group("typed"):  # the number line names the type: 'Luật số: 91/2015/QH13', no title left
            kind = squash(typed.group("typed")).capitalize()
            if kind == "Luật" and regex.search(r"ban hành Bộ luật\b", text[so[1] : so[1] + 1500]):
                kind = "Bộ luật"  # a code's number line reads 'Luật số:' too; its preamble says 'ban hành Bộ luật'
            put(doc, "doc_type", kind, typed.start("typed"), typed.end("typed"), 0.85)
        elif (vv := VV_RE.search(text, 0, limit + 200)) or (not (sym and abbr) and (vv := VV_RE.search(text))):
            # a 'V/v' line under the number is a Công văn's whatever the symbol's first code ('CT-CS' of a Cục Thuế)
            put(doc, "doc_type", "Công văn", vv.start(), vv.end(), 0.9)
        elif sym and abbr:
            put(doc, "doc_type", names[abbr], sym.start, sym.end, 0.9)
        elif sym and sym.value:
            put(doc, "doc_type", "Công văn", sym.start, sym.end, 0.6)
        return doc

    @staticmethod
    def _title(doc: Doc, type_id: str, start: int, end: int, confidence: float) -> None:
        sym = got(doc, "symbol")
        doc._.vb_title_end = end
        if sym and symbol_type(str(sym.value)) == "VBHN":  # a consolidated text prints the title of what it holds
            type_id, start, end = "VBHN", sym.start, sym.end
        put(doc, "doc_type", doc_type_names()[type_id], start, end, confidence)
        if sym and sym.value and (typed := typed_symbol(str(sym.value), type_id)) != sym.value:
            put(doc, "symbol", typed, sym.start, sym.end, 0.7)  # 'TIR-UBND' under TỜ TRÌNH: 'TTr-UBND'


def _damaged_title(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """A title line no cue matched, OCR having damaged it: 'GIAY MOL' (GIẤY MỜI), 'Chỉ THỊ', 'THÔNG BÁO I':
    mostly capitals, a few words, nearest to one type's name."""
    names = {fold_lower(name): type_id for type_id, name in doc_type_names().items() if type_id not in GENERIC_TYPES}
    for s, e in line_pieces(text, start, min(len(text), end)):
        piece = text[s:e].strip(" *.,;'\"_-~")
        letters = [c for c in piece if c.isalpha()]
        if piece.endswith(":") or not 1 < len(piece.split()) <= 4 or len(letters) < 4:
            continue
        if sum(c.isupper() for c in letters) < 0.6 * len(letters):
            continue
        if best := process.extractOne(fold_lower(piece), list(names), scorer=fuzz.ratio, score_cutoff=85):
            return names[best[0]], s, e
    return None


def _passed(doc: Doc) -> regex.Match | None:
    """The sentence saying when the legislature passed this text: the one of the symbol's year
    ('2015/QH13'), where several are quoted, else the last."""
    found = list(PASSED_RE.finditer(doc.text))
    sym = got(doc, "symbol")
    year = regex.match(r"(?:19|20)\d\d(?=/)", str(sym.value)) if sym and sym.value else None
    same = [m for m in found if year and m.group("y") == year.group()]
    return (same or found or [None])[-1]


def _unit_misread(place: str) -> str | None:
    """A place OCR damaged past restoration ('Phản Rang-Thdp Cham'): no unit's name, a name of eight letters or
    more, and one unit's name of as many words a letter away (two from twelve letters): that name, as the gazetteer
    spells it. A name spaced otherwise ('Phan Rang - Tháp Chàm') or a short one ('Chi', 'Chũ' and many more) is left
    as read."""
    key = fold_lower(place)
    if len(key) < 8 or key in unit_names():
        return None
    limit = 1 if len(key) < 12 else 2
    near = process.extract(key, unit_names(), scorer=Levenshtein.distance, score_cutoff=limit, limit=2)
    if len(near) != 1 or regex.sub(r"[\s-]", "", near[0][0]) == regex.sub(r"[\s-]", "", key):
        return None
    if len(near[0][0].split()) != len(key.split()):
        return None  # OCR's letters, not its specks: 'CỐ Hậu Giang' is no 'Châu Giang' (set 140)
    unit = find_unit(near[0][0])
    return unit.name if unit else None


def _placed_by_header(read: str, header: str) -> tuple[str, int] | None:
    """A place OCR read past any name ('Qudng Ngd@i, ngày …' through eng, set 222; 'Móng Cúi 1' through vie, set
    230): the unit the header names whose letters are two or fewer apart from the last words' letters, where one
    alone is; with where those words start in ``read`` (a header's line may stand before them on the line)."""
    words = list(regex.finditer(r"\S+", read))
    letters = [fold_lower(regex.sub(r"[^\p{L}\d]", "", w.group())) for w in words]
    named = regex.findall(r"[\p{L}\d]+", fold_lower(header))
    grams = {" ".join(named[k : k + n]) for n in (1, 2, 3, 4) for k in range(len(named) - n + 1)}
    towns = [unit for unit in grams & unit_names() if len(unit) >= 6]
    near = {(town, n) for town in towns for n in (1, 2, 3)
            if len(words) >= n and Levenshtein.distance(" ".join(letters[-n:]), town) <= 2}  # fmt: skip
    if len({town for town, _ in near}) != 1:
        return None
    town, n = max(near, key=lambda tn: tn[1])
    unit = find_unit(town)
    return (unit.name, words[-n].start()) if unit else None


def _is_unit(name: str) -> bool:
    return find_unit(name) is not None or _unit_misread(name) is not None


class PlaceDate:
    """place / date / date_year from 'Kiến An, ngày 11 tháng 9 năm 2025' (blanks give date None)."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        # the header's line, not a date the body writes the same way ('thứ Năm, ngày 16 tháng 10 …')
        m = PLACE_DATE_RE.search(text, 0, body_start(doc) + PLACE_DATE_REACH)
        place, guessed = None, False  # guessed: the header's unit, read for OCR's letters
        if m:
            ps, pe = strip_motto(text, m.start("place"), m.end("place"))
            words = list(regex.finditer(r"\S+", text[ps:pe]))
            # keep the trailing run of capitalised words ("TP. Hồ Chí Minh", "Kiến An")
            keep = []
            caps = [w.group().isupper() and len(w.group()) > 1 for w in words]
            for at in range(len(words) - 1, -1, -1):
                w = words[at]
                # a name's words, not the symbol OCR ran into the same line ('/KH-UBND Kién An, ngày …')
                # in its case, its parts maybe joined by a hyphen ('Phan Rang-Tháp Chàm'), an apostrophe after its
                # first letter ('Ea H'Leo', 'M'Đrắk'), or in capitals: 'RỮEẽ' is OCR's specks ('RỮEẽ Nam Định, ngày …')
                word = _L_AS_I_RE.sub("l", w.group())
                name_word = regex.fullmatch(_PLACE_WORD, word) or mixed_case_names().get(fold_lower(word)) == word
                # nor the header's capitals the right column ran into ('VÀ TÌM KIẾM CỨU NẠN Phú Yên, ngày …'; a
                # word OCR put in capitals alone is the place's: 'VỊ Thanh, ngày …')
                header_caps = keep and not caps[-1] and caps[at] and at > 0 and caps[at - 1]  # keep[0] is the last word
                # a numbered unit ('Quận 1, ngày …', 'Phường 12'), a commune the 2025 map numbers ('Sơn Kim 1')
                numbered = w.group().isdigit() and at > 0 and (
                    fold_lower(words[at - 1].group()) in _BY_NUMBER
                    or _numbered_name([x.group() for x in words[: at + 1]])
                )
                if w.group().lower() in ("tp.", "tx.", "tt.") or (name_word and not header_caps) or numbered:
                    keep.append(w)
                elif w.group() in ("-", "–") and keep and any(  # also a letter off ('Bà Rịa - Vũng Tòu', set 230)
                    _is_unit(squash(text[ps + words[k].start() : ps + keep[0].end()]))
                    for k in range(max(at - 3, 0), at)
                ):
                    keep.append(w)  # a name with a dash that the gazetteer has: 'Bà Rịa - Vũng Tàu, ngày …'
                else:
                    break
            if keep and len(keep) <= 6:
                keep.reverse()
                s, e = ps + keep[0].start(), ps + keep[-1].end()
                # the unit word opens the line, or follows the symbol OCR ran into it ('Số: 4821/QĐ-UBND Thành phố …')
                before = text[ps : unit.start()].split() if (unit := PLACE_UNIT_RE.search(text, ps, s)) else None
                if unit and (not before or _SYMBOL_LIKE_RE.fullmatch(before[-1])):
                    s = unit.start()
                # a code OCR ran into the place from the number's line before it, no vowel in it ('QLĐT Hạ Long')
                while (lead := regex.match(r"(\p{Lu}{2,})[^\S\n]+(?=\p{Lu}\p{Ll})", text[s:e])) and not regex.search(
                    r"[aeiouy]", fold_lower(lead.group(1))
                ):
                    s += lead.end()
                place = (squash(text[s:e]), s, e)
                # its first word OCR or restoration put in lower case at the line's head ('kiên Giang, ngày …')
                # or after the header's words the right column ran into ('THỂ DỤC THỂ THAO điện Biên, ngày …')
                # or its 'Ia' read 'là' ('là Grai, ngày …', set 255 through vie: a capital 'I' is a small 'l')
                head = regex.search(r"(?<![\p{L}\p{M}])(\p{Ll}+)[^\S\n]+$", text[max(0, s - 40) : s])
                heads = [head.group(1).capitalize()] if head else []
                if heads and heads[0][0] == "L":
                    heads.append(f"I{fold_lower(heads[0])[1:]}")
                if named := next((n for h in heads if find_unit(n := f"{h} {place[0]}")), None):
                    place = (named, max(0, s - 40) + head.start(1), e)
            # no place but OCR's letters, or a name's last words alone ('Kr6éng Pắc', set 233): the header's unit
            if (not place or not find_unit(place[0])) and (named := _placed_by_header(text[ps:pe], text[: m.start()])):
                place, guessed = (named[0], min(ps + named[1], place[1] if place else pe), pe), True
        else:
            m = BARE_DATE_RE.search(text, 0, body_start(doc) + 200) or _passed(doc)
        if not m:
            return doc
        if place:
            value = majority_spelling(text, name_case(place[0]) if is_upper_line(place[0]) else place[0])
            value = _L_AS_I_RE.sub("l", value)
            near = _unit_misread(value) or nearest_spelling(text, value)
            put(doc, "place", near, place[1], place[2], 0.9 if near == value and not guessed else 0.7)
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
            line = text.rfind("\n", 0, f.start) + 1  # specks before the place on its line are no name's
            before = text[line : f.start]  # or a letter or two the rule left there ('BC Cần Thơ, ngày …', set 187)
            ends.append(line if _debris(before) or regex.fullmatch(r"\s*\p{Lu}{1,2}\s*", before) else f.start)
        if vv := VV_RE.search(text):
            ends.append(vv.start())
        if so := doc._.vb_so_line:
            ends.append(so[0])
        limit = min(ends)
        title = got(doc, "doc_type")
        if title and doc._.vb_title_end is not None:
            limit = min(limit, title.start)  # a page cut above its title has no header to read
        # the header is the first page's: a later page's top the layout took for one is no issuer's
        ranges = block_ranges(doc, "header_left", first_page=True)
        groups: list[list[tuple[int, int]]] = []
        seen = 0
        ruled = False  # the line beside the rule under the motto, the columns read as one
        for s, e in line_pieces(text, 0, limit):
            rule_row, ruled = ruled, "doc lap" in fold_lower(text[s:e])
            # lines in capitals under the header's block, before the number's line, are the header's too: the
            # layout cut a long name off where it came near the right column ('BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ …')
            below = ranges and s >= ranges[-1][1] and _header_words(text[s:e].strip(" *—–-_"))
            if ranges and not any(a <= s < b for a, b in ranges) and not below:
                continue
            s, e = strip_motto(text, s, e)
            so_far = " ".join(text[a:b] for a, b in groups[-1]) if groups else ""
            if rule_row and (rule := _RULE_TAIL_RE.search(text, s, e)) and len(text[s : rule.start()].split()) > 1 and (
                not _lettered(f"{so_far} {text[s:e]}")  # a commune's own letter: 'XÃ NINH QUỚI A'
            ):
                e = rule.start()  # that rule read as letters: 'CÔNG CHỨC NĂM 2024 Te', 'VĂN PHÒNG TO'
            if (rule := _RULE_RUN_RE.search(text, s, e)) and rule.start() > s:
                e = rule.start()  # the rule under the header read on its line: 'BAN THƯỜNG TRỰC T——————'
            e = s + len(text[s:e].rstrip(" :;"))  # a speck read as a colon at its end ('CHI CỤC THỐNG KÊ:', set 157)
            if lead := regex.match(r"[_~]+[^\S\n]+", text[s:e]):
                s += lead.end()  # or a rule's end before it: '_ HỘI NHÀ BÁO' / 'TỈNH QUẢNG BÌNH' (set 199), a body
            piece = text[s:e].strip(" *")
            if _NUMBER_LINE_RE.match(piece):
                break  # the number's line, however damaged, ends the header: its 'Số' is no 'Sở' ('Số 4G-CT/TU')
            if not piece or is_motto(piece) or not regex.search(r"\p{L}{2}", piece):
                continue
            if groups and regex.fullmatch(r"(?![IVX]+$)\p{Lu}{2}", piece) and fold_lower(piece) not in ("xa", "ap"):
                continue  # the Party's star under its committee's name read as letters ('ỦY BAN KIỂM TRA' / 'LỦ')
            # a company's form alone on its line goes on with its name, English or not ('CÔNG TY TNHH' / 'SHINWOO
            # ELECTRONICS VINA')
            last = fold_lower(" ".join(text[a:b] for a, b in groups[-1])) if groups else ""
            if fold_lower(piece) in STAMP_WORDS or _CONTACT_RE.match(piece) or (
                _english(piece) and last not in _COMPANY_HEADS
            ):
                continue  # a stamp's word, the body's address and telephone under its name, or its English name
            seen += 1
            if seen > self.max_lines or len(piece.split()) > 14:
                break
            # a central body's name in whatever case restoration left it ('Chính PHỦ') is a header's too
            if not groups and not is_upper_line(piece) and not self._starts_org(piece, [], text) and (
                fold_lower(piece) not in central_bodies()
            ):
                break  # a sentence, not the name of a body: a page without its header
            # a committee names no body alone ('BAN CHẤP HÀNH' / 'HỘI LHPN TỈNH …'), a branch is its bank's unless
            # it names a body of its own ('CHI NHÁNH VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI HUYỆN …')
            branch = fold_lower(piece).startswith("chi nhanh ") and not self._starts_org(piece[10:], [], text)
            # a name in quotes goes on to its closing mark: 'BAN CHỈ ĐẠO PHONG TRÀO' / '"TOÀN DÂN …' / '… VĂN HÓA"'
            quoted = regex.sub(r"[“”]|['’]$", '"', last.rstrip()).count('"') % 2 == 1
            joined = last in _BARE_HEADS or last in _COMPANY_HEADS or branch or quoted
            if groups and (joined or not self._starts_org(piece, groups[-1], text)):
                groups[-1].append((s, e))
            else:
                groups.append([(s, e)])
        names = [_group_name(text, g) for g in groups]
        spans = [(g[0][0], g[-1][1]) for g in groups]
        by = _issued_by(doc) or _signed_for(doc, names)
        if by is not None and not (names and _own_standing_committee(by[0], names[-1])):
            names.append(by[0])  # 'NGHỊ QUYẾT / CỦA BỘ CHÍNH TRỊ', or 'T/M BỘ CHÍNH TRỊ' above the signature
            spans.append(by[1:])
        if names:
            issuer, parent = names[-1], names[-2] if len(names) > 1 else None
            if parent and fold_lower(issuer) in _STANDING_BOARDS:  # 'HỘI ĐỒNG NHÂN DÂN / TỈNH CÀ MAU / THƯỜNG TRỰC'
                issuer, parent = f"{issuer} {parent}", None  # is 'Thường trực Hội đồng nhân dân tỉnh Cà Mau'
                spans[-2:] = [(spans[-2][0], spans[-1][1])]
            if parent:
                issuer = complete_party_name(issuer, parent)
                if fold_lower(issuer) == "van phong":  # 'UBND TỈNH THÁI NGUYÊN' / 'VĂN PHÒNG': the body's office
                    issuer = f"Văn phòng {parent}"
                # a commune's office named by its bodies without their unit: 'UBND XÃ GIA VÂN' / 'VĂN PHÒNG HĐND VÀ
                # UBND' is 'Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã Gia Vân'
                elif _BODIES_OFFICE_RE.fullmatch(issuer) and (unit := _PARENT_UNIT_RE.search(parent)):
                    issuer = f"{issuer} {unit.group()}"
                # no ministry stands under a province: 'SỞ' read 'BỘ' (a province's 'Bộ Chỉ huy Quân sự' stays)
                province = regex.match(r"(?:Ủy ban nhân dân|UBND) (?:tỉnh|thành phố) ", parent)
                if province and issuer.startswith("Bộ ") and not issuer.startswith("Bộ Chỉ huy"):
                    issuer = department(f"Sở {issuer[3:]}")
            sym = got(doc, "symbol")
            if parent and len(names) == 2 and joint_bodies(names, str(sym.value) if sym and sym.value else None):
                # two bodies that made the document together, one above the other: no parent of the other
                # 'CHÍNH PHỦ - ĐOÀN CHỦ TỊCH' / 'ỦY BAN TRUNG ƯƠNG …': bodies on the first line, the last named on
                # (not 'Sở Lao động - Thương binh và Xã hội')
                *first, last = parent.split(" - ")
                listed = all(self._starts_org(p, [], text) or fold_lower(p) in central_bodies() for p in (*first, last))
                issuer = f"{', '.join(first)} và {last} {issuer}" if first and listed else f"{parent} và {issuer}"
                parent, spans[-1] = None, (spans[0][0], spans[-1][1])
            pieces = issuer.split(" - ")  # a joint document's bodies on one line: 'BỘ TÀI CHÍNH - BỘ NỘI VỤ'
            branch = fold_lower(pieces[0]).startswith("chi nhanh ")  # 'Chi nhánh Tây Ninh - Công ty …': one body
            # each a body by its head word as printed ('… Thu - Sổ, Thẻ': 'Sổ' is no 'Sở'), a central one as the
            # table spells it ('BỘ CÔNG AN - BỘ QUỐC PHÒNG')
            bodies = all(self._starts_org(p, [], text) and not _misheaded(p) for p in pieces)
            if len(pieces) > 1 and not branch and bodies:
                pieces = [row["name"] if (row := central_bodies().get(fold_lower(p))) else p for p in pieces]
                issuer = f"{', '.join(pieces[:-1])} và {pieces[-1]}"  # as a joint reference's issuers are named
            if (speck := _RULE_RESTORED_RE.search(issuer)) and not _lettered(issuer):
                issuer = issuer[: speck.start()]  # a unit's own last word stays: 'Cô Tô', 'Đắk Tô', 'Ninh Quới A'
            issuer = _province_as_placed(spelt_as_elsewhere(issuer, text, spans[-1]), doc)
            put(doc, "issuer", issuer, *spans[-1], 0.9)
            if parent:
                put(doc, "parent_issuer", _province_as_placed(parent, doc), *spans[-2], 0.85)
            return doc
        self._from_symbol(doc)
        return doc

    @staticmethod
    def _starts_org(piece: str, group: list[tuple[int, int]], text: str) -> bool:
        last = text[group[-1][0] : group[-1][1]] if group else ""
        if fold_lower(last).rstrip().endswith((" va", " -", " –", ",")):
            return False
        placed = _placed_whole(last) or (_placed_whole(last, bare=True) and is_upper_line(piece))
        if placed and len(piece.split()) > 1 and not piece[:1].islower() and not _placed_whole(piece):
            return True  # under 'UBND TỈNH THÁI NGUYÊN' a unit of its own, whatever its head: 'QUỸ ĐẦU TƯ PHÁT TRIỂN'
        # a letter OCR read twice ('ĐÁẢNG ỦY' for 'ĐẢNG ỦY') does not hide the head word ('BƯU ĐIỆN' has two)
        folded = fold_lower(piece)
        readings = (regex.findall(r"[\w/]+", folded), regex.findall(r"[\w/]+", regex.sub(r"(\p{L})\1+", r"\1", folded)))
        lex = lexicon()
        heads = set(lex["org_heads"]) | {
            "ubnd",
            "uy ban nhan dan",
            "hdnd",
            "hoi dong nhan dan",
            "ban quan ly",
            "bang uy",  # restoration's 'BẰNG ỦY' for the English engine's 'BANG UY', 'ĐẢNG ỦY' (sets 212, 216)
            "cong doan",  # under a province's LĐLĐ whose name OCR cut ('… TỈNH BẮC NU', set 222)
        }
        if readings[0][:1] == ["khoa"] and readings[0][1:2] != ["hoc"]:
            return True  # a faculty or a hospital's department ('KHOA Y DƯỢC'), not 'KHOA HỌC VÀ CÔNG NGHỆ'
        # 'VIÊN CHỨC NĂM 2024', the end of 'HỘI ĐỒNG TUYỂN DỤNG', is no 'Viện'
        return not vien_chuc(piece) and any(
            " ".join(words[:n]) in heads for words in readings for n in (1, 2, 3, 4)
        )

    @staticmethod
    def _from_symbol(doc: Doc) -> None:
        """Header missing: the body phrase whose initials spell the symbol's issuer abbreviation, else
        the body saying who issues it ('Ủy ban nhân dân (UBND) phường ban hành Kế hoạch'); a guess."""
        sym = got(doc, "symbol")
        if body := legislature(str(sym.value) if sym and sym.value else None):  # '2015/QH13': Quốc hội's own
            put(doc, "issuer", body, sym.start, sym.end, 0.8)
        elif found := find_by_initials(doc.text, issuer_abbreviation(sym.value if sym else None)):
            value, s, e = found
            put(doc, "issuer", official_case(value), s, e, 0.5, guess=True)
        elif found := issuer_in_body(doc.text, body_start(doc)):
            value, s, e = found
            put(doc, "issuer", value, s, e, 0.4, guess=True)


@lru_cache(maxsize=1)
def _folded_syllables() -> frozenset[str]:
    """The restoration model's syllables without their marks ('viet', 'hoach'): a word of a line in capitals
    that OCR read without marks still spells one."""
    from pipeline.restore.model import get_model

    return frozenset(fold_lower(s) for s in get_model().lm.vocab if s.isalpha())


@lru_cache(maxsize=1)
def _unit_words() -> frozenset[str]:
    """Every word of the gazetteer's names, accent-folded: a minority language's ('Grai', 'Kbang', "H'leo")."""
    return frozenset(w for name in unit_names() for w in name.split())


def _english(line: str) -> bool:
    """A header line in English under the Vietnamese one, as papers for foreigners print it ('TAY NINH
    PROVINCIAL PEOPLE'S COMMITTEE', 'CAN THO UNIVERSITY'): a third of its words or more are English, words of
    four letters or more, all ASCII, with a vowel, that no Vietnamese syllable (nor two run together) spells and
    no abbreviation or place of the gazetteer is."""
    # a disease's or a product's code name is no English word: 'DỊCH COVID-19'
    words = regex.findall(r"[\p{L}\p{M}'’]+(?!-\d)", line)

    def vietnamese(word: str) -> bool:  # a syllable without its marks, or two run together ('KHUVUC', 'VIETNAM')
        low = fold_lower(word.strip("'’"))
        return low in _folded_syllables() or any(
            low[:i] in _folded_syllables() and low[i:] in _folded_syllables() for i in range(1, len(low))
        )

    english = [w for w in words if len(w) > 3 and w.isascii() and regex.search(r"[AEIOUYaeiouy]", w)
               and not vietnamese(w) and fold_lower(w) not in lexicon()["phrases"]
               and fold_lower(w) not in lexicon()["org_heads"] and fold_lower(w) not in _unit_words()]  # fmt: skip
    # more words with Vietnamese marks than English ones: a Vietnamese name with a foreign word ('LIÊN ĐOÀN KARATE')
    marked = sum(not w.isascii() for w in words)
    return bool(english) and 3 * len(english) >= len(words) and len(english) > marked


def spelt_as_elsewhere(name: str, text: str, span: tuple[int, int]) -> str:
    """``name`` with a word OCR damaged past any syllable ('Cấp thoát nugc Bình Định', 'Khí tuqng', 'Ninh
    Thuab') read as the document spells the same name elsewhere, a letter or two apart ('… Cấp thoát nước Bình
    Định' in the body, restored better there than in the header's capitals)."""
    words = name.split(" ")
    damaged = [i for i, w in enumerate(words) if _damaged(w)]
    if not damaged or len(damaged) > 2 or len(words) < 3:
        return name
    folded = fold_lower(text)
    if len(folded) != len(text):  # the folding moved offsets: no match to read back
        return name
    pattern = r"\s+".join(r"(\S+)" if i in damaged else regex.escape(fold_lower(w)) for i, w in enumerate(words))
    votes: dict[tuple[str, ...], int] = {}
    for m in regex.finditer(rf"(?<!\w){pattern}(?!\w)", folded):
        if span[0] <= m.start() < span[1]:
            continue
        read = tuple(text[m.start(k + 1) : m.end(k + 1)] for k in range(len(damaged)))
        pairs = [(fold_lower(r), fold_lower(words[i])) for r, i in zip(read, damaged, strict=True)]
        near = all(r in _folded_syllables() and Levenshtein.distance(r, w) <= 2 for r, w in pairs)
        if near:
            votes[read] = votes.get(read, 0) + 1
    if not votes:
        return name
    best = max(votes, key=votes.__getitem__)
    for i, r in zip(damaged, best, strict=True):
        words[i] = r if words[i][:1].islower() else r[:1].upper() + r[1:]
    return " ".join(words)


def _province_as_placed(name: str, doc: Doc) -> str:
    """A province OCR read as other letters that are a place too ('TỈNH NAM BÌNH' for 'NAM ĐỊNH' through eng, set
    198): where no province of either map is so named and the place line names one a letter apart, that one."""
    m = regex.search(r"(?<=\stỉnh\s)\p{Lu}.*$", name)
    place = got(doc, "place")
    if not m or not place or not place.value:
        return name
    read, placed = fold_lower(m.group()), fold_lower(str(place.value))
    if read in province_names() or placed not in province_names() or Levenshtein.distance(read, placed) != 1:
        return name
    return name[: m.start()] + str(place.value)


def _damaged(word: str) -> bool:
    """A word of a name that no Vietnamese syllable spells, its marks aside, nor an abbreviation, a roman
    numeral or a place of the gazetteer is ('nugc', 'tuqng', 'Thuab', 'Cu’'u')."""
    letters = regex.sub(r"[^\p{L}]", "", word)
    low = fold_lower(letters)
    return (len(letters) > 2 and regex.search(r"[aeiouy]", low) is not None and not regex.fullmatch(r"[IVX]+", letters)
            and fold_lower(word) not in _folded_syllables() and low not in _unit_words()
            and low not in lexicon()["phrases"])  # fmt: skip


def _misheaded(name: str) -> bool:
    """A name whose first word's own marks make it another word than the head its letters fold to ('Sổ, Thẻ':
    no 'Sở')."""
    head = name.split(" ", 1)[0].strip(",")
    return respelt(head, lexicon()["phrases"].get(fold_lower(head), ""))


# A body's contact line under its name: 'Số 02 Trường Thi, …', 'Địa chỉ: …', 'ĐT: 0238…', 'Email: …'.
_CONTACT_RE = regex.compile(
    r"(?:[Ss]ố\s+\d+\w?\s+\p{Lu}\p{Ll})|(?i:địa\s+chỉ\b|đt\s*:|điện\s+thoại|tel\b|fax\b|e-?mail|website)"
)


def _numbered_name(words: list[str]) -> bool:
    """The last of ``words`` a number that ends a unit's name ('XÃ SƠN KIM 1', 'Tân Phước 1, ngày …')."""
    return any(" ".join(fold_lower(w) for w in words[-n:]) in unit_names() for n in (2, 3, 4) if len(words) >= n)


def _placed_whole(line: str, bare: bool = False) -> bool:
    """A body's name that ends in its province, district or commune ('UBND TỈNH THÁI NGUYÊN', 'BỘ CHỈ HUY BĐBP
    TỈNH LÀO CAI', 'UBND XÃ NGỌC CHÚC'), or where ``bare``, in a province named without its unit word ('CÔNG TY
    ĐIỆN LỰC BẮC KẠN', 'TỈNH ỦY ĐẮK NÔNG'): whole, the line under it names another."""
    words = fold_lower(line).strip(" .,*").split()
    towns = unit_names(("province", "district"))
    if bare and len(words) > 2 and any(" ".join(words[-n:]) in unit_names(("province",)) for n in (2, 3)):
        return True
    return any((w in ("tinh", "huyen", "quan") and " ".join(words[i + 1 :]) in towns)
               or (w in ("xa", "phuong") and " ".join(words[i + 1 :]) in unit_names())
               for i, w in enumerate(words[:-1]))  # fmt: skip


# '<issuing body> ban hành Kế hoạch', '<body> đề nghị …': the body of a letter says who writes it.
_ISSUING_RE = regex.compile(
    r"(?P<org>(?:Ủy ban nhân dân|UBND|Uỷ ban nhân dân|Hội đồng nhân dân|HĐND|Sở|Bộ|Ban|Phòng|Văn phòng|Cục|"
    r"Chi cục|Trung tâm|Thành ủy|Tỉnh ủy|Đảng ủy|Hội|Liên đoàn|Công an|Trường|Bệnh viện|Viện|Tòa án|Kho bạc|"
    r"Bảo hiểm xã hội|Ngân hàng|Tổng công ty|Công ty|Tập đoàn)(?:\s+\(\p{Lu}+\))?(?:\s+[\p{L}\p{M}]+){0,8}?)"
    r"\s+(?:ban hành|kính đề nghị|đề nghị|báo cáo|thông báo|kính trình|yêu cầu|hướng dẫn|trân trọng kính mời|"
    r"xây dựng)\b"
)
_FOLDED_UNITS = {fold_lower(w): w for w in KINDS}
# A body named by its unit word alone at the end ('Ủy ban nhân dân phường'; not 'địa phương').
_NAME_RUN_RE = regex.compile(r"(?:\p{Lu}[\p{L}\p{M}]*\s*){1,3}")
_UNIT_END_RE = regex.compile(rf"(?<!\bdia )\b({'|'.join(_FOLDED_UNITS)})$")


def issuer_in_body(text: str, start: int) -> tuple[str, int, int] | None:
    """The first body clause whose subject is an issuing body ('Sở Tài chính đề nghị …'); a unit word
    left without its name ('Ủy ban nhân dân phường') takes the one such unit the text names."""
    for m in _ISSUING_RE.finditer(text, start, min(len(text), start + 3000)):
        if regex.search(r"(?:của|do|tại|với|gửi)\s+$", text[max(0, m.start() - 8) : m.start()]):
            continue  # a body the letter quotes, not the one that writes it
        org = squash(regex.sub(r"\s+\(\p{Lu}+\)", "", m.group("org")))
        org = official_case(org) if is_upper_line(org) else org.replace("UBND", "Ủy ban nhân dân")
        # the unit word compared without its marks: restoration writes 'phương' for 'phường'
        folded = fold_lower(text)
        unit = _UNIT_END_RE.search(fold_lower(org))
        if unit and len(fold_lower(org)) == len(org) and len(folded) == len(text):
            word = _FOLDED_UNITS[unit.group(1)]
            runs = (_NAME_RUN_RE.match(text, u.end()) for u in regex.finditer(rf"(?<!\w){unit.group(1)}\s+", folded))
            named = {squash(n.group()) for n in runs if n}
            if len(named) != 1:
                continue
            org = f"{org[: unit.start(1)]}{word} {named.pop()}"
        return org, m.start("org"), m.end("org")
    return None


@lru_cache(maxsize=1)
def _departments() -> dict[str, str]:
    return {fold_lower(name): name for name in department_names()}


@lru_cache(maxsize=1)
def _provinces() -> dict[str, str]:
    """Provinces of both maps, accent-folded -> named with their unit word ('ca mau' -> 'tỉnh Cà Mau', 'can tho'
    -> 'thành phố Cần Thơ')."""
    from pipeline.gazetteer import get_gazetteer

    named = {fold_lower(u.name): f"{u.kind} {u.name}" for u in get_gazetteer().units if u.level == "province"}
    return named | {"thua thien hue": "tỉnh Thừa Thiên Huế"}  # the gazetteer's old map is of 2025, Huế a city


def _province_tail(name: str) -> tuple[str, str | None]:
    """A name cut before the province it ends in, that province with its unit word: 'Sở Y tế Cà Mau' -> ('Sở Y
    tế', 'tỉnh Cà Mau'); printed with its unit word, as printed ('Sở Y tế tỉnh Cà Mau')."""
    words = name.split()
    for n in range(min(5, len(words) - 2), 0, -1):
        if (tail := fold_lower(" ".join(words[-n:]))) in _provinces():
            unit = fold_lower(" ".join(words[-n - 2 : -n]))
            printed = 2 if unit == "thanh pho" else 1 if unit.endswith(" tinh") else 0
            return " ".join(words[: len(words) - n - printed]), (
                " ".join(words[len(words) - n - printed :]) if printed else _provinces()[tail])
    return name, None


def department(name: str) -> str:
    """A province's department (sở) as the law names it, when OCR damaged its header line: 'Số Nội vụ'
    (restoration's 'SỐ' for 'SỞ'), 'Sở Khoa hoc va công nghệ' -> 'Sở Khoa học và Công nghệ', 'SỞ TÀI
    Chính' (a line restoration left half in capitals) -> 'Sở Tài chính'; the short 'SỞ NN VÀ PTNT'. The province
    a header names after it goes on it with its unit word, as most truths write it ('SỞ Y TẾ CÀ MAU' -> 'Sở Y tế
    tỉnh Cà Mau', 20 of 26 headers so printed in the evaluation sets)."""
    key = fold_lower(name)
    if not key.startswith("so "):
        return name
    head, province = _province_tail(name)
    if province:
        return f"{department(head)} {province}"
    if key == "so nn va phat trien nong thon":
        key = "so nong nghiep va phat trien nong thon"
    if key in _departments():  # the same letters, marks apart: also a short name ('Sở Y tệ' -> 'Sở Y tế')
        canon = _departments()[key]
    else:
        best = process.extractOne(key, list(_departments()), scorer=fuzz.ratio, score_cutoff=88)
        if len(key) < 8 or best is None:
            return name
        canon = _departments()[best[0]]
    return name if placed_apart(name, canon) else canon  # 'Văn hoá' kept as printed


def _trim(name: str) -> str:
    """A header name without the specks OCR reads around it: '-_ UBND THÀNH PHỐ _.', '… Chính phủ na',
    'SỐ’ KHOA HOC.VA CÔNG NGHỆ' (a quote on a word, a full stop for the space between two)."""
    name = regex.sub(r"^[^\p{L}]+|[^\p{L}\p{M}\p{N})]+$", "", name)
    name = regex.sub(r"(?<=\p{L})\.(?=\p{L}{2})", " ", name)
    name = regex.sub(r"(?<=\p{L}):(?=\s+\p{L})", "", name)  # a speck read as a colon: 'HỘI CHỮ: THẬP ĐỎ' (set 234)
    words = [w.strip("'’‘`") for w in name.split() if regex.search(r"[\p{L}\p{N}]", w) or w in ("-", "–", "&")]
    # 'Văn hóa - Xã hội', 'TRƯỜNG TH & THCS …'
    words = [w for n, w in enumerate(words) if w not in ("-", "–", "&") or 0 < n < len(words) - 1]
    if words and words[0][:1].islower() and fold_lower(words[0]).strip("'’`") in lexicon()["org_heads"]:
        # a header line restoration put in lower case ('số’ nội vụ' from 'SO NOI VU'): cased as a header
        words = [w.strip("'’`") for w in " ".join(words).upper().split()]

    def numbered() -> bool:  # _NUMBERED, a numbered commune's name, '… CÔNG CHỨC NĂM 2024', 'BAN CHỈ ĐẠO 389'
        if regex.fullmatch(r"\d{2,4}", words[-1]) and fold_lower(" ".join(words[-3:-1])) == "chi dao":
            return True
        if regex.fullmatch(r"\d{1,2}", words[-1]):
            return fold_lower(words[-2]) in _NUMBERED or _numbered_name(words)
        return regex.fullmatch(r"(?:19|20)\d\d", words[-1]) is not None and fold_lower(words[-2]) == "nam"

    def speck(word: str) -> bool:  # '… Chính phủ na', '… Hải Phòng ¬ : :', 'BCH ĐOÀN XÃ ĐẠI TỪ »kkk' / '… oie', '… Kk'
        return (not regex.search(r"\p{L}", word) or regex.fullmatch(r"\p{Ll}{1,2}", word) is not None
                or regex.match(r"[^\p{L}\p{N}(]", word) is not None
                or regex.fullmatch(r"(?i)((?![IVX])\p{L})\1", word) is not None  # 'Oo', not a numeral 'II'
                or regex.search(r"_|[-—–].*[-—–]", word) is not None  # a rule read as letters: 'a-Ằ—Ằ—ẰẰ_—Ằ'
                # two tones, which no syllable bears ('BAN TÔN GIÁO TỐỘ'); not a name of the highlands ('ĐẮK LẮK')
                or len(TONE_MARK_RE.findall(unicodedata.normalize("NFD", word))) > 1
                # a word in lower case, or with a capital after a small letter ('… LẠNG SƠN lướt nẲT', set 217), after
                # a name in capitals
                or ((word.islower() or regex.search(r"\p{Ll}\p{Lu}", word) is not None) and len(words) > 2
                    and is_upper_line(" ".join(words[:-1]))))  # fmt: skip

    while len(words) > 1 and speck(words[-1]):
        if numbered():
            break
        words.pop()
    return " ".join(words)


_BODIES_OFFICE_RE = regex.compile(r"Văn phòng (?:Hội đồng nhân dân(?: và Ủy ban nhân dân)?|Ủy ban nhân dân)")
_PARENT_UNIT_RE = regex.compile(rf"(?<=^(?:Ủy ban|Hội đồng) nhân dân )(?i:{'|'.join(KINDS)}) .+$")
# Words a header name's number follows: 'QUÂN KHU 4', 'KHU VỰC 8', 'QUẬN 1', 'ĐỘI … SỐ 3', 'ĐỀ ÁN 06', 'THÔN 4', 'LỚP 6'
_NUMBERED = ("khu", "vuc", "quan", "so", "an", "phuong", "doi", "thon", "ap", "xom", "lop", "pho")  # 'TỔ DÂN PHỐ 12'
_BY_NUMBER = frozenset(fold_lower(kind) for kind in NAMED_BY_NUMBER)
_PARTY_COMMITTEES = ("Thành ủy", "Tỉnh ủy", "Huyện ủy", "Quận ủy", "Thị ủy")
_BARE_HEADS = (
    "ban chap hanh", "ban to chuc", "ban chi dao", "ban coi thi", "ban thuong vu", "ban thuong truc", "bch",
    "ban dai dien hoi dong quan tri", "ban dai dien", "cong doan co so",
)  # fmt: skip
# A company's form alone on its line names no body: its trade follows ('TỔNG CÔNG TY' / 'ĐIỆN LỰC MIỀN BẮC').
_COMPANY_HEADS = ("tong cong ty", "cong ty", "tap doan", "cong ty co phan", "cong ty tnhh", "hop tac xa")
# A council's or a front's standing board under its body's name: no body alone, named with it.
_STANDING_BOARDS = ("thuong truc", "ban thuong truc")


# A body named by a movement or a campaign in quotes: 'BAN CHỈ ĐẠO PHONG TRÀO "TOÀN DÂN ĐOÀN KẾT …"'.
# its closing mark maybe read as an apostrophe ('BAN CHỈ ĐẠO PHONG TRÀO "TOÀN DÂN … ĐỜI SỐNG VĂN HÓA\'', set 184)
_QUOTED_RE = regex.compile(r'(?P<head>[^"“”]*\p{L}[^"“”]*?)\s*["“](?P<name>[^"“”]*\p{L}{2}[^"“”]*)["”\'’]\s*')


def _group_name(text: str, group: list[tuple[int, int]]) -> str:
    """The name a group of header lines prints, in its normal case; a name in quotes in the case of a sentence,
    a province in it named in capitals ('… "Toàn dân đoàn kết xây dựng đời sống văn hóa"')."""
    if m := _QUOTED_RE.fullmatch(squash(" ".join(text[a:b] for a, b in group))):
        words = m["name"].lower().split()
        for n in (3, 2):  # 'vì Hà Nội xanh'
            for i in range(len(words) - n + 1):
                if " ".join(fold_lower(w) for w in words[i : i + n]) in province_names():
                    words[i : i + n] = [w[:1].upper() + w[1:] for w in words[i : i + n]]
        quoted = " ".join(words)
        return f'{official_case(_trim(m["head"]))} "{quoted[:1].upper()}{quoted[1:]}"'
    return department(respell_tail(text, official_case(_trim(" ".join(_line(text[a:b]) for a, b in group)))))


def _line(piece: str) -> str:
    """A header line without the dashes and quotes OCR read around it ('- HỘI …', 'BAN CHẤP HÀNH -', 'BỘ CHỈ
    HUY QUÂN SỰ”'); a dash that wraps a name ('SỞ LAO ĐỘNG -' / 'THƯƠNG BINH VÀ XÃ HỘI') and one inside it stay."""
    piece = piece.strip("”“\"'’‘`").lstrip("-– ")
    words = piece.split()
    # a rule read as a long run of letters ('… VÀ TỔ CHỨC nrrrhhahaHhHrahahcahaha,ggaqttuv'), and the date line's
    # place run into the last word ('… 2 CẤPuyên Quang, ngày …'): no word of a name in capitals
    named = [w for w in words if not (len(w) >= 8 and regex.search(r"\p{Ll}{3}", w) and not w.istitle())]
    if len(named) > 2 and is_upper_line(" ".join(named[:-1])):
        named[-1] = regex.sub(r"(?<=^\p{Lu}{2,})\p{Ll}+$", "", named[-1])
        piece, words = " ".join(named), named
    if len(words) > 2 and sum(not w.isupper() for w in words) == 1 and any(w.istitle() for w in words):
        piece = piece.upper()  # a word restoration wrote in its case among capitals: 'CỤC THUẾ TỈNH Bình ĐỊNH'
    bare = piece.rstrip("-– ")
    words = bare.split()
    # the rule under the motto read as two letters after a name in words ('… XÂY DỰNG TS'), not an abbreviation
    if len(words) > 2 and _RULE_READ_RE.fullmatch(words[-1]) and all(is_syllable(w.lower()) for w in words[:-1]) and (
        not is_syllable(words[-1].lower()) and fold_lower(words[-1]) not in lexicon()["phrases"]
    ):
        return " ".join(words[:-1])
    return bare if fold_lower(bare) in _BARE_HEADS else piece


def _lettered(name: str) -> bool:
    """Whether ``name`` ends in a letter of its own: a unit's ('… XÃ NINH QUỚI A') or a school's ('TRƯỜNG TRUNG HỌC
    PHỔ THÔNG NHO QUAN A', set 188), no rule read as one."""
    school = fold_lower(name).startswith("truong ")
    return _unit_ending(name) or (school and regex.search(r"\s[A-D]$", name) is not None)


def _unit_ending(line: str) -> bool:
    """Whether ``line`` ends with a unit's whole name ('… XÃ NINH QUỚI A', '… PHƯỜNG 12')."""
    words = fold_lower(line).split()
    return any(" ".join(words[-n:]) in unit_names() for n in (2, 3, 4) if len(words) >= n)


# A rule drawn under a header line and read on it as dashes, a letter of its start before them
_RULE_RUN_RE = regex.compile(r"(?:[^\S\n]+\p{Lu})?[^\S\n]*[—–_-]{3,}[^\n]*")
# The rule under the motto read as a letter or two after a header line beside it (no roman numeral: 'KHU VỰC II').
# Or restored into a word in its case ('KHU VỰC IV Tế', set 187).
_RULE_TAIL_RE = regex.compile(r"[^\S\n]+(?![IVX]+[^\S\n]*$)(?:[A-Za-z]{1,2}|\p{Lu}\p{Ll})[^\S\n]*$")
# That rule read as a letter and restored into a syllable no name ends in ('… khu vực Phước Long tơ', '… Thú y để',
# '… Nam Sách Tô'), or left a letter ('… COVID-19 T'); not a car's 'ô tô', a Roman numeral ('khu vực V'), 'Thú y'.
_RULE_RESTORED_RE = regex.compile(
    r"(?<=\S[^\S\n]+\S+[^\S\n]+\S+)(?<!\b[ôÔ])[^\S\n]+(?i:tơ|tờ|tớ|để|tổ|tô|(?![IVXLyY])\p{L})$"
)
_RULE_READ_RE = regex.compile(r"(?![IVX]{2})(?!(?:TP|TX|TT)$)\p{Lu}{2}")


def complete_party_name(issuer: str, parent: str) -> str:
    """A Party header names its committee under the Đảng bộ above it: 'ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG /
    THÀNH ỦY' is 'Thành ủy Hải Phòng'; 'BAN CHẤP HÀNH TRUNG ƯƠNG / BAN TỔ CHỨC' is 'Ban Tổ chức Trung ương'."""
    m = regex.match(r"Đảng bộ (?:tỉnh|thành phố|huyện|quận|thị xã) (.+)$", parent)
    if issuer in _PARTY_COMMITTEES and m:
        return f"{issuer} {m.group(1)}"
    if fold_lower(issuer) in central_bodies():
        return issuer  # a body of the table already ('Ban Bí thư', not 'Ban Bí thư Trung ương')
    if parent == "Ban Chấp hành Trung ương" and regex.match(r"(?:Ban|Văn phòng|Ủy ban Kiểm tra) ", issuer):
        return issuer if issuer.endswith("Trung ương") else f"{issuer} Trung ương"
    return issuer


def _header_words(piece: str) -> bool:
    """A header's line in capitals, its words Vietnamese syllables, not a stamp's or a rule's specks
    ('QJ1IĐINI7 1IINI1I EII(/ TIN')."""
    words = piece.split()
    return is_upper_line(piece) and 3 * sum(is_syllable(w.lower().strip(",.")) for w in words) >= 2 * len(words)


def _own_standing_committee(by: str, header: str) -> bool:
    """'CỦA BAN THƯỜNG VỤ HUYỆN ỦY' under the header 'HUYỆN ỦY CÁI BÈ': the committee's standing board
    decides in its name, and the archive files the document under the header's committee (as a
    Thông báo 'KẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY' of 'TỈNH ỦY NGHỆ AN')."""
    m = regex.match(r"Ban Thường vụ (.+)$", by)
    return bool(m) and header.startswith(m.group(1))


def _issued_by(doc: Doc) -> tuple[str, int, int] | None:
    """The line under a Party title naming who issues the document ('CỦA BỘ CHÍNH TRỊ, BAN BÍ THƯ')."""
    if doc._.vb_title_end is None:
        return None
    text = doc.text
    for s, e in line_pieces(text, doc._.vb_title_end):
        piece = text[s:e].strip(" *")
        m = regex.match(r"(?i)^c[uủ]a\s+(.+)$", piece)
        parts = regex.split(r"\s*,\s*", m.group(1)) if m else []
        # in capitals as printed, or capitals OCR or restoration partly lowered ('CỦA BỘ Chính TRỊ')
        if not m or not (is_upper_line(piece) or (piece[:3].isupper() and all(central_body(p) for p in parts))):
            return None
        name = ", ".join(official_case(_trim(part.upper())) for part in parts)
        return name, s + m.start(1), e
    return None


def _mostly_upper(piece: str) -> bool:
    """A line in capitals that restoration partly lowered ('THỦ TƯỚNG Chính PHỦ', the authority line under a
    decision's subject): two words in three or more in capitals, three at least. Counted by words, not
    by letters as text.mostly_upper is (which wants the last word in capitals, and gave a held-out
    subject its next line)."""
    words = [w for w in piece.split() if w.isalpha() and len(w) > 1]  # not a symbol's letters ('57-NQ/TW')
    return len(words) >= 3 and 3 * sum(w.isupper() for w in words) >= 2 * len(words)


_LINE_RE = regex.compile(r"(?m)^[^\S\n]*(\S[^\n]*?)[^\S\n*]*$")  # a line's text, without its margins


def _signed_for(doc: Doc, names: list[str]) -> tuple[str, int, int] | None:
    """A Party document under 'BAN CHẤP HÀNH TRUNG ƯƠNG' alone whose title names no issuer (a Quy định
    of the Politburo prints none): the body signed for ('T/M BỘ CHÍNH TRỊ', 'T/M BAN BÍ THƯ') when it
    is one under the Central Committee."""
    if not names or (top := central_body(names[-1])) is None or top.get("branch") != "party" or top["parent"]:
        return None
    text = doc.text
    for line in reversed(list(_LINE_RE.finditer(text, body_start(doc)))):
        m = AUTH_RE.match(line.group(1))  # 'T/M BỘ CHÍNH TRỊ', however OCR read the slash
        if not m or (m.group("a") or m.group("o") or m.group("p") or "")[-1:] not in "Mm":
            continue
        if (row := central_body(m.group("rest"))) and row.get("parent") == top["name"]:
            return row["name"], line.start(1) + m.start("rest"), line.end(1)
    return None


def _subject_stop(piece: str) -> bool:
    f = fold_lower(piece)
    return (
        is_motto(piece)
        or bool(KINH_GUI_RE.match(piece))
        or bool(
            regex.match(
                r"^\W*(kinh gui|can c\S{1,3}(?:\s|$)|thuc hien|trien khai|theo de nghi|xet de nghi|nhan duoc|"
                r"so\s*[:.]|dieu \d|[ivx]+\.\s|\d{1,2}\.(?:\s|$)|"
                # a portal copy's digital signature block ('Ký bởi: …', 'Email: …', 'Thời gian ký: …')
                r"(?:ky boi|nguoi ky|email|co quan|thoi gian ky|ngay ky)\s*:)",
                f,
            )
        )
        or bool(PLACE_DATE_RE.search(piece) or BARE_DATE_RE.match(piece))
        or bool(regex.fullmatch(r"[\W_]+", piece))
        or (is_upper_line(piece) and sum(c.isalpha() for c in piece) > 6)
        or _mostly_upper(piece)
        or f in STAMP_WORDS
        or piece.endswith(":")  # 'THỦ TƯỚNG CHÍNH PHỦ điện:' opens a Công điện's body
        or (piece[:1].isupper() and bool(_BODY_OPENING_RE.match(f)))
    )


# Capitalised openings of the first body paragraph of a notice or a telegram ('Ngày 05/8/2025, …'), or
# of a Party resolution looking back ('Sau gần 40 năm đổi mới, …', 'Qua 10 năm thực hiện …').
_BODY_OPENING_RE = regex.compile(
    r"^(ngay \d|thoi gian qua|vua qua|sau khi|hom nay|tai (?:phien|cuoc) hop|"
    r"(?:sau|qua) (?:gan |hon )?\d+ nam|(?:trong )?nhung nam (?:qua|gan day))"
)
# Stamp lines (độ khẩn, độ mật) as the Marks component reads them, accent-folded.
STAMP_WORDS = ("khan", "thuong khan", "hoa toc", "hoa toc hen gio", "mat", "toi mat", "tuyet mat")


# 'V/v' as the English model and restoration may leave it on the line under a letter's number ('Và bàn
# giao hồ sơ …'): a subject opens with no such word.
_DAMAGED_VV_RE = regex.compile(r"[^\S\n]*(?:V[àa]|V[/|\\l1Ii.]?[vV]|W[/|]?[vV])[^\S\n]+(?=\p{Ll})")


def _vv_under_number(doc: Doc) -> regex.Match | None:
    if doc._.vb_so_line is None or doc._.vb_title_end is not None:
        return None  # a title has its subject under it
    line = doc.text.find("\n", doc._.vb_so_line[1])
    return _DAMAGED_VV_RE.match(doc.text, line + 1) if line >= 0 else None


# A token of a subject that is a speck, not a word ('‹', '¢', '~>'): no letter and no digit.
_SPECK_RE = regex.compile(r"^[^\p{L}\p{N}(),/–-]+$")
_WORD_TOKEN_RE = regex.compile(r"^[(\"“‘]?(?:[\p{L}\p{M}]+|\d[\d/.,-]*|[\p{Lu}\d][\p{Lu}\p{N}Đ/&.-]*)[)\"”’,;:.]*$")


def _debris(line: str) -> bool:
    """A line of specks a seal, an emblem or a stain left among the subject's ('xxx" =-" =:“="=', 'ZY mm
    mxrTzZ€xru nNK 2T ~r'): fewer than half its tokens are syllables, numbers or abbreviations."""
    tokens = line.split()
    good = sum(bool(_WORD_TOKEN_RE.match(t)) and (not t.isalpha() or t.isupper() or is_syllable(t.strip('(),;:."“”‘’')))
               for t in tokens)  # fmt: skip
    return bool(tokens) and good * 2 < len(tokens)


def _clean_subject_line(line: str) -> str:
    """Specks dropped from a line of a subject, a dash left alone at its end ('về tình hình -'), a
    reference's symbol closed up."""
    kept = [t for t in line.split() if not _SPECK_RE.match(t)]
    if kept and kept[-1] in "-–" and len(kept) > 1 and not kept[-2][-1:].isdigit():
        kept.pop()
    return regex.sub(r"(?<=\d)([-–])\s+(?=\p{Lu})", r"\1", " ".join(kept))  # '57- NQ/TW' as OCR spaced it


# A subject's line that its next line must finish ('… của' / 'Ủy ban nhân dân …', '… thành phố' / 'Hải Phòng').
_GOES_ON_RE = regex.compile(r"(?<!\S)(?:của|và|về|tại|cho|với|các|những|phố|tỉnh|huyện|xã|phường|quận|trấn)[^\S\n]*$")
_VE_VIEC_RE = regex.compile(r"V[ềe]\s+vi[ệe]c\b")
_TITLE_GOES_ON_RE = regex.compile(r"(?:y kien )?ket luan\b|cua\b")


class Subject:
    """subject (trích yếu): the text after 'V/v', or the lines under the title, joined across lines."""

    def __init__(self, nlp: Language, name: str, max_lines: int) -> None:
        self.name = name
        self.max_lines = max_lines

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        vv = VV_RE.search(text) or _vv_under_number(doc)
        start = vv.end() if vv else doc._.vb_title_end
        if start is None:
            return doc
        pieces: list[tuple[int, int]] = []
        first = True
        by = _issued_by(doc)
        for s, e in line_pieces(text, start):
            piece = text[s:e].strip(" *")
            if not piece or (by and s <= by[1] < e):  # 'CỦA BỘ CHÍNH TRỊ' under a Party title
                continue
            if not pieces and not vv and regex.fullmatch(r"[\W_]+", piece):
                continue  # a speck OCR read beside the title ('THÔNG BÁO .')
            f = fold_lower(piece)
            if not pieces and not vv and is_upper_line(piece) and _TITLE_GOES_ON_RE.match(f):
                continue  # the title's second line: 'THÔNG BÁO' / 'KẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY'
            if not pieces and not vv and is_upper_line(piece) and "\n" not in text[start:s]:
                continue  # the title's own words after its type: 'KẾT LUẬN THANH TRA'
            # the first line under a title may open like a body paragraph ('Thực hiện chương trình …');
            # a subject wrapped before its date goes on ('… tại phiên họp' / 'ngày 08 tháng 9 năm 2025')
            opens_body = regex.match(r"(thuc hien|trien khai)\b", f)
            lead = first and not vv and opens_body
            if pieces and "\n" not in text[pieces[-1][1] : s] and _subject_stop(piece):
                continue  # the other column on the subject's line ('V/v …   Thái Nguyên, ngày 12 tháng 9 …')
            # … or before words that open a body paragraph in capitals ('… trong việc' / 'thực hiện pháp luật về …')
            wrapped = pieces and piece[:1].islower() and (BARE_DATE_RE.match(piece) or opens_body)
            if not (first and vv) and not lead and not wrapped and _subject_stop(piece):
                break
            if pieces and text[pieces[-1][0] : pieces[-1][1]].rstrip(" *").endswith("."):
                break
            if pieces and piece[:1].isupper() and regex.search(r"\n[^\S\n]*\n", text[pieces[-1][1] : s]):
                if not _GOES_ON_RE.search(text[pieces[-1][0] : pieces[-1][1]]):
                    break  # after a blank line, a capital opens the body ('Năm 2011, trên địa bàn …')
            pieces.append((s, e))
            first = False
            if len(pieces) >= self.max_lines:
                break
        if not pieces:
            return doc
        # the place-and-date line of the other column read into a line of the subject ('V/v hướng dẫn
        # thực hiện chế độ, Hà Nội, ngày 12 tháng 5 năm 2025'): cut off
        cut = [f.start for f in (got(doc, "place"), got(doc, "date")) if f and f.end > f.start]
        pieces = [(a, min([b, *(c for c in cut if a < c < b)])) for a, b in pieces]
        pieces = [(a, b) for a, b in pieces if not _debris(text[a:b])] or pieces
        s, e = pieces[0][0], pieces[-1][1]
        # 'Về việc' opens a subject: specks read before it, on its line or above, go ('4 ew EEL BL')
        for n, (a, b) in enumerate(pieces[:3] if not vv else ()):
            if opener := _VE_VIEC_RE.search(text, a, b):
                pieces = [(opener.start(), b), *pieces[n + 1 :]]
                break
        lines = [_clean_subject_line(text[a:b].strip(" *")) for a, b in pieces]
        value = squash(" ".join(lines)).rstrip(" .;")
        if value:
            put(doc, "subject", value, s, e, 0.9 if vv else 0.8)
        return doc


class Marks:
    """urgency / secrecy: a stamp line holding only 'KHẨN', 'HỎA TỐC', 'MẬT', … (or a stamp OCR ran into
    the motto beside it); of several, the highest level any page shows."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        # the seal and the signature between a signer's title and name, read as a word ('PHÓ CHỦ TỊCH' / 'MAT' /
        # 'Nguyễn Thị …', English engine): no stamp stands inside a signature block
        signed = block_ranges(doc, "signature")
        for label, field, levels in (("URGENCY", "urgency", URGENCIES), ("SECRECY", "secrecy", SECRECIES)):
            stamps = [span for span in cues(doc, label) if self._stands_alone(text, span)
                      and not any(s < span.start_char < e for s, e in signed)]  # fmt: skip
            if stamps:
                best = max(stamps, key=lambda span: levels.index(span.id_))
                put(doc, field, best.id_, best.start_char, best.end_char, 0.9)
        return doc

    @staticmethod
    def _stands_alone(text: str, span: Span) -> bool:
        ls = text.rfind("\n", 0, span.start_char) + 1
        le = text.find("\n", span.end_char)
        for s, e in line_pieces(text, ls, len(text) if le < 0 else le):
            if not s <= span.start_char < e:
                continue
            piece = " ".join(w for w in stamp_words(text[s:e]) if w)  # 'KHẨN Ì': a lone letter is the frame's edge
            if fold_lower(piece) == fold_lower(span.text):  # not a sentence's word wrapped alone ('khó' / 'khăn;')
                return is_upper_line(piece) or (len(piece) > 3 and piece[:1].isupper())
            # 'MẬT CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM': the stamp printed beside the motto, read as one line
            stamp = text[span.start_char : span.end_char]
            rest = text[span.end_char : e].strip(" *|")
            return span.start_char == s and stamp.isupper() and bool(rest) and is_motto(rest)
        return False
