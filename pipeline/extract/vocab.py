"""The vocabulary the extractors share: pattern files (cue phrases, document types) and ký hiệu parsing."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import regex
from spacy.language import Language

from pipeline.citation import D_ABBREVIATIONS, reference_family
from pipeline.encodings import is_syllable
from pipeline.vietnamese import fold_lower

PATTERN_DIR = Path(__file__).parent / "patterns"
PATTERN_FILES = ("cues.jsonl", "doc_types.jsonl", "positions.jsonl")


def read_patterns(names: tuple[str, ...] = PATTERN_FILES) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in names:
        for line in (PATTERN_DIR / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def token_patterns(nlp: Language, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Phrase patterns -> token patterns on NORM that allow any whitespace (line breaks) between words,
    and one speck of punctuation OCR put between two words ('văn: bản số', 'Nơi .nhận')."""
    out = []
    for row in rows:
        toks = [t.norm_ for t in nlp.make_doc(row["pattern"]) if not t.is_space]
        pattern: list[dict[str, Any]] = []
        for i, norm in enumerate(toks):
            if i:
                pattern.append({"IS_SPACE": True, "OP": "*"})
                if norm.isalnum() and toks[i - 1].isalnum():
                    pattern += [{"IS_PUNCT": True, "OP": "?"}, {"IS_SPACE": True, "OP": "*"}]
            pattern.append({"NORM": norm})
        out.append({"label": row["label"], "pattern": pattern, "id": row.get("id", row["pattern"])})
    return out


@lru_cache(maxsize=1)
def doc_type_rows() -> dict[str, dict[str, Any]]:
    """Type id -> its pattern row (name, and for named laws: default issuer)."""
    return {r["id"]: r for r in read_patterns(("doc_types.jsonl",))}


@lru_cache(maxsize=1)
def doc_type_names() -> dict[str, str]:
    """Type abbreviation ('KH') -> name ('Kế hoạch'), from the DOC_TYPE patterns."""
    return {r["id"]: r["pattern"] for r in read_patterns(("doc_types.jsonl",))}


GENERIC_TYPES = {"VB"}
# Symbol parts printed in mixed case besides the type abbreviations: 'QĐ-TTg' (Thủ tướng); the Party's
# Quy định since 2018, '11-QĐi/TW' (its Quyết định is 'QĐ/TW').
MIXED_CASE = ("TTg", "QĐi", "SNgV")  # a Sở Ngoại vụ writes its 'Ng' so
AMBIGUOUS_FIX = {"QD": "QĐ", "CD": "CĐ", "QYD": "QyĐ", "CTR": "CTr", "TTR": "TTr", "QYĐ": "QyĐ"}


# Party bodies a symbol names after its slash ('NQ/TW', 'CT/TU', 'TB/ĐU', 'HD/BTCTW').
PARTY_BODIES = frozenset({"TW", "TU", "HU", "QU", "TƯ", "ĐU", "ĐUK", "BTCTW", "BTGTW", "BDVTW", "UBKTTW", "VPTW",
                          "BTGDVTW", "ĐH"})  # fmt: skip
# Letters Tesseract reads for a capital T in a symbol ('CT/IW' for 'CT/TW').
_T_MISREAD = "I1l|J"
_T_MISREAD_RE = regex.compile(f"[{regex.escape(_T_MISREAD)}]")


def t_read(piece: str) -> str:
    """``piece`` with every letter Tesseract reads for a capital T read as one ('IIg' -> 'TTg')."""
    return _T_MISREAD_RE.sub("T", piece)


