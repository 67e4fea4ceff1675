"""Archive: storage, accent-aware search, filters, migrations, crash safety and concurrency.

The search suite runs against every backend (SQLite always, PostgreSQL when its server binaries
are installed) through the parametrised ``archive`` fixture.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.archive import (
    ArchiveError,
    ArchiveVersionError,
    QueryError,
    SearchQuery,
    model,
    open_archive,
)
from pipeline.archive.model import fold_key, index_columns, index_text, pack_words, snippet, unpack_words
from pipeline.archive.query import parse_query, phrases, reference_key
from pipeline.training.synthetic import Generator, corpus_lines
from pipeline.types import Box, Deadline, DocumentRecord, Fields, OcrWord, PageGeometry, PageRecord, Reference
from pipeline.vietnamese import WORD_RE, fold_lower, nfc

ROOT = Path(__file__).resolve().parents[1]
# the first 5,505 lines of ../shared/corpus/vn-law.txt.xz (4,000 of them long enough for body text):
# the tests need no ../shared (tests/data/archive/README.md)
LAW = ROOT / "tests" / "data" / "archive" / "vn-law-head.txt.xz"
BACKENDS = ["sqlite", "postgres"]


def page(index: int, restored: str, raw: str | None = None) -> PageRecord:
    raw = restored if raw is None else raw
    words = tuple(
        OcrWord(w, Box(10 * i, 5 * index, 9, 12), 50.0 + i % 50, i % 3, i // 10)
        for i, w in enumerate(raw.split())
    )
    restored_words = tuple(restored.split()) if len(restored.split()) == len(words) else tuple(raw.split())
    return PageRecord(index, raw, restored, words, restored_words, 75.5, "ocr", 1.5, 2480, 3508)


def doc(name: str, *pages: str | tuple[str, str], **fields) -> DocumentRecord:
    sha = (name.encode().hex() * 64)[:64]
    built = tuple(page(i, p) if isinstance(p, str) else page(i, p[0], p[1]) for i, p in enumerate(pages))
    return DocumentRecord(sha, f"/scans/{name}.pdf", 1000 + len(name), built, Fields(**fields))


def location(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if kind == "sqlite":
        return str(tmp_path / "archives" / "nested" / "archive.sqlite")
    return request.getfixturevalue("pg_url")


@pytest.fixture(params=BACKENDS)
def where(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Location of a fresh, empty archive of each backend."""
    return location(request.param, tmp_path, request)


@pytest.fixture
def archive(where: str):
    with open_archive(where) as a:
        yield a


KIEN_AN = doc(
    "kienan",
    "ỦY BAN NHÂN DÂN PHƯỜNG KIẾN AN\nSố: 12/UBND-KTHT&ĐT\nKiến An, ngày 11 tháng 9 năm 2025\n"
    "Thực hiện Kế hoạch số 225/KH-UBND ngày 03/9/2025 của Ủy ban nhân dân thành phố về bình chọn sản phẩm "
    "công nghiệp nông thôn tiêu biểu; báo cáo trước ngày 03/10/2025.",
    "Nơi nhận: Như kính gửi; Lưu: VT. Nguyễn Tùng Lâm",
    number="12",
    symbol="UBND-KTHT&ĐT",
    doc_type="Công văn",
    issuer="Ủy ban nhân dân phường Kiến An",
    date="2025-09-11",
    deadlines=(Deadline("2025-10-03", "báo cáo trước ngày 03/10/2025"),),
)
PLAN = doc(
    "plan",
    "ỦY BAN NHÂN DÂN THÀNH PHỐ HẢI PHÒNG\nSố: 225/KH-UBND\nKẾ HOẠCH tổ chức bình chọn sản phẩm công nghiệp "
    "nông thôn tiêu biểu thành phố năm 2025 dưới sự lãnh đạo của Đảng",
    number="225",
    symbol="KH-UBND",
    doc_type="Kế hoạch",
    issuer="Ủy ban nhân dân thành phố Hải Phòng",
    date="2025-09-03",
)
NOTICE = doc(
    "notice",
    "SỞ CÔNG THƯƠNG thông báo đăng ký tham gia chương trình; kiến nghị an toàn lao động; dang dở",
    number="4632",
    symbol="SCT-QLCN",
    doc_type="Thông báo",
    issuer="Sở Công Thương",
    date="2025-09-04",
    deadlines=(Deadline("2025-12-31", "hạn nộp 31/12/2025"),),
)
# OCR without accents, restoration failed on one word: only the raw text carries "Tinh hoa"
RAW_ONLY = doc(
    "rawonly",
    ("Chương trình Tỉnh họa hàng Việt Nam năm 2024", "Chuong trinh Tinh hoa hang Viet Nam nam 2024"),
    doc_type="Công văn",
    issuer="Ban Quản lý Khu kinh tế Hải Phòng",
    date="2024-05-02",
)
# the header was unreadable: the number/symbol lives only in the extracted fields
GARBLED = doc(
    "garbled",
    "~~ ## ... báo cáo tình hình thực hiện nhiệm vụ quý III",
    number="77",
    symbol="BC-STC",
    doc_type="Báo cáo",
    issuer="Sở Tài chính",
    date="2023-10-01",
)
SMALL = [KIEN_AN, PLAN, NOTICE, RAW_ONLY, GARBLED]


@pytest.fixture
def small(archive):
    ids = {d.path: archive.add(d) for d in SMALL}
    return archive, ids


def found(archive, text: str = "", **kw) -> list[str]:
    return [h.path.split("/")[-1].removesuffix(".pdf") for h in archive.search(SearchQuery(text, **kw))]


# --------------------------------------------------------------------------------------------
# Pure helpers


def test_fold_key_equals_fold_lower_on_corpus_and_every_bmp_character():
    lines = corpus_lines(3000, LAW)
    assert all(fold_key(line) == fold_lower(line) for line in lines)
    everything = "".join(chr(c) for c in range(0x20, 0x10000) if not 0xD800 <= c < 0xE000)
    assert fold_key(everything) == fold_lower(everything)
    assert fold_key("Đảng ĐOÀN đường 𝐀") == "dang doan duong 𝐀".lower()


def test_index_text_splits_words_exactly_as_word_re_does():
    def by_regex(text: str) -> str:
        return " ".join(WORD_RE.findall(nfc(text).lower()))

    lines = corpus_lines(3000, LAW)
    assert all(index_text(line) == by_regex(line) for line in lines)
    everything = "".join(chr(c) for c in range(0x20, 0x10000) if not 0xD800 <= c < 0xE000)
    chunks = [everything[i : i + 50] + " a" + everything[i + 7 : i + 13] for i in range(0, len(everything), 37)]
    assert all(index_text(c) == by_regex(c) for c in chunks)
    assert index_text("Số: 225/KH-UBND, x²_y Tỉnh") == "số 225 kh ubnd x y tỉnh"


def test_index_columns_skip_raw_text_that_only_lost_diacritics():
    restored = "Chương trình Tỉnh họa hàng Việt Nam"
    assert index_columns("Chuong trình Tinh hoa hang Việt Nam", restored)[1] == ""  # folded words only
    body, raw, body_f, raw_f = index_columns("Chương trình Tĩnh hòa hàng Việt Nam", restored)
    assert raw == "chương trình tĩnh hòa hàng việt nam" and raw_f == ""  # other diacritics: searchable
    other = index_columns("Chuong trinh Tinh hoa", restored)  # other words: raw kept, folded too
    assert other[1] == other[3] == "chuong trinh tinh hoa"
    assert body == "chương trình tỉnh họa hàng việt nam" and body_f == "chuong trinh tinh hoa hang viet nam"


def _index_columns_by_definition(raw_text: str, restored_text: str) -> tuple[str, str, str, str]:
    """``index_columns`` as its docstring defines it, word by word with the regex (slow, plain)."""
    restored = " ".join(WORD_RE.findall(nfc(restored_text).lower()))
    raw = " ".join(WORD_RE.findall(nfc(raw_text).lower()))
    restored_f, raw_f = fold_lower(restored), fold_lower(raw)
    r, s, f = raw.split(" "), restored.split(" "), restored_f.split(" ")
    stripped = len(r) == len(s) == len(f) and all(a in (b, c) for a, b, c in zip(r, s, f, strict=True))
    if raw == restored or (raw_f == restored_f and stripped):
        return restored, "", restored_f, ""
    return restored, raw, restored_f, "" if raw_f == restored_f else raw_f


def _mangled(text: str, rng: random.Random) -> str:
    """``text`` as OCR might give it: some characters without diacritics, some spaces moved or lost."""
    out = []
    for ch in text:
        roll = rng.random()
        out.append(fold_lower(ch) if roll < 0.2 else "" if roll < 0.22 and ch == " " else " " if roll < 0.23 else ch)
    return "".join(out)


