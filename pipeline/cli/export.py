"""`vanban export DOC|FILE --format FMT [-o OUT]` and `vanban export --all --format FMT -o DIR`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.cli import EXIT_FAILURES, EXIT_OK, EXIT_USAGE
from pipeline.cli.common import add_archive_option
from pipeline.errors import InputError, UsageError
from pipeline.export import (
    FORMATS,
    PAGE_IMAGES,
    SUFFIXES,
    DecodeError,
    ExportError,
    check_output,
    export,
    record_from_text,
    write_pdf,
)

SCAN_SUFFIXES = {".pdf", ".tif", ".tiff", ".png", ".jpg", ".jpeg"}
SCAN_MAGIC = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export",
        help="write a clean copy: searchable PDF, corrected txt/md/docx, json or an HTML review report",
        description="Export an archived document (id or SHA-256 prefix), a scan (PDF/image, processed now) "
        "or a damaged text file (UTF-8/16, Windows-1258, TCVN3 or VNI; decoded and restored now).",
    )
    p.add_argument("target", nargs="?", metavar="DOC|FILE", help="archived document id / SHA-256 prefix, or a file")
    p.add_argument("--format", "-f", required=True, choices=FORMATS, help="output format")
    p.add_argument("-o", "--output", help="output file (a folder with --all); default: next to the input / cwd")
    p.add_argument("--all", action="store_true", help="export every archived document into the folder -o DIR")
    p.add_argument("--no-pdfa", action="store_true", help="do not try to make the PDF PDF/A-2b")
    p.add_argument(
        "--page-image",
        choices=PAGE_IMAGES,
        default="original",
        help="pdf: keep each page as scanned (default), or turn skewed and rotated pages level, as OCR read "
        "them, so any text extractor reads the lines in order",
    )
    add_archive_option(p)
    p.set_defaults(func=run)


def _err(msg: str) -> None:
    print(f"vanban export: {msg}", file=sys.stderr)


def _is_scan(path: Path) -> bool:
    if path.suffix.lower() in SCAN_SUFFIXES:
        return True
    with path.open("rb") as fh:
        return fh.read(8).startswith(SCAN_MAGIC)


def _write(record, fmt: str, out: Path, restored, args: argparse.Namespace) -> str:
    """Write one export; return a one-line note for the user."""
    if fmt == "pdf":
        if not any(p.words for p in record.pages):
            export(record, fmt, out, restored=restored)  # raises the clear "no word boxes" error
        result = write_pdf(record, out, pdfa=not args.no_pdfa, page_image=args.page_image)
        verdict = "PDF/A-2b: pass" if result.pdfa else f"not PDF/A ({'; '.join(result.findings[:2])})"
        size = out.stat().st_size
        ratio = f", {size / record.size:.2f}× the original" if record.size else ""
        notes = "".join(f"; {note}" for note in result.notes)  # pages whose layer could not be aligned
        return f"{out} ({size:,} bytes{ratio}; {result.words} words in the text layer; {verdict}{notes})"
    export(record, fmt, out, restored=restored)
    return f"{out} ({out.stat().st_size:,} bytes)"


def _load_file(path: Path):
    if _is_scan(path):
        from pipeline.run import process_file
        from pipeline.settings import Settings

        try:
            return process_file(path, Settings()), None
        except InputError as exc:
            raise ExportError(f"{path}: {exc}") from None
    try:
        return record_from_text(path)
    except DecodeError as exc:
        raise ExportError(f"{path}: {exc}") from None


def run(args: argparse.Namespace) -> int:
    if args.all:
        if args.target:
            _err("give either DOC|FILE or --all, not both")
            return EXIT_USAGE
        if not args.output:
            _err("--all needs -o DIR, the folder to write into")
            return EXIT_USAGE
        return _run_all(args)
    if not args.target:
        _err("give a document id, a SHA-256 prefix or a file (or --all -o DIR)")
        return EXIT_USAGE
    target = Path(args.target)
    try:
        if target.is_file():
            out = _output(args, target.stem + ".clean")
            _refuse(out, target)  # before the scan is processed
            record, restored = _load_file(target)
        else:
            if target.exists():
                _err(f"{target}: not a regular file")
                return EXIT_USAGE
            from pipeline.cli.common import open_for_cli

            with open_for_cli(args.archive) as archive:
                try:
                    record = archive.get(archive.resolve(args.target))
                except KeyError as exc:
                    _err(f"{args.target}: no such file, and {exc.args[0]}")
                    return EXIT_USAGE
                out = _output(args, Path(record.path).stem)
                _refuse(out, record.path, archive=archive)
            restored = None
        print(_write(record, args.format, out, restored, args))
    except (ExportError, OSError) as exc:
        _err(str(exc) if isinstance(exc, ExportError) else f"{args.target}: {exc.strerror or exc}")
        return EXIT_FAILURES
    return EXIT_OK


def _output(args: argparse.Namespace, stem: str) -> Path:
    """-o OUT, a file in the folder -o names, or ``stem`` with the format's suffix in the current folder."""
    name = stem + SUFFIXES[args.format]
    if not args.output:
        return Path.cwd() / name
    out = Path(args.output)
    return out / name if out.is_dir() else out


def _check_archived(out: Path, archive) -> None:
    """ExportError when ``out`` is where an archived document's original file is."""
    taken = archive.ids(path=str(out.resolve()))
    if taken:
        raise ExportError(f"{out}: is the original file of archived document {taken[0]}; an export never replaces it")


def _refuse(out: Path, *originals: str | Path, archive=None) -> None:
    """UsageError when ``out`` is one of ``originals`` or the original file of a document in ``archive``."""
    try:
        check_output(out, *originals)
        if archive is not None:
            _check_archived(out, archive)
    except ExportError as exc:
        raise UsageError(str(exc)) from None


def _run_all(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from pipeline.cli.common import open_for_cli

    folder = Path(args.output)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder}: is a file; --all writes one file per document into the folder -o names")
    archive = open_for_cli(args.archive)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        archive.close()
        raise UsageError(f"{folder}: cannot make the folder ({exc.strerror or exc})") from None
    failures = 0
    written = 0
    with archive:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        # Progress and per-document errors go to stderr (errors unwrapped, one line each); the summary to stdout.
        console = Console(stderr=True)  # the bar only on a terminal: no stale frame in a log or before an error
        with Progress(*columns, console=console, transient=False, disable=not console.is_terminal) as progress:
            ids = archive.ids()
            task = progress.add_task(f"export {args.format}", total=len(ids))
            for doc_id in ids:
                try:
                    record = archive.get(doc_id)
                    out = folder / f"{Path(record.path).stem}-{record.sha256[:8]}{SUFFIXES[args.format]}"
                    _check_archived(out, archive)
                    _write(record, args.format, out, None, args)
                    written += 1
                except (ExportError, OSError, KeyError) as exc:
                    failures += 1
                    progress.console.print(
                        f"vanban export: document {doc_id}: {exc}", style="red", highlight=False, soft_wrap=True
                    )
                progress.advance(task)
    print(f"{written} exported to {folder}, {failures} failed")
    return EXIT_FAILURES if failures else EXIT_OK