def _once(piece: str, known: frozenset[str]) -> str:
    """``piece`` with a capital OCR read twice or thrice read once ('ĐĐĐH' for 'ĐH'), or a 'T' misread
    ('IW' for 'TW'), where only that spelling is ``known``."""
    if piece in known:
        return piece
    single = regex.sub(r"(\p{Lu})\1+", r"\1", piece)
    if single in known:
        return single
    for i, c in enumerate(piece):
        if c in _T_MISREAD and (t := f"{piece[:i]}T{piece[i + 1 :]}") in known:
            return t
    # a letter OCR put between two ('TEU' for 'TU'; 'TVW': a 'W' read as two), where only one spelling is known
    wide = {f"{piece[:i]}{piece[i + 1 :]}" for i in range(1, len(piece) - 1) if piece[i : i + 2] == "VW"}
    hits = (stroke_dropped(piece) | wide) & known
    return hits.pop() if len(hits) == 1 else piece


def stroke_dropped(piece: str) -> set[str]:
    """``piece`` without one letter OCR made of a speck or a stroke between two others ('TEU' -> 'TU',
    'BITNMT' -> 'BTNMT'): the readings a code no table knows is checked against."""
    return {f"{piece[:i]}{piece[i + 1 :]}" for i in range(1, len(piece) - 1) if piece[i] in "EIJL"}


_AS_DIGIT = str.maketrans("OIl|G", "01116")
# The five tone marks as NFD writes them (a horn, a breve, a circumflex and Đ's bar are no tones)
TONE_MARK_RE = regex.compile(r"[\u0300\u0301\u0303\u0309\u0323]")


def _toneless(symbol: str) -> str:
    """``symbol`` without tone marks; a horn or a bar stays ('TƯ', 'Đ')."""
    return unicodedata.normalize("NFC", TONE_MARK_RE.sub("", unicodedata.normalize("NFD", symbol)))


# A hyphen between two codes read as an apostrophe: 'Số: 1187/SYT'NVY', '3876/STNMT'QLĐĐ' (sets 182, 97).
QUOTE_HYPHEN = r"(?<=\p{Lu}{2})['’](?=\p{Lu}{2})"


