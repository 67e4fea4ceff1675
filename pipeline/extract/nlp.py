"""The spaCy side: a syllable tokenizer and the pipeline, built lazily from ``config.cfg``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import regex
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces, registry

import pipeline.extract.factories  # noqa: F401  (registers the factories config.cfg names)
from pipeline.extract.vocab import read_patterns, token_patterns
from pipeline.vietnamese import fold_lower

CONFIG_PATH = Path(__file__).parent / "config.cfg"

_TOKEN_RE = regex.compile(r"[\p{L}\p{M}\p{N}]+|\S")


class SyllableTokenizer:
    """Splits on whitespace and punctuation; NORM is the accent-folded lower form for OCR-tolerant cues."""

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words = _TOKEN_RE.findall(text)
        words, spaces = get_words_and_spaces(words, text)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        for token in doc:
            token.norm_ = fold_lower(token.text)
        return doc

    # spaCy serialises tokenizers with the pipeline; this one has no state.
    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> SyllableTokenizer:
        return self

    def to_disk(self, path: Any, **kwargs: Any) -> None:
        return None

    def from_disk(self, path: Any, **kwargs: Any) -> SyllableTokenizer:
        return self


@registry.tokenizers("vanban.syllables.v1")
def create_syllable_tokenizer() -> Any:
    def factory(nlp: Language) -> SyllableTokenizer:
        return SyllableTokenizer(nlp.vocab)

    return factory


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """Build the pipeline once per process (worker processes build their own on first use)."""
    config = spacy.util.load_config(CONFIG_PATH)
    nlp = spacy.blank("vi", config=config)
    nlp.get_pipe("cues").add_patterns(token_patterns(nlp, read_patterns()))
    return nlp
