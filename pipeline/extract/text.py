"""Text helpers shared by the extractors: OCR repairs, dates, line pieces and official casing.

Repairs applied to the working text keep its length, so every character offset a component finds
is also an offset into the (NFC) block text that provenance points at.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path

import regex
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from pipeline.encodings import is_syllable
from pipeline.gazetteer import KINDS, tone_key
from pipeline.types import SECRECIES, URGENCIES
from pipeline.vietnamese import fold_lower, nfc

DATA_DIR = Path(__file__).parent / "patterns"
H = r"[^\S\n]"  # horizontal whitespace
# The right-hand title of the header: the national motto, or a Party document's 'ĐẢNG CỘNG SẢN VIỆT NAM'.
MOTTO = ("cong hoa xa hoi chu nghia", "doc lap", "doc lap - tu do", "dang cong san viet nam")
# The first line of the body (the header ends before it, or before 'Kính gửi').
BODY_START_RE = regex.compile(
    r"(?m)^\W*(?:Căn cứ|Thực hiện|Triển khai|Theo đề nghị|Xét đề nghị|Nhằm|Để |Hướng ứng|Hưởng ứng|"
    r"Điều 1|I\.|1\.)"
)
# 'Kính gửi:' as OCR and restoration leave it ('Kinh gvti:', 'Kinh gti:', 'Kinh giới:'): the colon
# after a word of 'g' and at most four more letters keeps it apart from a sentence.
# 'Kính gửi:' (also as OCR damages it: 'Kinh gvti:'), and a Tờ trình's 'Kính trình:'
KINH_GUI_RE = regex.compile(
    r"(?m)(?:^|(?<=[^\S\n]))K\p{L}nh[^\S\n]+(?:g[\p{L}\p{M}'’]{0,4}|tr\p{L}{2,4})[^\S\n]*:"
)
# 'Nơi nhận:' as OCR damages it at the head of a line: 'Noinhén:', 'Nói .nhận:'
NOI_NHAN_RE = regex.compile(r"(?m)^[^\S\n]*N\p{L}i[^\S\n]*[.,]?[^\S\n]*nh\p{L}{1,2}n[^\S\n]*[:;]")

# Characters OCR confuses with digits inside numbers.
_DIGIT_FIX = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "!": "1"})
# A year's last digit read as a letter in some fonts ('15/3/200A', 'năm 200G'): only there is it read back.
_YEAR_END_FIX = str.maketrans({"A": "4", "G": "6", "S": "5", "B": "8"})
DIGITISH = r"[0-9OoIl|!]"


_SLASHES = str.maketrans("\u2044\u2215\uff0f", "///")  # fraction, division and full-width slashes OCR writes


# a stamp's frame edges and the specks OCR reads around it ('‘KHẨN:', '[MẬT]', '¡KHẨN')
STAMP_SPECKS = " *‘’'\"`:;.,|[]()¡!"


def stamp_text(text: str) -> str:
    """A stamp block's text as the stamp's word, where OCR doubled a letter or stacked its marks ('MẬẶT',
    'KHHẨN') or restoration gave it other marks ('MÁT'): the word in capitals, padded to the same length.
    A missed secrecy stamp is a leak, and a block the layout found as a stamp holds nothing else: a lone letter
    beside the word is its frame's edge ('I. KHẨN', restoration's reading of '|. KHAN')."""
    words = stamp_words(text)
    key = regex.sub(r"(\p{L})\1+", r"\1", fold_lower(" ".join(w for w in words if w)))
    word = _STAMP_WORDS.get(key) or _near_stamp_word(key.replace(" ", ""))
    if word and len(word) > len(text):
        word = word.replace(" ", "")  # a letter lost: 'HA TỐC' is 'HỎATỐC' (a pattern of its own), not longer
    return word.ljust(len(text)) if word and len(word) <= len(text) else text


_STAMP_WORDS = {fold_lower(s): s.upper() for s in (*URGENCIES, *SECRECIES)}


def stamp_words(text: str) -> list[str]:
    """A stamp's words without the specks beside them, nor the lone letters its frame's edge reads as ('I. KHẨN',
    'KHẨN Ì'), unless nothing else is left."""
    words = [w.strip(STAMP_SPECKS) for w in text.split()]
    return [w for w in words if len(w) > 1] or words


def _near_stamp_word(letters: str) -> str | None:
    """The one stamp word of five letters or more that ``letters`` is a letter off, spaces dropped: the English
    engine reads the boxed 'TỐI MẬT' 'TOYMAT' (set 245), and the word's shortest, 'MẬT', 'KHẨN', must be read whole."""
    if len(letters) < 5:
        return None
    near = [w for k, w in _STAMP_WORDS.items() if Levenshtein.distance(letters, k.replace(" ", "")) <= 1]
    return near[0] if len(near) == 1 else None


def working_text(text: str) -> str:
    """Length-preserving clean-up: markdown emphasis, NBSP, tabs and CR become spaces; a slash OCR read
    as another ('8145⁄UBND-VX', a fraction slash) is '/'."""
    return regex.sub(r"[*\u00a0\t\r\u200b]", " ", text).translate(_SLASHES)


def block_text(text: str) -> str:
    """What a block's offsets refer to: NFC text (``Ð`` U+00D0 mapped to ``Đ``)."""
    return nfc(text)


def fix_digits(token: str) -> str:
    """'2O25' -> '2025', 'l5' -> '15'; spaces dropped."""
    return regex.sub(r"\s+", "", token).translate(_DIGIT_FIX)


def squash(text: str) -> str:
    """Collapse whitespace runs (line breaks included); an em dash, OCR's usual misreading of the en
    dash these documents print ('Văn hoá – Xã hội'), becomes an en dash."""
    return regex.sub(r"\s+", " ", text).replace("\u2014", "\u2013").strip()


def make_date(
    day: str | None, month: str | None, year: str | None, near: int | None = None
) -> tuple[str | None, int | None]:
    """ISO date and year from possibly OCR-damaged parts; a blank or impossible day/month gives None.
    A year with a digit too many ('năm 20285': Tesseract reads '2025.' so) is the four of its digits
    nearest the document's year ``near``; unknown without it."""
    digits = fix_digits(year[:-1] + year[-1:].translate(_YEAR_END_FIX)) if year else ""
    if len(digits) == 5 and digits.isdigit() and near:
        digits = min((digits[:i] + digits[i + 1 :] for i in range(5)), key=lambda y: abs(int(y) - near))
    y = int(digits) if digits.isdigit() and len(digits) <= 4 else None
    if y is not None and y < 100:
        y += 2000
    if y is None or not day or not month:
        return None, y
    d, m = fix_digits(day), fix_digits(month)
    if not (d.isdigit() and m.isdigit()):
        return None, y
    try:
        return dt.date(y, int(m), int(d)).isoformat(), y
    except ValueError:
        return None, y