def test_index_columns_equal_the_word_by_word_definition(monkeypatch):
    rng = random.Random(3)
    pages = [p for s in Generator(corpus_lines(1000, LAW), seed=11).documents(60) for p in s.record.pages]
    cases = [(p.raw_text, p.restored_text) for p in pages]
    cases += [(_mangled(p.restored_text, rng), p.restored_text) for p in pages]
    everything = "".join(chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c < 0xE000)
    odd = " \u0301 \u0300a - , x²_y Đ\u00d0 ǅ Σσς ΣΑΣ İ ﬁ \x1f \u200b"  # lone marks, titlecase, final sigma
    for _ in range(3000):
        text = "".join(rng.choice(everything + odd * 40) for _ in range(rng.randint(0, 40)))
        cases += [(text, text), (_mangled(text, rng), text), (text, _mangled(text, rng))]
    cases += [("\u0301 kien", "\u0301 kiến"), ("kien", "\u0301 kiến"), ("- kien", "kiến -"), ("", ""), ("a", "")]
    for raw, restored in cases:
        assert index_columns(raw, restored) == _index_columns_by_definition(raw, restored), (raw, restored)
    monkeypatch.setattr(model._TokenForms, "limit", 5)  # a full token cache is emptied, results unchanged
    for i in range(20):  # new tokens, so the cache fills and is emptied
        raw, restored = f"Số{i}, Kien an-{i}", f"Số{i}, Kiến An-{i}"
        assert index_columns(raw, restored) == _index_columns_by_definition(raw, restored), (raw, restored)
        assert 0 < len(model._TOKENS) <= 5 + 2
        assert len(model._TOKENS.folded) == len(model._TOKENS.bare) == len(model._TOKENS)


def test_pack_words_writes_the_documented_layout():
    import zlib

    import numpy as np

    pages = [p for s in Generator(corpus_lines(500, LAW), seed=12).documents(20) for p in s.record.pages]
    pages.append(PageRecord(0, "x", "x", (OcrWord("x", Box(-3, 2**31 - 1, 0, -(2**31)), 99.123456, 7, -1),), ("x",),
                            99.1, "ocr", 1.0))  # fmt: skip
    pages.append(page(0, "", ""))
    for p in pages:
        body = zlib.decompress(pack_words(p, p.raw_text, p.restored_text))
        hlen = int.from_bytes(body[:4], "little")
        n = json.loads(body[4 : 4 + hlen])["n"]
        geo = [(w.box.left, w.box.top, w.box.width, w.box.height, w.block, w.line) for w in p.words]
        assert body[4 + hlen :] == (
            np.array(geo, dtype="<i4").reshape(n, 6).tobytes()
            + np.array([w.confidence for w in p.words], dtype="<f4").tobytes()
        )


def test_query_parser_builds_phrases_prefixes_and_boolean_tree():
    node = parse_query('"Kiến An" kien* OR (dang -đảng) 225/KH-UBND')
    words = [(p.words, p.prefix) for p in phrases(node)]
    assert (("kiến", "an"), False) in words
    assert (("kien",), True) in words
    assert (("225", "kh", "ubnd"), False) in words
    assert (("đảng",), False) not in words  # excluded terms are not highlighted
    for bad in ["NOT đảng", "(kien an", "kien )", "kien OR", "kien NOT"]:
        with pytest.raises(QueryError):
            parse_query(bad)
    assert parse_query("  ") is None
    assert reference_key("225 / KH-UBND") == reference_key("225/kh-ubnd") == "225-KH-UBND"
    assert reference_key("12/UBND-KTHT&ĐT") == "12-UBND-KTHT&DT"


def test_snippet_highlights_accent_variants_and_runs():
    text = "Ủy ban nhân dân phường Kiến An thực hiện Kế hoạch số 225/KH-UBND. " + "Lorem ipsum " * 50
    snip, n = snippet(text, phrases(parse_query("kien an")))
    assert "**Kiến An**" in snip and n == 1
    snip, _ = snippet(text, phrases(parse_query("225/KH-UBND")))
    assert "**225/KH-UBND**" in snip
    snip, n = snippet(text, phrases(parse_query("zzz")))
    assert n == 0 and snip.startswith("Ủy ban")


# --------------------------------------------------------------------------------------------
# Storage


def test_add_get_roundtrip_keeps_words_boxes_confidences_and_fields(archive):
    doc_id = archive.add(KIEN_AN)
    got = archive.get(doc_id)
    assert got.id == doc_id and got.sha256 == KIEN_AN.sha256 and got.path == KIEN_AN.path
    assert got.size == KIEN_AN.size
    assert got.fields.to_json() == KIEN_AN.fields.to_json()
    assert len(got.pages) == 2
    for a, b in zip(got.pages, KIEN_AN.pages, strict=True):
        assert (a.index, a.raw_text, a.restored_text, a.restored_words) == (
            b.index,
            b.raw_text,
            b.restored_text,
            b.restored_words,
        )
        assert [(w.text, w.box, w.block, w.line) for w in a.words] == [
            (w.text, w.box, w.block, w.line) for w in b.words
        ]
        assert [round(w.confidence, 3) for w in a.words] == [round(w.confidence, 3) for w in b.words]
        assert (a.width, a.height, a.source) == (b.width, b.height, b.source)
    with pytest.raises(KeyError):
        archive.get("999999")
    # page geometry comes back exactly; a page without it (a PDF's text layer) keeps None
    geometry = PageGeometry(270, -1.234, 1.5, 300)
    turned = replace(KIEN_AN, sha256="f" * 64, pages=(replace(KIEN_AN.pages[0], geometry=geometry), KIEN_AN.pages[1]))
    assert [p.geometry for p in archive.get(archive.add(turned)).pages] == [geometry, None]


def test_word_blobs_name_the_page_text_instead_of_repeating_it_and_old_blobs_still_read():
    import zlib

    p = page(0, "Tỉnh họa hàng Việt", "Tinh hoa hang Viet")
    small, full = pack_words(p, p.raw_text, p.restored_text), pack_words(p)
    assert len(small) < len(full)
    for blob in (small, full):
        assert unpack_words(blob, p.raw_text, p.restored_text) == (p.words, p.restored_words)
    odd = page(0, "a b", "x y")  # word texts that are not the page text's words are kept in the blob
    assert unpack_words(pack_words(odd, "other text", "more text"), "other text", "more text") == (
        odd.words, odd.restored_words)  # fmt: skip
    head = json.dumps({"v": 1, "n": 1, "t": "Kiến", "r": ""}).encode()  # format 1, as version 2 wrote it
    geo = (5).to_bytes(4, "little") * 4 + (0).to_bytes(4, "little") * 2
    old = zlib.compress(len(head).to_bytes(4, "little") + head + geo + bytes([0, 0, 0x48, 0x42]))
    words, restored = unpack_words(old)
    assert [(w.text, w.box, w.confidence) for w in words] == [("Kiến", Box(5, 5, 5, 5), 50.0)]
    assert restored == ("Kiến",)


ODD_NAME = os.fsdecode(b"/scans/c\xf4ng v\xe3n.pdf")  # a Latin-1 name, as Python holds it (surrogate-escaped)


def test_a_file_name_that_is_not_utf8_is_stored_losslessly_and_shown_readably(archive):
    odd = replace(KIEN_AN, path=ODD_NAME)
    doc_id = archive.add(odd)
    assert archive.get(doc_id).path == ODD_NAME  # opens the file again
    assert archive.ids(path=ODD_NAME) == [doc_id] and archive.ids(path="/scans/c\\xf4ng v\\xe3n.pdf") == []
    hit = archive.search(SearchQuery("kien an"))[0]
    assert hit.path == ODD_NAME and hit.link == "file:///scans/c%F4ng v%E3n.pdf#page=1"
    assert hit.to_json()["file"] == "/scans/c\\xf4ng v\\xe3n.pdf"
    json.dumps(hit.to_json(), ensure_ascii=False).encode("utf-8")  # prints on any terminal
    assert archive.get(doc_id).shown_path == "/scans/c\\xf4ng v\\xe3n.pdf"
    archive.add(replace(KIEN_AN, sha256="e" * 64, path="/scans/c\\xf4ng v\\xe3n.pdf"))  # the shown text, literally
    assert archive.ids(path=ODD_NAME) == [doc_id]