def clean_symbol(raw: str) -> tuple[str, bool]:
    """Normalise a ký hiệu read by OCR; returns (symbol, repaired)."""
    # a 'T' read as an apostrophe or a quote and a stroke ('02/2019/T'1-BNV', '98/2013/I”1-BTC', '35/CT-T'g' for 'TT',
    # 'TTg')
    raw = regex.sub(r"(?<=T)['’](?=g)", "T", regex.sub(r"['’”\"\[][1Il|]", "T", raw))  # '[I' too
    raw = regex.sub(QUOTE_HYPHEN, "-", raw)
    s = regex.sub(r"-{2,}", "-", regex.sub(r"[\s'’]+", "", raw).replace("–", "-"))  # a hyphen OCR read twice
    s = regex.sub(r"(?<=\p{Lu}):(?=\p{Lu})", "-", s)  # … or read as a colon: 'Số: 482/TCTK:DSLĐ' (set 157)
    s = regex.sub(r"^[1lI|](?=(?:19|20)\d\d/)", "", s)  # the slash before the year read twice: '47/12019/QH14'
    s = regex.sub(r"^((?:19|20)\d\d)(?=\p{Lu}{2})", r"\1/", s)  # the slash after it lost: '78/2025NĐ-CP'
    # the slash read twice before the type: '71/7NQ-CP', '1/7NQ-CP'
    if (m := regex.match(r"[17lI|](\p{Lu}\p{L}*)-", s)) and m.group(1) in doc_type_names():
        s = s[1:]
    s = regex.sub(r"(?<=/)[Il|](?=TW$)", "", s)  # the slash read twice before the Party's centre: 'KL/ITW'
    s = regex.sub(r"(?<=/)7(?=\p{L})", "", s)  # … or as a '7': 'CT/7IW', 'NQ/7TU'
    # no code of initials bears a tone: the Vietnamese engine's mark on a capital ('KH/BTCHỦ'); a word does ('THUẾ')
    s = regex.sub(r"\p{L}+", lambda w: w.group() if is_syllable(w.group().lower()) else _toneless(w.group()), s)
    year, rest = "", s
    if m := regex.match(r"((?:19|20)\d\d/)(.*)", s):
        year, rest = m.group(1), m.group(2)
    parts = []
    for n, part in enumerate(rest.split("-")):
        part = regex.sub(r"(?<=QH)[IlL|1]{2}$", "11", part)  # the 11th legislature's digits read as letters: 'QHI1'
        fixed = part
        letters = sum(c.isalpha() for c in part)
        # a digit OCR read for a letter ('UBN0'), not a unit's number after its letters ('PV01', 'TAKV1', a team's
        # 'Đ1' after the type)
        numbered = regex.search(r"\p{L}\d{2}$|KV\d$", part) or (n > 0 and regex.fullmatch(r"\p{Lu}{1,5}[1-9]", part))
        if letters >= 1 and not regex.search(r"[2-9]", part) and not numbered:
            fixed = fixed.replace("0", "O").replace("1", "I")
        fixed = fixed.replace("l", "I") if regex.search(r"\p{Lu}", fixed) else fixed
        canon = {k.upper(): k for k in (*doc_type_names(), *MIXED_CASE)}
        as_t = t_read(fixed)  # 'IIg' for 'TTg'
        if as_t != fixed and as_t in canon.values() and any(c.islower() for c in as_t):
            fixed = as_t
        head, slash, tail = fixed.partition("/")  # the English engine's 'D' for 'Đ' in a type in mixed case
        if head.upper() not in canon and (marked := head.upper().replace("D", "Đ")) in canon and (
            any(c.islower() for c in head)
        ):
            fixed = canon[marked] + slash + tail  # 'QDi/TW' for 'QĐi/TW' (set 207)
        up = fixed.upper()
        if up in canon and up != fixed and canon[up] != fixed and any(c.islower() for c in canon[up]):
            fixed = canon[up]  # QYĐ -> QyĐ, CTR -> CTr
        elif any(c.islower() for c in fixed) and up not in canon and fixed.split("/")[0] not in MIXED_CASE:
            fixed = up
        fixed = regex.sub(r"(?<=QH)[IlL|](?=\d)", "1", fixed)  # 'UBTVQHI5' -> 'UBTVQH15'
        # a police unit's number read as letters ('PVOI', 'PCOG', 'VOI' for 'PV01', 'PC06', 'V01'); 'Q' read 'O'
        # where no code has an 'O' ('OLTT' for 'QLTT', Quản lý thị trường; 'UBTWMTTOVN')
        if n and (police := regex.fullmatch(r"(P[ACEHKVX]|[ACKVX])[O0Q]([0-9OIl|G])", fixed)):
            fixed = f"{police[1]}0{police[2].translate(_AS_DIGIT)}"
        fixed = regex.sub(r"^OL(?=\p{Lu})|(?<=MTT)O", lambda q: "Q" + q.group()[1:], fixed)
        fixed = regex.sub(r"^I(\p{Lu}{2,})I$", r"\1", fixed)  # a box's sides read as 'I's: 'ITCTI' for 'TCT'
        if n and len(fixed) > 3:  # a 'B' read 'EB' or 'BEB' (vie): 'EBCH' for 'BCH', 'BEBKHCN' for 'BKHCN'
            fixed = regex.sub(r"^EB|BEB", "B", fixed)
        if year and n == 0 and regex.fullmatch(r"[UPTJ1Il|][1Il|J]{1,2}", fixed):
            fixed = "TT"  # a circular's 'TT' after its year read 'UII', 'PII' ('40/2017/UII-BTC')
        fixed = regex.sub(r"(?<=^\p{Lu}{1,3})O(?=\d+$)", "0", fixed)  # a unit's code: 'CO6' -> 'C06' (Bộ Công an)
        fixed = regex.sub(r"(?<=QH)1(?=1\d$)", "", fixed)  # the 15th legislature read 'QHI15': no 115th
        if n == 0 and fixed not in canon.values() and fixed.replace("DB", "Đ") in canon.values():
            fixed = fixed.replace("DB", "Đ")  # the bar of a type's 'Đ' read as a letter: 'CDB' for 'CĐ'
        if n == 0 and fixed not in canon.values() and fixed != "CCT":  # 'CCT': a Chi cục Thuế, no 'CT' misread
            # a type's letter read twice: 'CĐĐ' -> 'CĐ', 'QDD' -> 'QĐ'
            single = regex.sub(r"(\p{Lu})\1", r"\1", fixed)
            single = AMBIGUOUS_FIX.get(fold_lower(single).upper(), single) if single != fixed else single
            # one letter, once, where the type stands: 'BTTTT' (Bộ Thông tin và Truyền thông) is no 'BTT' (Bản
            # thỏa thuận) misread, nor is an issuer's or a unit's code after it ('GP-BTTT', 'VPF-PPL')
            if len(single) == len(fixed) - 1 and single in canon.values():
                fixed = single
            elif (runs := list(regex.finditer(r"(\p{Lu})\1+", fixed))) and [len(r.group()) for r in runs] == [3]:
                thrice = f"{fixed[: runs[0].start()]}{runs[0].group(1)}{fixed[runs[0].end() :]}"
                fixed = thrice if thrice in canon.values() else fixed  # or thrice: 'QĐĐĐ' -> 'QĐ'
        if "/" in fixed:  # a Party body after the slash, a letter read twice: 'TTr/ĐĐU' -> 'TTr/ĐU'
            head, *bodies = fixed.split("/")
            fixed = "/".join([head, *(_once(b, PARTY_BODIES) for b in bodies)])
        parts.append(_repair_d(fixed))
    if parts and len(parts) > 1:
        key = fold_lower(parts[0]).upper()
        if parts[0] not in doc_type_names() and key in AMBIGUOUS_FIX:
            parts[0] = AMBIGUOUS_FIX[key]
    out = year + "-".join(parts)
    out = regex.sub(r"(?<=^\p{Lu}{1,4}/)(?:[DĐ]B|[DPÐB])U$", "ĐU", out)  # a Party symbol's đảng ủy: 'TB/DU', 'DBU'
    out = regex.sub(r"(?<=(?:^|[-/])(?:UBTV)?)[O0]H(?=\d{1,2}$)", "QH", out)  # 'OH12': a legislature's Q read 'O'
    if unit := regex.search(r"EVN\s+(\p{Lu}{2,5})$", raw):  # an EVN unit's code keeps its space: 'QĐ-EVN SPC'
        out = regex.sub(rf"EVN{unit.group(1)}$", f"EVN {unit.group(1)}", out)
    return out, out != regex.sub(r"\s+", "", raw)


