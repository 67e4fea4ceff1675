"""Restoration: tokenise, propose candidates per token, Viterbi over the trigram lattice."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import regex

from pipeline.restore.model import BOS, EOS, NUM, UNK, Model
from pipeline.restore.syllable import canonical, restyle, style_of
from pipeline.types import Alternative, RestoredText, RestoredToken
from pipeline.vietnamese import fold, nfc

TOKEN_RE = regex.compile(r"[^\W_]+")
CHUNK_RE = regex.compile(r"\S+")
EDGE_PUNCT = "\"'“”‘’«»()[]{}.,;:!?…"
# Letters only Vietnamese produces: a Latin-script OCR engine hardly ever outputs them.
VIET_ONLY = regex.compile(r"[ăĩũơưđĂĨŨƠƯĐ\u1EA0-\u1EF9]")
ROMAN_RE = regex.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
URLISH_RE = regex.compile(r"(?i)^(https?://|www\.)|@|\.(vn|com|org|net|gov)\b")

# Signature-block and heading abbreviations of Nghị định 30/2020 (rare in the corpus).
ADMIN_ABBREVS = frozenset("TM KT TL TUQ TT Q QĐ NĐ CP KH CV TB BC TTr HĐND UBND".split())
# Decoder constants (log10 units), tuned on training-side OCR pairs, not on evaluation text.
BEAM = 12
CHANNEL_WEIGHT = 1.0
KEEP_UNKNOWN_LP = -2.5  # channel score of leaving a non-syllable token unchanged (names, foreign words)
# ... and of leaving a lowercase or digit-mangled one ('thye', 'ciia', 's6'): the LM's <unk> lumps all
# unknown words together, so keeping one specific garbled spelling must cost its share of <unk>.
KEEP_GARBLED_LP = -4.5
# A token that is already a valid, known Vietnamese syllable in accented text (Tesseract vie, typed
# text) is replaced only on overwhelming evidence: every other candidate pays this much extra.
PROTECT_VALID_LP = -1.0  # vie CER on dev pages: 0: 0.557%, -0.5..-1.5: 0.549%, -2: 0.557%
# OCR word confidence (0..100), when the caller has it: an accented syllable Tesseract doubted loses
# the protection above. High confidence earns nothing extra: on held-out vie pages, 13 of 46 wrong
# words had confidence >= 90 (mostly a wrong tone: 'thấm' for 'thẩm' at 92-95, 'bố' for 'bổ' at 96.5).
CONF_DOUBT = 60.0
CASE_WEIGHT = 0.5  # weight of the case channel log10 P(case | syllable); dev: 0: 98.02%, 0.5: 98.11%, 1: 98.08%
DASH_GAP_RE = regex.compile(r"\s+[-–—]\s+")  # 'Độc lập - Tự do': the dash joins, it does not end a phrase
# Channel mixture per regime: (engine, log10 weight).
MIXTURE = {
    "accented": (("vie", math.log10(0.97)), ("eng", math.log10(0.02)), ("strip", math.log10(0.001))),
    "plain": (("strip", math.log10(0.6)), ("eng", math.log10(0.4))),
}
FLOOR = -5.0  # candidates less likely than this under the channel are not proposed
# ... and for tokens that already spell a syllable (with or without accents): they are mostly
# right or one accent away, so a narrower search keeps candidate generation fast.
FLOOR_VALID = -3.0
MAX_CANDIDATES = 8  # 5: 97.7%, 6: 98.0%, 8: 98.3% dev syllable accuracy (10, 12: no further gain on held-out text)
PRUNE = 3.0  # drop candidates this much less likely (channel + unigram) than the best
MIN_CAPS_D = 5  # corpus count an all-caps spelling with Đ needs before a folded token is given it
FLAG_BELOW = 0.75  # posterior under which a token is flagged for review


@dataclass
class Slot:
    """One token of a phrase with its candidate lattice column."""

    index: int  # into the token list
    ids: list[int]  # LM ids of the candidates
    ch: list[float]  # channel log10 scores
    forms: list[str]  # lowercase canonical forms ('' = keep the token as it is)


def _regime(words: list[str]) -> str:
    """'accented' when the text already carries Vietnamese letters (vie OCR, typed text)."""
    alpha = [w for w in words if w.isalpha()]
    if not alpha:
        return "plain"
    marked = sum(1 for w in alpha if VIET_ONLY.search(w))
    return "accented" if marked >= max(1.0, 0.15 * len(alpha)) else "plain"


def _apply_case(orig: str, restored: str) -> str:
    letters = [c for c in orig if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return restored.upper()
    if orig[:1].isupper() or (letters and letters[0].isupper() and not orig[:1].isalpha()):
        return restored[:1].upper() + restored[1:]
    return restored


T = TypeVar("T")
_MISSING = object()
CACHE_ENTRIES = 100_000  # per cache on the model; emptied past this so a long run cannot grow it


def _memo(cache: dict, key: object, make: Callable[[], T]) -> T:
    """``make()`` remembered in one of the model's caches: tokens repeat heavily across pages."""
    hit = cache.get(key, _MISSING)
    if hit is not _MISSING:
        return hit
    if len(cache) > CACHE_ENTRIES:
        cache.clear()
    cache[key] = out = make()
    return out