# Any 'a' with a tone or hat: restoration may put the wrong marks on 'tháng' ('thẳng') or 'năm' ('nắm').
A_ANY = "[aàáảãạăằắẳẵặâầấẩẫậAÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ]"
# The vowel of 'ngày' / 'tháng' / 'năm' as OCR reads it ('thúng', 'ngảy'): any one letter, the digits
# around it keep the date form unambiguous.
V_ANY = r"\p{L}"

_YEAR_END = r"(?-i:[AGSB])(?!\p{L})"  # see _YEAR_END_FIX
# Date forms met in the body: 03/9/2025, 03-9-2025, 03.9.2025, ngày 03 tháng 9 năm 2025.
_SEP = r"[^\S\n]*[/.\-][^\S\n]*"
# The separator before the year may be lost to OCR ('ngày 22/52020', set 160): the year, four digits, follows. A
# month's narrow '1' may stand apart from its second digit ('ngày 05/1 2/2025', set 246; make_date drops the space).
NUMERIC_DATE = (
    rf"(?P<d>{DIGITISH}{{1,2}}){_SEP}(?P<m>1[^\S\n][0-2](?=/)|{DIGITISH}{{1,2}})(?:{_SEP}|(?=(?:19|20)\d\d(?!\d)))"
    rf"(?P<y>(?:19|20|2O){DIGITISH}(?:{DIGITISH}(?:\d(?=[./,;)]))?|{_YEAR_END}))"
)  # a digit too many before the closing stop: '04-11-20285./.' (make_date picks the four)
# a speck glued to the day ('ngày 26G tháng 02 năm 2019')
WORDED_DATE = (
    rf"ng{V_ANY}y\s*(?P<d2>{DIGITISH}{{1,2}})(?:(?<=\d)[A-Z](?=\s))?\s*th{V_ANY}ng\s*(?P<m2>{DIGITISH}{{1,2}})"
    rf"\s*n{V_ANY}m\s*(?P<y2>(?:19|20|2O){DIGITISH}(?:{DIGITISH}\d?|{_YEAR_END}))(?!\d)"
)
ANY_DATE_RE = regex.compile(rf"(?:{WORDED_DATE}|(?<!\d){NUMERIC_DATE}(?!\d))", regex.IGNORECASE)
# A day/month without a year ("trước ngày 15/10"): the year comes from the document date.
SHORT_DATE_RE = regex.compile(rf"(?<![\d/])(?P<d>{DIGITISH}{{1,2}}){_SEP}(?P<m>\d{{1,2}})(?![\d/.\-])")


# The digits Tesseract reads for each digit in a date's year, in some fonts and at low resolution
DIGIT_MISREADS = {"0": "689", "1": "47", "3": "58", "4": "1", "5": "386", "6": "058", "7": "1", "8": "5630", "9": "08"}


def year_misreads(date: str, reads: dict[str, str] | None = None) -> list[str]:
    """``date`` (ISO) with one digit of its year read as another: any other digit, or those ``reads``
    gives for it (OCR's '8' for a '5'). The readings a date that cannot be right is checked against."""
    year = date[:4]
    return [f"{year[:i]}{d}{year[i + 1 :]}{date[4:]}" for i, c in enumerate(year)
            for d in (reads.get(c, "") if reads is not None else "0123456789".replace(c, ""))]  # fmt: skip


def parse_date_match(m: regex.Match, near: int | None = None) -> str | None:
    if m.group("d2") is not None:
        return make_date(m.group("d2"), m.group("m2"), m.group("y2"), near)[0]
    return make_date(m.group("d"), m.group("m"), m.group("y"), near)[0]


# Where OCR ran the signature column into the 'Nơi nhận' column with one space: after the entry's
# punctuation, an authority line ('KT. CHỦ TỊCH') or a closing run of capitals ('PHÓ CHỦ TỊCH').
# A speck OCR read between the columns ('thành ủy, - THƯỜNG TRỰC BAN BÍ THƯ') may stand before it. An
# entry that goes on to the next line has no punctuation there ('các Phó Thủ tướng PHÓ CHỦ NHIỆM'):
# then only a title of the table, in full capitals, is split off.
_COLUMN_RE = regex.compile(
    r"(?<=[;:.,])[ ]+(?:[-–.~+•][ ]+)?(?=(?:TM|KT|TL|TUQ)[ ]*[.:][ ]*\p{Lu}\p{L}|[TK][ ]*[/lIi1|][ ]*[MTL][ ]+\p{Lu}{2}"
    r"|(?P<caps>\p{Lu}[\p{Lu}\p{Ll}]*(?:[ ]+\p{Lu}[\p{Lu}\p{Ll}]*)+)[ ]*$)"
    r"|(?<=\p{Ll})[ ]+(?=(?P<tail>\p{Lu}{2,}(?:[ ]+\p{Lu}{2,})+)[ ]*$)"
)  # 'TM.', 'TL:' and the Party's 'T/M' (read 'TIM') open the signature column; not an army office's code and
# copies in the file entry ('Lưu: VT, TM. H20', set 193: 'TM' is its staff office)


def mostly_upper(s: str) -> bool:
    """In capitals but for a mark or two restoration lowered ('Bí THƯ'); not 'Sở Nội vụ'."""
    letters = [c for c in s if c.isalpha()]
    words = [w for w in s.split() if any(c.isalpha() for c in w)]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.75 * len(letters) and words[-1].isupper()


def _split_columns(text: str, s: int, e: int) -> Iterator[tuple[int, int]]:
    for m in _COLUMN_RE.finditer(text, s, e):
        caps = m.group("caps")
        if caps is not None and all(_is_acronym(w) for w in caps.split()):
            continue  # 'Lưu: VT, VP UBND' is one entry
        if caps is not None and not mostly_upper(caps):
            continue
        if m.group("tail") is not None and known_title(m.group("tail")) is None:
            continue
        if m.group("tail") is not None and mostly_upper(whole := text[s:e].strip()) and known_title(whole):
            continue  # one title whose mark restoration lowered ('PHÓ Bí THƯ THƯỜNG TRỰC'), no two columns

        if not regex.search(r"^[-–+•~]|\p{Ll}", text[s : m.start()]):
            continue  # the left part is no list entry: 'KT. CHỦ TỊCH' stays whole
        yield s, m.start()
        yield m.end(), e
        return
    yield s, e


def line_pieces(
    text: str, start: int = 0, end: int | None = None, columns: bool = False
) -> Iterator[tuple[int, int]]:
    """Spans of non-blank text between line breaks or wide gaps (two columns printed side by side);
    with ``columns``, also where a signature line was run into a 'Nơi nhận' entry by one space."""
    end = len(text) if end is None else end
    for m in regex.finditer(r"[^\n]+", text[start:end]):
        for p in regex.finditer(r"\S+(?:[ ]{1,3}\S+)*", m.group()):
            s, e = start + m.start() + p.start(), start + m.start() + p.end()
            if columns:
                yield from _split_columns(text, s, e)
            else:
                yield s, e