def _repair_d(part: str) -> str:
    """'HPND' -> 'HĐND', 'BGDDBT' -> 'BGDĐT' (the bar read as a letter of its own, set 252 through eng); a part that
    is itself an abbreviation ('HD' Hướng dẫn, 'DA' Dự án) is kept."""
    if len(part) < 3 or part in D_ABBREVIATIONS or part in doc_type_names() or not regex.search(r"[PDÐ]", part):
        return part  # 'CP' (Chính phủ) is no misread 'CĐ
    for known in D_ABBREVIATIONS:
        if _d_read(known).fullmatch(part):
            return known
    return part


@cache
def _d_read(known: str) -> regex.Pattern:
    """``known`` as OCR may read each of its 'Đ' (_NAME_LETTER_READS), but 'B' alone; its bar read as a letter of
    its own ('DB') only in a code of four letters or more (not 'CDB', 'HDB': codes of their own as much as a 'CĐ',
    'HĐ' misread)."""
    reads = [r for r in _NAME_LETTER_READS["Đ"] if r != "B" and (len(r) == 1 or len(known) >= 4)]
    alternatives = f"(?:{'|'.join(map(regex.escape, reads))})"
    return regex.compile("".join(alternatives if c == "Đ" else regex.escape(c) for c in known))


# What OCR reads in a symbol for a letter of the body's name: a 'Đ' lost its bar ('D'), looks alike ('Ð'
# U+00D0, 'P', 'B') or has its bar read as a letter ('DB'); a 'D' read with one ('Đ'); a 'T' misread.
_NAME_LETTER_READS = {"Đ": ("DB", "ĐB", "D", "Đ", "Ð", "P", "B"), "D": ("D", "Đ", "Ð"),
                      "T": ("T", *_T_MISREAD), "L": ("L", "I")}  # fmt: skip  # 'BVHTTDI' (set 218)


