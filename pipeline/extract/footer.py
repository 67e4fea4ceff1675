"""Footer components: the 'Nơi nhận' list and the signature block."""

from __future__ import annotations

import regex
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.encodings import is_syllable
from pipeline.extract.doc import block_ranges, body_start, got, noi_nhan, put
from pipeline.extract.lists import BULLET_RE, list_items
from pipeline.extract.names import folded_surnames, region, repair_name
from pipeline.extract.text import (
    is_motto,
    is_upper_line,
    known_title,
    lexicon,
    line_pieces,
    looks_like_place,
    majority_spelling,
    mostly_upper,
    name_case,
    official_case,
    squash,
    title_case,
)
from pipeline.types import Signer
from pipeline.vietnamese import fold_lower


class Cc:
    """cc: the entries of 'Nơi nhận:' (including 'Lưu: VT, …'); signature lines beside them are skipped."""

    def __init__(self, nlp: Language, name: str, max_items: int) -> None:
        self.name = name
        self.max_items = max_items

    def __call__(self, doc: Doc) -> Doc:
        nn = noi_nhan(doc)
        if not nn:
            return doc
        start = nn[1]
        m = regex.match(r"[^\S\n]*[:;.]?", doc.text[start:])
        start += m.end() if m else 0
        items = list_items(doc.text, start, self.max_items, skip_upper=True)
        if items:
            put(doc, "cc", tuple(v for v, _, _ in items), items[0][1], items[-1][2], 0.9)
        return doc


def title_words(piece: str) -> str:
    """A title line without the seal or stroke debris OCR puts around it ('= NÊN CHỦ TỊCH' -> 'NÊN CHỦ
    TỊCH'); '' when nothing title-like is left ('TA ^': no word of three letters, or mostly symbols)."""
    core = regex.sub(r"^[^\p{L}]+|[^\p{L}]+$", "", piece)
    letters = sum(c.isalpha() for c in core)
    if not regex.search(r"\p{L}{3}", core) or letters < 0.8 * len(core.replace(" ", "")):
        return ""
    return core


# 'TM.', 'KT.', 'TL.', 'TUQ.', 'Q.'; Party documents write 'T/M', 'K/T', 'T/L' (no full stop).
# OCR reads 'T/M' as 'Tim', 'T/m', 'TM' and drops the full stop of 'TM.' before a capital, or the space after
# 'T/L' ('T/LBAN THƯỜNG VỤ').
AUTH_RE = regex.compile(
    r"^(?:(?P<a>TM|KT|TL|TUQ|Q)\s*[.,:]|(?P<o>TM|KT|TL|TUQ)\s+(?=\p{Lu}{2})|(?P<p>T\s*[/lIi1|ÌÍ]\s*[Mm]|K\s*[/lIi1|]\s*[Tt]|K\s*/\s*[Il1]|T\s*/\s*L)(?:\b|(?<=/\p{Lu})(?=\p{Lu}{2})))"
    r"\s*(?P<rest>.+)$"
)
# (an underscore is no word: OCR reads a signature's strokes as '~___—')
# (nor are one or two small letters alone: the seal's edge below the name, 'lộ')
NOISE_RE = regex.compile(r"(?i)^[\W_]*(\(?đã ký\)?|\(?ký\b.*|\(?ky\b.*|\[.*\]|\d+|(?-i:\p{Ll}{1,2}))?[\W_]*$")


