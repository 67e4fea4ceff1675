"""Writing an export: never over its original, and all at once (a crash leaves the old file or none)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import VanbanError


class ExportError(VanbanError):
    """An export that cannot be made; the message is the one-line reason shown to the user."""


def check_output(out: Path, *originals: str | os.PathLike[str]) -> None:
    """Refuse an output that is one of ``originals`` under any name (a symlink, a hard link, a path
    through ``..``): an export must never replace the file it was made from."""
    for original in originals:
        try:
            same = os.path.samefile(out, original)
        except (OSError, ValueError):  # one of them does not exist (or cannot be looked at): nothing to replace
            continue
        if same:
            raise ExportError(f"{out}: is the original file {original}; an export never replaces it")


@contextmanager
def replacing(out: Path) -> Iterator[Path]:
    """A new file beside ``out`` to write the export into; it replaces ``out`` (one rename) only when
    the block ends without an error, and is removed otherwise."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".vanban-export-{secrets.token_hex(6)}.part"  # short: ``out``'s name may be at the limit
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))  # the umask applies, as for `out`
    try:
        yield tmp
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
