"""Body components: the 'Kính gửi' list and the deadlines set in the text."""

from __future__ import annotations

import datetime as dt

import regex
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.doc import cues, got, kinh_gui, put
from pipeline.extract.lists import BULLET_RE, list_items
from pipeline.extract.text import (
    ANY_DATE_RE,
    DIGIT_MISREADS,
    DIGITISH,
    SHORT_DATE_RE,
    V_ANY,
    H,
    make_date,
    parse_date_match,
    squash,
    year_misreads,
)
from pipeline.types import Deadline
from pipeline.vietnamese import fold_lower


class Recipients:
    """recipients: the entries of 'Kính gửi:' (inline or a bulleted list)."""

    def __init__(self, nlp: Language, name: str, max_items: int) -> None:
        self.name = name
        self.max_items = max_items

    def __call__(self, doc: Doc) -> Doc:
        kg = kinh_gui(doc)
        if not kg:
            return doc
        start = kg[1]
        m = regex.match(r"[^\S\n]*[:;.]?", doc.text[start:])
        start += m.end() if m else 0
        items = list_items(doc.text, start, self.max_items, skip_upper=False)
        if items:
            put(doc, "recipients", tuple(v for v, _, _ in items), items[0][1], items[-1][2], 0.9)
        return doc


# A full stop OCR put between 'ngày' and its date ('trước ngày. 30/9/2025') ends no sentence, nor does a
# year wrapped to the next line ('… tháng 12 năm' / '2025.'): a list's number has at most three digits.
# A line that opens with a number and a full stop is a list's next item, unless that number is a date's
# day wrapped there ('… trước ngày' / '30.4.2012.'). A '?' or '!' before a word in lower case is a mark the
# English engine read so ('Cơ sở di? liệu … điện tử? trong tháng 3/2026', set 160), no sentence's end.
SENT_END_RE = regex.compile(
    r"(?:[.;]|[!?](?![^\S\n]+\p{Ll}))(?=\s)(?![^\S\n]*\d+/)|\n(?=[^\S\n]*(?:[-–+•](?!\d)|\d{1,3}\.(?!\d{1,2}\.\d{4})|[a-zđ]\)))"
)


# 'trước ngày' as restoration leaves it after Latin-model OCR: 'truoéc', 'truséc', 'trué’c', 'triréc'. Five
# letters or more (or a quote) between 'tr' and 'c' keep 'trực ngày' / 'trúc' (four) out; 'tru dé’c' (sets 216, 234).
# 'chậm nhất ngày' too ('chém nhật ngày'), its date right after.
DAMAGED_BEFORE_RE = regex.compile(
    r"(?i)(?<!\w)(?:tr(?:[\p{L}\p{M}]{3,4}|[\p{L}\p{M}'’]*['’][\p{L}\p{M}'’]*|u\s+d\p{L}['’]?)c\s+ng\p{L}y\b|"
    r"ch\p{L}{1,2}m\s+nh\p{L}{1,2}t\s+ng\p{L}y\b(?=\s*\d))"
)


