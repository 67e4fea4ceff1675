"""Search query language, parsed once and rendered for each backend so both behave alike.

Syntax: words, ``"phrases"``, ``prefix*``, ``AND`` (implicit), ``OR``, ``NOT`` / ``-word`` and
parentheses. Words are split exactly as the index splits text (``vietnamese.WORD_RE``), so
``225/KH-UBND`` becomes the phrase ``225 kh ubnd``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import regex

from pipeline.citation import reference_key
from pipeline.errors import UsageError
from pipeline.vietnamese import WORD_RE, fold_lower, nfc


class QueryError(UsageError):
    """The query text cannot be parsed; the message says why."""


MAX_DEPTH = 32  # parentheses nested deeper are refused: the parser and the renderers recurse per level


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]  # lower-cased, NFC
    prefix: bool = False  # the last word is a prefix

    @property
    def accented(self) -> bool:
        """A phrase typed with diacritics is matched exactly first, then accent-insensitively."""
        return any(fold_lower(w) != w for w in self.words)

    @property
    def folded(self) -> tuple[str, ...]:
        return tuple(fold_lower(w) for w in self.words)


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]
    negated: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


Node = Phrase | And | Or

_TOKEN_RE = regex.compile(r'\s*(?:(?P<quote>"[^"]*"?\*?)|(?P<paren>[()])|(?P<word>[^\s()"]+))')
# A document reference as typed: number/symbol, e.g. 225/KH-UBND, 41-CT/TW; its key is
# ``pipeline.citation.reference_key``, the one extraction gives every cited document.
REFERENCE_RE = regex.compile(r"^(?=.*\d)(?=.*\p{L})[\p{L}\d]+(?:\s*[/\-–.&]\s*[\p{L}\d]+)+$")


def _phrase(text: str, prefix: bool) -> Phrase | None:
    words = tuple(w.lower() for w in WORD_RE.findall(nfc(text)))
    return Phrase(words, prefix) if words else None


def _lex(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        if m.group("quote") is not None:
            out.append(("phrase", m.group("quote")))
        elif m.group("paren") is not None:
            out.append((m.group("paren"), m.group("paren")))
        else:
            word = m.group("word")
            if word in ("AND", "OR", "NOT"):
                out.append((word, word))
            elif word.startswith("-") and len(word) > 1:
                out.append(("NOT", "-"))
                out.append(("word", word[1:]))
            else:
                out.append(("word", word))
    return out


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.depth = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos][0] if self.pos < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def parse(self) -> Node | None:
        node = self.or_expr()
        if self.peek() is not None:
            raise QueryError(f"unexpected {self.tokens[self.pos][1]!r} in query")
        return node

    def or_expr(self) -> Node | None:
        items = [self.and_expr()]
        while self.peek() == "OR":
            self.take()
            items.append(self.and_expr())
        kept = [i for i in items if i is not None]
        if len(items) > 1 and len(kept) < len(items):
            raise QueryError("OR needs a term on each side")
        if not kept:
            return None
        return kept[0] if len(kept) == 1 else Or(tuple(kept))

    def and_expr(self) -> Node | None:
        pos: list[Node] = []
        neg: list[Node] = []
        while self.peek() not in (None, "OR", ")"):
            kind = self.peek()
            if kind == "AND":
                self.take()
                continue
            negate = False
            while self.peek() == "NOT":
                self.take()
                negate = not negate
            node = self.primary()
            if node is not None:
                (neg if negate else pos).append(node)
        if neg and not pos:
            raise QueryError("NOT needs a term to exclude from, e.g. 'kế hoạch NOT quyết định'")
        if not pos:
            return None
        if len(pos) == 1 and not neg:
            return pos[0]
        return And(tuple(pos), tuple(neg))

    def primary(self) -> Node | None:
        if self.peek() is None:
            raise QueryError("query ends after NOT")
        kind, value = self.take()
        if kind == "(":
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError(f"parentheses nested more than {MAX_DEPTH} deep in query")
            node = self.or_expr()
            if self.peek() != ")":
                raise QueryError("missing ')' in query")
            self.take()
            self.depth -= 1
            return node
        if kind == ")":
            raise QueryError("unbalanced ')' in query")
        if kind == "phrase":
            prefix = value.endswith("*")
            body = value.rstrip("*").strip('"')
            return _phrase(body, prefix)
        if kind == "word":
            prefix = value.endswith("*")
            return _phrase(value.rstrip("*"), prefix)
        raise QueryError(f"unexpected {value!r} in query")


def parse_query(text: str) -> Node | None:
    """Parse a user query; None when it holds no searchable word (filters alone then apply)."""
    return _Parser(_lex(text)).parse()


def _whole_reference(text: str) -> str | None:
    """The query when all of it is one reference typed with spaces ('57- NQ/TW', '225 / KH-UBND')."""
    candidate = text.strip().strip('"*').strip()
    return candidate if " " in candidate and REFERENCE_RE.match(candidate) else None


def references(text: str) -> list[str]:
    """Reference keys (number/symbol) typed in the query, for the exact field lookup."""
    if whole := _whole_reference(text):
        return [reference_key(whole)]
    out = []
    for kind, value in _lex(text):
        if kind in ("word", "phrase"):
            candidate = value.strip('"*').strip()
            if REFERENCE_RE.match(candidate):
                out.append(reference_key(candidate))
    return out


def is_reference_only(text: str) -> bool:
    """True when the query is nothing but document references (then field matches alone count)."""
    toks = _lex(text)
    if _whole_reference(text):
        return True
    return bool(toks) and all(
        kind in ("word", "phrase") and REFERENCE_RE.match(value.strip('"*').strip()) for kind, value in toks
    )


def phrases(node: Node | None, *, negated: bool = False) -> list[Phrase]:
    """Positive phrases of the query: what a snippet should highlight."""
    if node is None:
        return []
    if isinstance(node, Phrase):
        return [] if negated else [node]
    out: list[Phrase] = []
    for item in node.items:
        out.extend(phrases(item, negated=negated))
    if isinstance(node, And):
        for item in node.negated:
            out.extend(phrases(item, negated=True))
    return out


def has_accents(node: Node | None) -> bool:
    """Whether an exact-diacritics pass can differ from the folded one (exclusions do not count)."""
    return any(p.accented for p in phrases(node))


# A renderer turns one phrase into backend syntax; ``exact`` says which index to hit.
PhraseRenderer = Callable[[Phrase, bool], str]


def together(node: Node) -> Phrase | None:
    """The words of an AND of single words as one phrase ("kien an" -> "kien an" as typed)."""
    if not isinstance(node, And):
        return None
    words = [i for i in node.items if isinstance(i, Phrase)]
    if len(words) >= 2 and all(len(w.words) == 1 and not w.prefix for w in words):
        return Phrase(tuple(w.words[0] for w in words))
    return None


def render(
    node: Node, phrase: PhraseRenderer, exact: bool, and_op: str, or_op: str, not_op: str, boost: bool = True
) -> str:
    """Render the tree; with ``exact`` accented phrases hit the exact index, the rest the folded one.
    ``boost`` adds the words-standing-together term that ranking reads (see below)."""
    if isinstance(node, Phrase):
        return phrase(node, exact and node.accented)
    if isinstance(node, Or):
        parts = (render(i, phrase, exact, and_op, or_op, not_op, boost) for i in node.items)
        return "(" + f" {or_op} ".join(parts) + ")"
    pos = f" {and_op} ".join(render(i, phrase, exact, and_op, or_op, not_op, boost) for i in node.items)
    if boost and (joined := together(node)) is not None:
        # Same matches, but pages where the words stand together as typed score higher:
        # "kien an" ranks "Kiến An" above "kiến nghị an toàn". X OR (X AND P) keeps the match set.
        pos = f"({pos}) {or_op} (({pos}) {and_op} {phrase(joined, exact and joined.accented)})"
    # Exclusions are rendered the same in both passes (accented words exact), so the exact pass
    # always returns a subset of the accent-insensitive one.
    neg = "".join(f" {not_op} " + render(i, phrase, True, and_op, or_op, not_op, boost) for i in node.negated)
    return f"(({pos}){neg})" if neg else f"({pos})"
