"""Diacritic restoration: garbled or accent-less Vietnamese back to correct text.

A syllable trigram language model (Kneser–Ney) decodes a lattice of candidate syllables per
token; candidates come from accent folding and an OCR error model learned from Tesseract output
on rendered corpus text. See models/restore-v1/README.md for how the model is built and how well it does.

One text goes tokens.tokenise -> lattice.build_lattice (columns from candidates) ->
viterbi -> decode.assemble; model.Model is what is loaded, with its DecoderCache. Training code
lives in pipeline/training, used by scripts only.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pipeline.restore.candidates import MAX_TOKEN
from pipeline.restore.decode import Window, restore_text, restore_windows
from pipeline.restore.model import get_model
from pipeline.restore.syllable import canonical
from pipeline.types import OcrWord, RestoredText
from pipeline.vietnamese import WORD_RE, fold, nfc

__all__ = ["Window", "iter_restore", "restore", "vietnamese_score"]


def restore(text: str, *, style: str = "keep", words: Sequence[OcrWord] | None = None) -> RestoredText:
    """Restore Vietnamese diacritics and undo OCR confusions, token by token.

    ``style`` is the tone-mark placement of the output: "keep" (the document's majority), "old"
    ('hoà', 'thuỷ') or "new" ('hòa', 'thủy'). Everything but changed tokens is kept byte for byte.
    ``words``, when the text is OCR output, are its words in reading order (``text`` and
    ``confidence``): an accented syllable Tesseract doubted is corrected more easily.
    """
    pairs = [(nfc(w.text), float(w.confidence)) for w in words] if words else None
    return restore_text(get_model(), text, style, pairs)


def iter_restore(text: str, *, style: str = "keep") -> Iterator[Window]:
    """``restore`` one bounded window at a time, for texts of any size: memory stays flat and the
    joined windows equal ``restore(text).text`` (windows end where a phrase ends)."""
    return restore_windows(get_model(), nfc(text), style)


def vietnamese_score(text: str) -> float:
    """Share (0..1) of word tokens that are properly accented Vietnamese syllables.

    Ingest uses it to judge a PDF text layer: accent-less or Latin-OCR'd text scores low because
    a plain syllable only counts when it is also the usual reading of its letters ('ban', not 'nhan').
    """
    model = get_model()
    good = total = 0
    for m in WORD_RE.finditer(nfc(text)):
        w = m.group()
        if w.isdigit():
            continue
        total += 1
        can = canonical(w.lower()) if len(w) <= MAX_TOKEN else None
        sid = model.ids.get(can) if can else None
        if sid is not None and (can != w.lower() or sid in model.plain_ok or can != fold(can)):
            good += 1
    return good / total if total else 0.0