# 'trước 16 giờ 00 ngày 14/10/2025', 'trước 17h00, thứ Sáu, ngày …': an hour between 'trước' and 'ngày'; its
# minutes as OCR may read them ('trước 15 giờ OO ngày', set 217); its 'trước' as restoration left it before the hour
# ('trúc 16 giờ 00 ngày', set 253 through eng), not the duty's 'trực' ('trực 24 giờ ngày 30/4')
TIMED_BEFORE_RE = regex.compile(
    rf"(?i)(?<!\w)tr(?!ực)[\p{{L}}\p{{M}}]{{1,4}}c\s+\d{{1,2}}\s*(?:giờ|h)['’]?(?:\s*{DIGITISH}{{1,2}}(?:\s*phút)?)?\s*,?"
    r"(?:\s*(?:thứ\s+\p{L}+|chủ\s+nhật)\s*,?)?\s*ngày"
)
# 'trước 30/11/2025': the date right after 'trước', without 'ngày' (its year's end maybe a letter: '200G').
BARE_BEFORE_RE = regex.compile(r"(?i)(?<!\w)trước\s+(?=\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d(?:\d|(?-i:[AGSB]))\b)")
# A day and month in words without the year ('trước ngày 05 tháng 12'): the document's year. Not a
# recurring date ('trước ngày 31 tháng 01 của năm sau', '… hằng năm'), which has none.
WORDED_SHORT_RE = regex.compile(
    rf"ng{V_ANY}y{H}*(?P<d>{DIGITISH}{{1,2}}){H}*th{V_ANY}ng{H}*(?P<m>\d{{1,2}})(?!{H}*[/.\-]?{H}*\d)"
    rf"(?!{H}*(?:của{H}+)?(?:năm|hằng|hàng))",
    regex.IGNORECASE,
)
# A quarter's numeral; OCR reads its 'I' as 'l', '1', '|' or 'T' ('Quý TV/2025').
_ROMAN_I = "[IlT1|]"
# A month or a quarter as the limit: 'trong tháng 12/2025', 'trước tháng 11 năm 2025', 'trong Quý IV/2025'; the
# line may wrap after 'tháng' ('hoàn thành trong tháng' / '11/2021.').
PERIOD_RE = regex.compile(
    rf"(?i)(?<!\w)(?P<pre>trong|trước|chậm nhất(?:{H}+(?:trong|vào))?|cuối|hết)\s+"
    rf"(?:tháng\s+(?P<m>\d{{1,2}})|quý\s+(?P<q>{_ROMAN_I}V|{_ROMAN_I}{{1,3}}(?!V)|[2-4](?!V)))"
    rf"(?:{H}*[/-]{H}*|\s+năm\s+)(?P<y>(?:19|20)\d\d)(?!\d)"
)
_PURPOSE_RE = regex.compile(r"(?i)(?<!\w)để\s")
# A period after 'trong' is a deadline only where the sentence says what is to be done by then.
# (wrapped too: 'hoàn' / 'thành'), or a stop ('dừng hoàn toàn phát sóng 2G … trong tháng 9/2024', set 210)
_DONE_RE = regex.compile(r"(?i)hoàn\s+thành|hoàn\s+tất|xong|báo\s+cáo|gửi|dừng\s+hoàn\s+toàn|chấm\s+dứt")
# within a month, also a handing over or a submission to a superior ('bàn giao trong tháng 10/2025', 'trình UBND
# tỉnh trong tháng 12/2024'); within a quarter such a step is the sets' schedule, no deadline
_DONE_IN_MONTH_RE = regex.compile(
    r"(?i)bàn\s+giao|trình\s+(?:UBND|Ủy\s+ban|Hội\s+đồng|Chủ\s+tịch|cấp|Ban\s+Thường\s+vụ|Thường\s+trực|Tỉnh\s+ủy|"
    r"Huyện\s+ủy|Thành\s+ủy|Ban\s+Chấp\s+hành)"
)  # a Party committee too: 'trình Ban Thường vụ Tỉnh ủy trong tháng 10-2020' (set 201)
# A date whose year's second digit OCR misread ('15/9/2924' of 2024, set 219: the dates' forms want 19 or 20); a
# deadline's only, where _plausible reads the year back (DIGIT_MISREADS).
_CENTURY_MISREAD_RE = regex.compile(
    rf"(?<![\d/])(?P<d>{DIGITISH}{{1,2}})[^\S\n]*/[^\S\n]*(?P<m>{DIGITISH}{{1,2}})[^\S\n]*/[^\S\n]*(?P<y>2[689]\d\d)(?!\d)"
)
# How far ahead of its document a deadline can be; a year past it is a digit OCR misread ('31-10-2046' of 2016).
DEADLINE_YEARS = 10
# what happened ('Sở đã hoàn thành trong tháng 9/2025'), not a case described in passing ('Hoàn thành … các trường
# hợp vi phạm đã được kết luận trong năm 2023 trong tháng 6/2024')
_PAST_RE = regex.compile(r"(?i)(?<!\w)đã(?!\w)(?!\s+được)")
# A day and month without a year in a sentence that repeats every period is no one deadline: also a report's
# half-yearly and yearly schedule ('báo cáo kết quả thực hiện 6 tháng, năm (trước ngày 15/6 và 15/12)', set 197).
_RECURRING_RE = regex.compile(
    r"(?i)(?<!\w)(?:định\s+kỳ|hằng\s+năm|hàng\s+năm|hằng\s+quý|hằng\s+tháng|6\s+tháng,\s+năm|"
    r"6\s+tháng\s+\([^()]*\)\s+và\s+n\p{L}m)(?!\w)"  # '6 tháng (trước ngày 15/6) và năm (trước ngày 15/12)' (set 231)
)
# 'đến hết ngày' closes a span of time, not a task, where the sentence opens the span ('từ ngày 01/01/2026 đến
# hết ngày 31/01/2026', a forecast's 'từ đêm 07/9 …') or an event runs ('lễ hội diễn ra đến hết ngày 10/3/2025'),
# unless it says what is to be handed in by then ('nộp hồ sơ từ ngày … đến hết ngày …'); a body's window for
# receiving ('nhận hồ sơ từ ngày 01/7 đến hết ngày 31/8') is a span (sets 29 and 35), so is a term of office
# ('thời hạn giữ chức vụ 05 năm, đến hết ngày 14 tháng 8 năm 2021', set 56), so is a paper's validity ('Giấy có
# giá trị đến hết ngày 31/5/2019', set 72), so is a body's receiving ('tiếp tục nhận ủng hộ … đến hết ngày 31/01/2026',
# set 134), so is going on with a task ('Tiếp tục giải quyết … đến hết ngày 31/12/2025', set 150); figures'
# cut-off is no limit at all ('(số liệu đến hết ngày 31/8/2025) gửi trước ngày 10/9/2025', set 150), nor the
# span its figures are reckoned over ('Số liệu báo cáo thống kê năm được tính từ ngày 01/10/2016 đến hết ngày …',
# set 180).
_TILL_END_RE = regex.compile(r"(?i)đến\s+hết(?:\s+ngày)?\s*$")
_CUT_OFF_RE = regex.compile(
    r"(?i)số\s+liệu\s+(?:tính\s+)?$|số\s+liệu(?:\s+[^\s.;,]+){0,5}?\s+(?:được\s+)?tính\s+từ\s[^.;]{0,40}$"
    r"|\(\s*số\s+\S+\s+tính\s+$"  # 'số liệu' as OCR damaged it, in its brackets: '(số li€6u tính đến hết ngày …)'
)
# What lasts till then, whatever the sentence asks done: a card's or paper's validity ('gia hạn thẻ … có hạn sử dụng
# đến hết ngày 31/12/2021', set 177), a licence's term ('Giấy phép … thời hạn hoạt động đến ngày 12/5/2025', set
# 187), a stock ('Lượng nước dự trữ …, đủ dùng đến hết tháng 5/2020', set 179), what may be done till then ('Các
# khoản chi … chỉ được chi đến hết ngày 31/12/2018', set 224), a need reckoned to a month ('Rà soát số lượng thuốc …
# tồn kho, nhu cầu đến hết tháng 9/2021', set 254).
_LASTS_RE = regex.compile(
    r"(?i)(?<!\w)(?:hạn\s+sử\s+dụng|giá\s+trị(?:\s+sử\s+dụng)?|hiệu\s+lực|thời\s+hạn\s+hoạt\s+động|"
    r"đủ\s+(?:dùng|sử\s+dụng|cung\s+cấp)|chỉ\s+được\s+\p{L}+|nhu\s+cầu)\s+(?:đến|tới)(?:\s+hết)?(?:\s+ngày)?\s*$"
)
_SPAN_RE = regex.compile(
    r"(?i)(?<!\w)(?:từ|diễn\s+ra|kéo\s+dài|giữ\s+chức\s+vụ|nhiệm\s+kỳ|có\s+giá\s+trị|nhận|tiếp\s+tục|"
    r"thời\s+gian)(?!\w)"  # a period's ('thời gian chỉnh lý quyết toán … đến hết ngày 31/01/2019', set 224)
)
# a span's opening, the English engine's '?' maybe after it ('thời hạn 05 năm kể từ? ngày 01/7/2019', set 141)
_FROM_RE = regex.compile(r"(?i)(?<!\w)từ[?!]?\s+(?:\d{1,2}\s*giờ(?:\s*\d{1,2}(?:\s*phút)?)?\s+)?(?:ngày\s+)?$")
# where the clause of a span's closing date ends: what follows says why or by what rule
_CLAUSE_END_RE = regex.compile(r"[,;]|\s(?:để|theo)\s")
# its 'từ' as the English engine reads it: 'tw', 't&w' (set 247); or a list item led by its first day ('- Ngày 20
# đến hết ngày 22-02-2026 (mùng 4 đến mùng 6 Tết): đồng chí …', a duty roster, set 246)
_FROM_DAY_RE = regex.compile(r"(?i)(?<!\w)(?:từ|t[^\s\w]?w)\s+(?:ngày\s+)?\d")
_DAY_LED_RE = regex.compile(r"(?i)\s*[-–+•]?\s*ngày\s+\d")
# a span opened in the clause and closed by the period after it
_FROM_TO_RE = regex.compile(r"(?i)(?<!\w)từ(?!\w)[^,;.\n]{1,60}(?<!\w)đến\s*$")
# what is done by then, or handed in, or a limit named as one ('thời hạn nhận hồ sơ đến hết ngày …')
_HANDED_IN_RE = regex.compile(rf"{_DONE_RE.pattern}|nộp|đăng\s+ký|thời\s+hạn\s+(?:tiếp\s+)?nhận")
# A month the text expects something in is no limit set: '(dự kiến trong tháng 7/2026)'; nor is a forecast of
# what will happen by then ('Hội nghị tổng kết dự kiến tổ chức vào cuối tháng 12/2022', 'Công ty dự kiến bàn giao
# … và hoàn thành … trước ngày 31/12/2025'); 'dự kiến' describing what is sent makes none ('danh sách dự kiến …').
_EXPECTED_RE = regex.compile(  # also 'dự kiến trong những ngày cuối tháng 8/2018 sẽ có 27 người …' (set 227)
    r"(?i)dự\s+kiến(?:\s+(?:trong|vào|khoảng))?(?:\s+(?:những|các)\s+ngày)?\s*$"
)
_FORECAST_RE = regex.compile(
    r"(?i)(?<!\w)dự\s+kiến\s+(?:sẽ\s+)?(?:tổ\s+chức|hoàn\s+thành|diễn\s+ra|bàn\s+giao|triển\s+khai|khai\s+giảng|"
    r"khởi\s+công|bố\s+trí|sắp\s+xếp)"  # 'dự kiến bố trí giáo viên … trước ngày khai giảng 05/9/2025' (set 233)
)
# The next step of a forecast's schedule, after a comma: '… dự kiến khởi công trong tháng 7/2023, hoàn thành trong
# quý IV năm 2023' (set 184).
_NEXT_STEP_RE = regex.compile(r",\s+(?:hoàn\s+thành|bàn\s+giao|đưa\s+vào\s+sử\s+dụng|nghiệm\s+thu)\s[^,;()]*$")