_STROKES = "IJLY"  # letters OCR makes of a stroke between two others


def _initials(name: str) -> list[str]:
    """The capitals a symbol takes from a body's name: 'Sở Kế hoạch và Đầu tư' -> S K H Đ T."""
    words = [w for w in regex.findall(r"[\p{L}\p{M}]+", name) if fold_lower(w) != "va"]
    # a roman numeral is written whole ('Khu Quản lý đường bộ II' -> K Q L Đ B II)
    return [w if regex.fullmatch(r"[IVX]+", w) else "Đ" if w[0] in "Đđ" else fold_lower(w[0]).upper() for w in words]


def _spelled(code: str, c: int, initials: list[str], k: int, spare: int = 1) -> Iterator[int]:
    """Where runs of ``initials`` from ``k`` end that spell ``code`` from ``c`` on, as OCR may read them:
    also with one stroke OCR read as a letter of its own ('VTILTNN' for 'VTLTNN', a rule or a seal's edge) or
    one letter read twice ('SVHTTT' for 'SVHTT', 'SYTT' for 'SYT': the Vietnamese engine on a bold 'TT')."""
    if c == len(code):
        yield k
        return
    stroke = code[c] in (_STROKES if c < len(code) - 1 else "I") and len(code) > 3  # 'SCTI' (set 246)
    if spare and c and (stroke or code[c] == code[c - 1]):
        yield from _spelled(code, c + 1, initials, k, 0)
    if k == len(initials):
        return
    for read in _NAME_LETTER_READS.get(initials[k], (initials[k],)):
        if code.startswith(read, c):
            yield from _spelled(code, c + len(read), initials, k + 1, spare)


def spelled_by_name(symbol: str, name: str | None, also: str | None = None) -> str:
    """``symbol`` with the issuer's code spelt as the initials of the issuer's ``name`` spell it: 'GM-BVDK'
    of 'Bệnh viện Đa khoa tỉnh Phú Thọ' -> 'GM-BVĐK', 'BC/UBKTDBU' of 'Ủy ban Kiểm tra Đảng ủy …' ->
    'BC/UBKTĐU', 'QLĐ-CL' of 'Cục Quản lý Dược' -> 'QLD-CL'. OCR without the Vietnamese model loses a
    capital's bar, and restoration cannot tell an abbreviation's 'D' from its 'Đ'; the name it abbreviates
    can. The code must spell three initials or more in a row, one way only. A unit's code after it is not
    the issuer's ('SGDĐT-GDPT': Giáo dục phổ thông, not 'và Đào tạo') and stays. Where ``name`` spells no run,
    ``also`` may, as read ('BĐGL' of 'Bưu điện Gia Lai', the issuer without its unit word)."""
    whole = issuer_abbreviation(symbol)
    # a committee's number after its letters is no initial ('GM-BCB389' of 'Ban Chỉ đạo 389')
    letters = regex.fullmatch(r"(\p{Lu}{3,})(\d*)", whole or "")
    if not name or not whole or whole in doc_type_names() or not letters:
        return symbol
    code, number = letters.groups()
    # the issuer's own initials spell it as read, some words left out ('HQTP': Chi cục Hải quan cửa khẩu quốc tế
    # Thường Phước), not its parent's run with a 'P' read for 'Đ' ('… Cục Hải quan tỉnh Đồng Tháp')
    own = _initials(also or "")
    in_own = {"".join(own[i:end]) for i in range(len(own)) for end in _spelled(code, 0, own, i, 0) if end - i >= 3}
    remaining = iter(own)
    if code in in_own or (not in_own and all(letter in remaining for letter in code)):
        return symbol
    # a stroke read as a letter only where the code spells no run as read
    named = _initials(name)
    for initials, spare in ((named, 0), (named, 1), (_initials(also or ""), 0)):
        runs = {"".join(initials[i:end]) for i in range(len(initials)) for end in _spelled(code, 0, initials, i, spare)
                if end - i >= 3}  # fmt: skip
        if runs:
            break
    if len(runs) != 1 or (spelt := runs.pop()) == code:
        return symbol
    pieces = regex.split(r"([-/])", symbol)
    pieces[pieces.index(whole)] = spelt + number
    return "".join(pieces)