# A name word; the names of Tây Nguyên peoples join a prefix with an apostrophe ('H'Hen Niê', 'Y'Ngông').
# A word of a name; the Ê Đê and Gia Rai prefix with its apostrophe stands apart too ('H' Ly Niê').
# The English engine reads an 'ô' as '6' ('Ka S6 Liéng', set 250): after a letter it is one.
_NAME_WORD_RE = regex.compile(r"\p{Lu}(?:[\p{L}\p{M}]|(?<=\p{L})6)*(?:['’]\p{Lu}[\p{L}\p{M}]*)?|[HYK]['’]")
# What stands before the name on its line and is no part of it: a rank of the army or the police
# ('Trung tướng Nguyễn Văn A', on the letters of the ministries of defence and public security) or
# academic, professional and honorary titles ('PGS.TS. Nguyễn Văn A', 'TTƯT.BSCKII. …', 'TS.BS Trần Văn B').
# (any run of capitals with its full stop: OCR reads 'BSCKII.' as 'BSCKT.', 'TTƯT.' as 'TTƯTI.')
_TITLES = (
    "(?:GS|PGS|TSKH|TS|ThS|BSCKII|BSCKI|BSCK|BS|DSCKII|DSCKI|DS|CKII|CKI|TTƯT|TTND|NGƯT|NGND|NSƯT|NSND|KTS|KS|LS"
    "|(?-i:\\p{Lu}{2,7}(?=[^\\S\\n]*\\.)))"
)
_NAME_PREFIX_RE = regex.compile(
    r"^(?i:(?:Đại|Thượng|Trung|Thiếu)[^\S\n]+(?:tướng|tá|úy)|(?:Phó[^\S\n]+)?Đô[^\S\n]+đốc|Chuẩn[^\S\n]+Đô[^\S\n]+đốc"
    # a cleric's title of respect before the name ('Hòa thượng Thích Chiếu Minh', 'Linh mục', 'Mục sư')
    r"|H(?:òa|oà)[^\S\n]+thượng|Thượng[^\S\n]+t(?:ọa|oạ)|Đại[^\S\n]+đức|Ni[^\S\n]+(?:sư|trưởng)"
    r"|Linh[^\S\n]+mục|Lm\.|Mục[^\S\n]+sư"
    rf"|(?:{_TITLES}[^\S\n]*\.[^\S\n]*)+(?:{_TITLES}[^\S\n]+)?)[^\S\n]*(?=\p{{Lu}})"
)


# A name of one word: a K'Ho, Ê Đê or Gia Rai prefix joined to it ('K'Brơi', set 160), which no title or speck is
_ONE_WORD_NAME_RE = regex.compile(r"[KHY]['’]\p{Lu}[\p{Ll}\p{M}]{2,}")


def _is_name(piece: str) -> bool:
    if AUTH_RE.match(piece):
        return False  # the Party's 'T/M ĐẢNG ỦY' read 'TIM ĐẢNG ỦY', its name lost under the seal
    words = piece.split()
    if len(words) == 1 and _ONE_WORD_NAME_RE.fullmatch(words[0]):
        return True
    if not 2 <= len(words) <= 6 or not all(_NAME_WORD_RE.fullmatch(w) for w in words):
        return False
    if is_upper_line(piece):
        key = fold_lower(piece)
        positions = ("chu tich", "giam doc", "truong", "thu ky", "bi thu", "uy ban", "tuong", "chanh", "pho ")
        return not any(p in key for p in positions)
    return True


# What OCR reads of the signature's strokes before the name, on its line: runs of marks ('>>... ', '`. _',
# ': +~.') and a letter among them ('-s. ', 'X - '); a name's own one-letter word stays ('A Blưn', 'Y Khâm
# Niê', 'H' Ly Niê', 'H Yâm Byă').
# (a modifier letter is a speck too: 'ˆ`“Ý Khâm Niê'; a letter before a digit is a name's: 'X6ng Bá Di', eng)
_NAME_SPECKS_RE = regex.compile(
    r"^(?:[^\p{Lu}\p{Ll}\s]*(?:(?![AYHKÁÀÝỲ](?:\s|['’]))[\p{Lu}\p{Ll}](?![\p{Lu}\p{Ll}\d]))?[^\p{Lu}\p{Ll}\s]*"
    r"(?:\s+|(?=[\p{Lu}\p{Ll}])))*"
)


def _name_core(piece: str) -> str:
    """The name on its line without the specks OCR reads beside it: 'Cao Huy Khánh -', '>>... Trần Thị Thu Hà'."""
    core = piece.strip(" *")
    core = regex.sub(r"(?<=\p{L})[^\p{L}]{1,3}$", "", core[_NAME_SPECKS_RE.match(core).end() :])
    # a small letter before the name's capital, or capitals of the seal before its words ('xThạch', 'TS Định …')
    if (lead := regex.match(r"\p{Ll}(?=\p{Lu}\p{Ll})|(\p{Lu}{2,3})[^\S\n]+(?=\p{Lu}\p{Ll})", core)) and (
        not lead.group(1) or fold_lower(lead.group(1)) not in folded_surnames()
    ):
        core = core[lead.end() :]
    return core[m.end() :] if (m := _NAME_PREFIX_RE.match(core)) else core


