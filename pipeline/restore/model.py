"""The loaded restoration model: syllable trigram LM (memory-mapped arrays) and OCR channel."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np

from pipeline.restore.syllable import canonical
from pipeline.vietnamese import fold

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "restore-v2"
BOS, EOS, UNK, NUM = 0, 1, 2, 3
MIN_PIECE_LP = -3.5  # channel pieces rarer than this are never proposed
STANDIN_LP = -3.0  # a symbol read for a letter at least this often is part of the word it stands in
# Never taken as part of a word, however often the channel reads one for a letter.
PUNCTUATION = ",.;:-–—/\\()[]{}\"“”‘«»!…_"
CACHE_ENTRIES = 400_000  # DecoderCache bound: emptied past this, so a long run cannot grow it

T = TypeVar("T")
_MISSING = object()


class DecoderCache:
    """Per-token decoder work remembered across calls: tokens repeat heavily across pages.

    Every value is a pure function of its key and the loaded model (keys start with the kind of
    work: "cand", "channel", "fixed", "known", "slot", "render"), so emptying it changes no output.
    """

    def __init__(self, limit: int = CACHE_ENTRIES) -> None:
        self.limit = limit
        self._store: dict[Hashable, object] = {}

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """``make()``, computed once per key (None is remembered too)."""
        hit = self._store.get(key, _MISSING)
        if hit is not _MISSING:
            return hit  # type: ignore[return-value]
        if len(self._store) > self.limit:
            self._store.clear()
        self._store[key] = out = make()
        return out

    def __len__(self) -> int:
        return len(self._store)


class LanguageModel:
    """Interpolated Kneser–Ney trigram over syllable ids, queried in vectorised batches."""

    def __init__(self, path: Path) -> None:
        def load(name: str) -> np.ndarray:
            return np.asarray(np.load(path / f"{name}.npy", mmap_mode="r"))  # plain view: fast indexing

        self.tri_keys, self.tri_lp = load("tri_keys"), load("tri_lp")
        self.bi_keys, self.bi_lp, self.bi_bo = load("bi_keys"), load("bi_lp"), load("bi_bo")
        self.ctx_keys, self.ctx_bo = load("ctx_keys"), load("ctx_bo")
        self.uni_lp = np.asarray(load("uni_lp"), dtype=np.float64)
        self.uni_bo = np.asarray(load("uni_bo"), dtype=np.float64)
        # Relative frequency for pruning candidates (older models lack it: KN unigram instead).
        freq = path / "uni_freq.npy"
        self.uni_freq = np.asarray(np.load(freq), dtype=np.float64) if freq.exists() else self.uni_lp
        cap = path / "cap_lp.npy"  # log10 P(written capitalised mid-sentence | syllable), if trained
        self.cap_lp = np.asarray(np.load(cap), dtype=np.float64) if cap.exists() else None
        self.vocab = (path / "vocab.txt").read_text(encoding="utf-8").split("\n")[:-1]
        self.V = len(self.vocab)

    @staticmethod
    def _find(keys: np.ndarray, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pos = np.searchsorted(keys, query)
        np.minimum(pos, len(keys) - 1, out=pos)
        return pos, keys[pos] == query

    def backoff(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """log10 backoff weight of the (u, v) context."""
        k = u * self.V + v
        pos, hit = self._find(self.bi_keys, k)
        bo = np.where(hit, self.bi_bo[pos], 0.0)
        if len(self.ctx_keys):
            pos2, hit2 = self._find(self.ctx_keys, k)
            bo = np.where(hit2, self.ctx_bo[pos2], bo)
        return bo

    def pairs(self, v: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each pair: (log10 P_KN(w | v) from the bigram level, log10 backoff weight of (v, w) as a
        context, whether (v, w) is a stored bigram or context).

        One lookup serves all, since bigrams and trigram contexts share the key v * V + w. Every
        stored trigram's context is a stored bigram or context (training stores all of them), so
        only triples whose first pair is known need a trigram lookup.
        """
        k = v * self.V + w
        pos, hit = self._find(self.bi_keys, k)
        p2 = np.where(hit, self.bi_lp[pos], self.uni_bo[v] + self.uni_lp[w])
        bo = np.where(hit, self.bi_bo[pos], 0.0)
        known = hit
        if len(self.ctx_keys):
            pos2, hit2 = self._find(self.ctx_keys, k)
            bo = np.where(hit2, self.ctx_bo[pos2], bo)
            known = hit | hit2
        return p2, bo, known

    def trigram(self, u: np.ndarray, v: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(hit, log10 P(w | u v)) for the stored trigrams; elsewhere the caller backs off."""
        pos, hit = self._find(self.tri_keys, (u * self.V + v) * self.V + w)
        return hit, self.tri_lp[pos]

    def logp(self, u: np.ndarray, v: np.ndarray, w: np.ndarray, bo: np.ndarray | None = None) -> np.ndarray:
        """log10 P(w | u v), elementwise over equally shaped int64 arrays."""
        V = self.V
        pos3, hit3 = self._find(self.tri_keys, (u * V + v) * V + w)
        pos2, hit2 = self._find(self.bi_keys, v * V + w)
        p2 = np.where(hit2, self.bi_lp[pos2], self.uni_bo[v] + self.uni_lp[w])
        if bo is None:
            bo = self.backoff(u, v)
        return np.where(hit3, self.tri_lp[pos3], bo + p2)


@dataclass
class Channel:
    """P(observed piece | true char) per engine, as log10, with a trie search for candidates."""

    tables: dict[str, dict[str, list[tuple[str, float]]]]
    trie: dict
    inverse: dict = field(default_factory=dict)  # engine -> observed piece -> [(true char, log10)]

    def __post_init__(self) -> None:
        for engine, table in self.tables.items():
            inv: dict[str, list[tuple[str, float]]] = {}
            for t, row in table.items():
                for piece, lp in row:
                    inv.setdefault(piece, []).append((t, lp))
            self.inverse[engine] = {p: sorted(v, key=lambda x: -x[1]) for p, v in inv.items()}

    def candidates(self, obs: str, engine: str, floor: float) -> dict[int, float]:
        """Vocabulary ids that could have produced ``obs`` (lowercase) -> best log10 P(obs | id).

        Walks the vocabulary trie and the observation together: at each point only the true
        letters that can produce the next 0-3 observed characters are followed. A branch is cut
        as soon as even the likeliest reading of the rest of ``obs`` would take it below ``floor``,
        so only branches that could never be recorded are dropped.
        """
        inv = self.inverse[engine]
        out: dict[int, float] = {}
        n = len(obs)
        max_piece = 3
        # rest[j]: best log10 P of reading obs[j:] with pieces of 1-3 characters (no deletions).
        rest = [-1e9] * n + [0.0]
        for j in range(n - 1, -1, -1):
            for k in range(1, min(max_piece, n - j) + 1):
                row = inv.get(obs[j : j + k])
                if row and rest[j + k] > -1e9:
                    rest[j] = max(rest[j], row[0][1] + rest[j + k])
        dels_row = inv.get("")
        # Below this, no completion can reach the floor (a deletion adds at most max(0, its log10);
        # 1e-9: float sums in another order may differ in the last bits).
        bound_floor = floor - 1e-9 - max(0.0, dels_row[0][1] if dels_row else 0.0)
        steps = [[(k, obs[j : j + k], rest[j + k]) for k in range(0, min(max_piece, n - j) + 1)] for j in range(n + 1)]

        def walk(node: dict, j: int, lp: float, dels: int) -> None:
            if j == n:
                sid = node.get("")
                if sid is not None and lp > out.get(sid, -99.0):
                    out[sid] = lp
            for k, piece, after in steps[j] if dels < 1 else steps[j][1:]:
                for t, plp in inv.get(piece, ()):
                    total = lp + plp
                    if total < floor or total + after < bound_floor:
                        break  # sorted by probability
                    child = node.get(t)
                    if child is not None:
                        walk(child, j + k, total, dels + (k == 0))

        walk(self.trie, 0, 0.0, 0)
        return out


class Model:
    """Everything restoration loads: LM, channel, fold index, abbreviations."""

    def __init__(self, path: Path = MODEL_DIR) -> None:
        t0 = time.perf_counter()
        if not (path / "vocab.txt").exists():
            raise FileNotFoundError(f"{path}: restoration model missing; run scripts/train_restore.py")
        self.lm = LanguageModel(path)
        vocab = self.lm.vocab
        # Syllables are stored lowercase; abbreviations ('UBND', 'HĐND') in capitals after them.
        self.ids = {s: i for i, s in enumerate(vocab) if i > NUM and not s.isupper()}
        self.abbrev_ids = {s: i for i, s in enumerate(vocab) if i > NUM and s.isupper()}
        self.by_fold: dict[str, list[int]] = {}
        for s, i in self.ids.items():
            self.by_fold.setdefault(fold(s), []).append(i)
        self.fold_keys = sorted(self.by_fold)
        # Folded forms of common syllables (seen 1 in 100,000 words or more): plain text made of them
        # has only lost its accents.
        self.plain_forms = frozenset(k for k, members in self.by_fold.items()
                                     if max(self.lm.uni_freq[m] for m in members) >= -5.0)  # fmt: skip
        trie: dict = {}
        for s, i in self.ids.items():
            node = trie
            for ch in s:
                node = node.setdefault(ch, {})
            node[""] = i
        raw = json.loads((path / "channel.json").read_text(encoding="utf-8"))
        tables = {
            eng: {t: sorted(((p, lp) for p, lp in row.items() if lp >= MIN_PIECE_LP), key=lambda x: -x[1])
                  for t, row in tab.items()}
            for eng, tab in raw.items()
        }  # fmt: skip
        self.channel = Channel(tables, trie)
        # Symbols an OCR engine reads for letters ('&' for 'ã', '¢' for 'c', '|' for 'l', "'" in 'thu'c'):
        # inside a word they are kept with it, as the channel learned them.
        self.standins = frozenset(
            ch for table in tables.values() for row in table.values() for piece, lp in row
            if lp >= STANDIN_LP for ch in piece if not ch.isalnum() and not ch.isspace() and ch not in PUNCTUATION
        ) | frozenset("'’?")  # fmt: skip
        self.abbrevs = frozenset(self.abbrev_ids)
        # All-caps tokens with D or Đ and their corpus counts (absent in older models).
        caps = path / "caps_d.tsv"
        self.caps_d: dict[str, int] = {}
        if caps.exists():
            for row in caps.read_text(encoding="utf-8").splitlines():
                tok, _, count = row.partition("\t")
                self.caps_d[tok] = int(count)
        # A plain (unaccented) syllable is "proper" only if it is a common reading of its letters.
        uni = self.lm.uni_lp
        self.plain_ok = set()
        for key, members in self.by_fold.items():
            if key in self.ids and uni[self.ids[key]] >= max(uni[m] for m in members) - 0.5:
                self.plain_ok.add(self.ids[key])
        # log10 P(capitalised | syllable) and log10 P(not capitalised | syllable) by id, as Python floats
        self.cap_list: list[float] | None = None
        self.lower_list: list[float] | None = None
        if self.lm.cap_lp is not None:
            self.cap_list = self.lm.cap_lp.tolist()
            self.lower_list = [math.log10(max(1e-9, 1.0 - 10.0**c)) for c in self.cap_list]
        self.cache = DecoderCache()
        self.load_seconds = time.perf_counter() - t0

    def syllable_id(self, token_lower: str) -> int | None:
        can = canonical(token_lower)
        return self.ids.get(can) if can else None


_MODEL: Model | None = None


def get_model() -> Model:
    """The process-wide model, loaded on first use."""
    global _MODEL
    if _MODEL is None:
        _MODEL = Model()
    return _MODEL
