"""``vanban restore FILE|- [-o OUT] [--explain] [--format text|json] [--style keep|old|new]``."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import textwrap
from dataclasses import asdict
from pathlib import Path

from pipeline.cli import EXIT_OK
from pipeline.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "restore",
        help="restore Vietnamese diacritics in OCR'd or accent-less text",
        description="Restore Vietnamese diacritics and undo OCR confusions in a UTF-8 text file.",
    )
    p.add_argument("file", help="UTF-8 text file, or - for standard input")
    p.add_argument("-o", "--output", help="write here instead of standard output")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--style", choices=("keep", "old", "new"), default="keep",
                   help="tone placement: keep the document's majority, old (hoà) or new (hòa)")  # fmt: skip
    p.add_argument("--explain", action="store_true",
                   help="list each changed or flagged token, its probability and alternatives on stderr")  # fmt: skip
    p.set_defaults(func=run)


def _read(name: str) -> str:
    if name == "-":
        data = sys.stdin.buffer.read()
        name = "<stdin>"
    else:
        path = Path(name)
        if not path.is_file():
            raise InputError(f"{name}: no such file")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{name}: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not UTF-8 text (invalid byte at offset {exc.start})") from None


def run(args: argparse.Namespace) -> int:
    from pipeline.restore import iter_restore

    text = _read(args.file)
    out = _Output(args.output, args.format == "json")
    with out:
        for window in iter_restore(text, style=args.style):  # bounded windows: memory flat in input size
            out.text(window.text)
            for t in window.tokens:
                if t.changed or t.flagged:
                    out.token(t)
                    if args.explain:
                        alts = ", ".join(f"{a.text} {a.probability:.2f}" for a in t.alternatives)
                        mark = " FLAGGED" if t.flagged else ""
                        print(f"{t.start}:{t.end} {t.original} -> {t.restored} p={t.probability:.2f}{mark}"
                              f"{' (' + alts + ')' if alts else ''}", file=sys.stderr)  # fmt: skip
    return EXIT_OK


class _Output:
    """The restored text written as it comes (to a temporary file beside ``-o``, renamed at the
    end); as JSON, the changed tokens wait in a temporary file until the text is written."""

    def __init__(self, path: str | None, as_json: bool) -> None:
        self.path = Path(path) if path else None
        self.as_json = as_json
        self.tokens = 0

    def __enter__(self) -> _Output:
        if self.path:
            try:
                fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent or ".")
            except OSError as exc:
                raise InputError(f"{self.path}: cannot write: {exc.strerror or exc}") from None
            self.tmp = Path(tmp)
            self.f = open(fd, "w", encoding="utf-8")  # noqa: SIM115
        else:
            self.f = sys.stdout
        self.spool = tempfile.TemporaryFile("w+", encoding="utf-8") if self.as_json else None  # noqa: SIM115
        if self.as_json:
            self.f.write('{\n "text": "')
        return self

    def text(self, piece: str) -> None:
        self.f.write(json.dumps(piece, ensure_ascii=False)[1:-1] if self.as_json else piece)

    def token(self, t: object) -> None:
        if self.spool is not None:
            body = textwrap.indent(json.dumps(asdict(t), ensure_ascii=False, indent=1), "  ")
            self.spool.write(("," if self.tokens else "") + "\n" + body)
            self.tokens += 1

    def __exit__(self, exc_type: object, *_: object) -> None:
        if self.spool is not None:
            if exc_type is None:
                self.f.write('",\n "tokens": [')
                self.spool.seek(0)
                shutil.copyfileobj(self.spool, self.f)
                self.f.write("\n ]\n}\n" if self.tokens else "]\n}\n")
            self.spool.close()
        if self.path:
            self.f.close()
            if exc_type is None:
                os.replace(self.tmp, self.path)
            else:
                self.tmp.unlink(missing_ok=True)