def _led(name: str) -> str:
    """The Ba Na's and Xơ Đăng's 'A', the Ê Đê's 'Y', that OCR ran into the name after it: 'APơ' is 'A Pơ' (set
    210, vie); a family name OCR read in lower case, the signature's stroke across its capital ('trần Quốc Vĩnh'), or
    the stroke read as a hyphen or a quote between two words ('Lê-Ánh Dương', 'Phan“Thị')."""
    if (first := name.split(" ", 1)[0]).islower() and fold_lower(first) in folded_surnames():
        name = name[0].upper() + name[1:]
    name = regex.sub(r"(?<=\p{L})[-“”\"](?=\p{L})", " ", name)
    name = regex.sub(r"(?<!\S)['’‘“”\"]+(?=\p{Lu})", "", name)  # the stroke before a word: 'Nguyễn 'Thị Thu Trang'
    name = regex.sub(r"(?<=\p{Ll})(\p{Lu})[^\S\n]+(?=\p{Ll})", r" \1", name)  # a space read a letter late: 'HoàngT hị'
    name = regex.sub(r"(?<=\p{Ll})(?=\p{Lu}\p{Ll})", " ", name)  # two words run together: 'RơMah H'Lim', 'PửGạ'
    return regex.sub(r"^([AY])(?=\p{Lu}\p{Ll}+(?:\s|$))", r"\1 ", name)


def _worded(line: str) -> bool:
    """A title's words: a Vietnamese syllable among them, no code of four capitals without a vowel but a
    known one ('PHÓ CHỦ TỊCH HĐND'); not the signature's strokes read in capitals ('ADRZ WY') nor a 'Lưu'
    entry's code ('VŨ VTLTL'). A seal's letter beside a title's half passes ('CHU TỊC')."""
    words = line.split()
    code = lambda w: _CODE_RE.fullmatch(w) and fold_lower(w) not in lexicon()["phrases"]  # noqa: E731
    return any(is_syllable(w.lower()) for w in words) and not any(code(w) for w in words)


_CODE_RE = regex.compile(r"[B-DF-HJ-NP-TV-XZĐ]{4,}")


def _title_lines(text: str, pieces: list[tuple[int, int]], i: int) -> list[tuple[int, int]]:
    """The authority and title lines above ``pieces[i]`` (upwards to 'Nơi nhận', past its entries)."""
    lines: list[tuple[int, int]] = []
    misses = 0
    while i >= 0 and misses < 8:
        s, e = pieces[i]
        piece = text[s:e].strip(" *")
        i -= 1
        # a title has two words at least: 'AVY', 'ALA' are the seal's letters; one restoration lowered a
        # mark of ('Bí THƯ') must be one of the table ('Lưu: VT, QLTM' is as much in capitals)
        words = title_words(piece)
        caps = is_upper_line(piece) or (mostly_upper(piece) and known_title(words) is not None)
        title = caps and not is_motto(piece) and len(words.split()) > 1 and not piece.endswith(";")  # an entry's
        title = title and _worded(words)
        if AUTH_RE.match(piece) or title:
            lines.append((s, e))
            continue
        if BULLET_RE.match(piece) or NOISE_RE.match(piece):
            misses += 1
            continue
        if lines or fold_lower(piece).startswith("noi nhan"):
            break
        misses += 1
    lines.reverse()
    return lines


APPENDIX_RE = regex.compile(r"(?m)^[^\S\n]*PH[ỤU][^\S\n]+L[ỤU]C\b")
# The signature block OCR ran into the 'Nơi nhận' column, line by line (two columns read as one): its lines'
# tails. A title in capitals ends a line ('Nơi nhận: KT. BỘ TRƯỞNG BỘ TÀI CHÍNH', '… các Ban của THỨ
# TRƯỞNG', '- UBND tỉnh (b/c); -_ PHÓ GIÁM ĐỐC'); the name ends a later one after an entry's ';' or
# lower-case word ('… trực thuộc Trung ương; Vũ Đình Khải').
_TAIL_TITLE_RE = regex.compile(
    r"(?:^N\S*i[^\S\n]+nh\S*n[^\S\n]*:?|(?<=[\p{Ll})][,;]?))[^\S\n]+(?:[-_.,„~—]+[^\S\n]*)?"  # a stroke's specks
    r"(?P<t>(?:(?:KT|TM|TL|TUQ|Q)\.[^\S\n]*)?\p{Lu}{2,}(?:[^\S\n]+\p{Lu}{2,})+)[^\S\n]*$"
)
# (after an entry's word, also an abbreviation's capitals: '- Đoàn ĐBQH tỉnh; đại biểu HĐND Hồ Xuân Trường')
_TAIL_NAME_RE = regex.compile(
    r"(?<=[;,\p{Ll}]|\s\p{Lu}{2,})[^\S\n]+(?P<n>\p{Lu}\p{Ll}+(?:[^\S\n]+\p{Lu}\p{Ll}*){1,4})[^\S\n]*$"
)

