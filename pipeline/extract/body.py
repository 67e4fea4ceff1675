"""Body components: the 'Kính gửi' list and the deadlines set in the text."""

from __future__ import annotations

import regex
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.doc import cues, got, kinh_gui, put
from pipeline.extract.lists import BULLET_RE, list_items
from pipeline.extract.text import ANY_DATE_RE, SHORT_DATE_RE, make_date, parse_date_match, squash
from pipeline.types import Deadline


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


# A full stop OCR put between 'ngày' and its date ('trước ngày. 30/9/2025') ends no sentence.
SENT_END_RE = regex.compile(r"[.;!?](?=\s)(?![^\S\n]*\d+/)|\n(?=[^\S\n]*(?:[-–+•](?!\d)|\d+\.|[a-zđ]\)))")


# 'trước ngày' as restoration leaves it after Latin-model OCR: 'truoéc', 'truséc', 'trué’c', 'triréc'. Five
# letters or more (or a quote) between 'tr' and 'c' keep 'trực ngày' / 'trúc' (four) out.
DAMAGED_BEFORE_RE = regex.compile(
    r"(?i)(?<!\w)tr(?:[\p{L}\p{M}]{3,4}|[\p{L}\p{M}'’]*['’][\p{L}\p{M}'’]*)c\s+ng\p{L}y\b"
)


def deadline_cues(doc: Doc) -> list[tuple[int, int]]:
    """Where a deadline is announced: the cue phrases, and 'trước ngày' damaged by OCR."""
    found = {(c.start_char, c.end_char) for c in cues(doc, "DEADLINE")}
    for m in DAMAGED_BEFORE_RE.finditer(doc.text):
        if not any(s <= m.start() < e for s, e in found):
            found.add((m.start(), m.end()))
    return sorted(found)


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
        first = last = None
        for cue_start, cue_end in deadline_cues(doc):
            end = min(len(text), cue_end + self.window)
            if stop := SENT_END_RE.search(text, cue_end, end):
                end = stop.start()
            date = None
            d = ANY_DATE_RE.search(text, cue_start, end)
            if d:
                date = parse_date_match(d)
            elif year and year.value and (sd := SHORT_DATE_RE.search(text, cue_end, end)):
                date = make_date(sd.group("d"), sd.group("m"), str(year.value))[0]
            if not date:
                continue
            s, e = self._sentence(text, cue_start)
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
