"""The command-line frame: exit statuses and archive opening shared by every sub-command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import EXIT_ARCHIVE, main


@pytest.mark.parametrize("argv", [["stats"], ["search", "kien an"], ["show", "1"], ["export", "1", "--format", "txt"]])
def test_reading_a_missing_archive_fails_and_creates_nothing(
    tmp_path: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo.sqlite"
    assert main([*argv, "--archive", str(missing)]) == EXIT_ARCHIVE
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"vanban {argv[0]}: {missing}: no archive there (vanban ingest creates one)"]
    assert not missing.exists()


def test_ingest_creates_the_archive(tmp_path: Path) -> None:
    archive = tmp_path / "new" / "archive.sqlite"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["ingest", str(empty), "--archive", str(archive), "--json"]) == 0
    assert archive.exists()
    assert main(["stats", "--archive", str(archive), "--json"]) == 0


def test_help_documents_the_exit_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "0 success; 1 one or more input files failed" in text and "3 archive cannot be opened" in text


def test_output_into_a_closed_pipe_ends_quietly() -> None:
    """`vanban … | head` must not end in a BrokenPipeError traceback."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "restore", "-"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    proc.stdout.close()  # the reader is gone before anything is written
    _, err = proc.communicate(input=b"Uy ban nhan dan phuong Kien An\n" * 3000, timeout=120)
    assert proc.returncode == 0 and b"Traceback" not in err, err.decode()


# --- one error model: every stage's error is a VanbanError carrying its exit status -----------------------


def test_stage_errors_share_one_base_with_their_exit_status() -> None:
    from pipeline.archive import ArchiveError, ArchiveVersionError, QueryError
    from pipeline.errors import EXIT_FAILURES, EXIT_USAGE, VanbanError
    from pipeline.export import DecodeError, ExportError
    from pipeline.image import CleanupError
    from pipeline.ingest.sources import SourceError
    from pipeline.ocr import OcrError, OcrTimeout
    from pipeline.run import PageFailure

    expected = {
        SourceError: EXIT_FAILURES, PageFailure: EXIT_FAILURES, CleanupError: EXIT_FAILURES,
        OcrError: EXIT_FAILURES, OcrTimeout: EXIT_FAILURES, DecodeError: EXIT_FAILURES,
        ExportError: EXIT_FAILURES, QueryError: EXIT_USAGE, ArchiveError: EXIT_ARCHIVE,
        ArchiveVersionError: EXIT_ARCHIVE,
    }  # fmt: skip
    for cls, status in expected.items():
        assert issubclass(cls, VanbanError), cls
        assert cls("x").exit_status == status, cls


def _failing_stats(exc: BaseException):
    def run(args) -> int:
        raise exc

    return run


@pytest.mark.parametrize(
    "error,status",
    [("usage", 2), ("archive", EXIT_ARCHIVE), ("input", 1)],
)
def test_one_handler_prints_one_line_and_exits_with_the_errors_status(
    error: str, status: int, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.archive import ArchiveError
    from pipeline.cli import stats
    from pipeline.errors import InputError, UsageError

    exc = {"usage": UsageError, "archive": ArchiveError, "input": InputError}[error]("first line\n  second line")
    monkeypatch.setattr(stats, "run", _failing_stats(exc))
    assert main(["stats"]) == status
    assert capsys.readouterr().err == "vanban stats: first line second line\n"


def test_a_bug_is_one_line_unless_debugging(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import stats

    monkeypatch.setattr(stats, "run", _failing_stats(ZeroDivisionError("division by zero")))
    monkeypatch.delenv("VANBAN_DEBUG", raising=False)
    assert main(["stats"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error" in err and "ZeroDivisionError: division by zero" in err
    monkeypatch.setenv("VANBAN_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        main(["stats"])