def test_cli_shows_a_file_name_that_is_not_utf8(tmp_path, capsys, monkeypatch):
    from pipeline.cli import main

    monkeypatch.setenv("COLUMNS", "200")
    path = str(tmp_path / "a.sqlite")
    with open_archive(path) as archive:
        archive.add(replace(KIEN_AN, path=ODD_NAME))
    shown = r"/scans/c\xf4ng v\xe3n.pdf"
    # pytest captures output as strict UTF-8, as a UTF-8 terminal takes it
    assert main(["show", "1", "--archive", path]) == 0 and shown in capsys.readouterr().out
    assert main(["show", "1", "--json", "--archive", path]) == 0
    assert json.loads(capsys.readouterr().out)["file"] == shown
    assert main(["search", "kien an", "--json", "--archive", path]) == 0
    hit = json.loads(capsys.readouterr().out)[0]
    assert hit["file"] == shown and hit["link"] == "file:///scans/c%F4ng v%E3n.pdf#page=1"
    assert main(["search", "kien an", "--archive", path]) == 0 and "c%F4ng v%E3n.pdf" in capsys.readouterr().out


@pytest.mark.slow
def test_ingest_stores_a_file_whose_name_is_not_utf8_and_goes_on(tmp_path, capsys):
    from pipeline.run import ingest
    from pipeline.settings import Settings

    names = [os.fsdecode(b"c\xf4ng v\xe3n.png"), "ok.png"]
    for name, text in zip(names, ["Công văn số 12 về bình chọn", "Kế hoạch tổ chức Đại hội"], strict=True):
        scan_file(tmp_path / name, text)
    with open_archive(tmp_path / "a.sqlite") as archive:
        report = ingest([tmp_path / n for n in names], archive, Settings(workers=1))
        assert [o.status for o in report.outcomes] == ["ingested", "ingested"], report.outcomes
        stored = archive.get(archive.ids(path=str((tmp_path / names[0]).resolve()))[0])
        assert Path(stored.path).read_bytes() == (tmp_path / names[0]).read_bytes()
        assert found(archive, "cong van") and found(archive, "ke hoach")
    from pipeline.cli import main

    args = [str(tmp_path / n) for n in names] + ["--archive", str(tmp_path / "a.sqlite"), "--json", "--workers", "1"]
    assert main(["ingest", "--force", *args]) == 0  # its report, on strict UTF-8 output (as pytest captures)
    report = json.loads(capsys.readouterr().out)
    assert [Path(f["path"]).name for f in report["files"]] == [r"c\xf4ng v\xe3n.png", "ok.png"]


def test_readding_same_sha_is_a_noop_and_replace_swaps_the_index(archive):
    first = archive.add(KIEN_AN)
    assert archive.has(KIEN_AN.sha256)
    assert archive.add(KIEN_AN) == first
    assert archive.stats().documents == 1 and archive.stats().pages == 2
    changed = DocumentRecord(
        KIEN_AN.sha256, KIEN_AN.path, KIEN_AN.size, (page(0, "văn bản thay thế hoàn toàn mới"),), Fields()
    )
    assert archive.add(changed, replace=True) == first
    assert archive.stats().documents == 1 and archive.stats().pages == 1
    assert found(archive, "thay the") == ["kienan"]
    assert found(archive, "kien an") == []  # the old text left the index with its pages
    assert archive.get(first).fields.issuer is None


def test_delete_removes_document_from_search_and_counts(small):
    archive, ids = small
    assert found(archive, "kien an")[:1] == ["kienan"]
    assert archive.delete(ids[KIEN_AN.path]) is True
    assert archive.delete(ids[KIEN_AN.path]) is False
    assert "kienan" not in found(archive, "kien an")
    assert archive.stats().documents == len(SMALL) - 1
    assert not archive.has(KIEN_AN.sha256)
    archive.add(KIEN_AN)  # re-ingest after delete works and is searchable again
    assert found(archive, "kien an")[:1] == ["kienan"]


def test_resolve_by_id_and_sha_prefix(small):
    archive, ids = small
    doc_id = ids[PLAN.path]
    assert archive.resolve(doc_id) == doc_id
    assert archive.resolve(PLAN.sha256[:8]) == doc_id
    with pytest.raises(KeyError, match="no document"):
        archive.resolve("ffffffff")
    twin = doc("plan2", "khác")  # "plan2".hex() starts like "plan".hex()
    archive.add(twin)
    with pytest.raises(KeyError, match="several"):
        archive.resolve(PLAN.sha256[:8])


def test_stats_counts(small):
    archive, _ = small
    stats = archive.stats().to_json()
    assert stats["documents"] == 5
    assert stats["pages"] == 6
    assert stats["words"] == sum(len(p.words) for d in SMALL for p in d.pages)
    assert stats["doc_types"]["Công văn"] == 2


# --------------------------------------------------------------------------------------------
# Search behaviour (both backends)


def test_unaccented_query_matches_all_accent_variants(small):
    archive, _ = small
    assert found(archive, "kien an")[0] == "kienan"
    assert set(found(archive, "dang")) >= {"plan", "notice"}  # Đảng, đăng, dang
    assert "plan" in found(archive, "DANG")


def test_accented_query_ranks_exact_diacritics_first(small):
    archive, _ = small
    hits = archive.search(SearchQuery("Đảng"))
    names = [h.path.split("/")[-1][:-4] for h in hits]
    assert names[0] == "plan" and hits[0].match == "exact"
    assert "notice" in names[1:]  # "đăng", "dang" still match, after the exact one
    assert all(h.match == "folded" for h in hits[1:])
    # a limit the exact matches fill: the same first hits, accent variants left out
    assert [(h.path, h.match) for h in archive.search(SearchQuery("Đảng", limit=1))] == [(PLAN.path, "exact")]
    assert [h.path for h in archive.search(SearchQuery("Đảng", limit=2))] == [h.path for h in hits[:2]]


def test_phrase_prefix_and_boolean_operators(small):
    archive, _ = small
    assert found(archive, '"kiến an"') == ["kienan"]  # notice has "kiến nghị an toàn": not a phrase
    assert set(found(archive, "kiến an")) == {"kienan", "notice"}
    assert "kienan" in found(archive, "kie*") and "notice" in found(archive, "kie*")
    assert found(archive, "kien NOT thon") == ["notice"]  # operators apply within a page
    assert found(archive, "kien -thon") == ["notice"]
    assert set(found(archive, "phuong OR phong OR thuong")) == {"kienan", "plan", "notice"}
    assert set(found(archive, "(tinh OR nong) AND thon")) == {"kienan", "plan"}
    assert found(archive, "(tinh OR nong) thon -hai") == ["kienan"]
    assert found(archive, "xyzzy") == []


def test_raw_ocr_text_is_searched_too(small):
    archive, _ = small
    assert found(archive, "tinh hoa") == ["rawonly"]
    hit = archive.search(SearchQuery("tinh hoa"))[0]
    assert "**" in hit.snippet


def test_exact_reference_query_ranks_document_carrying_it_first(small):
    archive, _ = small
    hits = archive.search(SearchQuery("225/KH-UBND"))
    assert [h.path for h in hits[:2]] == [PLAN.path, KIEN_AN.path]  # the plan itself, then the citer
    assert hits[0].match == "reference"
    assert found(archive, "77/BC-STC") == ["garbled"]  # only its fields carry it


def test_field_filters(small):
    archive, _ = small
    assert set(found(archive, doc_type="cong van")) == {"kienan", "rawonly"}
    assert found(archive, doc_type="Kế hoạch") == ["plan"]
    assert set(found(archive, issuer="kien an")) == {"kienan"}
    assert found(archive, "nong thon", issuer="Hải Phòng") == ["plan"]
    assert found(archive, symbol="KH-UBND") == ["plan"]
    assert found(archive, symbol="225/KH-UBND") == ["plan"]
    assert found(archive, number="4632") == ["notice"]
    assert set(found(archive, date_from="2025-09-04")) == {"kienan", "notice"}
    assert set(found(archive, date_from="2025-01-01", date_to="2025-09-04")) == {"plan", "notice"}
    assert found(archive, deadline_before="2025-10-04") == ["kienan"]
    assert found(archive, deadline_before="2025-10-03") == []  # strictly before
    assert found(archive, "nong thon", date_to="2025-09-05") == ["plan"]
    assert found(archive, "") == []  # nothing asked, nothing returned
    with pytest.raises(ValueError, match="yyyy-mm-dd"):
        SearchQuery("x", date_from="11/9/2025")


def test_hits_carry_page_snippet_fields_and_link(small):
    archive, ids = small
    hit = archive.search(SearchQuery("Nguyễn Tùng Lâm"))[0]
    assert hit.doc_id == ids[KIEN_AN.path]
    assert hit.page == 2  # 1-based: the signature is on the second page
    assert "**Nguyễn Tùng Lâm**" in hit.snippet
    data = hit.to_json()
    assert data["file"] == KIEN_AN.path and data["fields"]["symbol"] == "UBND-KTHT&ĐT"
    assert data["link"].endswith("#page=2")


