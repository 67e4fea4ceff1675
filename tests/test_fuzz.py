"""Fuzz tests: generated search queries and generated text files through the real command line.

Whatever comes in, a command ends with status 0, 1, 2 or 3 and at most one line of reason, never a
traceback and never the "internal error" line of the last-resort handler (which would hide a bug from
this test). Hypothesis runs derandomized, so CI sees the same inputs every time; keep it fast.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.encodings import encode_text

FUZZ = settings(derandomize=True, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def run(argv: list[str]) -> tuple[int, str]:
    """Exit status and stderr of ``vanban ARGV`` run in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse's own usage errors
            status = exc.code if isinstance(exc.code, int) else 2
    return status, err.getvalue()


def assert_clean_exit(status: int, err: str, argv: list[str]) -> None:
    assert status in (0, 1, 2, 3), (argv, status, err)
    assert "Traceback" not in err and "internal error" not in err, (argv, err)
    if status and not err.startswith("usage:"):  # argparse prints its usage line before its one error
        assert err.count("\n") == 1, (argv, err)


# --- the search query language ------------------------------------------------------------------------------
WORDS = ["kien", "an", "Kiến", "AN", "ủy", "ban", "225/KH-UBND", "ke", "hoach", "Đ", "x1", "2025", "ngày"]
SYNTAX = ["AND", "OR", "NOT", "-", "*", "(", ")", '"', "'", ":", "^", "NEAR", "{", "}", "+", "\\", "/", ";", "%"]
ODD = ["\udcff", "\udc80", "\u0301", "\u200b", "\ufeff", "𝐀", "😀", "\t", "\n", "\x7f", "''", "--"]
nested = st.tuples(st.integers(0, 400), st.sampled_from(["kien", "a OR b", "NOT x", ""])).map(
    lambda n_inner: "(" * n_inner[0] + n_inner[1] + ")" * n_inner[0]
)
token = st.one_of(
    st.sampled_from(WORDS), st.sampled_from(SYNTAX), st.sampled_from(ODD), st.text(max_size=6), nested
)
queries = st.lists(st.tuples(token, st.sampled_from([" ", "", "  "])), max_size=25).map(
    lambda parts: "".join(t + sep for t, sep in parts).replace("\x00", "")
)
option_text = st.one_of(st.sampled_from(WORDS + SYNTAX + ODD), st.text(max_size=8)).map(lambda s: s.replace("\x00", ""))


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> str:
    from pipeline.archive import open_archive
    from pipeline.types import DocumentRecord, Fields, PageRecord

    path = tmp_path_factory.mktemp("fuzz") / "a.sqlite"
    texts = ["Ủy ban nhân dân phường Kiến An\nKế hoạch số 225/KH-UBND", "Thông báo kết quả giải thưởng 2025"]
    with open_archive(path) as a:
        for i, text in enumerate(texts):
            page = PageRecord(0, text, text, (), (), 90.0, "ocr", 1.0)
            a.add(DocumentRecord(f"{i:064x}", f"/scans/{i}.pdf", 10, (page,), Fields(doc_type="Kế hoạch")))
    return str(path)


@settings(FUZZ, max_examples=400)
@given(
    query=queries,
    options=st.lists(
        st.one_of(
            st.tuples(st.sampled_from(["--type", "--issuer", "--symbol", "--number"]), option_text),
            st.tuples(st.just("--limit"), st.integers(-3, 10**25).map(str)),
            st.tuples(st.sampled_from(["--from", "--to"]), st.sampled_from(["2025", "01/09/2025", "31/02/2025", "x"])),
        ),
        max_size=3,
    ),
)
def test_any_search_ends_cleanly(archive: str, query: str, options: list[tuple[str, str]]) -> None:
    argv = ["search", query, "--archive", archive, *[part for pair in options for part in pair]]
    assert_clean_exit(*run(argv), argv)


# --- text files for restore and fields ----------------------------------------------------------------------
LINES = ["Số: 225/KH-UBND", "ngày 19 tháng 9 năm 2025", "UY BAN NHAN DAN", "Kính gửi: các Sở", "Nơi nhận:",
         "Căn cứ Luật số 12/2025/QH15", "thye hien", "Pai hoi", "KT. CHỦ TỊCH", "hoà", "hòa",
         "Đ\u0110\u00d0"]  # fmt: skip
LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ"
vietnamese = st.text(alphabet=st.sampled_from(LETTERS + " ĐƯƠ0123456789.,:;/-()\n"), max_size=300)
texts = st.one_of(
    vietnamese,
    st.lists(st.sampled_from(LINES), max_size=12).map("\n".join),
    st.text(max_size=300),
    st.text(max_size=40).map(lambda s: s * 50),  # long repeats, long "words"
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be", "utf-16", "cp1258", "tcvn3", "vni"]


@st.composite
def files(draw: st.DrawFn) -> bytes:
    if draw(st.booleans()):
        return draw(st.binary(max_size=600))
    text, encoding = draw(texts), draw(st.sampled_from(ENCODINGS))
    try:
        return encode_text(text, encoding)
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text.encode("utf-8", "surrogatepass")


@settings(FUZZ, max_examples=150)
@given(data=files(), command=st.sampled_from([["restore"], ["restore", "--format", "json"], ["fields"]]))
def test_any_text_file_ends_cleanly(data: bytes, command: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.txt"
        path.write_bytes(data)
        argv = [*command, str(path)]
        assert_clean_exit(*run(argv), argv)
