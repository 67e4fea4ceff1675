"""The spaCy side: a syllable tokenizer, Doc extensions and the lazily built pipeline."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import get_words_and_spaces, registry

from pipeline.vietnamese import fold_lower

PACKAGE_DIR = Path(__file__).parent
CONFIG_PATH = PACKAGE_DIR / "config.cfg"
PATTERN_FILES = ("cues.jsonl", "doc_types.jsonl", "positions.jsonl")

_TOKEN_RE = regex.compile(r"[\p{L}\p{M}\p{N}]+|\S")


@dataclass(frozen=True)
class Segment:
    """Where one block's text sits inside the document text the pipeline reads."""

    start: int
    end: int
    page: int
    block: str


@dataclass
class Found:
    """A field value with the document-text span it was read from."""

    value: Any
    start: int
    end: int
    confidence: float


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


for _name, _default in (("vb", None), ("vb_segments", None), ("vb_meta", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def read_patterns(names: tuple[str, ...] = PATTERN_FILES) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in names:
        for line in (PACKAGE_DIR / "patterns" / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append(json.loads(line))
    return rows


def token_patterns(nlp: Language, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Phrase patterns -> token patterns on NORM that allow any whitespace (line breaks) between words."""
    out = []
    for row in rows:
        toks = [t.norm_ for t in nlp.make_doc(row["pattern"]) if not t.is_space]
        pattern: list[dict[str, Any]] = []
        for i, norm in enumerate(toks):
            if i:
                pattern.append({"IS_SPACE": True, "OP": "*"})
            pattern.append({"NORM": norm})
        out.append({"label": row["label"], "pattern": pattern, "id": row.get("id", row["pattern"])})
    return out


@lru_cache(maxsize=1)
def doc_type_rows() -> dict[str, dict[str, Any]]:
    """Type id -> its pattern row (name, and for named laws: default issuer)."""
    return {r["id"]: r for r in read_patterns(("doc_types.jsonl",))}


@lru_cache(maxsize=1)
def doc_type_names() -> dict[str, str]:
    """Type abbreviation ('KH') -> name ('Kế hoạch'), from the DOC_TYPE patterns."""
    return {r["id"]: r["pattern"] for r in read_patterns(("doc_types.jsonl",))}


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """Build the pipeline once per process (worker processes build their own on first use)."""
    from pipeline.extract import components  # noqa: F401  (registers the factories)

    config = spacy.util.load_config(CONFIG_PATH)
    nlp = spacy.blank("vi", config=config)
    nlp.get_pipe("cues").add_patterns(token_patterns(nlp, read_patterns()))
    return nlp
