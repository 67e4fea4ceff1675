"""Build the lattice: tokens cut into phrases (see tokens.ends_phrase), one candidate column per
token, and the fixed output of tokens that are not decoded."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.restore.candidates import GUESSED, Slot, fixed, fixed_slot, known_abbrev, number_slot, slot
from pipeline.restore.model import Model
from pipeline.restore.tokens import Tokens, ends_phrase

NUMBER_WORD = 2  # longest number that legacy OCR may have read for a syllable ('14' for 'lá')
LONE_VOWELS = frozenset("AEOUY")  # a lone capital I is a Roman numeral
STAMP_WORDS = 4  # longest line in capitals read as whole (a stamp, a signer's title), not cut


@dataclass
class Lattice:
    """Phrases worth decoding (each a list of columns), whether each ends open (text cut
    mid-sentence: its </s> is not scored) or starts open (a text whose first word is in lower
    case: a wrapped line restored alone, cut from the sentence before it), and the output of
    tokens that are not decoded."""

    phrases: list[list[Slot]]
    open_end: list[bool]
    fixed: dict[int, tuple[str, float]]  # token index -> (output, probability)
    titled: set[int] = field(default_factory=set)  # capital tokens written capitalised when decoded
    open_start: list[bool] = field(default_factory=list)


def _damaged_slot(model: Model, index: int, tok: str, out: tuple[str, float], in_text: bool) -> Slot | None:
    """In legacy OCR, a column for what is otherwise left alone: a short number that may be a
    syllable read as digits, or an unknown all-caps token that may be a damaged syllable ('BG'
    for 'Bộ', 'THYC' for 'THỰC'); None where nothing reads it as a syllable."""
    if len(tok) <= NUMBER_WORD and tok.isdigit():
        return number_slot(model, index, tok, "damaged")
    if out != (tok, 1.0) or not (len(tok) > 1 and tok.isalpha() and tok.isupper()) or known_abbrev(model, tok):
        return None
    if len(tok) == 2 and not in_text:
        return None
    col = slot(model, index, tok, "damaged", "", None)
    return col if len(col.ids) > 1 else None


class WordSpans:
    """OCR words found in the text in reading order: (start, end, confidence 0..100)."""

    def __init__(self, text: str, words: Sequence[tuple[str, float]]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.confs: list[float] = []
        pos = 0
        for word, conf in words:
            at = text.find(word, pos) if word else -1
            if at >= 0:
                self.starts.append(at)
                self.ends.append(at + len(word))
                self.confs.append(conf)
                pos = at + len(word)

    def at(self, offset: int) -> float | None:
        """Confidence of the OCR word that ``offset`` lies in."""
        k = bisect_right(self.ends, offset)
        return self.confs[k] if k < len(self.ends) and self.starts[k] <= offset else None


def build_lattice(
    model: Model,
    text: str,
    tokens: Tokens,
    regime: str,
    words: WordSpans | None = None,
    end: int | None = None,
    labels: dict[int, tuple[int, str]] | None = None,
) -> Lattice:
    """The lattice of ``tokens`` (offsets into ``text``). ``end``: where the tokens' window ends;
    the last phrase is open when nothing but white space follows it up to there (the end of the
    text) and closed before a later window, which starts a phrase. ``labels``: repaired
    numbering by offset (tokens.label_repairs)."""
    toks = tokens.items
    phrases: list[list[Slot]] = [[]]
    fixed_out: dict[int, tuple[str, float]] = {}
    titled: set[int] = set()
    prev_end = toks[0].s if toks else 0
    for n, t in enumerate(toks):
        tok = t.t
        gap = text[prev_end : t.s]
        if ends_phrase(gap, tok):
            phrases.append([])
        # A line that starts with a capital: a wrapped name ('Kiến\nAn') or a heading without a full stop.
        soft = "\n" in gap and tok[0].isupper() and bool(phrases[-1])
        prev_end = t.e
        marker = len(tok) == 1 and text[t.e : t.e + 1] in (")", ".")  # list item 'c)', 'đ.'
        out = (labels[t.s][1], 0.9) if labels and t.s in labels else fixed(model, tok, t.code or marker)
        if out is not None and out[1] == GUESSED and regime == "accented":
            out = (tok, 1.0)  # an abbreviation OCR read with its marks is kept as read
        nxt = toks[n + 1] if n + 1 < len(toks) else None
        in_text = nxt is not None and text[t.e : nxt.s] == " " and not nxt.t.isupper()
        if out == (tok, 1.0) and tok in LONE_VOWELS and in_text and nxt.t[0].islower():  # type: ignore[union-attr]
            out = None  # a capital vowel that starts running words is a syllable: 'Sở Y tế', 'Ý kiến'
        col = None
        if out is not None and regime == "damaged" and not (t.code or marker):
            # A two-letter capital token is damaged only before a word of running text ('BG Giáo
            # dục'); alone or in a list it is an abbreviation ('Lưu: VT, VP').
            col = _damaged_slot(model, n, tok, out, in_text)
            if col is not None and in_text:
                titled.add(n)  # written as the words around it when decoded: 'Bộ Giáo dục', not 'BỘ'
        if col is None and out is not None:
            fixed_out[n] = out
            col = fixed_slot(model, n, out[0])
        elif col is None:
            before = text[t.s - 2] if model.cap_list is not None and t.s >= 2 and text[t.s - 1] == " " else ""
            col = slot(model, n, tok, regime, before, words.at(t.s) if words else None)
        col.soft = soft
        phrases[-1].append(col)
    last_open = False
    if end is None or end == len(text):
        tail = text[toks[-1].e :] if toks else ""
        last_open = not any(ch.isalnum() or not ch.isspace() for ch in tail)  # no closing punctuation
        # ... unless its last line is a few words in capitals: a stamp or a title ('MẬT', 'THỨ
        # TRƯỞNG') is whole; a long line in capitals may be running text cut mid-sentence.
        line = text[text.rfind("\n", 0, toks[-1].s) + 1 : toks[-1].e] if toks else ""
        last_open = last_open and not (line.isupper() and len(line.split()) <= STAMP_WORDS)
    open_end = [last_open and i == len(phrases) - 1 for i in range(len(phrases))]
    cut = bool(toks) and toks[0].t[0].islower() and not text[: toks[0].s].strip()
    keep = [i for i, p in enumerate(phrases) if any(len(s.ids) > 1 or s.forms[0] for s in p)]
    return Lattice([phrases[i] for i in keep], [open_end[i] for i in keep], fixed_out, titled,
                   [cut and i == 0 for i in keep])  # fmt: skip
