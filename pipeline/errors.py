"""One error model for every stage and command.

Whatever a user can cause (a bad file, a bad query, a broken archive) is a ``VanbanError``: its text is
the one-line reason shown to the user and ``exit_status`` is what a command that stops on it exits
with. Stages raise subclasses; the command line has one handler (``pipeline.cli.main``) and the batch
runner turns one into a failed document. Anything else that escapes is a bug.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURES = 1  # one or more inputs failed (the others were processed)
EXIT_USAGE = 2  # the command line asks for something impossible
EXIT_ARCHIVE = 3  # the archive cannot be opened or has an unsupported version


class VanbanError(Exception):
    """Base of the errors a user can cause: a one-line message and an exit status."""

    exit_status: int = EXIT_FAILURES

    def __str__(self) -> str:
        # One line whatever the message quotes (a tool's stderr, a library's multi-line text).
        return " ".join(super().__str__().split())


class UsageError(VanbanError):
    """The command line asks for something impossible (a bad option value, an empty query)."""

    exit_status = EXIT_USAGE


class InputError(VanbanError):
    """An input file (or stream) cannot be read or processed; the message says why."""

    exit_status = EXIT_FAILURES