# A Party committee's two letters after its document's type, by the committee's name: 'CT/HU' of a Huyện ủy.
_PARTY_CODES = {"huyen uy": "HU", "quan uy": "QU", "tinh uy": "TU", "thanh uy": "TU", "thi uy": "TU",
                "dang uy": "ĐU", "chi bo": "CB"}  # fmt: skip


def party_code_by_name(symbol: str, name: str) -> str:
    """A Party symbol's committee code as the issuer's name makes it, where OCR read it a letter or a mark off
    ('CT/HỦ', 'BC/QĐ' of a Quận ủy, 'NQ/CĐ' of a Chi bộ: Tesseract's Vietnamese model reads marks into capitals)."""
    m = regex.fullmatch(r"(?P<type>\p{Lu}[\p{L}]{0,3})/(?P<code>\p{Lu}{2})", symbol)
    head = " ".join(fold_lower(name).split()[:2])
    want = _PARTY_CODES.get(head)
    if not m or not want or m["code"] == want:
        return symbol
    read = m["code"]
    if read in _PARTY_CODES.values() or read in ("TW", "ĐH"):
        return symbol  # a committee's code as read, or a congress's ('NQ/ĐH' of the Đại hội of a Đảng bộ)
    off = sum(a != b for a, b in zip(fold_lower(read), fold_lower(want), strict=True))
    return f"{m['type']}/{want}" if off <= 1 and read[0] == want[0] else symbol


def numbered_by_name(symbol: str, name: str) -> str:
    """The issuer's code with the number its name ends in ('TTr-PCCI' of 'Phòng Công chứng số 1' -> 'TTr-PCC1'):
    reading a symbol, a digit after letters is taken for the letter OCR makes of it ('UBN0'), which the
    issuer's own number is not."""
    code = issuer_abbreviation(symbol)
    number = regex.search(r"(?:số|Số)\s+([01])$", name)
    if not code or not number or not code.endswith("OI"[int(number.group(1))]):
        return symbol
    pieces = regex.split(r"([-/])", symbol)
    pieces[pieces.index(code)] = code[:-1] + number.group(1)
    return "".join(pieces)


