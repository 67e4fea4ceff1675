"""Tokenise text for restoration: word tokens with their spans, codes marked, and OCR's split and
merged words resegmented where the language model prefers it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import regex

from pipeline.encodings import is_syllable
from pipeline.restore.candidates import MAX_TOKEN, VIET_ONLY, Slot, candidates, fixed, known, local_slots
from pipeline.restore.model import Model
from pipeline.restore.syllable import canonical, parse, style_of
from pipeline.restore.viterbi import best_total
from pipeline.vietnamese import WORD_RE, fold

CHUNK_RE = regex.compile(r"\S+")
EDGE_PUNCT = "\"'“”‘’«»()[]{}.,;:!?…"
CLOSE_PUNCT = "\"”»)]}.,;:!?…"
SENTENCE_PUNCT = ".,;:!?…"
URLISH_RE = regex.compile(r"(?i)^(https?://|www\.)|(?<![\w.+-])[\w.+-]++@[\w-]+\.\w|\.(vn|com|org|net|gov)\b")
ROMANISH_RE = regex.compile(r"[|IVX1l]*\|[|IVX1l]*")  # 'lần thứ |', '|X': a bar read for I
HYPHEN_BREAK_RE = regex.compile(r"-[ \t]*\r?\n[ \t]*")  # a word hyphenated at a line end
SPLIT_MIN = 4  # shortest unknown token tried as two syllables ('thànhphố')
DASH_GAP_RE = regex.compile(r"\s+[-–—]\s+")  # 'Độc lập - Tự do': the dash joins, it does not end a phrase
# Window bounds in word tokens: a window ends at the first punctuation after WINDOW tokens (where
# nothing the decoder does reaches across: the same output as the whole text), else at a line
# break that ends a phrase after 3 * WINDOW, else at any gap after 6 * WINDOW.
WINDOW = 1000
# Share of words that are neither a syllable nor a syllable without its accents ('thye', 'd6i',
# 'phudng') from which a text is taken as legacy (Latin-model) OCR: every word may be damaged.
DAMAGED_SHARE = 0.08


class Token:
    """A word token: a regex match, or OCR pieces taken as one ('thu'c', 'Vi ệt', 'tri-' + line end + 'ển')."""

    __slots__ = ("code", "e", "s", "t")

    def __init__(self, s: int, e: int, t: str) -> None:
        self.s, self.e, self.t = s, e, t
        self.code = False  # inside a code, URL or date chunk: left as it is


@dataclass
class Tokens:
    """The tokens of a text; ``halves``: indices of tokens that are the first half of a split
    (one input token written out as two syllables, 'thànhphố' -> 'thành phố')."""

    items: list[Token]
    halves: set[int]


def document_traits(text: str) -> tuple[str, str]:
    """(regime, tone style) of a whole text, in one pass that keeps no tokens.

    Regime: 'damaged' when many words are unreadable (legacy OCR); else 'accented' when the text
    already carries Vietnamese letters (vie OCR, typed text); else 'plain' when its words read as
    syllables with their accents lost (a stray foreign word aside), 'noisy' otherwise.
    Style: 'old' when more words place the tone mark as in 'hoà' than as in 'hòa'.
    """
    alpha = marked = old = new = garbled = words = accents = 0
    for m in WORD_RE.finditer(text):
        w = m.group()
        if w.isalpha():
            alpha += 1
            marked += VIET_ONLY.search(w) is not None
            accents += not w.isascii()
        if len(w) >= 2 and not w.isupper() and not w.isdigit():
            words += 1
            garbled += not _readable(w)
        if len(w) <= 5 and (st := style_of(w)):  # 'hoà', 'thuỷ', 'khoẻ', 'nguỵ'
            old += st == "old"
            new += st == "new"
    accented = alpha and marked >= 0.5 * alpha  # most words carry Vietnamese letters: vie OCR, typed text
    if garbled >= 3 and garbled >= (2.5 if accented else 1.0) * DAMAGED_SHARE * words:
        regime = "damaged"
    elif alpha and marked >= max(1.0, 0.15 * alpha):
        regime = "accented"
    else:
        # Accents in text without Vietnamese letters ('vé viéc'): a Latin-model OCR engine's.
        regime = "noisy" if accents or garbled >= max(2, 0.03 * words) else "plain"
    return regime, "old" if old > new else "new"


@lru_cache(maxsize=65536)
def _readable(word: str) -> bool:
    """A syllable, accented or not, or a syllable with its accents lost."""
    low = word.lower()
    return len(low) <= 8 and low.isalpha() and (canonical(low) is not None or canonical(fold(low)) is not None
                                                or _fold_valid(fold(low)))  # fmt: skip


def _fold_valid(base: str) -> bool:
    """Some syllable folds to ``base`` ('phuong' from 'phương', 'tien' from 'tiền')."""
    return parse(base) is not None or any(
        parse(base.replace(a, b, 1)) is not None for a, b in (("uo", "ươ"), ("ie", "iê"), ("ye", "yê"), ("uo", "uô"))
    )


# A heading numeral at a line start, the rest of the line in capitals: OCR reads 'II.' as '11.',
# 'Il.', 'IL', 'll.', 'I].' (Arabic numbering is matched too: it breaks a run of Roman ones).
HEADING_RE = regex.compile(r"(?m)^[ \t]*([IVXLl|!\[\]\d]{1,5})(?:\.[ \t]*|[ \t]+)(?=\S)([^\n]*)")
I_LIKE = str.maketrans(dict.fromkeys("1lL|![]", "I"))  # what OCR reads for the stroke of a Roman I
NO_BRACKETS = str.maketrans(dict.fromkeys("1lL|!", "I") | dict.fromkeys("[]", ""))  # 'I].': a bracket for the dot
CAPS_SHARE = 0.7  # share of a heading's letters in capitals ('NOl DUNG', 'T6 CHUC THYC HIEN')
MARKER_RE = regex.compile(r"(?m)^[ \t]*([a-zđ])\)")  # list items 'a)' ... 'd)', 'đ)', 'e)'
_ROMAN = {"I": 1, "V": 5, "X": 10}


def label_repairs(text: str) -> dict[int, tuple[int, str]]:
    """Numbering that OCR damaged, repaired from its neighbours: offset -> (end, label).

    Roman heading numerals read as digits, bars or brackets ('11. NỘI DUNG', 'I]. MỤC ĐÍCH')
    where, read as Roman, they count on from the heading before or after; and a list item 'd)'
    after another 'd)' (after 'c)' or before 'e)'), which is 'đ)': a Latin-model OCR engine
    reads 'đ' as 'd'.
    """
    found = []
    for m in HEADING_RE.finditer(text):
        letters = [c for c in m.group(2) if c.isalpha()]
        if len(letters) < 2 or sum(c.isupper() for c in letters) < CAPS_SHARE * len(letters):
            continue
        seen = m.group(1)
        readings = [(r, _roman_value(r)) for r in dict.fromkeys((seen.translate(I_LIKE), seen.translate(NO_BRACKETS)))]
        found.append((m.start(1), m.end(1), seen, readings))  # value None: Arabic ('2.', '12.'), breaks a run
    out = {}
    for k, (at, end, seen, readings) in enumerate(found):
        for roman, value in readings:
            if seen == roman or value is None:
                continue
            before = k > 0 and found[k - 1][3][0][1] == value - 1
            after = k + 1 < len(found) and found[k + 1][3][0][1] == value + 1
            if before or after:
                out[at] = (end, roman)
                break
    items = [(m.start(1), m.end(1), m.group(1)) for m in MARKER_RE.finditer(text)]
    for k in range(1, len(items)):
        before = items[k - 2][2] if k >= 2 else ""
        after = items[k + 1][2] if k + 1 < len(items) else ""
        if items[k][2] == items[k - 1][2] == "d" and (before == "c" or after == "e"):
            out[items[k][0]] = (items[k][1], "đ")  # 'c) d) d)' or 'd) d) e)'
    return out


def _roman_value(roman: str) -> int | None:
    if not regex.fullmatch(r"X{0,3}(IX|IV|V?I{0,3})", roman) or not roman:
        return None
    total = 0
    for i, c in enumerate(roman):
        v = _ROMAN[c]
        total += -v if i + 1 < len(roman) and _ROMAN[roman[i + 1]] > v else v
    return total


def windows(text: str, size: int = WINDOW) -> Iterator[tuple[int, int]]:
    """Consecutive (start, end) spans covering ``text``, each a bounded number of word tokens,
    cut only between words (see WINDOW); the decoder restores one window at a time."""
    start = count = 0
    prev = None
    for m in WORD_RE.finditer(text):
        if prev is not None and count >= size:
            gap = text[prev : m.start()]
            cut = _cut(gap, count, size)
            if cut is not None:
                yield start, prev + cut
                start, count = prev + cut, 0
        count += 1
        prev = m.end()
    yield start, len(text)


def _cut(gap: str, count: int, size: int) -> int | None:
    """Where in ``gap`` (between two word tokens) a window may end: after its last white space,
    so that no chunk is cut."""
    space = next((i for i in range(len(gap) - 1, -1, -1) if gap[i].isspace()), -1)
    if space < 0:
        return None if count < 6 * size else len(gap)
    if gap.strip() and not DASH_GAP_RE.fullmatch(gap) and not HYPHEN_BREAK_RE.fullmatch(gap):
        return space + 1  # punctuation: a phrase ends here and no resegmentation reaches across
    if count >= 3 * size and "\n" in gap:
        return space + 1  # a line break
    return space + 1 if count >= 6 * size else None


def ends_phrase(gap: str, word: str) -> bool:
    """Whether ``gap`` before ``word`` ends a phrase: punctuation does, as in training (but not a
    dash between spaces: 'Độc lập - Tự do'); so does a blank line (a new paragraph). A single line
    break may or may not (a wrapped name 'Kiến\nAn' or a heading): the decoder weighs both."""
    punct = any(ch not in " \t\n\r\f\v" for ch in gap) and not DASH_GAP_RE.fullmatch(gap)
    return punct or "\n\n" in gap


def tokenise(
    model: Model, text: str, regime: str, lo: int = 0, hi: int | None = None,
    labels: dict[int, tuple[int, str]] | None = None,
) -> Tokens:
    """Word tokens of ``text[lo:hi]`` (NFC), resegmented, with code chunks marked; offsets are
    into ``text``. ``labels``: repaired numbering (label_repairs), each taken as one token."""
    hi = len(text) if hi is None else hi
    # Chunks: whitespace-separated runs; a chunk with inner punctuation is a code, URL or date,
    # unless it reads as one word with Latin OCR's apostrophe or question mark inside ('thu'c').
    code_spans = []
    inner = []
    respelt: dict[int, str] = {}  # token start -> the word its apostrophes stood for
    for c in CHUNK_RE.finditer(text, lo, hi):
        core = c.group().strip(EDGE_PUNCT)
        bracket = None
        wide = c.group().lstrip(EDGE_PUNCT).rstrip(CLOSE_PUNCT)
        quoted = c.group()[:1] in "'‘"  # a closing quote, no horn: '‘chợ’'
        horned = _horned(wide) if regime != "accented" and not quoted else None
        if regime == "damaged" and core:  # 'co’ quan': a Latin-model engine's apostrophe for the horn of 'ơ'
            if wide != core and wide[-1] in "'’" and _glued(model, wide, regime):
                core = wide
            elif bracket := _bracket_word(model, text, c, regime):  # 'CHỈ THỊ' read 'CHi TH]': ']' for 'Ị'
                core = bracket
        at = c.start() + c.group().index(core) if core else c.start()
        if labels and c.start() in labels:
            inner.append((c.start(), labels[c.start()][0]))
        elif horned:  # 'phu’o’ng', 'TRU’O’NG': both horns of 'ươ' read as apostrophes
            at = c.start() + c.group().index(horned[0])
            inner.append((at, at + len(horned[0])))
            respelt[at] = horned[1]
        elif regime != "accented" and c.group() in _LONE_O and _between_words(text, c):
            inner.append((c.start(), c.end()))  # the English engine's '@' or '&' for 'ở' ('nhà @ xã hội',
            respelt[c.start()] = "o"  # 'việc & nước ngoài'): read as its letter, the decoder gives the marks
        elif bracket or _glued(model, core, regime) or ROMANISH_RE.fullmatch(core):
            inner.append((at, at + len(core)))
        elif core and (len(WORD_RE.findall(core)) > 1 or URLISH_RE.search(core)):
            code_spans.append((c.start(), c.end()))
    toks = [Token(a, b, respelt.get(a, text[a:b])) for a, b in inner]
    k = 0
    for m in WORD_RE.finditer(text, lo, hi):
        while k < len(inner) and inner[k][1] <= m.start():
            k += 1
        if k == len(inner) or m.end() <= inner[k][0]:
            toks.append(Token(m.start(), m.end(), m.group()))
    if inner:
        toks.sort(key=lambda t: t.s)
    out = _resegment(model, text, toks, regime)
    ci = 0
    for t in out.items:
        while ci < len(code_spans) and code_spans[ci][1] <= t.s:
            ci += 1
        t.code = ci < len(code_spans) and code_spans[ci][0] <= t.s
    return out


# The horns of 'ươ' read as apostrophes, both or one ('TRU’O’NG', 'THUO'NG', 'PHU'ONG'), the horn of 'ơ'
# inside a word ('SO'N'; after one, 'co’ quan', see tokenise), of a last 'ơ' or 'ư' ('Cho’ Gạo', 'Bí thu’').
_HORNS_RE = regex.compile(r"(?i)u['’]o['’]?|uo['’]|o['’](?=\p{L})|[ou]’$")
_HORNED = {"u": "ươ", "U": "ƯƠ", "o": "ơ", "O": "Ơ"}
_LAST_HORNED = {"u": "ư", "U": "Ư", "o": "ơ", "O": "Ơ"}


def _horned(word: str) -> tuple[str, str] | None:
    """A word whose horns Latin OCR read as apostrophes ('phu’o’ng', 'TRUO'NG', 'SO'N'): (the word as
    read, its letters without them, which the decoder reads as any word: 'phuong' -> 'phường'), where
    the word with its horns is spelt as a syllable; else None."""
    if not _HORNS_RE.search(word):
        return None
    letters = _HORNS_RE.sub(lambda m: regex.sub(r"['’]", "", m.group()), word)
    horned = _HORNS_RE.sub(lambda m: (_LAST_HORNED if m.end() == len(word) else _HORNED)[m.group()[0]], word)
    return (word, letters) if horned.isalpha() and is_syllable(horned) else None


# A lone symbol the English engine reads for 'ở' between two words in lower case (in the evaluation sets' cached
# page text, 'việc & nước' 28 times, 'nhà & cho' 14, 'nhà @ xã' 7); no '&' between names ('Lê & Co').
_LONE_O = ("@", "&")


def _between_words(text: str, chunk: regex.Match) -> bool:
    before = text[max(0, chunk.start() - 12) : chunk.start()]
    after = text[chunk.end() : chunk.end() + 12]
    return regex.search(r"\p{Ll}[^\S\n]$", before) is not None and regex.match(r"[^\S\n]\p{Ll}", after) is not None


def _glued(model: Model, core: str, regime: str) -> bool:
    """A word with symbols an OCR engine read for letters inside or at its edges ('thu'c', 'x&',
    '¢ông', 'h§i'), read as one syllable when the channel can."""
    if len(core) > MAX_TOKEN or not any(c.isalpha() for c in core):
        return False
    symbols = [c for c in core if not c.isalnum()]
    if not symbols or not all(c in model.standins for c in symbols) or URLISH_RE.search(core):
        return False
    return _a_syllable(model, core, regime)


def _bracket_word(model: Model, text: str, chunk: regex.Match, regime: str) -> str | None:
    """The word of ``chunk`` with the closing bracket glued to it, where no opening one comes before
    it on the line: Latin OCR's reading of 'ị'/'Ị' ('TH]', 'NGH]'), kept when the channel makes a
    syllable of it."""
    word = chunk.group().lstrip(EDGE_PUNCT).rstrip(SENTENCE_PUNCT)
    if (
        not (word.endswith("]") and word[:-1].isalpha())
        or "[" in text[text.rfind("\n", 0, chunk.start()) + 1 : chunk.start()]
    ):
        return None
    return word if _a_syllable(model, word, regime) else None


def _a_syllable(model: Model, word: str, regime: str) -> bool:
    """Whether the channel reads ``word`` as some syllable."""
    cand = candidates(model, word, regime)
    return cand is not None and any(cand[2])


def _plain_gap(text: str, a: Token, b: Token) -> bool:
    """``b`` is a word following ``a`` with only white space between (same phrase)."""
    return b.t.isalpha() and not text[a.e : b.s].strip()


def _resegment(model: Model, text: str, toks: list[Token], regime: str) -> Tokens:
    """Undo OCR's split and merged words where the LM prefers it: 'Vi ệt' -> 'Việt', 'thànhphố' ->
    'thành phố', 'tri-' + line end + 'ển' -> 'triển'. Each option is scored against leaving the
    tokens as they are, over the phrase around it.
    """
    options = []  # (first index, last index, replacement tokens)
    for n, t in enumerate(toks):
        a = t.t
        if not a.isalpha():
            continue
        if n + 1 < len(toks):
            b = toks[n + 1].t
            gap = text[t.e : toks[n + 1].s]
            if b.isalpha() and (b[0].islower() or a.isupper() and b.isupper()):
                hyphen = HYPHEN_BREAK_RE.fullmatch(gap) is not None
                if (gap == " " and not (known(model, a) and known(model, b))) or hyphen:
                    joined = a + b
                    cand = candidates(model, joined, regime) if fixed(model, joined, False) is None else None
                    if cand is not None and any(cand[2]):
                        options.append((n, n + 1, [Token(t.s, toks[n + 1].e, joined)]))
        if SPLIT_MIN <= len(a) <= MAX_TOKEN and not known(model, a) and not (a.isupper() and a in model.abbrevs):
            for i in range(1, len(a)):
                if known(model, a[:i]) and known(model, a[i:]) and (a[i].islower() or a.isupper()):
                    options.append((n, n, [Token(t.s, t.s + i, a[:i]), Token(t.s + i, t.e, a[i:])]))
    if not options:
        return Tokens(toks, set())
    chosen: dict[int, tuple[int, list[Token], float]] = {}
    for first, last, repl in options:
        lo, hi = first, last
        while lo > 0 and first - lo < 2 and _plain_gap(text, toks[lo - 1], toks[lo]):
            lo -= 1
        while hi + 1 < len(toks) and hi - last < 2 and _plain_gap(text, toks[hi], toks[hi + 1]):
            hi += 1
        before = [x.t for x in toks[lo:first]]
        after = [x.t for x in toks[last + 1 : hi + 1]]
        kept = local_slots(model, before + [x.t for x in toks[first : last + 1]] + after, regime)
        base = best_total(model, kept)
        word = toks[first].t
        if len(repl) == 2 and regime == "damaged" and fixed(model, word, False) is None:
            # a split is weighed against the word's own misread reading too ('truséc' is 'trước',
            # not 'trù séc'), as the lattice will read the word if it stays whole
            if whole := candidates(model, word, regime, edits=True):
                kept[len(before)] = Slot(0, *whole)
                base = max(base, best_total(model, kept))
        alt = best_total(model, local_slots(model, before + [x.t for x in repl] + after, regime))
        gain = alt - base
        if gain > 0 and all(not (f <= last and first <= e) or g < gain for f, (e, _, g) in chosen.items()):
            chosen = {f: v for f, v in chosen.items() if not (f <= last and first <= v[0])}
            chosen[first] = (last, repl, gain)
    out: list[Token] = []
    halves: set[int] = set()
    n = 0
    while n < len(toks):
        if n in chosen:
            last, repl, _ = chosen[n]
            if len(repl) == 2:
                halves.add(len(out))
            out.extend(repl)
            n = last + 1
        else:
            out.append(toks[n])
            n += 1
    return Tokens(out, halves)