def _candidates(model: Model, tok: str, regime: str) -> tuple[list[int], list[float], list[str]] | None:
    """Candidate syllables for a word token (cached with the model); None: leave it alone."""
    return _memo(model.candidate_cache, (tok, regime), lambda: _make_candidates(model, tok, regime))


def _make_candidates(model: Model, tok: str, regime: str) -> tuple[list[int], list[float], list[str]] | None:
    """Candidate syllables for a word token; None when the token should be left alone.

    The channel is a mixture of the learned vie and eng OCR error models and plain accent
    stripping, weighted by what the surrounding text looks like.
    """
    low = tok.lower()
    can = canonical(low)
    obs = can if can else low
    found: dict[int, float] = {}
    floor = FLOOR_VALID if can or fold(low) in model.by_fold else FLOOR
    for engine, weight in MIXTURE[regime]:
        if engine == "strip":
            if obs.isalpha() and not VIET_ONLY.search(obs):
                for i in model.by_fold.get(fold(obs), ()):
                    found[i] = _logadd(found.get(i), weight)
            continue
        for i, lp in model.channel.candidates(obs, engine, floor).items():
            found[i] = _logadd(found.get(i), lp + weight)
    if not found:
        return None
    # Prune by channel + unigram frequency so the trigram lattice stays small (it is scored exhaustively).
    uni = model.lm.uni_freq
    own = model.ids.get(can) if can else None
    ranked = sorted(found.items(), key=lambda kv: -(kv[1] + uni[kv[0]]))
    top = ranked[0][1] + uni[ranked[0][0]]
    best = [kv for kv in ranked[:MAX_CANDIDATES] if kv[1] + uni[kv[0]] >= top - PRUNE or kv[0] == own]
    if own is not None and own in found and all(i != own for i, _ in best):
        best.append((own, found[own]))
    ids = [i for i, _ in best]
    chs = [lp for _, lp in best]
    forms = [model.lm.vocab[i] for i in ids]
    if own is None:
        ids.append(UNK)
        stripped = tok.isascii() and fold(low) in model.by_fold  # 'Viet', 'PHUONG': accents lost
        chs.append(KEEP_GARBLED_LP if stripped or _garbled(tok) else KEEP_UNKNOWN_LP)
        forms.append("")
    elif regime == "accented" and (low != fold(low) or (tok[:1].isupper() and own in model.plain_ok)):
        chs = [x if i == own else x + PROTECT_VALID_LP for i, x in zip(ids, chs, strict=True)]
    return ids, chs, forms


def _garbled(tok: str) -> bool:
    """Lowercase or digit-mangled non-syllable: OCR damage rather than a name or a foreign word."""
    letters = [c for c in tok if c.isalpha()]
    return bool(letters) and (tok.islower() or any(c.isdigit() for c in tok))


def _logadd(a: float | None, b: float) -> float:
    if a is None:
        return b
    hi, lo = (a, b) if a > b else (b, a)
    return hi + math.log10(1.0 + 10.0 ** (lo - hi))


