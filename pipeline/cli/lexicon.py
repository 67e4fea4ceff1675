"""`vanban lexicon list|add|import|remove`: the archive's lexicon, names and phrases restoration
prefers to the corpus in this archive's documents (people, units, projects).

Staff add their own here; ingest adds the names it reads confidently, and the web's corrections
add the names editors correct. The entries live in the archive (both backends), so every batch,
pool worker and cluster worker restores with the same ones.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.archive import LEXICON_SOURCES
from pipeline.archive.model import lexicon_phrase
from pipeline.cli.common import add_archive_option, open_for_cli
from pipeline.errors import InputError, UsageError, VanbanError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lexicon", help="the archive's lexicon: names and phrases restoration prefers to the corpus")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="print the entries: phrase, source (staff, correction, ingest) and "
                                 "the number of documents it was added for, tab-separated")  # fmt: skip
    listing.add_argument("--source", choices=LEXICON_SOURCES, help="only the entries of this source")
    listing.add_argument("--json", action="store_true", help="print a JSON list of entries")
    listing.set_defaults(func=run_list)
    add = actions.add_parser("add", help="add names or phrases (each one argument: 'Nguyễn Tùng Lâm')")
    add.add_argument("phrases", nargs="+", metavar="PHRASE")
    add.set_defaults(func=run_add)
    imp = actions.add_parser("import", help="add the names of a UTF-8 file, one a line ('#' starts a comment; "
                             "the format of vanban restore --lexicon)")  # fmt: skip
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.set_defaults(func=run_import)
    remove = actions.add_parser("remove", help="remove entries (a name ingest learnt wrongly, say)")
    remove.add_argument("phrases", nargs="+", metavar="PHRASE")
    remove.set_defaults(func=run_remove)
    for parser in (listing, add, imp, remove):
        add_archive_option(parser)


def _checked(phrases: list[str], where: list[str], error: type[VanbanError]) -> list[str]:
    """The phrases as stored; ``error`` naming the first that cannot be an entry (nothing is added)."""
    out = []
    for phrase, place in zip(phrases, where, strict=True):
        try:
            out.append(lexicon_phrase(phrase))
        except ValueError as exc:
            raise error(f"{place}: {exc}") from None
    return out


def _add(location: str, phrases: list[str]) -> int:
    with open_for_cli(location, create=True) as archive:
        new = archive.add_lexicon(phrases, "staff")
    print(f"vanban lexicon: {new} new, {len(set(phrases)) - new} already there")
    return 0


def run_add(args: argparse.Namespace) -> int:
    return _add(args.archive, _checked(args.phrases, [repr(p) for p in args.phrases], UsageError))


def run_import(args: argparse.Namespace) -> int:
    from pipeline.restore.lexicon import read_lexicon_file

    lines = read_lexicon_file(args.file)
    return _add(args.archive, _checked([line for _, line in lines], [f"{args.file}:{n}" for n, _ in lines], InputError))


def run_remove(args: argparse.Namespace) -> int:
    with open_for_cli(args.archive, write=True) as archive:
        gone = archive.remove_lexicon(args.phrases)
    print(f"vanban lexicon: {gone} removed")
    return 0


def run_list(args: argparse.Namespace) -> int:
    with open_for_cli(args.archive) as archive:
        entries = [e for e in archive.lexicon(limit=None) if args.source in (None, e.source)]
    if args.json:
        rows = [{"phrase": e.phrase, "source": e.source, "doc_id": e.doc_id, "seen": e.seen, "added_at": e.added_at}
                for e in entries]  # fmt: skip
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for e in entries:
        print(f"{e.phrase}\t{e.source}\t{e.seen}")
    return 0
