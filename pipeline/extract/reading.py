"""How the pipeline reads a document: whole when it is of ordinary length, else in bounded pieces.

A 20 MB text is no letter: its header fields are in its first pages and its signature in its
last, so the header and footer components read the head and the tail joined as one text, and
the components of fields found anywhere (references, deadlines) read the whole text in windows,
each window with some context either side and only the cues that start inside it. Memory stays
flat in the length of the input and time linear; documents up to ``WHOLE`` characters (about 40
pages) are read in one piece, as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.extract.doc import ANYWHERE, FIELD_NAMES, Found, Segment, attr, got
from pipeline.extract.references import identity, merge
from pipeline.types import Deadline, Reference

WHOLE = 100_000  # characters read as one spaCy Doc
HEAD = TAIL = 20_000  # of a longer text, what the header and footer components read
WINDOW = 50_000  # references and deadlines: the text in windows of this size…
MARGIN = 2_000  # …each with this much context either side
_JOIN = "\n\n"


@dataclass(frozen=True)
class View:
    """Ranges of the document text, joined by a blank line: what one spaCy Doc reads."""

    ranges: tuple[tuple[int, int], ...]

    def text(self, full: str) -> str:
        return _JOIN.join(full[a:b] for a, b in self.ranges)

    def to_text(self, pos: int) -> int:
        """Offset in the view -> offset in the document text (a separator maps to the range end)."""
        at = 0
        for a, b in self.ranges:
            if pos <= at + b - a:
                return a + pos - at
            at += b - a + len(_JOIN)
        return self.ranges[-1][1]

    def to_view(self, pos: int) -> int | None:
        at = 0
        for a, b in self.ranges:
            if a <= pos <= b:
                return at + pos - a
            at += b - a + len(_JOIN)
        return None

    def segments(self, segments: tuple[Segment, ...]) -> tuple[Segment, ...]:
        """The blocks' places in the view's text."""
        out = []
        for seg in segments:
            for a, b in self.ranges:
                s, e = max(seg.start, a), min(seg.end, b)
                if s < e or (s == e == seg.start):
                    out.append(replace(seg, start=self.to_view(s), end=self.to_view(e)))
        return tuple(out)


def _cut(text: str, pos: int) -> int:
    """A place near ``pos`` to cut the text: the next line break, else a space, else ``pos``."""
    if pos >= len(text):
        return len(text)
    if (nl := text.find("\n", pos, pos + MARGIN)) >= 0:
        return nl + 1
    if (sp := text.find(" ", pos, pos + MARGIN)) >= 0:
        return sp + 1
    return pos


def _windows(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    while start < len(text):
        end = _cut(text, start + WINDOW)
        yield start, end
        start = end


def read(nlp: Language, text: str, segments: tuple[Segment, ...]) -> dict[str, Found]:
    """Every field the pipeline finds, with offsets into ``text``."""
    if len(text) <= WHOLE:
        view = View(((0, len(text)),))
        return _found(_run(nlp, text, view, segments, nlp.pipe_names), view)
    anywhere = {attr(name) for name in ANYWHERE}
    windowed = [p for p in nlp.pipe_names if anywhere & set(nlp.get_pipe_meta(p).assigns)]
    head_end = _cut(text, HEAD)
    tail_start = max(head_end, _cut(text, len(text) - TAIL))
    skeleton = View(((0, head_end), (tail_start, len(text))))
    rest = [p for p in nlp.pipe_names if p not in windowed]
    doc = _run(nlp, text, skeleton, segments, rest)
    found = _found(doc, skeleton)
    cue_pipes = [p for p in rest if "doc.spans" in nlp.get_pipe_meta(p).assigns]
    needed = {r for p in windowed for r in nlp.get_pipe_meta(p).requires} - {"doc.spans"}
    parts: dict[str, list[Found]] = {}
    for start, end in _windows(text):
        view = View(((max(0, start - MARGIN), min(len(text), end + MARGIN)),))
        preset = {a: _moved(getattr(doc._, a[len("doc._.") :]), skeleton, view) for a in needed}
        wdoc = _run(nlp, text, view, segments, [*cue_pipes, *windowed], preset, (start, end))
        for name, item in _found(wdoc, view).items():
            if name in ANYWHERE:
                parts.setdefault(name, []).append(item)
    for name, items in parts.items():
        value = MERGE[name]([i.value for i in items])  # type: ignore[arg-type]
        found[name] = Found(value, items[0].start, items[-1].end, items[0].confidence)
    return {name: found[name] for name in FIELD_NAMES if name in found}


def _run(
    nlp: Language,
    text: str,
    view: View,
    segments: tuple[Segment, ...],
    pipes: list[str],
    preset: dict[str, object] | None = None,
    core: tuple[int, int] | None = None,
) -> Doc:
    """Run some of the pipeline's components over the view; with ``core``, cues starting outside
    that part of the document text are dropped before the components after the cue finders read them."""
    doc = nlp.make_doc(view.text(text))
    doc._.vb_segments = view.segments(segments)
    for name, value in (preset or {}).items():
        setattr(doc._, name[len("doc._.") :], value)
    for name in pipes:
        doc = nlp.get_pipe(name)(doc)
        if core is not None and "doc.spans" in nlp.get_pipe_meta(name).assigns:
            for key in list(doc.spans):
                kept = [s for s in doc.spans[key] if core[0] <= view.to_text(s.start_char) < core[1]]
                doc.spans[key] = kept
    return doc


def _found(doc: Doc, view: View) -> dict[str, Found]:
    out = {}
    for name in FIELD_NAMES:
        if (f := got(doc, name)) is not None:
            out[name] = replace(f, start=view.to_text(f.start), end=view.to_text(f.end))
    return out


def _moved(value: object, src: View, dst: View) -> object:
    """A value one component left for another, moved from one view's offsets to another's."""

    def move(pos: int) -> int | None:
        return dst.to_view(src.to_text(pos))

    if isinstance(value, Found):
        s, e = move(value.start), move(value.end)
        return replace(value, start=s or 0, end=e or 0)
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, int) for v in value):
        s, e = move(value[0]), move(value[1])
        return None if s is None or e is None else (s, e)
    return value


def _merge_references(parts: list[tuple[Reference, ...]]) -> tuple[Reference, ...]:
    """One entry per cited document, as the references component keeps them within one window."""
    out: dict[object, Reference] = {}
    for refs in parts:
        for ref in refs:
            key = identity(ref)
            out[key] = merge(out[key], ref) if key in out else ref
    return tuple(out.values())


def _merge_deadlines(parts: list[tuple[Deadline, ...]]) -> tuple[Deadline, ...]:
    """In text order; a sentence read from both sides of a window border counts once."""
    out: list[Deadline] = []
    for deadlines in parts:
        out.extend(deadlines[1:] if out and deadlines and deadlines[0] == out[-1] else deadlines)
    return tuple(out)


MERGE: dict[str, Callable[[list], tuple]] = {"references": _merge_references, "deadlines": _merge_deadlines}