def is_upper_line(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


@lru_cache(maxsize=1)
def lexicon() -> dict:
    """Casing lexicon (issuer and title words), kept as data so it can be edited without code."""
    return json.loads((DATA_DIR / "casing.json").read_text(encoding="utf-8"))


@cache
def _phrase_words() -> tuple[int, frozenset[str]]:
    """The casing table's phrases: the most words one has, and every run of words one ends with ('Quản lý
    Dược', 'lý Dược', 'Dược')."""
    values = [v.split() for v in lexicon()["phrases"].values()]
    longest = max(len(k.split()) for k in lexicon()["phrases"])
    return longest, frozenset(" ".join(v[k:]) for v in values for k in range(len(v)))


@cache
def _phrase_starts() -> frozenset[str]:
    """The first two words of the casing table's phrases and heads, accent-folded ('ban chap', 'trung tam')."""
    keys = (*lexicon()["phrases"], *lexicon()["org_heads"])
    return frozenset(" ".join(k.split()[:2]) for k in keys if len(k.split()) > 1)


@cache
def longest_first(key: str) -> tuple[str, ...]:
    """The lexicon's ``key`` list (or mapping's keys), longest first: the longest match wins."""
    return tuple(sorted(lexicon()[key], key=len, reverse=True))


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _modern_tone(word: str) -> str:
    """'uỷ' -> 'ủy': the placement the issue's examples use for official names."""
    return regex.sub(r"(?i)u[ỷ]", lambda m: "Ủy" if m.group()[0] == "U" else "ủy", word)


def respelt(words: str, spelt: str) -> bool:
    """A word whose own marks make it another word than ``spelt``, which its letters fold to ('SỐ' is no
    'Sở', 'VIÊN' no 'Viện'); a word without marks may be either, an abbreviation ('HĐND') is none."""
    low = words.lower()
    return " " not in spelt and low != fold_lower(low) and tone_key(low) != tone_key(spelt.lower())


def vien_chuc(text: str) -> bool:
    """Text that opens with 'viên chức' (civil servants), which no 'Viện' heads ('VIÊN CHỨC NĂM 2024')."""
    return regex.findall(r"\w+", fold_lower(text))[:2] == ["vien", "chuc"]


def _is_acronym(word: str) -> bool:
    if regex.fullmatch(r"[IVX]+", word):
        return True  # a Roman numeral ('KHU VỰC I', 'KHÓA XV'): no Vietnamese word is a lone I, V or X
    if regex.fullmatch(r"\p{Lu}{3,}-\d+", word):
        return True  # a code name: 'COVID-19'
    letters = fold_lower(regex.sub(r"[^\p{L}]", "", word))
    return len(letters) >= 2 and not regex.search(r"[aeiouy]", letters)


def respell_head(name: str) -> str:
    """A name's head word as the lexicon spells it, OCR's damage to it undone: left in capitals ('BỘ Công
    Thương', restoration's reading of 'Bộ'), its marks lost or changed ('Sổ Nội vụ', 'Uy ban nhân dân').
    A name all in capitals stays as printed."""
    if name.isupper():
        return name
    head, sep, rest = name.partition(" ")
    # a body's head before its name, or a title's first word ('BỘ trưởng Bộ Công Thương')
    title = fold_lower(f"{head} {rest.partition(' ')[0]}") in lexicon()["titles"]
    # an abbreviation's capitals stay ('BCH BĐBP tỉnh', Ban Chỉ huy, sets 90, 108, 146)
    if len(head) > 1 and head.isupper() and not _is_acronym(head) and (
        (rest[:1].isupper() and fold_lower(head) in lexicon()["org_heads"]) or (rest[:1].islower() and title)
    ):
        name = f"{head[0]}{head[1:].lower()}{sep}{rest}"
    folded = fold_lower(name)
    for key in longest_first("phrases"):
        spelt, after = lexicon()["phrases"][key], name[len(key) + 1 :]
        printed = name[: len(key)]
        if spelt[:1].isupper() and fold_lower(spelt) == key and folded.startswith(f"{key} ") and (
            " " in key or after[:1].isupper()
        ) and (printed.lower() != spelt.lower() or printed.isupper()):  # marks mended; a printed case is kept
            return f"{spelt} {after}"

    return name


_COMPANY_RE = regex.compile(r"(?:tong )?cong ty |tap doan |hop tac xa (?!viet nam)|cang vu ")
_REGIONS = frozenset({"bac bo", "trung bo", "nam bo", "bac trung bo", "nam trung bo", "dong nam bo", "tay nguyen",
                      "tay bac", "dong bac", "viet bac"})  # fmt: skip
# a Party or Youth Union committee, named by its place ('TỈNH ỦY NGHỆ AN', 'TỈNH ĐOÀN TIỀN GIANG')
_COMMITTEES = ("tinh uy", "thanh uy", "huyen uy", "quan uy", "thi uy", "tinh doan", "thanh doan", "huyen doan")
# A body's kind, its name after it: a school's level ('TRƯỜNG TIỂU HỌC KIM ĐỒNG' -> 'Trường Tiểu học Kim
# Đồng'), a cooperative's trade ('HỢP TÁC XÃ NÔNG NGHIỆP TÂN QUỚI'), a national park's or border post's
# place ('VƯỜN QUỐC GIA CÚC PHƯƠNG', 'ĐỒN BIÊN PHÒNG SI MA CAI', 'KKT DUNG QUẤT').
_NAMED_KINDS = (
    "mam non", "tieu hoc", "trung hoc co so", "trung hoc pho thong", "hop tac xa nong nghiep", "vuon quoc gia",
    "don bien phong", "kkt", "khu kinh te", "thcs", "thpt", "th & thcs", "ptdtbt", "ptdtnt", "gd&dt", "rung phong ho",
    "rung dac dung", "ban quan ly cho", "quy tin dung nhan dan", "cang hang khong quoc te",
    "cua khau quoc te", "cua khau", "toa giam muc", "ban tri su chua", "ban quan ly di tich", "le hoi", "dong chi",
    "mat tran", "khu kinh te mo", "kho bac nha nuoc", "kbnn",
)  # fmt: skip
# A body's grassroots level, its place after it ('BẢO HIỂM XÃ HỘI CƠ SỞ CAI LẬY', 'THUẾ CƠ SỞ 3').
_LEVELS = ("co so",)
_SCHOOL_KINDS = ("dai hoc", "cao dang", "trung hoc", "trung cap", "tieu hoc", "mam non", "pho thong", "thpt", "thcs",
                 "ptdt", "chinh tri", "si quan", "hoc vien")
# Unit words as the law spells them, whatever marks OCR gave them ('TĨNH ĐỒNG THÁP' -> 'tỉnh Đồng Tháp').
_UNIT_SPELLING = {fold_lower(kind): kind for kind in (*KINDS, "ấp", "thôn", "khóm", "tổ dân phố")}
_UNIT_LAST_WORDS = frozenset(kind.split()[-1] for kind in _UNIT_SPELLING)  # 'tinh', 'pho' (thành phố), 'xa' …
# A unit word legacy OCR and restoration made another word of: 'DAC KHU' restored 'BẮC KHU' (the corpus predates
# the special zones of 2025); no header names a body 'Bắc khu'.
_UNIT_MISREADS = {"bac khu": "dac khu"}
_MARK_TOLERANT = ("tỉnh", "huyện", "thành phố", "thị xã", "thị trấn")
# Units a city numbers and names by their word and number ('Quận 3', 'Phường 12'); a village's 'thôn 4' keeps its
# word in lower case.
NAMED_BY_NUMBER = ("quận", "phường")


def _unit_word(word: str, mode: str) -> bool:
    """A unit word as printed ('quận', not 'QUÂN SỰ' or 'QUẢN LÝ'; 'phường', not 'ĐỊA PHƯƠNG'); one of those
    OCR gives a wrong mark to ('TĨNH ĐỒNG THÁP') only where no place name runs ('HÀ TĨNH')."""
    folded = fold_lower(word)
    if folded in _UNIT_MISREADS:
        return True
    spelt = _UNIT_SPELLING.get(folded)
    toneless = lambda s: regex.sub(r"\d", "", tone_key(s))  # noqa: E731
    tolerant = mode not in ("place", "named") and spelt in _MARK_TOLERANT
    return word == spelt or (tolerant and toneless(word) == toneless(spelt))


@lru_cache(maxsize=1)
def department_names() -> tuple[str, ...]:
    """The specialised departments (sở) of a province's committee as the law names them."""
    return tuple(json.loads((DATA_DIR / "departments.json").read_text(encoding="utf-8"))["names"])


@cache
def mixed_case_names() -> dict[str, str]:
    """Words of the gazetteer's names written with a capital inside, accent-folded -> as written: Tây Nguyên's
    'KBang', 'KRông', 'EaTrol', 'ĐLiê' ('HUYỆN ỦY KBANG' is 'Huyện ủy KBang', set 164)."""
    from pipeline.gazetteer import get_gazetteer

    spellings: dict[str, Counter[str]] = {}
    for unit in get_gazetteer().units:
        for w in unit.name.split():
            spellings.setdefault(fold_lower(w), Counter())[w] += 1
    # the word's commonest spelling, where it is one ('Krông Pa' beside one 'KRông'; 'KBang' three times, 'Kbang' once)
    out = {}
    for key, counts in spellings.items():
        (first, n), *rest = counts.most_common(2)
        if _inner_capital(first) and not (rest and rest[0][1] == n):
            out[key] = first
    return out


def _inner_capital(word: str) -> bool:
    inner = regex.search(r"\p{Lu}", word[1:]) and regex.search(r"\p{Ll}", word)
    return bool(inner) and "'" not in word and "’" not in word and "-" not in word


def _gazetteer_case(text: str) -> str:
    return regex.sub(r"[\p{L}\p{M}]+", lambda w: mixed_case_names().get(fold_lower(w.group()), w.group()), text)


def official_case(text: str) -> str:
    """Upper-case header text to the normal case of an official name.

    'ỦY BAN NHÂN DÂN PHƯỜNG KIẾN AN' -> 'Ủy ban nhân dân phường Kiến An'; mixed-case text is kept.
    """
    return _gazetteer_case(_official_case(text))


def _official_case(text: str) -> str:
    text = squash(nfc(text))
    mixed = [w for w in text.split(" ") if any(c.islower() for c in w)]
    if len(mixed) == 1 and len(text.split(" ")) >= 3 and mixed[0].istitle() and len(mixed[0]) <= 4:
        text = text.upper()  # one short word restoration wrote in its case in a line of capitals ('BAN Chỉ ĐẠO 389')
    if not is_upper_line(text):
        return _modern_tone(text)
    text = regex.sub(r"(?<=\p{Lu})\s*-\s+|\s+-\s*(?=\p{Lu})", " - ", text)  # a dash OCR glued to a word: 'RỊA- VŨNG'
    text = regex.sub(r"(?<=\p{Lu})!(?=\s|$)", "I", text)  # the English engine's 'I' ending a word: 'HỌ! ĐỒNG'
    lex = lexicon()
    phrases: dict[str, str] = lex["phrases"]
    longest = _phrase_words()[0]
    heads = set(lex["org_heads"])
    # a full stop OCR put in a name ('VIỆT NAM. TỈNH'), an underscore after a word ('CHI CỤC_ THUẾ')
    words = [w.strip("_").rstrip(".") or w for w in text.split(" ")]
    if len(words) > 1 and fold_lower(" ".join(words[:2])) not in _phrase_starts():
        # its first letter lost at the block's edge: 'AN CHẤP HÀNH', 'RUNG TÂM KHUYẾN NÔNG'; one way to read it
        lost = [c for c in "BTCĐSHPLV" if fold_lower(f"{c}{words[0]} {words[1]}") in _phrase_starts()]
        if not lost and words[0].isupper() and len(words[0]) <= 3 and not is_syllable(words[0].lower()) and (
            fold_lower(words[0]) not in phrases
        ):
            lost = [c for c in "BTCĐSHPLV" if fold_lower(f"{c}{words[0]}") in phrases]  # 'CH HỘI …' of 'BCH'
        if len(lost) == 1 and is_upper_line(" ".join(words[:2])):
            words[0] = f"{lost[0]}{words[0]}"
    words = [_acronym_misread(w, phrases) for w in words]
    out: list[str] = []
    i = 0
    mode = "start"  # start | after_head | named | plain | place | after_conj
    # where the body's head ends: a name after it that starts in lower case goes on in lower case after 'và', ','
    # or '-' ('Ban Chỉ đạo sắp xếp đơn vị hành chính và tổ chức …', 'Hội đồng bồi thường, hỗ trợ và tái định cư'; not
    # 'Sở Khoa học và Công nghệ', 'Trung tâm Công nghệ thông tin và Truyền thông')
    head_end, last, lowered = 0, mode, False
    while i < len(words):
        if mode != last and mode == "after_conj":
            lowered = head_end < len(out) and out[head_end][:1].islower()
        last = mode
        # longest fixed phrase first
        for n in range(longest, 0, -1):  # 'VIỆN KIỂM SÁT NHÂN DÂN', 'PHÒNG, CHỐNG THIÊN TAI VÀ TÌM KIẾM CỨU NẠN'
            key = fold_lower(" ".join(words[i : i + n]))
            if (marked := nfc(" ".join(words[i : i + n])).lower()) in phrases:
                key = marked  # a name its marks tell from another's: 'HỘI ĐÔNG Y' (traditional medicine), no 'Hội đồng'
            if n > 1 and key not in phrases:  # a letter read twice or thrice: 'ĐÁẢNG ỦY', 'ĐẢẲẢNG ỦY' are 'Đảng ủy'
                key = regex.sub(r"(\p{L})\1+", r"\1", key)
            if n > 1 and key not in phrases:  # a comma OCR put between its words ('UY, BAN NHÂN DÂN'), 'Ọ' read
                key = regex.sub(r"(?<=\p{L})q(?!u)", "o", regex.sub(r",(?= )", "", key))  # 'Q' ('TIỂU HQC')
            # an abbreviation before a comma ('ĐOÀN ĐBQH, HĐND VÀ UBND'): spelt out, the comma kept after it
            listed = n == 1 and key.endswith(",") and key[:-1] in phrases and words[i].rstrip(",").isupper()
            key = key[:-1] if listed else key
            numbered = key == "so" and i + 1 < len(words) and words[i + 1].isdigit()  # 'SỐ 3' is no 'Sở'
            # a word OCR may have given a wrong mark is mended where a body's name starts ('SỐ Y TẾ', '… TỈNH X
            # SỐ Y TẾ', 'BAN CHẤP HÀNH ĐOẠN'), not inside one ('XỔ SỐ KIẾN THIẾT', 'CHUYỂN ĐỔI SỐ'), nor in 'VIÊN
            # CHỨC' even after a head ('CÔNG ĐOÀN VIÊN CHỨC')
            remarked = (
                n == 1
                and (mode not in ("start", "place", "after_head") or vien_chuc(" ".join(words[i : i + 2])))
                and respelt(words[i], phrases.get(key, ""))
            )
            if i + n <= len(words) and key in phrases and not numbered and not remarked:
                chunk = phrases[key].split(" ")
                if mode == "after_conj" and not lowered:  # 'Thương binh và Xã hội'
                    chunk[0] = _cap(chunk[0])
                elif mode == "after_conj" and n == 1 and _is_acronym(key) and not any(
                    fold_lower(" ".join(chunk[:k])) in heads for k in (1, 2, 3)  # a body's: 'và HĐND'
                ):
                    # an abbreviation spelt out goes on as the name does: '… các công trình nông nghiệp và PTNT'
                    chunk[0] = chunk[0].lower()  # is '… nông nghiệp và phát triển nông thôn' (set 208)
                chunk[-1] += "," if listed else ""
                out.extend(chunk)
                i += n
                # a Party committee is named by its place ('TỈNH ỦY NGHỆ AN' -> 'Tỉnh ủy Nghệ An')
                # a body under the centre heads its own name ('TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ' -> '… Hội Chữ thập đỏ')
                # '… một thành viên Khai thác …', 'Công ty cổ phần Du lịch …'
                headed = key in heads or key in ("trung uong", "mot thanh vien", "mtv", "co phan", "cong doan")
                headed = headed and key != "hoi dong"  # a council's name goes on in lower case ('Hội đồng thành viên')
                # a named kind's name starts after it: no body's word there to mend ('VƯỜN QUỐC GIA CÚC PHƯƠNG')
                by_name = key in (*_COMMITTEES, *_NAMED_KINDS)
                placed = by_name or (key in _LEVELS and len(out) > len(chunk))
                mode = "named" if by_name else "place" if placed else "after_head" if headed else "plain"
                mode = "after_conj" if listed else mode
                if headed or (chunk[0][:1].isupper() and any(" ".join(key.split(" ")[:k]) in heads for k in (1, 2, 3))):
                    head_end = len(out)  # 'Ban Chỉ đạo', 'Ban Quản lý dự án', 'Hội đồng', 'Công ty cổ phần'
                break
        else:
            w = words[i]
            low = w.lower()
            key3 = fold_lower(" ".join(words[i : i + 3]))
            key2 = fold_lower(" ".join(words[i : i + 2]))
            key1 = fold_lower(w)
            key2 = _UNIT_MISREADS.get(key2, key2)
            n = 3 if key3 in _UNIT_SPELLING else 2 if key2 in _UNIT_SPELLING else 1 if key1 in _UNIT_SPELLING else 0
            provinces = unit_names(("province",))
            named = 3 if key3 in provinces else 2 if key2 in provinces else 0
            if mode == "after_head" and named and i > 0 and fold_lower(words[i - 1]) == "nhanh":
                out.extend(_cap(x.lower()) for x in words[i : i + named])  # 'CHI NHÁNH TÂY NINH' -> '… Tây Ninh'
                i += named
                mode = "place"
                continue
            if mode != "after_conj" and n and _unit_word(" ".join(words[i : i + n]).lower(), mode):
                unit = _UNIT_SPELLING.get((key1, key2, key3)[n - 1], " ".join(words[i : i + n]).lower())
                numbered = i + n < len(words) and words[i + n].isdigit()  # 'QUẬN 3', 'PHƯỜNG 12': the number's name
                out.append(_cap(unit) if numbered and unit in NAMED_BY_NUMBER else unit)
                i += n
                mode = "place"
                if i + 1 < len(words) and fold_lower(words[i]) == "so" and words[i + 1].isdigit():
                    out.append("số")  # 'TỔ DÂN PHỐ SỐ 5', 'THÔN SỐ 5': no name, a number
                    i += 1
                continue
            # a school is a body's name wherever it stands ('CĐCS TRƯỜNG THPT …', 'ĐIỂM THI TRƯỜNG THPT …')
            schooled = key1 == "truong" and fold_lower(" ".join(words[i + 1 : i + 3])).startswith(_SCHOOL_KINDS)
            if (mode in ("start", "after_head") or schooled) and (key3 in heads or key2 in heads or key1 in heads):
                # a head after a head names the body it heads ('BCH HỘI NÔNG DÂN' -> 'Ban Chấp hành Hội Nông dân')
                # the shortest head: 'Chi cục' of 'CHI CỤC THUẾ …' (its name follows), 'Tổng công ty' whole
                n = 1 if key1 in heads else 2 if key2 in heads else 3
                chunk = [x.lower() for x in words[i : i + n]]
                chunk[0] = _cap(chunk[0])
                if mode == "start" and n == 1 and key1 == "vu":
                    chunk[0] = "Vụ"  # a ministry's department, whatever marks restoration gave ('VŨ NGÂN SÁCH …')
                out.extend(chunk)
                head_end = len(out)
                i += n
                mode = "after_head"
                continue
            if low == "và":  # never a name's word: 'Đoàn ĐBQH và HĐND', 'Khoa học và Công nghệ'
                out.append(low)
                # right after a named kind its kind goes on, no name: 'Ban Quản lý di tích và danh lam thắng cảnh'
                mode = "plain" if mode == "named" else "after_conj"
                i += 1
                continue
            if mode in ("place", "named") and low not in ("–", "-"):
                # a year, a time or a term is no word of the name: 'Lễ hội Tây Thiên năm 2023', '… lần thứ IV, năm 2024'
                after = fold_lower(words[i + 1]).strip(",") if i + 1 < len(words) else ""
                counted = after[:1].isdigit() or after == "thu" or regex.fullmatch(r"[ivx]+", after) is not None
                dated = low.strip(",") in ("năm", "lần", "thứ") and counted
                roman = regex.fullmatch(r"[IVX]+,?", w) is not None
                out.append(w if roman else low if dated else _cap(low))
                mode = "place"
                i += 1
                continue
            if _is_acronym(w) and not regex.fullmatch(r"[–\-&,]", w):
                out.append(w)
                # a company's form heads its trade ('Công ty TNHH Cơ khí chính xác …'); other capitals name a place
                mode = "after_head" if mode == "start" or key1 in ("tnhh", "mtv") else "place"
                head_end = len(out) if mode == "after_head" else head_end
            elif mode in ("after_head", "after_conj") and low == "các":  # 'Ban Quản lý các khu công nghiệp'
                out.append(low)
                mode = "plain"
            elif mode in ("start", "after_head", "after_conj", "place", "named") or key1 in lex.get("proper", []):
                out.append(low if mode == "after_conj" and lowered else _cap(low))
                mode = "place" if mode in ("place", "named") else "plain"
                if low.endswith(","):
                    mode = "after_conj"
            elif low in ("–", "-"):
                out.append(low)
                mode = "after_conj"
            else:
                out.append(low)
                if low.endswith(","):  # 'Sở Văn hóa, Thể thao và Du lịch'
                    mode = "after_conj"
            i += 1
    if out:
        out[0] = _cap(out[0])
    # a province named without its unit word ('SỞ Y TẾ PHÚ THỌ'): its words are a name's; a school or a power
    # company's district branch named by its town ('TRƯỜNG ĐẠI HỌC QUY NHƠN', 'ĐÀ LẠT', 'ĐIỆN LỰC CHỢ ĐỒN') too
    for n in (5, 3, 2, 1):  # 'Bà Rịa - Vũng Tàu': five
        tail = " ".join(fold_lower(w) for w in out[-n:])
        schooled = fold_lower(" ".join(out[-n - 2 : -n])) in ("dai hoc", "cao dang", "hoc vien", "dien luc")
        # a company's name ends in its own, often a place's ('… Thủy sản Đông Hải', '… Năng lượng tái tạo Nam
        # Trung Bộ')
        company = n > 1 and _COMPANY_RE.match(fold_lower(" ".join(out))) and (tail in unit_names() or tail in _REGIONS)
        if len(out) > n and any(w[:1].islower() for w in out[-n:]) and (
            tail in province_names() or (schooled and tail in town_names()) or company
        ):
            out[-n:] = [_cap(w) for w in out[-n:]]
            break
    # a foreign name's words, no Vietnamese syllable, are a proper name's ('Công ty TNHH Shinwoo Electronics Vina')
    out = [_cap(w) if len(w) > 2 and w.isascii() and w.isalpha() and w.islower() and not is_syllable(w) else w
           for w in out]  # fmt: skip
    _name_after_trade(out)
    _region_named(out)
    return _modern_tone(" ".join(out))


def _acronym_misread(word: str, phrases: dict[str, str]) -> str:
    """An abbreviation whose 'Đ' the English engine read as 'B' or 'P' ('BBQH' for 'ĐBQH'): the one way to
    read it that the casing table knows; an abbreviation it knows, or one read two ways, stays."""
    if not (word.isupper() and _is_acronym(word)) or fold_lower(word) in phrases:
        return word
    read = {f"{word[:k]}Đ{word[k + 1 :]}" for k, c in enumerate(word) if c in "BP"}
    known = [w for w in read if fold_lower(w) in phrases]
    return known[0] if len(known) == 1 else word


def _region_named(out: list[str]) -> None:
    """A body of a region named by its towns: 'TRUNG TÂM Y TẾ KHU VỰC HƯƠNG KHÊ', 'CHI CỤC THUẾ KHU VỰC LA GI - HÀM
    TÂN'; only where each is a unit's name ('khu vực phát triển đô thị' stays as it is)."""
    folded = [fold_lower(w) for w in out]
    at = next((i + 2 for i in range(len(out) - 2) if folded[i : i + 2] == ["khu", "vuc"]), None)
    parts = " ".join(folded[at:]).split(" - ") if at else []
    # a hospital or a health centre of a region is named by it, a name the 2025 map may lack ('… khu vực Triệu Hải')
    medical = folded[:2] == ["benh", "vien"] or folded[:4] == ["trung", "tam", "y", "te"]
    if parts and (all(part in unit_names() for part in parts) or (medical and len(out) - at in (2, 3))):
        out[at:] = [_cap(w) for w in out[at:]]


NAME_CAP_LP = -0.2  # log10 P(capitalised mid-sentence): 'phước' -0.03, 'đà' -0.16; 'lâm' (nghiệp) -0.26, 'su' -0.35


def _name_after_trade(out: list[str]) -> None:
    """A company's own name after its trade, in capitals though no gazetteer holds it ('… Thủy sản Phước Hậu',
    '… Xây dựng Đà Giang'): it starts at a word the corpus writes capitalised mid-sentence, which no word of a
    trade is ('Cơ khí chính xác', 'Nông lâm nghiệp')."""
    from pipeline.restore.model import get_model

    folded = [fold_lower(w) for w in out]
    heads = [i for i in range(1, len(out)) if folded[i - 1 : i + 1] == ["cong", "ty"]]
    # a cooperative's trade in lower case before its name ('Hợp tác xã gốm Nhơn Phú', '… nông nghiệp Hòa Ân')
    cooperative = [2] if folded[:3] == ["hop", "tac", "xa"] else []  # not 'Liên minh Hợp tác xã Việt Nam'
    after = out[cooperative[0] + 1 :] if cooperative else []
    if not heads and (not cooperative or any(a[:1].islower() and b[:1].isupper() for a, b in pairwise(after))):
        return  # no cooperative, or its name already read ('… nông nghiệp Hòa Ân' after a kind named by it)
    model = get_model()
    start = (heads or cooperative)[0] + 1
    # a unit's name at the end is the name, though its first word is a common one ('… nông nghiệp Đông Thọ')
    placed = next((len(out) - n for n in (3, 2) if len(out) - n > start and " ".join(folded[-n:]) in unit_names()),
                  None)  # fmt: skip
    # a power plant's name after 'Thủy điện', a river's too ('… Thủy điện Sông Ba Hạ')
    plant = next((i + 2 for i in range(start, len(out) - 2) if folded[i : i + 2] == ["thuy", "dien"]), None)
    placed = min((at for at in (placed, plant) if at is not None), default=None)
    for j in range(start, len(out)):
        if not all(w.isalpha() and w != "và" for w in out[j:]):
            continue  # the name comes after the trades ('Thủy điện và Xây lắp Đà Giang')
        sid = model.syllable_id(out[j].lower())
        common = sid is None or model.cap_list is None or model.cap_list[sid] <= NAME_CAP_LP
        if (j == placed or not common) and (out[j].islower() or (not heads and j > start)):
            out[j:] = [_cap(w) for w in out[j:]]
            if not heads:
                out[start:j] = [w.lower() for w in out[start:j]]
            return


@cache
def _folded_names(levels: tuple[str, ...]) -> tuple[str, ...]:
    """Names of the units of ``levels``, both maps, accent-folded and sorted ('phu tho', 'ba ria vung tau')."""
    from pipeline.gazetteer import get_gazetteer

    return tuple(sorted({fold_lower(u.name) for u in get_gazetteer().units if u.level in levels}))


@cache
def unit_names(levels: tuple[str, ...] = ("province", "district", "commune")) -> frozenset[str]:
    """Names of the units of ``levels`` (every level by default), both maps, accent-folded: for lookups."""
    return frozenset(_folded_names(levels))


def province_names() -> tuple[str, ...]:
    """Names of provinces, both maps, accent-folded and sorted."""
    return _folded_names(("province",))


def town_names() -> tuple[str, ...]:
    """Names of provinces and districts (towns, cities), both maps, accent-folded and sorted."""
    return _folded_names(("province", "district"))


def known_title(text: str) -> str | None:
    """A title of the table read with a letter or two wrong ('Giảm boc' -> 'Giám đốc') or with a speck
    word of the seal after it ('Thứ trưởng dev')."""
    titles: dict[str, str] = lexicon()["titles"]
    words = fold_lower(regex.sub(r"[^\p{L}\s,]", " ", text)).split()
    unit = words[-1] if words and words[-1] in _UNIT_LAST_WORDS else None  # 'xã', 'phường', 'trấn' of 'thị trấn' …
    for cut in (0, 1):
        if cut and (len(words) < 3 or len(words[-1]) > 4 or unit):
            break
        key = " ".join(words[: len(words) - cut])
        if key in titles:
            return titles[key]
        # OCR changes letters, not how many words there are ('Phó Chi cục trưởng' is no 'Phó Cục trưởng'),
        # unless it cut off the first ('pô' / 'BÍ THƯ THƯỜNG TRỰC', only the title 'Phó Bí thư Thường trực')
        same = [t for t in titles if t.count(" ") == key.count(" ") or t.endswith(f" {key}")]
        if unit:  # nor the unit a title names ('… Công an huyện', no 'phường')
            same = [t for t in same if t.rpartition(" ")[2] == unit]
        if best := process.extractOne(key, same, scorer=fuzz.ratio, score_cutoff=85):
            return titles[best[0]]
    return None


def title_case(text: str) -> str:
    """'PHÓ CHỦ TỊCH' -> 'Phó Chủ tịch', 'KT. CHỦ TỊCH' -> 'KT. Chủ tịch'."""
    text = squash(nfc(text))
    titles: dict[str, str] = lexicon()["titles"]
    if fold_lower(text) not in titles and (known := known_title(text)):
        return known
    key = fold_lower(text)
    if key in titles:
        return titles[key]
    if not is_upper_line(text):
        return text
    parts = []
    for part in text.split(", "):  # 'BỘ TRƯỞNG, CHỦ NHIỆM' -> 'Bộ trưởng, Chủ nhiệm'
        key = fold_lower(part)
        if key in titles:
            parts.append(titles[key])
            continue
        # two titles of one man ('PHÓ CHỈ HUY TRƯỞNG - THAM MƯU TRƯỞNG'), not a body's name ('SỞ LAO ĐỘNG - THƯƠNG …')
        if len(halves := key.split(" - ")) > 1 and all(h in titles for h in halves):
            parts.append(" - ".join(titles[h] for h in halves))
            continue
        if named := _title_of_body(part):  # 'GIÁM ĐỐC SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG'
            parts.append(named)
            continue
        words = part.lower().split(" ")
        words[0] = _cap(words[0])
        if len(words) > 1 and fold_lower(words[0]) in ("pho", "quyen"):
            words[1] = _cap(words[1])
        parts.append(" ".join(words))
    return _modern_tone(", ".join(parts))


def _title_of_body(part: str) -> str | None:
    """A title followed by the body it heads, in capitals: the title as the table spells it, the body as
    an official name ('Giám đốc Sở Nông nghiệp và Môi trường', was 'Giám đốc sở nông nghiệp và …')."""
    titles: dict[str, str] = lexicon()["titles"]
    key = fold_lower(part)
    title = next((t for t in longest_first("titles") if key.startswith(f"{t} ")), None)
    if title is None:
        return None
    # a title that ends in the body's head word ('giam doc so') gives it back to the body
    head = next((h for h in lexicon()["org_heads"] if title.endswith(f" {h}") and title[: -len(h) - 1] in titles), None)
    if head:
        title = title[: -len(head) - 1]
    return f"{titles[title]} {official_case(part[len(title) + 1 :])}"


def name_case(text: str) -> str:
    """'NGUYỄN TÙNG LÂM' -> 'Nguyễn Tùng Lâm'; an abbreviation stays ('TP. HCM', not 'Tp. Hcm')."""
    text = squash(nfc(text))
    if not is_upper_line(text):
        return text
    return _gazetteer_case(" ".join(w if _is_acronym(w) else _cap(w.lower()) for w in text.split(" ")))


def majority_spelling(text: str, phrase: str) -> str:
    """The spelling of ``phrase`` the document uses most, ignoring case and accents.

    A proper name read wrongly once (restoration turning 'KIẾN AN' into 'KIẾN ẨN') is outvoted
    by its other occurrences.
    """
    key = fold_lower(phrase)
    folded = fold_lower(text)
    if not key.strip() or len(folded) != len(text):
        return phrase
    votes: dict[str, float] = {}
    for m in regex.finditer(rf"(?<!\w){regex.escape(key)}(?!\w)", folded):
        raw = nfc(text[m.start() : m.end()])
        seen = raw.lower()
        # capitals lose accents to OCR more often, so a mixed-case reading wins a tie
        votes[seen] = votes.get(seen, 0) + (1.0 if raw.isupper() else 1.01)
    if not votes:
        return phrase
    best = max(votes.items(), key=lambda kv: kv[1])
    if best[0] == phrase.lower() or votes.get(phrase.lower(), 0) > best[1]:
        return phrase
    # keep the phrase's own capitalisation, word by word
    words, better = phrase.split(" "), best[0].split(" ")
    if len(words) != len(better):
        return phrase
    pairs = zip(words, better, strict=True)
    return " ".join(w if w.lower() == b else (_cap(b) if w[:1].isupper() else b) for w, b in pairs)


def respell_tail(text: str, value: str) -> str:
    """Apply ``majority_spelling`` to the proper-name tail of an official name ('… phường Kiến An')."""
    words = value.split(" ")
    n = len(words)
    while n > 0 and words[n - 1][:1].isupper():
        n -= 1
    if n == len(words) or n == 0:
        return value
    if " ".join(words[n:]) in _phrase_words()[1]:
        return value  # the casing table's spelling ('Cục Quản lý Dược'), not the text's 'được'
    tail = majority_spelling(text, " ".join(words[n:]))
    return " ".join([*words[:n], tail])


def one_letter_apart(a: str, b: str) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) == 1


