"""The command-line frame: exit statuses and archive opening shared by every sub-command."""

from __future__ import annotations

import os
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


def test_ctrl_c_is_one_line_and_status_130(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from pipeline.cli import stats

    monkeypatch.setattr(stats, "run", _failing_stats(KeyboardInterrupt()))
    assert main(["stats"]) == 130
    assert capsys.readouterr().err == "vanban stats: interrupted\n"


def test_a_file_name_that_is_not_utf8_is_shown_as_ingest_shows_it(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from pipeline.cli import stats
    from pipeline.errors import InputError

    name = os.fsdecode(b"c\xf4ng v\xe3n.pdf")  # lone surrogates, as Python holds such a name
    monkeypatch.setattr(stats, "run", _failing_stats(InputError(f"{name}: no such file")))
    assert main(["stats"]) == 1
    assert capsys.readouterr().err == "vanban stats: c\\xf4ng v\\xe3n.pdf: no such file\n"


# --- one way to turn a file into a document: one text loader, one settings builder ---------------------------
LETTER = (
    "ỦY BAN NHÂN DÂN\nPHƯỜNG KIẾN AN\nSố: 225/KH-UBND\nKiến An, ngày 19 tháng 9 năm 2025\n"
    "KẾ HOẠCH\nBình chọn sản phẩm công nghiệp nông thôn tiêu biểu\n"
)


def _encoded(tmp_path: Path, encoding: str, text: str = LETTER) -> Path:
    from pipeline.encodings import encode_text

    path = tmp_path / f"letter-{encoding}.txt"
    path.write_bytes(encode_text(text, encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be", "cp1258", "tcvn3", "vni"])
def test_every_command_reads_text_in_every_encoding_alike(
    tmp_path: Path, encoding: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """UTF-16 without a byte-order mark and the legacy encodings too (was: restore read UTF-16 as
    text with NULs and exit 0, fields refused everything but UTF-8)."""
    import json

    path = _encoded(tmp_path, encoding)
    assert main(["restore", str(path)]) == 0
    restored = capsys.readouterr().out
    assert "\x00" not in restored and "PHƯỜNG KIẾN AN" in restored and "Bình chọn sản phẩm" in restored
    assert main(["fields", str(path)]) == 0
    fields = json.loads(capsys.readouterr().out)
    assert (fields["number"], fields["symbol"], fields["date"]) == ("225", "KH-UBND", "2025-09-19")
    out = tmp_path / "out.txt"
    assert main(["export", str(path), "--format", "txt", "-o", str(out)]) == 0
    assert "PHƯỜNG KIẾN AN" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "data,reason",
    [
        (b"\x00\x01\x02binary\x00", "binary data"),
        ("Hà Nội".encode("cp1258", errors="replace") + b"\xff\xfe\xfd\x81", "not UTF-8 text"),
        (b"\xef\xbb\xbfUTF-8 with a BOM, then \xff", "invalid byte"),
    ],
)
def test_text_that_cannot_be_decoded_is_refused_in_one_line_by_every_command(
    tmp_path: Path, data: bytes, reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    for argv in (["restore", str(path)], ["fields", str(path)], ["export", str(path), "-f", "txt", "-o", "x"]):
        assert main(argv) == 1, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and str(path) in err and reason in err, (argv, err)


def test_scan_commands_build_their_settings_from_their_options(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fields and export honour --dpi/--lang/--no-* as ingest does (they built a fresh Settings())."""
    import pipeline.run
    from pipeline.run import LoadedDocument
    from pipeline.types import DocumentRecord, Fields

    seen = []

    def fake_load(path, settings, stages=None):
        seen.append(settings)
        return LoadedDocument(DocumentRecord("0" * 64, str(path), 1, (), Fields()), None)

    monkeypatch.setattr(pipeline.run, "load_document", fake_load)
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG")
    options = ["--dpi", "150", "--lang", "vie+eng", "--no-deskew", "--no-restore", "--mode", "force"]
    assert main(["fields", str(scan), *options]) == 0
    assert main(["export", str(scan), "-f", "json", "-o", str(tmp_path / "o.json"), *options]) == 0
    for settings in seen:
        assert (settings.dpi, settings.lang, settings.mode, settings.restore) == (150, "vie+eng", "force", False)
        assert not settings.cleanup.deskew and settings.cleanup.binarize
    assert len(seen) == 2


# --- no traceback: every refusal is one line with exit status 1 or 2 ----------------------------------------
@pytest.fixture(scope="module")
def small_archive(tmp_path_factory: pytest.TempPathFactory) -> str:
    from pipeline.archive import open_archive
    from pipeline.types import DocumentRecord, Fields, PageRecord

    path = tmp_path_factory.mktemp("archive") / "a.sqlite"
    text = "Ủy ban nhân dân phường Kiến An\nKế hoạch số 225/KH-UBND về bình chọn sản phẩm"
    page = PageRecord(0, text, text, (), (), 90.0, "ocr", 1.0)
    fields = Fields(doc_type="Kế hoạch", number="225", symbol="KH-UBND")
    with open_archive(path) as archive:
        archive.add(DocumentRecord("ab" * 32, "/scans/kien-an.pdf", 10, (page,), fields))
    return str(path)


NESTED = "(" * 330 + "kien" + ")" * 330


@pytest.mark.parametrize(
    "argv,reason",
    [
        ([NESTED], "nested more than"),
        (["kien", "--limit", "100000000000000000000"], "--limit must be between 1 and"),
        (["kien", "--type", "K\udcff hoạch"], "--type 'K\ufffd hoạch' is not valid UTF-8 text"),
        (["kien", "--symbol", "KH-\udcc3"], "--symbol 'KH-\ufffd' is not valid UTF-8 text"),
        (["ki\udce9n"], "QUERY 'ki\ufffdn' is not valid UTF-8 text"),
        (["*"], "the query '*' has no words to search for"),
        (["AND"], "the query 'AND' has no words to search for"),
        (['"" -'], "has no words to search for"),
    ],
)
def test_search_refuses_in_one_line(
    small_archive: str, argv: list[str], reason: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", *argv, "--archive", small_archive]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and reason in err, err


def test_search_still_finds_and_filters(small_archive: str, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["search", "(kien AND (an OR xyz))", "--archive", small_archive, "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert main(["search", "*", "--type", "ke hoach", "--archive", small_archive, "--json"]) == 0  # filters alone
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_restore_output_that_cannot_be_written_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "in.txt"
    src.write_text("Uy ban nhan dan\n", encoding="utf-8")
    for out, reason in ((tmp_path / "missing" / "x.txt", "no folder"), (tmp_path, "is a folder")):
        assert main(["restore", str(src), "-o", str(out)]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and reason in err and str(out) in err, err
    assert not list(tmp_path.glob(".*vanban-tmp"))
    assert main(["restore", str(src), "-o", str(src)]) == 0  # over its own input: read whole first
    assert src.read_text(encoding="utf-8") == "Ủy ban nhân dân\n"


# --- vanban lexicon: staff's own names in the archive ---------------------------------------------------------
def test_lexicon_add_import_list_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    archive = str(tmp_path / "a.sqlite")
    names = tmp_path / "names.txt"
    names.write_text("# staff\nDự án Cầu Rào 2\n\nBan QLDA  # the board\nNguyễn  Tùng Lâm\n", encoding="utf-8")
    assert main(["lexicon", "add", "Nguyễn Tùng Lâm", "--archive", archive]) == 0  # creates the archive
    assert main(["lexicon", "import", str(names), "--archive", archive]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "vanban lexicon: 2 new, 1 already there"
    assert main(["lexicon", "remove", "Ban QLDA", "--archive", archive]) == 0
    assert main(["lexicon", "list", "--json", "--archive", archive]) == 0
    listed = json.loads(capsys.readouterr().out.split("removed\n", 1)[1])
    assert sorted((e["phrase"], e["source"]) for e in listed) == [("Dự án Cầu Rào 2", "staff"),
                                                                  ("Nguyễn Tùng Lâm", "staff")]  # fmt: skip
    assert main(["lexicon", "list", "--source", "ingest", "--archive", archive]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("content,reason", [
    (None, "names.txt: No such file or directory"),
    (b"Ph\xe1m\n", "names.txt: lexicon is not UTF-8 text (invalid byte at offset 2)"),
    ("Đúng\n" + "x" * 201 + "\n", "names.txt:2: longer than 200 characters"),
    ("ok\n--- ...\n", "names.txt:2: no word in it"),
])  # fmt: skip
def test_a_bad_lexicon_file_is_one_line_and_adds_nothing(tmp_path: Path, capsys, content, reason) -> None:
    archive = str(tmp_path / "a.sqlite")
    assert main(["lexicon", "add", "Sẵn Có", "--archive", archive]) == 0
    names = tmp_path / "names.txt"
    if content is not None:
        names.write_bytes(content if isinstance(content, bytes) else content.encode())
    capsys.readouterr()
    assert main(["lexicon", "import", str(names), "--archive", archive]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("vanban lexicon: ") and err.rstrip().endswith(reason)
    assert main(["lexicon", "add", "Đúng", "\x07", "--archive", archive]) == 2  # a usage error
    assert main(["lexicon", "list", "--archive", archive]) == 0
    assert capsys.readouterr().out == "Sẵn Có\tstaff\t1\n"  # nothing of the refused ones
