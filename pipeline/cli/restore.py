"""``vanban restore FILE|- [-o OUT] [--explain] [--format text|json] [--style keep|old|new]``."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path

from pipeline.cli import EXIT_OK
from pipeline.encodings import STDIN, read_text
from pipeline.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "restore",
        help="restore Vietnamese diacritics in OCR'd or accent-less text",
        description="Restore Vietnamese diacritics and undo OCR confusions in a text file "
        "(UTF-8/16, Windows-1258, TCVN3 or VNI; written back as UTF-8).",
    )
    p.add_argument("file", help=f"text file, or {STDIN} for standard input")
    p.add_argument("-o", "--output", help="write here instead of standard output")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--style", choices=("keep", "old", "new"), default="keep",
                   help="tone placement: keep the document's majority, old (hoà) or new (hòa)")  # fmt: skip
    p.add_argument("--explain", action="store_true",
                   help="list each changed or flagged token, its probability and alternatives on stderr")  # fmt: skip
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pipeline.restore import restore

    text = read_text(args.file).text
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
        _write(Path(args.output), body)
    else:
        sys.stdout.write(body)
    return EXIT_OK


def _write(out: Path, body: str) -> None:
    """All or nothing: a temporary file beside ``out``, renamed over it once complete."""
    if out.is_dir():
        raise InputError(f"{out}: is a folder; give -o a file name")
    if not out.parent.is_dir():
        raise InputError(f"{out}: no folder {out.parent} to write into")
    tmp = out.with_name(f".{out.name}.vanban-tmp")
    try:
        tmp.write_text(body, encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"{out}: cannot write it ({exc.strerror or exc})") from None