def nearest_spelling(text: str, phrase: str, min_votes: int = 2) -> str:
    """A proper name one misread letter away (or one lost or added) from a spelling the document repeats
    takes that spelling.

    OCR or restoration may misread one letter of a name printed once in the header ('HẢI PHÒNG' read
    as 'Hỏi Phòng'); when the same words with that one letter different appear capitalised at least
    ``min_votes`` times elsewhere and more often than the phrase itself, they are the reading to trust.
    Accent-only differences are left to ``majority_spelling``.
    """
    words = phrase.split(" ")
    key = fold_lower(phrase)
    if len(regex.sub(r"\W", "", key)) < 5 or not all(w[:1].isupper() for w in words):
        return phrase
    name_re = regex.compile(r"(?<!\w)" + r"\s+".join([r"\p{Lu}[\p{L}\p{M}]*"] * len(words)) + r"(?!\w)")
    own = 0
    votes: dict[str, int] = {}
    for m in name_re.finditer(text, overlapped=True):
        seen = squash(nfc(m.group()))
        f = fold_lower(seen)
        if f == key:
            own += 1
        elif Levenshtein.distance(f, key) == 1:  # a letter misread, lost or added ('Bắc An' for 'Bắc Kạn')
            before = regex.search(r"(\p{L}+)[^\S\n]+$", text[max(0, m.start() - 16) : m.start()])
            if before and before.group(1)[:1].isupper() and fold_lower(before.group(1)) not in _UNIT_LAST_WORDS:
                continue  # the tail of a longer name ('Nam Ninh' of 'HÀ NAM NINH' is no vote for 'Nam Định')
            spelled = name_case(seen) if is_upper_line(seen) else seen
            votes[spelled] = votes.get(spelled, 0) + 1
    if not votes:
        return phrase
    best, n = max(votes.items(), key=lambda kv: kv[1])
    if n < min_votes or n <= own:
        return phrase
    return majority_spelling(text, best)


