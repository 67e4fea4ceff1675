"""Decode a lattice: score every candidate triple in one vectorised batch, then exact
second-order Viterbi per phrase with each slot's posterior."""

from __future__ import annotations

import numpy as np

from pipeline.restore.candidates import Slot
from pipeline.restore.model import BOS, EOS, Model

CHANNEL_WEIGHT = 1.0


def score_phrases(
    model: Model, phrases: list[list[Slot]], open_end: list[bool], open_start: list[bool] | None = None
) -> np.ndarray:
    """log10 P(w | u v) + channel score of w for every candidate triple of every phrase, in one vectorised batch.

    Phrases are padded with two <s> and one </s>; triples are laid out position by position as
    (a, b, c) over the candidates at i-2, i-1, i, so the Viterbi pass reads them back in order.
    An open-ended phrase (text cut mid-sentence, as OCR lines are) scores its </s> as 0. An
    open-started phrase (a text that may start mid-sentence: a wrapped line restored alone)
    scores its first two words as the better of a sentence start and going on from unknown words
    (the first by its corpus frequency, the second by the bigram level).
    """
    cols: list[list[int]] = []
    chs: list[float] = []  # channel score of every candidate of every column, flat
    third: list[int] = []  # column index of each scored position (its i-2 and i-1 precede it)
    free: list[bool] = []  # per scored position: an open phrase end, not scored
    soft: list[int] = []  # columns of slots after a line break that may end the phrase
    starts: list[int] = []  # first columns of open-started phrases
    for slots, is_open, is_cut in zip(phrases, open_end, open_start or [False] * len(phrases), strict=True):
        start = len(cols)
        if is_cut:
            starts.append(start + 2)
        soft.extend(start + 2 + k for k, s in enumerate(slots) if s.soft)
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
    if starts:
        col_of = np.zeros(len(cols), dtype=np.int8)
        col_of[starts] = 1
        col_of[np.asarray(starts) + 1] = 2
        mark = col_of[p]
        first = np.flatnonzero(mark == 1)
        lp[first] = np.maximum(lp[first], lm.uni_freq[flat[col_at[p[first]] + ic[first]]])
        second = np.flatnonzero(mark == 2)
        lp[second] = np.maximum(lp[second], p2[pair_at[p[second]] + ib[second] * kc[second] + ic[second]])
    lp[np.asarray(free)[owner]] = 0.0
    if soft:
        # After a soft break, each triple scores as the better of going on and of ending the phrase
        # there: c after a fresh start with P(</s> | a b), and the next d after (<s>, c).
        col_of = np.zeros(len(cols), dtype=np.int8)
        col_of[soft] = 1
        col_of[np.asarray(soft) + 1] |= 2
        mark = col_of[p]
        at = np.flatnonzero(mark)
        if len(at):
            a = flat[col_at[p[at] - 2] + ia[at]]
            b = flat[col_at[p[at] - 1] + ib[at]]
            c = flat[col_at[p[at]] + ic[at]]
            bos = np.full(len(at), BOS)
            start = np.where(mark[at] & 1, lm.logp(a, b, np.full(len(at), EOS)) + lm.logp(bos, bos, c), -np.inf)
            after = np.where(mark[at] & 2, lm.logp(bos, b, c), -np.inf)
            lp[at] = np.maximum(lp[at], np.maximum(start, after))
    return lp + (np.asarray(chs, dtype=np.float64) * CHANNEL_WEIGHT)[col_at[p] + ic]


def forward(
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


def viterbi(phrases: list[list[Slot]], scores: np.ndarray) -> list[tuple[list[int], list[list[float]]]]:
    """Best candidate per slot of each phrase by exact second-order Viterbi; also each slot's posterior.

    ``scores`` holds log10 P(c | a b) + channel(c) for every candidate triple, phrase by phrase and
    position by position (see score_phrases). The posterior of a slot is computed with its
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
        delta, at = forward(sizes, scores, at, starts, backs)
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


def best_total(model: Model, slots: list[Slot]) -> float:
    """Best path score (LM + channel, log10) of an open-ended phrase."""
    sizes = [1, 1] + [len(x.ids) for x in slots] + [1]
    delta, _ = forward(sizes, score_phrases(model, [slots], [True]), 0)
    return float(delta.max())