# A day as a task's limit: 'hoàn thành việc giao, nhận quân … trong ngày 26 tháng 02 năm 2018' (set 193); not an
# event's day ('Ngày hội tổ chức trong ngày 28/3/2026', set 150) nor when a result is out ('kết quả thi được công bố
# trong ngày 18/8/2024', set 97).
_WITHIN_DAY_RE = regex.compile(r"(?i)(?<!\w)trong\s+ngày\s+(?=\d)")


def _task_done(before: str, month: bool = False) -> bool:
    """Whether the sentence up to a limit after 'trong' says what is to be done by then (within a ``month``, also
    handed over or submitted). Not what happened: 'Trong tháng 9/2025, Sở đã …', '… đã hoàn thành trong tháng 9/2025';
    but a clause before it may have ('các việc đã đủ điều kiện, hoàn thành trong tháng 11/2025'). Not a report due
    every period ('báo cáo định kỳ vào ngày 05 hằng tháng và tổ chức giao ban … trong tháng 11/2022')."""
    verbs = [*_DONE_RE.finditer(before), *(_DONE_IN_MONTH_RE.finditer(before) if month else ())]
    # 'đã' after the task's verb is a relative clause's ('hoàn thành trồng thay thế cây sao đen, cây dầu rái tại các
    # vị trí đã chặt hạ trong tháng 9/2024', set 229), before it the task's own
    clause = len(before) - len(regex.split(r"[,;:]", before)[-1])
    p = _PAST_RE.search(before, clause)
    past = p is not None and not any(v.start() < p.start() for v in verbs)
    return bool(verbs) and not past and not _RECURRING_RE.search(before)