def place_names(text: str, same_line: bool = False) -> set[str]:
    """Folded names that follow an administrative unit word ('thành phố Hải Phòng' -> 'hai phong'); on
    its line only where ``same_line`` (a title's unit word ends its line: 'PHÓ TRƯỞNG THUẾ TỈNH')."""
    units = "|".join(
        r"\s+".join(map(regex.escape, u.split())) for u in sorted(_UNIT_SPELLING, key=len, reverse=True)
    )
    folded = fold_lower(text)
    if len(folded) != len(text):
        return set()
    out = set()
    for m in regex.finditer(rf"(?<!\w)(?:{units})" + (r"[^\S\n]+" if same_line else r"\s+"), folded):
        run: list[str] = []
        for w in regex.finditer(r"\S+", text[m.end() : m.end() + 40].split("\n", 1)[0]):
            word = w.group().rstrip(".,;:)")
            if not regex.fullmatch(r"\p{Lu}[\p{L}\p{M}]*", word):
                break
            run.append(fold_lower(word))
            if word != w.group():
                break
        if len(run) >= 2:
            out.add(" ".join(run[:2]))
            out.add(" ".join(run))
    return out


def looks_like_place(text: str, name: str) -> bool:
    """A 'name' that is (up to one misread letter) a place named in the document: the round seal
    stamped over the signature carries the issuer's place, and OCR may read it as the last line."""
    key = fold_lower(squash(name))
    return any(p == key or one_letter_apart(p, key) for p in place_names(text, same_line=True))


