"""`vanban search QUERY`: accent-aware full-text and field search over the archive."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime

from pipeline.archive import HIGHLIGHT, Hit, SearchQuery
from pipeline.archive.query import parse_query
from pipeline.citation import reference_text
from pipeline.cli.common import add_archive_option, open_for_cli
from pipeline.errors import UsageError

MAX_LIMIT = 100_000
QUERY_HELP = (
    'Words match all accent variants when typed without diacritics ("kien an" finds "Kiến An"); typed '
    'with diacritics, exact matches rank first. "phrase", prefix*, AND (default), OR, NOT or -word, '
    "(grouping). A document reference such as 225/KH-UBND ranks the document carrying it first."
)


def parse_date(text: str) -> str:
    """Accept ISO and the Vietnamese dd/mm/yyyy, so staff can type dates as printed."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    if text.strip().isdigit() and len(text.strip()) == 4:
        return date(int(text), 1, 1).isoformat()
    raise argparse.ArgumentTypeError(f"not a date: {text!r} (use yyyy-mm-dd or dd/mm/yyyy)")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "search",
        help="search the archive (full text, accent-insensitive, with field filters)",
        description="Search the archive. " + QUERY_HELP,
    )
    p.add_argument(
        "query", nargs="?", default="", metavar="QUERY", help="may be empty when filters are given"
    )
    add_archive_option(p)
    p.add_argument("--type", dest="doc_type", help='document type, e.g. "Kế hoạch" or "ke hoach"')
    p.add_argument("--issuer", help="part of the issuing body's name (accents optional)")
    p.add_argument("--symbol", help='ký hiệu, e.g. "KH-UBND" (or number/symbol)')
    p.add_argument("--number", help='số, e.g. "225" (or number/symbol)')
    p.add_argument("--from", dest="date_from", type=parse_date, help="issued on or after DATE")
    p.add_argument("--to", dest="date_to", type=parse_date, help="issued on or before DATE")
    p.add_argument("--deadline-before", type=parse_date, help="has a deadline earlier than DATE")
    p.add_argument(
        "--limit", type=int, default=20, help=f"most hits to show, at most {MAX_LIMIT:,} (default: %(default)s)"
    )
    p.add_argument("--json", action="store_true", help="print a JSON list of hits")
    p.set_defaults(func=run)


def _check_text(args: argparse.Namespace) -> None:
    """Text the terminal could not decode reaches us as lone surrogates; no index holds those."""
    for option, name in (("QUERY", "query"), ("--type", "doc_type"), ("--issuer", "issuer"),
                         ("--symbol", "symbol"), ("--number", "number")):  # fmt: skip
        value = getattr(args, name)
        if value and any("\ud800" <= ch <= "\udfff" for ch in value):
            shown = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            raise UsageError(f"{option} {shown!r} is not valid UTF-8 text (check the terminal's encoding)")
    if not 1 <= args.limit <= MAX_LIMIT:
        raise UsageError(f"--limit must be between 1 and {MAX_LIMIT:,}, got {args.limit}")


def run(args: argparse.Namespace) -> int:
    _check_text(args)
    try:
        query = SearchQuery(
            text=args.query,
            doc_type=args.doc_type,
            issuer=args.issuer,
            symbol=args.symbol,
            number=args.number,
            date_from=args.date_from,
            date_to=args.date_to,
            deadline_before=args.deadline_before,
            limit=args.limit,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not query.has_filters:
        if not query.text.strip():
            raise UsageError("give a QUERY or at least one filter")
        if parse_query(query.text) is None:
            raise UsageError(f"the query {query.text!r} has no words to search for")
    with open_for_cli(args.archive) as archive:
        hits = archive.search(query)
    if args.json:
        json.dump([h.to_json() for h in hits], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print_table(hits)
    return 0


def _rich_snippet(snippet: str, color: bool):  # -> rich.text.Text
    """The snippet with its hits in bold yellow; without colour (a pipe, NO_COLOR, a dumb terminal)
    the ``**`` markers stay in the text so the hit is still visible."""
    from rich.text import Text

    if not color:
        return Text(snippet)
    text = Text()
    parts = snippet.split(HIGHLIGHT[0])
    # markers alternate open/close; both are the same string, so even parts are plain
    for i, part in enumerate(parts):
        text.append(part, style="bold yellow" if i % 2 else "")
    return text


def print_table(hits: list[Hit], console=None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console or Console()
    if not hits:
        console.print("No documents found.")
        return
    color = console.color_system is not None
    table = Table(show_lines=True)
    table.add_column("id", justify="right")
    table.add_column("document")
    table.add_column("page", justify="right")
    table.add_column("snippet", ratio=3)
    for h in hits:
        f = h.fields
        ref = reference_text(f.get("number"), f.get("symbol")) or ""  # '225/KH-UBND', Party '57-NQ/TW'
        head = " · ".join(x for x in (f.get("doc_type"), ref, f.get("date")) if x)
        desc = Text("\n".join(x for x in (head, f.get("issuer") or "") if x))
        desc.append(("\n" if desc.plain else "") + h.link, style="dim")
        table.add_row(h.doc_id, desc, str(h.page), _rich_snippet(h.snippet, color))
    console.print(table)