def _forecast(text: str, start: int, at: int) -> bool:
    """A forecast in the clause that ends at ``at`` (no comma or bracket between), or in the one before it when
    this clause is its schedule's next step: '(dự kiến tổ chức ngày 26/3), … gửi báo cáo trước ngày 20/3' is a
    deadline."""
    clause = max(start, *(text.rfind(c, start, at) + 1 for c in ",;()"))
    if _FORECAST_RE.search(text, clause, at):
        return True
    step = _NEXT_STEP_RE.search(text, start, at)
    return step is not None and _forecast(text, start, step.start())


def period_end(m: regex.Match) -> str | None:
    """The last day of the month or quarter a PERIOD_RE match names; before it ('trước'): the day before."""
    year = int(m.group("y"))
    if q := m.group("q"):  # 'IV' as read, or a digit: 'V' makes four, else the count of its 'I's
        first = 3 * (4 if q.upper().endswith("V") else int(q) if q in "234" else len(q)) - 2
    else:
        first = int(m.group("m"))
    last = first if m.group("m") else first + 2
    if not 1 <= first <= 12:
        return None
    if fold_lower(m.group("pre")) == "truoc":
        return (dt.date(year, first, 1) - dt.timedelta(days=1)).isoformat()
    after = dt.date(year + 1, 1, 1) if last == 12 else dt.date(year, last + 1, 1)
    return (after - dt.timedelta(days=1)).isoformat()


