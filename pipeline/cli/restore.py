"""``vanban restore FILE|- [-o OUT] [--explain] [--format text|json] [--style keep|old|new]``."""

from __future__ import annotations

import argparse
import json
import sys
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
    from pipeline.restore import restore

    text = _read(args.file)
    result = restore(text, style=args.style)
    if args.format == "json":
        body = json.dumps(
            {"text": result.text, "tokens": [asdict(t) for t in result.tokens if t.changed or t.flagged]},
            ensure_ascii=False,
            indent=1,
        ) + "\n"
    else:
        body = result.text
    if args.explain:
        for t in result.tokens:
            if t.changed or t.flagged:
                alts = ", ".join(f"{a.text} {a.probability:.2f}" for a in t.alternatives)
                mark = " FLAGGED" if t.flagged else ""
                print(f"{t.start}:{t.end} {t.original} -> {t.restored} p={t.probability:.2f}{mark}"
                      f"{' (' + alts + ')' if alts else ''}", file=sys.stderr)  # fmt: skip
    if args.output:
        Path(args.output).write_text(body, encoding="utf-8")
    else:
        sys.stdout.write(body)
    return EXIT_OK
