"""The ``vanban`` command line: each sub-command lives in its own module and only composes stages.

Exit statuses: 0 success; 1 some input files failed (the rest were processed); 2 usage error;
3 the archive cannot be opened or is of an unsupported version; 130 interrupted (Ctrl-C). A command that stops raises a
``VanbanError`` (``pipeline.errors``), which carries its status; ``main`` is the one place that prints it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from pipeline import __version__
from pipeline.errors import EXIT_ARCHIVE, EXIT_FAILURES, EXIT_OK, EXIT_USAGE, VanbanError
from pipeline.types import readable_path

EXIT_INTERRUPTED = 130  # as a shell reports a command stopped by SIGINT

__all__ = ["EXIT_ARCHIVE", "EXIT_FAILURES", "EXIT_OK", "EXIT_USAGE", "build_parser", "main"]

# Sub-command modules; each exposes ``register(subparsers)`` which sets ``func`` on its parser.
COMMANDS = ("ingest", "search", "show", "stats", "restore", "fields", "export", "check", "backup", "serve", "users",
            "lexicon")


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = argparse.ArgumentParser(
        prog="vanban",
        description="OCR and normalise scanned Vietnamese government documents into a searchable archive.",
        epilog="Exit statuses: 0 success; 1 one or more input files failed (the others were processed); "
        "2 usage error; 3 archive cannot be opened or has an unsupported version; 130 interrupted.",
    )
    parser.add_argument("--version", action="version", version=f"vanban {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"pipeline.cli.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except VanbanError as exc:  # a file name that is not UTF-8 shown as ingest shows it (\xNN)
        print(f"vanban {args.command}: {readable_path(str(exc))}", file=sys.stderr)
        return exc.exit_status
    except KeyboardInterrupt:  # Ctrl-C: one line, no traceback; what was committed stays (ingest resumes)
        print(f"vanban {args.command}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # a bug: one line for the user, the traceback on request
        if os.environ.get("VANBAN_DEBUG"):
            raise
        reason = " ".join(f"{type(exc).__name__}: {exc}".split())
        print(f"vanban {args.command}: internal error (VANBAN_DEBUG=1 shows where): {reason}", file=sys.stderr)
        return EXIT_FAILURES


if __name__ == "__main__":
    sys.exit(main())