def _plausible(date: str, issued: str, written: bool = False) -> str | None:
    """A deadline within DEADLINE_YEARS of its document; one further on is read with the one digit of its
    year that brings it within five years after the document (OCR's '4' for '1': '2046' of a 2016
    letter), or dropped where no single digit does, or several do. One two years on or more is read
    with a digit OCR misreads where that alone brings it within a year of the document ('15/9/2028' in
    a plan of August 2025 is '15/9/2025': no deadline of the evaluation sets lies 15 months out), unless
    the document ``written`` that year elsewhere too (a plan 'giai đoạn 2023 - 2025' of 2023 ends in 2025)."""
    first = int(issued[:4])
    if int(date[:4]) >= first + 2 and not written:
        within = f"{first + 1}{issued[4:]}"
        near = [d for d in year_misreads(date, DIGIT_MISREADS) if issued <= d <= within]
        if len(near) == 1:
            return near[0]
    if int(date[:4]) <= first + DEADLINE_YEARS:
        return date
    near = [d for d in year_misreads(date) if first <= int(d[:4]) <= first + 5 and d >= issued]
    return near[0] if len(near) == 1 else None


def deadline_cues(doc: Doc) -> list[tuple[int, int]]:
    """Where a deadline is announced: the cue phrases, 'trước ngày' damaged by OCR, 'trước 16 giờ ngày',
    'trước 30/11/2025'."""
    # a cue's words each capitalised are a name's, read through the cue's folded letters ('bà Lâm Thời Hán', set 174)
    found = {(c.start_char, c.end_char) for c in cues(doc, "DEADLINE") if not _named(c.text)}
    damaged, timed, bare = (r.finditer(doc.text) for r in (DAMAGED_BEFORE_RE, TIMED_BEFORE_RE, BARE_BEFORE_RE))
    for m in (*damaged, *timed, *bare):
        if not any(s <= m.start() < e for s, e in found):
            found.add((m.start(), m.end()))
    return sorted(found)


