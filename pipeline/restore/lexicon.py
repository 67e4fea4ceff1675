"""Names and phrases restoration should prefer: a staff lexicon (``vanban restore --lexicon FILE``),
the archive's own (names read confidently in earlier documents) and a document's memory (a name
read confidently in one place of a document, preferred for the same damaged form elsewhere).

An entry is matched where consecutive words of one phrase can be read as it: the same letters
without accents ('Kien An', 'Kién An') or a reading the channel proposes ('phwong' for 'phường').
Its words then become candidates that outrank the corpus; elsewhere nothing is invented.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from pipeline.errors import InputError
from pipeline.restore.candidates import Slot
from pipeline.restore.model import UNK, Model, get_model
from pipeline.restore.syllable import canonical
from pipeline.restore.tokens import Token
from pipeline.types import RestoredText, RestoredToken
from pipeline.vietnamese import WORD_RE, fold_lower, nfc

LEXICON_LP = 2.0  # a lexicon word's channel score above the best reading of the token (log10)
UNSEEN_LP = 2.0  # ... and more for a word the LM has never seen (it pays <unk> there)
MEMORY_LP = 1.0  # the same for a name the document itself read confidently elsewhere
MEMORY_P = 0.9  # posterior from which a restored name is taken into the document's memory
MAX_ENTRIES = 5000  # a document's memory keeps at most this many names
# Document cache (see DocumentCache): channel bonus of the reading a document gave the same pair of
# letters elsewhere at least CACHE_MIN times, confidently (dev legacy OCR, 775 lines: PAIR_LP 0.5:
# 97.57%, 1.0: 97.59%, 2.0: 97.70%, 3.0: 97.70%; CACHE_MIN 3: 97.56% at 1.0).
PAIR_LP = 2.0
CACHE_MIN = 2
MAX_PAIRS = 20_000  # the cache stops learning past this many pairs (memory stays bounded)
# What an archive lexicon does not learn as a name (see name_runs), set on the samples' lexicon:
HONORIFICS = frozenset({"Ông", "Bà"})
PLACE_CAP_LP = -1.5  # a line's first word written capitalised mid-sentence less often (Các -2.4, Báo -1.6; Sở -1.2)
GOES_ON_LP = -1.6  # log10 P(next | last word) from which the last word belongs to the next (Chủ tịch -1.4; An và -1.8)


@functools.lru_cache(maxsize=1)
def unwritable_places(model: Model) -> Lexicon:
    """Names of administrative units (both maps) with a syllable outside Vietnamese spelling, which the
    language model cannot write ('Đắk Lắk', 'Krông Pắc', 'Đắk Mar'): decoding alone turns their
    unaccented letters into the nearest words ('Dak Lak' -> 'Đà La'). Preferred as a staff lexicon is;
    built once per model."""
    from pipeline.gazetteer import get_gazetteer

    def unwritable(name: str) -> bool:
        words = WORD_RE.findall(name)
        return all(w.isalpha() and not (len(w) > 1 and w.isupper()) for w in words) and any(
            len(w) > 1 and model.syllable_id(w.lower()) is None for w in words
        )  # not a ward's number ('An Thạnh 1', 'VII'), nor an abbreviation ('NT Việt Trung')

    return Lexicon.of(sorted(n for n in {unit.name for unit in get_gazetteer().units} if unwritable(n)))


@dataclass
class Lexicon:
    """Entries (each a tuple of words as written, NFC), indexed by their first word's folded key."""

    entries: dict[tuple[str, ...], None] = field(default_factory=dict)  # in the order added, each once
    index: dict[str, list[tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def of(cls, phrases: Iterable[str]) -> Lexicon:
        lex = cls()
        for phrase in phrases:
            lex.add(phrase)
        return lex

    @classmethod
    def load(cls, path: str | Path) -> Lexicon:
        """A lexicon file (``read_lexicon_file``)."""
        return cls.of(phrase for _, phrase in read_lexicon_file(path))

    def add(self, phrase: str | tuple[str, ...]) -> None:
        words = tuple(WORD_RE.findall(nfc(phrase))) if isinstance(phrase, str) else phrase
        if not words or words in self.entries:
            return
        self.entries[words] = None
        self.index.setdefault(fold_lower(words[0]), []).append(words)

    def copy(self) -> Lexicon:
        """A lexicon that grows without changing this one."""
        return Lexicon(dict(self.entries), {k: list(v) for k, v in self.index.items()})

    def __len__(self) -> int:
        return len(self.entries)

    def save(self, path: str | Path) -> None:
        Path(path).write_text("".join(" ".join(e) + "\n" for e in self.entries), encoding="utf-8")

    def learn(self, restored: RestoredText, min_probability: float = MEMORY_P, model: Model | None = None) -> int:
        """Add the names a restored document read confidently (what an archive lexicon keeps from
        earlier documents for later damaged ones): runs of two or more capitalised words next to
        each other, each restored with at least ``min_probability`` (``name_runs``). Returns how
        many were new."""
        before = len(self)
        for run in name_runs(restored, min_probability, model or get_model()):
            if len(self) >= MAX_ENTRIES:
                break
            self.add(run)
        return len(self) - before


def name_runs(restored: RestoredText, min_probability: float, model: Model) -> list[tuple[str, ...]]:
    """Runs of capitalised words that name someone or something, without what capitals alone
    mistake for a name (seen in the lexicons learnt from the samples): an abbreviation ends a run
    (`PCT UBNDTP Hoàng Minh Cường`); a run all in capitals is a heading (`KẾ HOẠCH`); `Ông`/`Bà`
    are no part of the name; a word that starts a line or sentence and is mostly written in lower
    case is capitalised by its place (after a line break, a bullet, a full stop or a quote: `Các
    Doanh…`, `~ Như Điều…`, `“Người Việt Nam…`); and the last word is dropped where
    it begins a word that goes on in lower case (`Sở Khoa học`, `Phó Chủ tịch`, `Ban Quản lý`)."""
    runs: list[tuple[str, ...]] = []
    run: list[int] = []
    toks = restored.tokens
    for k, t in enumerate(toks + (None,)):
        ok = (t is not None and t.restored[:1].isupper() and t.probability >= min_probability
              and not (len(t.restored) > 1 and t.restored.isupper() and not _syllable(model, t.restored)))  # fmt: skip
        if ok and run and restored.original[toks[run[-1]].end : t.start] == " ":
            run.append(k)
            continue
        if len(run) >= 2:
            name = _trim(restored, run, t, model)
            if len(name) >= 2 and not all(w.isupper() for w in name):
                runs.append(name)
        run = [k] if ok else []
    return runs


def _trim(restored: RestoredText, run: list[int], after: RestoredToken | None, model: Model) -> tuple[str, ...]:
    toks = restored.tokens
    words = [toks[k].restored for k in run]
    last = toks[run[-1]]
    if (after is not None and after.restored[:1].islower() and restored.original[last.end : after.start] == " "
            and _bigram(model, last.restored, after.restored) >= GOES_ON_LP):  # fmt: skip
        words.pop()
    if words and words[0] in HONORIFICS:
        words.pop(0)
    elif words:
        start = toks[run[0]].start
        head = restored.original[max(0, start - 16) : start].rstrip(" \t")  # what the run follows
        if (not head or not (head[-1].isalnum() or head[-1] == ",")) and _cap_lp(model, words[0]) < PLACE_CAP_LP:
            words.pop(0)
    return tuple(words)


def _syllable(model: Model, word: str) -> bool:
    return model.syllable_id(word.lower()) is not None


def _cap_lp(model: Model, word: str) -> float:
    sid = model.syllable_id(word.lower())
    return model.cap_list[sid] if sid is not None and model.cap_list is not None else 0.0


def _bigram(model: Model, a: str, b: str) -> float:
    i, j = model.syllable_id(a.lower()), model.syllable_id(b.lower())
    if i is None or j is None:
        return -99.0
    return float(model.lm.pairs(np.array([i]), np.array([j]))[0][0])


def read_lexicon_file(path: str | Path) -> list[tuple[int, str]]:
    """The entries of a lexicon file with their line numbers: one a line, UTF-8, '#' starts a
    comment ('Nguyễn Tùng Lâm', 'phường Kiến An'); InputError naming the file when it cannot be read."""
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: lexicon is not UTF-8 text (invalid byte at offset {exc.start})") from None
    lines = ((n, line.split("#", 1)[0].strip()) for n, line in enumerate(text.splitlines(), 1))
    return [(n, line) for n, line in lines if line]


def apply(model: Model, phrases: list[list[Slot]], toks: list[Token], lexicon: Lexicon, gain: float) -> set[int]:
    """Make every match of a lexicon entry a preferred reading of its tokens (slots are replaced,
    never changed in place: they may be shared with the cache); returns the phrases touched."""
    touched: set[int] = set()
    if not lexicon.entries:
        return touched
    for p, slots in enumerate(phrases):
        for j, col in enumerate(slots):
            matches = []
            for entry in lexicon.index.get(fold_lower(toks[col.index].t), ()):
                span = slots[j : j + len(entry)]
                if len(span) < len(entry) or not all(_readable_as(model, toks[c.index].t, c, w)
                                                     for c, w in zip(span, entry, strict=True)):  # fmt: skip
                    continue
                if len(entry) == 1 and not toks[col.index].t[:1].isupper():
                    continue  # one word alone: only a name (capitalised) is taken
                matches.append(entry)
            if len(matches) > 1:
                # an entry with the letters as read outranks one OCR's channel only allows: 'Dak Ha' is 'Đắk
                # Hà' (Kon Tum has both), not 'Đắk La', which the language model likes better
                read = [_folded(toks[c.index].t) for c in slots[j : j + max(map(len, matches))]]
                matches = [e for e in matches if all(r == _folded(w) for r, w in zip(read, e, strict=False))] or matches
            for entry in matches:
                for k, word in enumerate(entry):
                    slots[j + k] = _prefer(model, slots[j + k], toks[slots[j + k].index].t, word, gain)
                touched.add(p)
    return touched


def _readable_as(model: Model, tok: str, col: Slot, word: str) -> bool:
    if not col.forms[0] and len(col.ids) == 1 and col.ids[0] != UNK:
        return False  # a number or abbreviation
    if _folded(tok) == _folded(word):
        return True
    form = canonical(word.lower())
    return form is not None and model.ids.get(form) in col.ids


# the same few thousand words are folded again for every entry sharing a first word (an archive's
# lexicon has thousands of names starting with 'Nguyễn' or 'phường')
_folded = functools.lru_cache(maxsize=1 << 16)(fold_lower)


def _prefer(model: Model, col: Slot, tok: str, word: str, gain: float) -> Slot:
    form = canonical(word.lower()) or word.lower()
    if tok == word or (len(col.forms) == 1 and col.forms[0] == form):
        return col
    sid = model.ids.get(form, UNK)
    ids, ch, forms = list(col.ids), list(col.ch), list(col.forms)
    best = max(ch)
    score = best + gain + (UNSEEN_LP if sid == UNK else 0.0)
    if form in forms:
        k = forms.index(form)
        ch[k] = max(ch[k], score)
    else:
        ids.append(sid)
        ch.append(score)
        forms.append(form)
    return replace(col, ids=ids, ch=ch, forms=forms)


def confident_names(
    phrases: list[list[Slot]], paths: list[tuple[list[int], list[list[float]]]], toks: list[Token]
) -> list[tuple[str, ...]]:
    """Runs of two or more capitalised words restored with posterior >= MEMORY_P: names a
    document reads well in one place ('phường Kiến An' in the body) to prefer elsewhere."""
    out = []
    for slots, (path, post) in zip(phrases, paths, strict=True):
        run: list[str] = []
        for col, c, p in zip(slots + [None], path + [0], post + [[0.0]], strict=True):
            ok = col is not None and toks[col.index].t[:1].isupper() and (col.forms[c] or len(col.ids) > 1)
            if ok and p[c] >= MEMORY_P:
                run.append(col.forms[c] or toks[col.index].t)
                continue
            if len(run) >= 2:
                out.append(tuple(w[:1].upper() + w[1:] for w in run))
            run = []
    return out


class DocumentCache:
    """Word pairs a document read confidently ('thi đua', 'UBND phường'), by the folded letters of
    both words: where the same letters stand next to each other elsewhere in the document ('thế
    thi dua sôi'), the reading the document mostly gave them is preferred (a cache language model
    for pairs; single words are not cached: 'tháng 9' throughout a letter says nothing of
    'thắng lợi')."""

    def __init__(self) -> None:
        self.pairs: dict[tuple[str, str], Counter[tuple[int, int]]] = {}

    def learn(
        self, phrases: list[list[Slot]], paths: list[tuple[list[int], list[list[float]]]], toks: list[Token]
    ) -> None:
        for slots, (path, post) in zip(phrases, paths, strict=True):
            ids = [c.ids[k] for c, k in zip(slots, path, strict=True)]
            sure = [len(c.ids) == 1 or (i != UNK and p[k] >= MEMORY_P)
                    for c, i, k, p in zip(slots, ids, path, post, strict=True)]  # fmt: skip
            for j in range(len(slots) - 1):
                if sure[j] and sure[j + 1] and (len(slots[j].ids) > 1 or len(slots[j + 1].ids) > 1):
                    key = (fold_lower(toks[slots[j].index].t), fold_lower(toks[slots[j + 1].index].t))
                    if key in self.pairs or len(self.pairs) < MAX_PAIRS:
                        self.pairs.setdefault(key, Counter())[(ids[j], ids[j + 1])] += 1

    def apply(
        self, phrases: list[list[Slot]], paths: list[tuple[list[int], list[list[float]]]], toks: list[Token]
    ) -> list[int]:
        """Prefer the document's majority reading of a pair where it was not chosen; returns the
        phrases changed (slots are replaced, never changed in place: the cache shares them)."""
        touched = []
        for p, (slots, (path, _)) in enumerate(zip(phrases, paths, strict=True)):
            hit = False
            for j in range(len(slots) - 1):
                a, b = slots[j], slots[j + 1]
                counts = self.pairs.get((fold_lower(toks[a.index].t), fold_lower(toks[b.index].t)))
                want = _majority(counts) if counts else None
                if want is None or want == (a.ids[path[j]], b.ids[path[j + 1]]):
                    continue
                if want[0] in a.ids and want[1] in b.ids:
                    slots[j], slots[j + 1] = _boost(a, want[0]), _boost(b, want[1])
                    hit = True
            if hit:
                touched.append(p)
        return touched


def _majority(counts: Counter[tuple[int, int]]) -> tuple[int, int] | None:
    """The reading given at least CACHE_MIN times and at least twice as often as any other."""
    (top, n), *rest = counts.most_common(2)
    return top if n >= CACHE_MIN and n >= 2 * (rest[0][1] if rest else 0) else None


def _boost(col: Slot, sid: int) -> Slot:
    if len(col.ids) == 1:
        return col
    return replace(col, ch=[x + PAIR_LP if i == sid else x for i, x in zip(col.ids, col.ch, strict=True)])