def _score_phrases(model: Model, phrases: list[list[Slot]], open_end: list[bool]) -> np.ndarray:
    """log10 P(w | u v) + channel score of w for every candidate triple of every phrase, in one vectorised batch.

    Phrases are padded with two <s> and one </s>; triples are laid out position by position as
    (a, b, c) over the candidates at i-2, i-1, i, so the Viterbi pass reads them back in order.
    An open-ended phrase (text cut mid-sentence, as OCR lines are) scores its </s> as 0.
    """
    cols: list[list[int]] = []
    chs: list[float] = []  # channel score of every candidate of every column, flat
    third: list[int] = []  # column index of each scored position (its i-2 and i-1 precede it)
    free: list[bool] = []  # per scored position: an open phrase end, not scored
    for slots, is_open in zip(phrases, open_end, strict=True):
        start = len(cols)
        cols.extend([[BOS], [BOS]] + [s.ids for s in slots] + [[EOS]])
        chs += [0.0, 0.0]
        for s in slots:
            chs += s.ch
        chs.append(0.0)
        third.extend(range(start + 2, len(cols)))
        free.extend([False] * len(slots) + [is_open])
    if not third:
        return np.zeros(0)
    sizes = np.fromiter((len(c) for c in cols), dtype=np.int64, count=len(cols))
    flat = np.fromiter((x for c in cols for x in c), dtype=np.int64, count=int(sizes.sum()))
    col_at = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    lm = model.lm
    # Adjacent column pairs (j-1, j), each scored once: the bigram level of P(c | b) for
    # triples ending at j, and the backoff weight of the (a, b) context for triples ending at j+1.
    left_size, right_size = sizes[:-1], sizes[1:]
    count2 = left_size * right_size
    pair_at = np.concatenate(([0, 0], np.cumsum(count2)[:-1]))  # indexed by column j >= 1
    owner2 = np.repeat(np.arange(1, len(sizes)), count2)
    q = np.arange(int(count2.sum())) - pair_at[owner2]
    kr = sizes[owner2]
    p2, bo, known = lm.pairs(flat[col_at[owner2 - 1] + q // kr], flat[col_at[owner2] + q % kr])
    pos = np.asarray(third, dtype=np.int64)
    kb, kc = sizes[pos - 1], sizes[pos]
    count = sizes[pos - 2] * kb * kc
    owner = np.repeat(np.arange(len(pos)), count)
    r = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    kb, kc, p = kb[owner], kc[owner], pos[owner]
    ia, ib, ic = r // (kb * kc), (r // kc) % kb, r % kc
    ab = pair_at[p - 1] + ia * kb + ib
    lp = bo[ab] + p2[pair_at[p] + ib * kc + ic]
    # Trigrams are looked up only where their (a, b) context is known (see LanguageModel.pairs).
    ask = np.flatnonzero(known[ab])
    pa, ic_ask = p[ask], ic[ask]
    hit, lp3 = lm.trigram(flat[col_at[pa - 2] + ia[ask]], flat[col_at[pa - 1] + ib[ask]], flat[col_at[pa] + ic_ask])
    lp[ask[hit]] = lp3[hit]
    lp[np.asarray(free)[owner]] = 0.0
    return lp + (np.asarray(chs, dtype=np.float64) * CHANNEL_WEIGHT)[col_at[p] + ic]


def _forward(
    sizes: list[int],
    scores: np.ndarray,
    at: int,
    starts: list[int] | None = None,
    backs: list[np.ndarray | None] | None = None,
) -> tuple[np.ndarray, int]:
    """Viterbi forward pass over one phrase's blocks of ``scores`` from offset ``at``: the best
    score of a path ending with (b at the last position but one, c at the last), and the offset
    after the phrase. Fills ``starts`` (each position's block offset) and ``backs`` ((b, c) ->
    best a; None where there is one way back) when given."""
    delta = np.zeros((1, 1))  # best score of a path ending with (b at i-1, c at i)
    for i in range(2, len(sizes)):
        ka, kb, kc = sizes[i - 2], sizes[i - 1], sizes[i]
        if starts is not None:
            starts.append(at)
        if ka == 1:  # one way back: no choice to record
            delta = delta.reshape(kb, 1) + scores[at : at + kb * kc].reshape(kb, kc)
            back = None
        else:
            total = delta[:, :, None] + scores[at : at + ka * kb * kc].reshape(ka, kb, kc)  # (a, b, c)
            back = total.argmax(axis=0) if backs is not None else None
            delta = total.max(axis=0)
        if backs is not None:
            backs.append(back)
        at += ka * kb * kc
    return delta, at


def _viterbi(phrases: list[list[Slot]], scores: np.ndarray) -> list[tuple[list[int], list[list[float]]]]:
    """Best candidate per slot of each phrase by exact second-order Viterbi; also each slot's posterior.

    ``scores`` holds log10 P(c | a b) + channel(c) for every candidate triple, phrase by phrase and
    position by position (see _score_phrases). The posterior of a slot is computed with its
    neighbours fixed to the best path, for all slots of all phrases in one batch. Returns
    (path, posteriors) per phrase.
    """
    out = []
    at = 0
    sentinel = len(scores)  # index of an appended 0.0: a slot before </s> has no third term
    i1: list[int] = []
    i2: list[int] = []
    i3: list[int] = []
    seg: list[int] = []  # per posterior slot: its candidate count
    for slots in phrases:
        sizes = [1, 1] + [len(s.ids) for s in slots] + [1]
        n = len(sizes)
        starts = [0, 0]  # starts[i]: offset of the (ka, kb, kc) block of position i
        backs: list[np.ndarray | None] = []
        delta, at = _forward(sizes, scores, at, starts, backs)
        b, c = np.unravel_index(int(delta.argmax()), delta.shape)
        full = [0] * n
        full[n - 1], full[n - 2] = int(c), int(b)
        for i in range(n - 1, 2, -1):
            back = backs[i - 2]
            full[i - 2] = 0 if back is None else int(back[full[i - 1], full[i]])
        out.append(full[2:-1])
        for i in range(2, n - 1):
            kc = sizes[i]
            if kc == 1:
                continue
            kb, kd = sizes[i - 1], sizes[i + 1]
            a, b, d = full[i - 2], full[i - 1], full[i + 1]
            base = starts[i] + (a * kb + b) * kc
            i1.extend(range(base, base + kc))
            base = starts[i + 1] + b * kc * kd + d
            i2.extend(range(base, base + kc * kd, kd))
            if i + 2 < n:
                ke = sizes[i + 2]
                base = starts[i + 2] + d * ke + full[i + 2]
                i3.extend(range(base, base + kc * kd * ke, kd * ke))
            else:
                i3.extend([sentinel] * kc)
            seg.append(kc)
    posts: list = []
    if seg:
        s = np.append(scores, 0.0)
        x = s[i1] + s[i2]
        x += s[i3]
        width = max(seg)
        rows = np.repeat(np.arange(len(seg)), seg)
        ends = np.cumsum(seg)
        cols = np.arange(len(x)) - np.repeat(ends - seg, seg)
        grid = np.full((len(seg), width), -np.inf)
        grid[rows, cols] = x
        e = 10.0 ** (x - grid.max(axis=1)[rows])
        grid[:] = 0.0
        grid[rows, cols] = e
        total = grid[:, 0].copy()
        for j in range(1, width):  # left to right, as ndarray.sum adds fewer than 8 numbers
            total += grid[:, j]
        flat = (e / total[rows]).tolist()
        posts = [flat[hi - k : hi] for hi, k in zip(ends.tolist(), seg, strict=True)]
        if width >= 8:  # ndarray.sum adds 8 or more numbers pairwise: do exactly that
            for r, (hi, k) in enumerate(zip(ends.tolist(), seg, strict=True)):
                if k >= 8:
                    ek = e[hi - k : hi]
                    posts[r] = (ek / ek.sum()).tolist()
    result = []
    r = 0
    for slots, path in zip(phrases, out, strict=True):
        ps = []
        for slot in slots:
            if len(slot.ids) == 1:
                ps.append([1.0])
            else:
                ps.append(posts[r])
                r += 1
        result.append((path, ps))
    return result


def _token_confidences(text: str, matches: list, words: Sequence[tuple[str, float]]) -> list[float | None]:
    """Confidence of the OCR word each token lies in; words are found in ``text`` in order."""
    spans = []
    pos = 0
    for word, conf in words:
        at = text.find(word, pos) if word else -1
        if at >= 0:
            spans.append((at, at + len(word), conf))
            pos = at + len(word)
    out: list[float | None] = []
    k = 0
    for m in matches:
        while k < len(spans) and spans[k][1] <= m.start():
            k += 1
        out.append(spans[k][2] if k < len(spans) and spans[k][0] <= m.start() else None)
    return out


def _with_confidence(model: Model, tok: str, regime: str, cand: tuple, conf: float | None) -> tuple:
    """Adjust a token's channel scores by its OCR word confidence (see CONF_DOUBT)."""
    ids, chs, forms = cand
    own = model.syllable_id(tok.lower())
    if conf is None or conf >= CONF_DOUBT or own is None or own not in ids:
        return cand
    if regime == "accented" and tok.lower() != fold(tok.lower()):
        chs = [x if i == own else x - PROTECT_VALID_LP for i, x in zip(ids, chs, strict=True)]
    return ids, chs, forms


def _with_case(model: Model, tok: str, before: str, ids: list[int], chs: list[float]) -> list[float]:
    """Add the case channel for a word after a lowercase word or a comma (as learned in training).

    A capitalised word there is a name, and names favour some syllables ('Long An', not 'Long Án').
    """
    if not _case_context(before):
        return chs
    if len(tok) > 1 and tok[0].isupper() and tok[1:].islower():
        table = model.cap_list
    elif tok.islower():
        table = model.lower_list
    else:
        return chs
    return [x + CASE_WEIGHT * table[i] if i > NUM else x for i, x in zip(ids, chs, strict=True)]


def _case_context(before: str) -> bool:
    """The case channel applies after a lowercase word, a number or a comma (as in training)."""
    return before.islower() or before.isdigit() or before == ","


class _Tok:
    """A word token: a regex match, or OCR pieces taken as one ('thu'c', 'Vi ệt', 'tri-' + line end + 'ển')."""

    __slots__ = ("e", "s", "t")

    def __init__(self, s: int, e: int, t: str) -> None:
        self.s, self.e, self.t = s, e, t

    def group(self) -> str:
        return self.t

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e


INNER_RE = regex.compile(r"\p{L}+['’?]\p{L}+")  # 'thu'c', 'chi?c': Latin OCR's ư, ứ, ử inside a word
HYPHEN_BREAK_RE = regex.compile(r"-[ \t]*\r?\n[ \t]*")  # a word hyphenated at a line end
SPLIT_MIN = 4  # shortest unknown token tried as two syllables ('thànhphố')


def _known(model: Model, tok: str) -> bool:
    """A syllable of the vocabulary, accented or with its accents stripped."""

    def make() -> bool:
        low = tok.lower()
        can = canonical(low)
        return (can is not None and can in model.ids) or fold(low) in model.by_fold

    return _memo(model.known_cache, tok, make)


def _local_slots(model: Model, toks: Sequence[str], regime: str) -> list[Slot]:
    slots = []
    for tok in toks:
        fixed = _fixed(model, tok, False)
        cand = None if fixed is not None else _candidates(model, tok, regime)
        if cand is None:
            slots.append(Slot(0, [NUM if tok.isdigit() else UNK], [0.0], [""]))
        else:
            slots.append(Slot(0, *cand))
    return slots


def _best_total(model: Model, slots: list[Slot]) -> float:
    """Best path score (LM + channel, log10) of an open-ended phrase."""
    sizes = [1, 1] + [len(x.ids) for x in slots] + [1]
    delta, _ = _forward(sizes, _score_phrases(model, [slots], [True]), 0)
    return float(delta.max())


def _plain_gap(text: str, a: _Tok, b: _Tok) -> bool:
    """``b`` is a word following ``a`` with only white space between (same phrase)."""
    return b.t.isalpha() and not text[a.e : b.s].strip()


def _resegment(model: Model, text: str, toks: list[_Tok], regime: str) -> tuple[list[_Tok], set[int]]:
    """Undo OCR's split and merged words where the LM prefers it: 'Vi ệt' -> 'Việt', 'thànhphố' ->
    'thành phố', 'tri-' + line end + 'ển' -> 'triển'. Each option is scored against leaving the
    tokens as they are, over the phrase around it. Returns the tokens and the indices of tokens
    that are the first half of a split (joined to the next one by a space in the output).
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
                if (gap == " " and not (_known(model, a) and _known(model, b))) or hyphen:
                    joined = a + b
                    cand = _candidates(model, joined, regime) if _fixed(model, joined, False) is None else None
                    if cand is not None and any(cand[2]):
                        options.append((n, n + 1, [_Tok(t.s, toks[n + 1].e, joined)]))
        if len(a) >= SPLIT_MIN and not _known(model, a) and not (a.isupper() and a in model.abbrevs):
            for i in range(1, len(a)):
                if _known(model, a[:i]) and _known(model, a[i:]) and (a[i].islower() or a.isupper()):
                    options.append((n, n, [_Tok(t.s, t.s + i, a[:i]), _Tok(t.s + i, t.e, a[i:])]))
    if not options:
        return toks, set()
    chosen: dict[int, tuple[int, list[_Tok], float]] = {}
    for first, last, repl in options:
        lo, hi = first, last
        while lo > 0 and first - lo < 2 and _plain_gap(text, toks[lo - 1], toks[lo]):
            lo -= 1
        while hi + 1 < len(toks) and hi - last < 2 and _plain_gap(text, toks[hi], toks[hi + 1]):
            hi += 1
        before = [x.t for x in toks[lo:first]]
        after = [x.t for x in toks[last + 1 : hi + 1]]
        base = _best_total(model, _local_slots(model, before + [x.t for x in toks[first : last + 1]] + after, regime))
        alt = _best_total(model, _local_slots(model, before + [x.t for x in repl] + after, regime))
        gain = alt - base
        if gain > 0 and all(not (f <= last and first <= e) or g < gain for f, (e, _, g) in chosen.items()):
            chosen = {f: v for f, v in chosen.items() if not (f <= last and first <= v[0])}
            chosen[first] = (last, repl, gain)
    out: list[_Tok] = []
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
    return out, halves


def restore_text(
    model: Model, text: str, style: str = "keep", words: Sequence[tuple[str, float]] | None = None
) -> RestoredText:
    """Restore ``text``; ``words`` are optional (OCR word, confidence 0..100) pairs in reading order."""
    if style not in ("keep", "old", "new"):
        raise ValueError(f"style must be 'keep', 'old' or 'new', not {style!r}")
    text = nfc(text)
    regime = _regime(TOKEN_RE.findall(text))
    # Chunks: whitespace-separated runs; a chunk with inner punctuation is a code, URL or date,
    # unless it reads as one word with Latin OCR's apostrophe or question mark inside ('thu'c').
    code_spans = []
    inner = []
    for c in CHUNK_RE.finditer(text):
        core = c.group().strip(EDGE_PUNCT)
        if INNER_RE.fullmatch(core) and (cand := _candidates(model, core, regime)) and any(cand[2]):
            at = c.start() + c.group().index(core)
            inner.append((at, at + len(core)))
        elif core and (len(TOKEN_RE.findall(core)) > 1 or URLISH_RE.search(core)):
            code_spans.append((c.start(), c.end()))
    toks: list[_Tok] = []
    k = 0
    for m in TOKEN_RE.finditer(text):
        while k < len(inner) and inner[k][1] <= m.start():
            k += 1
        if k < len(inner) and inner[k][0] <= m.start():
            if m.start() == inner[k][0]:
                toks.append(_Tok(inner[k][0], inner[k][1], text[inner[k][0] : inner[k][1]]))
            continue
        toks.append(_Tok(m.start(), m.end(), m.group()))
    matches, halves = _resegment(model, text, toks, regime)
    confs = _token_confidences(text, matches, words) if words else [None] * len(matches)
    words = [m.group() for m in matches]
    if style == "keep":
        votes = [st for w in words if (st := style_of(w))]
        out_style = "old" if votes.count("old") > votes.count("new") else "new"
    else:
        out_style = style
    restored: list[str] = [m.group() for m in matches]
    probs = [1.0] * len(matches)
    alts: list[tuple[Alternative, ...]] = [()] * len(matches)
    flags = [False] * len(matches)
    phrases: list[list[Slot]] = [[]]
    ci = 0
    prev_end = 0
    for n, m in enumerate(matches):
        tok = m.group()
        gap = text[prev_end : m.start()]
        prev_end = m.end()
        punct = any(ch not in " \t\n\r\f\v" for ch in gap) and not DASH_GAP_RE.fullmatch(gap)
        if punct or ("\n" in gap and (tok[0].isupper() or "\n\n" in gap)):
            phrases.append([])  # punctuation ends a phrase, as in training; so does a new line that
            # starts with a capital or follows a blank line (a heading, a new paragraph)
        while ci < len(code_spans) and code_spans[ci][1] <= m.start():
            ci += 1
        in_code = ci < len(code_spans) and code_spans[ci][0] <= m.start()
        marker = len(tok) == 1 and text[m.end() : m.end() + 1] in (")", ".")  # list item 'c)', 'đ.'
        fixed = _fixed(model, tok, in_code or marker)
        if fixed is not None:
            restored[n], probs[n] = fixed
            lm_id = NUM if tok.isdigit() else UNK
            phrases[-1].append(Slot(n, [lm_id], [0.0], [""]))
            continue
        start = m.start()
        before = text[start - 2] if model.cap_list is not None and start >= 2 and text[start - 1] == " " else ""
        if confs[n] is None:  # the usual case: the slot depends on the token and its case context only
            key = (tok, regime, _case_context(before))
            hit = _memo(model.slot_cache, key, lambda t=tok, b=before: _slot_data(model, t, regime, b, None))
            phrases[-1].append(Slot(n, *hit))
        else:
            phrases[-1].append(Slot(n, *_slot_data(model, tok, regime, before, confs[n])))
    tail = text[matches[-1].end() :] if matches else ""
    last_open = not any(ch.isalnum() or not ch.isspace() for ch in tail)  # no closing punctuation
    open_end = [last_open and i == len(phrases) - 1 for i in range(len(phrases))]
    keep = [i for i, p in enumerate(phrases) if any(len(s.ids) > 1 or s.forms[0] for s in p)]
    phrases, open_end = [phrases[i] for i in keep], [open_end[i] for i in keep]
    decoded = _viterbi(phrases, _score_phrases(model, phrases, open_end))
    for slots, (path, post) in zip(phrases, decoded, strict=True):
        for slot, c, p in zip(slots, path, post, strict=True):
            n = slot.index
            if len(slot.ids) == 1 and not slot.forms[0]:
                continue
            tok = matches[n].group()
            forms = slot.forms
            restored[n] = _render(model, tok, forms[c], style, out_style)
            probs[n] = float(p[c])
            if len(p) > 1:
                order = sorted(range(len(p)), key=lambda j: -p[j])
                alts[n] = tuple(
                    Alternative(_render(model, tok, forms[j], style, out_style), round(float(p[j]), 4))
                    for j in order[:4]
                    if j != c and p[j] > 0.001
                )[:3]
            flags[n] = probs[n] < FLAG_BELOW
    built = []
    n = 0
    while n < len(matches):
        m = matches[n]
        if n in halves:  # 'thànhphố' -> 'thành phố': one token of the input
            m2 = matches[n + 1]
            built.append(RestoredToken(text[m.start() : m2.end()], f"{restored[n]} {restored[n + 1]}", m.start(),
                                       m2.end(), round(probs[n] * probs[n + 1], 4), alts[n],
                                       flags[n] or flags[n + 1]))  # fmt: skip
            n += 2
            continue
        built.append(RestoredToken(text[m.start() : m.end()], restored[n], m.start(), m.end(), round(probs[n], 4),
                                   alts[n], flags[n]))  # fmt: skip
        n += 1
    tokens = tuple(built)
    pieces = []
    prev = 0
    for t in tokens:
        pieces.append(text[prev : t.start])
        pieces.append(t.restored)
        prev = t.end
    pieces.append(text[prev:])
    return RestoredText(text, "".join(pieces), tokens)


def _slot_data(
    model: Model, tok: str, regime: str, before: str, conf: float | None
) -> tuple[list[int], list[float], list[str]]:
    """(LM ids, channel scores, forms) of a token decoded as a syllable; ``before``: the character
    before its preceding space ('' when there is none or the model has no case channel)."""
    cand = _candidates(model, tok, regime)
    if cand is None:
        return [UNK], [0.0], [""]
    ids, chs, forms = _with_confidence(model, tok, regime, cand, conf)
    if before:
        chs = _with_case(model, tok, before, ids, chs)
    return ids, chs, forms


def _render(model: Model, tok: str, form: str, style: str, out_style: str) -> str:
    """``tok`` written as the syllable ``form`` ('' = unchanged) in its case and the output style."""

    def make() -> str:
        if not form or (style == "keep" and canonical(tok.lower()) == form):
            return tok  # unchanged, or already right: keep the author's own tone placement
        return _apply_case(tok, restyle(form, out_style))

    return _memo(model.render_cache, (tok, form, style, out_style), make)


def _fixed(model: Model, tok: str, in_code: bool) -> tuple[str, float] | None:
    """(output, probability) for tokens that are not decoded as syllables, else None (cached with the model)."""
    return _memo(model.fixed_cache, (tok, in_code), lambda: _make_fixed(model, tok, in_code))


def _make_fixed(model: Model, tok: str, in_code: bool) -> tuple[str, float] | None:
    """(output, probability) for tokens that are not decoded as syllables, else None."""
    upper = tok.upper() == tok and any(c.isalpha() for c in tok)
    if upper and "D" in tok and tok.isalpha() and (caps := _caps_d(model, tok)):
        return caps, 0.9  # 'HDND' -> 'HĐND', also inside symbols ('QD-UBND')
    if tok.isdigit() or in_code:
        return tok, 1.0
    if upper and len(tok) > 1 and any(c in "1l" for c in tok):
        roman = tok.replace("1", "I").replace("l", "I")
        if ROMAN_RE.match(roman) and any(c in "IVXLC" for c in tok):
            return roman, 0.9
    if upper and ROMAN_RE.match(tok) and len(tok) > 1:
        return tok, 1.0
    if any(c.isdigit() for c in tok) and sum(c.isdigit() for c in tok) > 2:
        return tok, 1.0
    if upper and len(tok) > 1 and model.syllable_id(tok.lower()) is None:
        if tok in model.abbrevs or tok in ADMIN_ABBREVS:
            return tok, 1.0
        if not model.by_fold.get(fold(tok).lower()):
            fix = _abbrev_repair(model, tok)
            return (fix, 0.8) if fix else (tok, 1.0)
    if len(tok) == 1 and (tok.isupper() or fold(tok) not in "aeiouy"):
        return tok, 1.0  # a lone consonant is a label ('điểm c'), never a damaged syllable
    return None


def _caps_d(model: Model, tok: str) -> str | None:
    """The all-caps token with its folded Đ back ('HDND' -> 'HĐND') when the training corpus
    writes that spelling more often than ``tok`` itself (and at least MIN_CAPS_D times)."""
    if not model.caps_d or tok.count("D") > 3:
        return None
    variants = [""]
    for c in tok:
        variants = [v + c for v in variants] + ([v + "Đ" for v in variants] if c == "D" else [])
    best = max(variants, key=lambda v: model.caps_d.get(v, 0))
    count = model.caps_d.get(best, 0)
    if best == tok or count < MIN_CAPS_D or count <= model.caps_d.get(tok, 0):
        return None
    return best


def _abbrev_repair(model: Model, tok: str) -> str | None:
    """A known abbreviation one OCR confusion away ('HPND' -> 'HĐND'), if exactly one fits."""
    table = model.channel.tables["eng"]
    found = []
    for ab in model.abbrevs:
        if len(ab) != len(tok) or ab == tok:
            continue
        diff = [(a, b) for a, b in zip(ab.lower(), tok.lower(), strict=True) if a != b]
        # Only a letter a Latin OCR engine cannot produce (Đ) is worth repairing: 'TM' stays 'TM'.
        if len(diff) == 1 and not diff[0][0].isascii() and any(
            p == diff[0][1] and lp > -3.0 for p, lp in table.get(diff[0][0], ())
        ):
            found.append(ab)
    return found[0] if len(found) == 1 else None