def spelled_in_text(symbol: str, text: str) -> str:
    """``symbol`` with each code of three letters or more whose 'Đ' OCR read as 'D' or 'B', or whose 'T' it read
    as 'I', spelt as the document's own words spell it more often: 'SKHCN-CDS' of a letter on 'chuyển đổi số' ->
    'SKHCN-CĐS', 'QLBĐ' of 'quản lý đất đai' -> 'QLĐĐ', 'BIXH' of '(Phòng Bảo trợ xã hội …)' -> 'BTXH' (set 219);
    an inner 'I' of a code of five letters or more may be a stroke OCR read ('QLTIM' of 'Quản lý thương mại', 246).
    The codes after the issuer's name units no header names; the body names them. A code the text spells as read
    at least as often stays ('BTC': Ban Tổ chức). 'Được' is no evidence: restoration gives it for 'Dược' ('Cục
    Quản lý Được')."""
    pieces = regex.split(r"([-/])", symbol)
    initials = None  # the text's, read once a code needs them
    for n, piece in enumerate(pieces):
        # not a last 'I': a place's code ends so ('TB-BGI', Bắc Giang's branch of the State Bank, set 62)
        at = [k for k, c in enumerate(piece) if c in "DB" or (c == "I" and k < len(piece) - 1)]
        if not regex.fullmatch(r"\p{Lu}{3,}", piece) or not at or len(at) > 4:
            continue
        if initials is None:
            initials = "".join(_initials(regex.sub(r"(?i)\bđược\b", "Ɂ", text)))  # 'Ɂ': a letter no code has
        counts: dict[str, int] = {}
        for mask in range(1 << len(at)):
            read = list(piece)
            for bit, k in enumerate(at):
                if mask >> bit & 1:
                    read[k] = "T" if piece[k] == "I" else "Đ"
            counts["".join(read)] = initials.count("".join(read))
        for k in at:  # or an inner 'I' a stroke read as a letter: 'QLTIM' of 'Quản lý thương mại'
            if piece[k] == "I" and len(piece) > 4:
                dropped = piece[:k] + piece[k + 1 :]
                counts.setdefault(dropped, initials.count(dropped))
        best = max(counts.values())
        spelt = [code for code, c in counts.items() if c == best]
        if best > counts[piece] and len(spelt) == 1:
            pieces[n] = spelt[0]
    return "".join(pieces)


# a type done jointly (liên tịch, phối hợp, liên ngành: 'KHLT', 'QCPH', 'KHLN') or of a kind ('BCTĐ': thẩm định,
# 'TBHH': a notice to mariners)
_JOINT = ("LT", "PH", "LN", "TĐ", "HH")


def symbol_type(symbol: str | None) -> str | None:
    """The type abbreviation of a ký hiệu ('KH-UBND' -> 'KH', '2020/NĐ-CP' -> 'NĐ', Party 'NQ/TW' ->
    'NQ'), if it has one."""
    if not symbol:
        return None
    if reference_family(None, symbol) == "party":
        first = regex.split(r"[-/]", symbol)[0]
        return first if first in doc_type_names() else None
    rest = symbol.split("/")[-1]
    first = rest.split("-")[0]
    names = doc_type_names()
    if first not in names and first[-2:] in _JOINT:  # 'QCPH-BCH-CAT': a Quy chế phối hợp
        first = first[:-2]
    if first in names and first not in GENERIC_TYPES and "-" in rest:
        return first
    return None


def joint_bodies(names: list[str], symbol: str | None) -> bool:
    """Two bodies printed one above the other that made the document together, not a parent and its unit:
    the symbol codes each after its type, in their order ('QCPH-STP-CAT' under 'SỞ TƯ PHÁP TỈNH NINH THUẬN' /
    'CÔNG AN TỈNH NINH THUẬN', '1587/STC-CT', 'HD/BTGTU-SVHTTDL'), or its type is one done jointly ('KHLT',
    'TBLT', 'NQLT') and it has a code for each. A unit's code after its parent's is no code of the parent's
    ('SKHĐT-TH': 'TH' spells no name's start)."""
    if not symbol:
        return False
    party = reference_family(None, symbol) == "party" and "/" in symbol
    rest = symbol.split("/", 1)[1] if party else symbol.split("/")[-1]
    codes = rest.split("-")
    head = codes[0]
    typed = symbol_type(symbol) is not None or head in doc_type_names()
    if typed:
        codes = codes[1:]
    if len(codes) != len(names) or any(not regex.fullmatch(r"\p{Lu}[\p{Lu}\d]+", c) for c in codes):
        return False
    if typed and len(head) > 2 and head[-2:] in ("LT", "PH"):
        return True
    # a code spells its name's initials from its first word, or after a head of two ('Ủy ban Mặt trận …': MTTQ)
    starts = [(code, _initials(name)) for code, name in zip(codes, names, strict=True)]
    return all(any(next(_spelled(code, 0, initials, k, 0), None) is not None for k in range(min(3, len(initials))))
               for code, initials in starts)  # fmt: skip