_WRAPPED_NAME_RE = regex.compile(r"\n[^\S\n]*\p{Lu}\p{Ll}*[;,.]")


def _run_into_list(text: str, pieces: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], tuple[int, int] | None]:
    """Title lines and name of a signature block read into the 'Nơi nhận' lines: title lines between
    its entries or at their ends, the name at the end of a later one."""
    lines: list[tuple[int, int]] = []
    name = None

    def add(s: int, e: int) -> None:  # a title the block and the column both hold is one ('Nơi nhận: ~.CHỦ TỊCH')
        if not lines or fold_lower(title_words(text[slice(*lines[-1])])) != fold_lower(title_words(text[s:e])):
            lines.append((s, e))

    for s, e in pieces:
        piece = text[s:e]
        if AUTH_RE.match(piece.strip()) or (is_upper_line(piece) and known_title(piece) and len(piece.split()) > 1):
            add(s, e)  # a title line the columns kept apart
        elif (m := _TAIL_TITLE_RE.search(piece)) and (AUTH_RE.match(m.group("t")) or known_title(m.group("t"))):
            add(s + m.start("t"), s + m.end("t"))
        elif lines and (m := _TAIL_NAME_RE.search(piece)) and fold_lower(m.group("n").split()[0]) in folded_surnames():
            if not _WRAPPED_NAME_RE.match(text, e):  # an entry's own name wrapped ('… Đoàn TNCS Hồ Chí' / 'Minh;')
                name = (s + m.start("n"), s + m.end("n"))
    return lines, name


def _as_issuer(body: str, doc: Doc) -> str:
    """The body a 'TM.' line names, spelt as the header spells the issuer it begins ('TM. BAN ĐẠI DIỆN' under 'BAN
    ĐẠI DIỆN HĐQT NHCSXH …' is the bank board's 'Ban đại diện'; a church's 'Ban Đại diện', set 164 and 75)."""
    issuer = str(f.value) if (f := got(doc, "issuer")) and f.value else ""
    if fold_lower(issuer).startswith(fold_lower(body)) and len(issuer) >= len(body):
        return issuer[: len(body)]
    return body