def test_search_limit_and_one_hit_per_document(small):
    archive, _ = small
    assert len(archive.search(SearchQuery("nhân OR công OR thông", limit=2))) == 2
    hits = archive.search(SearchQuery("kien OR nguyen"))
    assert len({h.doc_id for h in hits}) == len(hits)


# --------------------------------------------------------------------------------------------
# Relevance: >= 30 queries with known answers (oracle computed from the generated text)


def _tokens(text: str) -> list[str]:
    return [fold_lower(t) for t in WORD_RE.findall(text)]


def _has_phrase(tokens: list[str], want: list[str]) -> bool:
    n = len(want)
    return any(tokens[i : i + n] == want for i in range(len(tokens) - n + 1))


def sample_docs() -> list[DocumentRecord]:
    """The samples' ground-truth texts and fields, one document per distinct source document."""
    out: dict[str, DocumentRecord] = {}
    for path in sorted((ROOT / "samples").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["source"] in out:
            continue  # another scan of the same document
        name = Path(data["source"]).stem
        built = doc(name, *(p["text"] for p in data["pages"]))
        out[data["source"]] = DocumentRecord(
            built.sha256, built.path, built.size, built.pages, Fields.from_json(data["fields"])
        )
    assert len(out) >= 6, "samples/*.json missing"
    return list(out.values())


@pytest.fixture(scope="module")
def corpus_docs():
    gen = Generator(corpus_lines(4000, LAW), seed=11)
    synth = list(gen.documents(250))
    return synth, sample_docs()


def test_relevance_recall_at_10_and_references_first(where, corpus_docs):
    synth, shared = corpus_docs
    records = [s.record for s in synth] + shared
    pages = {
        r.path: [_tokens(p.restored_text) + ["\x00"] + _tokens(p.raw_text) for p in r.pages] for r in records
    }
    queries: list[tuple[str, set[str], bool]] = []  # query, relevant paths, must the first be relevant

    # exact number/symbol queries: the document that carries the reference comes first (documents
    # citing it in their text come after), for synthetic ones and for the samples
    def carriers(f: Fields) -> set[str]:
        key = reference_key(f"{f.number}/{f.symbol}")
        return {r.path for r in records if r.fields.number and reference_key(
            f"{r.fields.number}/{r.fields.symbol}") == key}  # fmt: skip

    cited = {(ref.number, ref.symbol) for s in synth for ref in s.record.fields.references}
    with_citers = [s for s in synth if (s.record.fields.number, s.record.fields.symbol) in cited]
    for s in (with_citers + synth)[:10]:
        f = s.record.fields
        queries.append((f"{f.number}/{f.symbol}", carriers(f), True))
    for r in shared:
        if r.fields.number and r.fields.symbol:
            queries.append((f"{r.fields.number}/{r.fields.symbol}", carriers(r.fields), True))

    # subject phrases typed with and without accents, as phrase or as plain words
    made = 0
    for s in synth:
        words = WORD_RE.findall(s.subject)[2:8]
        want = [fold_lower(w) for w in words]
        relevant = {p for p, pgs in pages.items() if any(_has_phrase(t, want) for t in pgs)}
        if len(words) < 5 or len(relevant) > 5:
            continue
        style = made % 3
        text = (
            '"' + " ".join(words) + '"'
            if style == 0
            else " ".join(fold_lower(w) for w in words)
            if style == 1
            else " ".join(words)
        )
        if style:  # plain words: every page holding all of them is relevant
            relevant = {p for p, pgs in pages.items() if any(set(want) <= set(t) for t in pgs)}
            if len(relevant) > 10:
                continue
        queries.append((text, relevant, False))
        made += 1
        if made == 15:
            break

    # the samples' real texts: fixed queries, and each sample's subject typed without accents
    real = ["binh chon san pham cong nghiep nong thon", '"Tinh hoa hàng Việt Nam"', "giai thuong chat luong",
            '"tiểu thủ công nghiệp"', '"hội đồng bình chọn"', '"nhận diện hàng Việt Nam"']  # fmt: skip
    subjects = [" ".join(fold_lower(w) for w in WORD_RE.findall(r.fields.subject or "")[:6]) for r in shared]
    for text in real + subjects:
        node_words = [fold_lower(w) for w in WORD_RE.findall(text)]
        if text.startswith('"'):
            relevant = {p for p, pgs in pages.items() if any(_has_phrase(t, node_words) for t in pgs)}
        else:
            relevant = {p for p, pgs in pages.items() if any(set(node_words) <= set(t) for t in pgs)}
        if text in subjects and len(relevant) > 10:
            continue  # too common a wording to have a top 10
        assert relevant and len(relevant) <= 10, text
        queries.append((text, relevant, False))
    assert len(queries) >= 40

    with open_archive(where) as archive:
        for r in records:
            archive.add(r)
        misses = []
        for text, relevant, first in queries:
            got = [h.path for h in archive.search(SearchQuery(text, limit=10))]
            if not relevant <= set(got) or (first and (not got or got[0] not in relevant)):
                misses.append((text, sorted(relevant)[:3], got[:3]))
        assert misses == []

        # filtered queries: every document of that type issued that day
        for s in synth[:4]:
            f = s.record.fields
            relevant = {
                x.record.path
                for x in synth
                if x.record.fields.doc_type == f.doc_type and x.record.fields.date == f.date
            }
            got = {h.path for h in archive.search(SearchQuery("", doc_type=f.doc_type, date_from=f.date,
                                                              date_to=f.date, limit=10))}  # fmt: skip
            assert got == relevant


# --------------------------------------------------------------------------------------------
# Crash safety and concurrency (separate processes, both backends)

CHILD = textwrap.dedent(
    """
    import sys
    from pipeline.archive import open_archive
    from pathlib import Path
    from pipeline.training.synthetic import Generator, corpus_lines
    from pipeline.types import DocumentRecord
    where, seed, count, pages, law = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    gen = Generator(corpus_lines(2000, Path(law)), seed=seed)
    docs = [s.record for s in gen.documents(count)]
    with open_archive(where) as archive:
        for d in docs:
            if pages > 1:  # a big document: many pages in one transaction
                big = tuple(type(p)(**{**p.__dict__, "index": i}) for i, p in
                            enumerate((d.pages * pages)[:pages]))
                d = DocumentRecord(d.sha256, d.path, d.size, big, d.fields)
            print("start", d.sha256, len(d.pages), flush=True)
            archive.add(d)
            print("done", d.sha256, flush=True)
    """
)


def _child(where: str, seed: int, count: int, pages: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, where, str(seed), str(count), str(pages), str(LAW)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def test_add_many_is_one_transaction_and_skips_known_documents(archive):
    first = archive.add(KIEN_AN)
    ids = archive.add_many([PLAN, KIEN_AN, NOTICE, PLAN])
    assert ids[1] == first and ids[0] == ids[3] and len(set(ids)) == 3
    assert archive.stats().documents == 3
    broken = DocumentRecord("", "/scans/broken.pdf", 1, (), Fields())
    with pytest.raises(ValueError, match="broken.pdf"):
        archive.add_many([RAW_ONLY, broken])
    assert not archive.has(RAW_ONLY.sha256)  # nothing of a failed batch is stored
    assert found(archive, "kien an")[0] == "kienan"


def test_add_many_in_chunks_keeps_ids_pages_and_replacements_right(where, monkeypatch):
    from pipeline.archive import postgres, sqlite

    for backend in (sqlite, postgres):  # several chunks, written while the next are prepared
        monkeypatch.setattr(backend, "WRITE_CHUNK", 2)
    changed = DocumentRecord(PLAN.sha256, PLAN.path, PLAN.size, (page(0, "văn bản thay thế hoàn toàn mới"),), Fields())
    with open_archive(where) as archive:
        first = archive.add(KIEN_AN)
        batch = [PLAN, KIEN_AN, NOTICE, PLAN, RAW_ONLY, GARBLED, NOTICE]
        ids = archive.add_many(batch)
        assert ids[1] == first and ids[0] == ids[3] and ids[2] == ids[6] and len(set(ids)) == 5
        assert archive.stats().documents == 5 and archive.stats().pages == 6
        for record, doc_id in zip(batch, ids, strict=True):
            stored = archive.get(doc_id)
            assert stored.sha256 == record.sha256 and stored.pages == record.pages
        # replacements of documents written in an earlier batch, an earlier chunk and the same chunk
        fresh, g = doc("fresh", "văn bản đầu tiên"), doc("g", "bản nháp cũ")
        fresh2 = DocumentRecord(fresh.sha256, fresh.path, 1, (page(0, "bản sửa đổi"),), Fields())
        g2 = DocumentRecord(g.sha256, g.path, 1, (page(0, "bản chính thức"),), Fields())
        again = archive.add_many([fresh, doc("y", "hai"), doc("z", "ba"), fresh2, g, g2, changed], replace=True)
        assert again[0] == again[3] and again[4] == again[5] and again[6] == ids[0]
        assert [archive.get(again[i]).pages for i in (0, 4, 6)] == [fresh2.pages, g2.pages, changed.pages]
        assert archive.stats().documents == 9 and archive.stats().pages == 10
        assert found(archive, "thay the") == ["plan"] and "plan" not in found(archive, "225/KH-UBND")
        assert found(archive, "ban sua doi") == ["fresh"] and found(archive, "dau tien") == []
        assert found(archive, "chinh thuc") == ["g"] and found(archive, "nhap") == []
        broken = DocumentRecord("", "/scans/broken.pdf", 1, (), Fields())
        with pytest.raises(ValueError, match="broken.pdf"):
            archive.add_many([doc("v", "bốn"), doc("w", "năm"), doc("u", "sáu"), broken])
        assert archive.stats().documents == 9 and not found(archive, "bốn")  # nothing of the failed batch


def test_search_runs_while_another_connection_holds_a_write_transaction(where):
    with open_archive(where) as writer, open_archive(where) as reader:
        writer.add(KIEN_AN)
        tx = writer._transaction()
        tx.__enter__()  # written, not committed
        if writer.backend == "sqlite":
            assert writer.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            writer._write([writer._prepare(PLAN)], False, writer._ids([PLAN]))
        else:
            writer._copy([writer._prepare(PLAN)], False, writer._lock([PLAN.sha256]))
        commit = lambda: tx.__exit__(None, None, None)  # noqa: E731
        assert found(reader, "kien an") == ["kienan"]  # not blocked by the open write
        assert not reader.has(PLAN.sha256)  # and it sees no uncommitted document
        commit()
        assert reader.has(PLAN.sha256) and found(reader, "225/KH-UBND")[0] == "plan"


@pytest.mark.slow
def test_sigkill_during_big_add_leaves_consistent_searchable_archive(where):
    with open_archive(where):
        pass  # schema created before the child starts
    proc = _child(where, seed=5, count=50, pages=300)
    started: dict[str, int] = {}
    done: set[str] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        kind, sha, *rest = line.split()
        if kind == "start":
            started[sha] = int(rest[0])
            if len(done) >= 2:  # killed while its third big document is being added
                time.sleep(0.3)
                proc.send_signal(signal.SIGKILL)
                break
        else:
            done.add(sha)
    proc.wait(timeout=30)
    for line in proc.stdout:  # what the child printed between our last read and the kill
        kind, sha, *rest = line.split()
        if kind == "start":
            started[sha] = int(rest[0])
        else:
            done.add(sha)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
    assert len(done) >= 2
    with open_archive(where) as archive:
        stats = archive.stats()
        present = {sha for sha in started if archive.has(sha)}
        assert done <= present
        # the document being added at the kill is absent entirely, or (if its commit won) complete
        assert stats.documents == len(present)
        assert stats.pages == sum(started[s] for s in present)
        for sha in present:
            assert len(archive.get(archive.resolve(sha)).pages) == started[sha]
        assert len(archive.search(SearchQuery("nhân dân OR thực hiện", limit=50))) == len(present)
        if where.endswith(".sqlite"):
            archive.conn.execute("INSERT INTO pages_fts(pages_fts) VALUES('integrity-check')")
            assert archive.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # and it keeps working: the interrupted document can be added again
        assert archive.add(doc("after-crash", "sau sự cố")) is not None


@pytest.mark.slow
def test_two_processes_adding_overlapping_documents_store_each_once(where):
    with open_archive(where):
        pass
    # same seed: the two children try the same 40 documents, in the same order
    procs = [_child(where, seed=9, count=40, pages=1) for _ in range(2)]
    searches = 0
    with open_archive(where) as archive:
        while any(p.poll() is None for p in procs):
            archive.search(SearchQuery("thực hiện", limit=5))  # reading while both write
            searches += 1
        outs = [p.communicate(timeout=120) for p in procs]
        for p, (_, err) in zip(procs, outs, strict=True):
            assert p.returncode == 0, err
        shas = {line.split()[1] for out, _ in outs for line in out.splitlines() if line.startswith("done")}
        stats = archive.stats()
        assert len(shas) == 40 and stats.documents == 40
        assert all(archive.has(s) for s in shas)
    assert searches > 0


# --------------------------------------------------------------------------------------------
# SQLite specifics: migrations, bad files


def test_sqlite_upgrades_an_older_schema_with_a_message(tmp_path):
    from pipeline.archive.schema import SCHEMA_VERSION
    from pipeline.archive.sqlite import SQLiteArchive

    path = tmp_path / "old.sqlite"
    old = SQLiteArchive(path, _target=1)
    assert old.schema_version() == 1
    old.conn.execute(
        "INSERT INTO documents (sha256, path, size, page_count, added_at, fields, doc_type) "
        "VALUES ('ab', '/x.pdf', 1, 0, 'now', ?, 'Kế hoạch')",
        (json.dumps({"number": "9", "symbol": "KH-UBND", "doc_type": "Kế hoạch", "deadlines": [
            {"date": "2020-01-02", "text": "x"}]}),),
    )  # fmt: skip
    old.close()
    messages: list[str] = []
    with open_archive(path, notify=messages.append) as archive:
        assert archive.schema_version() == SCHEMA_VERSION
        assert found(archive, symbol="9/KH-UBND") == ["x"]
        assert found(archive, deadline_before="2020-02-01") == ["x"]
    assert len(messages) == 1 and "upgraded" in messages[0] and f"to {SCHEMA_VERSION}" in messages[0]
    with open_archive(path, notify=messages.append):
        pass
    assert len(messages) == 1  # nothing to say the second time


def test_sqlite_new_archives_use_big_pages_and_old_small_page_archives_keep_working(tmp_path, monkeypatch):
    import pipeline.archive.sqlite as sqlite_backend

    with open_archive(tmp_path / "new.sqlite") as archive:
        assert archive.conn.execute("PRAGMA page_size").fetchone()[0] == sqlite_backend.PAGE_BYTES
        assert archive.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == sqlite_backend.WAL_CHECKPOINT_PAGES
    monkeypatch.setattr(sqlite_backend, "PAGE_BYTES", 4096)  # as archives of earlier versions were made
    with open_archive(tmp_path / "old.sqlite") as archive:
        archive.add(doc("a", "Kế hoạch tổ chức Đại hội"))
    monkeypatch.undo()
    with open_archive(tmp_path / "old.sqlite") as archive:
        assert archive.conn.execute("PRAGMA page_size").fetchone()[0] == 4096  # a set file keeps its size
        archive.add(doc("b", "Kế hoạch phòng chống thiên tai"))
        assert sorted(found(archive, "ke hoach")) == ["a", "b"]
        assert found(archive, '"đại hội"') == ["a"]


OLD = ROOT / "tests" / "data" / "archive"  # archives written by earlier versions (see README.md there)


def old_archive(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """An archive of ``SMALL`` as vanban of commit 6d28a9d wrote it (SQLite schema 3, PostgreSQL 2)."""
    import lzma

    if kind == "sqlite":
        path = tmp_path / "old.sqlite"
        path.write_bytes(lzma.decompress((OLD / "v3.sqlite.xz").read_bytes()))
        return str(path)
    import psycopg

    url = request.getfixturevalue("pg_url")
    dump = lzma.decompress((OLD / "pg-v2.sql.xz").read_bytes()).decode()
    script = "\n".join(line for line in dump.splitlines() if not line.startswith("\\"))  # psql commands
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(script)
    return url


@pytest.mark.parametrize("kind", BACKENDS)
def test_archives_written_by_earlier_versions_upgrade_and_behave_as_new(kind, tmp_path, request):
    from pipeline.archive.schema import SCHEMA_VERSION

    where = old_archive(kind, tmp_path, request)
    messages: list[str] = []
    with open_archive(where, notify=messages.append) as archive:
        assert archive.schema_version() == SCHEMA_VERSION
        assert len(messages) == 1 and f"to {SCHEMA_VERSION}" in messages[0]
        # GARBLED was deleted and added again: id 5 anew in SQLite, 6 from PostgreSQL's sequence
        assert archive.ids() == ["1", "2", "3", "4", "5" if kind == "sqlite" else "6"]
        for d in SMALL:
            got = archive.get(archive.resolve(d.sha256))
            assert (got.path, got.fields.to_json(), got.pages) == (d.path, d.fields.to_json(), d.pages)
        assert found(archive, "kien an")[0] == "kienan" and found(archive, "225/KH-UBND")[0] == "plan"
        assert found(archive, "tinh hoa") == ["rawonly"] and found(archive, symbol="BC-STC") == ["garbled"]
        if kind == "postgres":  # the index was rebuilt: raw text that only lost its accents is not in it
            tsv = archive.conn.execute("SELECT tsv_exact::text FROM pages WHERE doc_id = 4").fetchone()[0]
            assert "'chuong'" not in tsv and "'chương'" in tsv
        assert archive.delete(archive.resolve(RAW_ONLY.sha256))
        assert found(archive, "tinh hoa") == [] and found(archive, "viet nam") == []
        archive.add(doc("new", "Văn bản mới về Việt Nam"))
        assert found(archive, "viet nam") == ["new"]
    with open_archive(where, notify=messages.append):
        pass
    assert len(messages) == 1


@pytest.mark.parametrize("kind", BACKENDS)
def test_the_v3_upgrade_rebuilds_the_full_text_index_from_the_pages(kind, tmp_path, request):
    import sqlite3

    where = old_archive(kind, tmp_path, request)
    if kind == "sqlite":  # back to version 2 (the same tables), with an index step 3 must not trust
        with sqlite3.connect(where) as conn:
            conn.execute("PRAGMA user_version = 2")
            conn.execute("INSERT INTO pages_fts (pages_fts) VALUES ('delete-all')")
    else:
        import psycopg

        with psycopg.connect(where, autocommit=True) as conn:
            conn.execute("UPDATE pages SET tsv_exact = '', tsv_fold = ''")
    messages: list[str] = []
    with open_archive(where, notify=messages.append) as archive:
        assert messages and "from version 2 to" in messages[0]
        assert found(archive, "kien an")[0] == "kienan"
        assert found(archive, "tinh hoa") == ["rawonly"]
        assert archive.delete(archive.resolve(RAW_ONLY.sha256[:12]))
        assert found(archive, "tinh hoa") == []
        if kind == "sqlite":
            # the contentless index only forgets what it is told with the indexed values: nothing is left
            sql = "SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'viet'"
            assert archive.conn.execute(sql).fetchone()[0] == 0


def test_sqlite_search_of_common_words_without_bm25_keeps_the_behaviour(tmp_path, monkeypatch):
    import pipeline.archive.sqlite as sqlite_backend

    monkeypatch.setattr(sqlite_backend, "BM25_PHRASE_PAGES", 0)  # every phrase counts as common
    with open_archive(tmp_path / "a.sqlite") as archive:
        small = (archive, {d.path: archive.add(d) for d in SMALL})
        test_unaccented_query_matches_all_accent_variants(small)
        test_accented_query_ranks_exact_diacritics_first(small)
        test_phrase_prefix_and_boolean_operators(small)
        test_raw_ocr_text_is_searched_too(small)
        test_exact_reference_query_ranks_document_carrying_it_first(small)
        test_field_filters(small)
        test_hits_carry_page_snippet_fields_and_link(small)
        test_search_limit_and_one_hit_per_document(small)
        hits = archive.search(SearchQuery("kien an"))
        assert hits[0].path == KIEN_AN.path and hits[0].score > hits[-1].score  # words together first


def test_sqlite_phrase_of_common_words_lists_newest_first_and_one_rare_word_brings_bm25(tmp_path, monkeypatch):
    import pipeline.archive.sqlite as sqlite_backend

    monkeypatch.setattr(sqlite_backend, "BM25_PHRASE_PAGES", 2)  # a word on 3+ pages is common
    padded = "kế hoạch năm nay " + "và thêm nhiều chữ khác " * 20
    texts = (("p1", "kế hoạch năm nay"), ("p2", "năm nay kế hoạch"), ("p3", padded),
             ("rare", padded + " Kiến An năm nay kế"))  # fmt: skip
    with open_archive(tmp_path / "a.sqlite") as archive:
        for name, text in texts:
            archive.add(doc(name, text))
        # every word common: newest first, although bm25 would put the short pages first
        assert found(archive, '"kế hoạch năm"') == ["rare", "p3", "p1"]
        assert found(archive, "ke hoach nam") == ["rare", "p3", "p1", "p2"]  # words together first
        assert found(archive, '"nay kế"') == ["rare", "p2"]  # a rare phrase, but of common words
        # 'kiến' is rare: bm25 ranks, and only its page matches
        assert found(archive, '"năm nay kiến"') == [] and found(archive, '"khác kiến an"') == ["rare"]
    monkeypatch.setattr(sqlite_backend, "BM25_PHRASE_PAGES", 3000)
    with open_archive(tmp_path / "a.sqlite") as archive:  # the same words, all rare now: bm25 order
        assert found(archive, '"kế hoạch năm"')[0] == "p1"
        assert found(archive, '"nay kế"') == ["p2", "rare"]


def test_sqlite_refuses_newer_schema_and_foreign_files(tmp_path):
    from pipeline.archive.schema import SCHEMA_VERSION

    path = tmp_path / "new.sqlite"
    open_archive(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(ArchiveVersionError, match="newer"):
        open_archive(path)
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(ArchiveError, match=str(junk)):
        open_archive(junk)
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(ArchiveError, match="not a vanban archive"):
        open_archive(other)


def test_postgres_upgrades_an_older_schema_with_a_message(pg_url):
    from pipeline.archive.postgres import PostgresArchive
    from pipeline.archive.schema import SCHEMA_VERSION

    old = PostgresArchive(pg_url, _target=1)
    assert old.schema_version() == 1
    old.conn.execute(
        "INSERT INTO documents (sha256, path, size, page_count, added_at, fields, doc_type) "
        "VALUES ('ab', '/x.pdf', 1, 0, 'now', %s, 'Kế hoạch')",
        (json.dumps({"number": "9", "symbol": "KH-UBND", "doc_type": "Kế hoạch", "deadlines": [
            {"date": "2020-01-02", "text": "x"}]}),),
    )  # fmt: skip
    old.close()
    messages: list[str] = []
    with open_archive(pg_url, notify=messages.append) as archive:
        assert archive.schema_version() == SCHEMA_VERSION
        assert found(archive, symbol="9/KH-UBND") == ["x"]
        assert found(archive, deadline_before="2020-02-01") == ["x"]
    assert len(messages) == 1 and "upgraded" in messages[0] and f"to {SCHEMA_VERSION}" in messages[0]
    with open_archive(pg_url, notify=messages.append):
        pass
    assert len(messages) == 1


def test_postgres_refuses_newer_schema_foreign_tables_and_unreachable_server(pg_url, pg_server):
    import psycopg

    from pipeline.archive.schema import SCHEMA_VERSION

    open_archive(pg_url).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE vanban_meta SET value = %s WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(ArchiveVersionError, match="newer"):
        open_archive(pg_url)
    with psycopg.connect(f"{pg_server}/postgres", autocommit=True) as conn:
        conn.execute("CREATE DATABASE foreign_app")
    with psycopg.connect(f"{pg_server}/foreign_app", autocommit=True) as conn:
        conn.execute("CREATE TABLE documents (x int)")
    with pytest.raises(ArchiveError, match="not a vanban archive"):
        open_archive(f"{pg_server}/foreign_app")
    port = pg_server.rsplit(":", 1)[1]
    closed = pg_server.replace(port, "1")  # nothing listens on port 1
    with pytest.raises(ArchiveError, match="cannot connect") as err:
        open_archive(f"{closed}/x")
    assert "\n" not in str(err.value) and "127.0.0.1:1/x" in str(err.value)


# --------------------------------------------------------------------------------------------
# CLI


def test_cli_search_show_stats_json(tmp_path, capsys):
    from pipeline.cli import EXIT_ARCHIVE, main

    path = str(tmp_path / "cli.sqlite")
    with open_archive(path) as archive:
        for d in SMALL:
            archive.add(d)
    assert main(["search", "kien an", "--archive", path, "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["file"] == KIEN_AN.path and {"id", "file", "page", "snippet", "fields"} <= set(hits[0])
    args = ["search", "", "--type", "Kế hoạch", "--from", "01/09/2025", "--archive", path, "--json"]
    assert main(args) == 0
    assert [h["file"] for h in json.loads(capsys.readouterr().out)] == [PLAN.path]
    assert main(["search", "--archive", path]) == 2
    assert main(["search", "(kien", "--archive", path]) == 2
    assert "missing ')'" in capsys.readouterr().err
    assert main(["stats", "--archive", path, "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["documents"] == 5 and stats["pages"] == 6
    assert main(["show", KIEN_AN.sha256[:10], "--archive", path, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["fields"]["issuer"] == "Ủy ban nhân dân phường Kiến An" and len(shown["pages"]) == 2
    assert main(["show", shown["id"], "--archive", path]) == 0
    assert "Nguyễn Tùng Lâm" in capsys.readouterr().out
    assert main(["show", "zz-nothing", "--archive", path]) == 2
    assert main(["search", "kien", "--archive", path]) == 0
    assert "Kiến An" in capsys.readouterr().out
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"garbage" * 1000)
    assert main(["stats", "--archive", str(junk)]) == EXIT_ARCHIVE
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(junk) in err


def test_cli_table_highlights_the_hit_on_a_terminal_and_keeps_markers_in_a_pipe(tmp_path, capsys, monkeypatch):
    from pipeline.cli import main

    path = str(tmp_path / "cli.sqlite")
    with open_archive(path) as archive:
        for d in SMALL:
            archive.add(d)
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    assert main(["search", "kien an", "--archive", path]) == 0
    out = capsys.readouterr().out
    assert "\x1b[1;33mKiến An\x1b[0m" in out  # bold yellow, as a terminal shows it
    assert "**" not in out and f"file://{KIEN_AN.path}#page=1" in out
    monkeypatch.delenv("FORCE_COLOR")
    assert main(["search", "kien an", "--archive", path]) == 0  # captured: not a terminal
    out = capsys.readouterr().out
    assert "\x1b[" not in out and "**Kiến An**" in out


# --------------------------------------------------------------------------------------------
# Damage, check, backup, read-only archives


def one_line_err(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Traceback" not in err, err
    return err


def damaged_archive(path: Path) -> Path:
    """An archive of 200 documents whose pages but the first (file header and schema) hold garbage."""
    with open_archive(path) as archive:
        archive.add_many([replace(d, sha256=f"{i:04d}" + d.sha256[4:]) for i in range(40) for d in SMALL])
    data = bytearray(path.read_bytes())
    rng = random.Random(1)
    page_size = int.from_bytes(data[16:18], "big")
    for start in range(2 * page_size, len(data), page_size):
        for at in range(start + 100, start + page_size, 300):
            data[at : at + 8] = rng.randbytes(8)
    path.write_bytes(data)
    return path


def scan_file(path: Path, text: str = "Kế hoạch tổ chức Đại hội") -> Path:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", 40)
    page = Image.new("L", (1240, 500), 255)
    for i in range(3):
        ImageDraw.Draw(page).text((100, 100 + 100 * i), text, font=font, fill=0)
    page.save(path, dpi=(150, 150))
    return path


def test_every_command_on_a_damaged_archive_exits_3_with_one_line(tmp_path, capsys):
    from pipeline.cli import main

    where = str(damaged_archive(tmp_path / "a.sqlite"))
    commands = [["stats"], ["search", "kien an"], ["search", "", "--type", "Kế hoạch"], ["show", "1"],
                ["export", "1", "-f", "txt", "-o", str(tmp_path / "x.txt")],
                ["export", "--all", "-f", "txt", "-o", str(tmp_path / "all")],
                ["ingest", str(scan_file(tmp_path / "new.png")), "--workers", "1"],
                ["check"], ["backup", str(tmp_path / "copy.sqlite")]]  # fmt: skip
    for argv in commands:
        assert main([*argv, "--archive", where]) == 3, argv
        err = capsys.readouterr().err.strip().splitlines()
        if argv[0] == "ingest":  # after its progress lines, which go to stderr too
            err = err[-1:]
        assert len(err) == 1 and err[0].startswith(f"vanban {argv[0]}: {where}: the archive is damaged ("), err
    assert not (tmp_path / "x.txt").exists()


def test_check_a_whole_archive_and_one_changed_behind_its_back(small, capsys):
    archive, ids = small
    report = archive.check()
    assert report.ok and report.counts == {"documents": 5, "pages": 6} and report.problems == ()
    doc_id = int(ids[KIEN_AN.path])
    archive.conn.execute(f"DELETE FROM pages WHERE doc_id = {doc_id} AND idx = 1")  # not through the archive
    problems = archive.check().problems
    assert f"document {doc_id}: counts 2 pages, has 1" in problems
    if archive.backend == "sqlite":
        assert "full-text index holds 6 pages, the archive 5" in problems
    else:  # an index an interrupted CREATE INDEX CONCURRENTLY would leave
        archive.conn.execute("UPDATE pg_index SET indisvalid = false WHERE indexrelid = 'pages_tsv_fold'::regclass")
        assert "index pages_tsv_fold is not usable (rebuild it with REINDEX)" in archive.check().problems


def test_cli_check(tmp_path, capsys):
    from pipeline.cli import main

    where = str(tmp_path / "a.sqlite")
    with open_archive(where) as archive:
        archive.add_many(SMALL)
    assert main(["check", "--archive", where]) == 0
    assert "ok: no damage found" in capsys.readouterr().out
    assert main(["check", "--archive", where, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] and report["counts"] == {"documents": 5, "pages": 6} and report["notes"] == []
    with sqlite3.connect(where) as conn:
        conn.execute("DELETE FROM pages WHERE idx = 1")
    assert main(["check", "--archive", where, "--json"]) == 3
    assert json.loads(capsys.readouterr().out)["problems"][0].startswith("full-text index holds 6 pages")


def test_backup_copies_a_consistent_archive_and_never_replaces_a_file(tmp_path, capsys):
    from pipeline.cli import main

    where = str(tmp_path / "a.sqlite")
    with open_archive(where) as writer:
        writer.add_many(SMALL[:3])
        with writer._transaction():  # a write in progress while the backup runs: not in the copy
            writer._write([writer._prepare(RAW_ONLY)], False, writer._ids([RAW_ONLY]))
            assert main(["backup", str(tmp_path / "missing" / "x.sqlite"), "--archive", where]) == 2  # no such folder
            assert "no such folder" in one_line_err(capsys)
            (tmp_path / "copies").mkdir()
            assert main(["backup", str(tmp_path / "copies"), "--archive", where]) == 0
    copy = tmp_path / "copies" / "a.sqlite"
    assert str(copy) in capsys.readouterr().out and sorted(os.listdir(copy.parent)) == ["a.sqlite"]
    with open_archive(copy, mode="read") as archive:
        assert archive.stats().documents == 3 and found(archive, "kien an")[0] == "kienan"
        assert found(archive, "tinh hoa") == [] and archive.check().problems == ()
    before = copy.read_bytes()
    assert main(["backup", str(copy), "--archive", where]) == 2
    assert "exists already" in one_line_err(capsys) and copy.read_bytes() == before


def test_backup_of_a_postgresql_archive_prints_the_pg_dump_command():
    result = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "backup", "/tmp/x.dump", "--archive", "postgresql://u:secret@db:5432/vb"],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 2 and result.stdout == "" and "secret" not in result.stderr
    assert result.stderr.strip().endswith("pg_dump --format=custom --file=/tmp/x.dump 'postgresql://u:***@db:5432/vb'")


def test_read_commands_work_on_an_archive_in_a_folder_nothing_can_write(tmp_path, capsys, monkeypatch):
    from pipeline.cli import main

    folder = tmp_path / "readonly"
    where = folder / "a.sqlite"
    with open_archive(where) as archive:
        archive.add_many(SMALL)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert list(before) == ["a.sqlite"]
    real_access = os.access

    def access(path, mode, **kw):  # root writes anywhere: say what the permissions say for others
        if mode & os.W_OK and Path(path).absolute().is_relative_to(folder):
            return False
        return real_access(path, mode, **kw)

    folder.chmod(0o555)
    monkeypatch.setattr(os, "access", access)
    try:
        for argv in (["search", "kien an"], ["show", "1"], ["stats"], ["check"],
                     ["export", "1", "-f", "txt", "-o", str(tmp_path / "out.txt")]):  # fmt: skip
            assert main([*argv, "--archive", str(where)]) == 0, (argv, capsys.readouterr().err)
            assert "Traceback" not in capsys.readouterr().err
        with open_archive(where, mode="read") as archive:
            assert found(archive, "tinh hoa") == ["rawonly"]
            with pytest.raises(ArchiveError, match="cannot be written"):
                archive.add(doc("new", "văn bản mới"))
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # no -wal or -shm beside it
    finally:
        folder.chmod(0o755)


def test_only_ingest_makes_an_archive_of_an_empty_file(tmp_path, capsys):
    from pipeline.cli import main

    empty = tmp_path / "empty.sqlite"
    empty.touch()
    for argv in (["stats"], ["search", "kien"], ["show", "1"], ["check"], ["export", "1", "-f", "txt"],
                 ["backup", str(tmp_path / "b.sqlite")]):  # fmt: skip
        assert main([*argv, "--archive", str(empty)]) == 3, argv
        assert "not an archive: an empty file" in one_line_err(capsys)
    assert empty.stat().st_size == 0 and sorted(os.listdir(tmp_path)) == ["empty.sqlite"]
    with pytest.raises(ArchiveError, match="empty file"):
        open_archive(empty, mode="write")
    with open_archive(empty) as archive:  # what ingest does
        assert archive.stats().documents == 0


def test_a_read_command_upgrades_an_older_archive_once_or_says_it_needs_write_access(tmp_path, request, capsys,
                                                                                    monkeypatch):  # fmt: skip
    import pipeline.archive.sqlite as sqlite_backend
    from pipeline.archive.schema import SCHEMA_VERSION
    from pipeline.cli import main

    where = old_archive("sqlite", tmp_path, request)
    monkeypatch.setitem(sqlite_backend._URI_MODES, "write", "ro")  # as if the file could not be written
    assert main(["search", "kien an", "--archive", where]) == 3
    err = one_line_err(capsys)

    assert f"archive schema version 3 must be upgraded to {SCHEMA_VERSION} first, which needs write access" in err
    monkeypatch.undo()
    assert main(["search", "kien an", "--archive", where]) == 0
    assert f"upgraded archive schema from version 3 to {SCHEMA_VERSION}" in capsys.readouterr().err
    assert main(["search", "kien an", "--archive", where]) == 0
    assert "upgraded" not in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# The citation index (issue 13): a search for a reference finds the documents that cite it


def cites(where: str, key: str = "57-NQ-TW", **ref) -> Reference:
    base = {"doc_type": "Nghị quyết", "number": "57", "symbol": "NQ/TW", "date": "2024-12-22",
            "issuer": "Bộ Chính trị", "family": "party", "cited_in": where, "key": key}  # fmt: skip
    return Reference(**{**base, **ref})


CITED = [
    doc("nq57", "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo", number="57",
        symbol="NQ/TW", doc_type="Nghị quyết", issuer="Bộ Chính trị", date="2024-12-22"),
    doc("qd-basis", "Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị; ban hành kế hoạch",
        number="418", symbol="QĐ-TTg", date="2025-02-21", references=(cites("basis"),)),
    doc("kh-body", "Thực hiện Nghị quyết số 57- NQ/TW, các sở triển khai kế hoạch", number="112",
        symbol="KH/TU", date="2025-03-20", references=(cites("body"),)),
    # stored before references had keys: the key of its number and symbol ('57/NQ-TW' as OCR read it)
    doc("cv-ocr", "Triển khai Nghị quyết 57/NQ-TW về chuyển đổi số", number="9", symbol="UBND-VP",
        date="2025-01-10", references=(cites("body", key=None, symbol="NQ-TW"),)),
    doc("words", "Danh mục hồ sơ lưu trữ: mã 57 NQ TW của kho, không trích dẫn văn bản nào", date="2025-04-01"),
    doc("other", "Căn cứ Nghị quyết số 52-NQ/TW ngày 27/9/2019", date="2025-05-01",
        references=(cites("basis", key="52-NQ-TW", number="52"),)),
]  # fmt: skip


def test_search_for_a_reference_finds_it_then_its_citers_then_the_words(where):
    with open_archive(where) as archive:
        archive.add_many(CITED)
        for typed in ("57-NQ/TW", "57- NQ/TW", "57/NQ-TW", '"57-NQ/TW"'):
            hits = archive.search(SearchQuery(typed))
            names = [h.path.split("/")[-1].removesuffix(".pdf") for h in hits]
            assert names == ["nq57", "qd-basis", "kh-body", "cv-ocr", "words"], typed
            assert [h.match for h in hits[:4]] == ["reference", "citation", "citation", "citation"]
        assert found(archive, "52-NQ/TW") == ["other"]
        assert found(archive, "57-NQ/TW", doc_type="Quyết định") == []  # filters apply to citers too
        # replacing or deleting a document replaces or drops its citations
        archive.add(replace(CITED[1], fields=replace(CITED[1].fields, references=())), replace=True)
        assert archive.delete(archive.resolve(CITED[2].sha256))
        hits = archive.search(SearchQuery("57-NQ/TW"))
        first = [(h.path.split("/")[-1][:-4], h.match) for h in hits[:2]]
        assert first == [("nq57", "reference"), ("cv-ocr", "citation")]
        assert [h.match for h in hits if "qd-basis" in h.path] == ["folded"]  # its words only, now


def test_upgrade_from_4_indexes_the_citations_of_stored_documents(where):
    with open_archive(where) as archive:
        archive.add_many(CITED)
        conn = archive.conn
        conn.execute("DROP TABLE citations")
        conn.execute("DROP TABLE lexicon")  # step 7's
        conn.execute("UPDATE documents SET ref_key = '57/NQ/TW' WHERE ref_key = '57-NQ-TW'")  # the old key form
        if where.startswith("postgresql"):
            conn.execute("UPDATE vanban_meta SET value = '4' WHERE key = 'schema_version'")
        else:
            conn.execute("PRAGMA user_version = 4")
            conn.commit()
    messages: list[str] = []
    with open_archive(where, notify=messages.append) as archive:
        assert messages and "from version 4 to 7" in messages[0]
        assert found(archive, "57-NQ/TW")[:4] == ["nq57", "qd-basis", "kh-body", "cv-ocr"]
        count = archive.conn.execute("SELECT count(*) FROM citations").fetchone()[0]
        assert count == 4


def test_issuer_filter_matches_the_normalised_issuer_and_its_province(where):
    from pipeline.types import Entity

    unit = Entity("Sở Nội vụ thành phố Hải Phòng", "province", "31", "Ủy ban nhân dân thành phố Hải Phòng",
                  "thành phố Hải Phòng", "2025")  # fmt: skip
    with open_archive(where) as archive:
        archive.add_many([doc("snv", "Công văn về tuyển dụng công chức", issuer="Sở Nội vụ", issuer_unit=unit),
                          doc("bnv", "Công văn về tuyển dụng công chức", issuer="Bộ Nội vụ")])  # fmt: skip
        assert found(archive, "tuyển dụng", issuer="Hải Phòng") == ["snv"]
        assert sorted(found(archive, "tuyển dụng", issuer="Nội vụ")) == ["bnv", "snv"]


# --- PostgreSQL: phrases through word pairs, common words newest first ----------------------------------------
def test_postgres_index_holds_neighbouring_words_as_pairs_within_each_text():
    from pipeline.archive.postgres import tsvector_literal

    assert tsvector_literal("kien an kien", "ubnd", pairs=True) == (
        "'kien':1A,3A 'kien_an':1A 'an':2A 'an_kien':2A 'ubnd':5B"  # no pair across the two texts
    )
    assert tsvector_literal("kien an", "") == "'kien':1A 'an':2A"


PAIR_QUERIES = ["kien an", '"kiến an"', '"kien an"', '"an kien"', '"nhân dân phường kiến"', '"cong nghiep no"*',
                '"nong thon tieu"', "kiến -nghị", '"kien nghi" OR "tinh hoa"', '"tỉnh họa" hang', "ubnd",
                '"ngày 03 10 2025"', 'san pham NOT "cong nghiep"', '"bao ca"*', "kie*", "dang", "đảng",
                '"thanh pho" nam']  # fmt: skip


def test_postgres_matches_what_sqlite_matches_ranked_or_newest_first(pg_url, tmp_path, monkeypatch):
    """The pair lexemes and the newest-first reading (forced: RANK_PAGES 0) find the documents SQLite's
    positional index finds."""
    from pipeline.archive import postgres

    with open_archive(tmp_path / "a.sqlite") as lite, open_archive(pg_url) as pg:
        lite.add_many(SMALL)
        pg.add_many(SMALL)
        for q in PAIR_QUERIES:
            expected = set(found(lite, q))
            assert set(found(pg, q)) == expected, q
            monkeypatch.setattr(postgres, "RANK_PAGES", 0)
            assert set(found(pg, q)) == expected, q
            assert set(found(pg, q, doc_type="Công văn")) == set(found(lite, q, doc_type="Công văn")), q
            monkeypatch.undo()
        # with statistics read (kept a while), a document stored afterwards is found newest first
        pg.conn.execute("ANALYZE pages")
        assert found(pg, "kien an")
        pg.add(doc("late", "Kiến An: một văn bản đến sau"))
        monkeypatch.setattr(postgres, "RANK_PAGES", 0)
        assert found(pg, "kien an")[0] == "late"
