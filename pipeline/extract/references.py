"""The references component: every document the text cites, with its date and issuer."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise

import regex
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.citation import reference_family, reference_key
from pipeline.extract.doc import cues, got, put
from pipeline.extract.normalise import body_by_abbreviation, central_bodies, central_body
from pipeline.extract.text import (
    A_ANY,
    ANY_DATE_RE,
    DIGIT_MISREADS,
    DIGITISH,
    H,
    department_names,
    find_by_initials,
    fix_digits,
    is_upper_line,
    lexicon,
    longest_first,
    parse_date_match,
    respell_head,
    squash,
    year_misreads,
)
from pipeline.extract.vocab import (
    GENERIC_TYPES,
    PARTY_BODIES,
    clean_symbol,
    doc_type_names,
    doc_type_rows,
    issuer_abbreviation,
    legislature,
    spelled_by_name,
    stroke_dropped,
    symbol_type,
    t_read,
    typed_symbol,
)
from pipeline.gazetteer import get_gazetteer
from pipeline.types import Reference
from pipeline.vietnamese import fold, fold_lower

# Document types ('và Quyết định số …' starts another citation, not a name), accent-folded.
TYPE_WORDS = regex.compile(  # also wrapped: 'của Bộ Chính trị và Kết' / 'luận số 51-KL/TW'
    (r"(?:luat|nghi dinh|nghi quyet|quyet dinh|thong tu|chi thi|ket luan|quy dinh|huong dan|ke hoach|cong van|"
     r"van ban|to trinh|bao cao|thong bao|cong dien)\b").replace(" ", r"\s+")
)

# 'ngày' as OCR and restoration leave it: 'ngay', 'ngảy'.
NGAY = rf"[Nn]g{A_ANY}y"
# 'số' as OCR and restoration leave it: 'so', 's6', 'sô', 'Số:'.
SO_WORD = r"[sS][ốôóoòỏõọồổỗộơớờởỡợ06]"
# One part of a ký hiệu: capitals and digits, a lone small letter allowed ('TTr', 'QyĐ', 'TTg'), so
# that a capitalised word ('Các') after a line break is not read as part of the symbol.
# A capital before a lower-case vowel with a mark starts a word, not a part: '142-NQ/KC - Hà Nội'. An
# apostrophe OCR put between two capitals is a speck inside the part ('QĐ-T'Tg', 'QĐ-I'Ig' for 'QĐ-TTg').
_MARKED = "àáảãạăắằẳẵặâấầẩẫậèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ"
_PART = (  # a 'T' read as a quote and a stroke too: '98/2013/I”1-BTC' (set 185, vie), or as '[': '09/2019/[I-BCT' (205)
    rf"(?:[\p{{Lu}}0-9]|\[(?=[1Il|]))(?:[\p{{Lu}}0-9&]|['’](?=[\p{{Lu}}0-9]|[a-zđ](?!\p{{Ll}}))|[”\"](?=[1Il|])|[a-zđ](?!\p{{Ll}}))*+"
    rf"(?![{_MARKED}])"
)
# '225/KH-UBND', '30/2020/NĐ-CP', '72/2025/QH15', '57-NQ/TW' (Party), '57- NQ/TW', '57-\nNQ/TW' (split
# over a line), '01/2025/TTLT-BNV-BTC', '30a/2008/NQ-CP' (a letter after the number): the number, a
# separator, then the symbol's parts (a dash OCR read twice between them: '87/TIr--NNPTNT'); a line may
# break after a separator ('11/2018/' / 'TT-BYT'), before a dash never (a list's '- UBND' on the next line), before
# a slash yes ('số 1187' / '/UBND-VX').
# the separator after the number may be lost to OCR before a type's code ('Chỉ thị số 16CT-TTg', set 157)
REF_TAIL_RE = regex.compile(  # a speck before 'số' ('Thông tư liên tịch = số 42/2013/…', set 252 through eng)
    rf"\s*(?:[=~»«]{H}*(?={SO_WORD}))?(?:{SO_WORD}{H}*[:.,-]?\s*|:\s*|5[0ô]{H}+(?=\d{{1,6}}/))?(?P<num>{DIGITISH}{{1,6}}(?:(?<=\d)[a-z](?=/))?)"
    rf"(?P<sep>(?:{H}*|{H}*\n{H}*(?=/))[-–/]\s*|(?<=\d)(?=(?:CT|NQ|QĐ|KH|TB|KL|HD|BC|CV)[-–/]\p{{Lu}}))"
    rf"(?P<sym>(?:(?:19|20)\d{H}?\d{H}*/\s*)?{_PART}(?:{H}*[-–/][-–]?\s*{_PART})*(?:\.\p{{Lu}}{{1,6}}(?!\p{{L}}))?)"
)  # the office that drafted it after a dot: '3952/QĐ-UBND.NC', '1865/QĐ-CT.UB'; a year OCR split: '13/201 1/TT- BNV';
# 'số' read '50' before the number ('Nghị định' / '50 99/2021/NĐ-CP', set 208 through eng)
# 'của' as OCR and unaccented text write it too ('ngày 02/7/2025 cửa Ủy ban'): a capital follows
REF_ISSUER_RE = regex.compile(
    r"\s*,?\s*(?:(?:của|do|giữa|(?:cửa|cùa|cua)(?=\s+\p{Lu}))\s+|(?=Hội\s+nghị\s+(?:lần\s+thứ|Trung\s+ương)\s))"
)  # a Party plenum's resolution names it without 'của': '60-NQ/TW ngày 12/4/2025 Hội nghị lần thứ 11 Ban …'; a
# document two bodies made names them after 'giữa' ('Quy chế phối hợp số 09/QCPH-BCH-BĐBP ngày … giữa A và B')
# The day a body named after a number made it: '… do Phòng Cảnh sát …, Công an tỉnh lập ngày 11/8/2023'.
_MADE_ON_RE = regex.compile(rf"\s(?:do|của)\s[^;]{{3,120}}?\s(?:lập|ký)\s+(?={NGAY}\s)")
# The plenum of a committee that issued a resolution: the committee is the issuer ('Hội nghị lần thứ 11 Ban
# Chấp hành Trung ương Đảng khóa XIII' -> 'Ban Chấp hành Trung ương Đảng khóa XIII')
_PLENUM_RE = regex.compile(r"Hội\s+nghị\s+(?:lần\s+thứ\s+\S+|Trung\s+ương\s+\S+)\s+(?=Ban\s+Chấp\s+hành\s)")
# 'Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số …': who proposes stands before the reference; so does who
# directs or gives an opinion ('chỉ đạo của Ủy ban nhân dân tỉnh tại Công văn số …', set 180).
_PROPOSER_RE = regex.compile(
    r"(?:đề\s+nghị|đề\s+xuất|chỉ\s+đạo|ý\s+kiến|thống\s+nhất|phân\s+công|\svà)\s+của\s+(?P<who>\p{Lu}(?:(?!\s(?:tại|theo)\s)[^;.:\d]){2,150}?)\s+(?:tại|theo)\s*$"
)  # '… và của Sở Nông nghiệp và Phát triển nông thôn tại Công văn số …': a second proposer
# Lower-case words that end an issuer's name ('… của Chính phủ sửa đổi …'); compared with accents, so
# 'tại' stops and 'Tài' (Bộ Tài chính) does not.
ISSUER_STOP = {
    "về", "v/v", "ban", "quy", "hướng", "thông", "triển", "đã", "để", "tại", "ngày", "gửi", "năm", "theo",
    "kèm", "cho", "kết", "phê", "giao", "lên", "từ", "có", "và", "thực", "sửa", "bổ", "báo", "đến", "trong",
    "với", "nhằm", "được", "là", "sau", "khi", "đối", "này", "đề", "yêu", "chỉ", "tổ", "ngay", "ve", "tai", "trên",
    "hết", "thi", "trái", "nay", "vừa", "mới", "sẽ", "đang", "cũng", "lập",
}  # fmt: skip
# Capitalised words that open the next paragraph or a header line, not part of the name.
ISSUER_OPENERS = regex.compile(r"(?:kinh gui|can cu|thuc hien|theo\b|xet\b|trien khai|noi nhan|de\b|nham\b|dieu\b)")
# Punctuation that ends a word of a name, or that OCR put after one.
_SPECKS = ",;.():”’\"'"
# A name that runs on past a comma or a number.
# A body numbered after its name: 'Tư lệnh Quân khu 4', 'Chi cục Hải quan khu vực III'.
_NAME_TAILS = regex.compile(
    r",\s*Ban\s+Bí\s+thư|\s+(?:lần thứ\s+)?\d{1,2}\s+khóa\s+[IVXL]+H?\b|\s+khóa\s+[IVXL]+H?\b"
    r"|(?<=(?i:\bkhu|\bvực))\s+(?:\d{1,2}|[IVX]{1,4})\b(?!\s*[/.-]\d)"
)


@lru_cache(maxsize=1)
def _org_names() -> tuple[str, ...]:
    lex = lexicon()
    titled = ("chu tich uy ban nhan dan", "chu tich hoi dong nhan dan")  # 'của Chủ tịch Ủy ban nhân dân …'
    # 'Sở Văn hóa, Thể thao và Du lịch'
    return (*lex["phrases"], *lex["org_heads"], *central_bodies(), *titled, *_departments())


@lru_cache(maxsize=1)
def _org_words() -> tuple[str, ...]:
    """The known names' words without their own commas ('bo buu chinh vien thong'): what words read one
    by one are compared with."""
    return tuple(org.replace(",", "") for org in _org_names())


def _name_goes_on(words: list[tuple[str, int, int]], nxt: str, speck: str) -> bool:
    """A speck of punctuation OCR put inside a name ('Ủy, ban nhân dân', 'Ủy ban Thường vụ: Quốc hội')
    does not end it when the words so far and the next one begin a known name."""
    name = fold_lower(" ".join(w[0] for w in words))
    word = fold_lower(nxt.strip(_SPECKS))
    local = name in _org_names() and name not in central_bodies()  # no unit after 'Quốc hội'
    if local and regex.fullmatch(r"thanh|tinh|phuong|xa|quan|huyen|thi|dac", word):
        return True  # 'Ủy ban nhân dân. thành phố Hải Phòng'
    if speck in ":." and name in lexicon()["org_heads"] and name not in central_bodies() and nxt[:1].isupper():
        return True  # 'Ban Thường vụ: Đảng ủy phường': a head that names no body by itself (not 'Bộ Chính trị,')
    head = f"{name} {word}"  # a name's own comma counts as the speck: 'Bộ Bưu chính, Viễn thông'
    if len(head) > 4 and any(org.startswith(head) for org in _org_words()):
        return True
    # a phrase's own comma inside a name of any head: 'Ban Chỉ đạo quốc gia phòng, chống dịch COVID-19'
    return speck == "," and _own_comma(words[-1][0], nxt)


def _own_comma(before: str, after: str) -> bool:
    """Whether a comma between these two words is a known phrase's own ('phòng, chống', 'Văn hóa, Thể thao')."""
    return f"{fold_lower(before)}, {fold_lower(after.strip(_SPECKS))}" in _comma_phrases()