class SignatureBlock:
    """signer: name under the signature, its title and KT./TL./TUQ. authority and TM. body."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        ranges = block_ranges(doc, "signature")
        floor = nn[0] if (nn := noi_nhan(doc)) else body_start(doc)
        # an appendix after the signature ('PHỤ LỤC', its tables and names) is not the signature block
        appendix = APPENDIX_RE.search(text, floor)
        ceiling = appendix.start() if appendix else len(text)
        stamps = block_ranges(doc, "stamp")  # 'KHẨN' read last, where the layout put the stamp's block
        everything = [(s, e) for s, e in line_pieces(text, floor, ceiling, columns=True)
                      if text[s:e].strip(" *") and not any(a <= s < b for a, b in stamps)]  # fmt: skip
        pieces = everything
        if ranges:
            inside = [(s, e) for s, e in everything if any(a <= s < b for a, b in ranges)]
            pieces = inside or everything
        i = len(pieces) - 1
        while (
            i >= 0 and NOISE_RE.match(text[pieces[i][0] : pieces[i][1]].strip(" *")) and i > len(pieces) - 6
        ):
            i -= 1
        name = None
        if i >= 0 and _is_name(_led(cand := _name_core(text[pieces[i][0] : pieces[i][1]]))):
            if not looks_like_place(text, cand):
                at = pieces[i][0] + text[pieces[i][0] : pieces[i][1]].index(cand)
                name = (at, at + len(cand))
            i -= 1  # seal text read where the name should be: neither name nor title
        lines = _title_lines(text, pieces, i)
        if not lines and pieces is not everything:
            # the layout gave the name a block of its own and left the authority and title lines in the
            # body, where OCR ran them into 'Nơi nhận' (two columns read as one)
            before = [p for p in everything if p not in pieces]
            lines = _title_lines(text, before, len(before) - 1)
        # an authority alone ('KT. GIÁM ĐỐC' beside 'Nơi nhận:') has its title in that column too
        alone = len(lines) == 1 and AUTH_RE.match(text[lines[0][0] : lines[0][1]].strip(" *"))
        if not name or not lines or alone:  # the block OCR ran into the list of recipients, line by line
            listed, found = _run_into_list(text, everything)
            name = name or found
            if alone:
                lines += [p for p in listed if p[0] > lines[0][1]]
            else:
                lines = lines or listed
        if not lines and not name:
            return doc
        on_behalf_of = authority = title = person = None
        party = "dang cong san viet nam" in fold_lower(text[: body_start(doc) + 400])
        titles = []
        for s, e in lines:
            piece = squash(text[s:e].strip(" *"))
            if fold_lower(piece).startswith(("dai dien ", "xac thuc van ban hop nhat", "chu tri hoi nghi")):
                # a Biên bản's side ('ĐẠI DIỆN BÊN GIAO' / 'CHỦ TỊCH') or chair ('CHỦ TRÌ HỘI NGHỊ'), a consolidated
                # text's 'XÁC THỰC VĂN BẢN HỢP NHẤT' / 'BỘ TRƯỞNG': who signs for it, no title
                continue
            if m := AUTH_RE.match(piece):
                a, rest = m.group("a") or m.group("o") or m.group("p"), m.group("rest")
                if m.group("p") or (party and a in ("TM", "KT", "TL")):
                    # the Party's 'T/M', 'K/T', 'T/L' however OCR read the slash, or lost it ('TM BỘ CHÍNH TRỊ')
                    a = "K/T" if a[0] == "K" else "T/M" if a[-1] in "Mm" else "T/L"
                mark = a if "/" in a else f"{a}."
                if a in ("TM", "T/M"):
                    on_behalf_of = f"{mark} {_as_issuer(official_case(rest), doc)}"
                else:
                    # "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" printed on one line
                    if (sp := regex.search(r"\s(PHÓ|QUYỀN)\s", rest)) and not titles:
                        titles.append(rest[sp.start() + 1 :])
                        rest = rest[: sp.start()]
                    # 'TL. CHỦ TỊCH' names a title; Party documents' 'T/L BAN THƯỜNG VỤ' a body
                    body = not known_title(rest) and fold_lower(rest).split(" ", 1)[0] in lexicon()["org_heads"]
                    body = body and not known_title(" ".join(rest.split()[:2]))  # 'KT. BỘ TRƯỞNG BỘ Y TẾ': a title
                    said = f"{mark} {official_case(rest) if body else title_case(rest)}"
                    if authority and authority.startswith("TL.") and not on_behalf_of:
                        # of two ('TL. CHỦ TỊCH' / 'KT. CHÁNH VĂN PHÒNG') the outer is whom the office signs for,
                        # the inner whose authority it signs by (sets 45, 106, 136, 137, 181; set 2 the other way)
                        on_behalf_of, authority = authority, said
                    authority = authority or said
            elif not (regex.search(r"(?<!\S)\p{L}(?!\S)", piece) and known_title(piece) is None):
                titles.append(title_words(piece))  # not a title's half with a seal's letter ('J TICH')
        if titles:
            title = title_case(" ".join(titles))
        elif authority and authority.startswith("Q. "):
            title = f"Quyền {authority[3:]}"  # 'Q. GIÁM ĐỐC' alone: the acting head signs as such
        legacy = any(seg.damaged for seg in doc._.vb_segments or ())
        if name:
            # where the document is from weighs only where the name's marks were guessed
            keys = ("issuer", "parent_issuer", "place") if legacy else ()
            where = region(str(f.value) for key in keys if (f := got(doc, key)))
            person = repair_name(majority_spelling(text, name_case(_led(text[name[0] : name[1]]))), legacy, where)
        start = (lines or [name])[0][0]
        end = name[1] if name else lines[-1][1]
        signer = Signer(person, title, authority, on_behalf_of)
        # from legacy OCR a name's letters are read (95% of the field sets' signers) but its marks guessed
        # (68% right): a reviewer should look, and search finds it without marks either way
        put(doc, "signer", signer, start, end, 0.5 if name and legacy else 0.9 if name and lines else 0.6)
        return doc
