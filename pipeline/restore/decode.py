"""Restoration of one text, window by window: tokenise -> lattice -> decode -> assemble."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import regex

from pipeline.restore import lexicon as lex
from pipeline.restore.candidates import known, known_abbrev, render
from pipeline.restore.lattice import Lattice, WordSpans, build_lattice
from pipeline.restore.model import Model
from pipeline.restore.tokens import WINDOW, Tokens, document_traits, label_repairs, tokenise, windows
from pipeline.restore.viterbi import score_phrases, viterbi
from pipeline.types import Alternative, RestoredText, RestoredToken
from pipeline.vietnamese import fold, nfc

STYLES = ("keep", "old", "new")
FLAG_BELOW = 0.75  # posterior under which a token is flagged for review


@dataclass(frozen=True)
class Window:
    """One window of a restored text: ``text`` replaces ``original[start:end]``; the tokens'
    offsets are into the whole original."""

    start: int
    end: int
    text: str
    tokens: tuple[RestoredToken, ...]
    damaged: bool = False  # the whole text's regime is 'damaged' (legacy OCR)


def restore_windows(
    model: Model,
    text: str,
    style: str = "keep",
    words: Sequence[tuple[str, float]] | None = None,
    *,
    window: int = WINDOW,
    lexicon: lex.Lexicon | None = None,
    memory: lex.Lexicon | None = None,
    remember: bool = True,
) -> Iterator[Window]:
    """Restore NFC ``text`` one bounded window after the other (memory flat in the text's size).

    The regime and the tone style are the whole text's; windows end where a phrase ends, so the
    result equals restoring the text at once (see tokens.windows for the rare exceptions).
    ``words`` are optional (OCR word, confidence 0..100) pairs in reading order. ``lexicon``: names
    and phrases that outrank the corpus. ``memory``: the document's memory, filled with the names
    read confidently (pass one Lexicon to successive calls for one document's blocks): a window
    is decoded, its confident names are remembered, and the phrases where they match are decoded
    again with them preferred (so a damaged header name follows the same name read well below);
    later windows use what earlier ones remembered (``remember=False``: no document memory). The
    same goes for the word pairs it read confidently (lexicon.DocumentCache), outside accented text.
    """
    if style not in STYLES:
        raise ValueError(f"style must be 'keep', 'old' or 'new', not {style!r}")
    regime, majority = document_traits(text)
    out_style = majority if style == "keep" else style
    spans = WordSpans(text, words) if words else None
    labels = label_repairs(text)
    memory = lex.Lexicon() if memory is None else memory
    # A text of one line (a heading, a table cell, line-by-line callers) has no elsewhere to remember.
    cache = lex.DocumentCache() if remember and regime != "accented" and "\n" in text.strip() else None
    for lo, hi in windows(text, window):
        tokens = tokenise(model, text, regime, lo, hi, labels)
        lattice = build_lattice(model, text, tokens, regime, spans, hi, labels)
        phrases, toks = lattice.phrases, tokens.items
        if lexicon:
            lex.apply(model, phrases, toks, lexicon, lex.LEXICON_LP)
        if any(_unwritable(model, t.t) for t in toks):  # only then is the gazetteer read (a page's 60 ms)
            lex.apply(model, phrases, toks, lex.unwritable_places(model), lex.LEXICON_LP)
        lex.apply(model, phrases, toks, memory, lex.MEMORY_LP)
        paths = viterbi(phrases, score_phrases(model, phrases, lattice.open_end, lattice.open_start))
        names = lex.confident_names(phrases, paths, toks) if remember and len(memory) < lex.MAX_ENTRIES else []
        for name in names:
            memory.add(name)
        if names:
            touched = lex.apply(model, phrases, toks, lex.Lexicon.of(names), lex.MEMORY_LP)
            _decode_again(model, lattice, paths, sorted(touched))
        if cache is not None:
            cache.learn(phrases, paths, toks)
            _decode_again(model, lattice, paths, cache.apply(phrases, paths, toks))
        window = assemble(model, text, tokens, lattice, paths, style, out_style, lo, hi)
        yield replace(window, damaged=regime == "damaged")


def _unwritable(model: Model, tok: str) -> bool:
    """A word the model cannot write, as a place of lex.unwritable_places has one ('Dak', 'Krong'): letters
    with a vowel, no syllable and no abbreviation the model knows ('UBND', 'KTHT' are no such words)."""
    return (len(tok) > 1 and tok.isalpha() and not known(model, tok) and not known_abbrev(model, tok)
            and regex.search(r"[aeiouy]", fold(tok).lower()) is not None)  # fmt: skip


def _decode_again(model: Model, lattice: Lattice, paths: list, again: list[int]) -> None:
    """Decode the phrases ``again`` (indices) of ``lattice`` anew, into ``paths``."""
    if not again:
        return
    sub = [lattice.phrases[i] for i in again]
    scores = score_phrases(model, sub, [lattice.open_end[i] for i in again], [lattice.open_start[i] for i in again])
    for i, path in zip(again, viterbi(sub, scores), strict=True):
        paths[i] = path


def restore_text(
    model: Model,
    text: str,
    style: str = "keep",
    words: Sequence[tuple[str, float]] | None = None,
    *,
    window: int = WINDOW,
    lexicon: lex.Lexicon | None = None,
    memory: lex.Lexicon | None = None,
    remember: bool = True,
) -> RestoredText:
    """Restore ``text`` (all windows joined)."""
    text = nfc(text)
    parts = list(restore_windows(model, text, style, words, window=window, lexicon=lexicon, memory=memory,
                                 remember=remember))  # fmt: skip
    tokens = tuple(t for w in parts for t in w.tokens)
    return RestoredText(text, "".join(w.text for w in parts), tokens, any(w.damaged for w in parts))


def assemble(
    model: Model,
    text: str,
    tokens: Tokens,
    lattice: Lattice,
    paths: list[tuple[list[int], list[list[float]]]],
    style: str,
    out_style: str,
    lo: int,
    hi: int,
) -> Window:
    """The decoded choices written out: each token in its case and tone style, with its posterior
    and up to three alternatives; everything between tokens kept byte for byte."""
    toks = tokens.items
    restored = [t.t for t in toks]
    probs = [1.0] * len(toks)
    alts: list[tuple[Alternative, ...]] = [()] * len(toks)
    flags = [False] * len(toks)
    for n, (out, p) in lattice.fixed.items():
        restored[n], probs[n] = out, p
    for slots, (path, post) in zip(lattice.phrases, paths, strict=True):
        for col, c, p in zip(slots, path, post, strict=True):
            n = col.index
            if len(col.ids) == 1 and not col.forms[0]:
                continue
            tok = toks[n].t
            if n in lattice.titled:  # 'BG' read as 'Bộ' amid running text
                tok = tok[0] + tok[1:].lower()
            forms = col.forms
            restored[n] = render(model, tok, forms[c], style, out_style) if forms[c] else toks[n].t
            probs[n] = float(p[c])
            if len(p) > 1:
                order = sorted(range(len(p)), key=lambda j: -p[j])
                alts[n] = tuple(
                    Alternative(render(model, tok, forms[j], style, out_style), round(float(p[j]), 4))
                    for j in order[:4]
                    if j != c and p[j] > 0.001
                )[:3]
            flags[n] = probs[n] < FLAG_BELOW
    built = []
    n = 0
    while n < len(toks):
        t = toks[n]
        if n in tokens.halves:  # 'thànhphố' -> 'thành phố': one token of the input
            t2 = toks[n + 1]
            pair = f"{restored[n]} {restored[n + 1]}"
            prob = round(probs[n] * probs[n + 1], 4)
            built.append(RestoredToken(text[t.s : t2.e], pair, t.s, t2.e, prob, alts[n], flags[n] or flags[n + 1]))
            n += 2
            continue
        built.append(RestoredToken(text[t.s : t.e], restored[n], t.s, t.e, round(probs[n], 4), alts[n], flags[n]))
        n += 1
    pieces = []
    prev = lo
    for rt in built:
        pieces.append(text[prev : rt.start])
        pieces.append(rt.restored)
        prev = rt.end
    pieces.append(text[prev:hi])
    return Window(lo, hi, "".join(pieces), tuple(built))
