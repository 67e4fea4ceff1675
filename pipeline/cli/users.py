"""`vanban users add|token|list`: accounts of the web application, kept in the archive."""

from __future__ import annotations

import argparse
import getpass
import sys

from pipeline.archive import open_archive
from pipeline.cli.common import add_archive_option
from pipeline.errors import UsageError
from pipeline.web.access import CLEARANCES, ROLES


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("users", help="web accounts: add a user, issue an API token, list users")
    users = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = users.add_parser(
        "add",
        help="create a user (or change an existing user's role, clearance and password)",
        description="Create a web user. The password is read from stdin when stdin is not a terminal "
        "(one line), otherwise asked for twice.",
    )
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", required=True, choices=ROLES, help="reader: search and read; editor: also "
                     "correct and upload; admin: also read the audit log")  # fmt: skip
    add.add_argument("--clearance", required=True, choices=CLEARANCES,
                     help="highest secrecy the user may see: none, mat (Mật), toi-mat (Tối mật), "
                     "tuyet-mat (Tuyệt mật)")  # fmt: skip
    add_archive_option(add)
    add.set_defaults(func=run_add)
    token = users.add_parser("token", help="print a new API token for a user (Authorization: Bearer TOKEN)")
    token.add_argument("name", metavar="NAME")
    add_archive_option(token)
    token.set_defaults(func=run_token)
    listing = users.add_parser("list", help="list the users with their roles and clearances")
    add_archive_option(listing)
    listing.set_defaults(func=run_list)


def _password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise UsageError("the two passwords differ")
    return first


def _store(location: str, create: bool = False):
    """The archive opened for writing (``vanban users add`` may create it) with its web tables."""
    from pipeline.web.store import WebStore, migrate

    notify = lambda msg: print(f"vanban: {msg}", file=sys.stderr)  # noqa: E731
    archive = open_archive(location, notify, mode="create" if create else "write")
    migrate(archive)
    return archive, WebStore(archive)


def run_add(args: argparse.Namespace) -> int:
    from pipeline.web.auth import add_user

    password = _password()
    archive, store = _store(args.archive, create=True)
    with archive:
        try:
            user = add_user(store, args.name, args.role, args.clearance, password)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    print(f"user {user.name}: role {user.role}, clearance {user.clearance}", file=sys.stderr)
    return 0


def run_token(args: argparse.Namespace) -> int:
    from pipeline.web.auth import issue_token

    archive, store = _store(args.archive)
    with archive:
        user = store.user(args.name)
        if user is None:
            raise UsageError(f"no user {args.name!r} (vanban users add creates one)")
        print(issue_token(store, user, "api"))
    return 0


def run_list(args: argparse.Namespace) -> int:
    archive, store = _store(args.archive)
    with archive:
        for user in store.users():
            print(f"{user.name}\t{user.role}\t{user.clearance}")
    return 0