def typed_symbol(symbol: str, abbr: str) -> str:
    """'TI-KTHT&ĐT' cited as a Tờ trình -> 'TTr-KTHT&ĐT': a first part that is no type abbreviation,
    one letter off the named type's besides a 'T' misread ('TI', 'TIN' for 'TTr'), is that abbreviation
    misread by OCR; one that begins with it, the hyphen after it lost ('CTVKSTC' -> 'CT-VKSTC')."""
    if year := regex.match(r"(?:19|20)\d\d/(?=\p{L})", symbol):  # '2012/NDB-CP' cited as a Nghị định
        return year.group() + typed_symbol(symbol[year.end() :], abbr)
    party = reference_family(None, symbol) == "party" or regex.fullmatch(r"\p{Lu}+/\p{Lu}+", symbol)
    head, sep, rest = symbol.partition("/" if party else "-")  # Party 'TE/ĐU' read for 'TB/ĐU'
    if party and abbr == "QyĐ":
        abbr = "QĐ"  # the Party abbreviates its Quy định 'QĐ'
    names = doc_type_names()
    # 'CTVKSTC' cited as a Chỉ thị: OCR lost the hyphen after 'CT' (or read it 'I': 'TIBNNPTNT', a Thông tư)
    read = head if head.startswith(abbr) else t_read(head)
    glued = read[len(abbr) :]
    if read.startswith(abbr) and t_read(glued) in _JOINT and glued not in _JOINT:  # 'KHLI' for 'KHLT'
        return f"{abbr}{t_read(glued)}{sep}{rest}"
    # 'HDLT', 'QCPH': a joint Hướng dẫn, Quy chế; a licence's or a contract's code names its kind ('GPMT', 'HĐXD')
    if (not party and abbr in names and read.startswith(abbr) and head not in names
            and regex.fullmatch(r"\p{Lu}{2,}", glued) and t_read(glued) not in _JOINT and abbr not in ("GP", "HĐ")):
        return f"{abbr}-{glued}{sep}{rest}"
    if not sep or (not party and "/" in head) or head in names or head in MIXED_CASE or abbr in GENERIC_TYPES or (
        abbr not in names
    ):
        return symbol
    a, b = t_read(fold_lower(head).upper()), fold_lower(abbr).upper()
    first = a[:1] == b[:1] or (abbr[:1] == "Đ" and head[:1] in "BPÐ")  # 'BA/HNDT' under ĐỀ ÁN: 'Đ' read 'B'
    # or a 'T' of the type read as another letter ('04/2017/EI-BKHĐT' cited as a Thông tư, set 204 through vie); not
    # another code one letter off ('2693/GD-ĐT' cited as a Quyết định, 'Sắc lệnh số 143-A/TTP': Wikipedia)
    off = [y for x, y in zip(a, b, strict=True) if x != y] if len(a) == len(b) > 1 else []
    first = first or off == ["T"]
    if first and abs(len(a) - len(b)) <= 1 and len(set(a) ^ set(b)) <= 2:
        return f"{abbr}{sep}{rest}"
    return symbol


def issuer_abbreviation(symbol: str | None) -> str | None:
    if not symbol:
        return None
    if reference_family(None, symbol) == "party":
        return regex.split(r"[-/]", symbol)[-1]
    parts = symbol.split("/")[-1].split("-")
    if symbol_type(symbol):
        return parts[1] if len(parts) > 1 else None
    return parts[0]


def legislature(symbol: str | None) -> str | None:
    """The issuer a legislature's symbol names: '2025/QH15' -> Quốc hội, '…/UBTVQH15' -> its Standing Committee,
    '10-LCT/HĐNN7' -> the Council of State that the Standing Committee replaced in 1992."""
    if symbol and regex.search(r"UBTVQH\d+$", symbol):
        return "Ủy ban Thường vụ Quốc hội"
    if symbol and regex.search(r"HĐNN\d+$", symbol):
        return "Hội đồng Nhà nước"
    if symbol and regex.search(r"(?:^|[-/])QH\d+$", symbol):
        return "Quốc hội"
    return None