def fold_same_length(text: str) -> str | None:
    f = fold_lower(text)
    return f if len(f) == len(text) else None


def strip_motto(text: str, start: int, end: int) -> tuple[int, int]:
    """Cut the national motto off a header line it was printed beside."""
    f = fold_same_length(text[start:end])
    if f is None:
        return start, end
    cut = min(
        (i for i in (f.find(m) for m in ("cong hoa xa hoi", "doc lap - tu do", "doc lap", "dang cong san")) if i >= 0),
        default=-1,
    )
    if cut < 0 and (youth := f.find(" doan tncs ho chi minh")) > 0:
        cut = youth + 1  # the Youth Union's motto printed beside its committee's name, the columns run together
    if cut < 0 and (glued := f.find("ong hoa xa hoi chu nghia")) > 0:
        cut = glued  # OCR ran the columns together and lost a letter: 'THƯƠNG BINHỘNG HÒA XÃ HỘI …
    elif cut < 0 and (lost := f.find(" hoa xa hoi chu nghia")) > 0:
        cut = f.rfind(" ", 0, lost) + 1  # … or misread 'CỘNG' whole: 'HỘI CHỮ THẬP ĐỎ VIỆT TM HÒA XÃ HỘI …'
    if cut == 0:
        return start, start
    if cut > 0:
        end = start + cut
        while end > start and text[end - 1].isspace():
            end -= 1
    return start, end


def is_motto(piece: str) -> bool:
    f = fold_lower(piece).strip(" -_*")
    if f.startswith("dang cong san") and not piece.strip(" -_*")[:13].isupper():
        return False  # the Party's name in a sentence ('… Ngày thành lập' / 'Đảng Cộng sản Việt Nam và …'), no title
    return any(f.startswith(m) for m in MOTTO) or "tu do - hanh phuc" in f or "tu do hanh phuc" in f


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

    def joined(a: int, b: int) -> bool:  # only spaces / a line break between words a and b, no paragraph's end
        return not regex.search(r"[^\s]|\n[^\S\n]*\n", text[words[a].end() : words[b].start()])

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


# Function words that end a name found by its initials ("Sở Công Thương tại Tờ trình …"), and the verb
# 'ban hành' ('Bộ Y tế ban hành Kế hoạch …', set 182).
_NAME_BREAKS = {
    "tai", "ve", "cua", "co", "theo", "va", "voi", "cho", "de", "da", "den", "trong", "ngay", "so",
    "la", "duoc", "thuoc", "o", "nhu", "sau", "khi", "tu", "nhung", "hanh",
}  # fmt: skip