def _named(words: str) -> bool:
    return len(parts := words.split()) > 1 and all(w[:1].isupper() and not w.isupper() for w in parts)


class Deadlines:
    """deadlines: a date within the same sentence after 'trước ngày', 'chậm nhất', 'thời hạn', 'hạn nộp'."""

    def __init__(self, nlp: Language, name: str, window: int) -> None:
        self.name = name
        self.window = window

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        year = got(doc, "date_year")
        out: list[Deadline] = []
        seen: set[tuple[str, int]] = set()
        found: list[tuple[str, int]] = []  # (date, where its cue stands)
        first = last = None
        within_day = [
            (m.start(), m.end())
            for m in _WITHIN_DAY_RE.finditer(text)
            if _task_done(text[self._sentence(text, m.start())[0] : m.start()])
        ]
        for cue_start, cue_end in sorted({*deadline_cues(doc), *within_day}):
            sentence = self._sentence(text, cue_start)
            if _forecast(text, sentence[0], cue_start):
                continue  # 'Công ty dự kiến bàn giao … và hoàn thành toàn bộ dự án trước ngày 31/12/2025'
            end = min(len(text), cue_end + self.window)
            if stop := SENT_END_RE.search(text, cue_end, end):
                end = stop.start()
            date = None
            d = ANY_DATE_RE.search(text, cue_start, end) or _CENTURY_MISREAD_RE.search(text, cue_start, end)
            if d and _FROM_RE.search(text, max(cue_end, d.start() - 30), d.start()):
                continue  # 'thời hạn … kết thúc trong các ngày nghỉ Tết (từ ngày 08/02/2024 đến …)': a span opens
            closes = d.start() if d else cue_end  # the date, after 'đến hết ngày' ('thời hạn …, đến hết ngày …')
            if _LASTS_RE.search(text, max(sentence[0], closes - 40), closes):
                continue
            if _TILL_END_RE.search(text, max(cue_start, closes - 16), closes) and (
                self._span(text, closes) or _CUT_OFF_RE.search(text, max(sentence[0], cue_start - 120), cue_start)
            ):
                continue
            if d and d.re is _CENTURY_MISREAD_RE:
                date = make_date(d.group("d"), d.group("m"), d.group("y"))[0]  # _plausible reads its year back
            elif d:
                date = parse_date_match(d, year.value if year else None)
            elif _RECURRING_RE.search(text, *sentence):
                continue  # 'Định kỳ hằng năm, … báo cáo trước ngày 15 tháng 12': every year's, no deadline
            elif year and year.value and (sd := SHORT_DATE_RE.search(text, cue_end, end)):
                date = make_date(sd.group("d"), sd.group("m"), str(year.value))[0]
            elif year and year.value and (wd := WORDED_SHORT_RE.search(text, cue_start, end)):
                date = make_date(wd.group("d"), wd.group("m"), str(year.value))[0]
            if date:
                found.append((date, cue_start))
        for m in PERIOD_RE.finditer(text):
            s, _ = self._sentence(text, m.start())
            before = text[s : m.start()]
            # a table's cell that holds the period alone is its column of time limits ('| Trong tháng 11/2025')
            in_cell = "|" in before and not before.rsplit("|", 1)[1].strip()
            if fold_lower(m.group("pre")) == "trong" and not in_cell and not _task_done(before, bool(m.group("m"))):
                continue
            why = [q.start() for q in _PURPOSE_RE.finditer(before)]  # where its purpose clause starts
            if why and (PERIOD_RE.search(before, 0, why[-1]) or any(s <= at < s + why[-1] for _, at in found)):
                continue  # what the deadline before it is for: '… hoàn thành trong tháng 01/2025, để bàn giao … khởi
                # công … trong quý I/2025' (set 162), '… trước ngày 10/5/2024 để kịp chi trả … trong tháng 5/2024' (170)
            if _EXPECTED_RE.search(before) or _FROM_RE.search(before) or _forecast(text, s, m.start()):
                continue  # expected then, or a span opens then ('mặn sẽ xâm nhập sớm từ cuối tháng 12/2025')
            if _FROM_TO_RE.search(before):
                continue  # or closes then: 'Thu hoạch dự kiến từ giữa tháng 02 đến cuối tháng 3/2026' (set 171)
            if fold_lower(m.group("pre")) == "het" and (
                self._span(text, m.start()) or _LASTS_RE.search(text, max(s, m.start() - 40), m.end("pre"))
            ):
                continue  # 'mùa khô … từ tháng 12/2025 và kéo dài đến hết tháng 4/2026', as 'đến hết ngày' above
            if date := period_end(m):
                found.append((date, m.start()))
        issued = got(doc, "date")
        for date, at in sorted(found, key=lambda f: f[1]):
            if issued and issued.value and date < str(issued.value):
                continue  # a date before the document's own is history ('hình thành trước ngày 01/01/2012')
            # the year written elsewhere than in a date ('giai đoạn 2023 - 2025'), not another misread deadline's
            written = regex.search(rf"(?<![\d/.-])(?<!tháng\s+\d{{1,2}}\s+năm\s+){date[:4]}(?!\d)", text) is not None
            if issued and issued.value and not (date := _plausible(date, str(issued.value), written)):
                continue
            s, e = self._sentence(text, at)
            if (date, s) in seen:
                continue
            seen.add((date, s))
            clause = squash(BULLET_RE.sub("", text[s:e].strip()))
            out.append(Deadline(date, clause))
            first = s if first is None else first
            last = e
        if out:
            put(doc, "deadlines", tuple(out), first, last, 0.85)
        return doc

    def _span(self, text: str, at: int) -> bool:
        """'đến hết …' at ``at`` closes a span its sentence opens, with nothing handed in by then: before it or
        in its clause, not in what the sentence goes on to say of it ('Tạm dừng đón khách … từ ngày … đến hết
        ngày 31/3/2021 để thi công …, theo Nghị định … phê duyệt … báo cáo kinh tế - kỹ thuật …', set 169)."""
        s, e = self._sentence(text, at)
        opened = text.rfind("(", s, at)
        if opened >= 0 and ")" not in text[opened:at] and _SPAN_RE.search(text, opened, at):
            return True  # a span in brackets, whatever the sentence hands in ('(số liệu từ ngày … đến hết ngày …)')
        # a span from a day to a day in a clause of its own, whatever the sentence names before it ('Hồ sơ … gồm báo
        # cáo tóm tắt …, được niêm yết … từ ngày 01/10/2020 đến hết ngày 30/10/2020', set 232)
        own = max(s, *(text.rfind(c, s, at) + 1 for c in ",;"))
        opens = _FROM_DAY_RE.search(text, own, at) or _DAY_LED_RE.match(text, own, at)
        if opens and not _HANDED_IN_RE.search(text, own, at):
            return True
        clause = _CLAUSE_END_RE.search(text, at, e)
        # nor in a bracket that says what a day is ('từ ngày 01/7/2023 (ngày nộp đủ hồ sơ) đến hết ngày …', set 175)
        said = regex.sub(r"\([^()]*\)", " ", text[s : clause.start() if clause else e])
        return bool(_SPAN_RE.search(text, s, at)) and not _HANDED_IN_RE.search(said)

    @staticmethod
    def _sentence(text: str, pos: int) -> tuple[int, int]:
        start = 0
        for m in SENT_END_RE.finditer(text, max(0, pos - 600)):  # the text whole: its lookaheads see past ``pos``
            if m.start() >= pos:
                break
            start = m.end()
        m = SENT_END_RE.search(text, pos)
        end = m.start() + (1 if m and text[m.start()] in ".;!?" else 0) if m else len(text)
        while start < end and text[start].isspace():
            start += 1
        return start, end
