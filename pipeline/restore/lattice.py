"""Build the lattice: tokens cut into phrases (punctuation, headings and paragraphs end one, as in
training), one candidate column per token, and the fixed output of tokens that are not decoded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from pipeline.restore.candidates import Slot, fixed, fixed_slot, slot
from pipeline.restore.model import Model
from pipeline.restore.tokens import Token, Tokens

DASH_GAP_RE = regex.compile(r"\s+[-–—]\s+")  # 'Độc lập - Tự do': the dash joins, it does not end a phrase


@dataclass
class Lattice:
    """Phrases worth decoding (each a list of columns), whether each ends open (text cut
    mid-sentence: its </s> is not scored), and the output of tokens that are not decoded."""

    phrases: list[list[Slot]]
    open_end: list[bool]
    fixed: dict[int, tuple[str, float]]  # token index -> (output, probability)


def build_lattice(
    model: Model, text: str, tokens: Tokens, regime: str, words: Sequence[tuple[str, float]] | None = None
) -> Lattice:
    """``words``: optional (OCR word, confidence 0..100) pairs in reading order."""
    toks = tokens.items
    confs = _token_confidences(text, toks, words) if words else [None] * len(toks)
    phrases: list[list[Slot]] = [[]]
    fixed_out: dict[int, tuple[str, float]] = {}
    prev_end = 0
    for n, t in enumerate(toks):
        tok = t.t
        gap = text[prev_end : t.s]
        prev_end = t.e
        punct = any(ch not in " \t\n\r\f\v" for ch in gap) and not DASH_GAP_RE.fullmatch(gap)
        if punct or ("\n" in gap and (tok[0].isupper() or "\n\n" in gap)):
            phrases.append([])  # punctuation ends a phrase, as in training; so does a new line that
            # starts with a capital or follows a blank line (a heading, a new paragraph)
        marker = len(tok) == 1 and text[t.e : t.e + 1] in (")", ".")  # list item 'c)', 'đ.'
        out = fixed(model, tok, t.code or marker)
        if out is not None:
            fixed_out[n] = out
            phrases[-1].append(fixed_slot(n, tok))
            continue
        before = text[t.s - 2] if model.cap_list is not None and t.s >= 2 and text[t.s - 1] == " " else ""
        phrases[-1].append(slot(model, n, tok, regime, before, confs[n]))
    tail = text[toks[-1].e :] if toks else ""
    last_open = not any(ch.isalnum() or not ch.isspace() for ch in tail)  # no closing punctuation
    open_end = [last_open and i == len(phrases) - 1 for i in range(len(phrases))]
    keep = [i for i, p in enumerate(phrases) if any(len(s.ids) > 1 or s.forms[0] for s in p)]
    return Lattice([phrases[i] for i in keep], [open_end[i] for i in keep], fixed_out)


def _token_confidences(text: str, toks: list[Token], words: Sequence[tuple[str, float]]) -> list[float | None]:
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
    for t in toks:
        while k < len(spans) and spans[k][1] <= t.s:
            k += 1
        out.append(spans[k][2] if k < len(spans) and spans[k][0] <= t.s else None)
    return out
