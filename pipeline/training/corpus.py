"""Reading the training corpus, and which part of it is held out for evaluation."""

from __future__ import annotations

import lzma
from collections.abc import Iterator
from pathlib import Path

# vn-law lines (0-based) from here on are never trained on: the last ~4% of the documents,
# in file-name order (the end of the criminal-procedure and later codes).
HELDOUT_LAW_FROM = 125_000


def iter_corpus_lines(corpus: Path) -> Iterator[tuple[str, int, str]]:
    """(source, line index, line) for every line of viwiki then vn-law."""
    for source, name in (("wiki", "viwiki.txt.xz"), ("law", "vn-law.txt.xz")):
        with lzma.open(corpus / name, "rt", encoding="utf-8") as f:
            for i, line in enumerate(f):
                yield source, i, line.rstrip("\n")


def heldout_law_lines(corpus: Path) -> list[str]:
    """The held-out slice of vn-law."""
    with lzma.open(corpus / "vn-law.txt.xz", "rt", encoding="utf-8") as f:
        return [line.rstrip("\n") for i, line in enumerate(f) if i >= HELDOUT_LAW_FROM]
