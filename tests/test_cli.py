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
    assert err == [f"vanban: {missing}: no archive there (vanban ingest creates one)"]
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