def _begins_known(words: str) -> bool:
    """Whether folded ``words`` are a known name or begin one."""
    return any(org == words or org.startswith(f"{words} ") for org in _org_words())


_UNIT_WORD_RE = regex.compile(r"tinh|thanh|pho|huyen|quan|thi|xa|phuong|tran")


@lru_cache(maxsize=1)
def _departments() -> frozenset[str]:
    return frozenset(fold_lower(d) for d in department_names())


@lru_cache(maxsize=1)
def _comma_phrases() -> frozenset[str]:
    """The words either side of a comma in the known names: 'phong, chong', 'van hoa, the thao'."""
    pairs = (regex.search(r"(\S+), (\S+)", org) for org in _org_names())
    return frozenset(p.group() for p in pairs if p)


def _completed(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """A central body whose name the words at ``start:end`` only begin, OCR having damaged the rest
    ('Bộ Chính\n.tf];' -> Bộ Chính trị, 'Thủ\ntud'ng Chính phủ' -> Thủ tướng Chính phủ): the body
    whose folded name the text there reads closest to, when it reads it nearly (ratio ≥ 85)."""
    key = fold_lower(text[start:end])
    options = [k for k in central_bodies() if k.startswith(f"{key} ")]
    if not options or key in central_bodies():
        return None
    letters, spots = [], []  # the text there folded, letters and single spaces, and where each stands
    for i, c in enumerate(text[start : start + 80]):
        if c.isalpha() or (c.isspace() and letters and letters[-1] != " "):
            letters.append(" " if c.isspace() else fold_lower(c)[:1])
            spots.append(i)
    read = "".join(letters)
    best: tuple[float, int, str, int] | None = None
    for option in options:
        for size in range(max(len(key) + 2, len(option) - 3), min(len(option) + 4, len(read) + 1)):
            score = fuzz.ratio(option, read[:size].rstrip())
            if score >= 85 and (best is None or (score, len(option)) > best[:2]):
                best = (score, len(option), option, len(read[:size].rstrip()))
    if best is None:
        return None
    return central_bodies()[best[2]]["name"], start, start + spots[best[3] - 1] + 1


@lru_cache(maxsize=1)
def _hyphen_pairs() -> frozenset[tuple[str, str]]:
    """The words either side of ' - ' in names that hold one: a province ('Bà Rịa - Vũng Tàu'), a
    department ('Lao động - Thương binh và Xã hội'), a council's committee ('Kinh tế - Ngân sách'), the
    emulation bodies ('Ban Thi đua - Khen thưởng')."""
    names = (*(u.name for u in get_gazetteer().units), *department_names(), "Kinh tế - Ngân sách", "Văn hóa - Xã hội",
             "Thi đua - Khen thưởng")  # fmt: skip
    pairs = (regex.match(r".*?(\S+)\s+[-–]\s+(\S+)", n) for n in names)
    return frozenset((fold_lower(p.group(1)), fold_lower(p.group(2))) for p in pairs if p)


def _hyphened(before: str, after: str) -> bool:
    return (fold_lower(before), fold_lower(after.strip(_SPECKS))) in _hyphen_pairs()


def _ref_issuer(text: str, pos: int, joint: bool = False) -> tuple[str, int, int] | None:
    """'… của Ủy ban nhân dân thành phố về …' -> 'Ủy ban nhân dân thành phố' (wrapped lines joined); of a
    ``joint`` document, every body that issued it ('Bộ Nội vụ, Bộ Tài chính và Bộ Lao động - Thương binh
    và Xã hội')."""
    m = REF_ISSUER_RE.match(text, pos)
    if not m:
        return None
    raw = list(regex.finditer(r"\S+", text[m.end() : m.end() + 240]))
    words: list[tuple[str, int, int]] = []
    for n, w in enumerate(raw):
        # a speck OCR put before a word inside a name goes ('Hội -đồng nhân dân')
        lead = len(w.group()) - len(w.group().lstrip("-‘’'\"")) if words else 0
        core = w.group()[lead:].rstrip(_SPECKS + "/")  # a letter's closing mark too: 'tỉnh Lâm Đồng./.'
        low = core.lower()
        if not words and not core[:1].isupper():
            return None
        nxt = raw[n + 1].group() if n + 1 < len(raw) else ""
        if words and w.group() in ("-", "–") and nxt[:1].isupper() and (joint or _hyphened(words[-1][0], nxt)):
            words.append(("-", m.end() + w.start(), m.end() + w.end()))  # 'Lao động - Thương binh'
            continue
        plenum = (len(words) > 2 and fold_lower(f"{words[0][0]} {words[1][0]}") == "hoi nghi"
                  and regex.fullmatch(r"\d{1,2}", core) and fold_lower(words[-1][0]) in ("thu", "uong"))  # fmt: skip
        coded = words and regex.fullmatch(r"\p{Lu}{3,}-\d+", core)  # a code name in it: 'dịch COVID-19'
        if not plenum and not coded and (not core or not regex.fullmatch(r"[\p{L}\p{M}]+", core)):
            if words and (done := _completed(text, words[0][1], words[-1][2])):
                return done
            break
        start = m.end() + w.start() + lead
        if words:
            newline = "\n" in text[words[-1][2] : start]
            # a line in capitals starts (a header's), not restoration's capital head of a name ('BỘ Nội vụ')
            shouting = core.isupper() and len(core) > 1 and not words[-1][0].isupper() and not coded
            named = nxt[:1].isupper() and not (len(nxt) > 1 and nxt.isupper())
            shouting = shouting and not (fold_lower(core) in lexicon()["org_heads"] and named)
            shouting = shouting and not _ABBREVIATED_RE.fullmatch(core)  # 'của Chủ tịch UBND huyện'
            opener = ISSUER_OPENERS.match(fold_lower(text[start : start + 12]))
            if shouting or (newline and core[:1].isupper() and opener):
                break
        if words and low == "ban" and fold_lower(nxt.strip(_SPECKS)) == "hanh":
            break  # the verb: '… của Bộ Chính trị ban hành Quy chế …', '… của Hội đồng trường ban hành …'
        # "Ủy ban", "Sở Khoa học và Công nghệ": ban / và belong to the name before a capital
        keep = (low == "ban" and words and fold_lower(words[-1][0]) in ("uy", "truong")) or (  # "Trưởng ban"
            low == "và" and words and nxt[:1].isupper() and core == w.group() and fold_lower(nxt[:3]) != "can"
        ) or (low == "giao" and fold_lower(nxt) == "thong") or (  # traffic, no verb: 'Cục Cảnh sát giao thông'
            low == "thông" and words and fold_lower(words[-1][0]) == "giao"  # (set 173)
        ) or fold_lower(" ".join(x[0] for x in words[-2:])) == "lan thu"  # a plenum's 'lần thứ' / 'năm' (set 183)
        if words and core[:1].islower() and low in ISSUER_STOP and not keep:
            # a stop word that goes on a known name is its own ('Bộ Thông tin và Truyền thông')
            head = fold_lower(" ".join([*(x[0] for x in words), core])).replace(",", "")
            # or a known phrase the name ends in ('Ban Chỉ huy phòng, chống thiên tai …')
            tails = [" ".join(head.split(" ")[k:]) for k in range(len(words) - 1)]
            # a district's office is named as the province's department of its field ('Phòng Nông nghiệp và Phát
            # triển nông thôn huyện Tư Nghĩa', set 88; 'Hội Nông dân huyện … và Phòng Nông nghiệp và Phát …', set 85)
            tails += [regex.sub(r"^phong ", "so ", t) for t in (head, *tails) if t.startswith("phong ")]
            if not any(_begins_known(t) for t in (head, *tails)):
                break
        if words and core[:1].islower() and low != "và" and not _UNIT_WORD_RE.fullmatch(fold_lower(core)) and (
            (so_far := fold_lower(" ".join(x[0] for x in words))) in central_bodies() or so_far in _departments()
        ):
            # a central body's or a department's whole name: the sentence goes on ('… của Thủ tướng Chính phủ giải
            # ngân …'), unless a longer name does ('Chính phủ nước Cộng hòa …', 'Ban Chấp hành Trung ương Đảng')
            if not _begins_known(f"{so_far} {fold_lower(core)}"):
                break
        if words and core[:1].islower() and low not in ("và", "lần") and _placed(words):
            break  # a unit's place ends the name: '… của Ủy ban nhân dân tỉnh Đồng Tháp không còn phù hợp'
        if words and low == "và" and TYPE_WORDS.match(fold_lower(text[start + 3 : start + 20].lstrip())):
            break  # '… của Ủy ban nhân dân thành phố và Quyết định số …'
        if words and low in ("khóa", "khoá"):
            break  # the term, 'Đảng khóa XIII', is read whole as the name's tail (_NAME_TAILS)
        words.append((core, start, start + len(core)))
        speck = w.group()[lead + len(core) :]
        listing = joint and speck == "," and nxt[:1].isupper() and all(x[0] != "và" for x in words)  # 'A, B và C'
        after = fold_lower(text[m.end() + w.end() : m.end() + w.end() + 40].lstrip()) if listing else ""
        if listing and any(after.startswith(f"{org} ") for org in _org_names()):
            words[-1] = (f"{core},", *words[-1][1:])  # the next of the bodies that issued it jointly
            continue
        # 'Đoàn Chủ tịch … Việt Nam' has 13 words; with the Standing Committee and the Government, 20
        if (speck and not _name_goes_on(words, nxt, speck)) or len(words) >= (24 if joint else 16):
            break
        so_far = fold_lower(" ".join(x[0] for x in words)) if speck == "," else ""
        if so_far and (_own_comma(core, nxt) or any(org.startswith(f"{so_far},") for org in _org_names())):
            words[-1] = (f"{core},", *words[-1][1:])  # the name's own comma: 'Bộ Bưu chính, Viễn thông'
    if not words:
        return None
    end = words[-1][2]
    if tail := _NAME_TAILS.match(text, end):
        end = tail.end()
    name = _PLENUM_RE.sub("", squash(" ".join(w[0] for w in words) + text[words[-1][2] : end]))
    return regex.sub(r"(?<=khóa\s+[IVXL]*)H\b", "II", name), words[0][1], end  # 'XIH': 'II' read as one 'H'


def _placed(words: list[tuple[str, int, int]]) -> bool:
    """Whether the words end in a unit's place: its unit word in lower case, then a name in capitals ('… tỉnh
    Đồng Tháp', '… huyện Hàm Thuận Bắc', '… thành phố Hà Nội')."""
    cased = [w[0] for w in words]
    k = len(cased)
    while k > 0 and cased[k - 1][:1].isupper():
        k -= 1
    return 0 < k < len(cased) and cased[k - 1] in ("tỉnh", "huyện", "xã", "phường", "phố", "quận", "trấn")


# An article's number inside an amending law's name: 'Pháp lệnh sửa đổi Điều 10 của Pháp lệnh Dân số ngày …'.
_ARTICLE_NO = r"(?<=(?:Điều|[Kk]hoản|điểm|Chương)\s)\d{1,3}[a-zđ]?"
# A law by its name: 'Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày…' or '… ngày 19 tháng 6 năm
# 2015' (no number) or with its number in brackets ('Luật Bảo vệ quyền lợi người tiêu dùng (số 19/2023/QH15)', set
# 250); up to 28 words, an amending law naming the laws it amends. A comma before a word in
# lower case is the name's own ('Luật Cán bộ, công chức', 'Luật Phòng, chống tham nhũng'); before a capital
# it ends the name (but see _COMMA_NAMED_RE). A speck OCR put inside a name stays on its line ('quyền:
# địa'); a clause's ';' ends it ('… Luật Lưu trữ;' / 'Căn cứ Thông tư số …', '… của Luật Đất đai; Nghị
# định số …').
# an abbreviation in brackets inside a law's name ('Luật Phòng, chống nhiễm vi rút gây ra hội chứng suy giảm miễn dịch
# mắc phải ở người (HIV/AIDS) số 64/2006/QH11', set 254)
_NAMED_ABBR = r"\(\p{Lu}[\p{Lu}\d/&-]{1,15}\)"
NAMED_REF_RE = regex.compile(
    rf"(?P<name>(?:(?:[:.]{H}+|,(?=\s+\p{{Ll}})\s+|\s+)(?:[.‘’'\"]?[\p{{L}}\p{{M}}]+\??|{_ARTICLE_NO}|{_NAMED_ABBR})){{1,28}}?"
    r"(?:\s+\(sửa\s+đổi(?:,\s+bổ\s+sung)?\))?)\s*,?\s+"  # 'Luật Giáo dục đại học (sửa đổi) số 34/2018/QH14'
    rf"(?:\(?(?={SO_WORD}{H}*:?\s*{DIGITISH})|(?=\d{{1,3}}/(?:19|20)\d\d/(?:UBTV)?QH\d)|"  # 'Luật Thú y 79/2015/QH13'
    rf"(?:được\s+\S+\s+)?(?:ban hành\s+|thông qua\s+)?(?={NGAY}\s*\d)|"
    # or its year alone ('Luật Đất đai năm 2003', 'Luật Quản lý thuế 2019'): the law of that year, no date
    rf"(?=(?:năm{H}+)?(?:19|20)\d\d(?![\d/-]|\.\d)))"
)
# A name whose own comma stands before a capital, a few words from its number or date: 'Luật Thi đua, Khen
# thưởng ngày 26 tháng 11 năm 2003', 'Luật Ban hành văn bản quy phạm pháp luật của Hội đồng nhân dân, Ủy ban
# nhân dân ngày 03 tháng 12 năm 2004' ('Luật Đất đai, Nghị định số …' is caught by the type in the name).
_COMMA_NAMED_RE = regex.compile(
    rf"(?P<name>(?:\s+[\p{{L}}\p{{M}}]+){{1,14}}?,\s+\p{{Lu}}[\p{{L}}\p{{M}}]*(?:\s+[\p{{L}}\p{{M}}]+){{0,3}}?)\s+"
    rf"(?={SO_WORD}{H}*:?\s*{DIGITISH}|{NGAY}\s*\d)"
)
# Where a clause of the preamble or body starts: after '.' or ';', or at a line that opens one.
_CLAUSE_RE = regex.compile(
    r"[.;](?=\s)|\n(?=[^\S\n]*(?:[-–+•]|\d+\.|[a-zđ]\)|can cu|ca[nm]\s+c\S{1,3}\s|thuc hien|theo|xet|trien khai|"
    r"de |nham|dieu\s+\d|noi nhan|kinh gui))"
    # a basis named inside a sentence: '… Thực hiện Công văn số 139/…, căn cứ Quyết định số 38/…'
    r"|,(?=\s+can\s+cu\s+(?:vao\s+)?(?:luat|bo\s+luat|phap\s+lenh|nghi\s+dinh|nghi\s+quyet|quyet\s+dinh|thong\s+tu|"
    r"chi\s+thi|ket\s+luan|quy\s+dinh|huong\s+dan|ke\s+hoach|cong\s+van|van\s+ban)\b)"
)
# The Party's plenum that passed a resolution, named between its type and number: 'Nghị quyết Trung ương 5 (khoá
# VIII) số 03-NQ/TW', 'Nghị quyết Hội nghị lần thứ tư Ban Chấp hành Trung ương khóa XII số 04-NQ/TW'; 'ương'
# as OCR may damage it ('Trung wo'ng 5'); a conference's kind before its round ('Biên bản Hội nghị hiệp thương lần
# thứ ba số 08/BB-MTTQ-BTT').
_PLENUM_NAME = (
    r"\s+(?:Hội\s+nghị\s+(?:\p{Ll}[\p{L}\p{M}]*,?\s+){0,3}?)?(?:lần\s+thứ\s+\S+|Trung\s+\S{2,6}\s+\d{1,2})"
    r"(?:\s+Ban\s+Chấp\s+hành\s+Trung\s+ương)?"
    r"(?:\s*\(?kh\p{L}{2}\s+[IVXL]+\)?)?"
)
# A meeting of a board between a Biên bản and its number: 'Biên bản họp Hội đồng quản trị số 12/2024/BB-HĐQT'.
_MEETING = r"\s+(?:họp|làm\s+việc\s+của)\s+(?:Hội\s+đồng|Ban|Đoàn|Tổ|Ủy\s+ban)(?:\s+[\p{L}\p{M}]+){0,5}?"
# Words in lower case between a type and its number: 'Biên bản vi phạm hành chính số …', 'Thông báo kết
# luận số …', 'Công văn hỏa tốc số …', 'Báo cáo kết quả xác minh nội dung khiếu nại số …', also wrapped
# ('Báo cáo' / 'thẩm tra số 215/BC-HĐND'); 'số' must follow.
# Or its issuer, in older letters and in prose: 'Nghị định của Chính phủ số 15/2007/NĐ-CP', 'Quyết định của Thủ
# tướng Chính phủ số 97/2002/QĐ-TTg', also wrapped ('Thông tư của Bộ Tài nguyên và Môi' / 'trường số 08/…'), with
# the commas and dashes of its name ('Thông tư của Bộ Văn hóa, Thể thao và Du lịch số 15/2015/TT-BVHTTDL', 'Nghị
# quyết của Hội đồng thẩm phán Tòa án nhân dân tối cao số 02/2003/NQ-HĐTP'); prose names a body the table of
# central bodies knows without 'của' ('Nghị định Chính phủ số 75/2005/NĐ-CP', see _known_by). Without 'số' the
# number must have a symbol after a slash: 'nghị định Chính phủ 72/2013/NĐ-CP'. Or a plenum (_PLENUM_NAME), a
# board's meeting (_MEETING), or words in brackets ('Quy định (Bổ sung) số 216-QĐ/TW'). Two bodies may issue it
# ('Nghị quyết liên tịch của Ủy ban Thường vụ Quốc hội và Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam
# số 525/2012/NQLT-…', 18 words, set 207).
# (a word's '?' is OCR's speck: 'Giấy phép sĩ? dùng vật liệu nổ công nghiệp số 58/GP-BCT', set 248 through eng)
_QUALIFIER_RE = regex.compile(
    rf"(?:(?:,?\s+\p{{Ll}}[\p{{L}}\p{{M}}]*\??){{1,12}}?|{_PLENUM_NAME}|{_MEETING}|\s+\((?:\p{{L}}+\s?){{1,3}}\)|\s+(?P<of>của\s+)?"
    rf"(?P<by>\p{{Lu}}[\p{{L}}\p{{M}}]*(?:,?\s+(?:[-–]\s+)?[\p{{L}}\p{{M}}]+){{0,22}}?(?:\s+\d{{1,2}})?))"
    rf"(?=\s+{SO_WORD}{H}*:?\s*{DIGITISH}|\s+{DIGITISH}{{1,4}}{H}*/{H}*(?:(?:19|20)\d\d{H}*/{H}*)?\p{{L}})"
)
# Words no body's name holds: the words after 'của' ran on into a sentence ('quy định của Đảng và tiêu chuẩn
# của chức danh theo Luật Cán bộ, công chức số 80/2025/QH15': the law is cited, by its own cue).
_RUN_ON_RE = regex.compile(r"\s(?:theo|của|tại|về|để|đã|được)\s")
_UNIT_BODY_RE = regex.compile(r"(?:UBND|HĐND|Ủy ban nhân dân|Hội đồng nhân dân)\s")


def _known_by(name: str) -> bool:
    """An issuer prose names right after a type, without 'của': a central body of the table ('Chính phủ',
    'Thủ tướng Chính phủ', 'Bộ Tài chính') or a council or committee of a unit ('UBND tỉnh Hà Giang')."""
    return fold_lower(name) in central_bodies() or _UNIT_BODY_RE.match(name) is not None


# A paragraph's end, or a clause opening, inside a type's qualifier: the number after it is another's
_NEW_CLAUSE_RE = regex.compile(r"\n[^\S\n]*\n|\b(?:Căn cứ|Thực hiện)\b")
# Words that show a name ran on into the next clause or citation: another type, or 'Căn cứ' / 'Thực hiện'
# opening a clause (in lower case they are a law's own words: 'Luật Ký kết, gia nhập và thực hiện điều ước
# quốc tế'); another law's name ('Luật sửa đổi … của Luật Đầu tư số …': the inner one is cited).
_CLAUSE_IN_NAME_RE = regex.compile(
    r"\b(?:nghi dinh|thong tu|quyet dinh|nghi quyet|chi thi|ke hoach|ket luan|huong dan|cong van|thong bao|to trinh|"
    r"bao cao|cong dien)\b"
)
# A resolution of the Quốc hội named by its session, not its number (none had one before 2002), and what it is
# about up to its date or the clause's end: 'Nghị quyết của Quốc hội khoá IX, kỳ họp thứ 10 về việc chia và điều
# chỉnh địa giới hành chính một số tỉnh', 'Nghị quyết kỳ họp thứ 10 Quốc hội khoá IX ngày 06/11/1996'.
_UNNUMBERED_NQ_RE = regex.compile(
    rf"{H}+(?:của{H}+)?(?P<session>k[ỳì]{H}+họp{H}+thứ{H}+\w+(?:{H}+của)?{H}+)?Quốc{H}+hội"
    rf"(?P<session>{H}+kh(?:oá|óa){H}+[IVXL]+)?(?P<session>,?{H}+k[ỳì]{H}+họp{H}+thứ{H}+\w+)?(?!{H}*,?{H}*{SO_WORD})"
    rf"(?:{H}+(?P<about>về\b[^;]*?))?(?=[,;.]|\n(?:\s*\n|{H}*(?:Căn|Thực|Theo|Xét|[-–+•]|\d+\.))|\s+{NGAY}{H}*\d|$)"
)
# A law's year after its name ('Luật Đất đai năm 2003', 'Luật Quản lý thuế 2019'), no day or number.
_YEAR_RE = regex.compile(rf"(?:năm{H}+)?(?:19|20)\d\d(?![\d/-]|\.\d)")
_NUMBER_IN_BRACKETS_RE = regex.compile(r"[”\"’']?\s*\(\s*(?:Luật\s+|Bộ\s+luật\s+)?số\s+\d")  # after a quote too
# Where a subject's scope follows a law's name: 'triển khai Luật Lưu trữ trên địa bàn huyện Đại Lộc năm 2012'.
_SCOPE_RE = regex.compile(r"\b(?:tren dia ban|tai|giai doan|cho)\b")
# A time's words before a date: '… Luật Lưu trữ cho lãnh đạo … trước ngày 30.4.2012' sets a deadline.
_BEFORE_DATE_RE = regex.compile(r"(?<!\w)(?:trước|sau|từ|đến|vào|trong|chậm nhất|hạn)\s*$")
_OPENER_IN_NAME_RE = regex.compile(r"\b(?:Can cu|Thuc hien|Luat|Phap lenh)\b")
_DAMAGED_CAN_CU_RE = regex.compile(r"ca[nm]\s+c\S{1,3}\s+(?:vao\s+)?")
_TYPE_START_RE = regex.compile(  # also wrapped: '…; Nghị' / 'định số 104/2016/NĐ-CP'
    (r"^\W*(?:luat|bo luat|phap lenh|nghi dinh|nghi quyet|quyet dinh|thong tu|chi thi|ket luan|quy dinh|"
     r"huong dan|ke hoach|cong van|van ban)\b").replace(" ", r"\s+")
)


def _whole_symbol(text: str, m: regex.Match) -> tuple[str, int]:
    """A symbol OCR split with a space, joined: a Party body where the joined body is a known one ('42-KH/
    BTGDV TW' for 'BTGDVTW'); a type abbreviation so joined ('86/T Tr-VHXH' for 'TTr-VHXH', '112/2010/T
    TLT-…'); a last part's letter or two before the reference's date ('2468/QĐ-SY T ngày …' for 'SYT'); a
    central body's code split ('BY I-DP', 'UBT VQH14-CP'). Else the symbol as matched. Returns (symbol, where it
    ends)."""
    sym, rest = m.group("sym"), text[m.end() :]
    if "/" in sym and (more := regex.match(rf"{H}+(\p{{Lu}}{{1,3}})\b", rest)):
        body = sym.rsplit("/", 1)[1]
        # or a committee's Ban before its committee ('09-HD/BDV TU' for 'BDVTU', the Tỉnh ủy's Ban Dân vận, set 200)
        ban = regex.fullmatch(r"B\p{Lu}{1,4}|UBKT|VP", body) and more.group(1) in PARTY_BODIES
        if f"{body}{more.group(1)}" in PARTY_BODIES or ban:
            return sym + more.group(1), m.end() + more.end()
    year, _, head = sym.rpartition("/")  # '112/2010/T TLT-BTC-…': the type after the year
    more = regex.match(rf"{H}(\p{{Lu}}{{1,3}}\p{{Ll}}?)(?=[-–])", rest)
    if more and f"{head}{more.group(1)}" in doc_type_names():
        tail = REF_TAIL_RE.match(f"0/{head}{rest[more.start(1) :]}")  # the type read whole, the parts after it
        if tail:
            return f"{year}/" * bool(year) + tail.group("sym"), m.end() + len(tail.group("sym")) - len(head) + 1
    if more := regex.match(rf"{H}(\p{{Lu}}{{1,2}})(?={H}+{NGAY})", rest):
        return sym + more.group(1), m.end() + more.end()
    if sym.endswith("EVN") and (more := regex.match(rf"{H}(\p{{Lu}}{{2,5}})(?![\p{{L}}\d])", rest)):
        return f"{sym} {more.group(1)}", m.end() + more.end()  # an EVN unit's code, spaced: 'QĐ-EVN SPC' (set 192)
    # a central body's code split before its last letter, read as another ('4708/BY I-DP' for 'BYT-DP'), or
    # inside it ('403/2017/NQLT-UBT VQH14-CP-…' for 'UBTVQH14')
    last = regex.split(r"[-/]", sym)[-1]
    more = regex.match(rf"{H}(?:(\p{{Lu}}{{1,2}})|(\p{{Lu}}{{2,5}}\d\d))(?=[-–]\p{{Lu}}|\s)", rest)
    if more and not body_by_abbreviation(last):
        joined = last + (t_read(more.group(1)) if more.group(1) else more.group(2))
        if body_by_abbreviation(joined) and (tail := REF_TAIL_RE.match(f"0/{joined}{rest[more.end() :]}")):
            whole = sym[: len(sym) - len(last)] + tail.group("sym")
            return whole, m.end() + more.end() + len(tail.group("sym")) - len(joined)
    return sym, m.end()


def _proposer(text: str, start: int) -> str | None:
    """The unit whose head proposes in the words before a reference: 'đề nghị của Trưởng phòng Kinh tế,
    Hạ tầng và Đô thị tại Tờ trình số 45/…' -> 'Phòng Kinh tế, Hạ tầng và Đô thị' (a Tờ trình is its
    unit's, not its head's); 'Giám đốc Sở Nội vụ' -> 'Sở Nội vụ'."""
    m = _PROPOSER_RE.search(squash(text[max(0, start - 200) : start]))
    if not m:
        return None
    who = m.group("who")
    folded = fold_lower(who)
    if folded in central_bodies():
        return who  # 'chỉ đạo của Thủ tướng Chính phủ tại Công điện số …': a body, though its name opens with a title
    for title in longest_first("titles"):
        if folded.startswith(f"{title} ") and who[len(title) + 1 : len(title) + 2].isupper():
            # the title may end in the unit's head word ('Trưởng phòng', 'Chánh Văn phòng', 'Giám đốc Sở')
            rest = who[len(title) + 1 :]
            # the unit named in full after its head's title: 'Cục trưởng Cục Thuế', 'Bộ trưởng Bộ …'
            named = fold_lower(rest).split(" ", 1)[0] in lexicon()["org_heads"]
            head = None if named else next((h for h in longest_first("org_heads") if title.endswith(f" {h}")), None)
            unit = who[len(title) - len(head) :] if head else rest
            return unit[:1].upper() + unit[1:]
    known = folded.split(" ", 1)[0] in lexicon()["org_heads"] or folded in _org_names()
    # a body named with its unit: 'Ủy ban nhân dân thị xã Giá Rai', 'Ủy ban nhân dân tỉnh'
    placed = any(f"{folded} ".startswith(f"{org} {unit} ")
                 for org in ("uy ban nhan dan", "hoi dong nhan dan", "ubnd", "hdnd")
                 for unit in ("tinh", "thanh pho", "huyen", "quan", "thi xa", "xa", "phuong", "thi tran"))  # fmt: skip
    return who if known or placed else None


def _joint_issuers(symbol: str) -> str | None:
    """The bodies a joint document's symbol names, when it names only bodies of the table
    ('TTLT-BNV-BTC-BLĐTBXH' -> 'Bộ Nội vụ, Bộ Tài chính và Bộ Lao động - Thương binh và Xã hội'); one of
    them alone would be wrong."""
    bodies = [body_by_abbreviation(part) for part in symbol.split("/")[-1].split("-")[1:]]
    if len(bodies) < 2 or not all(bodies):
        return None
    names = [b["name"] for b in bodies if b]
    return f"{', '.join(names[:-1])} và {names[-1]}"


def cited_in(text: str, pos: int) -> str:
    """'basis' when the citation stands in a 'Căn cứ …' clause of the preamble, or in one that
    continues such a list after ';' ('Căn cứ Nghị định số 90/…; Nghị định số 48/…'), else 'body'."""
    lo = max(0, pos - 3000)
    folded = fold_lower(text[lo:pos])
    if len(folded) != pos - lo:
        folded = text[lo:pos].lower()
    starts = [0] + [m.end() for m in _CLAUSE_RE.finditer(folded)]
    for n in range(len(starts) - 1, -1, -1):
        clause = folded[starts[n] :].lstrip(" \n-–+•")
        if clause.startswith("can cu"):
            at = lo + len(folded) - len(clause)
            line = text[at:].split("\n", 1)[0]
            # a heading in capitals names a part, no clause ('I. CĂN CỨ PHÁP LÝ VÀ TỔ CHỨC BỘ MÁY' / 'Quỹ hoạt động
            # theo Nghị định số …', set 29)
            return "body" if is_upper_line(line) else "basis"
        # restoration's reading of a damaged 'Căn cứ' before a document's name, capitalised as one ('Cán cờ
        # Luật …', 'Cần có vào Thông tư …'; not 'Cần có kế hoạch …')
        if (damaged := _DAMAGED_CAN_CU_RE.match(clause)) and _TYPE_START_RE.match(clause[damaged.end() :]):
            at = lo + len(folded) - len(clause) + damaged.end()
            if text[at : at + 1].isupper():
                return "basis"
        if not _TYPE_START_RE.match(clause) or n == 0 or folded[starts[n] - 1] != ";":
            return "body"
        folded = folded[: starts[n]]
    return "body"


class References:
    """references: every '<type> số N/KH-… ngày … của …' the text cites, of every family."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        names = doc_type_names()
        rows = doc_type_rows()
        own = doc._.vb_so_line
        # the document itself, as its appendix names it ('Kèm theo Kế hoạch số 321/KH-UBND …')
        number, symbol = (f.value if (f := got(doc, key)) else None for key in ("number", "symbol"))
        itself = ((number or "").lstrip("0"), symbol)  # its number as printed ('05'), compared as a number
        issued = str(f.value) if (f := got(doc, "date")) and f.value else None
        refs: dict[object, Reference] = {}
        spans: list[tuple[int, int]] = []
        listed: list[tuple[int, int, object, bool]] = []  # (start, end, key, issuer named) in text order
        found = cues(doc, "DOC_TYPE")
        # a cue a longer one begins with ('Thông tư' of 'Thông tư liên tịch') is read with no words after it
        shorter = {(c.start_char, c.end_char) for c in found for d in found
                   if d.start_char == c.start_char and d.end_char > c.end_char}  # fmt: skip
        named_until = amended_until = 0
        by_years: dict[object, list[int]] = {}  # laws named with their year alone: where each mention ends
        subject = got(doc, "subject")
        damaged = damaged_basis_types(doc, found)
        damaged += damaged_typed_cues(doc, [*found, *damaged])
        damaged += coded_type_cues(doc, [*found, *damaged])
        damaged += listed_number_cues(doc)
        for cue in sorted([*found, *damaged], key=lambda c: c.start_char):
            # a law named in an amending law's title ('Luật số 43/2024/QH15 sửa đổi, bổ sung một số điều của Luật Đất
            # đai số 31/2024/QH15, Luật Nhà ở số 27/2023/QH15 …;', set 226) is not cited; another amending law by its
            # number is ('… của Luật Quản lý thuế và Luật số 71/2014/QH13 sửa đổi …', set 135)
            amended = cue.start_char < amended_until and not REF_TAIL_RE.match(text, cue.end_char)
            if cue.start_char < named_until or (amended and rows[cue.id_].get("named")):
                continue
            if rows[cue.id_].get("capital") and not cue.text[:1].isupper():
                continue  # a type that is a verb in lower case: 'kiến nghị Ủy ban nhân dân tỉnh …', no 'Kiến nghị số'
            title = None
            named = rows[cue.id_].get("named") and cue.text[:1].isupper()
            m = REF_TAIL_RE.match(text, cue.end_char)  # 'Luật số 21/2017/QH14': a law by its number alone
            if named and m and not regex.search(r"\p{L}", m.group("sym")):
                m = None
            qualify = m is None and not named and (cue.start_char, cue.end_char) not in shorter
            q = _QUALIFIER_RE.match(text, cue.end_char) if qualify else None
            by = q.group("by") if q else None
            if q and not by and not cue.text[:1].isupper():
                q = None  # a type in lower case is qualified by its issuer only ('văn bản của UBND tỉnh số …')
            if by and not q.group("of") and not _known_by(by):
                q = None  # 'Quyết định Về việc …', 'Kế hoạch Phòng chống …': a title's words, no issuer
            if by and (TYPE_WORDS.match(fold_lower(by)) or _RUN_ON_RE.search(by)):
                q = None  # 'theo quy định của Luật Tiếp công dân số 42/2013/QH13': the law is cited, by its own cue
            if q and _NEW_CLAUSE_RE.search(q.group()):
                q = None  # '… các nghị quyết của Trung ương' / (a blank line) 'Thực hiện Kế hoạch số 14-KH/TU'
            if q:
                m = REF_TAIL_RE.match(text, q.end())  # 'Biên bản vi phạm hành chính số 18/BB-VPHC'
            n = None
            if named and m is None:
                n = NAMED_REF_RE.match(text, cue.end_char) or _COMMA_NAMED_RE.match(text, cue.end_char)
            if n:
                numbered = REF_TAIL_RE.match(text, n.end())
                numbered = numbered if numbered and regex.search(r"\p{L}", numbered.group("sym")) else None
                # a name in lower case only before its number: older laws' 'Luật thuế thu nhập cá nhân số
                # 04/2007/QH12'; before a date alone it is a sentence ('Luật này có hiệu lực từ ngày …')
                name = n.group("name")
                # 'Luật sửa đổi, bổ sung … của Luật X và Luật Y ngày …': the amending law, with its date, is
                # cited (with a number after it, X is: 'Luật sửa đổi … của Luật Đầu tư số …')
                amending = not numbered and fold_lower(squash(name)).lstrip().startswith("sua doi")
                capital = name.strip(" \n.:;‘’'\"")[:1].isupper()
                # a law named with its year alone in the body ('Luật Đất đai năm 2003'), not in the subject ('V/v
                # triển khai thi hành Luật Đất đai năm 2024') nor a subject's scope ('… trên địa bàn huyện …')
                year_read = None if numbered else _YEAR_RE.match(text, n.end())
                by_year = year_read is not None
                in_subject = subject is not None and subject.start <= cue.start_char < subject.end
                if by_year and (_SCOPE_RE.search(fold_lower(name)) or in_subject):
                    continue
                if _CLAUSE_IN_NAME_RE.search(fold_lower(name)) or _BEFORE_DATE_RE.search(name.lower()) or (
                    not amending and (len(name.split()) > 20 or not (numbered or capital)
                                      or _OPENER_IN_NAME_RE.search(fold(name).strip(), 1))
                ):  # fmt: skip
                    # no law's name: a subject's 'Luật Lưu trữ' / 'Căn cứ Nghị định số …' (a name's own first
                    # words open no clause: 'Luật Thực hiện dân chủ ở cơ sở')
                    continue
                words = regex.sub(r"[:;.‘’'\"?]", "", n.group("name"))  # 'quyền: địa', '‘Tổ chức', 'trữ?' (OCR)
                title = squash(f"{cue.text} {words}")
                m = numbered or n
                if amending:
                    named_until = n.end()  # the laws it amends are named in it, not cited
            unnumbered = m is None and cue.id_ == "NQ" and (m := _UNNUMBERED_NQ_RE.match(text, cue.end_char))
            # one resolution, named by its session, subject or date, not 'các Nghị quyết của Quốc hội, Chính phủ'
            plural = regex.search(r"(?:các|những)\s+$", text[max(0, cue.start_char - 8) : cue.start_char])
            if unnumbered and (plural or not (m.group("session") or m.group("about") or _date_after(text, m.end())[0])):
                unnumbered, m = False, None
            if unnumbered:  # the Quốc hội's resolutions before 2002 had no number
                title = squash(f"{cue.text} {m.group('about') or 'của Quốc hội'}")
            if m is None:
                continue
            if own and own[0] <= m.start() < own[1]:
                continue
            num = sym = None
            if "num" in m.groupdict():
                if not regex.search(r"\p{L}", m.group("sym")):
                    continue  # 'Chương trình 2021-2025': years, no symbol
                num = fix_digits(m.group("num"))
                raw_sym, sym_end = _whole_symbol(text, m)
                sym = typed_symbol(clean_symbol(raw_sym)[0], cue.id_)
                if (num.lstrip("0"), sym) == itself:
                    continue
            if cue.id_ in GENERIC_TYPES:
                abbr = symbol_type(sym)
                doc_type = names[abbr] if abbr else "Công văn"
            else:
                doc_type = names[cue.id_]
            date, pos = _date_after(text, sym_end if "num" in m.groupdict() else m.end())
            if rows[cue.id_].get("named") and num and _AMENDS_RE.match(text, pos):
                amended_until = end.start() if (end := _CLAUSE_END_RE.search(text, pos)) else len(text)
            if n and not numbered and date and (own_date := got(doc, "date")) and own_date.start < pos <= own_date.end:
                continue  # a subject's law run into the place and date beside it ('V/v triển khai Luật Quản lý và đầu
                # Hà Nội, ngày 8 tháng 9 năm 2025', set 221): the document's own date, no citation's
            before = _ISSUED_ON_RE.search(text, max(0, cue.start_char - 200), cue.start_char)
            if not date and before and before.group("date"):
                date = parse_date_match(ANY_DATE_RE.match(text, before.start("date")))
            elif not date and (acted := _acted_on(text, cue.start_char)):
                date = parse_date_match(ANY_DATE_RE.match(text, acted.start("date")))
            date = _not_after(date, issued) if date and issued and date > issued else date
            family = reference_family(num, sym) or ("law" if named else None)
            iss = _ref_issuer(text, pos, joint=family == "joint")
            if not date and (made := _made_on(text, pos)):
                date = made  # '… số 07/BB-VPHC do Phòng …, Công an tỉnh lập ngày 11/8/2023'
            told_by = before.group("by").replace("?", "") if before else ""  # the English engine's '?' ('thứ? năm')
            issuer = (cited_issuer(iss[0]) if iss else q and q.group("by") and cited_issuer(q.group("by"))
                      or (before and (by := _below_heading(told_by))[:1].isupper() and cited_issuer(by))
                      or ((by := _proposer(text, cue.start_char)) and cited_issuer(by))
                      or legislature(sym) or rows[cue.id_].get("issuer")
                      or ("Quốc hội" if unnumbered else None))  # fmt: skip
            sym = _undoubled(spelled_by_name(sym, issuer)) if sym else sym
            where = cited_in(text, cue.end_char)
            ref = Reference(doc_type, num, sym, date, issuer, title, family, where,  # type: ignore[arg-type]
                            reference_key(f"{num}/{sym}") if num and sym else None)  # fmt: skip
            key = identity(ref)
            refs[key] = merge(refs[key], ref) if key in refs else ref
            if n and by_year:
                by_years.setdefault(key, []).append(year_read.end())  # each mention's end
            spans.append((cue.start_char, iss[2] if iss else pos))
            listed.append((cue.start_char, pos, key, iss is not None))
        _share_listed_issuer(text, refs, listed)
        _drop_misread_repeats(refs)
        # a law named with its year alone that the text cites by its number too is that citation, so is one its
        # number follows in brackets ('Luật Bảo vệ môi trường năm 2014 (Luật số 55/2014/QH13)', set 176)
        numbered_laws = {(r.doc_type, fold_lower(r.title)) for r in refs.values() if r.key and r.title}
        for key, ends in by_years.items():  # its number in brackets after one mention is all mentions' (set 227)
            if key in numbered_laws or any(_NUMBER_IN_BRACKETS_RE.match(text, end) for end in ends):
                refs.pop(key, None)
        for key, entry in refs.items():
            if entry.issuer is None and entry.symbol and entry.family == "joint":
                refs[key] = replace(entry, issuer=_joint_issuers(entry.symbol))
            elif entry.issuer is None and entry.symbol and (abbr := issuer_abbreviation(entry.symbol)) not in names:
                if found := find_by_initials(text, abbr):  # not a type's own ('224/SL': the Sắc lệnh itself)
                    refs[key] = replace(entry, issuer=found[0])
        if refs:
            put(doc, "references", tuple(refs.values()), spans[0][0], spans[-1][1], 0.85)
        return doc


# An amending law's title after its number: 'Luật số 43/2024/QH15 sửa đổi, bổ sung một số điều của …'; it ends
# with its clause.
_AMENDS_RE = regex.compile(r",?\s*sửa\s+đổi")
_CLAUSE_END_RE = regex.compile(r"[;.](?=\s|$)")


def _drop_misread_repeats(refs: dict[object, Reference]) -> None:
    """A citation repeated without its date whose symbol OCR read a letter off ('Công văn số 2738/KBNN-VP ngày
    24/6/2025 …' then '… tại Công văn số 2738/KBNN-VPE.', set 224) is the dated one, not a document of its own.
    Not a Party one: a committee's resolution may carry the number of the centre's it carries out ('05-NQ/TU',
    '05-NQ/TW')."""
    dated = [r for r in refs.values() if r.date and r.number and r.symbol]
    for key, ref in list(refs.items()):
        if ref.date or not ref.number or not ref.symbol or ref.family == "party":
            continue
        if any(r.number == ref.number and r.doc_type == ref.doc_type and r.symbol != ref.symbol
               and Levenshtein.distance(r.symbol, ref.symbol) == 1 for r in dated):  # fmt: skip
            del refs[key]


# What joins the references of one list: 'Thông tư số 39/…, Thông tư số 06/… và Thông tư số 12/… của X'.
_LIST_JOIN_RE = regex.compile(r"\s*[,;]?\s*(?:và\s+)?")


def _share_listed_issuer(text: str, refs: dict[object, Reference], listed: list[tuple[int, int, object, bool]]) -> None:
    """A reference of a list that names its issuer once, at the end, takes that issuer when it was
    issued by the same body, as its symbol says (both '…/TT-NHNN'); a list of documents of several
    bodies keeps each its own. So with a date set off by a comma after the last ('Nghị quyết số 18-NQ/TW và Nghị
    quyết số 19-NQ/TW, ngày 25-10-2017 của Ban Chấp hành Trung ương', set 240)."""
    for (_, end, key, named), (nxt_start, nxt_end, nxt_key, _) in reversed(list(pairwise(listed))):
        entry, after = refs[key], refs[nxt_key]
        same = bool(entry.symbol) and issuer_abbreviation(entry.symbol) == issuer_abbreviation(after.symbol)
        if same and not entry.date and after.date and regex.fullmatch(r"\s+và\s+", text[end:nxt_start]) and (
            regex.search(r"[\p{L}\d]\s*,\s*ngày\s", text[nxt_start:nxt_end])
        ):
            refs[key] = entry = replace(entry, date=after.date)
        if named or not after.issuer or _LIST_JOIN_RE.fullmatch(text, end, nxt_start) is None:
            continue
        if same:
            refs[key] = replace(entry, issuer=after.issuer)


# A body's abbreviation a cited issuer's name is spelt out with, as the casing table spells it ('Ban Thường trực Ủy
# ban MTTQ Việt Nam tỉnh Nghệ An', set 141); no school's kind or place word ('THPT', 'TP'), which names keep.
_ABBREVIATED_RE = regex.compile(
    r"(?<!\p{L})(?:UBND|HĐND|UBMTTQ|MTTQ|LHPN|LĐLĐ|NHCSXH|UBBC|CCB|BCH|VKSND|TAND|THADS|CHQS|BĐBP|LĐTBXH|TNMT|KHĐT|"
    r"GTVT|VHTTDL|TTTT|HTX)(?!\p{L})"
)
_INNER_CAPS_RE = regex.compile(r"(?<=\s)\p{Lu}{2,}(?=\s+\p{Lu}\p{Ll})")


def _head_case(m: regex.Match) -> str:
    word = m.group()
    return word.capitalize() if fold_lower(word) in lexicon()["org_heads"] else word


def cited_issuer(name: str) -> str:
    """A cited issuer as the text names it, with the damage OCR does to such names undone: a head word
    left in capitals ('BỘ Công Thương', restoration's reading of 'Bộ'), a central body a letter or two
    off ('Ban Chấp hành Trung uvong'); an abbreviated body spelt out as a header's is ('UBND tỉnh Quảng
    Nam', 'Chủ tịch UBND huyện')."""
    name = _ABBREVIATED_RE.sub(lambda m: lexicon()["phrases"][fold_lower(m.group())], name)
    name = respell_head(name)
    name = _INNER_CAPS_RE.sub(_head_case, name)  # an inner head left in capitals too ('Bộ trưởng BỘ Nội vụ')
    if fold_lower(name) not in central_bodies() and (row := central_body(name)):
        return row["name"]
    return name


@dataclass(frozen=True)
class TypeCue:
    """A document type read where no cue matched (the fields of a span the loop above reads)."""

    text: str
    start_char: int
    end_char: int
    id_: str


_BASIS_RE = regex.compile(r"(?m)^\W*C\p{L}n\s+c\p{L}['’?]?\s+(?P<words>\p{Lu}[\p{L}\p{M}]*(?:\s+[\p{L}\p{M}]+)?)")


def damaged_basis_types(doc: Doc, found: list) -> list[TypeCue]:
    """The type word of a 'Căn cứ …' clause OCR or restoration damaged past the cue ('Căn cứ Luaét Tổ chức
    chính quyền địa phương số 72/2025/QH15'): the type whose name is nearest (one word or two)."""
    text = doc.text
    starts = {c.start_char for c in found}
    out = []
    for m in _BASIS_RE.finditer(text):
        if m.start("words") in starts:
            continue
        words = m.group("words").split()
        best = None
        for type_id, name in doc_type_names().items():
            n = len(name.split())
            if n > len(words) or type_id in GENERIC_TYPES:
                continue
            seen = " ".join(words[:n])
            score = fuzz.ratio(fold_lower(seen), fold_lower(name))
            if score >= 80 and (best is None or score > best[0]):
                end = m.start("words") + len(words[0]) if n == 1 else m.end("words")
                best = (score, TypeCue(text[m.start("words") : end], m.start("words"), end, type_id))
        if best:
            out.append(best[1])
    return out


# Two words before 'số' and a number whose symbol opens with a type's code: 'Xét Tế trình số 186/TTr-UBND'.
_TYPED_NUMBER_RE = regex.compile(
    rf"(?<!\p{{L}})(?P<words>\p{{Lu}}[\p{{L}}\p{{M}}]*\s+[\p{{L}}\p{{M}}]+)\s+{SO_WORD}{H}*:?\s*\d{{1,6}}/"
    rf"(?:(?:19|20)\d\d/)?(?P<code>\p{{Lu}}[\p{{Lu}}a-z]*)[-/]"
)


def damaged_typed_cues(doc: Doc, found: list) -> list[TypeCue]:
    """A type's two words OCR or restoration damaged past the cue ('Xét Tế trình số 186/TTr-UBND'): the type
    the symbol's code names, where the words read as its name but for a letter or two."""
    text, names = doc.text, doc_type_names()
    starts = {c.start_char for c in found}
    out = []
    for m in _TYPED_NUMBER_RE.finditer(text):
        name = names.get(m.group("code"))
        if m.start("words") in starts or not name or len(name.split()) != 2 or m.group("code") in GENERIC_TYPES:
            continue
        if fuzz.ratio(fold_lower(m.group("words")), fold_lower(name)) >= 80:
            out.append(TypeCue(m.group("words"), m.start("words"), m.end("words"), m.group("code")))
    return out


# A type written as its code before a number whose symbol repeats it: 'NĐ 30/2020/NĐ-CP', 'QĐ số 12/QĐ-UBND'.
_CODED_TYPE_RE = regex.compile(
    rf"(?<![\p{{L}}\d/-])(?P<code>\p{{Lu}}[\p{{Lu}}a-z]{{1,3}})(?:{H}+{SO_WORD})?{H}*:?{H}*\d{{1,6}}/"
    rf"(?:(?:19|20)\d\d/)?(?P=code)[-/]"
)


# The next of a list of one type, by its number alone: 'Các Hướng dẫn số 41/HD-SYT ngày … và số 19/HD-SYT ngày …'.
_LISTED_NUMBER_RE = regex.compile(
    rf"(?:(?<=\svà)|(?<=,))\s+(?P<so>{SO_WORD}){H}*\d{{1,6}}/(?:(?:19|20)\d\d/)?(?P<code>\p{{Lu}}[\p{{Lu}}a-z]{{1,3}})[-/]"
)


def listed_number_cues(doc: Doc) -> list[TypeCue]:
    """'… và số 19/HD-SYT' after a document of that type: the type its symbol's code names (set 254)."""
    names, text = doc_type_names(), doc.text
    out = []
    for m in _LISTED_NUMBER_RE.finditer(text):
        code = m.group("code")
        if code in names and code not in GENERIC_TYPES and regex.search(rf"{names[code]}\s", text[: m.start()]):
            out.append(TypeCue(m.group("so"), m.start("so"), m.end("so"), code))
    return out


def coded_type_cues(doc: Doc, found: list) -> list[TypeCue]:
    """A type written as its code, as small offices type it ('căn cứ NĐ 30/2020/NĐ-CP'): the code must be a
    type's and the symbol after it open with the same code."""
    names, starts = doc_type_names(), {c.start_char for c in found}
    coded = [m for m in _CODED_TYPE_RE.finditer(doc.text) if m.start() not in starts]
    return [TypeCue(m.group("code"), m.start(), m.end("code"), m.group("code"))
            for m in coded if m.group("code") in names and m.group("code") not in GENERIC_TYPES]  # fmt: skip


def identity(ref: Reference) -> object:
    """What makes two citations one reference: the key, or for a law cited by name its type and name."""
    return ref.key or (ref.doc_type, fold_lower(ref.title or ""))


def merge(first: Reference, later: Reference) -> Reference:
    """One entry per cited document: the first citation's, completed from a later one."""
    return replace(
        first,
        date=first.date or later.date,
        issuer=first.issuer or later.issuer,
        title=first.title or later.title,
        cited_in="basis" if "basis" in (first.cited_in, later.cited_in) else "body",
    )


# A citation told in the order of events, its date and issuer before it: 'Ngày 19 tháng 01 năm 2011, Bộ
# Nội vụ ban hành Thông tư số 01/2011/TT-BNV …' (prose writes the issuer in lower case: 'chính phủ đã ban hành
# nghị định số …', whose date is taken, not its issuer); or its issuer alone: '…, Ủy ban nhân dân tỉnh đã
# ban hành Kế hoạch số 126/KH-UBND ngày …'. The English engine's '?' may follow a word ('Hội nghị lần thứ? năm').
_ISSUED_ON_RE = regex.compile(
    rf"(?:^|(?<=[.;:,]\s*|\n))[^\S\n]*(?:(?:{NGAY}\s+)?(?P<date>(?i:{ANY_DATE_RE.pattern}))\s*,?\s*"
    r"(?:tại\s+[Kk]ỳ\s+họp\s+thứ\s+[\p{L}\d]+,\s*)?)?"  # the session that passed a law: 'tại Kỳ họp thứ 5'
    r"(?P<by>\p{L}[\p{L}\p{M}]*\??(?:,?\s+(?:-\s+)?[\p{L}\p{M}]+\??){0,14}?)\s+(?:đã\s+)?(?:ký\s+)?(?:ban\s+hành|thông\s+qua|(?(date)(?:có|lập)|(?!)))\s+\Z"
)

# A sentence opened by its date that tells what a body did by the cited document: 'Ngày 14/9/2021, Bộ Y tế phân
# bổ bổ sung cho tỉnh 68.400 liều vắc xin tại Quyết định số 4398/QĐ-BYT' (set 182): the document is of that day.
_ACTED_ON_RE = regex.compile(
    rf"(?:^|(?<=[.;]\s*|\n))[^\S\n]*Ngày\s+(?P<date>(?i:{ANY_DATE_RE.pattern}))\s*,\s+\p{{Lu}}"
    r"(?:[^.;\n]|(?<=\d)\.(?=\d)|\n(?![^\S\n]*\n)){3,200}?\s+tại\s+\Z"
)



def _acted_on(text: str, start: int) -> regex.Match | None:
    """_ACTED_ON_RE before ``start``, where what the body did names no other document: not 'Ngày 8 tháng 11 năm
    2005, Bộ Thương mại ban hành thông tư hướng dẫn … tại Nghị định số 110/2005/NĐ-CP' (the circular's day)."""
    acted = _ACTED_ON_RE.search(text, max(0, start - 300), start)
    return acted if acted and not TYPE_WORDS.search(fold_lower(text[acted.end("date") : start])) else None


def _below_heading(by: str) -> str:
    """The body that issued on a date, without a heading in capitals on the line above it ('II. CÔNG TÁC CHỈ
    ĐẠO' / 'Ủy ban nhân dân thành phố đã ban hành Kế hoạch số …')."""
    lines = by.split("\n")
    while len(lines) > 1 and is_upper_line(lines[0]):
        lines.pop(0)
    return squash(" ".join(lines))


def _undoubled(symbol: str) -> str:
    """A central body's code in a symbol with its last letter read twice ('TTLT-BTC-BYTT' for 'BYT') or a
    stroke read as a letter inside it ('UEBTVQH14', 'BITNMT', 'ĐCTUBITWMTTQVN'): the one code of the table
    of central bodies the part reads as without it."""
    parts = regex.split(r"([-/])", symbol)
    for n, part in enumerate(parts):
        if len(part) < 4 or body_by_abbreviation(part):
            continue
        reads = {regex.sub(r"(\p{Lu})\1$", r"\1", part)}
        reads |= stroke_dropped(part)
        known = {r for r in reads - {part} if body_by_abbreviation(r)}
        if len(known) == 1:
            parts[n] = known.pop()
    return "".join(parts)


def _not_after(date: str, issued: str) -> str:
    """A cited document's date after the citing one's is a digit OCR misread in its year: the reading with
    one such digit changed that falls before the document and nearest it ('2028-09-08' cited in a letter
    of October 2025 is '2025-09-08'); kept as read where none does."""
    near = [d for d in year_misreads(date, DIGIT_MISREADS) if d <= issued and int(d[:4]) >= int(issued[:4]) - 1]
    return max(near) if near else date


def _made_on(text: str, pos: int) -> str | None:
    """The date a body named after the number made the document on ('số 07/BB-VPHC do Phòng …, Công an tỉnh
    lập ngày 11/8/2023'), within its clause and before any other number."""
    if (m := _MADE_ON_RE.match(text, pos)) and not regex.search(r"\d", m.group()):
        return _date_after(text, m.end())[0]
    return None


def _date_after(text: str, pos: int) -> tuple[str | None, int]:
    """The date right after a cited number: ', ngày 03/9/2025', 'ngày 12 tháng 4 năm 2024', 'được Quốc hội
    thông qua ngày 22 tháng 6 năm 2015'; a speck OCR put after the number ('27/KHLT-BĐBP-BCH-CAT' ngày …',
    '4367/QĐ- UBND §ngày …', set 220); '… số 105/2016/QH13 đã được Quốc hội thông qua ngày …' (set 223)."""
    lead = regex.match(
        r"\s*[‘’'`§°•·*~]?\s*,?\s*"
        r"(?:(?:đã\s+)?được\s+(?:Quốc\s+hội(?:\s+khóa\s+[IVXL]+)?|Chính\s+phủ|\S+)\s+"  # '… khóa XV thông qua'
        r"(?:thông qua\s+|ban hành\s+|ký\s+)?|ban hành\s+|"
        r"thông qua\s+|lập\s+|ký\s+)?",
        text[pos:],
    )
    at = pos + (lead.end() if lead else 0)
    if d := ANY_DATE_RE.match(text, at):
        return parse_date_match(d), d.end()
    if (w := regex.match(rf"{NGAY}\s*[‘’'`\"]?", text[at:])) and (d := ANY_DATE_RE.match(text, at + w.end())):
        return parse_date_match(d), d.end()
    return None, pos
