"""Field extraction (issue 5) on real document fragments, clean and OCR-damaged."""

from __future__ import annotations

import ast
import dataclasses
import json
import lzma
import tempfile
from pathlib import Path

import pytest
import spacy

import pipeline.extract
from pipeline.citation import reference_key
from pipeline.extract import extract_fields, extract_text, get_nlp
from pipeline.types import Box, Deadline, Entity, Fields, OcrPage, OcrWord, PageText, Reference, Signer, TextBlock

# The three real letters of ../shared/texts, kept as fixtures so the test runs in any clone.
TEXTS = Path(__file__).parent / "data" / "extract" / "real"

KIEN_AN_HEAD = """ỦY BAN NHÂN DÂN
PHƯỜNG KIẾN AN

Số:           /UBND-KTHT&ĐT
V/v triển khai Kế hoạch bình chọn sản

phẩm công nghiệp nông thôn tiêu biểu

thành phố Hải Phòng năm 2025
CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Kiến An, ngày  11 tháng 9 năm 2025

              Kính gửi:
   - Phòng Văn hoá – Xã hội;
                               - Phòng Kinh tế, Hạ tầng và Đô thị;
 - Trung tâm Sự nghiệp công;

Thực hiện Kế hoạch số 225/KH-UBND ngày 03/9/2025 của Ủy

ban nhân dân thành phố về tổ chức bình chọn sản phẩm công nghiệp nông thôn

tiêu biểu thành phố năm 2025; Công văn số 4632/SCT-QLCN ngày 4/9/2025

của Sở Công Thương về việc triển khai Kế hoạch bình chọn (gửi kèm).
- Tổng hợp, đăng ký sản phẩm của cơ sở công nghiệp nông thôn tiêu biểu cấp

xã năm 2025, báo cáo kết quả gửi về Uỷ ban nhân dân phường (qua phòng Kinh tế,

Hạ tầng và Đô thị, trước ngày 03/10/2025) để tổng hợp.

Nơi nhận:
- Như kính gửi;
- Lưu: VT, KTHTĐT.

TM. UỶ BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH



Nguyễn Tùng Lâm
"""

# The same document as Tesseract without good settings reads it: 1/l, 0/O, Ð (U+00D0), spaces
# around / and -, the date split over two lines.
KIEN_AN_OCR = (
    KIEN_AN_HEAD.replace("Số:           /UBND-KTHT&ĐT", "Số: l5 / UBND - KTHT&\u00d0T")
    .replace("ngày  11 tháng 9 năm 2025", "ngày 1l tháng 9\nnăm 2O25")
    .replace("225/KH-UBND ngày 03/9/2025", "225 / KH - UBND ngày O3/9/2025")
    .replace("4632/SCT-QLCN", "4632/SCT-QLCN")
)

DECISION = """UBND THÀNH PHỐ HẢI PHÒNG
SỞ KHOA HỌC VÀ CÔNG NGHỆ
Số: 123/QĐ-SKHCN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hải Phòng, ngày 05 tháng 3 năm 2025
QUYẾT ĐỊNH
Về việc thành lập Hội đồng xét chọn
sản phẩm tiêu biểu năm 2025
GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ
Căn cứ Quyết định số 15/2024/QĐ-UBND ngày 12 tháng 4 năm 2024 của Ủy ban nhân dân thành phố;
Xét đề nghị của Chánh Văn phòng Sở,
QUYẾT ĐỊNH:
Điều 1. Thành lập Hội đồng. Hội đồng nộp báo cáo chậm nhất ngày 30 tháng 6 năm 2025.
Nơi nhận:
- Như Điều 3;
- Lưu: VT.
GIÁM ĐỐC
Phạm Văn Minh
"""


def fields_of(text: str):
    return extract_text(text)


# ------------------------------------------------------------------ number / symbol


def test_blank_number_keeps_symbol():
    f = fields_of(KIEN_AN_HEAD)
    assert f.number is None
    assert f.symbol == "UBND-KTHT&ĐT"


def test_number_and_symbol_with_year_part():
    f = fields_of(DECISION)
    assert (f.number, f.symbol) == ("123", "QĐ-SKHCN")


def test_ocr_damaged_number_and_symbol_are_repaired():
    f = fields_of(KIEN_AN_OCR)
    assert f.number == "15"
    assert f.symbol == "UBND-KTHT&ĐT"
    assert "\u00d0" not in f.symbol
    assert f.provenance["number"].confidence < 0.95  # repaired values are marked less certain


def test_symbol_spaces_and_lowercase_l():
    f = fields_of("Số: 4O2 / KH - UBNĐ\nHà Nội, ngày 2 tháng 1 năm 2024\n")
    assert (f.number, f.symbol, f.doc_type) == ("402", "KH-UBNĐ", "Kế hoạch")


# ------------------------------------------------------------------ doc_type


@pytest.mark.parametrize(
    ("abbr", "name"),
    [("NQ", "Nghị quyết"), ("QĐ", "Quyết định"), ("CT", "Chỉ thị"), ("QC", "Quy chế"), ("QyĐ", "Quy định"),
     ("TC", "Thông cáo"), ("TB", "Thông báo"), ("HD", "Hướng dẫn"), ("CTr", "Chương trình"),
     ("PA", "Phương án"), ("ĐA", "Đề án"), ("DA", "Dự án"), ("BC", "Báo cáo"), ("BB", "Biên bản"),
     ("TTr", "Tờ trình"), ("HĐ", "Hợp đồng"), ("CĐ", "Công điện"), ("BGN", "Bản ghi nhớ"),
     ("BTT", "Bản thỏa thuận"), ("GUQ", "Giấy ủy quyền"), ("GM", "Giấy mời"), ("GGT", "Giấy giới thiệu"),
     ("GNP", "Giấy nghỉ phép"), ("PG", "Phiếu gửi"), ("PC", "Phiếu chuyển"), ("PB", "Phiếu báo"),
     ("KH", "Kế hoạch")],
)  # fmt: skip
def test_doc_type_from_each_of_the_27_abbreviations(abbr, name):
    f = fields_of(f"Số: 7/{abbr}-UBND\nKiến An, ngày 1 tháng 2 năm 2025\nNội dung.\n")
    assert f.doc_type == name
    assert f.symbol == f"{abbr}-UBND"


def test_vv_without_type_abbreviation_is_a_cong_van():
    assert fields_of(KIEN_AN_HEAD).doc_type == "Công văn"


def test_doc_type_from_title_line_not_from_body_quyet_dinh():
    f = fields_of(DECISION.replace("123/QĐ-SKHCN", "123/SKHCN-VP"))
    assert f.doc_type == "Quyết định"
    assert f.provenance["doc_type"].start == DECISION.index("QUYẾT ĐỊNH\n")


# ------------------------------------------------------------------ issuer


def test_issuer_on_two_lines_in_normal_case():
    f = fields_of(KIEN_AN_HEAD)
    assert f.issuer == "Ủy ban nhân dân phường Kiến An"
    assert f.parent_issuer is None


def test_parent_issuer_line_above_issuer():
    f = fields_of(DECISION)
    assert f.issuer == "Sở Khoa học và Công nghệ"
    assert f.parent_issuer == "Ủy ban nhân dân thành phố Hải Phòng"


def test_lower_case_issuer_kept():
    f = fields_of("Ủy ban nhân dân\nphường Kiến An\nSố: 3/UBND\nKiến An, ngày 2 tháng 3 năm 2025\n")
    assert f.issuer == "Ủy ban nhân dân phường Kiến An"


def test_header_missing_issuer_from_symbol_abbreviation():
    text = (
        "Số: /SKHCN-CCTĐC\nHải Phòng, ngày tháng năm 2025\nV/v phối hợp\nKính gửi: Các Sở\n"
        "Sở Khoa học và Công nghệ có văn bản số 24/TB-SKHCN ngày 14/02/2025 thông báo.\n"
    )
    f = fields_of(text)
    assert f.issuer == "Sở Khoa học và Công nghệ"
    assert f.provenance["issuer"].confidence <= 0.5


def test_misread_place_name_in_capitals_is_outvoted_by_the_document():
    # restoration cannot know the held-out name 'Kiến An' and turned the capitals into 'KIẾN ẨN'
    f = fields_of(KIEN_AN_HEAD.replace("PHƯỜNG KIẾN AN", "PHƯỜNG KIẾN ẨN"))
    assert f.issuer == "Ủy ban nhân dân phường Kiến An"


# ------------------------------------------------------------------ place / date


def test_place_and_date():
    f = fields_of(KIEN_AN_HEAD)
    assert (f.place, f.date, f.date_year) == ("Kiến An", "2025-09-11", 2025)


def test_blank_day_and_month_give_null_date_with_year():
    f = fields_of("Số: /BQL-DN&GSĐT\n\nHải Phòng, ngày   tháng   năm 2024\n\nV/v hưởng ứng\n")
    assert (f.place, f.date, f.date_year) == ("Hải Phòng", None, 2024)


def test_date_split_over_lines_with_ocr_digits():
    f = fields_of(KIEN_AN_OCR)
    assert (f.place, f.date) == ("Kiến An", "2025-09-11")


def test_impossible_date_is_null_but_keeps_year():
    f = fields_of("Số: 1/UBND\nKiến An, ngày 31 tháng 2 năm 2025\n")
    assert (f.date, f.date_year) == (None, 2025)


# ------------------------------------------------------------------ subject


def test_multi_line_subject_after_vv():
    f = fields_of(KIEN_AN_HEAD)
    assert f.subject == (
        "triển khai Kế hoạch bình chọn sản phẩm công nghiệp nông thôn tiêu biểu thành phố Hải Phòng năm 2025"
    )


def test_subject_under_title():
    f = fields_of(DECISION)
    assert f.subject == "Về việc thành lập Hội đồng xét chọn sản phẩm tiêu biểu năm 2025"


# ------------------------------------------------------------------ recipients / cc


def test_several_recipients_with_ragged_indentation():
    f = fields_of(KIEN_AN_HEAD)
    assert list(f.recipients) == [
        "Phòng Văn hoá – Xã hội",
        "Phòng Kinh tế, Hạ tầng và Đô thị",
        "Trung tâm Sự nghiệp công",
    ]


def test_single_inline_recipient():
    f = fields_of("Số: 5/UBND-VP\nV/v báo cáo\nKính gửi: Sở Tài chính thành phố Hải Phòng.\nThực hiện ...\n")
    assert list(f.recipients) == ["Sở Tài chính thành phố Hải Phòng"]


def test_em_dash_from_ocr_becomes_en_dash_and_wrapped_entries_stay_whole():
    text = (
        "Kính gửi:\n- Phòng Văn hoá — Xã hội;\n- Các doanh nghiệp trong Khu kinh tế Đình Vũ\n"
        "– Cát Hải và các khu công nghiệp;\n- Chi nhánh Phòng Thương mại tại Hải\nPhòng.\n\nThực hiện …\n"
    )
    assert list(fields_of(text).recipients) == [
        "Phòng Văn hoá – Xã hội",
        "Các doanh nghiệp trong Khu kinh tế Đình Vũ – Cát Hải và các khu công nghiệp",
        "Chi nhánh Phòng Thương mại tại Hải Phòng",
    ]


def test_cc_includes_luu():
    assert list(fields_of(KIEN_AN_HEAD).cc) == ["Như kính gửi", "Lưu: VT, KTHTĐT"]


def test_cc_with_signature_printed_beside_it():
    text = (
        "Nơi nhận:                         KT. CHỦ TỊCH\n"
        "- Như trên;                        PHÓ CHỦ TỊCH\n"
        "- Lưu: VT.\n\nLê Văn Ba\n"
    )
    f = fields_of(text)
    assert list(f.cc) == ["Như trên", "Lưu: VT"]
    assert f.signer == Signer("Lê Văn Ba", "Phó Chủ tịch", "KT. Chủ tịch")


# ------------------------------------------------------------------ references / deadlines


def test_references_with_dates_and_issuers_across_lines():
    refs = fields_of(KIEN_AN_HEAD).references
    assert refs == (
        Reference("Kế hoạch", "225", "KH-UBND", "2025-09-03", "Ủy ban nhân dân thành phố", family="state",
                  key="225-KH-UBND"),
        Reference("Công văn", "4632", "SCT-QLCN", "2025-09-04", "Sở Công Thương", family="state",
                  key="4632-SCT-QLCN"),
    )  # fmt: skip


def test_references_survive_ocr_damage():
    refs = fields_of(KIEN_AN_OCR).references
    assert (refs[0].number, refs[0].symbol, refs[0].date) == ("225", "KH-UBND", "2025-09-03")


def test_reference_with_worded_date_and_year_symbol():
    refs = fields_of(DECISION).references
    assert refs == (Reference("Quyết định", "15", "2024/QĐ-UBND", "2024-04-12", "Ủy ban nhân dân thành phố",
                              family="state", cited_in="basis", key="15-2024-QD-UBND"),)  # fmt: skip


def test_generic_van_ban_reference_takes_type_from_symbol():
    f = fields_of("Kính gửi: Các Sở\nSở có văn bản số 24/TB-SKHCN ngày 14/02/2025 thông báo.\n")
    assert f.references == (Reference("Thông báo", "24", "TB-SKHCN", "2025-02-14", family="state", key="24-TB-SKHCN"),)


def test_deadline_truoc_ngay_with_its_sentence():
    (d,) = fields_of(KIEN_AN_HEAD).deadlines
    assert d.date == "2025-10-03"
    assert d.text.startswith("Tổng hợp, đăng ký sản phẩm") and "trước ngày 03/10/2025" in d.text


def test_deadline_cham_nhat_worded_date_and_dedup_of_two_cues():
    assert [d.date for d in fields_of(DECISION).deadlines] == ["2025-06-30"]
    f = fields_of("Thời hạn tiếp nhận hồ sơ: trước ngày 01/7/2025.\n")
    assert f.deadlines == (Deadline("2025-07-01", "Thời hạn tiếp nhận hồ sơ: trước ngày 01/7/2025."),)


def test_deadline_without_year_uses_document_year():
    f = fields_of("Số: 2/UBND\nKiến An, ngày 3 tháng 9 năm 2025\nĐề nghị gửi báo cáo hạn nộp trước 15/10.\n")
    assert [d.date for d in f.deadlines] == ["2025-10-15"]


def test_no_deadline_without_a_date():
    assert fields_of("Trong thời hạn 15 ngày kể từ ngày nhận được văn bản này.\n").deadlines == ()


# ------------------------------------------------------------------ signer / marks


def test_signer_with_tm_and_kt():
    assert fields_of(KIEN_AN_HEAD).signer == Signer(
        "Nguyễn Tùng Lâm", "Phó Chủ tịch", "KT. Chủ tịch", "TM. Ủy ban nhân dân"
    )


def test_signer_without_authority():
    assert fields_of(DECISION).signer == Signer("Phạm Văn Minh", "Giám đốc")


def test_urgency_and_secrecy_stamps():
    f = fields_of(
        "UBND TỈNH NAM ĐỊNH\nSỞ TÀI CHÍNH\nSố: 9/STC-NS\nHỎA TỐC\nMẬT\nNam Định, ngày 1 tháng 1 năm 2025\n"
    )
    assert (f.urgency, f.secrecy) == ("Hỏa tốc", "Mật")
    assert f.issuer == "Sở Tài chính"


def test_no_marks_from_body_words():
    f = fields_of(KIEN_AN_HEAD + "\nGiữ bí mật thông tin; việc khẩn cấp.\n")
    assert (f.urgency, f.secrecy) == (None, None)


# ------------------------------------------------------------------ layout blocks and provenance


def test_blocks_are_hints_and_provenance_points_into_the_block():
    header = "ỦY BAN NHÂN DÂN\nPHƯỜNG KIẾN AN\nSố: 88/UBND-VP"
    right = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nKiến An, ngày 11 tháng 9 năm 2025"
    body = "Kính gửi: Phòng Tài chính\nĐề nghị báo cáo trước ngày 20/9/2025."
    page = PageText(
        0, (TextBlock("header_left", header), TextBlock("header_right", right), TextBlock("body", body))
    )
    f = extract_fields([page])
    assert (f.number, f.issuer, f.date) == ("88", "Ủy ban nhân dân phường Kiến An", "2025-09-11")
    p = f.provenance["date"]
    assert p.block == "header_right" and right[p.start : p.end].startswith("ngày 11")
    p = f.provenance["number"]
    assert (p.page, p.block, header[p.start : p.end]) == (0, "header_left", "88")


def test_second_page_provenance():
    p1 = PageText(0, (TextBlock("body", KIEN_AN_HEAD.split("Nơi nhận")[0]),))
    p2 = PageText(1, (TextBlock("signature", "Nơi nhận:\n- Lưu: VT.\nCHỦ TỊCH\nTrần Văn Hai"),))
    f = extract_fields([p1, p2])
    assert f.signer.name == "Trần Văn Hai"
    assert (f.provenance["signer"].page, f.provenance["signer"].block) == (1, "signature")


def test_json_round_trip_and_empty_input():
    f = fields_of(KIEN_AN_HEAD)
    data = json.loads(json.dumps(f.to_json(with_provenance=True), default=lambda o: o.__dict__))
    assert set(data["provenance"]) >= {"symbol", "issuer", "date", "recipients", "signer"}
    assert extract_fields([]).to_json() == type(f)().to_json()


def test_pipeline_components_are_named_and_swappable():
    nlp = get_nlp()
    assert nlp.lang == "vi"
    assert {"cues", "number", "doc_type", "issuer", "signer", "deadlines"} <= set(nlp.pipe_names)
    assert nlp.get_pipe_meta("number").factory == "vanban_number"


def test_every_component_gets_what_it_requires_from_an_earlier_one():
    """The order lives in the factories' declarations, not only in config.cfg: spaCy checks it."""
    nlp = get_nlp()
    assert all(not problems for problems in nlp.analyze_pipes()["problems"].values())
    declared = {a for name in nlp.pipe_names for a in nlp.get_pipe_meta(name).assigns}
    assert {f"doc._.vb_{name}" for name in Fields().to_json()} <= declared  # every field has an assigner
    # the issuer read before the place and date it stops at: reported
    config = nlp.config.copy()
    pipes = list(config["nlp"]["pipeline"])
    pipes.remove("issuer")
    pipes.insert(pipes.index("number"), "issuer")
    config["nlp"]["pipeline"] = pipes
    moved = spacy.blank("vi", config=config)
    assert set(moved.analyze_pipes()["problems"]["issuer"]) == {
        "doc._.vb_number", "doc._.vb_symbol", "doc._.vb_so_line", "doc._.vb_place", "doc._.vb_date",
        "doc._.vb_title_end",
    }  # fmt: skip


def test_extract_package_has_no_import_cycle():
    graph: dict[str, set[str]] = {}
    package = Path(pipeline.extract.__file__).parent
    for path in package.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        names |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        graph[path.stem] = {n.rsplit(".", 1)[1] for n in names if n.startswith("pipeline.extract.")}
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, f"import cycle: {' -> '.join((*path, node))}"
        if node not in done:
            for dep in graph.get(node, ()):
                visit(dep, (*path, node))
            done.add(node)

    for node in graph:
        visit(node, ())


def test_fields_are_frozen_typed_records_and_json_is_the_contract():
    f = fields_of(KIEN_AN_HEAD)
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.number = "1"  # type: ignore[misc]
    assert isinstance(f.signer, Signer) and all(isinstance(r, Reference) for r in f.references)
    data = f.to_json(with_provenance=True)
    assert data["signer"] == {"name": "Nguyễn Tùng Lâm", "title": "Phó Chủ tịch", "authority": "KT. Chủ tịch",
                              "on_behalf_of": "TM. Ủy ban nhân dân"}  # fmt: skip
    assert data["deadlines"][0]["date"] == "2025-10-03" and isinstance(data["recipients"], list)
    assert Fields.from_json(json.loads(json.dumps(data))) == f
    # an archive written by a newer version: keys this one does not know are dropped, not fatal
    data["references"][0]["cited_as"] = "basis"
    data["colour"] = "red"
    assert Fields.from_json(data).references == f.references


# ------------------------------------------------------------------ the real documents


EXPECTED = {
    "cv-kien-an-binh-chon-san-pham-2025.txt": {
        "number": None, "symbol": "UBND-KTHT&ĐT", "doc_type": "Công văn",
        "issuer": "Ủy ban nhân dân phường Kiến An", "place": "Kiến An", "date": "2025-09-11",
        "references": [("225", "KH-UBND", "2025-09-03"), ("4632", "SCT-QLCN", "2025-09-04")],
        "deadlines": ["2025-10-03"], "signer": "Nguyễn Tùng Lâm", "n_recipients": 5,
    },
    "cv-bql-hang-viet-nam-2024.txt": {
        "number": None, "symbol": "BQL-DN&GSĐT", "doc_type": "Công văn",
        "issuer": "Ban Quản lý Khu kinh tế Hải Phòng", "place": "Hải Phòng", "date": None,
        "references": [("4409", "SCT-QLTM", None)], "deadlines": [], "signer": "Bùi Ngọc Hải",
        "n_recipients": 3,
    },
    "cv-skhcn-giai-thuong-chat-luong-2025.txt": {
        "number": None, "symbol": "SKHCN-CCTĐC", "doc_type": "Công văn", "issuer": "Sở Khoa học và Công nghệ",
        "place": "Hải Phòng", "date": None,
        "references": [("168", "TĐC-TCCL", "2025-01-20"), ("24", "TB-SKHCN", "2025-02-14"),
                       ("4038", "VP-VX", "2025-05-23")],
        "deadlines": ["2025-07-01"], "signer": "Phạm Việt Hùng", "n_recipients": 4,
    },
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_documents(name):
    exp = EXPECTED[name]
    f = fields_of((TEXTS / name).read_text(encoding="utf-8"))
    for key in ("number", "symbol", "doc_type", "issuer", "place", "date"):
        assert getattr(f, key) == exp[key], key
    assert [(r.number, r.symbol, r.date) for r in f.references] == exp["references"]
    assert [d.date for d in f.deadlines] == exp["deadlines"]
    assert f.signer.name == exp["signer"]
    assert len(f.recipients) == exp["n_recipients"]


# ---- OCR/restoration damage seen in the archived OCR of the sample scans (vanban ingest samples/)

WORST_HEAD = """ỦY BAN NHÂN DÂN
PHƯỜNG KIẾN AN
Số: /UBND-KTHT&ĐT
V/v triển khai Kế hoạch bình chọn sản
phẩm công nghiệp nông thôn tiêu biểu
__ thành phố Hải Phòng năm-2025

CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do-- Hạnh phúc
Kiến An, ngày 11 thẳng 9 năm 2025
:ư nh A - ⁄ xr~x1^°_.
"""


def test_date_with_wrong_marks_on_thang():
    """Restoration wrote 'thẳng' for 'tháng' (10-cv-kien-an-worst): place and date still read."""
    f = extract_text(WORST_HEAD)
    assert (f.place, f.date, f.date_year) == ("Kiến An", "2025-09-11", 2025)
    f = extract_text("Đề nghị gửi báo cáo trước ngày 03 thắng 10 nắm 2025.\n")
    assert [d.date for d in f.deadlines] == ["2025-10-03"]


GM_HEAD = """UBND THÀNH PHỐ HẢI PHÒNG
SỞ CÔNG THƯƠNG
Số: 118/GM-SCT

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hỏi Phòng, ngày 22 tháng 9 năm 2025

GIẤY MỜI
Dự Hội nghị tập huấn hướng dẫn đăng ký bình chọn sản phẩm
- Hiệp hội Doanh nghiệp nhỏ và vừa thành phố Hải Phòng.
Thực hiện Kế hoạch số 225/KH-UBND ngày 03/9/2025 của Ủy ban nhân
dân thành phố về tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu
thành phố Hải Phòng năm 2025, Sở Công Thương tổ chức Hội nghị tập huấn
"""


def test_place_with_one_misread_letter_takes_the_documents_spelling():
    """'HẢI PHÒNG' restored as 'Hỏi Phòng' in the place line (04-gm, 09-cv); the body spells it 3 times."""
    f = extract_text(GM_HEAD)
    assert f.place == "Hải Phòng" and f.provenance["place"].confidence < 0.9  # 0.9: a place read as printed
    # 'Hỏi Phòng' is no unit of the gazetteer: with nothing in the text to outvote it, the unit the
    # header names after its unit word ('THÀNH PHỐ HẢI PHÒNG'), at a lower confidence
    once = GM_HEAD.replace("thành phố Hải Phòng.", "thành phố.").replace("thành phố Hải Phòng năm", "năm")
    assert once.count("Hải Phòng") == 0 and once.count("HẢI PHÒNG") == 1
    f = extract_text(once)
    assert f.place == "Hải Phòng" and f.provenance["place"].confidence < 0.9
    assert f.place_unit.code == "31"


def test_place_damaged_past_its_marks_is_the_nearest_unit():
    """eng OCR + restoration read 'Hải Phòng, ngày 15 tháng 9 năm 2025' as 'Hadi Phong, ngày 15 tháng 9
    năm 2025' (samples/fields scans, four documents of Hải Phòng): the unit the header names."""
    text = GM_HEAD.replace("Hỏi Phòng", "Hadi Phong").replace("Hải Phòng", "Hà Nội")
    f = extract_text(text)
    assert (f.place, f.place_unit.name) == ("Hải Phòng", "thành phố Hải Phòng")
    # no unit word names it: the nearest province
    alone = text.replace("UBND THÀNH PHỐ HẢI PHÒNG", "BỘ CÔNG THƯƠNG")
    assert extract_text(alone).place == "Hải Phòng"
    # nothing near enough: kept as read
    assert extract_text(alone.replace("Hadi Phong", "Xyz Abc")).place == "Xyz Abc"


SEAL_SIGNATURE = """Quyết định có hiệu lực kể từ ngày ký. Kế hoạch bình chọn sản phẩm tiêu biểu thành
phố Hải Phòng năm 2025./.
Nơi nhận:
- Như Điều 3;
- Sở Công Thương (để b/c);
- CT, các PCT UBND phường:
- Lưu: VTj KTHTĐT.

KT. CHỦ TỊCH
= NÊN CHỦ TỊCH
.,
⁄ é BẠN “Hư XY
„ `
LAI PHÒNG
"""


def test_seal_text_under_the_signature_is_not_the_signer():
    """06-qd: the name was lost under the round seal and OCR read the seal's 'HẢI PHÒNG' as 'LAI PHÒNG'."""
    f = extract_text(SEAL_SIGNATURE)
    assert f.signer is not None and f.signer.name is None
    assert f.signer.authority == "KT. Chủ tịch"
    named = extract_text(SEAL_SIGNATURE.replace("LAI PHÒNG", "NGUYỄN TÙNG LÂM"))
    assert named.signer.name == "Nguyễn Tùng Lâm"


def test_cc_entries_repaired_from_ocr_reads():
    """'Lưu: VT, …' read as 'VE,' / 'VI' / 'VTj' (01, 03, 06, 12), a fax's '~' bullet and ':' for ';' (06, 11)."""
    text = """Nơi nhận:
~ Như Điều 3;
- CT, các PCT UBND phường:
- Lưu: VTj KTHTĐT.
"""
    assert list(extract_text(text).cc) == ["Như Điều 3", "CT, các PCT UBND phường", "Lưu: VT, KTHTĐT"]
    for read in ("Lưu: VE, CCTĐC.", "Lưu: VI CCTĐC.", "Lưu: VT CCTĐC."):
        assert list(extract_text(f"Nơi nhận:\n- Như trên;\n- {read}\n").cc) == ["Như trên", "Lưu: VT, CCTĐC"]
    # another office keeping the copy is not rewritten
    assert list(extract_text("Nơi nhận:\n- Như trên;\n- Lưu: VP, KT.\n").cc) == ["Như trên", "Lưu: VP, KT"]


def test_signature_title_without_seal_debris():
    """03-ttr: the seal left 'TA ^' under 'TRƯỞNG PHÒNG'; 06-qd: '= ' before the title line."""
    text = """Nơi nhận:
- Như trên;
- Lưu: VI KTHTĐT.

TRƯỞNG PHÒNG
TA ^
Vũ Thị Thanh Hương
"""
    f = extract_text(text)
    assert (f.signer.title, f.signer.name) == ("Trưởng phòng", "Vũ Thị Thanh Hương")
    f = extract_text(SEAL_SIGNATURE.replace("= NÊN", "= PHÓ"))
    assert f.signer.title == "Phó Chủ tịch"


def test_deadline_date_after_a_stray_stroke_on_the_next_line():
    """05-bc: 'trước ngày\\n-15/12/2025.' (a speck read as '-' before the wrapped date)."""
    text = """Kiến An, ngày 8 tháng 10 năm 2025
Rà soát các cơ sở gây ô nhiễm trong khu dân cư,
đề xuất phương án di dời vào cụm công nghiệp, hoàn thành trước ngày
-15/12/2025.
- Tiếp tục hỗ trợ các cơ sở đăng ký nhãn hiệu.
"""
    assert [d.date for d in extract_text(text).deadlines] == ["2025-12-15"]


def test_recipients_past_scan_specks():
    """04-gm: a speck line between entries; 10-cv: '; ˆ' after an entry and '-' read for the en dash."""
    text = """Kính gửi: -Ủy ban nhân dân các xã, phường, đặc khu;
=>... .. . ..ÝẺ.<

- Hiệp hội Doanh nghiệp nhỏ và vừa thành phố Hải Phòng.
Thực hiện Kế hoạch số 225/KH-UBND ngày 03/9/2025 của Ủy ban nhân dân thành phố.
"""
    assert list(extract_text(text).recipients) == [
        "Ủy ban nhân dân các xã, phường, đặc khu",
        "Hiệp hội Doanh nghiệp nhỏ và vừa thành phố Hải Phòng",
    ]
    text = "Kính gửi: - Phòng Văn hoá - Xã hội;\n- Trung tâm Sự nghiệp công; ˆ\n- Các Tổ dân phố;\nThực hiện.\n"
    assert extract_text(text).recipients == ("Phòng Văn hoá – Xã hội", "Trung tâm Sự nghiệp công", "Các Tổ dân phố")
    # '(để b/c)' wrapped onto its own line is part of the entry, not a speck
    assert list(extract_text("Nơi nhận:\n- Giám đốc Sở (để\nb/c);\n- Lưu: VT, QLCN.\n").cc) == [
        "Giám đốc Sở (để b/c)",
        "Lưu: VT, QLCN",
    ]


def test_signature_run_into_the_noi_nhan_column():
    """10-cv: OCR joined the two columns with one space ('- Như kính gửi; KT. CHỦ TỊCH')."""
    text = """Uỷ bạn nhân dân phường yêu cầu các cơ quan, đơn vị có liên quan thực hiện./.
Nơi nhận: TM. UỶ BAN NHÂN DÂN
- Như kính gửi; KT. CHỦ TỊCH
- Lưu: VT, KTHTĐT. PHÓ CHỦ TỊCH
⁄
~
Nguyễn Tùng Lâm
"""
    f = extract_text(text)
    assert list(f.cc) == ["Như kính gửi", "Lưu: VT, KTHTĐT"]
    assert f.signer == Signer("Nguyễn Tùng Lâm", "Phó Chủ tịch", "KT. Chủ tịch", "TM. Ủy ban nhân dân")
    # an entry ending in office acronyms is not split
    assert list(extract_text("Nơi nhận:\n- Như trên;\n- Lưu: VT, VP UBND.\n").cc) == ["Như trên", "Lưu: VT, VP UBND"]


def test_cited_symbol_type_misread_is_repaired_from_the_cited_type():
    """11-qd (fax): 'Tờ trình số 45/TI-KTHT&ĐT' — OCR read 'TTr' as 'TI'; the citation names the type."""
    text = "Theo đề nghị của Trưởng phòng Kinh tế tại Tờ trình số 45/TI-KTHT&ĐT ngày 12/9/2025.\n"
    (ref,) = extract_text(text).references
    got = (ref.doc_type, ref.number, ref.symbol, ref.date)
    assert got == ("Tờ trình", "45", "TTr-KTHT&ĐT", "2025-09-12")
    # a first part that is an issuer, not a misread type, is kept ('Công văn số 4632/SCT-QLCN')
    (ref,) = extract_text("Công văn số 4632/SCT-QLCN ngày 4/9/2025 của Sở Công Thương.\n").references
    assert ref.symbol == "SCT-QLCN"


# ------------------------------------------------------------------ long texts (issue 14 item 7)

FILLER = "Các phòng, đơn vị tuyên truyền, vận động các doanh nghiệp tích cực hưởng ứng tham gia bình chọn.\n"


@pytest.fixture
def small_pieces(monkeypatch):
    """The bounded reading with pieces small enough for a test to cross every border."""
    from pipeline.extract import reading

    for name, value in (("WHOLE", 10_000), ("HEAD", 3_000), ("TAIL", 3_000), ("WINDOW", 4_000), ("MARGIN", 600)):
        monkeypatch.setattr(reading, name, value)
    return reading


def long_letter(paragraphs: list[str]) -> str:
    head, tail = KIEN_AN_HEAD.split("Nơi nhận")
    return head + "".join(paragraphs) + "Nơi nhận" + tail


def test_long_text_is_read_in_bounded_pieces_with_the_same_fields(small_pieces):
    cited = [f"Thực hiện Quyết định số {n}/QĐ-UBND ngày {n % 28 + 1}/3/2025 của Ủy ban nhân dân thành phố.\n"
             for n in range(101, 131)]  # fmt: skip
    paragraphs = []
    for n, ref in enumerate(cited):
        paragraphs += [FILLER] * 9 + [ref]
        if n % 10 == 4:
            paragraphs.append(f"Các phòng báo cáo kết quả trước ngày {n + 1}/11/2025 để tổng hợp.\n")
    text = long_letter(paragraphs)
    assert len(text) > 6 * small_pieces.WINDOW
    short, long = fields_of(KIEN_AN_HEAD), fields_of(text)
    for key in ("number", "symbol", "doc_type", "issuer", "place", "date", "subject", "recipients", "cc", "signer"):
        assert getattr(long, key) == getattr(short, key), key
        assert long.provenance[key] == short.provenance[key] or key in ("cc", "signer"), key
    assert [r.number for r in long.references] == ["225", "4632"] + [str(n) for n in range(101, 131)]
    assert long.references[-1] == Reference("Quyết định", "130", "QĐ-UBND", "2025-03-19", "Ủy ban nhân dân thành phố",
                                            family="state", key="130-QD-UBND")  # fmt: skip
    assert [d.date for d in long.deadlines] == ["2025-10-03", "2025-11-05", "2025-11-15", "2025-11-25"]
    sig = long.provenance["signer"]
    assert text[sig.start : sig.end].endswith("Nguyễn Tùng Lâm")
    ref = long.provenance["references"]
    assert text[ref.start :].startswith("Kế hoạch số 225") and text[: ref.end].endswith("thành phố")


def test_a_citation_across_a_window_border_is_found_once(small_pieces):
    ref = (
        "Thực hiện Kế hoạch số 77/KH-UBND ngày 05/6/2025 của Ủy ban nhân dân thành phố, "
        "báo cáo trước ngày 20/6/2025.\n"
    )
    for shift in range(-120, 121, 15):  # the citation and its deadline moved over the first border
        filler = FILLER * ((small_pieces.WINDOW - 200) // len(FILLER))
        text = long_letter([filler + "x" * (200 + shift) + "\n", ref, FILLER * 150])
        f = fields_of(text)
        assert [(r.number, r.date) for r in f.references].count(("77", "2025-06-05")) == 1, shift
        assert [d.date for d in f.deadlines].count("2025-06-20") == 1, shift


def test_memory_is_flat_in_the_length_of_the_text(small_pieces):
    import tracemalloc

    def peak(n: int) -> int:
        text = long_letter([FILLER] * n)
        tracemalloc.start()
        fields_of(text)
        used = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return used

    fields_of(KIEN_AN_HEAD)  # models and patterns loaded before measuring
    small, large = peak(150), peak(1200)  # 15 and 120 thousand characters
    assert large < 1.5 * small  # read whole, the larger text takes about 7 times as much


def test_over_long_tokens_pass_through():
    for junk in ("a" * 150_000, "1/" * 15_000, "Ủy " * 10_000, "-" * 30_000):
        f = fields_of(f"Số: 12/UBND\nKiến An, ngày 1 tháng 2 năm 2025\n{junk}\nKế hoạch số 5/KH-UBND ngày 1/2/2025.\n")
        assert (f.number, f.date) == ("12", "2025-02-01")
        assert ("5", "KH-UBND") in [(r.number, r.symbol) for r in f.references]


@pytest.mark.slow
def test_vanban_fields_on_a_text_over_a_million_characters(tmp_path, capsys):
    """spaCy refuses a Doc over 1,000,000 characters: read whole, this was a ValueError traceback."""
    from pipeline.cli import main

    path = tmp_path / "long.txt"
    text = long_letter([FILLER] * 11_000)
    assert len(text) > 1_000_000
    path.write_text(text, encoding="utf-8")
    assert main(["fields", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["issuer"], data["date"], data["signer"]["name"]) == (
        "Ủy ban nhân dân phường Kiến An", "2025-09-11", "Nguyễn Tùng Lâm"
    )  # fmt: skip


# ------------------------------------------------------------------ issue 13: every example of the issue


def one_ref(text: str) -> Reference:
    (ref,) = extract_text(text).references
    return ref


@pytest.mark.parametrize(
    ("text", "doc_type", "number", "symbol", "date", "issuer"),
    [
        ("Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển.",
         "Nghị quyết", "57", "NQ/TW", "2024-12-22", "Bộ Chính trị"),
        ("Triển khai Chỉ thị số 41-CT/TW ngày 05/02/2025 của Ban Bí thư.", "Chỉ thị", "41", "CT/TW", "2025-02-05",
         "Ban Bí thư"),
        ("Thực hiện Chỉ thị 46-CT/TU ngày 05/5/2025 của Ban Thường vụ Thành ủy.", "Chỉ thị", "46", "CT/TU",
         "2025-05-05", "Ban Thường vụ Thành ủy"),
        ("Theo Kết luận số 127-KL/TW ngày 28/02/2025 của Bộ Chính trị, Ban Bí thư về sắp xếp bộ máy.", "Kết luận",
         "127", "KL/TW", "2025-02-28", "Bộ Chính trị, Ban Bí thư"),
        ("Theo Hướng dẫn số 05-HD/BTCTW ngày 14/01/2025 của Ban Tổ chức Trung ương.", "Hướng dẫn", "05", "HD/BTCTW",
         "2025-01-14", "Ban Tổ chức Trung ương"),
        ("Thực hiện Quy định số 24-QĐ/TW ngày 30/7/2021 của Ban Chấp hành Trung ương.", "Quy định", "24", "QĐ/TW",
         "2021-07-30", "Ban Chấp hành Trung ương"),
        ("Thực hiện Nghị quyết số 57- NQ/TW ngày 22/12/2024 của Bộ Chính trị.", "Nghị quyết", "57", "NQ/TW",
         "2024-12-22", "Bộ Chính trị"),
        ("Thực hiện Nghị quyết số 57-\nNQ/TW ngày 22/12/2024 của Bộ Chính trị.", "Nghị quyết", "57", "NQ/TW",
         "2024-12-22", "Bộ Chính trị"),
    ],
)  # fmt: skip
def test_party_references(text, doc_type, number, symbol, date, issuer):
    ref = one_ref(text)
    assert (ref.doc_type, ref.number, ref.symbol, ref.date, ref.issuer) == (doc_type, number, symbol, date, issuer)
    assert ref.family == "party" and ref.key == f"{int(number)}-{symbol.replace('/', '-').replace('Đ', 'D')}"


def test_one_key_for_the_ways_a_party_reference_is_written():
    keys = {reference_key(t) for t in ("57-NQ/TW", "57- NQ/TW", "57/NQ-TW", "57 - NQ / TW", "057-NQ/TW")}
    assert keys == {"57-NQ-TW"}
    assert one_ref("Nghị quyết số 57/NQ-TW ngày 22/12/2024 của Bộ Chính trị.").key == "57-NQ-TW"
    assert reference_key("2159/QĐ-UBND") == reference_key("2159/QD-UBND") != reference_key("2159/QĐ-UBTVQH15")


def test_legal_basis_block_with_a_law_its_number_and_the_decree_beside_it():
    text = (
        "QUYẾT ĐỊNH\nVề việc thành lập Tổ công tác\nỦY BAN NHÂN DÂN THÀNH PHỐ\n"
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025;\n"
        "Căn cứ Nghị định số 150/2025/NĐ-CP ngày 12 tháng 6 năm 2025 của Chính phủ;\n"
        "Căn cứ Nghị quyết số 1669/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội;\n"
        "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 318/TTr-SNV ngày 30/6/2025.\n"
        "QUYẾT ĐỊNH:\nĐiều 1. Thực hiện theo Nghị định số 150/2025/NĐ-CP.\n"
    )
    law, decree, resolution, submission = extract_text(text).references
    assert law == Reference("Luật", "72", "2025/QH15", "2025-06-16", "Quốc hội",
                            "Luật Tổ chức chính quyền địa phương", "law", "basis", "72-2025-QH15")  # fmt: skip
    assert (decree.key, decree.date, decree.family, decree.cited_in) == (
        "150-2025-ND-CP", "2025-06-12", "state", "basis")  # fmt: skip
    assert (resolution.family, resolution.issuer, resolution.cited_in) == (
        "law", "Ủy ban Thường vụ Quốc hội", "basis")  # fmt: skip
    assert (submission.key, submission.cited_in) == ("318-TTR-SNV", "body")


def test_joint_reference_and_a_basis_list_continued_after_a_semicolon():
    text = (
        "Căn cứ Nghị định số 90/2020/NĐ-CP ngày 13/8/2020 của Chính phủ; Thông tư liên tịch số "
        "01/2025/TTLT-BNV-BTC ngày 10/3/2025 của Bộ Nội vụ và Bộ Tài chính;\nSở Nội vụ hướng dẫn như sau:\n"
    )
    decree, joint = extract_text(text).references
    assert (joint.doc_type, joint.number, joint.symbol, joint.date) == ("Thông tư liên tịch", "01", "2025/TTLT-BNV-BTC",
                                                                       "2025-03-10")  # fmt: skip
    assert (joint.family, joint.key, joint.issuer, joint.cited_in) == (
        "joint", "1-2025-TTLT-BNV-BTC", "Bộ Nội vụ và Bộ Tài chính", "basis")  # fmt: skip
    assert decree.cited_in == "basis"


def test_law_cited_by_name_alone():
    ref = one_ref("Căn cứ Luật Tổ chức Chính phủ ngày 19 tháng 6 năm 2015;\n")
    assert (ref.doc_type, ref.number, ref.title, ref.date, ref.issuer, ref.family, ref.key) == (
        "Luật", None, "Luật Tổ chức Chính phủ", "2015-06-19", "Quốc hội", "law", None)  # fmt: skip


def test_law_cited_by_name_and_year():
    """'Luật Đất đai năm 2003' (sets 55, 70, 73): the law of that year, no date; not where the subject names it
    nor a subject's scope ('… trên địa bàn huyện Đại Lộc năm 2012'), nor again where its number is cited."""
    refs = extract_text("Tuân thủ Luật Báo chí năm 2016 và Luật Quản lý thuế 2019 trong hoạt động.").references
    assert [(r.doc_type, r.title, r.date, r.issuer) for r in refs] == [
        ("Luật", "Luật Báo chí", None, "Quốc hội"), ("Luật", "Luật Quản lý thuế", None, "Quốc hội")]  # fmt: skip
    assert extract_text("Kế hoạch triển khai Luật Lưu trữ\ntrên địa bàn huyện Đại Lộc năm 2012.").references == ()
    numbered = "Thực hiện Luật Đất đai số 31/2024/QH15 ngày 18 tháng 01 năm 2024; phổ biến Luật Đất đai năm 2024."
    assert [r.key for r in extract_text(numbered).references] == ["31-2024-QH15"]
    subject = "UBND TỈNH X\nSỞ TƯ PHÁP\nSố: 12/STP-VP\nV/v triển khai Luật Đất đai năm 2024\nKính gửi: UBND các huyện\n"
    assert extract_text(subject).references == ()


@pytest.mark.parametrize(
    ("text", "date", "where"),
    [
        ("Căn cứ Nghị quyết của Quốc hội về việc chia và điều chỉnh địa giới hành\nchính một số tỉnh ngày 06 tháng 11 "
         "năm 1996;\n", "1996-11-06", "basis"),
        ("Thực hiện Nghị quyết kỳ họp thứ 10 Quốc hội khoá IX ngày 06/11/1996 về việc chia và điều chỉnh địa giới.",
         "1996-11-06", "body"),
        ("Thực hiện Nghị quyết của Quốc hội khoá IX, kỳ họp thứ 10 về việc chia và điều chỉnh địa giới hành chính "
         "một số tỉnh, từ ngày 01/01/1997 huyện Vĩnh Lợi trực thuộc tỉnh Bạc Liêu.", None, "body"),
    ],
)
def test_resolution_of_the_quoc_hoi_before_it_had_numbers(text, date, where):
    """Set 77 (1997–2006): the Quốc hội's resolutions before 2002 had no number; one is cited by its session,
    subject or date ('từ ngày 01/01/1997' is when it took effect, not its date)."""
    ref = one_ref(text)
    assert (ref.doc_type, ref.number, ref.issuer, ref.date, ref.cited_in) == (
        "Nghị quyết", None, "Quốc hội", date, where)  # fmt: skip


def test_resolutions_of_the_quoc_hoi_in_general_are_no_reference():
    assert extract_text("Triển khai các Nghị quyết của Quốc hội, Chính phủ về phát triển kinh tế.").references == ()
    assert extract_text("Thực hiện Nghị quyết của Quốc hội, Chính phủ.").references == ()


def test_reference_in_damaged_restored_text():
    ref = one_ref("Thực hiện Nghi quyét s6 21/NQ-HPND ngay 14/7/2025 của Hội đồng nhân dân thành phố.")
    assert (ref.doc_type, ref.number, ref.symbol, ref.date, ref.key) == (
        "Nghị quyết", "21", "NQ-HĐND", "2025-07-14", "21-NQ-HDND")  # fmt: skip
    # an abbreviation that is itself a type is not 'repaired' ('HD' Hướng dẫn is no 'HĐ')
    assert one_ref("Theo Hướng dẫn số 05-HD/BTCTW ngày 14/01/2025.").symbol == "HD/BTCTW"


def test_no_reference_from_a_span_of_years():
    assert extract_text("Chương trình 2021-2025 và Kế hoạch 5 năm 2026-2030 của thành phố.").references == ()


def test_damaged_header_line_by_position_and_shape():
    text = "UY BAN NHAN DAN\nPHUONG KIEN AN\n$6: /KH-UBND Kién An, ngay 2 thang 10 nam 2025\nKẾ HOẠCH\nTriển khai\n"
    f = extract_text(text)
    assert (f.number, f.symbol, f.place, f.date, f.doc_type) == (None, "KH-UBND", "Kiến An", "2025-10-02", "Kế hoạch")
    assert f.issuer == "Ủy ban nhân dân phường Kiến An"
    assert f.provenance["symbol"].confidence < 0.95  # read from a damaged 'Số'
    assert text[f.provenance["place"].start : f.provenance["place"].end] == "Kién An"


def test_party_header_and_signature():
    text = (
        "BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nSố 57-NQ/TW\n\nĐẢNG CỘNG SẢN VIỆT NAM\nHà Nội, ngày 22 tháng 12 năm 2024\n\n"
        "NGHỊ QUYẾT\nCỦA BỘ CHÍNH TRỊ\nvề đột phá phát triển khoa học, công nghệ\n\n"
        "Thực hiện Nghị quyết số 52-NQ/TW ngày 27/9/2019 của Bộ Chính trị, các cấp ủy quán triệt.\n\n"
        "Nơi nhận:\n- Các tỉnh ủy, thành ủy,\n- Lưu Văn phòng Trung ương Đảng.\n\n"
        "T/M BỘ CHÍNH TRỊ\nTỔNG BÍ THƯ\n\nTrần Quốc Vĩnh\n"
    )
    f = extract_text(text)
    assert (f.number, f.symbol, f.doc_type, f.date) == ("57", "NQ/TW", "Nghị quyết", "2024-12-22")
    assert (f.issuer, f.parent_issuer) == ("Bộ Chính trị", "Ban Chấp hành Trung ương")
    assert f.subject == "về đột phá phát triển khoa học, công nghệ"
    assert f.signer == Signer("Trần Quốc Vĩnh", "Tổng Bí thư", None, "T/M Bộ Chính trị")
    assert [r.key for r in f.references] == ["52-NQ-TW"]  # its own 'Số 57-NQ/TW' is no citation
    assert f.issuer_unit == Entity("Bộ Chính trị", "central", parent="Ban Chấp hành Trung ương")


def test_party_committee_named_under_its_dang_bo():
    text = (
        "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG\nTHÀNH ỦY\n*\nSố 46-CT/TU\n"
        "ĐẢNG CỘNG SẢN VIỆT NAM\nHải Phòng, ngày 5 tháng 5 năm 2025\n"
    )
    f = extract_text(text)
    assert (f.issuer, f.parent_issuer, f.number, f.symbol) == (
        "Thành ủy Hải Phòng", "Đảng bộ thành phố Hải Phòng", "46", "CT/TU")  # fmt: skip
    assert (f.issuer_unit.level, f.issuer_unit.code) == ("province", "31")


@pytest.mark.parametrize(
    ("lines", "urgency", "secrecy"),
    [
        ("MẬT\nỦY BAN NHÂN DÂN\nTHÀNH PHỐ HẢI PHÒNG\nSố: 5412/UBND-NC\n", None, "Mật"),  # first line of the page
        ("BỘ TÀI CHÍNH\nSố: 11250/BTC-NSNN\nKHẨN\nHà Nội, ngày 28/7/2025\n", "Khẩn", None),  # under the number
        ("MẬT CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSố: 9/STC-NS\n", None, "Mật"),  # run into the motto beside it
        ("KHẨN\nSố: 1/UBND\nHỎA TỐC\nMẬT\nTỐI MẬT\n", "Hỏa tốc", "Tối mật"),  # the highest of several
        ("SỞ NỘI VỤ\nSố: 95/TTr-SNV\n‘KHẨN:\n", "Khẩn", None),  # specks read around it (held-out set 20, eng)
        ("SỞ NỘI VỤ\nSố: 95/TTr-SNV\n[MẬT]\n", None, "Mật"),  # its frame's edges read as brackets
    ],
)
def test_stamps_wherever_they_stand(lines, urgency, secrecy):
    f = extract_text(lines)
    assert (f.urgency, f.secrecy) == (urgency, secrecy)


def test_document_takes_the_highest_secrecy_any_page_shows():
    p1 = PageText(0, (TextBlock("header_left", "SỞ TÀI CHÍNH\nSố: 9/STC-NS"), TextBlock("stamp", "MẬT")))
    p2 = PageText(1, (TextBlock("body", "Nội dung trang hai."), TextBlock("stamp", "TỐI MẬT")))
    f = extract_fields([p1, p2])
    assert f.secrecy == "Tối mật" and (f.provenance["secrecy"].page, f.provenance["secrecy"].block) == (1, "stamp")


def test_issuer_inferred_from_the_body_is_a_low_confidence_guess():
    text = (
        "KẾ HOẠCH\nTriển khai Kế hoạch bình chọn sản phẩm công nghiệp nông thôn tiêu biểu\n"
        "Thực hiện Kế hoạch số 225/KH-UBND ngày 03/9/2025 của Ủy ban nhân dân thành phố Hải Phòng về tổ chức "
        "bình chọn sản phẩm, Ủy ban nhân dân (UBND) phường ban hành Kế hoạch triển khai như sau:\n"
        "Tuyên truyền, vận động các cơ sở trên địa bàn phường Kiến An tham gia bình chọn.\n"
    )
    f = extract_text(text)
    assert f.issuer == "Ủy ban nhân dân phường Kiến An"  # not the city it quotes
    assert f.provenance["issuer"].guess and f.provenance["issuer"].confidence <= 0.5
    assert f.provenance["issuer_unit"].guess
    assert f.doc_type == "Kế hoạch" and not f.provenance["doc_type"].guess
    # a ward that the text never names: no name is made up for it
    assert extract_text(text.replace("phường Kiến An", "phường")).issuer is None


def test_no_header_at_all_gives_absent_fields_never_invented():
    f = extract_text("Các phòng, đơn vị triển khai thực hiện nội dung trên.\nĐề nghị báo cáo trước ngày 30/9/2025.\n")
    data = f.to_json()
    assert [d.date for d in f.deadlines] == ["2025-09-30"]
    del data["deadlines"]
    assert all(v in (None, []) for v in data.values()), data


def test_place_and_issuer_normalised_against_the_gazetteer_and_central_bodies():
    f = fields_of(KIEN_AN_HEAD)
    assert f.place_unit == Entity("phường Kiến An", "commune", "11443", "thành phố Hải Phòng", "thành phố Hải Phòng",
                                  "2025")  # fmt: skip
    assert f.issuer_unit.name == "Ủy ban nhân dân phường Kiến An" and f.issuer_unit.code == "11443"
    # before 1 July 2025 Kiến An was a quận (district) of Hải Phòng
    old = fields_of(KIEN_AN_HEAD.replace("PHƯỜNG KIẾN AN", "QUẬN KIẾN AN").replace("năm 2025", "năm 2024"))
    assert (old.place_unit.name, old.place_unit.level, old.place_unit.era) == ("quận Kiến An", "district", "pre2025")
    dept = fields_of(DECISION)  # 'UBND THÀNH PHỐ HẢI PHÒNG / SỞ KHOA HỌC VÀ CÔNG NGHỆ', March 2025: earlier map
    assert dept.issuer_unit == Entity(
        "Sở Khoa học và Công nghệ thành phố Hải Phòng", "province", "31", "Ủy ban nhân dân thành phố Hải Phòng",
        "thành phố Hải Phòng", "pre2025",
    )  # fmt: skip
    ministry = extract_text("BỘ NỘI VỤ\nSố: 2740/BNV-TCBC\nHà Nội, ngày 12 tháng 5 năm 2025\n")
    assert ministry.issuer_unit == Entity("Bộ Nội vụ", "central", parent="Chính phủ")
    assert ministry.place_unit.code == "01"
    # the city the law capitalises whole (Nghị định 30/2020, Phụ lục II): 'Thành phố Hồ Chí Minh'
    hcm = fields_of(DECISION.replace("HẢI PHÒNG", "HỒ CHÍ MINH").replace("Hải Phòng, ngày", "TP. Hồ Chí Minh, ngày"))
    assert hcm.to_json()["parent_issuer"] == "Ủy ban nhân dân Thành phố Hồ Chí Minh"
    assert hcm.issuer_unit.name == "Sở Khoa học và Công nghệ Thành phố Hồ Chí Minh" and hcm.issuer_unit.code == "79"
    city = extract_text("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSố: 12/QĐ-UBND\nTP. Hồ Chí Minh, ngày 2/10/2025\n")
    assert city.issuer == "Ủy ban nhân dân Thành phố Hồ Chí Minh"
    assert city.issuer_unit.province == "Thành phố Hồ Chí Minh"


@pytest.mark.slow
@pytest.mark.parametrize("variant", [{}, {"stamp_box": False}, {"stamp_color": "red"}, {"stamp_at": None}])
def test_stamps_survive_the_scan(variant):
    """A boxed stamp (Tesseract drops a framed word) and a red one (lifted out with the seals) are read:
    the layout gives a framed stamp its own 'stamp' block, cropped inside the frame, and cleanup keeps
    red ink in the shape of a stamp; the first line of this page is its MẬT stamp."""
    import cv2
    import numpy as np

    from pipeline.image import clean_page
    from pipeline.ocr import ocr_page
    from pipeline.settings import CleanupSettings
    from pipeline.types import PageImage
    from scripts.samplegen import Document, render_document

    data = {
        "doc_type": "Công văn", "number": "5412", "symbol": "UBND-NC", "issuer_lines": ["ỦY BAN NHÂN DÂN",
        "THÀNH PHỐ HẢI PHÒNG"], "place": "Hải Phòng", "day": 18, "month": 8, "year": 2025,
        "subject": "V/v bàn giao hồ sơ, tài liệu lưu trữ", "recipients": ["Sở Nội vụ."], "secrecy": "Mật",
        "stamp_at": "top", "body": ["Đề nghị Sở Nội vụ kiểm tra việc bàn giao, báo cáo trước ngày 30/9/2025./."],
        "cc": ["Như trên;", "Lưu: VT."], "signature": {"lines": ["CHỦ TỊCH"], "name": "Lê Ngọc Châu"},
        **variant,
    }  # fmt: skip
    page = render_document(Document("stamp", data), dpi=300)[0]
    clean = clean_page(PageImage("stamp", 0, cv2.cvtColor(np.asarray(page), cv2.COLOR_RGB2BGR), 300), CleanupSettings())
    if data.get("stamp_box", True) and data.get("stamp_color") != "red":
        assert "stamp" in [b.kind for b in clean.blocks]
    ocr = ocr_page(clean, lang="vie")
    f = extract_fields([PageText(0, ocr.blocks)])
    assert f.secrecy == "Mật"
    assert f.symbol == "UBND-NC"


@pytest.mark.slow
def test_red_stamp_whose_letters_fill_its_frame():
    """heldout17 (a Party inspection committee's Thông báo, Liberation Serif, yellow paper saved as JPEG): a
    red boxed MẬT whose letters fill the frame came out of the stacked reading empty, so the page was not
    marked secret through vie; the stamp is read again alone, inside its frame."""
    import cv2
    import numpy as np

    from pipeline.image import clean_page
    from pipeline.ocr import ocr_page
    from pipeline.settings import CleanupSettings
    from pipeline.types import PageImage
    from pipeline.vietnamese import fold
    from scripts.samplegen import degrade, load_document, render_document

    root = Path(__file__).resolve().parents[1]
    doc = load_document(root / "samples/fields/heldout17/tb-ubkt-huyen-uy-phu-giao-ket-luan-kiem-tra-2023.json")
    page, info = degrade(render_document(doc, 300, "Liberation Serif")[0], ("yellow", "jpeg"), seed=80, dpi=300)
    image = cv2.cvtColor(np.asarray(page.convert("RGB")), cv2.COLOR_RGB2BGR)
    clean = clean_page(PageImage("mat", 0, image, info["dpi"]), CleanupSettings())
    for lang in ("vie", "eng"):
        ocr = ocr_page(clean, lang=lang)
        assert "MAT" in fold(" ".join(b.text for b in ocr.blocks if b.kind == "stamp")).upper()
        assert extract_fields([PageText(0, ocr.blocks)]).secrecy == "Mật"


@pytest.mark.slow
def test_red_stamp_whose_letters_run_into_its_frame():
    """heldout27 (a museum's Tờ trình, Tinos, yellow paper saved as JPEG): a red boxed KHẨN above the header,
    its bold letters joined to the frame at the layout's scale, was no frame there (too much ink inside),
    so no stamp block: the stacked reading of the header dropped the framed word and the page had no
    urgency through vie or eng. A frame is also one whose inside holds ink but no full row."""
    import cv2
    import numpy as np

    from pipeline.image import clean_page
    from pipeline.ocr import ocr_page
    from pipeline.settings import CleanupSettings
    from pipeline.types import PageImage
    from scripts.samplegen import degrade, load_document, render_document

    root = Path(__file__).resolve().parents[1]
    doc = load_document(root / "samples/fields/heldout27/ttr-bao-tang-dong-nai-khan-trung-bay-chuyen-de-2025.json")
    page, info = degrade(render_document(doc, 300, "Tinos")[0], ("yellow", "jpeg"), seed=60, dpi=300)
    image = cv2.cvtColor(np.asarray(page.convert("RGB")), cv2.COLOR_RGB2BGR)
    clean = clean_page(PageImage("khan", 0, image, info["dpi"]), CleanupSettings())
    assert [b.kind for b in clean.blocks][:2] == ["stamp", "header_left"]
    for lang in ("vie", "eng"):
        ocr = ocr_page(clean, lang=lang)
        assert extract_fields([PageText(0, ocr.blocks)]).urgency == "Khẩn"


# ------------------------------------------------------------------ scans through Latin-model OCR (issue 13)
# Lines as Tesseract `eng` + restoration gave them on the field evaluation set's scans (samples/fields).


def test_place_and_date_line_with_specks_between_its_parts():
    """gm-ubnd-kien-an-hoi-nghi: 'Kiến An, ngày 13 tháng 10: năm 2025' was missed and the body's 'thứ Năm,
    ngày 16 tháng 10 năm 2025' read as place 'Năm'; tb-du-phuong-kien-an: '9:ndm 2025'."""
    head = KIEN_AN_HEAD.replace("Kiến An, ngày  11 tháng 9 năm 2025", "Kiến An, ngày 13 tháng 10: năm 2025")
    f = extract_text(head + "\nThời gian: 08 giờ 00 phút, thứ Năm, ngày 16 tháng 10 năm 2025.\n")
    assert (f.place, f.date) == ("Kiến An", "2025-10-13")
    f = extract_text(KIEN_AN_HEAD.replace("Kiến An, ngày  11 tháng 9 năm 2025", "Kiên An, ngày 9 tháng 9:ndm 2025"))
    assert (f.place, f.date) == ("Kiến An", "2025-09-09")
    # the header's line unreadable: a date the body writes the same way is no place and date of issue
    lost = head.replace("Kiến An, ngày 13 tháng 10: năm 2025", "Kiến An, nga# I3 th@ng")
    f = extract_text(lost + "\nThời gian: 08 giờ 00 phút, thứ Năm, ngày 16 tháng 10 năm 2025.\n" + "Nội dung.\n" * 40)
    assert (f.place, f.date) == (None, None)


def test_place_printed_with_its_unit_word():
    """The held-out miss of the previous round: 'Thành phố Hồ Chí Minh, ngày …' read as 'Hồ Chí Minh'."""
    f = extract_text(KIEN_AN_HEAD.replace("Kiến An, ngày", "Thành phố Hồ Chí Minh, ngày"))
    assert f.place == "Thành phố Hồ Chí Minh"
    assert (f.place_unit.name, f.place_unit.code) == ("Thành phố Hồ Chí Minh", "79")  # the law capitalises it whole
    assert extract_text(KIEN_AN_HEAD.replace("Kiến An, ngày", "TP. Hồ Chí Minh, ngày")).place == "TP. Hồ Chí Minh"


SNV_HEAD = """UBND THÀNH PHỐ HẢI PHÒNG
SỐ’ NỘI VỤ
Số: 1408/SNV-CCVC
Viv báo cáo số lượng công chức cấp xã
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập -Twdo Hạnh phúc
Hải Phòng, ngày 3 tháng 9 năm 2025
Kinh gvti: Ủy ban nhân dân các phường, xã, đặc khu.
Thực hiện Kế hoạch số 201/KH-UBND ngày 25/7/2025 của Ủy ban nhân dân thành phố, Sở Nội vụ đề nghị
Ủy ban nhân dân các phường, xã, đặc khu báo cáo truséc ngày 15/9/2025.
"""


def test_department_header_damaged_by_restoration():
    """'SỞ NỘI VỤ' restored as 'SỐ’ NỘI VỤ', 'SỞ KHOA HỌC VÀ CÔNG NGHỆ' as 'SỐ’ KHOA HOC.VA CÔNG NGHỆ':
    the department as the law names it; a 'Kính gửi' read 'Kinh gvti:' still ends the header."""
    from pipeline.extract.header import department

    f = extract_text(SNV_HEAD)
    assert (f.issuer, f.parent_issuer) == ("Sở Nội vụ", "Ủy ban nhân dân thành phố Hải Phòng")
    assert f.recipients == ("Ủy ban nhân dân các phường, xã, đặc khu",)
    assert [d.date for d in f.deadlines] == ["2025-09-15"]
    f = extract_text(SNV_HEAD.replace("SỐ’ NỘI VỤ", "SỐ’ KHOA HOC.VA CÔNG NGHỆ"))
    assert f.issuer == "Sở Khoa học và Công nghệ"
    # a department the table does not know is kept as read
    assert extract_text(SNV_HEAD.replace("SỐ’ NỘI VỤ", "SỞ HẢI SẢN")).issuer == "Sở Hải sản"
    # a short name whose marks restoration got wrong: the same letters as the table's 'Sở Y tế'
    assert extract_text(SNV_HEAD.replace("SỐ’ NỘI VỤ", "SỞ Y TỆ")).issuer == "Sở Y tế"
    # 'SỞ' read 'BỘ' under the province's UBND: no ministry stands under a province
    assert extract_text(SNV_HEAD.replace("SỐ’ NỘI VỤ", "BỘ NỘI VỤ")).issuer == "Sở Nội vụ"
    # a line restoration left half in capitals (held-out set 9 through eng); a tone placed the old way stays
    assert department("SỞ TÀI Chính") == "Sở Tài chính"
    assert department("Sở Văn hoá, Thể thao và Du lịch") == "Sở Văn hoá, Thể thao và Du lịch"


def test_damaged_deadline_cue():
    """'trước ngày' as restoration left it: 'truoéc', 'trué’c', 'triréc'; 'trực ngày' is no deadline."""
    for cue in ("truoéc ngày", "trué’c ngày", "triréc ngày", "tru’éc ngày"):
        f = extract_text(f"Sở Nội vụ kiểm tra, báo cáo Ủy ban nhân dân thành phố {cue} 30/9/2025.")
        assert [d.date for d in f.deadlines] == ["2025-09-30"], cue
    assert extract_text("Phân công lịch trực ngày 30/9/2025 tại trụ sở.").deadlines == ()


def test_issuer_from_body_with_damaged_unit_word():
    """kh-ubnd-kien-an-khong-dau (header cut off): 'Ủy ban nhân dân (UBND) phương ban hành Kế hoạch', the
    ward named 'phường Kiến An' elsewhere; 'địa phương' is no unit."""
    body = ("KẾ HOẠCH\nTriển khai Kế hoạch bình chọn\nThực hiện Kế hoạch số 225/KH-UBND ngày 03/9/2025 của Ủy ban "
            "nhân\ndân thành phố Hải Phòng, Ủy ban nhân dân (UBND) phương ban hành Kế\nhoạch triển khai như sau:\n"
            "Tuyên truyền trên địa bàn\nphường Kiến An tích cực tham gia bình chọn.\n")  # fmt: skip
    f = extract_text(body)
    assert f.issuer == "Ủy ban nhân dân phường Kiến An" and f.provenance["issuer"].guess
    assert extract_text(body.replace("(UBND) phương", "(UBND) địa phương")).issuer != "Ủy ban nhân dân phường Kiến An"


def test_party_headers_damaged():
    """tb-du-phuong-kien-an (vie): 'ĐÁẢNG ỦY PHƯỜNG KIẾN AN' under 'ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG';
    nq-bct-khoa-hoc-cong-nghe (eng): the line under the title 'CỦA BỘ Chính TRỊ'."""
    head = ("ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG\nĐÁẢNG ỦY PHƯỜNG KIẾN AN\n*\nSố 18-TB/ĐU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
            "Kiến An, ngày 9 tháng 9 năm 2025\nTHÔNG BÁO\nkết luận của Ban Thường vụ\n")  # fmt: skip
    f = extract_text(head)
    assert (f.issuer, f.parent_issuer) == ("Đảng ủy phường Kiến An", "Đảng bộ thành phố Hải Phòng")
    nq = ("BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nĐẢNG CỘNG SẢN VIỆT NAM\nHà Nội, ngày 22 tháng 12 năm 2024\nSố 57-NQ/TW\n"
          "NGHỊ QUYẾT\nCỦA BỘ Chính TRỊ\nvề đột phá phát triển khoa học, công nghệ\nI. TÌNH HÌNH\n")  # fmt: skip
    f = extract_text(nq)
    assert (f.issuer, f.parent_issuer) == ("Bộ Chính trị", "Ban Chấp hành Trung ương")
    assert f.subject == "về đột phá phát triển khoa học, công nghệ"


SIGNED = """Văn phòng Chính phủ thông báo để các cơ quan biết, thực hiện./.
Nơi nhận:
- Các bộ, cơ quan ngang bộ;
- Lưu: VT, TCCV.

KT. BỘ TRƯỞNG, CHỦ NHIỆM
PHÓ CHỦ NHIỆM
⁄\\ "N
{name}
"""


def test_signer_name_with_specks_and_a_damaged_family_name():
    """tb-vpcp-ket-luan-thu-tuong: 'Cao Huy Khánh -' (vie) / 'Cao Huy Khánh.' (eng); gm-ubnd-kien-an:
    '‘Nguyễn Tùng Lâm'; restoration's 'Độ Mạnh Hùng', 'Trường Hải Lâm', 'Và Quang Minh'."""
    def name(line: str) -> str | None:
        return extract_text(SIGNED.format(name=line)).signer.name

    assert name("Cao Huy Khánh -") == name("Cao Huy Khánh.") == "Cao Huy Khánh"
    assert name("‘Nguyễn Tùng Lâm") == "Nguyễn Tùng Lâm"
    assert name("Độ Mạnh Hùng") == "Đỗ Mạnh Hùng"
    assert name("Trường Hải Lâm") == "Trương Hải Lâm"
    assert name("Và Quang Minh") == "Vũ Quang Minh"
    # a rare family name is kept as read unless legacy OCR reads a far more common one the same way
    assert name("Lò Văn Bằng") == "Lò Văn Bằng" and name("Hà Văn Nam") == "Hà Văn Nam"
    assert name("Xyz Quang Minh") == "Xyz Quang Minh"  # no family name is near: kept
    # family names of the north's ethnic minorities are names, not damage ('Ma' was read 'Mã', 'Vàng' 'Vương')
    for minority in ("Ma Văn Thắm", "Vàng Seo Dìn", "Sùng A Páo"):
        assert name(minority) == minority
    assert name("Bùi Văn Khắng") == "Bùi Văn Khắng"  # a syllable the corpus lacks is still a name ('Khang' was read)


def test_signer_name_damaged_by_latin_model_ocr():
    """The eng + restoration scans of samples/fields: words restoration could not read are read as the
    names the OCR channel and the names' counts make likeliest ('Vii' -> 'Vũ', 'Cuédng' -> 'Cường',
    'Lugng' -> 'Lượng'). A family name of the list is kept ('Vì' is rare, but real: a clean text's
    signer is never renamed). A valid syllable keeps its marks: nothing tells 'Vinh' from 'Vĩnh'."""

    def name(line: str) -> str | None:
        return extract_text(SIGNED.format(name=line)).signer.name

    assert name("Vii Quang Minh") == "Vũ Quang Minh"
    assert name("Vì Thành Luân") == "Vì Thành Luân"
    assert name("Hoàng Minh Cuédng") == "Hoàng Minh Cường"
    assert name("Phạm Văn Lugng") == "Phạm Văn Lượng"
    assert name("Nguyễn Sj Hiển") == "Nguyễn Sỹ Hiển"
    assert name("Trần Quốc Vinh") == "Trần Quốc Vinh" and name("Phạm Việt Hưng") == "Phạm Việt Hưng"
    assert name("Hồ SỸ Nguyên") == "Hồ Sỹ Nguyên"  # restoration kept the case of OCR's 'SY'
    # a name Wikipedia's counts lack is read from the word's own letters ('Thiết', not the counted 'Thất');
    # a word whose letters spell no syllable is not respelt into another's ('Panh', a Thái name, is no 'Đanh')
    assert name("Quach Van Thiét") == "Quách Van Thiết" and name("Lò Văn Panh") == "Lò Văn Panh"


def test_signer_rank_and_academic_title_are_not_the_name():
    """Letters of the ministries of defence and public security print the signer's rank before the name
    ('Trung tướng …'), others academic titles ('PGS.TS. …'): the name is what follows. The names of
    Tây Nguyên peoples join a prefix with an apostrophe ('H'Yơn') and are names all the same."""

    def name(line: str) -> str | None:
        return extract_text(SIGNED.format(name=line)).signer.name

    assert name("Trung tướng Đinh Quang Thiều") == "Đinh Quang Thiều"
    assert name("THIẾU TƯỚNG NGUYỄN VĂN LONG") == "Nguyễn Văn Long"
    assert name("Đại tá Lê Văn An") == "Lê Văn An"
    assert name("PGS.TS. Nguyễn Văn Hùng") == name("TS. Nguyễn Văn Hùng") == "Nguyễn Văn Hùng"
    assert name("Ksor H'Yơn") == "Ksor H'Yơn" and name("Nay H’Blông") == "Nay H’Blông"
    assert name("Nguyễn Trung Tướng") == "Nguyễn Trung Tướng"  # a given name, not a rank: nothing before it


def test_a_family_name_restored_from_legacy_ocr_is_read_from_its_letters():
    """On a page restoration read as legacy OCR (PageText.damaged), 'Đàng' is restoration's guess for
    the letters 'Dang', which are far more often those of 'Đặng' (one of the commonest family names)
    than of the Chăm 'Đàng'; on any other page a listed family name stays. ('Vì' for the letters 'Vi'
    went to 'Vũ' so until the channel of b60b36a, which reads 'ũ' as 'i' a quarter of the time, not
    three quarters: 'Vũ' is 44 times likelier then, not the hundred it takes.)"""

    def name(line: str, damaged: bool) -> str | None:
        pages = [PageText(0, (TextBlock("other", SIGNED.format(name=line)),), damaged)]
        return extract_fields(pages).signer.name

    assert name("Đàng Thành Luân", damaged=True) == "Đặng Thành Luân"
    assert name("Đàng Thành Luân", damaged=False) == "Đàng Thành Luân"
    # its marks are a guess there: the signer comes with a confidence a reviewer is shown as low
    confidence = lambda damaged: extract_fields(  # noqa: E731
        [PageText(0, (TextBlock("other", SIGNED.format(name="Trần Quốc Vinh")),), damaged)]).provenance["signer"]
    assert confidence(True).confidence < 0.6 <= confidence(False).confidence
    # the other listed family names of the set, read right, stay right on a damaged page
    for line in ("Trần Quốc Vĩnh", "Nguyễn Sỹ Hiển", "Phạm Văn Lượng", "Lò Văn Bằng", "Hà Văn Nam", "Đào Thị Hương"):
        assert name(line, damaged=True) == line
    # a rare name whose letters read as a somewhat commoner one stays: restoration chose it in context
    # (only a hundred times likelier a namesake wins); of the listed, 'Giàng', 'Hờ', 'Ly', 'Đàng', 'Đạo' change
    for line in ("Lã Văn Nam", "Doãn Văn Nam", "Trình Văn Nam", "Tòng Văn Nam", "Ưng Văn Nam", "Ấu Văn Nam",
                 "Lường Văn Nam", "Phàn Văn Nam", "Ma Văn Nam", "Vì Văn Nam"):  # fmt: skip
        assert name(line, damaged=True) == line
    # middle and given names, each against the names seen in its place: 'Vận' is restoration's guess for
    # the commonest middle name 'Văn', 'Khái' no given name beside 'Khải'; a rarer real one stays
    assert name("Hoàng Vận Quyết", damaged=True) == "Hoàng Văn Quyết"
    assert name("Hoàng Vận Quyết", damaged=False) == "Hoàng Vận Quyết"
    assert name("Trần Quốc Khái", damaged=True) == "Trần Quốc Khải"
    # a middle name's context in restoration is the title above it: a threefold likelier middle name wins
    assert name("Hà Quảng Vinh", damaged=True) == "Hà Quang Vinh"
    assert name("Phạm Dực Quang", damaged=True) == "Phạm Đức Quang"
    assert name("Hà Quảng Vinh", damaged=False) == "Hà Quảng Vinh"
    # the Hmong middle name 'Mí' and the words after an Ê Đê woman's prefix are in no place the counts know
    assert name("Vừ Mí Kứ", damaged=True) == "Vừ Mí Kứ" and name("H' Ly Niê", damaged=True) == "H' Ly Niê"
    for line in ("Lê Thị Thu Hường", "Nguyễn Thị Ngọc Ánh", "Lâm Ngọc Thoa", "Nguyễn Sĩ Lâm"):
        assert name(line, damaged=True) == line


def test_a_minority_name_from_legacy_ocr_keeps_the_letters_no_name_explains():
    """The English engine reads the Thái 'Piếng' as 'Piéng', no syllable; the likeliest name the channel
    reads so ('Đường', log10 -5.5) does not explain its letters, so the word keeps them and takes the
    marks that make it a syllable. A word one letter misread ('Phiéc') is still the name it was
    ('Phước'). The Ê Đê family name ends the name after 'Y' or 'H'' and keeps its listed spelling.
    Measured on the eng page text of sets 97-244 (models/names-v2/README.md)."""
    from pipeline.extract.names import repair_name

    assert repair_name("Lô Van Piéng", legacy=True) == "Lò Văn Piếng"
    assert repair_name("Đảng Hitu Phiéc", legacy=True) == "Đặng Hữu Phước"
    assert repair_name("Y Thắng Bya", legacy=True) == "Y Thắng Byă"
    assert repair_name("H' Bia Mlo", legacy=True) == "H' Bia Mlô"
    # a Vietnamese syllable there is kept, though a listed family name ('Thào') has its letters
    assert repair_name("Y Ngọc Thảo", legacy=True) == "Y Ngọc Thảo"
    # off legacy OCR the marks were read, not lost: the words after the prefix are as written
    assert repair_name("Y Thắng Bya") == "Y Thắng Bya"


def test_person_name_counts_are_of_people_not_places_or_sentence_starts():
    """scripts/build_names.py (models/names-v2): a full name after a word in lower case counts; a run
    holding a unit's name ('Trà Vinh') or starting a sentence ('Vì Sao…', a conjunction) does not."""
    from scripts.build_names import count

    lines = ["Bộ trưởng là ông Nguyễn Văn Hùng, quê ở tỉnh Trà Vinh.", "Vì Sao Mai Lên",
             "của Lê Công Vinh và Trà Vinh Xanh"]  # fmt: skip
    # nor do an emperor by dynasty and reign title and Rome ('La Mã' is no person)
    lines += ["của Lê Thánh Tông, nhà Đường Thái Tông", "đế quốc La Mã Thần Thánh"]
    counts = count(lines, ["Nguyễn", "Lê", "Trà", "Vì", "Đường", "La"], {"Trà Vinh"})
    assert counts["family"] == {"Nguyễn": 1, "Lê": 1}
    assert counts["given"] == {"Hùng": 1, "Vinh": 1} and counts["middle"] == {"Văn": 1, "Công": 1}


def test_references_damaged_by_latin_model_ocr():
    """References of the eng + restoration scans of samples/fields: 'Luaét' for 'Luật' at the head of a
    'Căn cứ' clause, quotes and specks inside a law's name, 'số- 18-TB/DU', 'Quyết định s6,77/QĐ-UBND',
    'văn: bản số', a date after a quote ('ngày\\n‘12/6/2025'), 'NDB-CP' / 'NB-CP' cited as a Nghị định,
    'UBTVQHI15'."""
    text = """Căn cứ Luaét Tổ chức chính quyền địa phương số
72/2025/QH15 ngày 16 tháng 6 năm 2025;
Căn cứ Luật ‘Tổ chức chính quyền. địa .phương số 63/2025/QH15 ngày 16
tháng 6 năm 2025;
Căn cứ Nghị quyết số 1669/NQ-UBTVQHI15 ngày 16 tháng
6 năm 2025 của Ủy ban Thường vụ Quốc hội;
Căn cứ Nghị định số 45/2012/NDB-CP ngày 21/5/2012 của Chính phủ;
Căn cứ Nghị định số 178/2024/NB-CP ngày 31/12/2024 của Chính phủ;
Căn cứ tình hình thực tế của địa phương;
Thực hiện Thông báo số- 18-TB/DU ngày 09/9/2025 của Ban Thường vụ, Quyết định s6,77/QĐ-UBND ngày 10/10/2025
và văn: bản số 4521/BGDĐT-KHTC ngày 25/8/2025, theo Nghị định số 151/2025/NĐ-CP ngày
‘12/6/2025 của Chính phủ.
"""
    refs = {r.key: r for r in extract_text(text).references}
    assert {k: (r.doc_type, r.date) for k, r in refs.items()} == {
        "72-2025-QH15": ("Luật", "2025-06-16"),
        "63-2025-QH15": ("Luật", "2025-06-16"),
        "1669-NQ-UBTVQH15": ("Nghị quyết", "2025-06-16"),
        "45-2012-ND-CP": ("Nghị định", "2012-05-21"),
        "178-2024-ND-CP": ("Nghị định", "2024-12-31"),
        "18-TB-DU": ("Thông báo", "2025-09-09"),
        "77-QD-UBND": ("Quyết định", "2025-10-10"),
        "4521-BGDDT-KHTC": ("Công văn", "2025-08-25"),
        "151-2025-ND-CP": ("Nghị định", "2025-06-12"),
    }
    assert refs["72-2025-QH15"].cited_in == "basis" and refs["72-2025-QH15"].issuer == "Quốc hội"
    assert refs["63-2025-QH15"].title == "Luật Tổ chức chính quyền địa phương"
    assert refs["45-2012-ND-CP"].symbol == "2012/NĐ-CP" and refs["18-TB-DU"].symbol == "TB/ĐU"


def test_signature_column_run_into_noi_nhan_and_damaged_titles():
    """Two columns OCR read as one (vie scans of ct-bbt-dai-hoi-dang-bo, tb-ubnd-hp-ket-luan): the Party's
    'T/M' after 'Nơi nhận:', 'TL:' with a colon, a title lowered in part by restoration ('Bí THƯ'); titles
    of the table read with a letter wrong or a seal speck after them (eng scans)."""
    party = """ĐẢNG CỘNG SẢN VIỆT NAM
Chỉ thị này phổ biến đến chi bộ.
Nơi nhận: T/M BỘ CHÍNH TRỊ
- Các tỉnh ủy, thành ủy, TỔNG Bí THƯ
- các ban đảng, đảng ủy trực thuộc Trung
ương,
- Lưu Văn phòng Trung ương Đảng.
Trần Quốc Vĩnh
"""
    s = extract_text(party).signer
    assert (s.on_behalf_of, s.title, s.name) == ("T/M Bộ Chính trị", "Tổng Bí thư", "Trần Quốc Vĩnh")
    assert extract_text(party.replace("T/M BỘ", "TM BỘ")).signer.on_behalf_of == "T/M Bộ Chính trị"  # slash lost
    state = """thực hiện./.
Nơi nhận: TL: CHỦ TỊCH
- TT Thành ủy, TT HĐND thành phố; CHÁNH VĂN PHÒNG
- Lưu: VT.
Phạm Thị Thu Trang
"""
    s = extract_text(state).signer
    assert (s.authority, s.title) == ("TL. Chủ tịch", "Chánh Văn phòng")
    # as cv-vpcp-truyen-dat-y-kien's eng scan read it: 'KT. BỘ FRUONG, CHỦ NHIỆM / PHÓ CHỦ NHIỆM / VASY \\'
    s = extract_text(SIGNED.format(name="Nguyễn Sỹ Hiển").replace("⁄\\ \"N", "VASY \\")
                     .replace("BỘ TRƯỞNG", "BỘ FRUONG")).signer  # fmt: skip
    assert (s.authority, s.title) == ("KT. Bộ trưởng, Chủ nhiệm", "Phó Chủ nhiệm")
    s = extract_text(SIGNED.format(name="Lê Văn Hải").replace("PHÓ CHỦ NHIỆM\n", "GIẢM BOC\n")).signer
    assert s.title == "Giám đốc"
    # the seal's letters on a line of their own are no title
    s = extract_text(SIGNED.format(name="Lê Văn Hải").replace("PHÓ CHỦ NHIỆM\n", "AVY\n")).signer
    assert s.title is None and s.authority == "KT. Bộ trưởng, Chủ nhiệm"


def test_signature_title_beside_noi_nhan_with_specks_or_no_punctuation():
    """What OCR made of two-column signatures in the field set's scans: a speck between the columns
    ('thành ủy, - THƯỜNG TRỰC …'), a title restoration lowered a mark of ('Bí THƯ', so no longer 85%
    capitals), an entry that goes on to the next line with the title after it ('các Phó Thủ tướng PHÓ
    CHỦ NHIỆM'), a title split over two entries with a seal's letter ('J TICH' / 'CHU TỊC')."""

    def signer(noi_nhan: str, name: str = "Lương Đức Thịnh", party: bool = True) -> Signer:
        head = "ĐẢNG CỘNG SẢN VIỆT NAM\n" if party else ""
        return extract_text(f"{head}thực hiện./.\nNơi nhận: {noi_nhan}\n{name}\n").signer

    s = signer("TIM BỘ CHÍNH TRỊ\n- Các tỉnh ủy, thành ủy, - THƯỜNG TRỰC BAN BÍ THƯ\n- Lưu Văn phòng Trung ương Đảng.")
    assert (s.on_behalf_of, s.title) == ("T/M Bộ Chính trị", "Thường trực Ban Bí thư")
    s = signer("T/M BAN THƯỜNG VỤ\n- Ban Bí thư Trung ương Đảng (để b/c), Bí THƯ\n- Lưu Văn phòng Thành ủy.")
    assert (s.on_behalf_of, s.title) == ("T/M Ban Thường vụ", "Bí thư")
    f = extract_text("thực hiện./.\nNơi nhận: KT. BỘ TRƯỞNG, CHỦ NHIỆM\n- Thủ tướng, các Phó Thủ tướng PHÓ CHỦ NHIỆM\n"
                     "Chính phủ;\n- Lưu: VT, TCCV.\nCao Huy Khánh\n")  # fmt: skip
    assert (f.signer.authority, f.signer.title) == ("KT. Bộ trưởng, Chủ nhiệm", "Phó Chủ nhiệm")
    assert "Lưu: VT, TCCV" in f.cc
    s = signer("TM. ỦY BAN NHÂN DÂN\n- Như Điều 3; J TICH\n- Bộ Nội vụ (để b/c); CHU TỊC\n- Lưu: VT, NC.",
               "Lê Ngọc Chương", party=False)  # fmt: skip
    assert (s.on_behalf_of, s.title) == ("TM. Ủy ban nhân dân", "Chủ tịch")
    # an entry in capitals but for its first word is no title ('Lưu: VT, QLTM'), nor a place
    s = signer("\n- Bộ Công Thương;\n- Lưu: VT, QLTM.\nGIÁM ĐỐC", "Trần Anh Quân", party=False)
    assert s.title == "Giám đốc"
    assert list(extract_text("Nơi nhận:\n- UBND các phường, xã\n- Lưu: VT.\n").cc) == ["UBND các phường, xã", "Lưu: VT"]


def test_signature_titles_left_in_the_body_when_the_name_has_a_block_of_its_own():
    """hd-btctw (vie scan): the layout cut the name out as a 'signature' block; 'K/T TRƯỞNG BAN' and
    'PHÓ TRƯỞNG BAN THƯỜNG TRỰC' stayed in the body, run into 'Nơi nhận'."""
    body = ("ĐẢNG CỘNG SẢN VIỆT NAM\nđể hướng dẫn.\nNơi nhận: K/T TRƯỞNG BAN\n"
            "- Các tỉnh ủy, thành ủy, PHÓ TRƯỞNG BAN THƯỜNG TRỰC\n- các đảng ủy trực thuộc Trung ương,\n"
            "- Lưu Vụ Tổ chức - Cán bộ, Văn phòng Ban.")  # fmt: skip
    page = PageText(0, (TextBlock("body", body), TextBlock("signature", "J NG\nHoàng Minh Đạo")))
    s = extract_fields([page]).signer
    assert (s.name, s.authority, s.title) == ("Hoàng Minh Đạo", "K/T Trưởng ban", "Phó Trưởng ban Thường trực")


def test_subject_under_damaged_titles_and_v_v():
    """Titles no cue matched ('GIAY MOL' for GIẤY MỜI, 'Chỉ THỊ', 'THÔNG BÁO .'), 'Viv' for 'V/v', the
    place-and-date line read into the subject's line, 'Can ci¥' (Căn cứ) ending it (samples/fields scans)."""
    gm = ("ỦY BAN NHÂN DÂN\nPHƯỜNG KIẾN AN\nSố: 64/GM-UBND\nKiến An, ngày 13 tháng 10 năm 2025\nGIAY MOL\n"
          "Dự Hội nghị triển khai công tác chuyển đổi số năm 2026\nThực hiện Quyết định số 77/QĐ-UBND\n")  # fmt: skip
    f = extract_text(gm)
    assert (f.doc_type, f.subject) == ("Giấy mời", "Dự Hội nghị triển khai công tác chuyển đổi số năm 2026")
    ct = gm.replace("GIAY MOL", "Chỉ THỊ").replace("64/GM-UBND", "46-CT/TU")
    assert extract_text(ct).doc_type == "Chỉ thị"
    tb = gm.replace("GIAY MOL", "THÔNG BÁO .").replace("64/GM-UBND", "398/TB-VPCP")
    assert extract_text(tb).subject == "Dự Hội nghị triển khai công tác chuyển đổi số năm 2026"
    cv = ("BỘ NỘI VỤ\nSố: 2740/BNV-TCBC\nViv hướng dẫn thực hiện chế độ, Hà Nội, ngày 12 tháng 5 năm 2025\n"
          "chính sách\nCan ci¥ Nghị định số 170/2025/NĐ-CP ngày 30 tháng 6 năm 2025 của Chính phủ\n")  # fmt: skip
    f = extract_text(cv)
    assert (f.subject, f.place, f.date) == ("hướng dẫn thực hiện chế độ, chính sách", "Hà Nội", "2025-05-12")
    # a line of capitals that is no type's name is no title
    assert extract_text(gm.replace("GIAY MOL", "GIAO BAN")).doc_type == "Giấy mời"  # from the symbol


def test_cited_issuer_with_ocr_specks():
    """'của Ủy, ban nhân\\ndân thành phố Hải Phòng' (vie scan of qd-ubnd-kien-an-to-cong-tac), 'của BỘ Công
    Thương' (restoration), 'của Ban Chấp hành Trung uvong', 'của Ủy ban Thường vụ:\\nQuốc hội'."""
    text = """Căn cứ Quyết định số 2159/QĐ-UBND ngày 02/7/2025 của Ủy, ban nhân
dân thành phố Hải Phòng về việc thành lập Tổ công tác;
Căn cứ Quyết định số 1187/QĐ-BCT ngày 12/5/2025 của BỘ Công Thương;
Căn cứ Kết luận số 121-KL/TW ngày 24/01/2025 của Ban Chấp hành Trung uvong về tổng kết;
Căn cứ Nghị quyết số 1669/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ:
Quốc hội về việc sắp xếp;
Căn cứ Quyết định số 12/QĐ-UBND ngày 02/7/2025 của Ủy ban nhân dân. Sau đó
"""
    issuers = [r.issuer for r in extract_text(text).references]
    assert issuers == ["Ủy ban nhân dân thành phố Hải Phòng", "Bộ Công Thương", "Ban Chấp hành Trung ương",
                       "Ủy ban Thường vụ Quốc hội", "Ủy ban nhân dân"]  # fmt: skip
    shouted = extract_text("Căn cứ Quyết định số 1187/QĐ-BCT ngày 12/5/2025 của BỘ CÔNG THƯƠNG;").references
    assert shouted[0].issuer == "BỘ CÔNG THƯƠNG"  # capitals as printed: kept


def test_noi_nhan_entries_damaged_by_ocr():
    """'Lưu: VL', 'Lưu: VLE', 'ưu: VT', '(de b/c)', '(để bíc)' as the vie / eng scans of samples/fields read
    them; 'Lưu: VP' and 'Lưu Văn phòng Thành ủy' are kept."""
    text = """Nơi nhận:
- UBND thành phố (de b/c);
- Bộ Nông nghiệp và Môi trường (để bíc);
- Bộ trưởng (để b/C);
- Lưu: VLE, TCBM.
"""
    assert extract_text(text).cc == ("UBND thành phố (để b/c)", "Bộ Nông nghiệp và Môi trường (để b/c)",
                                     "Bộ trưởng (để b/c)", "Lưu: VT, TCBM")  # fmt: skip
    for seen, read in (("- ưu: VT.", "Lưu: VT"), ("- Lưu: VL.", "Lưu: VT"), ("- Lưu: VP, NC.", "Lưu: VP, NC"),
                       ("- Lưu Văn phòng Thành ủy.", "Lưu Văn phòng Thành ủy"), ("- lu: VI; TCCV.", "Lưu: VT, TCCV"),
                       ("- Lưu: VŨ NVY.", "Lưu: VT, NVY")):  # fmt: skip
        assert extract_text(f"Nơi nhận:\n- Như trên;\n{seen}\n").cc == ("Như trên", read)


def test_eval_fields_damage_levels_name_degradations_samplegen_knows():
    """The mild level keys every scan cached since the first session: it must not change. A level
    naming a degradation samplegen lacks would fail only after the first page of a long run."""
    from scripts.eval_fields import DAMAGE
    from scripts.samplegen import DEGRADATIONS

    assert DAMAGE["mild"] == ((), ("skew",), ("yellow", "jpeg"), ("noise", "dpi200"))
    assert {d for level in DAMAGE.values() for combo in level for d in combo} <= set(DEGRADATIONS)


def test_eval_fields_reads_back_a_scans_ocr_whole():
    """scripts/eval_fields.py caches a scan's OCR apart from its restored text, so that a change to
    restoration re-runs restoration on it, not Tesseract: what it reads back is the page restoration
    was given (blocks with and without a box, words with their confidence, block and line)."""
    from scripts.eval_fields import _ocr_json, _ocr_page

    box = Box(1, 2, 30, 40)
    blocks = (TextBlock("header", "Số: 12/KH-UBND", box), TextBlock("body", "Kính gửi"))
    words = (OcrWord("Số:", box, 91.5, 0, 0), OcrWord("gửi", Box(5, 6, 7, 8), -1.0, 1, 3))
    page = OcrPage(2, blocks, words, "ocr", width=2480, height=3508, dpi=200)
    assert _ocr_page(json.loads(json.dumps(_ocr_json(page), ensure_ascii=False))) == page


def test_cited_issuer_past_specks_and_damaged_words():
    """Issuers of cited documents as the scans of samples/fields read them: a speck after a head that names
    no body by itself ('Ban Thường vụ:'), before a word ('Hội -đồng'), the end of a central body's name
    lost to OCR ('Bộ Chính\\n.tf];', 'Thủ\\ntud'ng'), 'của' read 'cửa', a head word's marks lost ('Sổ')."""
    text = """Thực hiện Thông báo số 18-TB/ĐU ngày 09/9/2025 của Ban Thường vụ:
Đảng ủy phường và Công văn số 1408/SNV-CCVC ngày 03/9/2025 của Sổ Nội
vụ, Ủy ban nhân dân phường đề nghị:
Căn cứ Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính
.tf];
Căn cứ Quyết định số 1881/QĐ-TTg ngày 30/12/2021 của Thủ
tud'ng Chính phủ phê duyệt Chương trình;
Căn cứ Nghị quyết số 15/NQ-HĐND ngày 10/4/2025 của
Hội -đồng nhân dân thành phố.”
Căn cứ Quyết định số 2159/QĐ-UBND ngày 02/7/2025 cửa Uy. ban nhân
dân. thành phố Hải Phòng về việc thành lập Tổ công tác;
"""
    issuers = [r.issuer for r in extract_text(text).references]
    assert issuers == ["Ban Thường vụ Đảng ủy phường", "Sở Nội vụ", "Bộ Chính trị", "Thủ tướng Chính phủ",
                       "Hội đồng nhân dân thành phố", "Ủy ban nhân dân thành phố Hải Phòng"]  # fmt: skip
    # a name the text breaks off is not completed to a body the letters do not read
    assert extract_text("Căn cứ Quyết định số 12/QĐ-TTg ngày 02/7/2025 của Thủ\n1. Giao").references[0].issuer == "Thủ"


def test_cited_issuer_is_the_unit_that_proposes_before_the_reference():
    """'Theo đề nghị của Trưởng phòng Kinh tế, Hạ tầng và Đô thị tại Tờ trình số 45/TTr-KTHT&ĐT' (samples/):
    the Tờ trình is the unit's, named by its head's title; the title may name the unit itself; its abbreviations
    spelt out as a cited issuer's are."""
    for who, unit in (("Trưởng phòng Kinh tế, Hạ tầng và Đô thị", "Phòng Kinh tế, Hạ tầng và Đô thị"),
                      ("Giám đốc Sở Nội vụ", "Sở Nội vụ"), ("Cục trưởng Cục Thuế", "Cục Thuế"),
                      ("Chánh Văn phòng HĐND và UBND phường", "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân phường"),
                      ("Sở Công Thương", "Sở Công Thương")):  # fmt: skip
        refs = extract_text(f"Theo đề nghị của {who} tại Tờ trình số 45/TTr-KTHT&ĐT ngày 12/9/2025.").references
        assert refs[0].issuer == unit, who
    refs = extract_text("Theo đề nghị của ông Nguyễn Văn An tại Tờ trình số 45/TTr-KTHT ngày 12/9/2025.").references
    assert refs[0].issuer is None  # a person is no unit


def test_ministry_under_a_provinces_committee_is_its_department():
    """'BỘ NỘI VỤ' under 'UBND THÀNH PHỐ HẢI PHÒNG' (eng scan of cv-snv-hp-tuyen-dung): no ministry stands
    under a local body, the letters are OCR's for 'SỞ'; a ministry alone, and 'BỘ CHỈ HUY', stay."""
    header = "UBND THÀNH PHỐ HẢI PHÒNG\n{}\nSố: 1408/SNV-CCVC\nV/v báo cáo số lượng công chức\n"
    assert extract_text(header.format("BỘ NỘI VỤ")).issuer == "Sở Nội vụ"
    assert extract_text("BỘ NỘI VỤ\nSố: 1408/BNV-CCVC\nV/v báo cáo số lượng công chức\n").issuer == "Bộ Nội vụ"
    assert extract_text(header.format("BỘ CHỈ HUY QUÂN SỰ")).issuer.startswith("Bộ Chỉ huy")


def test_subject_through_damage():
    """Subjects as the scans of samples/fields read them: 'V/v' read 'Và' under the number, a line of
    specks among the subject's lines or before 'Về việc', specks and a lone dash inside a line, the
    authority line in capitals restoration partly lowered under a decision's subject, '57- NQ/TW'."""
    letter = ("UBND THÀNH PHỐ HẢI PHÒNG\nSỞ NỘI VỤ\nSố: 5412/UBND-NC\nVà bàn giao hồ sơ, tài liệu lưu trữ\n"
              "của các huyện\nKính gửi: Sở Nội vụ.\n")
    assert extract_text(letter).subject == "bàn giao hồ sơ, tài liệu lưu trữ của các huyện"
    decision = """THỦ TƯỚNG CHÍNH PHỦ
Số: 418/QĐ-TTg
QUYẾT ĐỊNH
xxx" =-" =:“="=
Ban hành Kế hoạch hành động ‹ thực hiện
ZY mm mxrTzZ€xru nNK 2T ~r .5 - ~> * rỶzynx A ” ._~^.7¬^EB 7
Nghị quyết số 57- NQ/TW của Bộ Chính trị
THỦ TƯỚNG Chính PHỦ
Căn cứ Luật Tổ chức Chính phủ số 63/2025/QH15 ngày 18 tháng 02 năm 2025;
"""
    subject = extract_text(decision).subject
    assert subject == "Ban hành Kế hoạch hành động thực hiện Nghị quyết số 57-NQ/TW của Bộ Chính trị"
    notice = "ỦY BAN NHÂN DÂN\nTỈNH NINH BÌNH\nSố: 12/QĐ-UBND\nQUYẾT ĐỊNH\n4 ew EEL EL aVEIN BL\nVề việc lập Ban\n"
    assert extract_text(notice).subject == "Về việc lập Ban"
    tb = "VĂN PHÒNG CHÍNH PHỦ\nSố: 398/TB-VPCP\nTHÔNG BÁO\nKết luận về tình hình -\nvận hành chính quyền\n"
    assert extract_text(tb).subject == "Kết luận về tình hình vận hành chính quyền"
    kept = "BỘ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 12/BKHCN-VP\nV/v triển khai Nghị quyết\nsố 57-NQ/TW\nKính gửi: Sở Nội vụ.\n"
    assert extract_text(kept).subject == "triển khai Nghị quyết số 57-NQ/TW"  # 'NQ', 'TW' make no line in capitals


def test_noi_nhan_whose_dashes_ocr_lost():
    """Party lists end their entries with ',' and OCR drops their dashes: 'các …' and 'Lưu …' open entries
    there (in a list closed by ';' a wrapped 'các …' stays inside its entry); a heading read 'Noinhén:',
    an entry with no dash first, '--' for one dash, a seal's '+ V', the title 'Bí THƯ' beside, 'Lưu: VỀ'."""
    party = """Nơi nhận:
- Các tỉnh ủy, thành ủy,
các ban đảng, ban cán sự đảng,
đảng đoàn, đảng ủy trực thuộc
Trung ương,
các đồng chí Ủy viên Ban Chấp
hành Trung ương Đảng,
Lưu Văn phòng Trung ương Đảng.
+ V
"""
    assert extract_text(party).cc == ("Các tỉnh ủy, thành ủy",
                                      "các ban đảng, ban cán sự đảng, đảng đoàn, đảng ủy trực thuộc Trung ương",
                                      "các đồng chí Ủy viên Ban Chấp hành Trung ương Đảng",
                                      "Lưu Văn phòng Trung ương Đảng")  # fmt: skip
    state = "Nơi nhận:\n- Như trên;\n- Thủ trưởng các sở, ban, ngành,\ncác đơn vị trực thuộc;\nLưu: VỀ\n"
    assert extract_text(state).cc == ("Như trên", "Thủ trưởng các sở, ban, ngành, các đơn vị trực thuộc", "Lưu: VT")
    damaged = """Noinhén: T/M BAN THƯỜNG VỤ
Ban Thường vụ Thành ủy (để b/c), Bí THƯ
-- các chi bộ trực thuộc,
- Lưu Văn phòng Đảng ủy.
Lê Tiến Chung
"""
    cc = extract_text(damaged).cc
    assert cc == ("Ban Thường vụ Thành ủy (để b/c)", "các chi bộ trực thuộc", "Lưu Văn phòng Đảng ủy")
    assert extract_text("Nơi nhận:\n- SỞ Công Thương (để b/c);\n- UBND Thành phố;\n").cc == (
        "Sở Công Thương (để b/c)", "UBND Thành phố")  # a head's capitals lowered; an abbreviation kept


def test_to_trinh_addressee_and_a_partys_cited_issuer_before_a_comma():
    """'Kính trình:' names a Tờ trình's addressee as 'Kính gửi:' does (the subject stops above it); a
    body named in full before a comma ends there ('… của Bộ Chính trị, Ủy ban nhân dân Thành phố ban
    hành …'); a Party resolution's body opening looks back ('Sau gần 40 năm …'), not the subject."""
    text = """UBND TỈNH LÀO CAI
SỞ TÀI CHÍNH
Số: 123/TTr-STC
TỜ TRÌNH
Về việc phê duyệt dự toán kinh phí năm 2025
Kính trình: Ủy ban nhân dân tỉnh Lào Cai.
Thực hiện Chỉ thị số 35-CT/TW ngày 14/6/2024 của Bộ Chính trị, Sở Tài chính trình như sau:
"""
    fields = extract_text(text)
    assert fields.subject == "Về việc phê duyệt dự toán kinh phí năm 2025"
    assert fields.recipients == ("Ủy ban nhân dân tỉnh Lào Cai",)
    assert fields.references[0].issuer == "Bộ Chính trị"
    party = """BAN CHẤP HÀNH TRUNG ƯƠNG
Số 68-NQ/TW
NGHỊ QUYẾT
CỦA BỘ CHÍNH TRỊ
về phát triển kinh tế tư nhân
Sau gần 40 năm đổi mới, thực hiện Nghị quyết Hội nghị Trung ương 5 khóa
XII, khu vực kinh tế tư nhân đã không ngừng phát triển.
"""
    assert extract_text(party).subject == "về phát triển kinh tế tư nhân"


def test_law_number_line_titles_of_the_table_and_roman_numerals():
    """A law's 'Luật số: 63/2025/QH15' is its number line (the issuer ran into it); titles the table did
    not hold were read as a near one with a word fewer ('PHÓ CHI CỤC TRƯỞNG' as 'Phó Cục trưởng'); a
    lone Roman numeral in a header stays one ('KHU VỰC I', not 'khu vực i')."""
    law = "QUỐC HỘI\nLuật số: 63/2025/QH15\nLUẬT\nTỔ CHỨC CHÍNH PHỦ\nCăn cứ Hiến pháp;\nCHỦ TỊCH QUỐC HỘI\nTrần Mẫn\n"
    fields = extract_text(law)
    assert (fields.number, fields.symbol, fields.doc_type, fields.issuer) == ("63", "2025/QH15", "Luật", "Quốc hội")
    assert fields.signer.title == "Chủ tịch Quốc hội"
    letter = """BỘ TÀI CHÍNH
CỤC THUẾ
CHI CỤC THUẾ KHU VỰC I
Số: 567/CCT-NV
V/v hướng dẫn quyết toán thuế
Kính gửi: Các tổ chức trả thu nhập.
Chi cục Thuế hướng dẫn như sau.
Nơi nhận:
- Như trên;
- Lưu: VT, NV.
KT. CHI CỤC TRƯỞNG
PHÓ CHI CỤC TRƯỞNG
Phạm Thu Hà
"""
    fields = extract_text(letter)
    assert (fields.issuer, fields.parent_issuer) == ("Chi cục Thuế khu vực I", "Cục Thuế")
    assert (fields.signer.title, fields.signer.authority) == ("Phó Chi cục trưởng", "KT. Chi cục trưởng")


def test_text_layer_layout_and_a_party_letter():
    """Text as a PDF's text layer gives it (columns side by side on one line): the place-and-date line
    beside the subject's first line does not end the subject; a Party committee is named by its place
    ('Tỉnh ủy Nghệ An', was 'Nghệ an'); 'T/L BAN THƯỜNG VỤ' names a body ('T/L Ban Thường vụ')."""
    layout = """     ỦY BAN NHÂN DÂN                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
   TỈNH THÁI NGUYÊN                             Độc lập - Tự do - Hạnh phúc
   Số: 2345/UBND-KGVX
V/v triển khai Kế hoạch chuyển                  Thái Nguyên, ngày 12 tháng 9 năm 2025
   đổi số năm 2025

                 Kính gửi: Các sở, ban, ngành tỉnh.
"""
    fields = extract_text(layout)
    assert fields.subject == "triển khai Kế hoạch chuyển đổi số năm 2025"
    assert (fields.place, fields.date) == ("Thái Nguyên", "2025-09-12")
    party = """TỈNH ỦY NGHỆ AN                      ĐẢNG CỘNG SẢN VIỆT NAM
   Số 123-CV/TU                        Nghệ An, ngày 8 tháng 10 năm 2025
V/v tổ chức hội nghị sơ kết
Kính gửi: Các đảng ủy trực thuộc Tỉnh ủy.
Ban Thường vụ Tỉnh ủy đề nghị các đảng ủy báo cáo.
Nơi nhận:                                   T/L BAN THƯỜNG VỤ
- Như trên,                                  CHÁNH VĂN PHÒNG
- Lưu Văn phòng Tỉnh ủy.
                                              Lê Văn Giáp
"""
    fields = extract_text(party)
    assert fields.issuer == "Tỉnh ủy Nghệ An"
    assert (fields.signer.authority, fields.signer.title) == ("T/L Ban Thường vụ", "Chánh Văn phòng")


def test_date_of_issue_in_figures():
    """'Hà Nội, ngày 15/10/2025': some letters print the date of issue in figures; a body's 'Ngày
    18/10/2025, …' under the header is not it."""
    text = "BỘ NỘI VỤ\nSố: 789/QĐ-BNV\nHà Nội, ngày 15/10/2025\nQUYẾT ĐỊNH\nPhê duyệt Đề án\nNgày 18/10/2025, Bộ họp.\n"
    fields = extract_text(text)
    assert (fields.place, fields.date, fields.date_year) == ("Hà Nội", "2025-10-15", 2025)
    assert fields.subject == "Phê duyệt Đề án"


def test_an_appendix_after_the_signature():
    """A plan's appendix page after its signature ('PHỤ LỤC', a table, a name in it) holds neither the
    signer nor a reference: '(Kèm theo Kế hoạch số 321/KH-UBND …)' names the document itself."""
    pages = ["""ỦY BAN NHÂN DÂN
TỈNH BẮC NINH
Số: 321/KH-UBND
Bắc Ninh, ngày 5 tháng 8 năm 2025
KẾ HOẠCH
Triển khai Đề án 06 năm 2025
Thực hiện Quyết định số 06/QĐ-TTg ngày 06/01/2022 của Thủ tướng Chính phủ, UBND tỉnh ban hành Kế hoạch.
""", """Nơi nhận:
- Bộ Công an (để b/c);
- Lưu: VT, NC.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Đào Quang Khải
""", """PHỤ LỤC
DANH SÁCH CÁC NHIỆM VỤ
(Kèm theo Kế hoạch số 321/KH-UBND ngày 05/8/2025 của UBND tỉnh)
1 Rà soát dữ liệu dân cư Công an tỉnh
Nguyễn Văn An
"""]
    fields = extract_fields([PageText(i, (TextBlock("other", t),)) for i, t in enumerate(pages)])
    assert (fields.signer.name, fields.signer.title) == ("Đào Quang Khải", "Phó Chủ tịch")
    assert [(r.number, r.symbol) for r in fields.references] == [("06", "QĐ-TTg")]
    # a number printed with its zero ('Số: 05/KH-UBND', kept so) is the same document in the appendix
    zeroed = [t.replace("321/KH-UBND", "05/KH-UBND") for t in pages]
    fields = extract_fields([PageText(i, (TextBlock("other", t),)) for i, t in enumerate(zeroed)])
    assert fields.number == "05" and [(r.number, r.symbol) for r in fields.references] == [("06", "QĐ-TTg")]


def test_cited_issuer_long_name_and_a_place_phrase_after_it():
    """A body's name of 13 words is whole ('Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam', cut
    at 12); 'trên địa bàn …' after it is not part of it."""
    text = """Căn cứ Nghị quyết liên tịch số 403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN ngày 15/3/2017 của Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam về giám sát;
Thực hiện Chỉ thị số 35-CT/TW ngày 14/6/2024 của Bộ Chính trị trên địa bàn phường, Ủy ban nhân dân phường ban hành.
"""  # noqa: E501
    assert [r.issuer for r in extract_text(text).references] == [
        "Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "Bộ Chính trị"]


def test_deadlines_by_hour_by_month_by_quarter_and_without_year():
    """Deadlines as plans write them besides 'trước ngày …/…/…': an hour before the day, a month or a
    quarter (its last day; 'trước tháng 11' is the day before it), a day and month in words without the
    year (the document's). A period that tells when something happened, and a recurring date, are none."""
    head = ("ỦY BAN NHÂN DÂN\nTỈNH NINH BÌNH\nSố: 12/KH-UBND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Ninh Bình, ngày 29 tháng 9 năm 2025\nKẾ HOẠCH\nChuyển đổi số\n")  # fmt: skip
    body = (
        "1. Trung tâm hoàn thành việc kết nối dữ liệu trong tháng 12/2025.\n"
        "2. Văn phòng số hóa hồ sơ, hoàn thành trong Quý IV/2025; số hóa hồ sơ hoàn thành trong Quý TV/2026.\n"
        "3. Các đơn vị báo cáo kết quả trước ngày 05 tháng 12 để tổng hợp.\n"
        "4. Kết quả gửi về Sở trước 16\ngiờ 00 ngày 14/10/2025.\n"
        "5. Các phòng hoàn thành trước tháng 11 năm 2025.\n"
        "6. Trong tháng 9/2025, Sở đã tổ chức 12 lớp tập huấn.\n"
        "7. Sở đã hoàn thành việc rà soát trong tháng 8/2025.\n"
        "8. Cơ quan báo cáo kết quả về Bộ trước ngày 31 tháng 01 của năm sau.\n"
    )
    got = [(d.date, d.text[:2]) for d in extract_text(head + body).deadlines]
    assert got == [("2025-12-31", "Tr"), ("2025-12-31", "Vă"), ("2026-12-31", "số"), ("2025-12-05", "Cá"),
                   ("2025-10-14", "Kế"), ("2025-10-31", "Cá")]  # fmt: skip
    # a quarter's numeral as OCR reads it ('TV' for 'IV'), and in digits
    quarter = [d.date for d in extract_text(head + "1. Các sở hoàn thành trong Quý 2/2026.\n").deadlines]
    assert quarter == ["2026-06-30"]
    # held-out set 6: a Party text's month with a hyphen; a table's column of time limits, its row wrapped
    # where a name's ' - ' opens the next line (no bullet)
    party = "2.2. Ban Tổ chức kiểm tra; báo cáo Ban Thường vụ Tỉnh ủy trong tháng 01-2026.\n"
    table = ("STT | Nhiệm vụ | Đơn vị chủ trì | Thời gian hoàn thành\n3 | Dự trữ lương thực | Phòng Văn hóa\n"
             "- Xã hội | Trong tháng 11/2025\n")  # fmt: skip
    assert [d.date for d in extract_text(head + party + table).deadlines] == ["2026-01-31", "2025-11-30"]
    # a quarter whose 'quý' or year the line wraps ('hoàn thành trong' / 'quý II năm' / '2025.')
    wrapped = "2. Giao Đảng ủy Quốc hội sửa đổi Hiến pháp, hoàn thành trong\nquý IV năm\n2025.\n"
    assert [d.date for d in extract_text(head + wrapped).deadlines] == ["2025-12-31"]
    # held-out set 11: a date before the document's own is history, not a deadline
    past = "Tài liệu hình thành trước ngày 01 tháng 01 năm 2012; báo cáo trước ngày 15/10/2025.\n"
    assert [d.date for d in extract_text(head + past).deadlines] == ["2025-10-15"]


def test_a_law_whose_name_holds_a_comma():
    """'Luật Cán bộ, công chức', 'Luật Phòng, chống tham nhũng': a comma before a word in lower case is
    the law's name's own; before a capital ('Luật Đất đai, Nghị định số …') it ends the name, unless the
    name reaches its number or date a few words on ('Luật Thi đua, Khen thưởng ngày …', held-out set 11)."""
    head = ("BỘ NỘI VỤ\nSố: 05/2025/TT-BNV\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHà Nội, ngày 15 tháng 8 năm 2025\n"
            "THÔNG TƯ\nHướng dẫn đánh giá\n")  # fmt: skip
    body = ("Căn cứ Luật Cán bộ, công chức số 80/2025/QH15 ngày 24 tháng 6 năm 2025;\n"
            "Căn cứ Luật Phòng, chống tham nhũng ngày 20 tháng 11 năm 2018;\n"
            "Căn cứ Luật Đất đai, Nghị định số 43/2014/NĐ-CP ngày 15 tháng 5 năm 2014 của Chính phủ;\n")  # fmt: skip
    refs = extract_text(head + body).references
    assert [(r.title, r.key, r.date, r.cited_in) for r in refs] == [
        ("Luật Cán bộ, công chức", "80-2025-QH15", "2025-06-24", "basis"),
        ("Luật Phòng, chống tham nhũng", None, "2018-11-20", "basis"),
        (None, "43-2014-ND-CP", "2014-05-15", "basis"),
    ]


def test_laws_cited_as_the_laws_themselves_cite_them():
    """Real laws' styles (../shared's law texts): an amending law by its number alone ('theo Luật số
    21/2017/QH14'); an older law's name in lower case ('Luật thuế thu nhập cá nhân số 04/2007/QH12');
    a long name, one holding 'thực hiện' or 'pháp luật'; 'Luật sửa đổi … của Luật X số …' cites X; an
    old '10-LCT/HĐNN7'. A name in lower case before a date alone is a sentence, not a citation."""
    body = (
        "2. Luật Khám bệnh, chữa bệnh số 40/2009/QH12 đã được sửa đổi, bổ sung một số điều theo Luật số "
        "21/2017/QH14 và Luật số 47/2019/QH14 hết hiệu lực.\n"
        "b) Khoản 1 Điều 6 của Luật thuế thu nhập cá nhân số 04/2007/QH12; Điều 151 của Bộ luật dân sự số "
        "33/2005/QH11.\n"
        "2. Pháp lệnh Ký kết và thực hiện thỏa thuận quốc tế số 33/2007/PL-UBTVQH11 hết hiệu lực.\n"
        "Quốc hội ban hành Luật sửa đổi, bổ sung một số điều của Luật Cơ quan đại diện nước Cộng hòa xã hội "
        "chủ nghĩa Việt Nam ở nước ngoài số 33/2009/QH12.\n"
        "3. Luật ban hành văn bản quy phạm pháp luật số 17/2008/QH12 hết hiệu lực kể từ ngày Luật này có "
        "hiệu lực.\n"
        "theo Pháp lệnh số 10-LCT/HĐNN7 sửa đổi một số điều về thuế công thương nghiệp ngày 26 tháng 02 năm "
        "1983.\n"
        "1. Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2016.\n"
    )
    refs = extract_text(body).references
    assert [(r.doc_type, r.key, r.title, r.issuer) for r in refs] == [
        ("Luật", "40-2009-QH12", "Luật Khám bệnh, chữa bệnh", "Quốc hội"),
        ("Luật", "21-2017-QH14", None, "Quốc hội"),
        ("Luật", "47-2019-QH14", None, "Quốc hội"),
        ("Luật", "4-2007-QH12", "Luật thuế thu nhập cá nhân", "Quốc hội"),
        ("Bộ luật", "33-2005-QH11", "Bộ luật dân sự", "Quốc hội"),
        ("Pháp lệnh", "33-2007-PL-UBTVQH11", "Pháp lệnh Ký kết và thực hiện thỏa thuận quốc tế",
         "Ủy ban Thường vụ Quốc hội"),
        ("Luật", "33-2009-QH12", "Luật Cơ quan đại diện nước Cộng hòa xã hội chủ nghĩa Việt Nam ở nước ngoài",
         "Quốc hội"),
        ("Luật", "17-2008-QH12", "Luật ban hành văn bản quy phạm pháp luật", "Quốc hội"),
        ("Pháp lệnh", "10-LCT-HDNN7", None, "Hội đồng Nhà nước"),
    ]


def test_references_in_the_styles_of_prose_and_older_letters():
    """Styles of ../shared's Wikipedia prose: the issuer between type and number ('Nghị định của Chính phủ
    số 15/2007/NĐ-CP'), a president's 'Sắc lệnh số 224/SL' (no body named by its initials: 'SL' is the
    type's own), 'BTTTT' kept whole (not 'BTT', Bản thỏa thuận, with letters read twice), a symbol ending
    before a place ('142-NQ/KC - Hà Nội')."""
    text = (
        "Vai trò này được ghi rõ trong Nghị định của Chính phủ số 15/2007/NĐ-CP ngày 26 tháng 1 năm 2007 về phân "
        "loại; Quyết định của Thủ tướng Chính phủ số 97/2002/QĐ-TTg ngày 22/7/2002 phê duyệt Chiến lược.\n"
        "Ngày 27 tháng 11 năm 1946, Chủ tịch nước ra Sắc lệnh số 224/SL, đổi tên Nha Thông tin.\n"
        "Theo Thông tư số 09/2008/TT-BTTTT ngày 24/12/2008 của Bộ Thông tin và Truyền thông.\n"
        "Ngày 13 tháng 6 năm 1949, Nghị quyết số 142-NQ/KC - Hà Nội của Ủy ban Kháng chiến.\n"
    )
    refs = extract_text(text).references
    assert [(r.doc_type, r.key, r.date, r.issuer) for r in refs[:4]] == [
        ("Nghị định", "15-2007-ND-CP", "2007-01-26", "Chính phủ"),
        ("Quyết định", "97-2002-QD-TTG", "2002-07-22", "Thủ tướng Chính phủ"),
        ("Sắc lệnh", "224-SL", None, None),
        ("Thông tư", "9-2008-TT-BTTTT", "2008-12-24", "Bộ Thông tin và Truyền thông"),
    ]
    assert [r.key for r in refs[4:]] == ["142-NQ-KC"]
    # a type in lower case before its issuer and number (prose and older letters)
    lower = "Thực hiện văn bản của Ủy ban nhân dân tỉnh số 1234/UBND-VX ngày 02/10/2025, Sở hướng dẫn."
    assert [(r.doc_type, r.key, r.date, r.issuer) for r in extract_text(lower).references] == [
        ("Công văn", "1234-UBND-VX", "2025-10-02", "Ủy ban nhân dân tỉnh")]


def test_references_of_wikipedia_prose_without_cua_or_so():
    """More of ../shared's Wikipedia prose: a central body named after the type without 'của' ('Nghị định
    Chính phủ số 75/2005/NĐ-CP'), no 'số' before a number with a symbol ('nghị định Chính phủ 72/2013/NĐ-CP'),
    a long issuer ('Hội đồng thẩm phán Tòa án nhân dân tối cao'), a colon for 'số', a date 'ký ngày'; an
    issuer's code with a letter doubled kept ('GP-BTTT', 'VPF-PPL': only a type's code is read once); and a
    sentence that opens with a date is no date line (the citation's 1946 is not read as 1945 before it)."""
    text = (
        "Thị xã Bắc Giang trở thành thành phố theo Nghị định Chính phủ số 75/2005/NĐ-CP ngày 7 tháng 6 năm 2005.\n"
        "Ngày 1 tháng 9 năm 2013, nghị định Chính phủ 72/2013/NĐ-CP trở nên hiệu lực.\n"
        "Theo Nghị quyết của Hội đồng thẩm phán Tòa án nhân dân tối cao số 02/2003/NQ-HĐTP ngày 17/4/2003.\n"
        "Bệnh viện ra đời (theo Quyết định:1171/2006/QĐ-UBTDTT ngày 30/6/2006 của Bộ trưởng).\n"
        "Bộ cấp phép bằng quyết định số 871/GP–BTTT ký ngày 23 tháng 5 năm 2012; công văn số 16/VPF-PPL.\n"
        "Kế hoạch Phòng chống dịch số 12/KH-UBND.\n"  # a title's capitals, no issuer: not read as one
    )
    refs = extract_text(text).references
    assert [(r.doc_type, r.key, r.date, r.issuer) for r in refs] == [
        ("Nghị định", "75-2005-ND-CP", "2005-06-07", "Chính phủ"),
        ("Nghị định", "72-2013-ND-CP", None, "Chính phủ"),
        ("Nghị quyết", "2-2003-NQ-HDTP", "2003-04-17", "Hội đồng thẩm phán Tòa án nhân dân tối cao"),
        ("Quyết định", "1171-2006-QD-UBTDTT", "2006-06-30", "Bộ trưởng"),
        ("Quyết định", "871-GP-BTTT", "2012-05-23", None),
        ("Công văn", "16-VPF-PPL", None, None),
    ]
    prose = "Ngày 13/9/1945, Chủ tịch Chính phủ ký sắc lệnh. Theo Sắc lệnh 21/SL ngày 14/2/1946, tòa án được lập."
    fields = extract_text(prose)
    assert fields.date is None
    assert [(r.key, r.date) for r in fields.references] == [("21-SL", "1946-02-14")]
    assert extract_text("ngày 2 tháng 10 năm 2025\nKẾ HOẠCH\n").date == "2025-10-02"  # a date line, its place lost
    assert [r.symbol for r in extract_text("theo Quyết định số 12/QDD-UBND ngày 1/2/2020").references] == ["QĐ-UBND"]
    # a President's 'Lệnh' (also in lower case; a 'Mệnh lệnh' its own type, as set 109 types it), not a 'Sắc lệnh'
    # read twice
    orders = ("Theo Lệnh số 32/2014/L-CTN ngày 09/12/2014 của Chủ tịch nước; tại lệnh số 18/SL ngày 31/1/1946; "
              "Mệnh lệnh số 1371/TK ngày 7 tháng 4 năm 1975; Sắc lệnh số 21/SL ngày 14/2/1946; ra lệnh cho các đơn vị.")
    assert [(r.doc_type, r.key, r.date) for r in extract_text(orders).references] == [
        ("Lệnh", "32-2014-L-CTN", "2014-12-09"), ("Lệnh", "18-SL", "1946-01-31"),
        ("Mệnh lệnh", "1371-TK", "1975-04-07"), ("Sắc lệnh", "21-SL", "1946-02-14")]
    # words after 'của' that run on into a sentence are no issuer: the law is cited by its own cue
    run_on = "theo quy định của Đảng và tiêu chuẩn của chức danh theo Luật Cán bộ, công chức số 80/2025/QH15."
    assert [(r.doc_type, r.issuer) for r in extract_text(run_on).references] == [("Luật", "Quốc hội")]


def test_documents_of_held_out_set_11():
    """A law whose name's own comma stands before a capital ('Luật Thi đua, Khen thưởng'), also inside an
    amending law's name; a number with a letter ('Nghị quyết số 30a/2008/NQ-CP'); a joint circular's
    bodies on one header line ('BỘ TÀI CHÍNH - BỘ NỘI VỤ'); a university named by its town."""
    basis = ("Căn cứ Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003 và Luật sửa\nđổi, bổ sung một số điều của "
             "Luật Thi đua, Khen thưởng số 39/2013/QH13 ngày\n16 tháng 11 năm 2013;\n"
             "thực hiện Nghị quyết số 30a/2008/NQ-CP ngày 27 tháng 12 năm 2008 của Chính phủ.\n")  # fmt: skip
    refs = extract_text(basis).references
    assert [(r.title, r.key, r.date) for r in refs] == [
        ("Luật Thi đua, Khen thưởng", None, "2003-11-26"),
        ("Luật Thi đua, Khen thưởng", "39-2013-QH13", "2013-11-16"),
        (None, "30A-2008-NQ-CP", "2008-12-27"),
    ]
    assert refs[2].number == "30a"
    joint = ("BỘ TÀI CHÍNH - BỘ NỘI VỤ\nSố: 28/2015/TTLT-BTC-BNV\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
             "Hà Nội, ngày 6 tháng 3 năm 2015\nTHÔNG TƯ LIÊN TỊCH\nHướng dẫn\n")  # fmt: skip
    assert extract_text(joint).issuer == "Bộ Tài chính và Bộ Nội vụ"
    ministry = "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nSố: 218/TB-LĐTBXH\nHà Nội, ngày 6 tháng 3 năm 2013\n"
    assert extract_text(ministry).issuer == "Bộ Lao động - Thương binh và Xã hội"
    # through vie: OCR ran the header's columns together and lost the motto's first letter
    glued = ("BỘ LAO ĐỘNG - THƯƠNG BINHỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nVÀ XÃ HỘI Độc lập - Tự do - Hạnh phúc\n"
             "Số: 218/TB-LĐTBXH Hà Nội, ngày 14 tháng 6 năm 2013\nTHÔNG BÁO\n")  # fmt: skip
    assert extract_text(glued).issuer == "Bộ Lao động - Thương binh và Xã hội"
    from pipeline.extract.text import official_case

    assert official_case("TRƯỜNG ĐẠI HỌC QUY NHƠN") == "Trường Đại học Quy Nhơn"
    assert official_case("TRƯỜNG ĐẠI HỌC SƯ PHẠM") == "Trường Đại học Sư phạm"  # not a town: as it was


def test_a_signature_block_ocr_ran_into_the_list_of_recipients():
    """held-out set 11 through vie: the two columns of the page's foot read as one, the signature block's
    title lines stand between the 'Nơi nhận' entries and its name ends one of them ('… Trung ương; Vũ Đình
    Khải'), the surname read with a mark wrong ('Trân'); an entry's own capitals are no title."""
    head = ("BỘ TÀI CHÍNH - BỘ NỘI VỤ\nSố: 28/2015/TTLT-BTC-BNV\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Hà Nội, ngày 6 tháng 3 năm 2015\nTHÔNG TƯ LIÊN TỊCH\nHướng dẫn\nĐiều 1. Phạm vi.\n")  # fmt: skip
    foot = ("Nơi nhận:\nKT. BỘ TRƯỞNG BỘ TÀI CHÍNH\n- Văn phòng Trung ương và các Ban của\nTHỨ TRƯỞNG\nĐảng;\n"
            "- Văn phòng Chính phủ; KT\n- HĐND, UBND các tỉnh, thành phố trực\nthuộc Trung ương; Vũ Đình Khải\n"
            "- Cục Kiểm tra văn bản QPPL (Bộ Tư pháp);\n- Lưu: VT (BTC, BNV).\n")  # fmt: skip
    signer = extract_text(head + foot).signer
    assert (signer.name, signer.title, signer.authority[:3]) == ("Vũ Đình Khải", "Thứ trưởng", "KT.")
    council = ("Nơi nhận: CHỦ TỊCH\n- UBTVQH, Chính phủ;\n- Các Ban HĐND tỉnh; đại biểu Trân Đình Hưng\nHĐND tỉnh;\n"
               "- Lưu: VT, TH.\n")  # fmt: skip
    signer = extract_text(head + council).signer
    assert (signer.name, signer.title) == ("Trần Đình Hưng", "Chủ tịch")


def test_a_law_whose_header_is_its_number_line_alone():
    """A law as the law texts in ../shared keep it (no line under 20 characters: no 'QUỐC HỘI', no
    'LUẬT', no signature): the number line gives its type ('Bộ luật' where the preamble enacts a code),
    its symbol the issuer, not the enacting sentence; its date is the day Quốc hội passed it (a law has
    no place-and-date line), the one of the symbol's year where another law's is quoted."""
    law = (
        "Luật số: 92/2015/QH13\n"
        "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
        "Quốc hội ban hành Bộ luật tố tụng dân sự.\n"
        "Điều 1. Phạm vi điều chỉnh\n"
        "Luật Dầu khí đã được Quốc hội thông qua ngày 06 tháng 7 năm 1993 hết hiệu lực.\n"
        "Bộ luật này đã được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XIII, kỳ họp thứ 10 thông qua "
        "ngày 25 tháng 11 năm 2015.\n"
    )
    f = extract_text(law)
    assert (f.number, f.symbol, f.doc_type, f.issuer, f.date) == ("92", "2015/QH13", "Bộ luật", "Quốc hội",
                                                                  "2015-11-25")  # fmt: skip
    code = "Bộ luật số: 45/2019/QH14\nQuốc hội ban hành Bộ luật Lao động.\n"
    f = extract_text(code)
    assert (f.number, f.symbol, f.doc_type, f.issuer) == ("45", "2019/QH14", "Bộ luật", "Quốc hội")
    old = "Luật số: 79/2006/QH 11\nQuốc hội ban hành Luật Đê điều.\n"
    assert (extract_text(old).symbol, extract_text(old).doc_type) == ("2006/QH11", "Luật")
    ordinance = ("Pháp lệnh số: 02/2022/UBTVQH15\nỦy ban Thường vụ Quốc hội ban hành Pháp lệnh Chi phí.\n"
                 "Pháp lệnh này được Ủy ban Thường vụ Quốc hội thông qua ngày 28 tháng 12 năm 2022.\n")  # fmt: skip
    f = extract_text(ordinance)
    assert (f.doc_type, f.issuer, f.date) == ("Pháp lệnh", "Ủy ban Thường vụ Quốc hội", "2022-12-28")


QUY_DINH = """BAN CHẤP HÀNH TRUNG ƯƠNG
*
Số 312-QĐ/TW
ĐẢNG CỘNG SẢN VIỆT NAM
Hà Nội, ngày 17 tháng 7 năm 2025
QUY ĐỊNH
về kiểm tra, giám sát
- Căn cứ Điều lệ Đảng;
Bộ Chính trị quy định như sau:
Điều 1. Phạm vi điều chỉnh
Nơi nhận:
- Các tỉnh ủy, thành ủy,
- Lưu Văn phòng Trung ương Đảng.
{on_behalf}
THƯỜNG TRỰC BAN BÍ THƯ
Hà Quang Vinh
"""


def test_party_central_issuer_from_the_body_signed_for():
    """A Quy định of the Politburo prints 'BAN CHẤP HÀNH TRUNG ƯƠNG' alone in its header and no 'CỦA BỘ
    CHÍNH TRỊ' under its title: the issuer is the body it is signed for, under the Central Committee."""
    f = extract_text(QUY_DINH.format(on_behalf="T/M BỘ CHÍNH TRỊ"))
    assert (f.issuer, f.parent_issuer) == ("Bộ Chính trị", "Ban Chấp hành Trung ương")
    assert f.issuer_unit is not None and f.issuer_unit.name == "Bộ Chính trị"
    f = extract_text(QUY_DINH.format(on_behalf="T/M BAN BÍ THƯ"))
    assert (f.issuer, f.parent_issuer) == ("Ban Bí thư", "Ban Chấp hành Trung ương")
    f = extract_text(QUY_DINH.format(on_behalf="T/M BAN CHẤP HÀNH TRUNG ƯƠNG"))  # the Committee's own
    assert (f.issuer, f.parent_issuer) == ("Ban Chấp hành Trung ương", None)


def test_party_symbol_with_a_letter_read_twice():
    """Tesseract reads 'Số 27-TTr/ĐU' as 'Số 27-TTr/ĐĐU': a Party body after the slash is read once where
    only that spelling is one ('ĐU', 'TU', 'TW'); a symbol read right is left alone."""
    head = "ĐẢNG BỘ THÀNH PHỐ HÀ NỘI\nĐẢNG ỦY PHƯỜNG HOÀN KIẾM\n*\nSố 27-TTr/{body}\nĐẢNG CỘNG SẢN VIỆT NAM\n"
    head += "Hoàn Kiếm, ngày 22 tháng 10 năm 2025\nTỜ TRÌNH\nvề việc đề nghị chuẩn y\n"
    assert extract_text(head.format(body="ĐĐU")).symbol == extract_text(head.format(body="ĐU")).symbol == "TTr/ĐU"
    text = "Thực hiện Chỉ thị số 46-CT/TTU ngày 05/5/2025 của Ban Thường vụ Thành ủy."
    assert [r.key for r in extract_text(text).references] == ["46-CT-TU"]
    # held-out sets 4 and 5 through vie: a 'T' read 'I', a letter read thrice ('01-NQ/ĐH' of a Party congress)
    text = "Thực hiện Chỉ thị số 45-CT/IW ngày 14/4/2025 của Bộ Chính trị và Nghị quyết số 01-NQ/ĐĐĐH ngày 28/7/2025."
    assert [r.key for r in extract_text(text).references] == ["45-CT-TW", "1-NQ-DH"]  # keys fold Đ


def test_a_symbol_split_over_a_line_after_its_slash():
    """'Thông tư số 11/2018/' / 'TT-BYT ngày 04/5/2018' (held-out set 4 through vie): a line breaks after a
    separator of the symbol; a dash that opens the next line is a list's, not the symbol's."""
    text = ("Căn cứ Thông tư số 11/2018/\nTT-BYT ngày 04/5/2018 của Bộ trưởng Bộ Y tế quy định;\n"
            "Nơi nhận:\n- Theo Công văn số 5/UBND\n- Sở Nội vụ;\n")  # fmt: skip
    refs = extract_text(text).references
    assert [(r.key, r.date, r.issuer) for r in refs] == [
        ("11-2018-TT-BYT", "2018-05-04", "Bộ trưởng Bộ Y tế"), ("5-UBND", None, None)]  # fmt: skip


def test_header_and_basis_as_legacy_ocr_and_restoration_leave_them():
    """held-out set 4 through eng + restoration: 'Số:' restored as 'Sở:' still opens the number line;
    'Căn cứ' restored as 'Cán cờ' or 'Cần có vào' before a document's capitalised name is still a
    legal basis ('Cần có kế hoạch …' is a sentence of the body)."""
    text = """BẢO HIỂM XÃ HỘI VIỆT NAM
BẢO HIỂM XÃ HỘI
TỈNH HƯNG YÊN
Sở: 1025/QĐ-BHXH
Hưng Yên, ngày 3 tháng 10 năm 2025
QUYẾT ĐỊNH
Về việc ban hành quy chế
Cán cờ Luật sửa đổi, bổ sung một số điều của Luật Dược số 44/2024/QH15 ngày 21/11/2024;
Cần có vào Thông tư số 39/2016/TT-NHNN ngày 30/12/2016 của Thống đốc Ngân hàng Nhà nước Việt Nam;
Cần có kế hoạch theo Thông tư số 5/2020/TT-BYT ngày 1/1/2020.
"""
    f = extract_text(text)
    assert (f.number, f.symbol, f.issuer) == ("1025", "QĐ-BHXH", "Bảo hiểm xã hội tỉnh Hưng Yên")
    assert [r.cited_in for r in f.references] == ["basis", "basis", "body"]


def test_references_as_ocr_damages_them_in_held_out_set_6():
    """vie: a Party body split by a space ('BTGDV TW'), a unit's code with 'O' for '0' ('CO6'), a term's
    numeral 'XIII' read 'XIH'; eng + restoration: a speck after a law's name ('Luật Lưu trữ? số'), a
    title's and a body's head left in capitals across a line ('của BỘ' / 'trưởng BỘ Nội vụ')."""
    text = """Thực hiện Kế hoạch số 42-KH/BTGDV TW ngày 02-10-2025 của Ban Tuyên giáo và Dân
vận Trung ương, Ban Tuyên giáo hướng dẫn; Công văn số 1520/BCA-CO6 ngày 28/10/2025 của Bộ Công an;
Nghị quyết số 60-NQ/TW ngày 12-4-2025 của Hội nghị Trung ương 11 khóa XIH; hoàn thành.
Căn cứ Luật Lưu trữ? số 33/2024/QH15 ngày 21 tháng 6 năm 2024;
Căn cứ Quyết định số 582/QĐ-BNV ngày 30 tháng 6 năm 2025 của BỘ
trưởng BỘ Nội vụ quy định chức năng;
Theo Quyết định số 5/QĐ-UBND ngày 3/6/2025 của Ủy ban nhân dân
SỞ NỘI VỤ
"""
    got = [(r.key, r.date, r.issuer) for r in extract_text(text).references]
    assert got == [
        ("42-KH-BTGDVTW", "2025-10-02", "Ban Tuyên giáo và Dân vận Trung ương"),
        ("1520-BCA-C06", "2025-10-28", "Bộ Công an"),
        ("60-NQ-TW", "2025-04-12", "Hội nghị Trung ương 11 khóa XIII"),
        ("33-2024-QH15", "2024-06-21", "Quốc hội"),
        ("582-QD-BNV", "2025-06-30", "Bộ trưởng Bộ Nội vụ"),
        ("5-QD-UBND", "2025-06-03", "Ủy ban nhân dân"),  # a header line in capitals is no part of the name
    ]


def test_portal_copies_and_party_notices_of_held_out_set_6():
    """A portal copy's digital signature block under the subject ends it ('Ký bởi: …', 'Thời gian ký: …');
    a Party notice's title goes on in capitals ('KẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY') above the subject;
    a law named at a clause's end ('… của Luật Lưu trữ;') does not run into the next clause's type."""
    directive = """ỦY BAN NHÂN DÂN
TỈNH LÂM ĐỒNG
Số: 27/CT-UBND
Lâm Đồng, ngày 4 tháng 12 năm 2025
CHỈ THỊ
Về đẩy mạnh sử dụng chữ ký số
trong hoạt động của các cơ quan trên địa bàn tỉnh
Ký bởi: Ủy ban Nhân dân tỉnh Lâm Đồng
Email: ubnd@lamdong.gov.vn
Thời gian ký: 04.12.2025 10:15:22 +07:00
Căn cứ Nghị định số 113/2025/NĐ-CP ngày 03 tháng 6 năm 2025 của Chính phủ quy định chi tiết Luật Lưu trữ;
Căn cứ Thông tư số 09/2025/TT-BNV ngày 14 tháng 5 năm 2025 của Bộ trưởng Bộ Nội vụ quy định;
"""
    f = extract_text(directive)
    assert f.subject == "Về đẩy mạnh sử dụng chữ ký số trong hoạt động của các cơ quan trên địa bàn tỉnh"
    assert [r.doc_type for r in f.references] == ["Nghị định", "Thông tư"]
    notice = """TỈNH ỦY NGHỆ AN
Số 1245-TB/TU
Nghệ An, ngày 28 tháng 11 năm 2025
THÔNG BÁO
KẾT LUẬN CỦA BAN THƯỜNG VỤ TỈNH ỦY
về tình hình vận hành chính quyền địa phương hai cấp

Ngày 25-11-2025, Ban Thường vụ Tỉnh ủy họp.
"""
    f = extract_text(notice)
    assert (f.doc_type, f.subject) == ("Thông báo", "về tình hình vận hành chính quyền địa phương hai cấp")


def test_a_signed_mark_beside_the_list_and_a_ministry_department_head():
    """A copy's '(Đã ký)' / '[daky]' where the signature stood, read into the 'Nơi nhận' column, is no
    part of an entry; 'Vụ' heads a ministry's department as 'Cục' does ('Vụ Giáo dục phổ thông')."""
    text = """Nơi nhận: TL. BỘ TRƯỞNG
- Như trên; VỤ TRƯỞNG
- Các Thứ trưởng (để b/c); VỤ GIÁO DỤC PHỔ THÔNG
- Cục Quản lý chất lượng (để p/h); (Đã ký)
- Lưu: VT, Vụ GDPT.
[daky]
Hà Thanh Tùng
"""
    f = extract_text(text)
    assert f.cc == ("Như trên", "Các Thứ trưởng (để b/c)", "Cục Quản lý chất lượng (để p/h)", "Lưu: VT, Vụ GDPT")
    assert (f.signer.title, f.signer.name) == ("Vụ trưởng Vụ Giáo dục phổ thông", "Hà Thanh Tùng")


def test_older_documents_of_held_out_set_7():
    """Documents of 2012-2022 (earlier map): a deadline whose dotted date wraps to a line's start
    ('trước ngày' / '30.4.2012.') is no list item; a law named before ';' ends there ('… của Luật Đất
    đai; Nghị định số …' is a Nghị định); a cited 'UBND' / 'HĐND' is spelt out as a header's is, also
    after a title ('của Chủ tịch UBND huyện')."""
    text = """ỦY BAN NHÂN DÂN
HUYỆN ĐẠI LỘC
Số: 12/KH-UBND
Đại Lộc, ngày 5 tháng 3 năm 2012
KẾ HOẠCH
Triển khai Luật Lưu trữ
Căn cứ Nghị định số 43/2014/NĐ-CP ngày 15 tháng 5 năm 2014 của Chính
phủ quy định chi tiết thi hành một số điều của Luật Đất đai; Nghị định số
01/2017/NĐ-CP ngày 06 tháng 01 năm 2017 của Chính phủ;
Thực hiện Kế hoạch số 512/KH-UBND ngày 15/02/2012 của UBND tỉnh Quảng Nam về triển khai, Quyết định
số 1870/QĐ-UBND ngày 14/5/2015 của Chủ tịch UBND huyện.
1. Phòng Nội vụ tổ chức hội nghị cho các xã, thị trấn trước ngày
30.4.2012.
2. Văn phòng phối hợp.
"""
    f = extract_text(text)
    assert [d.date for d in f.deadlines] == ["2012-04-30"]
    assert [(r.doc_type, r.issuer) for r in f.references] == [
        ("Nghị định", "Chính phủ"), ("Nghị định", "Chính phủ"), ("Kế hoạch", "Ủy ban nhân dân tỉnh Quảng Nam"),
        ("Quyết định", "Chủ tịch Ủy ban nhân dân huyện")]  # fmt: skip


def test_family_names_of_tay_nguyen_and_the_south_are_kept():
    """'A' opens men's names of the Ba Na and Xơ Đăng, 'Điểu' is S'tiêng and M'nông: names of the list,
    kept as read (they were renamed 'La', 'Điêu'); so are the Sán Dìu 'Lỷ' and 'Chíu' of Quảng Ninh (sets 200,
    206, 215: were 'Lý', 'Châu'), also written 'Chìu' (set 214), and 'Nịnh' (set 220: was 'Ninh')."""

    def name(line: str) -> str | None:
        return extract_text(SIGNED.format(name=line)).signer.name

    for line in ("A Thuân", "Điểu Thị Hạnh", "Y Moan Niê", "Siu Thị Hoa", "Lỷ Văn Thắng", "Chíu Văn Phúc",
                 "Chìu Văn Sáng", "Nịnh Văn Quyên"):
        assert name(line) == line


def test_central_bodies_sectors_and_unions_of_held_out_set_8():
    """The 2025 tax office under the Cục Thuế ('THUẾ TỈNH NGHỆ AN' its own unit, its deputy head's title
    ending in a unit word above the name), Party and mass bodies' names ('cơ quan Đảng', 'Trung ương Hội
    Chữ thập đỏ', 'Tổng LĐLĐ'), a police unit's number after its letters ('PV01'), an Ê Đê woman's name
    ('H' Ly Niê'), a month deadline over a line break."""
    from pipeline.extract.text import official_case

    text = """CỤC THUẾ
THUẾ TỈNH NGHỆ AN
Số: 512/TB-NAN
Nghệ An, ngày 3 tháng 11 năm 2025
THÔNG BÁO
Về việc hộ kinh doanh
Theo Công văn số 88/CAT-PV01 ngày 2/11/2025 của Công an tỉnh, hoàn thành việc rà soát trong
tháng 12/2025.
Nơi nhận:
- Cục Thuế (để b/c);
- Lưu: VT.
KT. TRƯỞNG THUẾ TỈNH
PHÓ TRƯỞNG THUẾ TỈNH
Nguyễn Thị Quỳnh Trang
"""
    f = extract_text(text)
    assert (f.issuer, f.parent_issuer, f.signer.name) == ("Thuế tỉnh Nghệ An", "Cục Thuế", "Nguyễn Thị Quỳnh Trang")
    assert [r.symbol for r in f.references] == ["CAT-PV01"] and [d.date for d in f.deadlines] == ["2025-12-31"]
    assert official_case("ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH") == "Đảng ủy các cơ quan Đảng tỉnh"
    assert official_case("TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ VIỆT NAM") == "Trung ương Hội Chữ thập đỏ Việt Nam"
    assert official_case("TỔNG LĐLĐ VIỆT NAM") == "Tổng Liên đoàn Lao động Việt Nam"
    assert official_case("BAN CHẤP HÀNH TRUNG ƯƠNG ĐẢNG CỘNG SẢN VIỆT NAM") == (
        "Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam")  # fmt: skip
    assert extract_text(SIGNED.format(name="H' Ly Niê")).signer.name == "H' Ly Niê"


def test_a_central_body_header_in_the_case_restoration_left_it():
    """held-out set 8 through eng + restoration: 'Chính PHỦ' over 'Số: 318/NQ-CP' is the header's body
    (it was taken for a sentence, and the issuer guessed from the symbol's initials: 'Chính PHỦ Số')."""
    pages = [PageText(0, (TextBlock("header_left", "Chính PHỦ\nSố: 318/NQ-CP"),
                          TextBlock("header_right", "CỘNG HÒA XÃ HỘI\nHà Nội, ngày 8 tháng 11 năm 2025"),
                          TextBlock("title", "NGHỊ QUYẾT\nPhiên họp Chính phủ thường kỳ")), True)]  # fmt: skip
    assert extract_fields(pages).issuer == "Chính phủ"


def test_everyday_documents_of_held_out_set_9():
    """A number under ten as Nghị định 30/2020 prints it ('Số: 02/CTr-UBND': kept as printed; its key, which
    search uses, drops the zero); a school named after its level ('Trường Tiểu học Kim Đồng')."""
    from pipeline.extract.text import official_case

    f = extract_text("ỦY BAN NHÂN DÂN\nXÃ QUẢNG HÀ\nSố: 02/CTr-UBND\nngày 5 tháng 1 năm 2026\nCHƯƠNG TRÌNH\nX\n")
    assert (f.number, f.symbol, reference_key(f"{f.number}/{f.symbol}")) == ("02", "CTr-UBND", "2-CTR-UBND")
    assert extract_text("Số: 214/TTr--UBND\nTỜ TRÌNH\nVề X\n").symbol == "TTr-UBND"  # vie's '--'
    assert official_case("TRƯỜNG TIỂU HỌC KIM ĐỒNG") == "Trường Tiểu học Kim Đồng"
    assert official_case("TRƯỜNG TRUNG HỌC CƠ SỞ NGUYỄN DU") == "Trường Trung học cơ sở Nguyễn Du"
    # a named kind's name is kept as printed, its first word no body's word to mend ('Cục', 'Sở')
    assert official_case("VƯỜN QUỐC GIA CÚC PHƯƠNG") == "Vườn quốc gia Cúc Phương"
    assert official_case("TRƯỜNG TIỂU HỌC SỐ 2 XÃ AN PHÚ") == "Trường Tiểu học Số 2 xã An Phú"
    # after a place's name a body's word is mended
    assert official_case("UBND TỈNH NINH BÌNH SỐ Y TẾ") == "Ủy ban nhân dân tỉnh Ninh Bình Sở Y tế"


def test_a_symbol_ocr_split_with_a_space():
    """held-out set 9 through vie: '86/T Tr-VHXH' (the type 'TTr' split) and '2468/QĐ-SY T ngày …' (a last
    part's letter before the date) are whole symbols, their dates and issuers found; a word after a
    symbol is no part of it."""
    text = ("Theo đề nghị của Trưởng phòng Văn hóa - Xã hội tại Tờ trình số\n86/T Tr-VHXH ngày 25 tháng 11 năm 2025.\n"
            "Căn cứ Quyết định số 2468/QĐ-SY T ngày 15 tháng 10 năm 2025 của Sở Y\ntế về việc giao.\n"
            "Công văn số 12/UBND-VP Hà Nội ngày 1/2/2025 của Ủy ban nhân dân.")  # fmt: skip
    refs = extract_text(text).references
    assert [(r.key, r.date) for r in refs[:2]] == [("86-TTR-VHXH", "2025-11-25"), ("2468-QD-SYT", "2025-10-15")]
    assert refs[2].key == "12-UBND-VP"


def test_what_held_out_set_10_showed():
    """Words in lower case between a cited type and its number ('Biên bản vi phạm hành chính số 18/BB-VPHC
    lập ngày …', 'Thông báo kết luận số …': a Thông báo), not where a longer type begins so ('Thông tư
    liên tịch'); 'MTTQ' spelt out as 'UBND' is; a court's 'KV1' keeps its digit; an Ê Đê name ends with
    its family's ('Y Khuin Byă')."""
    from pipeline.extract.text import official_case

    text = ("Căn cứ Biên bản vi phạm hành chính số 18/BB-VPHC lập ngày 03/12/2025;\n"
            "Thực hiện Thông báo kết luận số 123/TB-VPCP ngày 5/6/2025 của Văn phòng Chính phủ và Công văn "
            "số 156/TAKV1-DS ngày 04/12/2025 của Tòa án nhân dân khu vực 1.")  # fmt: skip
    got = [(r.key, r.doc_type, r.date) for r in extract_text(text).references]
    assert got == [("18-BB-VPHC", "Biên bản", "2025-12-03"), ("123-TB-VPCP", "Thông báo", "2025-06-05"),
                   ("156-TAKV1-DS", "Công văn", "2025-12-04")]  # fmt: skip
    assert official_case("ỦY BAN MTTQ VIỆT NAM PHƯỜNG VĨNH YÊN") == "Ủy ban Mặt trận Tổ quốc Việt Nam phường Vĩnh Yên"
    assert extract_text(SIGNED.format(name="Y Khuin Byă")).signer.name == "Y Khuin Byă"


def test_a_joint_resolution_is_of_the_joint_family():
    """'Nghị quyết liên tịch số 403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN' is issued jointly, as a TTLT is."""
    text = ("Thực hiện Nghị quyết liên tịch số 403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN ngày 15/3/2017 về giám sát "
            "và Thông tư liên tịch số 01/2025/TTLT-BNV-BTC ngày 10/3/2025.")  # fmt: skip
    refs = extract_text(text).references
    assert [(r.doc_type, r.family) for r in refs] == [
        ("Nghị quyết liên tịch", "joint"),
        ("Thông tư liên tịch", "joint"),
    ]
    # a body whose code starts with the letters, Trung tâm Lưu trữ lịch sử (set 198), issues alone
    refs = extract_text("Thực hiện Kế hoạch số 58/KH-TTLTLS ngày 10/3/2023 của Trung tâm Lưu trữ lịch sử.").references
    assert [(r.doc_type, r.family) for r in refs] == [("Kế hoạch", "state")]


def test_acting_head_signs_as_such():
    """'Q. GIÁM ĐỐC' on a line of its own: the acting director signs; the title is 'Quyền Giám đốc'."""
    text = SIGNED.replace("KT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\n", "Q. GIÁM ĐỐC\n").format(name="Lê Thị Thủy")
    signer = extract_text(text).signer
    assert (signer.name, signer.title, signer.authority) == ("Lê Thị Thủy", "Quyền Giám đốc", "Q. Giám đốc")


def test_joint_references_name_every_body():
    """A joint document's issuers are all its bodies, as the text lists them ('A, B và C'; a name with
    '-' inside) or, where it names none, as its symbol does; a list ends at 'và' ('… và Bộ Tài chính, Bộ
    Nội vụ đề nghị …' starts the next clause); a verb after a body's name is not part of it."""
    text = """Căn cứ Thông tư liên tịch số 03/2016/TTLT-BNV-BTC-BLĐTBXH ngày 16/5/2016 của Bộ Nội vụ, Bộ Tài chính và Bộ Lao động - Thương binh và Xã hội hướng dẫn;
Căn cứ Nghị quyết liên tịch số 403/2017/NQLT-UBTVQH14-CP-ĐCTUBTWMTTQVN ngày 15/3/2017 về giám sát;
Thực hiện Thông tư liên tịch số 01/2025/TTLT-BNV-BTC ngày 10/3/2025 của Bộ Nội vụ và Bộ Tài chính, Bộ Nội vụ đề nghị;
Thông tư số 06/2024/TT-BNV ngày 18/6/2024 của Bộ trưởng Bộ Nội vụ hết hiệu lực.
"""  # noqa: E501
    assert [r.issuer for r in extract_text(text).references] == [
        "Bộ Nội vụ, Bộ Tài chính và Bộ Lao động - Thương binh và Xã hội",
        "Ủy ban Thường vụ Quốc hội, Chính phủ và Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
        "Bộ Nội vụ và Bộ Tài chính", "Bộ trưởng Bộ Nội vụ"]  # fmt: skip


def test_a_list_of_references_shares_the_issuer_it_names_once():
    """'A, B và C của X': the documents of one body (their symbols say so: all '…/TT-NHNN') are all X's;
    a document of another body in the list keeps its own; a body numbered after its name keeps the
    number ('Tư lệnh Quân khu 4', 'Chi cục Hải quan khu vực III')."""
    text = """Căn cứ Thông tư số 39/2016/TT-NHNN ngày 30/12/2016, Thông tư số 06/2023/TT-NHNN ngày 28/6/2023 và Thông tư số 12/2024/TT-NHNN ngày 28/6/2024 của Thống đốc Ngân hàng Nhà nước Việt Nam quy định về cho vay;
Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 và Thông tư số 01/2011/TT-BNV ngày 19/01/2011 của Bộ Nội vụ;
Thực hiện Chỉ thị số 05/CT-BTL ngày 15/01/2025 của Tư lệnh Quân khu 4 và Quyết định số 5/QĐ-CCHQ ngày 2/3/2025 của Chi cục Hải quan khu vực III.
"""  # noqa: E501
    governor = "Thống đốc Ngân hàng Nhà nước Việt Nam"
    issuers = [r.issuer for r in extract_text(text).references]
    assert issuers[:3] == [governor] * 3
    assert issuers[3] != "Bộ Nội vụ" and issuers[4] == "Bộ Nội vụ"  # 'NĐ-CP' is no ministry's
    assert issuers[5:] == ["Tư lệnh Quân khu 4", "Chi cục Hải quan khu vực III"]


def test_a_central_body_read_with_damage_but_not_a_body_named_like_one():
    """The table's body is found where OCR damaged its name ('Bộ Chính TR]', 'Trung uvong'); a body whose
    name differs by a word of its own is another body ('Ban Bí thư Trung ương Đoàn' is the Youth Union's,
    not 'Ban Bí thư Trung ương Đảng')."""
    from pipeline.extract.normalise import central_body

    assert central_body("Bộ Chính TR]")["name"] == "Bộ Chính trị"
    assert central_body("Ban Chấp hành Trung uvong")["name"] == "Ban Chấp hành Trung ương"
    assert central_body("Ban Bí thư Trung ương Đoàn") is None
    text = "Thực hiện Kế hoạch số 112-KH/TWĐTN-PTTN ngày 22/9/2025 của Ban Bí thư Trung ương Đoàn, Ban Thường vụ"
    assert extract_text(text).references[0].issuer == "Ban Bí thư Trung ương Đoàn"


def test_official_names_of_courts_procuracies_companies_and_offices():
    """Header names in capitals as the law writes them: 'Tòa án nhân dân', 'Viện kiểm sát nhân dân', a
    company's 'Tổng công ty Điện lực miền Bắc', a province named without its unit word ('Sở Y tế Phú
    Thọ'); a title with the body it heads ('Giám đốc Sở Nông nghiệp và Môi trường'); an office under a
    province's committee is that committee's ('Văn phòng Ủy ban nhân dân tỉnh Thái Nguyên')."""
    from pipeline.extract.text import official_case, title_case

    assert official_case("TÒA ÁN NHÂN DÂN THÀNH PHỐ CẦN THƠ") == "Tòa án nhân dân thành phố Cần Thơ"
    assert official_case("VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO") == "Viện kiểm sát nhân dân tối cao"
    assert official_case("TỔNG CÔNG TY ĐIỆN LỰC MIỀN BẮC") == "Tổng công ty Điện lực miền Bắc"
    assert official_case("TỔNG CÔNG TY ĐIỆN LỤC MIỀN BẮC") == "Tổng công ty Điện lực miền Bắc"  # vie's 'LỤC'
    assert official_case("TẬP ĐOÀN ĐIỆN LỰC VIỆT NAM") == "Tập đoàn Điện lực Việt Nam"
    assert official_case("SỞ Y TẾ PHÚ THỌ") == "Sở Y tế Phú Thọ"
    assert official_case("BAN QUẢN LÝ CÁC KHU CÔNG NGHIỆP") == "Ban Quản lý các khu công nghiệp"
    assert title_case("GIÁM ĐỐC SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG") == "Giám đốc Sở Nông nghiệp và Môi trường"
    fields = extract_text("UBND TỈNH THÁI NGUYÊN\nVĂN PHÒNG\nSố: 12/TB-VP\nTHÔNG BÁO\nKết luận của Chủ tịch\n")
    assert (fields.issuer, fields.parent_issuer) == ("Văn phòng Ủy ban nhân dân tỉnh Thái Nguyên",
                                                     "Ủy ban nhân dân tỉnh Thái Nguyên")  # fmt: skip


def test_health_bodies_and_abbreviations_as_eng_ocr_damages_them():
    """The English engine drops or changes the mark of 'Y TẾ' ('Y TE', 'Y TỆ', 'YTE': 55 held-out documents'
    health bodies) and reads an abbreviation's 'Đ' as 'B' or 'P' ('ĐOÀN BBQH', 'BỘ CHỈ HUY BPBP'); an
    abbreviation the casing table knows, or one two ways to read, stays as printed."""
    from pipeline.extract.text import official_case

    assert official_case("TRUNG TÂM Y TE HUYỆN ĐẮK MIL") == "Trung tâm Y tế huyện Đắk Mil"
    assert official_case("BỘ Y TỆ") == "Bộ Y tế"
    assert official_case("SỞ YTE") == "Sở Y tế"
    assert official_case("VĂN PHÒNG ĐOÀN BBQH VÀ HĐND TỈNH LONG AN") == (
        "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh Long An")
    assert official_case("BỘ CHỈ HUY BPBP TỈNH ĐIỆN BIÊN") == "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Điện Biên"
    assert official_case("CÔNG TY TNHH BPX") == "Công ty TNHH BPX"  # no body's abbreviation: as printed


def test_header_names_and_symbols_as_vie_ocr_damages_them():
    """held-out set 3 through Tesseract vie: 'TĨNH ĐỒNG THÁP' (a unit word with the wrong mark), 'VIỆT
    NAM.' (a full stop in a name), a cited symbol whose hyphen after its type OCR lost ('1/CTVKSTC' cited
    as a Chỉ thị, '02/2017/TTLTVKSNDTC-BCA-BQP' as a Thông tư liên tịch)."""
    from pipeline.extract.text import official_case

    assert official_case("VIỆN KIỂM SÁT NHÂN DÂN TĨNH ĐỒNG THÁP") == "Viện kiểm sát nhân dân tỉnh Đồng Tháp"
    assert official_case("ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM. TỈNH NGHỆ AN") == (
        "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Nghệ An")
    text = ("Thực hiện Chỉ thị số 01/CTVKSTC ngày 02/01/2025 của Viện trưởng Viện kiểm sát nhân dân tối cao và "
            "Thông tư liên tịch số 02/2017/TTLTVKSNDTC-BCA-BQP ngày 22/12/2017;")
    refs = extract_text(text).references
    assert [r.symbol for r in refs] == ["CT-VKSTC", "2017/TTLT-VKSNDTC-BCA-BQP"]
    assert refs[1].issuer == "Viện kiểm sát nhân dân tối cao, Bộ Công an và Bộ Quốc phòng"  # as its symbol names them


def test_clerks_copy_run_into_the_unit_after_it():
    """'Lưu: V CCVC', 'Lưu: VL P2' (held-out set 3 through vie: the T lost or read L, the comma lost)."""
    for seen, read in (("- Lưu: V CCVC.", "Lưu: VT, CCVC"), ("- Lưu: VL P2.", "Lưu: VT, P2"),
                       ("- Lưu: VP.", "Lưu: VP")):
        assert extract_text(f"Nơi nhận:\n- Như trên;\n{seen}\n").cc == ("Như trên", read)


def test_signer_name_before_a_stamp_block_read_last():
    """The layout read the 'KHẨN' stamp as the page's last block (held-out set 3 through vie): the name
    above it is still the signer's."""
    body = """Yêu cầu Viện trưởng chỉ đạo thực hiện./.
Nơi nhận: KT. VIỆN TRƯỞNG
- Như trên, : PHÓ VIỆN TRƯỞNG
- Lưu: VT, P2.
Huỳnh Thị Ngọc Ánh"""
    pages = [PageText(0, (TextBlock("body", body), TextBlock("stamp", "KHẨN")))]
    signer = extract_fields(pages).signer
    assert (signer.name, signer.title, signer.authority) == ("Huỳnh Thị Ngọc Ánh", "Phó Viện trưởng", "KT. Viện trưởng")


def test_place_in_capitals_keeps_its_abbreviations():
    """'TP. HCM, ngày …' in capitals: the place keeps its abbreviations ('TP. HCM', was 'Tp. Hcm')."""
    text = "ỦY BAN NHÂN DÂN\nPHƯỜNG SÀI GÒN\nSố: 5/KH-UBND\n{}, ngày 1 tháng 10 năm 2025\nKẾ HOẠCH\nTriển khai\n"
    assert extract_text(text.format("TP. HCM")).place == "TP. HCM"
    assert extract_text(text.format("TP. HỒ CHÍ MINH")).place == "TP. Hồ Chí Minh"


def test_eval_fields_counts_checks_as_a_reader_does():
    """A wrong value is one wrong check (not a miss and an extra, as F1 counts it); a missing or a
    spurious one is one too; each item of a list is one."""
    from scripts.eval_fields import Score

    s = Score()
    s.add(["Sở Nội vụ"], ["Bộ Nội vụ"])  # wrong value
    s.add(["Hà Nội"], [])  # missing
    s.add([], ["Huế"])  # spurious
    s.add(["a", "b", "c"], ["a", "b", "x"])  # a list: two right, one wrong
    assert (s.tp, s.checks) == (2, 6)


def test_eval_fields_scores_no_tone_placement():
    """'Thuỷ' and 'Thủy' are one name (text restored from no marks cannot know the printer's style);
    a different tone, or case, is still a different value."""
    from scripts.eval_fields import scalar

    name = lambda n: scalar({"signer": {"name": n}}, "signer.name")  # noqa: E731
    assert name("Lê Thị Thuỷ") == name("Lê Thị  Thủy") == "Lê Thị Thủy"
    assert scalar({"place": "THANH HOÁ"}, "place") == "THANH HÓA"
    assert name("Lê Thị Thúy") != name("Lê Thị Thủy")
    assert scalar({"place": "Hoà Bình"}, "place") != "hòa bình"
    letters = lambda n: scalar({"signer": {"name": n}}, "signer.letters")  # noqa: E731
    assert letters("Trần Quốc Vĩnh") == letters("Trần Quốc Vinh") == "tran quoc vinh" != letters("Trần Quốc Linh")
    assert letters(None) is None


def test_eval_fields_reads_law_truth_by_a_rule_of_its_own():
    """The real laws' truth: every number/symbol, once, with the type word before it and the date right
    after it; the uppercase title's own 'SỐ …' and the law's own number line are not citations."""
    from scripts.eval_fields import law_paragraphs, law_truth

    line = ("Luật Đất đai số 45/2013/QH13 đã được sửa đổi theo Luật số 35/2018/QH14, Quyết định số "
            "36/2018/QĐ-TTg ngày 24 tháng 8 năm 2018 và Luật Đất đai số 45/2013/QH13; Pháp lệnh số 10-LCT/HĐNN7.")
    assert [(r["doc_type"], r["number"], r["symbol"], r["date"]) for r in law_truth(line)] == [
        ("Luật", "45", "2013/QH13", None), ("Luật", "35", "2018/QH14", None),
        ("Quyết định", "36", "2018/QĐ-TTg", "2018-08-24"), ("Pháp lệnh", "10", "LCT/HĐNN7", None),
    ]  # fmt: skip
    corpus = ("Luật số: 91/2015/QH13\nBộ luật dân sự số 33/2005/QH11 hết hiệu lực.\nLuật số: 08/2017/QH14\n"
              "LUẬT CỦA QUỐC HỘI SỐ 06/2003/QH11\ntheo Luật số 21/2017/QH14.\n")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "law.txt.xz"
        with lzma.open(path, "wt", encoding="utf-8") as f:
            f.write(corpus)
        assert law_paragraphs(path) == {"dev": ["theo Luật số 21/2017/QH14."],
                                        "held-out": ["Bộ luật dân sự số 33/2005/QH11 hết hiệu lực."]}  # fmt: skip


def test_eval_fields_skips_the_real_texts_in_a_clone_without_shared(monkeypatch, capsys):
    import scripts.eval_fields as ev

    monkeypatch.setattr(ev, "LAW_CORPUS", Path("/nonexistent/corpus/vn-law.txt.xz"))
    ev.run_laws(None, False)
    assert "skipped" in capsys.readouterr().out


def test_headers_of_bodies_outside_the_state_administration():
    """held-out set 4 (clean text): 'QUÂN', 'QUAN', 'QUẢN' are no unit word 'quận' ('Bộ Chỉ huy quận Sự',
    'Hải quận', 'Cục quận Lý' were read), nor 'XÃ HỘI' a commune; 'HÀ TĨNH' is a place, not 'Hà tỉnh';
    a number ends a name ('QUÂN KHU 4'); 'BAN CHẤP HÀNH' over its body, and a bank's 'CHI NHÁNH', are one
    name; 'LHPN', 'BCH' spelt out; military titles; a body named only in the body ('Hội …')."""
    from pipeline.extract.text import official_case

    assert official_case("BỘ CHỈ HUY QUÂN SỰ TỈNH HÀ TĨNH") == "Bộ Chỉ huy Quân sự tỉnh Hà Tĩnh"
    assert official_case("CHI CỤC HẢI QUAN KHU VỰC III") == "Chi cục Hải quan khu vực III"
    assert official_case("CỤC QUẢN LÝ DƯỢC").startswith("Cục Quản lý")
    assert official_case("BẢO HIỂM XÃ HỘI TỈNH HƯNG YÊN") == "Bảo hiểm xã hội tỉnh Hưng Yên"
    assert official_case("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI") == "Sở Lao động - Thương binh và Xã hội"
    assert official_case("ĐẠI HỌC QUỐC GIA HÀ NỘI") == "Đại học Quốc gia Hà Nội"
    assert official_case("BCH HỘI NÔNG DÂN TỈNH CÀ MAU") == "Ban Chấp hành Hội Nông dân tỉnh Cà Mau"
    military = """BỘ TƯ LỆNH QUÂN KHU 4
BỘ CHỈ HUY QUÂN SỰ
TỈNH HÀ TĨNH
Số: 12/BC-BCH
BÁO CÁO
Kết quả huấn luyện
Các đơn vị báo cáo trước 30/11/2025.
Nơi nhận:
- Lưu: VT.
KT. CHỈ HUY TRƯỞNG
PHÓ CHỈ HUY TRƯỞNG
Đại tá Nguyễn Văn Hùng
"""
    fields = extract_text(military)
    assert (fields.issuer, fields.parent_issuer) == ("Bộ Chỉ huy Quân sự tỉnh Hà Tĩnh", "Bộ Tư lệnh Quân khu 4")
    assert (fields.signer.title, fields.signer.authority) == ("Phó Chỉ huy trưởng", "KT. Chỉ huy trưởng")
    assert [d.date for d in fields.deadlines] == ["2025-11-30"]
    women = "HỘI LHPN VIỆT NAM\nBAN CHẤP HÀNH\nHỘI LHPN TỈNH ĐẮK LẮK\nSố: 5/CTr-HPN\nCHƯƠNG TRÌNH\nHành động\n"
    fields = extract_text(women)
    assert (fields.issuer, fields.parent_issuer) == ("Ban Chấp hành Hội Liên hiệp Phụ nữ tỉnh Đắk Lắk",
                                                     "Hội Liên hiệp Phụ nữ Việt Nam")  # fmt: skip
    bank = "NGÂN HÀNG NHÀ NƯỚC VIỆT NAM\nNGÂN HÀNG NHÀ NƯỚC\nCHI NHÁNH KHU VỰC 8\nSố: 45/NHNN-TD\nV/v tín dụng\n"
    assert extract_text(bank).issuer.startswith("Ngân hàng Nhà nước") and extract_text(bank).issuer.endswith("8")
    cut = "Thực hiện Chỉ thị số 45-CT/TW của Bộ Chính trị, Hội Cựu chiến binh tỉnh Khánh Hòa xây dựng Kế hoạch."
    assert extract_text(cut).issuer == "Hội Cựu chiến binh tỉnh Khánh Hòa"
    ref = extract_text("Theo Quyết định số 215/QĐ-BQL ngày 28/10/2025 của Trưởng ban Ban Quản lý về kiểm tra.")
    assert ref.references[0].issuer == "Trưởng ban Ban Quản lý"


def test_header_names_with_a_dash_and_and():
    """held-out set 5: a dash inside a name stays ('Phòng Văn hóa - Xã hội'), 'VÀ' is never a name's
    capital ('Đoàn ĐBQH và HĐND', spelt out), a dash OCR read beside a bare committee goes."""
    assert extract_text("UBND PHƯỜNG HẠC THÀNH\nPHÒNG VĂN HÓA - XÃ HỘI\nSố: 5/BC-VHXH\n").issuer == (
        "Phòng Văn hóa - Xã hội")
    office = "VĂN PHÒNG ĐOÀN ĐBQH VÀ HĐND\nTỈNH QUẢNG NINH\nSố: 45/VP-CTQH\nV/v tiếp xúc cử tri\n"
    assert extract_text(office).issuer == "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh Quảng Ninh"
    women = "HỘI LHPN VIỆT NAM\nBAN CHẤP HÀNH -\nHỘI LHPN TỈNH ĐẮK LẮK\nSố: 12/CTr-HPN\n"
    assert extract_text(women).issuer == "Ban Chấp hành Hội Liên hiệp Phụ nữ tỉnh Đắk Lắk"


def test_deadline_whose_year_wraps_to_the_next_line():
    """'chậm nhất ngày 05 tháng 12 năm' / '2025.' (held-out set 5 through vie): a year at a line's start
    is no list number; the sentence goes on."""
    text = "KẾ HOẠCH\nTriển khai\nCác đơn vị báo cáo chậm nhất ngày 05 tháng 12 năm\n2025.\n2. Sở Nội vụ tổng hợp.\n"
    assert [d.date for d in extract_text(text).deadlines] == ["2025-12-05"]


def test_deadline_whose_year_ocr_gave_a_digit_too_many():
    """Tesseract vie reads '2025.' at a paragraph's end as '20285.' (three held-out sets, three fonts):
    of the year's five digits, the four nearest the document's year; a valid year stays as read, and
    without the document's year a five-digit year gives no date."""
    head = "ỦY BAN NHÂN DÂN\nPHƯỜNG SÀI GÒN\nSố: 12/KH-UBND\nThành phố Hồ Chí Minh, ngày 20 tháng 11 năm 2025\n"
    body = "KẾ HOẠCH\nVề việc X\nBáo cáo trước ngày 15 tháng 12 năm 20285.\nXong trước ngày 30 tháng 11 năm 2027.\n"
    assert [d.date for d in extract_text(head + body).deadlines] == ["2025-12-15", "2027-11-30"]
    assert [d.date for d in extract_text(body).deadlines] == ["2027-11-30"]


def test_a_title_whose_mark_restoration_lowered_is_one_line_not_two_columns():
    """held-out set 6 through eng + restoration: 'PHÓ Bí THƯ THƯỜNG TRỰC' is one title (the Party's
    standing deputy secretary), not an entry 'PHÓ Bí' beside a title 'THƯ THƯỜNG TRỰC'."""
    text = "Nơi nhận:\n- Lưu: VT.\nT/M BAN THƯỜNG VỤ\nPHÓ Bí THƯ THƯỜNG TRỰC\n[daky]\nVõ Đình Sơn\n"
    signer = extract_text(text).signer
    assert (signer.on_behalf_of, signer.title) == ("T/M Ban Thường vụ", "Phó Bí thư Thường trực")


def test_an_entry_wrapped_onto_a_line_of_capitals_is_no_signature_title():
    """'- VPCP: BTCN, các PCN, Trợ lý TTg, các' / 'Vụ: TH, KTTH, QHĐP, TTĐT;' (held-out set 8): the capitals
    close an entry with ';', which no title does; the title stays 'Thủ tướng'."""
    text = ("Nơi nhận:\n- Như trên;\n- VPCP: BTCN, các PCN, Trợ lý TTg, các\nVụ: TH, KTTH, QHĐP, TTĐT;\n"
            "- Lưu: VT, NN (3b).\n\nTHỦ TƯỚNG\nHoàng Trung Kiên\n")  # fmt: skip
    f = extract_text(text)
    assert f.cc[1] == "VPCP: BTCN, các PCN, Trợ lý TTg, các Vụ: TH, KTTH, QHĐP, TTĐT"
    assert (f.signer.title, f.signer.name) == ("Thủ tướng", "Hoàng Trung Kiên")


def test_two_authority_lines_sign_for_the_outer_by_the_inner():
    """'TL. CHỦ TỊCH' / 'KT. CHÁNH VĂN PHÒNG' / 'PHÓ CHÁNH VĂN PHÒNG': the office signs for the chairman, by its
    head's authority, as five sets' truths write it (45, 106, 136, 137, 181; set 2 kept only the outer)."""
    text = "Nơi nhận:\n- Lưu: VT.\nTL. CHỦ TỊCH\nKT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\nNguyễn Văn Lâm\n"
    signer = extract_text(text).signer
    assert (signer.on_behalf_of, signer.authority, signer.title, signer.name) == (
        "TL. Chủ tịch", "KT. Chánh Văn phòng", "Phó Chánh Văn phòng", "Nguyễn Văn Lâm")


@pytest.mark.parametrize(
    ("head", "symbol"),
    [
        ("BỆNH VIỆN ĐA KHOA\nTỈNH PHÚ THỌ\nSố: 86/GM-BVDK", "GM-BVĐK"),  # the bar of 'Đ' lost
        ("ĐẢNG ỦY PHƯỜNG BUÔN MA THUỘT\nỦY BAN KIỂM TRA\nSố 24-BC/UBKTDBU", "BC/UBKTĐU"),  # its bar read 'B'
        ("LIÊN ĐOÀN LAO ĐỘNG\nTỈNH THANH HÓA\nSố: 1520/LĐLB-TC", "LĐLĐ-TC"),  # 'Đ' read 'B'
        ("BỘ Y TẾ\nCỤC QUẢN LÝ DƯỢC\nSố: 2345/QLĐ-CL", "QLD-CL"),  # a 'D' read with a bar
        ("UBND TỈNH HÀ GIANG\nSỞ KẾ HOẠCH VÀ ĐẦU TƯ\nSố: 1153/SKHDT-TH", "SKHĐT-TH"),  # 'và' has no initial
        ("BỘ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 5512/BGDĐT-GDPT", "BGDĐT-GDPT"),  # a unit's code after it stays
        ("HỘI NÔNG DÂN TỈNH CÀ MAU\nSố: 07-BA/HNĐT\nĐỀ ÁN", "ĐA/HNDT"),  # 'D' read with a bar; 'BA' for 'ĐA'
        ("HỘI NÔNG DÂN TỈNH CÀ MAU\nSố: 07-ĐA/HNDT", "ĐA/HNDT"),  # the name says 'D': nothing to spell
    ],
)
def test_issuer_code_of_a_symbol_spelt_by_the_issuers_name(head, symbol):
    """Through Tesseract eng (held-out sets 3, 4, 8–10), a 'Đ' of the issuer's code in the symbol comes
    out 'D', 'B' or 'DB', and restoration cannot tell which 'D' of an abbreviation had a bar; the name in
    the header can."""
    assert extract_text(f"{head}\nV/v thử\nKính gửi: Sở Nội vụ\n").symbol == symbol


@pytest.mark.parametrize(
    ("body", "symbol"),
    [
        ("về việc đẩy mạnh chuyển đổi số trong cơ quan; chuyển đổi số là nhiệm vụ", "SKHCN-CĐS"),  # the body's unit
        ("về việc cập nhật dữ liệu cho người dân", "SKHCN-CDS"),  # nothing spells it: as read
        ("gửi các Được sĩ", "SKHCN-CDS"),  # 'Được' is restoration's 'Dược' ('Dược sĩ'): no evidence
    ],
)
def test_unit_code_of_a_symbol_spelt_by_the_body(body, symbol):
    """Through eng, the 'Đ' of the code after the issuer's comes out 'D' or 'B' ('SKHCN-CDS', 'QLBĐ'; 19
    held-out documents); no header names that unit, but the body its letter is about does."""
    head = "UBND TỈNH ĐỒNG THÁP\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 412/SKHCN-CDS\nV/v thử\nKính gửi: Sở Nội vụ\n"
    assert extract_text(f"{head}{body}\n").symbol == symbol


@pytest.mark.parametrize(
    ("head", "issuer", "parent"),
    [
        ("SỞ TÀI CHÍNH TỈNH HẬU GIANG\nCỤC THUẾ TỈNH HẬU GIANG\nSố: 1587/STC-CT",
         "Sở Tài chính tỉnh Hậu Giang và Cục Thuế tỉnh Hậu Giang", None),  # a code for each, in their order
        ("ỦY BAN MẶT TRẬN TỔ QUỐC VIỆT NAM TỈNH BẮC KẠN\nLIÊN ĐOÀN LAO ĐỘNG TỈNH BẮC KẠN\nSố: 17/TBLT-MTTQ-LĐLĐ",
         "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bắc Kạn và Liên đoàn Lao động tỉnh Bắc Kạn", None),
        ("BAN TUYÊN GIÁO TỈNH ỦY TRÀ VINH\nSỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH\nSố 05-HD/BTGTU-SVHTTDL",
         "Ban Tuyên giáo Tỉnh ủy Trà Vinh và Sở Văn hóa, Thể thao và Du lịch", None),  # the Party's form
        ("SỞ GD&ĐT TỈNH TUYÊN QUANG\nTỈNH ĐOÀN TUYÊN QUANG\nSố: 45/KHLT-SGDĐT-TĐTN",
         "Sở Giáo dục và Đào tạo tỉnh Tuyên Quang và Tỉnh đoàn Tuyên Quang", None),  # a joint type: a code each
        ("CHÍNH PHỦ - ĐOÀN CHỦ TỊCH\nỦY BAN TRUNG ƯƠNG\nMẶT TRẬN TỔ QUỐC VIỆT NAM\nSố: 03/2018/NQLT-CP-ĐCTUBTWMTTQVN",
         "Chính phủ và Đoàn Chủ tịch Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", None),
        ("UBND TỈNH HÀ GIANG\nSỞ KẾ HOẠCH VÀ ĐẦU TƯ\nSố: 1153/SKHĐT-TH", "Sở Kế hoạch và Đầu tư",
         "Ủy ban nhân dân tỉnh Hà Giang"),  # a unit's code after its own: a parent above
        ("UBND TỈNH BẮC NINH\nSỞ NỘI VỤ\nSố: 12/KH-SNV", "Sở Nội vụ", "Ủy ban nhân dân tỉnh Bắc Ninh"),
        ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nLIÊN ĐOÀN LAO ĐỘNG TỈNH\nSố: 03/KHLT-SLĐTBXH-LĐLĐ",
         "Sở Lao động - Thương binh và Xã hội và Liên đoàn Lao động tỉnh", None),  # a name's own dash stays
    ],
)
def test_two_bodies_that_made_a_document_together(head, issuer, parent):
    """Set 80 (joint documents): two bodies printed one above the other are the document's joint issuer, not
    a parent and its unit, where the symbol codes each of them after its type or the type is a joint one."""
    fields = extract_text(f"{head}\nV/v thử\nKính gửi: Sở Nội vụ\n")
    assert (fields.issuer, fields.parent_issuer) == (issuer, parent)


def test_cited_symbol_spelt_by_the_cited_issuer():
    """A cited symbol's issuer code spelt by the issuer the citation names ('VILTNN' for 'VTLTNN', 'SGDDBT'
    for 'SGDĐT', held-out sets 3, 7, 11 through eng); without a named issuer it stays as read."""
    text = ("Căn cứ Quyết định số 128/QĐ-VILTNN ngày 01/6/2009 của Cục Văn thư và Lưu trữ nhà nước;\n"
            "Thực hiện Công văn số 312/SGDDBT-GDTRH ngày 26/02/2018 của Sở Giáo dục và Đào tạo;\n"
            "Thực hiện Công văn số 45/SGDDBT-VP ngày 26/02/2018;\n")
    assert [r.symbol for r in extract_text(text).references] == ["QĐ-VTLTNN", "SGDĐT-GDTRH", "SGDDBT-VP"]
    # a stroke OCR read as a letter among the code's ('VTILTNN', heldout15 through vie; 'BNNPTNTI')
    text = ("Thực hiện Công văn số 139/VTILTNN-NVĐP ngày 04/3/2011 của Cục Văn thư và Lưu trữ nhà nước;\n"
            "Căn cứ Thông tư số 12/2015/TT-BNNPTNTI ngày 16/3/2015 của Bộ Nông nghiệp và Phát triển nông thôn;\n"
            "Thực hiện Công văn số 77/UBNDL-VX ngày 16/3/2015 của Ủy ban nhân dân tỉnh Lạng Sơn;\n")  # fmt: skip
    assert [r.symbol for r in extract_text(text).references] == ["VTLTNN-NVĐP", "2015/TT-BNNPTNT", "UBNDL-VX"]
    # a code the name spells as read is read so ('BKHĐI': a T misread, not a stroke after 'BKHĐ')
    text = "Thực hiện Công văn số 5521/BKHĐI-TH ngày 12/7/2023 của Bộ Kế hoạch và Đầu tư;"
    assert [r.symbol for r in extract_text(text).references] == ["BKHĐT-TH"]


def test_cited_symbol_with_an_apostrophe_ocr_put_between_capitals():
    """Tesseract vie reads 'TTg' as 'T'Tg' or 'I'Ig' (held-out sets 8 and 10): one part, the Prime Minister's."""
    text = ("Căn cứ Quyết định số 1719/QĐ-I'Ig ngày 14 tháng 10 năm 2021 của Thủ tướng Chính phủ;\n"
            "Thực hiện Công điện số 214/CĐĐ-T'Tg ngày 26/11/2025 của Thủ tướng Chính phủ;\n")
    refs = extract_text(text).references
    assert [(r.symbol, r.date) for r in refs] == [("QĐ-TTg", "2021-10-14"), ("CĐ-TTg", "2025-11-26")]


def test_issuers_unit_respelt_as_the_gazetteer_and_the_document_name_it():
    """Through Tesseract eng (held-out sets 5 and 10): a speck read as a word after the unit, a horn read
    as an apostrophe, a unit's marks lost where the document names it right elsewhere; a committee named
    by its province and a unit found as printed stay."""
    from pipeline.extract.normalise import unit_tail

    text = "Xét Tờ trình của Ủy ban nhân dân phường Đồng Hới; TỈNH LẠNG SƠN; BỆNH VIỆN ĐA KHOA TỈNH PHÚ THQ"
    for read, name in (
        ("Trung tâm Kiểm soát bệnh tật tỉnh An Giang Tô", "Trung tâm Kiểm soát bệnh tật tỉnh An Giang"),
        ("Hội đồng nhân dân phu'ong đồng hồ", "Hội đồng nhân dân phường Đồng Hới"),  # not 'Đông Hồ' of 2024
        ("Hội đồng nhân dân phường Đông Hồ", "Hội đồng nhân dân phường Đồng Hới"),  # a 2024 name in 2025
        ("Bệnh viện Đa khoa tỉnh Phú Thq", "Bệnh viện Đa khoa tỉnh Phú Thọ"),  # 'TỈNH PHÚ THQ' names no unit
        ("Ủy ban nhân dân tỉnh Lạng So'n", "Ủy ban nhân dân tỉnh Lạng Sơn"),
        ("Tỉnh ủy Lào Cai", "Tỉnh ủy Lào Cai"),
        ("Ủy ban nhân dân tỉnh Thanh Hoá", "Ủy ban nhân dân tỉnh Thanh Hoá"),
        ("Ban Quản lý dự án tỉnh Tây Sơn Bắc", "Ban Quản lý dự án tỉnh Tây Sơn Bắc"),  # no such unit, none near
    ):
        assert unit_tail(read, text, "2025") == name
    head = ("UBND TỈNH AN GIANG\nTRUNG TÂM KIỂM SOÁT BỆNH TẬT\nTỈNH AN GIANG TÔ\nSố: 318/TB-KSBT\n"
            "An Giang, ngày 12 tháng 12 năm 2025\n")
    assert extract_text(f"{head}THÔNG BÁO\nTuyển dụng\n").issuer == "Trung tâm Kiểm soát bệnh tật tỉnh An Giang"


def test_body_names_in_their_official_case_whatever_marks_restoration_gave():
    """Names of bodies as they write themselves (Nghị định 30/2020, Phụ lục I: the field a body works in
    is capitalised), matched without marks, so that restoration's wrong marks through Tesseract eng are
    undone too (held-out sets 4, 6, 8, 9)."""
    from pipeline.extract.text import official_case

    for header, name in (
        ("CỤC QUẢN LÝ DƯỢC", "Cục Quản lý Dược"),
        ("CỤC QUẢN LÝ ĐƯỢC", "Cục Quản lý Dược"),
        ("CỤC VĂN THỤ VÀ LƯU TRỮ NHÀ NƯỚC", "Cục Văn thư và Lưu trữ nhà nước"),
        ("BAN TUYÊN GIÁO VÀ DÂN VẪN", "Ban Tuyên giáo và Dân vận"),
        ("THUÊ TỈNH NGHỆ AN", "Thuế tỉnh Nghệ An"),
        ("TRƯỜNG ĐẠI HỌC KHOA HỌC TỰ NHIÊN", "Trường Đại học Khoa học Tự nhiên"),
        ("NGÂN HÀNG NHÀ NƯỚC CHI NHÁNH KHU VỰC 8", "Ngân hàng Nhà nước Chi nhánh Khu vực 8"),
        ("KHO BẠC NHÀ NƯỚC KHU VỰC V", "Kho bạc Nhà nước khu vực V"),  # as the Treasury writes it
    ):
        assert official_case(header) == name
    # the table's spelling stands against the text's own majority ('được' is a common word)
    head = "BỘ Y TE\nCỤC QUẢN LÝ ĐƯỢC\nSố: 2345/QLĐ-CL\nHà Nội, ngày 5 tháng 11 năm 2025\nV/v thu hồi thuốc\n"
    assert extract_text(f"{head}Thuốc được thu hồi.\n").issuer == "Cục Quản lý Dược"


def test_grassroots_bodies_headers():
    """Held-out set 12: a health station under its commune's committee is the issuer, the committee its
    parent; 'CCB' spelt out as 'LHPN' is; a level's place after it; a cooperative named after its trade;
    a speck OCR read after a header line in capitals ('»kkk', 'oie') is no word of the name."""
    from pipeline.extract.text import official_case

    date = "\nNa Sầm, ngày 3 tháng 10 năm 2025\nBÁO CÁO\nKết quả\n"
    f = extract_text(f"UBND XÃ NA SẦM\nTRẠM Y TẾ\nSố: 27/BC-TYT{date}")
    assert (f.issuer, f.parent_issuer) == ("Trạm Y tế", "Ủy ban nhân dân xã Na Sầm")
    for header, name in (
        ("HỘI CCB XÃ TÂN TRÀO", "Hội Cựu chiến binh xã Tân Trào"),
        ("BẢO HIỂM XÃ HỘI CƠ SỞ CAI LẬY", "Bảo hiểm xã hội cơ sở Cai Lậy"),
        ("HỢP TÁC XÃ NÔNG NGHIỆP TÂN QUỚI", "Hợp tác xã nông nghiệp Tân Quới"),
        ("CƠ SỞ CAI NGHIỆN MA TÚY", "Cơ sở cai nghiện ma túy"),  # a level opening the name places nothing
    ):
        assert official_case(header) == name
    for speck in ("»kkk", "oie"):
        f = extract_text(f"ĐOÀN TNCS HỒ CHÍ MINH\nBCH ĐOÀN XÃ ĐẠI TỪ {speck}\nSố: 07-HD/ĐTN{date}")
        assert f.issuer == "Ban Chấp hành Đoàn xã Đại Từ"


def test_symbols_as_tesseract_eng_reads_a_legislature_and_a_party_committee():
    """'OH12' for a legislature's 'QH12', 'DBU' for a Party committee's 'ĐU' (held-out set 12 through eng)."""
    from pipeline.extract.vocab import clean_symbol

    assert clean_symbol("2008/OH12") == ("2008/QH12", True)
    assert clean_symbol("2016/UBTVOH14") == ("2016/UBTVQH14", True)
    assert clean_symbol("TB/DBU")[0] == "TB/ĐU"
    assert clean_symbol("OH-UBND")[0] == "OH-UBND"  # no legislature's number after it


def test_a_law_named_before_another_type_is_no_law_of_that_name():
    """'… thi hành Luật Căn cước và Kế hoạch số 318/KH-CAT-PC06 …' (held-out set 12): the Kế hoạch is cited,
    not a law 'Căn cước và Kế hoạch' numbered 318."""
    text = ("Thực hiện Luật Căn cước số 26/2023/QH15 ngày 27/11/2023 và biện pháp thi hành Luật Căn cước và Kế "
            "hoạch số 318/KH-CAT-PC06 ngày 04/8/2025 của Công an tỉnh Sơn La về cấp thẻ căn cước")
    refs = extract_text(text).references
    assert [(r.doc_type, r.number, r.symbol) for r in refs] == [
        ("Luật", "26", "2023/QH15"), ("Kế hoạch", "318", "KH-CAT-PC06")]


def test_an_amending_law_cited_by_name_and_date():
    """'Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương
    ngày 22 tháng 11 năm 2019' (held-out set 13, wrapped over a line): the amending law is cited, dated; with a
    number after it the law it amends is; a deadline's 'trước ngày' after a law's name is no law's date."""
    text = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\nLuật sửa đổi, bổ sung một số điều "
            "của Luật Tổ chức Chính phủ và Luật Tổ chức\nchính quyền địa phương ngày 22 tháng 11 năm 2019;\n")
    refs = extract_text(text).references
    assert [(r.date, r.title) for r in refs] == [
        ("2015-06-19", "Luật Tổ chức chính quyền địa phương"),
        ("2019-11-22", "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền "
                       "địa phương"),
    ]
    refs = extract_text("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Đầu tư số 67/2014/QH13;").references
    assert [(r.number, r.title) for r in refs] == [("67", "Luật Đầu tư")]
    text = ("Tổ chức hội nghị phổ biến Luật Lưu trữ cho lãnh đạo, công chức văn thư, lưu trữ các cơ quan, đơn vị và "
            "UBND các xã, thị trấn trước ngày 30/4/2012.")
    assert extract_text(text).references == ()


def test_header_lines_the_other_column_ran_into():
    """A Công điện's header (held-out set 13): the place-and-date line run into the body's name in capitals
    ('VÀ TÌM KIẾM CỨU NẠN Phú Yên, ngày …'), the body's name as its kind writes it, a month limit wrapped
    after 'tháng'."""
    text = ("UBND TỈNH PHÚ YÊN\nBAN CHỈ HUY PHÒNG, CHỐNG THIÊN TAI\nVÀ TÌM KIẾM CỨU NẠN Phú Yên, ngày 9 tháng 11 năm "
            "2020\nSố: 14/CĐ-BCH\nCÔNG ĐIỆN\nVề việc chủ động ứng phó với bão số 12\nCác huyện báo cáo, hoàn thành "
            "trong tháng\n11/2020.\n")
    f = extract_text(text)
    assert (f.place, f.date, f.symbol) == ("Phú Yên", "2020-11-09", "CĐ-BCH")
    assert (f.issuer, f.parent_issuer) == ("Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn",
                                           "Ủy ban nhân dân tỉnh Phú Yên")
    assert [d.date for d in f.deadlines] == ["2020-11-30"]
    # one word OCR put in capitals is the place's own (held-out set 14 through vie)
    head = "BỆNH VIỆN ĐA KHOA\nTỈNH HẬU GIANG\nSố: 27/BB-BVĐK\nVỊ Thanh, ngày 28 tháng 9 năm 2023\n"
    assert extract_text(head).place == "Vị Thanh"


def test_a_title_types_the_symbol_misread_with_a_t():
    """'TIN-STC' under TỜ TRÌNH (held-out set 13 through vie): 'TTr' with its 'T' read 'I' and 'r' read 'N'."""
    from pipeline.extract.vocab import typed_symbol

    assert typed_symbol("TIN-STC", "TTr") == "TTr-STC"
    assert typed_symbol("TB-UBND", "TTr") == "TB-UBND"  # a type of its own stays


def test_central_and_specialised_bodies_as_set_14_prints_them():
    """Held-out set 14: a citation with its issuer between type and number wrapped over a line; a place
    printed 'Hòa Bình' kept as printed (the gazetteer writes 'Hoà Bình'); a region's and a one-member
    company's names in their case; a Chăm family name and a Cơ Ho name word kept on clean text."""
    from pipeline.extract.names import repair_name
    from pipeline.extract.text import official_case

    text = ("theo Điều 11 Thông tư của Bộ Tài nguyên và Môi\ntrường số 08/2024/TT-BTNMT ngày 31/7/2024;\nCăn cứ Thông "
            "tư của Bộ Nông nghiệp và Phát triển nông thôn số\n05/2018/TT-BNNPTNT ngày 15/5/2018;")
    refs = extract_text(text).references
    assert [(r.number, r.symbol, r.date, r.issuer) for r in refs] == [
        ("08", "2024/TT-BTNMT", "2024-07-31", "Bộ Tài nguyên và Môi trường"),
        ("05", "2018/TT-BNNPTNT", "2018-05-15", "Bộ Nông nghiệp và Phát triển nông thôn"),
    ]
    f = extract_text("UBND\nTỈNH HÒA BÌNH\nSố: 412/BC-UBND\nHòa Bình, ngày 16 tháng 12 năm 2024\nBÁO CÁO\nX\n")
    assert (f.place, f.issuer, f.place_unit.name) == ("Hòa Bình", "Ủy ban nhân dân tỉnh Hòa Bình", "tỉnh Hoà Bình")
    assert extract_text("UBND TỈNH HẢI DƯƠNG\nSố: 4/BC-UBND\nKién An, ngày 1 tháng 3 năm 2025\nBÁO CÁO\nX\n").place == (
        "Kiến An")  # marks OCR damaged are still respelt
    assert official_case("TRƯỜNG ĐẠI HỌC TÂY NGUYÊN") == "Trường Đại học Tây Nguyên"
    assert official_case("CÔNG TY TNHH MỘT THÀNH VIÊN KHAI THÁC CÔNG TRÌNH THỦY LỢI NINH THUẬN") == (
        "Công ty TNHH một thành viên Khai thác công trình thủy lợi Ninh Thuận")
    assert repair_name("Đàng Văn Hùng") == "Đàng Văn Hùng"
    assert repair_name("K' Brơi Ha Thuyết") == "K' Brơi Ha Thuyết"
    assert repair_name("Hoàng Minh Cuédng") == "Hoàng Minh Cường"  # OCR's damage is still repaired


def test_heldout15_and_16_first_sight_misses():
    """Held-out sets 15 and 16 (older forms, big cities) at first sight: a Hạt or Đội under its Chi cục is
    the issuer, the Chi cục its parent; a Party resolution 'CỦA BAN THƯỜNG VỤ HUYỆN ỦY' stays the header's
    committee's; a capital after a blank line opens the body, not the subject's next line."""
    head = "CHI CỤC KIỂM LÂM TỈNH HÒA BÌNH\nHẠT KIỂM LÂM HUYỆN ĐÀ BẮC\nSố: 07/BB-HKL\nĐà Bắc, ngày 12/3/2014\n"
    f = extract_text(head + "BIÊN BẢN\nKiểm tra hiện trường\n")
    assert (f.issuer, f.to_json()["parent_issuer"]) == ("Hạt Kiểm lâm huyện Đà Bắc", "Chi cục Kiểm lâm tỉnh Hòa Bình")
    tax = extract_text(head.replace("KIỂM LÂM TỈNH", "THUẾ TỈNH").replace("HẠT KIỂM LÂM", "ĐỘI THUẾ"))
    assert (tax.issuer, tax.to_json()["parent_issuer"]) == ("Đội Thuế huyện Đà Bắc", "Chi cục Thuế tỉnh Hòa Bình")
    party = extract_text("ĐẢNG BỘ TỈNH TIỀN GIANG\nHUYỆN ỦY CÁI BÈ\n*\nSố 05-NQ/HU\nCái Bè, ngày 20 tháng 9 năm 2016\n"
                         "NGHỊ QUYẾT\nCỦA BAN THƯỜNG VỤ HUYỆN ỦY\nvề đẩy mạnh xây dựng nông thôn mới\n")  # fmt: skip
    assert (party.issuer, party.to_json()["parent_issuer"]) == ("Huyện ủy Cái Bè", "Đảng bộ tỉnh Tiền Giang")
    assert party.subject == "về đẩy mạnh xây dựng nông thôn mới"
    central = extract_text("BAN CHẤP HÀNH TRUNG ƯƠNG\n*\nSố 35-CT/TW\nHà Nội, ngày 14 tháng 6 năm 2024\n"
                           "CHỈ THỊ\nCỦA BỘ CHÍNH TRỊ\nvề đại hội đảng bộ các cấp\n")  # fmt: skip
    assert central.issuer == "Bộ Chính trị"  # a body of the centre named by the title is the issuer
    body = "CHỈ THỊ\nVề công tác phòng, chống lụt, bão năm 2012\n\nNăm 2011, trên địa bàn huyện có 02 cơn bão.\n"
    assert extract_text(head + body).subject == "Về công tác phòng, chống lụt, bão năm 2012"
    wrapped = "CHỈ THỊ\nVề triển khai Kế hoạch của\n\nỦy ban nhân dân tỉnh năm 2012\n\nNăm 2011, trên địa bàn.\n"
    assert extract_text(head + wrapped).subject == "Về triển khai Kế hoạch của Ủy ban nhân dân tỉnh năm 2012"


def test_references_of_older_letters_and_councils():
    """Citations held-out set 15 and 16 wrote as real letters do: the date and issuer told before the
    document ('Ngày 19 tháng 01 năm 2011, Bộ Nội vụ ban hành Thông tư số …'), a basis named inside a
    sentence (', căn cứ Quyết định số …'), a law's name with its own comma before a capital, an issuer
    with its Party term ('Đảng khóa XIII') or a dash in its name ('Kinh tế - Ngân sách', 'Bà Rịa - Vũng Tàu')."""
    text = """Ngày 19 tháng 01 năm 2011, Bộ Nội vụ ban hành Thông tư số
01/2011/TT-BNV hướng dẫn thể thức văn bản.
Thực hiện Công văn số 139/VTLTNN-NVĐP ngày 04 tháng 3 năm 2011 của Cục Văn thư và Lưu trữ nhà nước, căn cứ Quyết
định số 38/2009/QĐ-UBND ngày 10/12/2009 của UBND tỉnh Đắk Nông, Sở Nội vụ đề nghị.
Căn cứ Luật Ban hành văn bản quy phạm pháp luật của Hội đồng nhân dân,
Ủy ban nhân dân ngày 03 tháng 12 năm 2004;
Theo Nghị quyết số 27-NQ/TW ngày 09/11/2022 của Ban Chấp hành Trung ương Đảng khóa XIII về xây dựng Nhà nước;
Báo cáo số 215/BC-HĐND ngày 05/12/2025 của Ban Kinh tế - Ngân sách Hội đồng nhân dân thành phố;
Công văn số 9876/UBND-VP ngày 23/12/2016 của Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu về việc.
Ngày 3/4/2021, tại hội nghị, Bộ trưởng yêu cầu thực hiện Quyết định số 45/QĐ-BNV.
"""
    refs = {r.key or r.title: r for r in extract_text(text).references}
    assert (refs["1-2011-TT-BNV"].date, refs["1-2011-TT-BNV"].issuer) == ("2011-01-19", "Bộ Nội vụ")
    assert refs["45-QD-BNV"].date is None  # a date with no 'ban hành' after it is another event's
    assert refs["139-VTLTNN-NVDP"].cited_in == "body" and refs["38-2009-QD-UBND"].cited_in == "basis"
    law = refs["Luật Ban hành văn bản quy phạm pháp luật của Hội đồng nhân dân, Ủy ban nhân dân"]
    assert (law.date, law.cited_in) == ("2004-12-03", "basis")
    assert refs["27-NQ-TW"].issuer == "Ban Chấp hành Trung ương Đảng khóa XIII"
    assert refs["215-BC-HDND"].issuer == "Ban Kinh tế - Ngân sách Hội đồng nhân dân thành phố"
    assert refs["9876-UBND-VP"].issuer == "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu"
    wrapped = "Xét Báo cáo\nthẩm tra số 215/BC-HĐND ngày 05 tháng 12 năm 2025 của Ban Kinh tế - Ngân sách;"
    assert [(r.key, r.date) for r in extract_text(wrapped).references] == [("215-BC-HDND", "2025-12-05")]


def test_place_with_its_unit_word_after_the_symbol_on_one_line():
    """heldout16 through vie: the number's line and the place-and-date line read as one ('Số: 4821/QĐ-UBND
    Thành phố Hồ Chí Minh, ngày …'); the unit word still belongs to the place."""
    f = extract_text("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSố: 4821/QĐ-UBND Thành phố Hồ Chí Minh, ngày 2/10/2025")
    assert (f.place, f.symbol) == ("Thành phố Hồ Chí Minh", "QĐ-UBND")


def test_deadline_year_misread_and_cue_wrapped():
    """heldout15 through vie: '31-10-2046' in a 2016 resolution is OCR's '4' for a '1' (no deadline is
    thirty years off), '2077' a '7' for a '1'; 'hoàn' / 'thành trong tháng 11-2016' wraps its cue."""
    head = "HUYỆN ỦY CÁI BÈ\nSố 05-NQ/HU\nCái Bè, ngày 20 tháng 9 năm 2016\nNGHỊ QUYẾT\nvề việc\n\n"
    body = ("1. Ủy ban nhân dân huyện trình Ban Thường vụ Huyện ủy trước ngày\n31-10-2046.\n"
            "2. Các chi bộ xây dựng chương trình hành động, hoàn\nthành trong tháng 11-2016.\n"
            "3. Các xã báo cáo trước ngày 15/01/2077.\n")  # fmt: skip
    assert [d.date for d in extract_text(head + body).deadlines] == ["2016-10-31", "2016-11-30", "2017-01-15"]


def test_deadline_two_years_on_read_with_a_digit_ocr_misreads():
    """Through vie some fonts read a '5' in a year as '8': '15 tháng 9 năm 2028' in a plan of August 2025 is
    '2025-09-15' (the one such reading within a year of the plan); a deadline a reading cannot bring that
    near, or two readings can, stays as printed ('31/12/2030' of a five-year plan)."""
    head = "BỘ NỘI VỤ\nSố: 120/KH-BNV\nHà Nội, ngày 20 tháng 8 năm 2025\nKẾ HOẠCH\nTriển khai Luật\n\n"
    body = ("a) Trình Chính phủ chậm nhất ngày 15 tháng 9 năm\n2028.\nb) Hoàn thành trước ngày 31/12/2030.\n"
            "c) Báo cáo trước ngày 30/11/2027.\n")  # fmt: skip
    assert [d.date for d in extract_text(head + body).deadlines] == ["2025-09-15", "2030-12-31", "2027-11-30"]


def test_header_lines_the_layout_left_in_the_body():
    """heldout16 and heldout13 through OCR: a long name came near the right column, and the layout put
    its last lines in the body block, after a rule's specks ('BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG TS' /
    'CÁC CÔNG TRÌNH GIAO THÔNG TP. Hồ Chí Minh, ngày …'): lines of words in capitals before the
    number's line are the header's; a line of specks in capitals is not."""
    body = ("QJ1IĐINI7 1IINI1I EII(/ TIN\nBAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG TS\n"
            "CÁC CÔNG TRÌNH GIAO THÔNG TP. Hồ Chí Minh, ngày 27 tháng 5 năm 2024\nSố: 1254/TB-BQLDAGT\n"
            "THÔNG BÁO\nVề việc tổ chức giao thông\n\nBan Quản lý dự án thông báo như sau:")  # fmt: skip
    blocks = (TextBlock("header_left", "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH"),
              TextBlock("header_right", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"),
              TextBlock("body", body))  # fmt: skip
    f = extract_fields([PageText(0, blocks)])
    assert f.issuer == "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông"
    assert f.to_json()["parent_issuer"] == "Ủy ban nhân dân Thành phố Hồ Chí Minh"
    assert (f.place, f.number, f.symbol) == ("TP. Hồ Chí Minh", "1254", "TB-BQLDAGT")


def test_signer_title_without_strokes_read_as_capitals():
    """heldout15 through OCR: the signature's strokes read 'ADRZ WY' under 'BÍ THƯ', a 'Lưu' entry's code
    'VŨ VTLTL' read under 'CHÁNH VĂN PHÒNG': no title's words; an abbreviation in a title stays."""
    def signer(block: str) -> tuple[str | None, str | None]:
        s = extract_text(f"UBND TỈNH ĐẮK NÔNG\nSố: 1/UBND\n\nNội dung./.\n\nNơi nhận:\n- Lưu: VT.\n\n{block}").signer
        return s.title, s.name

    assert signer("T/M BAN THƯỜNG VỤ\nBÍ THƯ\nADRZ WY\nHuỳnh Văn Thiện") == ("Bí thư", "Huỳnh Văn Thiện")
    assert signer("TL. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG\nVŨ VTLTL\nY Thuên Mlô") == ("Chánh Văn phòng", "Y Thuên Mlô")
    assert signer("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC SỞ GD&ĐT\nNguyễn Văn An")[0] == "Phó Giám đốc Sở Giáo dục và Đào tạo"


def test_party_body_with_a_letter_ocr_put_inside():
    """heldout16 through vie: 'Kế hoạch số 180-KH/TEU' is the Thành ủy's 'KH/TU' (a speck read 'E'); a
    Party body of three letters no known one is inside stays ('ĐUK', Đảng ủy Khối)."""
    text = "Thực hiện Kế hoạch số 180-KH/TEU ngày 24/7/2024 và Nghị quyết số 05-NQ/ĐUK ngày 2/5/2024 của Đảng ủy Khối;"
    assert [r.key for r in extract_text(text).references] == ["180-KH-TU", "5-NQ-DUK"]


def test_place_whose_first_word_ocr_lowered():
    """heldout14 through eng: 'kiên Giang, ngày 30 tháng 6 năm 2025' is Kiên Giang, not 'Giang'; a lower-case
    word that makes no unit with the place stays out ('và Giang')."""
    def place(line: str) -> str | None:
        return extract_text(f"TÒA ÁN NHÂN DÂN\nTỈNH KIÊN GIANG\nSố: 196/QĐ-TA\n{line}\nQUYẾT ĐỊNH\n").place

    assert place("kiên Giang, ngày 30 tháng 6 năm 2025") == "Kiên Giang"
    assert place("và Giang, ngày 30 tháng 6 năm 2025") == "Giang"


def test_heldout17_first_sight_misses():
    """Held-out set 17 (inspection, complaints, personnel) at first sight: the Party's Quy định is 'QĐi'
    ('11-QĐi/TW', its Quyết định 'QĐ/TW'); 'theo quy định của Luật Tiếp công dân số 42/2013/QH13' cites the
    law, not a Quy định of it; seven words between a type and its number; a title with a word of its kind
    after the type ('KẾT LUẬN THANH TRA') has its subject under it; 'THÔNG TƯ LIÊN TỊCH' is that type."""
    text = ("Quy định số 11-QĐi/TW ngày 18/02/2019 của Bộ Chính trị; Quyết định số 8-QĐ/TW ngày 1/2/2020;\n"
            "theo quy định của Luật Tiếp công dân số 42/2013/QH13 ngày\n25/11/2013;\n"
            "Xét Báo cáo kết quả xác minh nội dung khiếu nại số 58/BC-TTr ngày 26/8/2019 của Thanh tra.")  # fmt: skip
    refs = extract_text(text).references
    assert [(r.symbol, r.doc_type) for r in refs] == [("QĐi/TW", "Quy định"), ("QĐ/TW", "Quyết định"),
                                                      ("2013/QH13", "Luật"), ("BC-TTr", "Báo cáo")]  # fmt: skip
    assert (refs[2].issuer, refs[3].date, refs[3].issuer) == ("Quốc hội", "2019-08-26", "Thanh tra")
    head = "UBND TỈNH BẮC GIANG\nTHANH TRA TỈNH\nSố: 86/KL-TTr\nBắc Giang, ngày 20 tháng 5 năm 2024\n\n"
    f = extract_text(head + "KẾT LUẬN THANH TRA\nVề việc thanh tra công tác tiếp công dân\n\nThực hiện Quyết định.")
    assert (f.doc_type, f.subject) == ("Kết luận", "Về việc thanh tra công tác tiếp công dân")
    joint = "BỘ TÀI CHÍNH - BỘ NỘI VỤ\nSố: 14/2015/TTLT-BTC-BNV\nHà Nội, ngày 2/2/2015\n\nTHÔNG TƯ LIÊN TỊCH\nHướng dẫn"
    assert extract_text(joint).doc_type == "Thông tư liên tịch"


def test_heldout18_first_sight_misses():
    """Held-out set 18 (normative documents) at first sight: an issuer with the commas of its name between
    type and number; 'Định kỳ hằng năm, … trước ngày 15 tháng 12' is no deadline; through vie a cited
    date after the document's own ('2028' for '2025'), a hyphen read 'I' ('TIBNNPTNT'), a ministry's code
    with its last letter doubled ('BYTT'); 'KT. BỘ TRƯỞNG BỘ Y TẾ' is a title's authority, a council's name
    goes on in lower case, 'SỐ 3' after a name is a number."""
    head = "UBND TỈNH LAI CHÂU\nSố: 41/2025/QĐ-UBND\nLai Châu, ngày 10 tháng 10 năm 2025\n\nQUYẾT ĐỊNH\nabc\n\n"
    text = head + ("Căn cứ Thông tư của Bộ Văn hóa, Thể thao và Du lịch số\n15/2015/TT-BVHTTDL ngày 22/12/2015;\n"
                   "Xét Tờ trình số 186/TTr-SKHCN ngày 08 tháng 9 năm 2028 của Sở Khoa học và Công nghệ;\n"
                   "Căn cứ Thông tư liên tịch số 113/2013/TTLT-BTC-BYTT ngày 15/8/2013 của Bộ Tài chính và Bộ Y tế;\n"
                   "Căn cứ Thông tư số 5/2024/TIBNNPTNT ngày 8/5/2024 của Bộ Nông nghiệp và Phát triển nông thôn;\n"
                   "2. Định kỳ hằng năm, các sở báo cáo kết quả\ntrước ngày 15 tháng 12 gửi Sở Nội vụ.\n")  # fmt: skip
    f = extract_text(text)
    assert [(r.key, r.date) for r in f.references] == [
        ("15-2015-TT-BVHTTDL", "2015-12-22"), ("186-TTR-SKHCN", "2025-09-08"), ("113-2013-TTLT-BTC-BYT", "2013-08-15"),
        ("5-2024-TT-BNNPTNT", "2024-05-08")]  # fmt: skip
    assert f.references[0].issuer == "Bộ Văn hóa, Thể thao và Du lịch" and not f.deadlines
    signed = "BỘ Y TẾ\nSố: 1/BYT\n\nNội dung./.\n\nNơi nhận:\n- Lưu: VT.\n\nKT. BỘ TRƯỞNG BỘ Y TẾ\nTHỨ TRƯỞNG\nLê An"
    assert extract_text(signed).signer.authority == "KT. Bộ trưởng Bộ Y tế"
    from pipeline.extract.text import official_case

    assert official_case("HỘI ĐỒNG TUYỂN DỤNG CÔNG CHỨC NĂM 2024") == "Hội đồng tuyển dụng công chức năm 2024"
    assert official_case("HỘI ĐỒNG THÀNH VIÊN") == "Hội đồng thành viên"
    council = extract_text("UBND TỈNH TIỀN GIANG\nHỘI ĐỒNG TUYỂN DỤNG\nCÔNG CHỨC NĂM 2024\nSố: 09/TB-HĐTD\n")
    assert council.issuer == "Hội đồng tuyển dụng công chức năm 2024"
    assert official_case("ĐỘI QUẢN LÝ THỊ TRƯỜNG SỐ 3") == "Đội Quản lý thị trường số 3"


def test_heldout19_and_20_first_sight_misses():
    """Held-out sets 19 (Party documents) and 20 (the 2025 transition) at first sight, clean text: a joint
    Hướng dẫn's 'HDLT' is its type, not 'HD' and a lost hyphen; a lower-case type's qualifier does not run
    past a blank line into the next citation; the Party's name in a subject is no header title; an issuer
    told before 'đã ban hành' and no date; the next page's number between 'ngày' and the date; a Biên
    bản's 'ĐẠI DIỆN BÊN GIAO' is no title; a plenum's resolution is its committee's, 'của' or not."""
    refs = extract_text("theo Hướng dẫn liên tịch số 05/HDLT-STC-SNV ngày 06/8/2025 của Sở Tài chính và Sở Nội vụ.")
    assert [(r.symbol, r.family) for r in refs.references] == [("HDLT-STC-SNV", "joint")]
    text = ("GIẤY MỜI\nDự hội nghị triển khai thực hiện Nghị quyết\nĐại hội Đảng bộ tỉnh và các nghị quyết của "
            "Trung ương\n\nThực hiện Kế hoạch số 14-KH/TU, ngày 21-10-2025 của Ban Thường vụ Tỉnh ủy.\n")  # fmt: skip
    assert [(r.doc_type, r.symbol) for r in extract_text(text).references] == [("Kế hoạch", "KH/TU")]
    head = "TỈNH ỦY KON TUM\nBAN TUYÊN GIÁO\n*\nSố 15-HD/BTGTU\n\nĐẢNG CỘNG SẢN VIỆT NAM\nKon Tum, ngày 27/12/2024\n"
    f = extract_text(head + "\nHƯỚNG DẪN\ntuyên truyền kỷ niệm 95 năm Ngày thành lập\nĐảng Cộng sản Việt Nam và các "
                     "ngày lễ lớn năm 2025\n\nThực hiện Hướng dẫn số 165-HD/BTGTW, ngày 05-12-2024.\n")  # fmt: skip
    assert f.subject == "tuyên truyền kỷ niệm 95 năm Ngày thành lập Đảng Cộng sản Việt Nam và các ngày lễ lớn năm 2025"
    pages = [PageText(0, (TextBlock("other", "năm 2030, Ủy ban nhân dân tỉnh đã ban hành Kế hoạch số\n126/KH-UBND ngày "
                                              "15/7/2021 về chuyển đổi số; thực hiện Nghị quyết số 05-NQ/TU, ngày"),)),
             PageText(1, (TextBlock("other", "2\n\n12-7-2021 của Ban Chấp hành Đảng bộ tỉnh về công nghiệp."),))]
    assert [(r.symbol, r.date, r.issuer) for r in extract_fields(pages).references] == [
        ("KH-UBND", "2021-07-15", "Ủy ban nhân dân tỉnh"), ("NQ/TU", "2021-07-12", "Ban Chấp hành Đảng bộ tỉnh")]
    signed = "Lập thành 04 bản./.\nNơi nhận:\n- Lưu: VT.\n\nĐẠI DIỆN BÊN GIAO\nCHỦ TỊCH\nNguyễn Đức Tâm\n"
    assert (extract_text(signed).signer.title, extract_text(signed).signer.name) == ("Chủ tịch", "Nguyễn Đức Tâm")
    for cite in ("ngày 12/4/2025 Hội nghị lần thứ 11 Ban\nChấp hành", "ngày 12/4/2025 của Hội nghị lần thứ 11 Ban Chấp"
                 " hành"):
        refs = extract_text(f"Căn cứ Nghị quyết số 60-NQ/TW {cite} Trung ương Đảng khóa XIII;").references
        assert [r.issuer for r in refs] == ["Ban Chấp hành Trung ương Đảng khóa XIII"]
    refs = extract_text("Căn cứ Kết luận số 10-KL/TW ngày 1/2/2025 của Hội nghị Trung ương 11 khóa XIII;").references
    assert [r.issuer for r in refs] == ["Hội nghị Trung ương 11 khóa XIII"]  # as printed: no committee named


def test_heldout19_scans_first_sight_misses():
    """Held-out set 19 through vie: a law's name that begins with 'Thực hiện' on one line (clean text had
    it wrapped after 'Thực'); a Party body's 'W' read as 'VW' ('BTGTVW' for the Ban Tuyên giáo Trung ương)."""
    text = "lấy ý kiến vào dự thảo văn kiện\ntheo Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 và Nghị quyết"
    assert [(r.symbol, r.title) for r in extract_text(text).references] == [
        ("2022/QH15", "Luật Thực hiện dân chủ ở cơ sở")]
    text = "Thực hiện Hướng dẫn của Ban Tuyên giáo Trung ương số\n165-HD/BTGTVW, ngày 05-12-2024 về tuyên truyền"
    assert [(r.symbol, r.date) for r in extract_text(text).references] == [("HD/BTGTW", "2024-12-05")]


def test_a_central_body_code_with_a_stroke_read_as_a_letter():
    """Through vie (sets 13, 14 and 19): a stroke read as a letter inside a central body's code of a joint
    symbol ('UEBTVQH14', 'ĐCTUBITWMTTQVN', 'BITNMT') is the table's code; a code the table has stays."""
    text = ("Căn cứ Nghị quyết liên tịch số 403/2017/NQLT-UEBTVQH14-CP-ĐCTUBITWMTTQVN ngày 15/3/2017; Thông tư "
            "liên tịch số 07/2011/TTLT-BNNPTNT-BITNMT ngày 29/01/2011; Công văn số 12/BTTTT-CNTT ngày 2/3/2020.")
    assert [r.key for r in extract_text(text).references] == [
        "403-2017-NQLT-UBTVQH14-CP-DCTUBTWMTTQVN", "7-2011-TTLT-BNNPTNT-BTNMT", "12-BTTTT-CNTT"]


def test_heldout21_and_22_first_sight_misses():
    """Held-out sets 21 and 22 at first sight, clean text: a place whose name has a dash ('Bà Rịa - Vũng Tàu,
    ngày …') is the gazetteer's whole name, not its last words (a phường Vũng Tàu exists too); a dash
    before a place the gazetteer does not name so stays out of it."""
    head = "UBND TỈNH BÀ RỊA - VŨNG TÀU\nSỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG\nSố: 12/TB-STNMT\n{}, ngày 5 tháng 11 năm 2024\n"
    assert extract_text(head.format("Bà Rịa - Vũng Tàu") + "THÔNG BÁO\nVề việc X\n").place == "Bà Rịa - Vũng Tàu"
    assert extract_text(head.format("CỤC THUẾ - Hà Nội") + "THÔNG BÁO\nVề việc X\n").place == "Hà Nội"


def test_heldout21_scans_first_sight_misses():
    """Held-out set 21 through vie at first sight: a central body's code split before its last letter, read
    as another ('4708/BY I-DP' for 'BYT-DP'); a fraction slash OCR wrote for '/' ('8145⁄UBND-VX')."""
    text = "Thực hiện Công văn số 4708/BY I-DP ngày 06/9/2022 của Bộ Y tế; Công văn số 8145⁄UBND-VX ngày 12/7/2024."
    assert [(r.key, r.date) for r in extract_text(text).references] == [
        ("4708-BYT-DP", "2022-09-06"), ("8145-UBND-VX", "2024-07-12")]
    assert extract_text("Số: 12∕KH-UBND\nHà Nội, ngày 1/2/2025\n").symbol == "KH-UBND"


def test_heldout22_scans_first_sight_misses():
    """Held-out set 22 through OCR at first sight: the layout took page 2's top for a header block, and the
    first page's header (merged with the motto's column into its body block) lost its issuer to a guess;
    specks read before the place ('RỮEẽ Nam Định, ngày …'); the slash before a symbol's year read twice
    ('47/12019/QH14')."""
    page1 = ("UBND TỈNH NAM ĐỊNH CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nBAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG Độc lập - Tự "
             "do - Hạnh phúc\nCÔNG TRÌNH GIAO THÔNG —————\n1n 1_'6\"— RỮEẽ Nam Định, ngày 18 tháng 11 năm 2021\nSố: "
             "156/TTr-BQLDA\nTỜ TRÌNH\nĐề nghị phê duyệt điều chỉnh dự án\nKính gửi: Ủy ban nhân dân tỉnh.\n"
             "Căn cứ Luật Đất đai số 47/12019/QH14 ngày 22/11/2019; Ban Quản lý dự án kính trình.")  # fmt: skip
    page2 = (TextBlock("header_left", "2\nđể bảo đảm tiến độ dự án"), TextBlock("body", "Kính trình Ủy ban xem xét./."))
    f = extract_fields([PageText(0, (TextBlock("body", page1),)), PageText(1, page2)])
    assert (f.issuer, f.place) == ("Ban Quản lý dự án đầu tư xây dựng công trình giao thông", "Nam Định")
    assert [(r.key, r.date) for r in f.references] == [("47-2019-QH14", "2019-11-22")]


def test_heldout23_first_sight_misses():
    """Held-out set 23 (2005–2012) at first sight, clean text: the bodies of those years (Bộ Bưu chính, Viễn
    thông and its Sở, until 2007–2008) with the comma of their names kept; a city whose name joins its
    parts with a hyphen ('Phan Rang-Tháp Chàm, ngày …')."""
    head = "UBND TỈNH LONG AN\nSỞ BƯU CHÍNH, VIỄN THÔNG\nSố: 86/BC-SBCVT\n{}, ngày 10 tháng 7 năm 2006\nBÁO CÁO\nX\n\n"
    f = extract_text(head.format("Tân An") + "Thực hiện Công văn số 1250/BBCVT-VT ngày 05/6/2006 của Bộ Bưu chính, "
                     "Viễn thông về việc báo cáo.")  # fmt: skip
    assert f.issuer == "Sở Bưu chính, Viễn thông"
    assert [(r.key, r.issuer) for r in f.references] == [("1250-BBCVT-VT", "Bộ Bưu chính, Viễn thông")]
    assert extract_text(head.format("Phan Rang-Tháp Chàm")).place == "Phan Rang-Tháp Chàm"
    # a comma OCR put inside a name is still not the name's ('Ủy, ban nhân dân' is 'Ủy ban nhân dân')
    refs = extract_text("theo Công văn số 12/UBND-VP ngày 2/3/2020 của Ủy, ban nhân dân thành phố Hải Phòng.")
    assert [r.issuer for r in refs.references] == ["Ủy ban nhân dân thành phố Hải Phòng"]


def test_heldout24_first_sight_misses():
    """Held-out set 24 (internal affairs, emulation) at first sight, clean text: 'Hội đồng Thi đua - Khen
    thưởng' in its case, the emulation board's name with its dash in a citation; an issuer before a
    letter's closing mark ('… của Ủy ban nhân dân tỉnh Lâm Đồng./.')."""
    head = "UBND TỈNH HÀ TĨNH\nHỘI ĐỒNG THI ĐUA - KHEN THƯỞNG\nSố: 15/HĐTĐKT\nHà Tĩnh, ngày 5 tháng 1 năm 2026\n"
    f = extract_text(head + "V/v khen thưởng\n\nThực hiện Công văn số 128/BTĐKT-NV ngày 20/2/2024 của Ban Thi đua - "
                     "Khen thưởng Trung ương về việc khen thưởng; theo Quyết định số 1218/QĐ-UBND ngày 30/6/2025 "
                     "của\nỦy ban nhân dân tỉnh Lâm Đồng./.\n")  # fmt: skip
    assert f.issuer == "Hội đồng Thi đua - Khen thưởng"
    assert [r.issuer for r in f.references] == ["Ban Thi đua - Khen thưởng Trung ương", "Ủy ban nhân dân tỉnh Lâm Đồng"]


def test_heldout23_scans_first_sight_misses():
    """Held-out set 23 through vie at first sight: a worded date cut by the page, the next page's number
    between ('ngày 18 tháng 9' / '2' / 'năm 2006'); a joint type split after its first letter behind the
    year ('112/2010/T TLT-BTC-BLĐTBXH')."""
    page1 = PageText(0, (TextBlock("body", "Điều 2. Thay thế Quyết định số 1045/QĐ-UBND ngày 18 tháng 9"),))
    page2 = PageText(1, (TextBlock("body", "2\nnăm 2006 của Ủy ban nhân dân tỉnh Hà Nam về việc X."),))
    assert [(r.key, r.date) for r in extract_fields([page1, page2]).references] == [("1045-QD-UBND", "2006-09-18")]
    text = "căn cứ Thông tư liên tịch số\n112/2010/T TLT-BTC-BLĐTBXH ngày 30/7/2010 hướng dẫn quản lý"
    assert [(r.key, r.date) for r in extract_text(text).references] == [("112-2010-TTLT-BTC-BLDTBXH", "2010-07-30")]
    # through eng, restoration lost a letter of the place ('Bdc Kan' -> 'Bắc An'); the document spells it twice
    head = "UBND TỈNH BẮC KẠN\nSỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nSố: 27/GM-SLĐTBXH\nBắc An, ngày 2/6/2010\n"
    f = extract_text(head + "GIẤY MỜI\nDự hội nghị\n\nSở mời đại diện các huyện của tỉnh Bắc Kạn; tại thị xã Bắc Kạn.")
    assert f.place == "Bắc Kạn"


def test_a_stamp_block_ocr_doubled_is_still_the_stamp():
    """Held-out set 24 through vie: the red MẬT stamp's block read 'MẬẶT' (its marks stacked), and the page
    went unmarked: a leak. A block the layout found as a stamp is the stamp's word when its letters, run
    together and without marks, spell it; other text in a stamp block is left as read."""
    def secrecy(stamp: str) -> str | None:
        blocks = (TextBlock("header_left", "TỈNH ỦY BẮC KẠN\nBAN TỔ CHỨC\n*\nSố 86-TTr/BTCTU"),
                  TextBlock("header_right", "ĐẢNG CỘNG SẢN VIỆT NAM\nBắc Kạn, ngày 5 tháng 11 năm 2024"),
                  TextBlock("stamp", stamp), TextBlock("title", "TỜ TRÌNH\nvề giao biên chế năm 2025"))  # fmt: skip
        return extract_fields([PageText(0, blocks)]).secrecy

    assert secrecy("MẬẶT") == secrecy("MÁT") == secrecy("MẬT") == "Mật"
    assert secrecy("TTỐI MẬT") == "Tối mật" and secrecy("MẶT TRẬN") is None
    # a frame's edge read as a lone letter beside the word (heldout27 through eng: '|. KHAN', restored 'I. KHẨN')
    assert secrecy("I. MẬT") == secrecy("l MẬT |") == "Mật" and secrecy("A MẶT TRẬN") is None


def test_a_symbol_t_read_as_an_apostrophe_and_a_stroke():
    """Held-out set 24 through vie: 'TT' read "T'1" and 'TTg' read "T'g" in cited symbols; both were cut
    at the apostrophe ('2-2019-T', '35-CT-T') and lost their dates."""
    text = "Căn cứ Thông tư\ncủa Bộ Nội vụ số 02/2019/T'1-BNV ngày 24/01/2019; Chỉ thị số 35/CT-T'g ngày 07/9/2017."
    assert [(r.key, r.date) for r in extract_text(text).references] == [
        ("2-2019-TT-BNV", "2019-01-24"), ("35-CT-TTG", "2017-09-07")]


def test_heldout25_to_28_first_sight_misses():
    """Held-out sets 25–28 at first sight, clean text: a unit under its department whose name takes two
    lines ('SỞ VĂN HÓA, …' / 'TỈNH TIỀN GIANG' / 'THƯ VIỆN TỈNH'); a council's or a front's standing board
    named with its body, no parent ('HỘI ĐỒNG NHÂN DÂN' / 'TỈNH CÀ MAU' / 'THƯỜNG TRỰC'); header
    abbreviations spelt out ('PTNT', 'PCTT VÀ TKCN') and names in their case ('Hội Liên hiệp Phụ nữ', 'Đoàn
    đại biểu Quốc hội'); a court's judgment cited ('Bản án … số 125/2025/DS-ST'); no deadline at the end of
    a span ('từ ngày … đến hết ngày …', a festival that 'diễn ra đến hết ngày …') or in a month expected."""
    date = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n{}, ngày 2 tháng 1 năm 2026\n"
    cases = [
        ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH\nTỈNH TIỀN GIANG\nTHƯ VIỆN TỈNH\nSố: 12/KH-TV\n", "Tiền Giang",
         "Thư viện tỉnh", "Sở Văn hóa, Thể thao và Du lịch tỉnh Tiền Giang"),
        ("HỘI ĐỒNG NHÂN DÂN\nTỈNH CÀ MAU\nTHƯỜNG TRỰC\nSố: 24/TB-HĐND\n", "Cà Mau",
         "Thường trực Hội đồng nhân dân tỉnh Cà Mau", None),
        ("ỦY BAN MTTQ VIỆT NAM\nTỈNH BÌNH THUẬN\nBAN THƯỜNG TRỰC\nSố: 05/HD-MTTQ-BTT\n", "Bình Thuận",
         "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bình Thuận", None),
        ("SỞ NÔNG NGHIỆP VÀ PTNT\nTỈNH QUẢNG BÌNH\nCHI CỤC KIỂM LÂM\nSố: 15/CĐ-CCKL\n", "Quảng Bình",
         "Chi cục Kiểm lâm", "Sở Nông nghiệp và Phát triển nông thôn tỉnh Quảng Bình"),
        ("UBND TỈNH HẢI DƯƠNG\nBAN CHỈ HUY PCTT VÀ TKCN\nSố: 05/CĐ-BCH\n", "Hải Dương",
         "Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn", "Ủy ban nhân dân tỉnh Hải Dương"),
        ("HỘI LHPN TỈNH QUẢNG NAM\nHỘI LIÊN HIỆP PHỤ NỮ HUYỆN DUY XUYÊN\nSố: 37/BC-HPN\n", "Duy Xuyên",
         "Hội Liên hiệp Phụ nữ huyện Duy Xuyên", None),
        ("ĐOÀN ĐẠI BIỂU QUỐC HỘI\nTỈNH PHÚ YÊN\nSố: 142/ĐĐBQH-VP\n", "Phú Yên",
         "Đoàn đại biểu Quốc hội tỉnh Phú Yên", None),
    ]  # fmt: skip
    for head, place, issuer, parent in cases:
        f = extract_text(head + date.format(place) + "THÔNG BÁO\nX\n")
        assert (f.issuer, f.parent_issuer if parent else None) == (issuer, parent)
    court = "Căn cứ Bản án dân sự sơ thẩm số 125/2025/DS-ST ngày 08/8/2025 của Tòa án nhân dân khu vực 5 - Đồng Nai;"
    assert [(r.doc_type, r.key, r.date) for r in extract_text(court).references] == [
        ("Bản án", "125-2025-DS-ST", "2025-08-08")]
    spans = (date.format("Hải Dương") + "KẾ HOẠCH\nX\n\nb) Thời gian chỉnh lý quyết toán từ ngày 01/01/2026 "
             "đến hết ngày 31/01/2026; trong thời gian này chỉ hạch toán.\nDự báo từ đêm 07/01/2026 đến hết ngày "
             "09/01/2026 có mưa.\n"
             "- Lễ hội diễn ra đến hết ngày 10/3/2026.\nĐề nghị báo cáo tại kỳ họp (dự kiến trong tháng 7/2026).\n"
             "Thời gian nộp hồ sơ từ ngày 05/01/2026 đến hết ngày 15/01/2026.\n"
             "Nhận hồ sơ tại Văn phòng từ ngày 03/02/2026 đến hết ngày 21/02/2026.\n")  # fmt: skip
    # what is handed in by then is a limit; a body's window for receiving it is a span (sets 29 and 35)
    assert [d.date for d in extract_text(spans).deadlines] == ["2026-01-15"]


def test_heldout28_scans_first_sight_misses():
    """Held-out set 28 through vie at first sight: the signer's name at the end of a 'Nơi nhận' entry after an
    abbreviation ('… đại biểu HĐND Hồ Xuân Trường' / 'tỉnh;'); a 'Số' restoration read 'Sẽ' before its colon;
    the motto's 'CỘNG' misread whole where the columns ran together ('… ĐỎ VIỆT TM HÒA XÃ HỘI …')."""
    head = ("HỘI ĐỒNG NHÂN DÂN\nTỈNH KHÁNH HÒA\nSố: 32/2025/NQ-HĐND\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Khánh Hòa, ngày 6 tháng 12 năm 2025\nNGHỊ QUYẾT\nQuy định\nĐiều 1. Phạm vi.\n")  # fmt: skip
    foot = ("Nơi nhận: CHỦ TỊCH\n- Ủy ban Thường vụ Quốc hội;\n- Chính phủ;\n"
            "- Đoàn ĐBQH tỉnh; đại biểu HĐND Hồ Xuân Trường\ntỉnh;\n- HĐND, UBND các xã;\n- Lưu: VT.\n")  # fmt: skip
    assert extract_text(head + foot).signer.name == "Hồ Xuân Trường"
    # after a comma too; not an entry's own name that wraps ('Trung ương Đoàn TNCS Hồ Chí' / 'Minh;')
    foot = ("Nơi nhận: CHỦ TỊCH\n- Văn phòng Trung ương và các Ban\ncủa Đảng, Nguyễn Hữu Quang\n- Văn phòng Quốc "
            "hội;\n- Trung ương Đoàn TNCS Hồ Chí\nMinh;\n- Lưu: VT.\n")  # fmt: skip
    assert extract_text(head + foot).signer.name == "Nguyễn Hữu Quang"
    glued = ("TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ VIỆT TM HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHỘI CHỮ THẬP ĐỎ Độc lập - Tự do"
             " - Hạnh phúc\nTỈNH BÌNH ĐỊNH\n: Bình Định, ngày 18 tháng 11 năm 2024\nSẽ: 318/CTĐ-CTXH\n"
             "V/v cứu trợ\n")  # fmt: skip
    f = extract_text(glued)
    assert (f.number, f.symbol, f.issuer) == ("318", "CTĐ-CTXH", "Hội Chữ thập đỏ tỉnh Bình Định")


def test_heldout25_to_28_scans_first_sight_misses():
    """Held-out sets 25–28 through the scans at first sight: a quote OCR put after a header line ('BỘ CHỈ HUY
    QUÂN SỰ”'); a word restoration wrote in its case among capitals ('CỤC THUẾ TỈNH Bình ĐỊNH'); a type's
    letter read thrice ('QĐĐĐ'), not a code's four ('BTTTT'); a council's committee whose marks
    restoration got wrong ('BAN KINH TẾ - NGẮN SẠCH')."""
    date = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{}, ngày 17 tháng 12 năm 2021\nGIẤY MỜI\n"
    cases = [
        ("BỘ TƯ LỆNH QUÂN KHU 9\nBỘ CHỈ HUY QUÂN SỰ”\nTĨNH TIỀN GIANG\nSố: 1265/GM-BCH\n", "Tiền Giang",
         "Bộ Chỉ huy Quân sự tỉnh Tiền Giang"),
        ("TỔNG CỤC THUẾ\nCỤC THUẾ TỈNH Bình ĐỊNH\nSố: 5127/CTBDI-TTHT\n", "Bình Định", "Cục Thuế tỉnh Bình Định"),
        ("HĐND TỈNH QUẢNG BÌNH\nBAN KINH TẾ - NGẮN SẠCH\nSẽ: 96/BC-KTNS\n", "Quảng Bình", "Ban Kinh tế - Ngân sách"),
    ]  # fmt: skip
    for head, place, issuer in cases:
        assert extract_text(head + date.format(place)).issuer == issuer
    text = "Căn cứ Quyết định số 1128/QĐĐĐ-TCTHADS ngày 02/12/2019; Công văn số 2714/BTTTT-CBC ngày 28/7/2023."
    assert [r.key for r in extract_text(text).references] == ["1128-QD-TCTHADS", "2714-BTTTT-CBC"]
    # through eng: a type's words restoration damaged, the symbol's code names it ('Tế trình … /TTr-'); a joint
    # symbol's central body code split by a space ('UBT VQH14')
    text = ("Xét Tế trình số 186/TTr-UBND ngày 20 tháng 11 năm 2023 của Ủy ban nhân dân tỉnh về dự thảo;\nNghị quyết "
            "liên tịch số 403/2017/NQLT-UBT VQH14-CP-DCTUBTWMTTQVN\nngày 15/6/2017 của Ủy ban Thường vụ Quốc hội.")
    assert [(r.doc_type, r.key, r.date) for r in extract_text(text).references] == [
        ("Tờ trình", "186-TTR-UBND", "2023-11-20"),
        ("Nghị quyết liên tịch", "403-2017-NQLT-UBTVQH14-CP-DCTUBTWMTTQVN", "2017-06-15"),
    ]


def test_the_rule_under_the_motto_read_after_a_header_line():
    """Through eng, where the header's two columns were read as one: the rule under 'Độc lập - Tự do - Hạnh
    phúc' read as a letter or two after the left column's line beside it ('CÔNG CHỨC NĂM 2024 Te', 'VĂN
    PHÒNG TO'; sets 17, 18 and 26); a roman numeral there is the name's ('KHU VỰC II')."""
    tail = "\n{}, ngày 14 tháng 10 năm 2024\nSố: 09/TB-{}\nTHÔNG BÁO\n"
    cases = [
        ("UBND TỈNH TIỀN GIANG CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nHỘI ĐỒNG TUYỂN DỤNG Độc lập - Tự do - Hạnh phúc\n"
         "CÔNG CHỨC NĂM 2024 Te", "Tiền Giang", "HĐTD", "Hội đồng tuyển dụng công chức năm 2024"),
        ("BỘ NÔNG NGHIỆP CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nVÀ PHÁT TRIỂN NÔNG THÔN Độc lập - Tự do - Hạnh phúc\n"
         "VĂN PHÒNG TO", "Hà Nội", "VP", "Văn phòng Bộ Nông nghiệp và Phát triển nông thôn"),
        ("CỤC HẢI QUAN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nCHI CỤC HẢI QUAN Độc lập - Tự do - Hạnh phúc\nKHU VỰC II",
         "Khánh Hòa", "HQ", "Chi cục Hải quan khu vực II"),
    ]  # fmt: skip
    for head, place, code, issuer in cases:
        assert extract_text(head + tail.format(place, code)).issuer == issuer


def test_heldout29_to_32_first_sight_misses_in_the_header():
    """Sets 29–32 at first sight: a unit under its parent whose head the table lacked ('QUỸ ĐẦU TƯ PHÁT TRIỂN',
    'VƯỜN QUỐC GIA CÚC PHƯƠNG', 'BƯU ĐIỆN', 'ĐỒN BIÊN PHÒNG'); a word whose marks make it no head ('VIÊN CHỨC' is
    no 'Viện', 'XỔ SỐ' and 'CHUYỂN ĐỔI SỐ' hold no 'Sở'); a task's words after a committee's head in lower case
    ('phòng chống lụt bão'); a place's own capitals kept as printed ('Kbang', "Ea H'Leo"); under a name that
    ends in its province a line names a unit of its own ('NHÀ XUẤT BẢN NGHỆ AN')."""
    date = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{}, ngày 5 tháng 9 năm 2024\nTHÔNG BÁO\nVề việc x\n"
    cases = [
        ("UBND TỈNH THÁI NGUYÊN\nQUỸ ĐẦU TƯ PHÁT TRIỂN\nSố: 215/TB-QĐTPT", "Thái Nguyên",
         "Quỹ Đầu tư phát triển", "Ủy ban nhân dân tỉnh Thái Nguyên"),
        ("BỘ NÔNG NGHIỆP VÀ PTNT\nVƯỜN QUỐC GIA CÚC PHƯƠNG\nSố: 03/TB-VQGCP", "Ninh Bình", "Vườn quốc gia Cúc Phương",
         "Bộ Nông nghiệp và Phát triển nông thôn"),
        ("TỔNG CÔNG TY BƯU ĐIỆN VIỆT NAM\nBƯU ĐIỆN TỈNH GIA LAI\nSố: 142/TB-BĐGL", "Gia Lai", "Bưu điện tỉnh Gia Lai",
         "Tổng công ty Bưu điện Việt Nam"),
        ("BỘ CHỈ HUY BĐBP TỈNH LÀO CAI\nĐỒN BIÊN PHÒNG SI MA CAI\nSố: 312/TB-ĐBP", "Si Ma Cai",
         "Đồn Biên phòng Si Ma Cai", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh Lào Cai"),
        ("SỞ Y TẾ TỈNH ĐẮK LẮK\nHỘI ĐỒNG TUYỂN DỤNG\nVIÊN CHỨC NĂM 2024\nSố: 05/TB-HĐTD", "Đắk Lắk",
         "Hội đồng tuyển dụng viên chức năm 2024", "Sở Y tế tỉnh Đắk Lắk"),
        ("UBND TỈNH BẾN TRE\nCÔNG TY TNHH MỘT THÀNH VIÊN\nXỔ SỐ KIẾN THIẾT BẾN TRE\nSố: 07/TB-XSKT", "Bến Tre",
         "Công ty TNHH một thành viên Xổ số kiến thiết Bến Tre", "Ủy ban nhân dân tỉnh Bến Tre"),
        ("UBND TỈNH VĨNH PHÚC\nBAN CHỈ ĐẠO CHUYỂN ĐỔI SỐ\nSố: 18/TB-BCĐ", "Vĩnh Phúc", "Ban Chỉ đạo chuyển đổi số",
         "Ủy ban nhân dân tỉnh Vĩnh Phúc"),
        ("UBND TỈNH THANH HOÁ\nBAN CHỈ HUY PHÒNG CHỐNG\nLỤT BÃO\nSố: 17/TB-PCLB", "Thanh Hoá",
         "Ban Chỉ huy phòng chống lụt bão", "Ủy ban nhân dân tỉnh Thanh Hoá"),
        ("ỦY BAN NHÂN DÂN\nHUYỆN KBANG\nSố: 198/TB-UBND", "Kbang", "Ủy ban nhân dân huyện Kbang", None),
        ("HỘI ĐỒNG NHÂN DÂN\nHUYỆN EA H'LEO\nSố: 27/TB-HĐND", "Ea H'Leo", "Hội đồng nhân dân huyện Ea H'Leo", None),
        # under a name that ends in its province, a unit of its own whatever its head
        ("UBND TỈNH NGHỆ AN\nNHÀ XUẤT BẢN NGHỆ AN\nSố: 15/TB-NXB", "Nghệ An", "Nhà xuất bản Nghệ An",
         "Ủy ban nhân dân tỉnh Nghệ An"),
    ]  # fmt: skip
    for head, place, issuer, parent in cases:
        f = extract_text(head + date.format(place))
        assert (f.place, f.issuer, f.parent_issuer) == (place, issuer, parent)
    # through eng: a code's 'Đ' read 'D', spelt by the issuer's name without its unit word ('Bưu điện tỉnh Gia Lai')
    f = extract_text("TỔNG CÔNG TY BƯU ĐIỆN VIỆT NAM\nBƯU ĐIỆN TỈNH GIA LAI\nSố: 142/TB-BDGL" + date.format("Gia Lai"))
    assert f.symbol == "TB-BĐGL"
    # through OCR: a head's mark misread is still mended where a name starts ('ĐOẠN', 'BÁNG BỔ' for 'ĐẢNG BỘ')
    f = extract_text("ĐOẠN TNCS HỒ CHÍ MINH\nBAN CHẤP HÀNH ĐOẠN TỈNH LÀO CAI\nSố: 86/TB-TĐTN" + date.format("Lào Cai"))
    assert f.issuer == "Ban Chấp hành Đoàn tỉnh Lào Cai"
    f = extract_text("BÁNG BỔ TỈNH BẮC NINH\nĐẢNG ỦY XÃ LỤC NGẠN\nSố: 12-TB/ĐU" + date.format("Lục Ngạn"))
    assert f.parent_issuer == "Đảng bộ tỉnh Bắc Ninh"


def test_heldout29_to_32_first_sight_misses_in_body_and_signature():
    """Sets 29–32 at first sight: a month's limit in the 1990s ('hoàn thành trong tháng 6-1999'); a date that
    opens a span after 'thời hạn' is no limit; a Party plenum or words in brackets between a type and its
    number ('Nghị quyết Trung ương 5 (khoá VIII) số 03-NQ/TW', 'Quy định (Bổ sung) số 216-QĐ/TW'); 'TRƯỞNG ĐOÀN'
    is no 'Trưởng ban'; a minority name's word that begins with a letter no Vietnamese word has ('Jơng')."""
    head = "HUYỆN UỶ VỊ XUYÊN\nSố 12-NQ/HU\nVị Xuyên, ngày 20 tháng 8 năm 1998\nNGHỊ QUYẾT\nVề văn hoá\n"
    body = ("Thực hiện Nghị quyết Trung ương 5 (khoá VIII) số 03-NQ/TW, ngày 16-7-1998 của Ban Chấp hành Trung ương "
            "Đảng về văn hoá, theo Quy định (Bổ sung) số 216-QĐ/TW ngày 01 tháng 4 năm 1998 của Bộ Chính trị.\n"
            "1. Các xã làm điểm, hoàn thành trong tháng 6-1999 để rút kinh nghiệm.\n"
            "2. Thời hạn lĩnh thưởng kết thúc trong các ngày nghỉ (từ ngày 08/02/1999 đến ngày 14/02/1999).\n")
    f = extract_text(head + body)
    assert [(r.key, r.date) for r in f.references] == [("3-NQ-TW", "1998-07-16"), ("216-QD-TW", "1998-04-01")]
    assert [d.date for d in f.deadlines] == ["1999-06-30"]
    # through eng: a quote after the hour ('12 giờ’ ngày'), 'chậm nhất' damaged ('chém nhật'), 'ương' too
    body = ("Thực hiện Nghị quyết Trung wo'ng 5 (khoá VIII) số 03-NQ/TW, ngày\n16-7-1998 của Ban Chấp hành.\n"
            "1. Di dời người dân, hoàn thành trước\n12 giờ’ ngày 28/9/1998.\n"
            "2. Thí sinh xác nhận nhập học chém nhật\nngày 15 tháng 10 năm 1998.\n")
    body += "3. Xét Tờ trình số\n87/TIr--NNPTNT ngày 25/9/1998 của Phòng Nông nghiệp.\n"  # a dash read twice ('vie')
    f = extract_text(head + body)
    assert [(r.key, r.date) for r in f.references] == [("3-NQ-TW", "1998-07-16"), ("87-TTR-NNPTNT", "1998-09-25")]
    assert [d.date for d in f.deadlines] == ["1998-09-28", "1998-10-15"]
    sign = "\nNơi nhận:\n- Lưu: VT.\n\nTM. ĐOÀN KIỂM TRA\nTRƯỞNG ĐOÀN\nThân Văn Khoa\n"
    assert extract_text(head + sign).signer.title == "Trưởng đoàn"
    sign = "\nNơi nhận:\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nĐinh Văn Jơng\n"
    assert extract_text(head + sign).signer.name == "Đinh Văn Jơng"


def test_heldout33_to_36_first_sight_misses():
    """Sets 33–36 at first sight: a company's name in capitals, its form in lower case and its own name, often a
    place's, capitalised ('CÔNG TY CỔ PHẦN MUỐI VÀ THỦY SẢN ĐÔNG HẢI', '… NAM TRUNG BỘ'); a branch named with its
    company is one body, not two joined ('CHI NHÁNH TÂY NINH - CÔNG TY …'); 'KKT', 'KCN' spelt out; 'phi chính
    phủ' inside a name; a licence and a board's minutes cited ('Giấy phép môi trường số 112/GPMT-UBND', 'Biên
    bản họp Hội đồng quản trị số …'); a limit two years on kept where the document writes that year elsewhere
    ('giai đoạn 2023 - 2025')."""
    date = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{}, ngày 5 tháng 9 năm 2023\nTHÔNG BÁO\nVề việc x\n"
    cases = [
        ("CÔNG TY CỔ PHẦN MUỐI VÀ\nTHỦY SẢN ĐÔNG HẢI\nSố: 12/TB-HĐQT", "Bạc Liêu",
         "Công ty cổ phần Muối và Thủy sản Đông Hải"),
        ("TỔNG CÔNG TY NĂNG LƯỢNG TÁI TẠO\nNAM TRUNG BỘ\nSố: 05/TB-HĐTV", "Ninh Thuận",
         "Tổng công ty Năng lượng tái tạo Nam Trung Bộ"),
        ("CÔNG TY TNHH CƠ KHÍ CHÍNH XÁC\nHÙNG VƯƠNG\nSố: 03/TB-CKHV", "Phú Thọ",
         "Công ty TNHH Cơ khí chính xác Hùng Vương"),
        ("CHI NHÁNH TÂY NINH -\nCÔNG TY CỔ PHẦN PHÂN BÓN ĐÔNG NAM BỘ\nSố: 186/TB-KT", "Tây Ninh",
         "Chi nhánh Tây Ninh - Công ty cổ phần Phân bón Đông Nam Bộ"),
        ("BAN QUẢN LÝ KKT DUNG QUẤT\nVÀ CÁC KCN QUẢNG NGÃI\nSố: 214/TB-BQL", "Quảng Ngãi",
         "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi"),
        ("UBND TỈNH BÌNH THUẬN\nBAN CÔNG TÁC VỀ TỔ CHỨC\nPHI CHÍNH PHỦ NƯỚC NGOÀI\nSố: 27/TB-BCT", "Bình Thuận",
         "Ban Công tác về tổ chức phi chính phủ nước ngoài"),
    ]  # fmt: skip
    for head, place, issuer in cases:
        assert extract_text(head + date.format(place)).issuer == issuer
    body = ("Căn cứ Biên bản họp Hội đồng quản trị số 12/2023/BB-HĐQT ngày 20/6/2023;\nNhà máy được cấp Giấy phép môi "
            "trường số 112/GPMT-UBND ngày 14/6/2023.\nKế hoạch chỉnh lý tài liệu giai đoạn 2023 - 2025: số hóa "
            "hoàn thành chậm nhất ngày 30 tháng 9 năm 2025.\n")
    f = extract_text("UBND HUYỆN CẦN GIUỘC\nSố: 45/KH-UBND" + date.format("Cần Giuộc") + body)
    assert [(r.doc_type, r.key) for r in f.references] == [
        ("Biên bản", "12-2023-BB-HDQT"), ("Giấy phép", "112-GPMT-UBND")]
    assert [d.date for d in f.deadlines] == ["2025-09-30"]
    # a Khmer name's final 'l' and an Ê Đê name's 'By' are no misread of a Vietnamese syllable; 'SNgV' is printed so
    sign = "\nNơi nhận:\n- Lưu: VT.\n\nTRƯỞNG BAN\n{}\n"
    assert extract_text(date.format("Sóc Trăng") + sign.format("Lâm Thị Sà Phol")).signer.name == "Lâm Thị Sà Phol"
    assert extract_text(date.format("Đắk Lắk") + sign.format("Y Khoa Byă")).signer.name == "Y Khoa Byă"
    assert extract_text("SỞ NGOẠI VỤ\nSố: 1042/SNgV-LS" + date.format("Long An")).symbol == "SNgV-LS"


def test_heldout37_to_40_first_sight_misses():
    """Sets 37–40 at first sight: a consolidated text (`VBHN`) prints the title of what it holds and is signed
    under 'XÁC THỰC VĂN BẢN HỢP NHẤT'; a law dated by its adoption ('được Quốc hội thông qua ngày …'); a
    signer's professional and honorary titles ('TTƯT.BSCKII.') are no part of the name; a faculty under its
    university; a body's address and telephone under its name are no issuer; a chair's 'CHỦ TRÌ HỘI NGHỊ' is no
    title; 'CHQS' spelt out."""
    sign = "\nNơi nhận:\n- Lưu: VT.\n\n{}\n"
    f = extract_text("BỘ TÀI CHÍNH\nSố: 05/VBHN-BTC\nHà Nội, ngày 12 tháng 3 năm 2024\nNGHỊ ĐỊNH\nQuy định về thủ tục\n"
                     "Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 80/2015/QH13 được Quốc hội thông qua ngày 22 "
                     "tháng 6 năm 2015;\n" + sign.format("XÁC THỰC VĂN BẢN HỢP NHẤT\nBỘ TRƯỞNG\nNguyễn Văn Thắng"))
    assert (f.doc_type, f.symbol, f.signer.title, f.signer.name) == (
        "Văn bản hợp nhất", "VBHN-BTC", "Bộ trưởng", "Nguyễn Văn Thắng")
    assert [(r.key, r.date) for r in f.references] == [("80-2015-QH13", "2015-06-22")]
    date = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{}, ngày 5 tháng 9 năm 2025\nGIẤY MỜI\nVề việc x\nNội dung.\n"
    f = extract_text("BỘ Y TẾ\nBỆNH VIỆN ĐA KHOA TỈNH PHÚ YÊN\nSố: 15/GM-BVĐK" + date.format("Phú Yên")
                     + sign.format("GIÁM ĐỐC\nTTƯT.BSCKII. Lương Văn Thạnh"))
    assert f.signer.name == "Lương Văn Thạnh"
    for read in ("TTƯTI.BSCKT. Lương Văn Thạnh", "BSCKTI. Lương Văn Thạnh"):  # as 'vie' read them
        f = extract_text("BỆNH VIỆN ĐA KHOA TỈNH PHÚ YÊN\nSố: 15/GM-BVĐK" + date.format("Phú Yên")
                         + sign.format(f"GIÁM ĐỐC\n{read}"))
        assert f.signer.name == "Lương Văn Thạnh"
    f = extract_text("BỘ CHQS TỈNH SƠN LA\nBAN CHQS HUYỆN MAI SƠN\nSố: 15/GM-BCH" + date.format("Mai Sơn")
                     + sign.format("CHỦ TRÌ HỘI NGHỊ\nCHỦ TỊCH\nLò Văn Minh"))
    assert (f.issuer, f.parent_issuer, f.signer.title) == (
        "Ban Chỉ huy Quân sự huyện Mai Sơn", "Bộ Chỉ huy Quân sự tỉnh Sơn La", "Chủ tịch")
    cases = [
        ("TRƯỜNG ĐẠI HỌC TÂY NGUYÊN\nKHOA Y DƯỢC\nSố: 15/GM-KYD", "Buôn Ma Thuột", "Khoa Y Dược",
         "Trường Đại học Tây Nguyên"),
        ("TỔNG CÔNG TY ĐIỆN LỰC MIỀN BẮC\nCÔNG TY ĐIỆN LỰC NGHỆ AN\nSố 02 Trường Thi, phường Trường Vinh\n"
         "ĐT: 0238.3844xxx\nSố: 15/GM-PCNA", "Nghệ An", "Công ty Điện lực Nghệ An", "Tổng công ty Điện lực miền Bắc"),
        ("SỞ KHOA HỌC\nVÀ CÔNG NGHỆ\nSố: 5/GM-SKHCN", "Hà Nam", "Sở Khoa học và Công nghệ", None),
    ]  # fmt: skip
    _issuers_read(cases, date)


def test_heldout41_to_44_first_sight_misses():
    """Sets 41–44 at first sight: a unit under a commune's committee whose name ends in the commune ('UBND XÃ
    NGỌC CHÚC' / 'TỔ HÒA GIẢI ẤP NGỌC BÌNH'), a hamlet's 'ấp' in lower case with its name capitalised; a
    'Khu Quản lý đường bộ' under its Cục, its roman numeral whole in the code ('KQLĐBII'); a police chief's
    title in its case; a code spelt as printed where the issuer's name spells it ('CAP' of 'Công an phường', not
    the unit-less 'Công an Đồng Hới'); a contract's code kept whole ('HĐXD')."""
    date = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{}, ngày 5 tháng 9 năm 2025\nTHÔNG BÁO\nVề việc x\nNội dung.\n"
    cases = [
        ("UBND XÃ NGỌC CHÚC\nTỔ HÒA GIẢI ẤP NGỌC BÌNH\nSố: 03/TB-THG", "Ngọc Chúc", "Tổ hòa giải ấp Ngọc Bình",
         "Ủy ban nhân dân xã Ngọc Chúc", "TB-THG"),
        ("CỤC ĐƯỜNG BỘ VIỆT NAM\nKHU QUẢN LÝ ĐƯỜNG BỘ II\nSố: 58/TB-KQLĐBII", "Hà Nội", "Khu Quản lý đường bộ II",
         "Cục Đường bộ Việt Nam", "TB-KQLĐBII"),
        ("CÔNG AN TỈNH QUẢNG TRỊ\nCÔNG AN PHƯỜNG ĐỒNG HỚI\nSố: 214/TB-CAP", "Đồng Hới", "Công an phường Đồng Hới",
         "Công an tỉnh Quảng Trị", "TB-CAP"),
    ]  # fmt: skip
    for head, place, issuer, parent, symbol in cases:
        f = extract_text(head + date.format(place))
        assert (f.issuer, f.parent_issuer, f.symbol) == (issuer, parent, symbol)
    sign = "\nNơi nhận:\n- Lưu: VT.\n\nKT. TRƯỞNG CÔNG AN PHƯỜNG\nPHÓ TRƯỞNG CÔNG AN PHƯỜNG\nLê Văn Hùng\n"
    f = extract_text("CÔNG AN PHƯỜNG ĐỒNG HỚI\nSố: 214/TB-CAP" + date.format("Đồng Hới") + sign)
    assert (f.signer.title, f.signer.authority) == ("Phó Trưởng Công an phường", "KT. Trưởng Công an phường")
    f = extract_text("UBND TỈNH BẮC KẠN\nSOY TE\nSố: 12/TB-SYT" + date.format("Bắc Kạn"))  # 'SỞ Y TẾ' through eng
    assert (f.issuer, f.parent_issuer) == ("Sở Y tế", "Ủy ban nhân dân tỉnh Bắc Kạn")
    text = "Căn cứ Hợp đồng thi công xây dựng số 09/2025/HĐXD ngày 20/8/2025;"
    assert [r.key for r in extract_text(text).references] == ["9-2025-HDXD"]


def test_heldout45_to_48_first_sight_misses():
    """Sets 45–48 at first sight: a school's and an education office's abbreviations spelt out as the other
    header abbreviations are ('TRƯỜNG THCS NGUYỄN DU', 'TRƯỜNG TH & THCS …', 'PHÒNG GD&ĐT MỎ CÀY NAM'); a
    numbered district named by its word and number ('Quận 3, ngày …', 'Ủy ban nhân dân Quận 3')."""
    date = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{}, ngày 5 tháng 9 năm 2024\nTHÔNG BÁO\nVề việc x\n"
    cases = [
        ("UBND HUYỆN ĐẮK MIL\nTRƯỜNG THCS NGUYỄN DU\nSố: 45/TB-THCSND", "Đắk Mil", "Trường Trung học cơ sở Nguyễn Du"),
        ("TRƯỜNG TH & THCS TRỌNG HÓA\nSố: 15/TB-THTHCS", "Minh Hóa", "Trường Tiểu học và Trung học cơ sở Trọng Hóa"),
        ("UBND HUYỆN LẠC SƠN\nPHÒNG GD&ĐT\nSố: 112/TB-PGDĐT", "Lạc Sơn", "Phòng Giáo dục và Đào tạo"),
        ("ỦY BAN NHÂN DÂN\nQUẬN 3\nSố: 238/TB-UBND", "Quận 3", "Ủy ban nhân dân Quận 3"),
    ]  # fmt: skip
    for head, place, issuer in cases:
        f = extract_text(head + date.format(place))
        assert (f.place, f.issuer) == (place, issuer)
    f = extract_text("PHÒNG GD&ĐT MỎ CÀY NAM\nTRƯỜNG TIỂU HỌC ĐỊNH THỦY\nSố: 38/TB-THĐT" + date.format("Mỏ Cày Nam"))
    assert (f.issuer, f.parent_issuer) == ("Trường Tiểu học Định Thủy", "Phòng Giáo dục và Đào tạo Mỏ Cày Nam")


def _issuers_read(cases: list[tuple[str, str, str, str | None]], date: str) -> None:
    """Each (header lines, place, issuer, parent) read from the header above a date line naming the place."""
    for head, place, issuer, parent in cases:
        f = extract_text(head + date.format(place))
        assert (f.issuer, f.parent_issuer) == (issuer, parent), head


def test_heldout49_to_56_first_sight_misses_in_the_header():
    """Sets 49–56 at first sight: the Youth Union's committees named by their place ('Tỉnh đoàn Tiền Giang') and
    its motto cut off where the columns ran together; a front's and a union's abbreviations ('UBMTTQ', 'CĐCS');
    a company's own name after its trade ('… Thủy sản Phước Hậu'); a forest's board ('Ban Quản lý rừng phòng
    hộ Như Xuân') and a market's; a body named under a parent that ends in a province without its unit word
    ('CÔNG TY ĐIỆN LỰC BẮC KẠN' / 'ĐIỆN LỰC CHỢ ĐỒN', 'TỈNH ỦY ĐẮK NÔNG' / 'BÁO ĐẮK NÔNG'); a branch with a
    body of its own; a team's and a project's number ('SỐ 3', 'ĐỀ ÁN 06'); a special zone legacy OCR read
    'BẮC KHU'; a district's name one letter off the place's ('BỨC HỌA' of 'Đức Hòa, ngày …')."""
    from pipeline.extract.text import official_case

    date = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{}, ngày 5 tháng 9 năm 2024\nTHÔNG BÁO\nVề việc x\n"
    cases = [
        ("BAN CHẤP HÀNH TỈNH ĐOÀN TIỀN GIANG\n***\nSố: 123-TB/TĐTN-BTG", "Tiền Giang",
         "Ban Chấp hành Tỉnh đoàn Tiền Giang", None),
        ("BAN CHẤP HÀNH TỈNH ĐOÀN ĐẮK LẮK ĐOÀN TNCS HỒ CHÍ MINH\nSố: 215-TB/TĐTN", "Đắk Lắk",
         "Ban Chấp hành Tỉnh đoàn Đắk Lắk", None),
        ("UBMTTQ VIỆT NAM HUYỆN ĐỨC TRỌNG\nỦY BAN MẶT TRẬN TỔ QUỐC\nVIỆT NAM XÃ HIỆP THẠNH\nSố: 14/TB-MTTQ",
         "Hiệp Thạnh", "Ủy ban Mặt trận Tổ quốc Việt Nam xã Hiệp Thạnh",
         "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Đức Trọng"),
        ("CĐCS CÔNG TY CỔ PHẦN\nTHỦY SẢN PHƯỚC HẬU\nSố: 02/TB-CĐCS", "Vĩnh Long",
         "Công đoàn cơ sở Công ty cổ phần Thủy sản Phước Hậu", None),
        ("CHI CỤC KIỂM LÂM THANH HÓA\nBAN QUẢN LÝ RỪNG PHÒNG HỘ NHƯ XUÂN\nSố: 45/TB-BQLR", "Như Xuân",
         "Ban Quản lý rừng phòng hộ Như Xuân", "Chi cục Kiểm lâm Thanh Hóa"),
        ("UBND THÀNH PHỐ BẾN TRE\nBAN QUẢN LÝ CHỢ BẾN TRE\nSố: 27/TB-BQLC", "Bến Tre", "Ban Quản lý chợ Bến Tre",
         "Ủy ban nhân dân thành phố Bến Tre"),
        ("CÔNG TY ĐIỆN LỰC BẮC KẠN\nĐIỆN LỰC CHỢ ĐỒN\nSố: 86/TB-ĐLCĐ", "Chợ Đồn", "Điện lực Chợ Đồn",
         "Công ty Điện lực Bắc Kạn"),
        ("TỈNH ỦY ĐẮK NÔNG\nBÁO ĐẮK NÔNG\nSố: 12/TB-BĐN", "Đắk Nông", "Báo Đắk Nông", "Tỉnh ủy Đắk Nông"),
        ("VĂN PHÒNG ĐĂNG KÝ ĐẤT ĐAI\nTỈNH NINH THUẬN\nCHI NHÁNH VĂN PHÒNG ĐĂNG KÝ\nĐẤT ĐAI HUYỆN NINH PHƯỚC\n"
         "Số: 15/TB-CNVPĐK", "Ninh Phước", "Chi nhánh Văn phòng Đăng ký đất đai huyện Ninh Phước",
         "Văn phòng Đăng ký đất đai tỉnh Ninh Thuận"),
        ("CỤC QUẢN LÝ THỊ TRƯỜNG\nTỈNH NGHỆ AN\nĐỘI QUẢN LÝ THỊ TRƯỜNG SỐ 3\nSố: 45/TB-ĐQLTT3", "Nghệ An",
         "Đội Quản lý thị trường số 3", "Cục Quản lý thị trường tỉnh Nghệ An"),
        ("UBND HUYỆN LẤP VÒ\nBAN CHỈ ĐẠO ĐỀ ÁN 06\nSố: 12/TB-BCĐ", "Lấp Vò", "Ban Chỉ đạo Đề án 06",
         "Ủy ban nhân dân huyện Lấp Vò"),
        ("ỦY BAN NHÂN DÂN\nBẮC KHU CÔ TÔ\nSố: 07/TB-UBND", "Cô Tô", "Ủy ban nhân dân đặc khu Cô Tô", None),
        ("ỦY BAN NHÂN DÂN\nHUYỆN BỨC HỌA\nSố: 86/TB-UBND", "Đức Hòa", "Ủy ban nhân dân huyện Đức Hòa", None),
        ("TỈNH ĐOÀN GIA LAI\n2 ok ok\nSố 45-TB/TĐTN", "Gia Lai", "Tỉnh đoàn Gia Lai", None),  # the stars read 'ok'
        ("NGÂN HÀNG NHÀ NƯỚC VIỆT NAM\nCHI NHÁNH TỈNH NGHỆ AN\nSố: 5/TB-NHNN", "Nghệ An",  # a bank's branch: one body
         "Ngân hàng Nhà nước Việt Nam Chi nhánh tỉnh Nghệ An", None),
    ]  # fmt: skip
    _issuers_read(cases, date)
    assert official_case("BAN CHỈ HUY PCTT&TKCN") == "Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn"
    assert official_case("CÔNG TY TNHH MTV CAO SU ĐỒNG NAI") == (
        "Công ty TNHH một thành viên Cao su Đồng Nai")  # a trade's words; 'MTV' spelt out as set 108's truth spells it
    assert official_case("CÔNG TY TNHH CƠ KHÍ CHÍNH XÁC") == "Công ty TNHH Cơ khí chính xác"


def test_heldout49_to_56_first_sight_misses_in_references_and_deadlines():
    """Sets 49–56 at first sight: a joint type's code whole ('QCPH', 'KHLT', eng's 'KHLI') with the bodies named
    after 'giữa'; a speck after a number before its date; a team's 'Đ1' no letter 'I'; a span closed by 'đến hết
    tháng' or a term of office closed by 'đến hết ngày' is no deadline."""
    refs = extract_text(
        "Thực hiện Quy chế phối hợp số 09/QCPH-BCH-BĐBP ngày 15/5/2023 giữa Bộ Chỉ huy Quân sự tỉnh và Bộ Chỉ huy "
        "Bộ đội Biên phòng tỉnh; Kế hoạch liên tịch số 27/KHLT-BĐBP-BCH-CAT' ngày 10/7/2025; Kế hoạch liên tịch số "
        "12/KHLI-BDBP-CA ngày 22/02/2024."
    ).references
    assert [(r.key, r.date) for r in refs] == [
        ("9-QCPH-BCH-BDBP", "2023-05-15"), ("27-KHLT-BDBP-BCH-CAT", "2025-07-10"), ("12-KHLT-BDBP-CA", "2024-02-22")
    ]  # fmt: skip
    assert refs[0].issuer == "Bộ Chỉ huy Quân sự tỉnh và Bộ Chỉ huy Bộ đội Biên phòng tỉnh"
    head = "CÔNG AN TỈNH TIỀN GIANG\nPHÒNG CẢNH SÁT GIAO THÔNG\nSố: 1139/PC08-Đ1\nTiền Giang, ngày 5 tháng 3 năm 2021\n"
    assert extract_text(head + "V/v x\n").symbol == "PC08-Đ1"
    doc = "UBND TỈNH X\nSố: 1/KH-UBND\nX, ngày 10 tháng 11 năm 2025\nKẾ HOẠCH\nVề việc x\n"
    for span in ("Mùa khô bắt đầu từ tháng 12/2025 và kéo dài đến hết tháng 4/2026, nắng nóng gay gắt.",
                 "Thời hạn giữ chức vụ 05 năm, đến hết ngày 14 tháng 12 năm 2025."):  # fmt: skip
        assert extract_text(doc + span).deadlines == ()
    assert [d.date for d in extract_text(doc + "Các đơn vị hoàn thành đến hết tháng 4/2026.").deadlines] == [
        "2026-04-30"
    ]


def test_header_words_ocr_cut_or_misread():
    """Through vie: a 'BAN' whose 'B' OCR lost at the block's edge ('AN CHẤP HÀNH'), 'THỊ HÀNH ÁN' for 'THI HÀNH
    ÁN'; a company's own name after two trades joined by 'và' ('… Xây lắp Đà Giang')."""
    from pipeline.extract.text import official_case

    assert official_case("AN CHẤP HÀNH TỈNH ĐOÀN TIỀN GIANG") == "Ban Chấp hành Tỉnh đoàn Tiền Giang"
    assert official_case("AN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG") == "Ban Quản lý dự án đầu tư xây dựng"
    assert official_case("UBND TỈNH AN GIANG") == "Ủy ban nhân dân tỉnh An Giang"
    assert official_case("CHI CỤC THỊ HÀNH ÁN DÂN SỰ HUYỆN XUYÊN MỘC") == (
        "Chi cục Thi hành án dân sự huyện Xuyên Mộc"
    )
    assert official_case("TỔNG CÔNG TY THỦY ĐIỆN VÀ XÂY LẮP ĐÀ GIANG") == (
        "Tổng công ty Thủy điện và Xây lắp Đà Giang"
    )


def test_heldout57_to_60_first_sight_misses():
    """Sets 57–60 at first sight: a regional audit office under the state audit, the judgment-enforcement office
    under the Ministry of Finance (2025), 'Quản lý công sản' (eng's 'CỘNG SẢN'); election bodies in their case
    ('Ủy ban bầu cử', 'Ban bầu cử đơn vị bầu cử số 3', 'UBBC'); a commune the 2025 map numbers ('Sơn Kim 1, ngày
    …', 'XÃ TÂN PHƯỚC 1'); a commune's office named by its bodies without their unit; a compound type's code
    whole ('BCTĐ'), a year's lost slash ('2025NĐ-CP'); a limit after a clause that says 'đã'."""
    date = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{}, ngày 5 tháng 9 năm 2025\nTHÔNG BÁO\nVề việc x\n"
    cases = [
        ("KIỂM TOÁN NHÀ NƯỚC\nKIỂM TOÁN NHÀ NƯỚC KHU VỰC IV\nSố: 214/TB-KVIV", "Hà Nội",
         "Kiểm toán nhà nước khu vực IV", "Kiểm toán nhà nước"),
        ("BỘ TÀI CHÍNH\nTHI HÀNH ÁN DÂN SỰ\nTỈNH PHÚ THỌ\nSố: 86/TB-THADS", "Phú Thọ",
         "Thi hành án dân sự tỉnh Phú Thọ", "Bộ Tài chính"),
        ("BỘ TÀI CHÍNH\nCỤC QUẢN LÝ CỘNG SẢN\nSố: 356/TB-QLCS", "Hà Nội", "Cục Quản lý công sản", "Bộ Tài chính"),
        ("ỦY BAN BẦU CỬ TỈNH PHÚ THỌ\nSố: 05/TB-UBBC", "Phú Thọ", "Ủy ban bầu cử tỉnh Phú Thọ", None),
        ("UBBC HUYỆN THANH LIÊM\nBAN BẦU CỬ\nĐƠN VỊ BẦU CỬ SỐ 3\nSố: 04/TB-BBC", "Thanh Liêm",
         "Ban bầu cử đơn vị bầu cử số 3", "Ủy ban bầu cử huyện Thanh Liêm"),
        ("ỦY BAN NHÂN DÂN\nXÃ SƠN KIM 1\nSố: 14/TB-UBND", "Sơn Kim 1", "Ủy ban nhân dân xã Sơn Kim 1", None),
        ("UBND XÃ GIA VÂN\nVĂN PHÒNG HĐND VÀ UBND\nSố: 02/TB-VP", "Gia Vân",
         "Văn phòng Hội đồng nhân dân và Ủy ban nhân dân xã Gia Vân", "Ủy ban nhân dân xã Gia Vân"),
    ]  # fmt: skip
    for head, place, issuer, parent in cases:
        f = extract_text(head + date.format(place))
        assert (f.place, f.issuer, f.parent_issuer) == (place, issuer, parent), head
    refs = extract_text("theo Nghị định số 78/2025NĐ-CP ngày 01/4/2025; Báo cáo thẩm định số 215/BCTĐ-BTP ngày "
                        "27/9/2024 của Bộ Tư pháp").references  # fmt: skip
    assert [(r.key, r.date) for r in refs] == [("78-2025-ND-CP", "2025-04-01"), ("215-BCTD-BTP", "2024-09-27")]
    doc = "UBND TỈNH X\nSố: 1/KH-UBND\nX, ngày 10 tháng 9 năm 2025\nKẾ HOẠCH\nVề việc x\n"
    limit = "Phòng tổ chức cưỡng chế các việc đã đủ điều kiện, hoàn thành trong tháng 11/2025."
    assert [d.date for d in extract_text(doc + limit).deadlines] == ["2025-11-30"]
    assert extract_text(doc + "Sở đã kiểm tra và báo cáo trong tháng 9/2025.").deadlines == ()


def test_heldout61_to_64_first_sight_misses():
    """Sets 61–64 at first sight: a union's abbreviation heads a body ('LĐLĐ TỈNH TRÀ VINH' under 'TỔNG LĐLĐ'); the
    social-policy bank's bodies ('Phòng giao dịch Ngân hàng Chính sách xã hội huyện Phù Cát', its 'Ban đại diện
    Hội đồng quản trị' named with the bank); a credit fund and an airport named by their place; port
    authorities under their Cục, a region's 'miền' in lower case; a notice to mariners' code whole ('TBHH'); a
    sentence's word wrapped alone ('khó' / 'khăn;') is no 'KHẨN' stamp."""
    date = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{}, ngày 5 tháng 9 năm 2024\nTHÔNG BÁO\nVề việc x\n"
    cases = [
        ("TỔNG LĐLĐ VIỆT NAM\nLĐLĐ TỈNH TRÀ VINH\nSố: 45/TB-LĐLĐ", "Trà Vinh", "Liên đoàn Lao động tỉnh Trà Vinh",
         "Tổng Liên đoàn Lao động Việt Nam"),
        ("NGÂN HÀNG CHÍNH SÁCH XÃ HỘI\nPHÒNG GIAO DỊCH NHCSXH\nHUYỆN PHÙ CÁT\nSố: 318/TB-NHCS", "Phù Cát",
         "Phòng giao dịch Ngân hàng Chính sách xã hội huyện Phù Cát", "Ngân hàng Chính sách xã hội"),
        ("BAN ĐẠI DIỆN HỘI ĐỒNG QUẢN TRỊ\nNGÂN HÀNG CHÍNH SÁCH XÃ HỘI\nTỈNH QUẢNG NAM\nSố: 02/TB-BĐD", "Quảng Nam",
         "Ban đại diện Hội đồng quản trị Ngân hàng Chính sách xã hội tỉnh Quảng Nam", None),
        ("QUỸ TÍN DỤNG NHÂN DÂN\nLAI CÁCH\nSố: 12/TB-HĐQT", "Lai Cách", "Quỹ tín dụng nhân dân Lai Cách", None),
        ("TỔNG CÔNG TY CẢNG HÀNG KHÔNG\nVIỆT NAM - CTCP\nCẢNG HÀNG KHÔNG QUỐC TẾ\nPHÚ BÀI\nSố: 1254/TB-CHKPB",
         "Huế", "Cảng hàng không quốc tế Phú Bài", "Tổng công ty Cảng hàng không Việt Nam - CTCP"),
        ("CỤC HÀNG KHÔNG VIỆT NAM\nCẢNG VỤ HÀNG KHÔNG MIỀN TRUNG\nSố: 215/TB-CVMT", "Đà Nẵng",
         "Cảng vụ Hàng không miền Trung", "Cục Hàng không Việt Nam"),
        ("CỤC HÀNG HẢI VIỆT NAM\nCẢNG VỤ HÀNG HẢI QUẢNG NINH\nSố: 412/TB-CVHHQN", "Quảng Ninh",
         "Cảng vụ Hàng hải Quảng Ninh", "Cục Hàng hải Việt Nam"),
    ]  # fmt: skip
    _issuers_read(cases, date)
    assert extract_text("CÔNG TY X\nSố: 37/TBHH-ĐBB\nQuảng Ninh, ngày 5 tháng 3 năm 2025\nTHÔNG BÁO\n").symbol == (
        "TBHH-ĐBB"
    )
    wrapped = "quy định chính sách hỗ trợ học sinh ở xã, thôn đặc biệt khó\nkhăn;\nThực hiện Kế hoạch số 1/KH-UBND."
    assert extract_text("TRƯỜNG X\nSố: 38/TB-THCS" + date.format("Bum Tở") + wrapped).urgency is None
    assert extract_text("KHẨN\nTRƯỜNG X\nSố: 38/TB-THCS" + date.format("Bum Tở")).urgency == "Khẩn"


def test_heldout65_to_68_first_sight_misses():
    """Sets 65–68 at first sight: the departments of before 1995 kept ('SỞ NÔNG NGHIỆP' was respelt 'Sở Công
    nghiệp', the nearest of the table); a place that is the tail of a longer name printed elsewhere keeps its
    own spelling ('Nam Định, ngày …' under 'UBND TỈNH HÀ NAM NINH' had become 'Nam Ninh'); a monitoring centre's
    name in its case; a cited document's date after the body that made it ('… do Phòng …, Công an tỉnh lập
    ngày 11/8/2023')."""
    date = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{}, ngày 10 tháng 3 năm 1990\nTỜ TRÌNH\nVề việc x\n"
    f = extract_text("UBND TỈNH HẬU GIANG\nSỞ NÔNG NGHIỆP\nSố: 86/TTr-NN" + date.format("Cần Thơ"))
    assert f.issuer == "Sở Nông nghiệp"
    f = extract_text("UBND TỈNH HÀ NAM NINH\nSỞ THUỶ LỢI\nSố: 27/TTr-TL" + date.format("Nam Định") + "Kính gửi: Ủy "
                     "ban nhân dân tỉnh Hà Nam Ninh.\nNội dung.\n")  # fmt: skip
    assert (f.place, f.issuer) == ("Nam Định", "Sở Thủy lợi")
    f = extract_text("SỞ TN&MT TỈNH KIÊN GIANG\nTRUNG TÂM QUAN TRẮC TÀI NGUYÊN VÀ MÔI TRƯỜNG\nSố: 86/TB-TTQT"
                     + date.format("Rạch Giá"))  # fmt: skip
    assert f.issuer == "Trung tâm Quan trắc tài nguyên và môi trường"
    refs = extract_text("Căn cứ Biên bản vi phạm hành chính số 07/BB-VPHC do Phòng Cảnh sát phòng chống tội phạm về "
                        "môi trường, Công an tỉnh lập ngày 11/8/2023; Biên bản số 3/BB-ĐKT do Đoàn kiểm tra lập ngày "
                        "02 tháng 3 năm 2025.").references  # fmt: skip
    assert [(r.key, r.date) for r in refs] == [("7-BB-VPHC", "2023-08-11"), ("3-BB-DKT", "2025-03-02")]
    assert refs[1].issuer == "Đoàn kiểm tra"
    # its clause wrapped over a line
    refs = extract_text("Biên bản số 07/BB-VPHC do Phòng Cảnh sát\nphòng chống tội phạm về môi trường, Công an tỉnh "
                        "lập ngày 11/8/2023;").references  # fmt: skip
    assert [(r.key, r.date) for r in refs] == [("7-BB-VPHC", "2023-08-11")]
    # a Khmer name's word with an 'e' after a final consonant is its own off legacy OCR, not 'Phong'
    f = extract_text("UBND HUYỆN CẦU NGANG\nSố: 1186/UBND-TNMT\nCầu Ngang, ngày 5 tháng 6 năm 2019\nV/v x\n"
                     "Nội dung.\nNơi nhận:\n- Lưu: VT.\nCHỦ TỊCH\nThạch Sô Phone\n")  # fmt: skip
    assert f.signer.name == "Thạch Sô Phone"


def test_heldout69_to_72_first_sight_misses():
    """Sets 69–72 at first sight: a body of a region named by its towns ('… khu vực Hương Khê', '… khu vực La Gi
    - Hàm Tân'; 'khu vực phát triển đô thị' stays); a border gate's customs named by its place under its
    regional office; 'Giấy xác nhận', 'Lịch công tác', 'Thư mời' are types; a paper's validity ('có giá trị
    đến hết ngày …') is no deadline."""
    date = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{}, ngày 5 tháng 9 năm 2025\nTHÔNG BÁO\nVề việc x\n"
    cases = [
        ("SỞ Y TẾ HÀ TĨNH\nTRUNG TÂM Y TẾ KHU VỰC HƯƠNG KHÊ\nSố: 412/TB-TTYT", "Hương Khê",
         "Trung tâm Y tế khu vực Hương Khê", "Sở Y tế tỉnh Hà Tĩnh"),
        ("CỤC THUẾ TỈNH BÌNH THUẬN\nCHI CỤC THUẾ KHU VỰC\nLA GI - HÀM TÂN\nSố: 15/TB-CCT", "La Gi",
         "Chi cục Thuế khu vực La Gi - Hàm Tân", "Cục Thuế tỉnh Bình Thuận"),
        ("CỤC HẢI QUAN\nCHI CỤC HẢI QUAN KHU VỰC XI\nHẢI QUAN CỬA KHẨU QUỐC TẾ LAO BẢO\nSố: 27/TB-HQLB", "Quảng Trị",
         "Hải quan cửa khẩu quốc tế Lao Bảo", "Chi cục Hải quan khu vực XI"),
        ("UBND TỈNH NGHỆ AN\nBAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG\nKHU VỰC PHÁT TRIỂN ĐÔ THỊ\nSố: 5/TB-BQLDA", "Vinh",
         "Ban Quản lý dự án đầu tư xây dựng khu vực phát triển đô thị", "Ủy ban nhân dân tỉnh Nghệ An"),
    ]  # fmt: skip
    _issuers_read(cases, date)
    head = "UBND HUYỆN BẢO LẠC\nSố: 12/{}\nBảo Lạc, ngày 5 tháng 3 năm 2022\n{}\nVề việc x\nNội dung.\n"
    for sym, title, kind in (("GXN-THCS", "GIẤY XÁC NHẬN", "Giấy xác nhận"), ("LCT-UBND", "LỊCH CÔNG TÁC TUẦN",
                             "Lịch công tác"), ("TM-HLG", "THƯ MỜI", "Thư mời")):  # fmt: skip
        assert extract_text(head.format(sym, title)).doc_type == kind
    valid = "Trân trọng giới thiệu ông Nguyễn Văn A. Giấy có giá trị đến hết ngày 31/5/2019."
    assert extract_text(head.format("GGT-UBND", "GIẤY GIỚI THIỆU") + valid).deadlines == ()


def test_heldout73_to_76_first_sight_misses():
    """Sets 73–76 at first sight: religious bodies in their case ('Ban Trị sự Phật giáo tỉnh Bắc Ninh', 'Tòa Giám
    mục Xuân Lộc', a pagoda's board named by its pagoda) and a cleric's title of respect no part of the signer's
    name ('Hòa thượng Thích Chiếu Minh' is 'Thích Chiếu Minh'); bodies below the commune ('Chi hội Nông dân thôn
    An Kim', 'Ban công tác Mặt trận thôn Lạc Trị', 'Chi bộ thôn 4', a village's number kept and in lower case)."""
    date = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{}, ngày 5 tháng 12 năm 2024\nTHÔNG BÁO\nVề việc x\n"
    _issuers_read([
        ("GIÁO HỘI PHẬT GIÁO VIỆT NAM\nBAN TRỊ SỰ PHẬT GIÁO TỈNH BẮC NINH\nSố: 86/TB-BTS", "Bắc Ninh",
         "Ban Trị sự Phật giáo tỉnh Bắc Ninh", "Giáo hội Phật giáo Việt Nam"),
        ("TÒA GIÁM MỤC XUÂN LỘC\nSố: 112/TB-TGM", "Xuân Lộc", "Tòa Giám mục Xuân Lộc", None),
        ("UBND XÃ PHƯỚC HƯNG\nBAN TRỊ SỰ CHÙA PHƯỚC HƯNG\nSố: 3/TB-BTS", "Phước Hưng", "Ban Trị sự chùa Phước Hưng",
         "Ủy ban nhân dân xã Phước Hưng"),
        ("HỘI NÔNG DÂN XÃ PHÙ CÁT\nCHI HỘI NÔNG DÂN THÔN AN KIM\nSố: 4/TB-CHND", "Phù Cát",
         "Chi hội Nông dân thôn An Kim", "Hội Nông dân xã Phù Cát"),
        ("UBMTTQ XÃ PHƯỚC THỂ\nBAN CÔNG TÁC MẶT TRẬN THÔN LẠC TRỊ\nSố: 2/TB-BCTMT", "Phước Thể",
         "Ban công tác Mặt trận thôn Lạc Trị", "Ủy ban Mặt trận Tổ quốc xã Phước Thể"),
        ("ĐẢNG BỘ XÃ TÂM THẮNG\nCHI BỘ THÔN 4\nSố 05-TB/CB", "Tâm Thắng", "Chi bộ thôn 4", "Đảng bộ xã Tâm Thắng"),
    ], date)  # fmt: skip
    f = extract_text("BAN TRỊ SỰ PHẬT GIÁO TỈNH BẮC NINH\nSố: 86/BC-BTS" + date.format("Bắc Ninh") + "Nội dung.\n"
                     "Nơi nhận:\n- Lưu: VP.\nTM. BAN TRỊ SỰ\nTRƯỞNG BAN\nHòa thượng Thích Chiếu Minh\n")  # fmt: skip
    assert (f.signer.name, f.signer.title) == ("Thích Chiếu Minh", "Trưởng ban")
    # a doubled letter OCR read from a seal or the stars under a name is no word of it ('… KHU VỰC VIII Oo')
    _issuers_read([("BỘ TÀI CHÍNH\nKHO BẠC NHÀ NƯỚC\nKHO BẠC NHÀ NƯỚC KHU VỰC VIII Oo\nSố: 5/TB-KBKV8", "Hà Nội",
                    "Kho bạc Nhà nước khu vực VIII", "Kho bạc Nhà nước")], date)  # fmt: skip


def test_heldout77_to_84_first_sight_misses():
    """Sets 77–84 at first sight: names whose case the header's capitals hide ('Ban Chỉ đạo phòng, chống tham
    nhũng, lãng phí, tiêu cực', 'Liên hiệp các Hội Khoa học và Kỹ thuật', 'Đài Khí tượng Thủy văn', 'Cố đô Huế',
    'TNXP' spelt out); a province's statistics office after 2025 under the Cục Thống kê; a dash inside one name
    ('Ban Quản lý Thu - Sổ, Thẻ': 'Sổ' is no 'Sở') and between two central bodies ('BỘ CÔNG AN - BỘ QUỐC PHÒNG');
    an office's own number in its code ('PCC1' of 'Phòng Công chứng số 1', not the 'I' a misread '1' would be);
    an issuer named with its number ('Bộ Tư lệnh Quân khu 1') or at length between type and number; a Hrê name."""
    from pipeline.extract.names import repair_name
    from pipeline.extract.text import official_case

    date = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{}, ngày 5 tháng 12 năm 2025\nTHÔNG BÁO\nVề việc x\n"
    _issuers_read([
        ("TỈNH ỦY QUẢNG NGÃI\nBAN CHỈ ĐẠO PHÒNG, CHỐNG THAM NHŨNG, LÃNG PHÍ, TIÊU CỰC\nSố 11-TB/BCĐ", "Quảng Ngãi",
         "Ban Chỉ đạo phòng, chống tham nhũng, lãng phí, tiêu cực", "Tỉnh ủy Quảng Ngãi"),
        ("LIÊN HIỆP CÁC HỘI KHOA HỌC VÀ KỸ THUẬT TỈNH TÂY NINH\nSố: 52/TB-LHH", "Tây Ninh",
         "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Tây Ninh", None),
        ("ĐÀI KHÍ TƯỢNG THỦY VĂN THÀNH PHỐ ĐÀ NẴNG\nSố: 12/TB-ĐKTTV", "Đà Nẵng",
         "Đài Khí tượng Thủy văn thành phố Đà Nẵng", None),
        ("UBND TỈNH THỪA THIÊN HUẾ\nTRUNG TÂM BẢO TỒN DI TÍCH CỐ ĐÔ HUẾ\nSố: 8/TB-TTBTDT", "Huế",
         "Trung tâm Bảo tồn di tích Cố đô Huế", "Ủy ban nhân dân tỉnh Thừa Thiên Huế"),
        ("HỘI CỰU TNXP VIỆT NAM\nHỘI CỰU TNXP TỈNH BÌNH THUẬN\nSố: 01/TB-HCTNXP", "Phan Thiết",
         "Hội Cựu thanh niên xung phong tỉnh Bình Thuận", "Hội Cựu thanh niên xung phong Việt Nam"),
        ("CỤC THỐNG KÊ\nTHỐNG KÊ TỈNH NINH BÌNH\nSố: 34/TB-TK", "Ninh Bình", "Thống kê tỉnh Ninh Bình", "Cục Thống kê"),
        ("BẢO HIỂM XÃ HỘI VIỆT NAM\nBAN QUẢN LÝ THU - SỔ, THẺ\nSố: 12/TB-BQLT", "Hà Nội", "Ban Quản lý Thu - Sổ, Thẻ",
         "Bảo hiểm xã hội Việt Nam"),
        ("BỘ CÔNG AN - BỘ QUỐC PHÒNG\nSố: 12/2016/TTLT-BCA-BQP", "Hà Nội", "Bộ Công an và Bộ Quốc phòng", None),
    ], date)  # fmt: skip
    f = extract_text("SỞ TƯ PHÁP TỈNH LẠNG SƠN\nPHÒNG CÔNG CHỨNG SỐ 1\nSố: 12/TTr-PCC1" + date.format("Lạng Sơn"))
    assert f.symbol == "TTr-PCC1"
    text = ("Thực hiện Hướng dẫn của Bộ Tư lệnh Quân khu 1 số 3652/HD-BTL ngày 25/8/2021; Quyết định của Ban Chỉ đạo "
            "Tổng điều tra dân số và nhà ở Trung ương số 01/QĐ-BCĐTW ngày 15/8/2018.")
    refs = extract_text(text).references
    assert [(r.key, r.issuer) for r in refs] == [
        ("3652-HD-BTL", "Bộ Tư lệnh Quân khu 1"),
        ("1-QD-BCDTW", "Ban Chỉ đạo Tổng điều tra dân số và nhà ở Trung ương")]  # fmt: skip
    assert repair_name("A Khoa Hrê") == "A Khoa Hrê"
    # a named kind's name after it, its kind going on after 'và' ('… di tích và danh lam thắng cảnh', set 71)
    assert official_case("BAN QUẢN LÝ DI TÍCH MỸ SƠN") == "Ban Quản lý di tích Mỹ Sơn"
    assert official_case("BAN QUẢN LÝ DI TÍCH VÀ DANH LAM THẮNG CẢNH") == "Ban Quản lý di tích và danh lam thắng cảnh"


def test_heldout77_to_84_through_vie_ocr():
    """Sets 77–84 through Tesseract vie: the Party centre's 'TW' after a slash read twice ('KL/ITW'); a
    year's last digit read as a letter in an old typeface ('15/3/200A', 'năm 200G'), a deadline all the same."""
    assert one_ref("Thực hiện Kết luận số 127-KL/ITW ngày 28/02/2025 của Bộ Chính trị.").key == "127-KL-TW"
    head = "UBND TỈNH HẬU GIANG\nSỞ NỘI VỤ\nSố: 45/KH-SNV\nVị Thanh, ngày 10 tháng 3 năm 2006\nKẾ HOẠCH\nVề x\n"
    body = "1. Ký biên bản chậm nhất ngày 15 tháng 5 năm\n200G.\n2. Báo cáo kết quả trước 30/9/200G.\n"
    assert [d.date for d in extract_text(head + body).deadlines] == ["2006-05-15", "2006-09-30"]
    assert extract_text("Ngày 15/3/200A các bên đã ký.").references == ()  # a date, no number


def test_heldout85_to_88_first_sight_misses():
    """Sets 85–88 at first sight: cooperatives ('HTX' spelt out, a cooperative's trade in lower case before its
    name, its 'xã' no commune: 'Liên minh Hợp tác xã tỉnh Bình Phước', 'Hợp tác xã gốm Nhơn Phú'); a power
    company's district branch and a telecom group's provincial one under a parent on two lines ('CÔNG TY ĐIỆN
    LỰC' / 'BÀ RỊA - VŨNG TÀU' / 'ĐIỆN LỰC XUYÊN MỘC'), a company's form alone on its line going on with its trade
    ('TỔNG CÔNG TY' / 'ĐIỆN LỰC MIỀN BẮC'); a type written as its code before a symbol that repeats it ('căn cứ
    NĐ 30/2020/NĐ-CP', 'QĐ số 12/QĐ-UBND')."""
    date = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{}, ngày 5 tháng 12 năm 2024\nTHÔNG BÁO\nVề việc x\n"
    _issuers_read([
        ("LIÊN MINH HTX VIỆT NAM\nLIÊN MINH HTX TỈNH BÌNH PHƯỚC\nSố: 12/TB-LMHTX", "Bình Phước",
         "Liên minh Hợp tác xã tỉnh Bình Phước", "Liên minh Hợp tác xã Việt Nam"),
        ("HỢP TÁC XÃ GỐM\nNHƠN PHÚ\nSố: 12/TB-HTX", "Nhơn Phú", "Hợp tác xã gốm Nhơn Phú", None),
        ("HTX NÔNG NGHIỆP DỊCH VỤ CHÈ TÂN CƯƠNG\nSố: 3/TB-HTX", "Tân Cương",
         "Hợp tác xã nông nghiệp dịch vụ chè Tân Cương", None),
        ("LIÊN MINH HTX TỈNH THANH HÓA\nQUỸ HỖ TRỢ PHÁT TRIỂN\nHỢP TÁC XÃ\nSố: 12/TB-QHTPT", "Thanh Hóa",
         "Quỹ Hỗ trợ phát triển hợp tác xã", "Liên minh Hợp tác xã tỉnh Thanh Hóa"),
        ("TẬP ĐOÀN CÔNG NGHIỆP -\nVIỄN THÔNG QUÂN ĐỘI\nVIETTEL QUẢNG NGÃI\nSố: 12/TB-VTQNI", "Quảng Ngãi",
         "Viettel Quảng Ngãi", "Tập đoàn Công nghiệp - Viễn thông quân đội"),
        ("TỔNG CÔNG TY\nĐIỆN LỰC MIỀN BẮC\nSố: 12/TB-EVNNPC", "Hà Nội", "Tổng công ty Điện lực miền Bắc", None),
    ], date)  # fmt: skip
    # (its parent's province after the company's trade is still written 'Bà rịa - Vũng Tàu')
    from pipeline.extract.text import official_case

    # a first letter lost at the block's edge, one way to read it back (through eng, sets 51 and 85)
    assert official_case("RUNG TÂM KHUYẾN NÔNG") == "Trung tâm Khuyến nông"
    assert official_case("AN CHẤP HÀNH ĐOÀN") == "Ban Chấp hành Đoàn"
    assert official_case("AN NHƠN") == "An nhơn"  # a name, no letter lost
    head = "CÔNG TY ĐIỆN LỰC\nBÀ RỊA - VŨNG TÀU\nĐIỆN LỰC XUYÊN MỘC\nSố: 12/TB-ĐLXM"
    f = extract_text(head + date.format("Xuyên Mộc"))
    assert f.issuer == "Điện lực Xuyên Mộc"
    refs = extract_text("Căn cứ NĐ 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ; căn cứ QĐ số 12/QĐ-UBND ngày "
                        "05.01.2018 của UBND thành phố Vinh; theo CV 12/UBND-VX.").references
    assert [(r.doc_type, r.key, r.date) for r in refs] == [
        ("Nghị định", "30-2020-ND-CP", "2020-03-05"), ("Quyết định", "12-QD-UBND", "2018-01-05")]  # fmt: skip


def test_heldout89_to_92_first_sight_misses():
    """Set 89 (papers for foreigners): a header line's English name under the Vietnamese one is no part of
    the issuer ('TAY NINH PROVINCIAL PEOPLE'S COMMITTEE', 'CAN THO UNIVERSITY'); a minority place's name
    ('XÃ IA GRAI', 'HUYỆN KBANG'), a brand ('VIETTEL'), two syllables run together ('VIETNAM') are no English."""
    date = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{}, ngày 5 tháng 12 năm 2024\nTHÔNG BÁO\nVề việc x\n"
    _issuers_read([
        ("ỦY BAN NHÂN DÂN TỈNH TÂY NINH\nTAY NINH PROVINCIAL PEOPLE'S COMMITTEE\nSố: 12/TB-UBND", "Tây Ninh",
         "Ủy ban nhân dân tỉnh Tây Ninh", None),
        ("BỘ GIÁO DỤC VÀ ĐÀO TẠO\nTRƯỜNG ĐẠI HỌC CẦN THƠ\nCAN THO UNIVERSITY\nSố: 45/TB-ĐHCT", "Cần Thơ",
         "Trường Đại học Cần Thơ", "Bộ Giáo dục và Đào tạo"),
        ("UBND TỈNH GIA LAI\nỦY BAN NHÂN DÂN XÃ IA GRAI\nSố: 4/TB-UBND", "Ia Grai", "Ủy ban nhân dân xã Ia Grai",
         "Ủy ban nhân dân tỉnh Gia Lai"),
        ("TẬP ĐOÀN CÔNG NGHIỆP -\nVIỄN THÔNG QUÂN ĐỘI\nVIETTEL QUẢNG NGÃI\nSố: 12/TB-VTQNI", "Quảng Ngãi",
         "Viettel Quảng Ngãi", "Tập đoàn Công nghiệp - Viễn thông quân đội"),
    ], date)  # fmt: skip


def test_heldout90_to_92_first_sight_misses():
    """Sets 90–92: a Chi cục's name in its case after 'và' ('… nông lâm sản và thủy sản'); a law named with its
    number and no 'số' ('theo Điều 25 Luật Thú y 79/2015/QH13')."""
    date = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{}, ngày 5 tháng 12 năm 2021\nTHÔNG BÁO\nVề việc x\n"
    _issuers_read([
        ("SỞ NÔNG NGHIỆP VÀ PTNT TỈNH BÌNH THUẬN\nCHI CỤC QUẢN LÝ CHẤT LƯỢNG NÔNG LÂM SẢN VÀ THỦY SẢN\nSố: 5/TB-CCQLCL",
         "Phan Thiết", "Chi cục Quản lý chất lượng nông lâm sản và thủy sản",
         "Sở Nông nghiệp và Phát triển nông thôn tỉnh Bình Thuận"),
    ], date)  # fmt: skip
    assert one_ref("Công bố dịch theo Điều 25 Luật Thú y 79/2015/QH13; tiêu hủy lợn bệnh.").key == "79-2015-QH13"


def test_heldout93_to_96_first_sight_misses():
    """Sets 93–96 at first sight: bodies named in their case ('Ban Vì sự tiến bộ của phụ nữ', 'Quỹ Bảo trợ trẻ
    em', 'Hội đồng Đội', 'Hiệp hội Doanh nghiệp', 'Ban Quản lý cụm công nghiệp'); a person's name after 'đồng
    chí', a festival's and a front's name after their kind, a year, a time or a term no word of a name ('… Lễ
    hội Tây Thiên năm 2023', '… tỉnh lần thứ IV, năm 2024')."""
    from pipeline.extract.text import official_case

    cases = {
        "BAN VÌ SỰ TIẾN BỘ CỦA PHỤ NỮ": "Ban Vì sự tiến bộ của phụ nữ",
        "QUỸ BẢO TRỢ TRẺ EM": "Quỹ Bảo trợ trẻ em",
        "HỘI ĐỒNG ĐỘI TỈNH KON TUM": "Hội đồng Đội tỉnh Kon Tum",
        "HIỆP HỘI DOANH NGHIỆP TỈNH HÀ TĨNH": "Hiệp hội Doanh nghiệp tỉnh Hà Tĩnh",
        "BAN QUẢN LÝ CỤM CÔNG NGHIỆP": "Ban Quản lý cụm công nghiệp",
        "BAN TỔ CHỨC LỄ TANG ĐỒNG CHÍ HOÀNG VĂN THIỆP": "Ban Tổ chức lễ tang đồng chí Hoàng Văn Thiệp",
        "BAN LIÊN LẠC CỰU CHIẾN BINH MẶT TRẬN VỊ XUYÊN": "Ban Liên lạc Cựu chiến binh Mặt trận Vị Xuyên",
        "BAN TỔ CHỨC LỄ HỘI TÂY THIÊN NĂM 2023": "Ban Tổ chức Lễ hội Tây Thiên năm 2023",
        "BAN TỔ CHỨC ĐẠI HỘI ĐẠI BIỂU CÁC DÂN TỘC THIỂU SỐ TỈNH LẦN THỨ IV, NĂM 2024": (
            "Ban Tổ chức Đại hội đại biểu các dân tộc thiểu số tỉnh lần thứ IV, năm 2024"),
        "BAN CÔNG TÁC MẶT TRẬN THÔN LẠC TRỊ": "Ban công tác Mặt trận thôn Lạc Trị",  # set 76, as it was
        "ỦY BAN NHÂN DÂN XÃ NĂM CĂN": "Ủy ban nhân dân xã Năm Căn",  # a place's 'Năm' no year
    }
    assert {line: official_case(line) for line in cases} == cases


def test_a_handing_over_or_a_submission_within_a_month_is_a_deadline():
    """Sets 93 and 95: 'bàn giao trong tháng 10/2025', 'trình UBND tỉnh trong tháng 12/2024' set the month's
    last day; within a quarter such a step is a schedule, no deadline (set 33)."""
    head = "UBND TỈNH X\nSỞ XÂY DỰNG\nSố: 12/KH-SXD\nX, ngày 5 tháng 8 năm 2025\nKẾ HOẠCH\nVề x\n"
    body = ("1. Thanh tra Sở hoàn thiện hồ sơ, bàn giao trong tháng 10/2025.\n"
            "2. Sở Tài chính thẩm định dự toán, trình UBND tỉnh trong tháng 12/2025.\n"
            "3. Lập danh mục, trình Hội đồng xem xét trong quý I năm 2026.\n")
    assert [d.date for d in extract_text(head + body).deadlines] == ["2025-10-31", "2025-12-31"]


def test_a_damaged_word_of_the_issuer_read_as_the_body_spells_the_name():
    """Through eng (sets 81, 87, 92): a header word OCR damaged past any syllable ('nugc', 'tuqng') is read as the
    document spells the same name elsewhere, a letter or two apart; a word that is a syllable stays as read."""
    from pipeline.extract.header import spelt_as_elsewhere

    text = ("CÔNG TY CỔ PHẦN CẬP THOÁT NUGC BÌNH ĐỊNH\nThông báo\n"
            "Công ty cổ phần Cấp thoát nước Bình Định thông báo tạm ngừng cấp nước.")
    assert spelt_as_elsewhere("Công ty cổ phần Cập thoát nugc Bình Định", text, (0, 40)) == (
        "Công ty cổ phần Cập thoát nước Bình Định")  # 'Cập' is a syllable: as read
    alone = "Đài Khí tuqng Thủy văn tỉnh"
    assert spelt_as_elsewhere(alone, alone + "\nkhông nhắc lại", (0, 27)) == alone  # nothing elsewhere to read


def test_heldout97_to_104_first_sight_misses_in_the_header():
    """Sets 97–104 at first sight: a code name is no English word ('DỊCH COVID-19'), nor is a Vietnamese line with
    a foreign word ('LIÊN ĐOÀN KARATE'); an organising or steering committee's name goes on to the next line, a
    movement's name in quotes to its closing mark; after a head a name that starts in lower case goes on in
    lower case past 'và' and ','; 'Điều lệ' is a type."""
    from pipeline.extract.text import official_case

    cases = [
        ("UBND HUYỆN MỘC CHÂU\nBAN CHỈ ĐẠO PHÒNG, CHỐNG\nDỊCH COVID-19\n", "Mộc Châu",
         "Ban Chỉ đạo phòng, chống dịch COVID-19", "Ủy ban nhân dân huyện Mộc Châu"),
        ("LIÊN ĐOÀN KARATE\nTỈNH QUẢNG NINH\n", "Quảng Ninh", "Liên đoàn Karate tỉnh Quảng Ninh", None),
        ("UBND TỈNH NAM ĐỊNH\nBAN TỔ CHỨC\nĐẠI HỘI THỂ DỤC THỂ THAO\nTỈNH LẦN THỨ IX\n", "Nam Định",
         "Ban Tổ chức Đại hội Thể dục thể thao tỉnh lần thứ IX", "Ủy ban nhân dân tỉnh Nam Định"),
        ('UBND XÃ ĐỊNH QUÁN\nBAN CHỈ ĐẠO PHONG TRÀO\n"TOÀN DÂN ĐOÀN KẾT XÂY DỰNG\nĐỜI SỐNG VĂN HÓA"\n', "Định Quán",
         'Ban Chỉ đạo phong trào "Toàn dân đoàn kết xây dựng đời sống văn hóa"', "Ủy ban nhân dân xã Định Quán"),
    ]
    _issuers_read(cases, "Số: 02/KH-BCĐ\n{}, ngày 14 tháng 3 năm 2022\nKẾ HOẠCH\nVề x\n")
    names = {
        "BAN CHỈ ĐẠO SẮP XẾP ĐƠN VỊ HÀNH CHÍNH CẤP HUYỆN, CẤP XÃ": (
            "Ban Chỉ đạo sắp xếp đơn vị hành chính cấp huyện, cấp xã"),
        "HỘI ĐỒNG BỒI THƯỜNG, HỖ TRỢ VÀ TÁI ĐỊNH CƯ": "Hội đồng bồi thường, hỗ trợ và tái định cư",
        "BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG CÁC CÔNG TRÌNH DÂN DỤNG VÀ CÔNG NGHIỆP": (
            "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp"),
        # a name that starts in capitals goes on in capitals
        "TRUNG TÂM CÔNG NGHỆ THÔNG TIN VÀ TRUYỀN THÔNG": "Trung tâm Công nghệ thông tin và Truyền thông",
        "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI": "Sở Lao động - Thương binh và Xã hội",
        "CÔNG TY CỔ PHẦN MUỐI VÀ THỦY SẢN ĐÔNG HẢI": "Công ty cổ phần Muối và Thủy sản Đông Hải",
        "VIỆN XÃ HỘI HỌC": "Viện Xã hội học",
        "TRƯỜNG CAO ĐẲNG KINH TẾ - KỸ THUẬT BẠC LIÊU": "Trường Cao đẳng Kinh tế - Kỹ thuật Bạc Liêu",
        "PHÒNG CÔNG TÁC HỌC SINH, SINH VIÊN": "Phòng Công tác học sinh, sinh viên",
    }
    assert {line: official_case(line) for line in names} == names
    head = "UBND TỈNH NAM ĐỊNH\nBAN TỔ CHỨC\nSố: 02/ĐL-BTC\nNam Định, ngày 14 tháng 3 năm 2022\nĐIỀU LỆ\nGiải vật\n"
    assert extract_text(head + "Điều 1. Đối tượng.\n").doc_type == "Điều lệ"


def test_heldout97_to_104_first_sight_misses_in_references():
    """Sets 97–104: a name's own comma ('Sở Văn hóa, Thể thao và Du lịch', 'Ban Chỉ đạo quốc gia phòng, chống dịch
    COVID-19', '… phòng, chống thiên tai …'); a central body's or a department's whole name ends where the
    sentence goes on in lower case ('… của Thủ tướng Chính phủ giải ngân'); a second proposer after 'và của'; an
    amending law's name over a line."""
    text = (
        "Căn cứ Luật Thi đua, khen thưởng ngày 26 tháng 11 năm 2003 và Luật sửa\nđổi, bổ sung một số điều của "
        "Luật Thi đua, khen thưởng ngày 16 tháng 11 năm 2013;\n"
        "Thực hiện Quyết định số 2686/QĐ-BCĐQG ngày 31/5/2021 của Ban Chỉ đạo quốc gia phòng, chống dịch COVID-19.\n"
        "Theo Hướng dẫn số 412/HD-SVHTTDL ngày 28/10/2025 của Sở Văn hóa, Thể thao và Du lịch tỉnh Đồng Nai;\n"
        "Theo Quyết định số 312/QĐ-SVHTTDL ngày 18/5/2013 của Sở Văn hóa, Thể thao và Du lịch công nhận khách sạn.\n"
        "Theo Quyết định số 90/QĐ-TTg của Thủ tướng Chính phủ giải ngân chậm.\n"
        "Theo Kế hoạch số 45/KH-BCH ngày 15/5/2024 của Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn "
        "huyện Lệ Thủy về mùa mưa bão.\n"
        "Xét đề nghị của Ủy ban nhân dân thị xã Giá Rai tại Tờ trình số\n214/TTr-UBND ngày 05/11/2018 và của Sở "
        "Nông nghiệp và Phát triển nông\nthôn tại Công văn số 1873/SNN-VP ngày 09/11/2018,\n"
    )
    refs = extract_text("UBND TỈNH X\nSố: 1/QĐ-UBND\nX, ngày 1 tháng 12 năm 2025\nQUYẾT ĐỊNH\nVề x\n" + text).references
    issuers = {r.number or r.date: r.issuer for r in refs}
    assert issuers == {
        "2003-11-26": "Quốc hội", "2013-11-16": "Quốc hội",
        "2686": "Ban Chỉ đạo quốc gia phòng, chống dịch COVID-19",
        "412": "Sở Văn hóa, Thể thao và Du lịch tỉnh Đồng Nai", "312": "Sở Văn hóa, Thể thao và Du lịch",
        "90": "Thủ tướng Chính phủ",
        "45": "Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn huyện Lệ Thủy",
        "214": "Ủy ban nhân dân thị xã Giá Rai", "1873": "Sở Nông nghiệp và Phát triển nông thôn",
    }


def test_heldout97_to_108_places_and_names_read_through_ocr():
    """Sets 97–108: a place absent from the gazetteer's map but named so after its unit word stays as printed
    ('xã Phú Ngãi', merged in 2020); one word of the place with the rest run into the header's column is the
    header's unit ('… 2 CAPuyén Quang, ngày …' under 'UBND TỈNH TUYÊN QUANG'), a word in lower case before it
    joins it where they name a unit ('THỂ THAO điện Biên, ngày …'), specks before it go ('OO Tôn Giáo');
    a comma or a 'Q' for 'Ọ' OCR put in a header's name ('UY, BAN NHÂN DÂN', 'TIỂU HQC'); 'MTV' spelt out."""
    from pipeline.extract.text import official_case

    date = "Số: 07/BB-UBND\n{}, ngày 30 tháng 10 năm 2020\nBIÊN BẢN\nBàn giao\n"
    cases = [
        ("UBND HUYỆN BA TRI\nUBND XÃ PHÚ NGÃI\n", "Phú Ngãi", "Ủy ban nhân dân xã Phú Ngãi", "Phú Ngãi"),
        ("UBND TỈNH TUYÊN QUANG\nBAN CHỈ ĐẠO\n", "2 CAPuyén Quang", "Ban Chỉ đạo", "Tuyên Quang"),
        ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH\nTRUNG TÂM HUẤN LUYỆN\n", "THỂ THAO điện Biên",
         "Trung tâm Huấn luyện", "Điện Biên"),
        ("UBND HUYỆN TUẦN GIÁO\nBAN CHỈ ĐẠO\n", "OO Tôn Giáo", "Ban Chỉ đạo", "Tuần Giáo"),
        ("UBND TỈNH BẾN TRE\nBAN CHỈ HUY\n", "OO Bến Tre", "Ban Chỉ huy", "Bến Tre"),  # the name itself
        ("UY, BAN NHÂN DÂN\nTỈNH ĐẮK NÔNG\n", "Đắk Nông", "Ủy ban nhân dân tỉnh Đắk Nông", "Đắk Nông"),
    ]
    for head, place, issuer, where in cases:
        body = "\nGiữa xã Phú Ngãi và xã Phước Tuy để hình thành xã Phước Ngãi, huyện Tuần Giáo, tỉnh Tuyên Quang.\n"
        f = extract_text(head + date.format(place) + body)
        assert (f.issuer, f.place) == (issuer, where), head
    assert official_case("TRƯỜNG TIỂU HQC VŨ BÌNH") == "Trường Tiểu học Vũ Bình"
    assert official_case("CÔNG TY TNHH MTV XỔ SỐ KIẾN THIẾT BẾN TRE") == (
        "Công ty TNHH một thành viên Xổ số kiến thiết Bến Tre")
    assert official_case("HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG") == "Hội đồng Thi đua - Khen thưởng"
    # marks Tesseract vie put wrong on a name's words in capitals (sets 98, 102, 106): the casing table's spelling
    assert official_case("TRUNG TÂM PHÁT TRIỂN QUY ĐẠT") == "Trung tâm Phát triển quỹ đất"
    assert official_case("BAN CHỈ ĐẠO SẮP XẾP DON VI HÀNH CHÍNH CẤP HUYỆN, CẤP XÃ") == (
        "Ban Chỉ đạo sắp xếp đơn vị hành chính cấp huyện, cấp xã")  # 'VI' no Roman numeral, the comma kept
    assert official_case("BAN CHỈ ĐẠO CÔNG TÁC BIỂN GIỚI") == "Ban Chỉ đạo công tác biên giới"
    assert official_case("TRUNG TÂM HUẤN LUYỆN VÀ THỊ ĐẦU THỂ DỤC THỂ THAO") == (
        "Trung tâm Huấn luyện và Thi đấu thể dục thể thao")


def test_heldout97_to_108_references_and_deadlines():
    """Sets 97–108: a law named with its year at a sentence's end ('… theo Luật Đất đai năm 2024.') or '(sửa
    đổi)' before its number; a cited document's date and issuer before it ('Ngày 12/4/2017, Bộ Giáo dục và Đào
    tạo có Công văn số …', an issuer with its own comma before 'ban hành'); a month a span opens in ('từ cuối
    tháng 12/2025') is no deadline."""
    head = "UBND TỈNH X\nSố: 1/CT-UBND\nX, ngày 2 tháng 12 năm 2024\nCHỈ THỊ\nVề x\n\n"
    text = ("Không thu lệ phí chỉnh lý theo Luật Đất đai năm 2024.\n"
            "Đổi mới theo Luật Giáo dục đại học (sửa đổi) số 34/2018/QH14; phấn đấu.\n"
            "Ngày 12/4/2017, Bộ Giáo dục và Đào tạo có Công văn số 1470/BGDĐT-KTKĐCLGD hướng dẫn Kỳ thi.\n"
            "Ngày 12 tháng 02 năm 2024, Sở Văn hóa, Thể thao và Du lịch ban hành Kế hoạch số 27/KH-SVHTTDL.\n"
            "Theo dự báo, mặn sẽ xâm nhập sớm từ cuối tháng 12/2025; các hộ đăng ký trước ngày 22/12/2025.\n")
    f = extract_text(head + text)
    assert {(r.number or r.title, r.date, r.issuer) for r in f.references} == {
        ("Luật Đất đai", None, "Quốc hội"), ("34", None, "Quốc hội"),
        ("1470", "2017-04-12", "Bộ Giáo dục và Đào tạo"),
        ("27", "2024-02-12", "Sở Văn hóa, Thể thao và Du lịch"),
    }
    assert [d.date for d in f.deadlines] == ["2025-12-22"]


def test_heldout109_to_112_numbers_and_symbols_as_typed():
    """Sets 109–112 at first sight: a number with a letter ('Số: 05b/BC-UBND'), the office that drafted a document
    after a dot in its symbol ('812/TTr-SNV.TCBC', a cited '3952/QĐ-UBND.NC'), a cited number whose line breaks
    before its slash ('số 1187' / '/UBND-VX'), a cited document's date before 'lập' ('Ngày 02/10/2025, Tổ kiểm tra
    … lập Biên bản … số 31/BB-VPHC'), 'Mệnh lệnh' a type, and a code OCR ran into the place from the number's
    line ('QLĐT Hạ Long, ngày …')."""
    f = extract_text("UBND HUYỆN BÌNH LỤC\nUBND XÃ AN NINH\nSố: 05b/BC-UBND\nAn Ninh, ngày 5 tháng 10 năm 2018\n"
                     "BÁO CÁO\nRà soát hộ nghèo\n\nBáo cáo này thay thế Báo cáo số 05/BC-UBND.\n")
    assert (f.number, f.symbol, f.issuer) == ("05b", "BC-UBND", "Ủy ban nhân dân xã An Ninh")
    head = ("UBND TỈNH THANH HÓA\nSỞ NỘI VỤ\nSố: 812/TTr-SNV.TCBC\nThanh Hóa, ngày 2 tháng 11 năm 2025\n"
            "TỜ TRÌNH\nVề x\n\n")
    text = ("Căn cứ Quyết định số 3952/QĐ-UBND.NC ngày 14/11/2015 của Chủ tịch UBND tỉnh Thanh Hóa;\n"
            "Báo cáo kết quả theo Công văn số 1187\n/UBND-VX ngày 12/6/2021 của UBND huyện Lục Nam;\n"
            "Ngày 02/10/2025, Tổ kiểm tra trật tự xây dựng phường lập Biên bản vi phạm hành chính số 31/BB-VPHC.\n"
            "Thực hiện Mệnh lệnh huấn luyện số 1460/ML-BCH ngày 08/9/2025 của Chỉ huy trưởng.\n")
    f = extract_text(head + text)
    assert f.symbol == "TTr-SNV.TCBC"
    assert [(r.doc_type, r.number, r.symbol, r.date) for r in f.references] == [
        ("Quyết định", "3952", "QĐ-UBND.NC", "2015-11-14"), ("Công văn", "1187", "UBND-VX", "2021-06-12"),
        ("Biên bản", "31", "BB-VPHC", "2025-10-02"), ("Mệnh lệnh", "1460", "ML-BCH", "2025-09-08"),
    ]
    f = extract_text("UBND THÀNH PHỐ HẠ LONG\nPHÒNG QUẢN LÝ ĐÔ THỊ\nSố: 412/QLĐT\n"
                     "QLĐT Hạ Long, ngày 5 tháng 4 năm 2019\nV/v vỉa hè\n")
    assert f.place == "Hạ Long"


def test_the_rule_under_a_header_name_restored_into_a_syllable_after_it():
    """Through eng (sets 92, 98, 107): the rule under a header's name read as a letter and restored into a syllable
    no name ends in ('… Bảo vệ thực vật tổ', '… Nam Sách Tô') or left a letter ('… COVID-19 T'); a unit's own last
    word ('huyện Cô Tô', 'Đắk Tô'), a car's 'ô tô', a Roman numeral and 'Thú y' stay."""
    cases = [
        ("UBND TỈNH THÁI BÌNH\nCHI CỤC TRỒNG TRỌT VÀ\nBẢO VỆ THỰC VẬT tổ", "Chi cục Trồng trọt và Bảo vệ thực vật"),
        ("UBND HUYỆN MỘC CHÂU\nBAN CHỈ ĐẠO PHÒNG, CHỐNG\nDỊCH COVID-19 T", "Ban Chỉ đạo phòng, chống dịch COVID-19"),
        ("UBND TỈNH QUẢNG NINH\nỦY BAN NHÂN DÂN\nHUYỆN CÔ TÔ", "Ủy ban nhân dân huyện Cô Tô"),
        ("UBND HUYỆN ĐẮK TÔ", "Ủy ban nhân dân huyện Đắk Tô"),
        ("CÔNG TY CỔ PHẦN Ô TÔ", "Công ty cổ phần Ô tô"),
        ("KHO BẠC NHÀ NƯỚC KHU VỰC V", "Kho bạc Nhà nước khu vực V"),
        ("UBND TỈNH TIỀN GIANG\nCHI CỤC CHĂN NUÔI VÀ THÚ Y", "Chi cục Chăn nuôi và Thú y"),
    ]
    for head, issuer in cases:
        date = "\nSố: 12/KH-UBND\nX, ngày 5 tháng 3 năm 2024\nKẾ HOẠCH\nVề x\n"
        assert extract_text(head + date).issuer == issuer, head


def test_a_party_symbols_committee_code_read_a_mark_or_a_letter_off():
    """Through vie (sets 110, 113, 115, 116): Tesseract's Vietnamese model reads marks into a Party symbol's two
    capitals ('CT/HỦ' of a Huyện ủy, 'BC/QĐ' of a Quận ủy, 'NQ/CĐ' of a Chi bộ): the committee's name makes them."""
    from pipeline.extract.vocab import party_code_by_name

    assert party_code_by_name("CT/HỦ", "Huyện ủy Phú Giáo") == "CT/HU"
    assert party_code_by_name("BC/QĐ", "Quận ủy Ninh Kiều") == "BC/QU"
    assert party_code_by_name("NQ/CĐ", "Chi bộ thôn 3") == "NQ/CB"
    assert party_code_by_name("NQ/TU", "Huyện ủy Phú Giáo") == "NQ/TU"  # another committee's code: as read
    assert party_code_by_name("NQ/ĐH", "Đảng ủy xã Vĩnh Thạnh Trung") == "NQ/ĐH"  # its congress's
    assert party_code_by_name("KH-UBND", "Huyện ủy Phú Giáo") == "KH-UBND"  # no Party symbol
    f = extract_text("ĐẢNG BỘ TỈNH BÌNH DƯƠNG\nHUYỆN ỦY PHÚ GIÁO\n*\nSố 12-CT/HỦ\n\nĐẢNG CỘNG SẢN VIỆT NAM\n"
                     "Phú Giáo, ngày 5 tháng 8 năm 2024\n\nCHỈ THỊ\nvề đại hội chi bộ\n")
    assert f.symbol == "CT/HU"


def test_heldout117_to_120_first_sight_misses():
    """Sets 117–120 at first sight: a 'V/v' line under the number makes a Công văn whatever the symbol's first
    code ('CT-CS' of a Cục Thuế is no Chỉ thị); a company's form alone on its line goes on with its foreign
    name, not an English line, in its case; 'VIỄN THÔNG' is no 'Viện'."""
    f = extract_text("TỔNG CỤC THUẾ\nCỤC THUẾ TỈNH ĐIỆN BIÊN\nSố: 215/CT-CS\nV/v thuế khoán\n"
                     "Điện Biên, ngày 5 tháng 8 năm 2025\n\nKính gửi: Các Chi cục Thuế.\n")
    assert f.doc_type == "Công văn"
    cases = [("CÔNG TY TNHH\nSHINWOO ELECTRONICS VINA\n", "Hà Nam", "Công ty TNHH Shinwoo Electronics Vina", None),
             ("TẬP ĐOÀN BƯU CHÍNH VIỄN THÔNG VIỆT NAM\nVIỄN THÔNG GIA LAI\n", "Gia Lai", "Viễn thông Gia Lai",
              "Tập đoàn Bưu chính Viễn thông Việt Nam")]
    _issuers_read(cases, "Số: 118/CV-SW\n{}, ngày 14 tháng 3 năm 2023\nV/v gia hạn\n")


def test_heldout121_to_124_first_sight_misses():
    """Sets 121–124 at first sight: a school is a body's name after any head ('CĐCS TRƯỜNG THPT …', 'ĐIỂM THI
    TRƯỜNG …'); a council's and a department's own names ('Hội đồng Thuốc và Điều trị', 'Tài chính - Kế hoạch'
    with its dash lost to OCR); the slash read twice before a type ('71/7NQ-CP'); a report due every month is
    no deadline for the month its sentence names."""
    from pipeline.extract.text import official_case
    from pipeline.extract.vocab import clean_symbol

    assert official_case("CĐCS TRƯỜNG THPT CÂY DƯƠNG") == "Công đoàn cơ sở Trường Trung học phổ thông Cây Dương"
    assert official_case("BAN COI THI ĐIỂM THI TRƯỜNG THPT NAM SÁCH").endswith("Trường Trung học phổ thông Nam Sách")
    assert official_case("HỘI ĐỒNG TRƯỜNG TRƯỜNG ĐẠI HỌC QUY NHƠN") == "Hội đồng trường Trường Đại học Quy Nhơn"
    assert official_case("SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG") == "Sở Tài nguyên và Môi trường"
    assert official_case("HỘI ĐỒNG THUỐC VÀ ĐIỀU TRỊ") == "Hội đồng Thuốc và Điều trị"
    assert official_case("PHÒNG TÀI CHÍNH KẾ HOẠCH") == "Phòng Tài chính - Kế hoạch"
    assert clean_symbol("7NQ-CP")[0] == "NQ-CP" and clean_symbol("1TB-UBND")[0] == "TB-UBND"
    assert clean_symbol("7UBND-VP")[0] == "7UBND-VP"  # no type after the digit: kept
    f = extract_text("UBND XÃ ĐÔ LƯƠNG\nSố: 40/KH-UBND\nĐô Lương, ngày 2 tháng 1 năm 2026\n\nKẾ HOẠCH\nChuyển đổi số\n"
                     "\nThực hiện Nghị quyết số 71/7NQ-CP ngày 01/4/2025 của Chính phủ.\n")
    assert [(r.number, r.symbol) for r in f.references] == [("71", "NQ-CP")]
    body = ("KHO BẠC NHÀ NƯỚC SƠN LA\nSố: 245/BC-KBSL\nSơn La, ngày 10 tháng 10 năm 2022\n\nBÁO CÁO\nGiải ngân\n\n"
            "Kho bạc sẽ tiếp tục báo cáo kết quả giải ngân định kỳ vào ngày 05 hằng tháng và tổ chức giao ban với "
            "các chủ đầu tư trong tháng 11/2022.\nCác đơn vị báo cáo kết quả trong tháng 12/2022.\n")
    assert [d.date for d in extract_text(body).deadlines] == ["2022-12-31"]


def test_heldout125_to_128_first_sight_misses():
    """Sets 125–128 at first sight (clean text): a conference's kind between a Biên bản and its number; the body
    that issued on a date named with a dash ('tỉnh Bà Rịa - Vũng Tàu … có Văn bản số') or after the date without
    a comma ('ngày 18/9/2019 Chủ tịch … đã ban hành'), not a heading in capitals above it; a steering committee's
    number in its header ('BAN CHỈ ĐẠO 389'); a code its issuer's own initials spell with words left out
    ('HQTP') is no parent's code with a 'P' read for 'Đ'."""
    head = "UBND TỈNH LẠNG SƠN\nSố: 40/NQ-UBBC\nLạng Sơn, ngày 2 tháng 3 năm 2026\n\nNGHỊ QUYẾT\nVề việc\n\n"

    def refs(body: str) -> list[tuple]:
        return [(r.doc_type, r.number, r.date, r.issuer) for r in extract_text(head + body).references]

    assert refs("Căn cứ Biên bản Hội nghị hiệp thương lần thứ ba số 08/BB-MTTQ-BTT ngày 06/02/2026 của Ban "
                "Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lạng Sơn;\n") == [
        ("Biên bản", "08", "2026-02-06", "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lạng Sơn")]
    assert refs("Ngày 30/5/2022, Ban Trị sự Giáo hội Phật giáo Việt Nam tỉnh Bà Rịa - Vũng Tàu có Văn bản số "
                "118/BTS-VP đề nghị tổ chức Đại lễ.\n") == [
        ("Công văn", "118", "2022-05-30", "Ban Trị sự Giáo hội Phật giáo Việt Nam tỉnh Bà Rịa - Vũng Tàu")]
    assert refs("Xét thấy đơn đủ điều kiện thụ lý, ngày 18/9/2019 Chủ tịch Ủy ban nhân dân huyện đã ban hành "
                "Quyết định số 2154/QĐ-UBND về việc thụ lý.\n") == [
        ("Quyết định", "2154", "2019-09-18", "Chủ tịch Ủy ban nhân dân huyện")]
    assert refs("II. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI\nỦy ban nhân dân thành phố đã ban hành Kế hoạch số "
                "96/KH-UBND ngày 20/02/2025.\n") == [("Kế hoạch", "96", "2025-02-20", "Ủy ban nhân dân thành phố")]
    f = extract_text("UBND HUYỆN ĐỨC HUỆ\nBAN CHỈ ĐẠO 389\nSố: 07/GM-BCĐ389\nĐức Huệ, ngày 24 tháng 6 năm 2024\n")
    assert (f.issuer, f.parent_issuer) == ("Ban Chỉ đạo 389", "Ủy ban nhân dân huyện Đức Huệ")
    f = extract_text("CỤC HẢI QUAN TỈNH ĐỒNG THÁP\nCHI CỤC HẢI QUAN CỬA KHẨU\nQUỐC TẾ THƯỜNG PHƯỚC\n"
                     "Số: 186/BC-HQTP\nHồng Ngự, ngày 18 tháng 6 năm 2021\n")
    assert (f.issuer, f.symbol) == ("Chi cục Hải quan cửa khẩu quốc tế Thường Phước", "BC-HQTP")


def test_heldout125_to_132_first_sight_misses_through_ocr():
    """Sets 125–132 at first sight: specks after a header name, a rule read as letters ('a-Ằ—Ằ—ẰẰ_—Ằ') and two
    tones no syllable bears ('TỐỘ'), where a highland name keeps its marks ('ĐẮK LẮK'); a police unit's number
    read as letters ('PVOI'); 'Q' read 'O' ('OLTT', 'MTTO'); a committee's number after its code's letters
    ('BCB389' of 'Ban Chỉ đạo 389'); a cooperative's name a unit's though its first word is a common one
    ('… nông nghiệp Đông Thọ'); the fire police spelt out; a law's date told before 'thông qua'."""
    from pipeline.extract.text import official_case
    from pipeline.extract.vocab import clean_symbol, spelled_by_name

    cases = [("SỞ NỘI VỤ TỈNH THÁI BÌNH\nBAN TÔN GIÁO TỐỘ : :\n", "Thái Bình", "Ban Tôn giáo",
              "Sở Nội vụ tỉnh Thái Bình"),
             ("ỦY BAN MTTQ VIỆT NAM TỈNH NINH THUẬN\nỦY BAN MTTQ VIỆT NAM\nHUYỆN NINH PHƯỚC a-Ằ—Ằ—ẰẰ_—Ằ\n",
              "Ninh Phước", "Ủy ban Mặt trận Tổ quốc Việt Nam huyện Ninh Phước",
              "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Ninh Thuận"),
             ("ỦY BAN NHÂN DÂN\nTỈNH ĐẮK LẮK\n", "Đắk Lắk", "Ủy ban nhân dân tỉnh Đắk Lắk", None)]
    _issuers_read(cases, "Số: 265/BTG-CTTG\n{}, ngày 19 tháng 8 năm 2019\n")
    assert clean_symbol("CĐ-CAT-PVOI")[0] == "CĐ-CAT-PV01" and clean_symbol("HD-CAT-PCOG")[0] == "HD-CAT-PC06"
    assert clean_symbol("TTr-OLTTLA")[0] == "TTr-QLTTLA"
    assert clean_symbol("NQLT-UBTVQH14-ĐCTUBTWMTTOVN")[0] == "NQLT-UBTVQH14-ĐCTUBTWMTTQVN"
    assert spelled_by_name("GM-BCB389", "Ban Chỉ đạo 389", "Ban Chỉ đạo 389") == "GM-BCĐ389"
    assert official_case("HỢP TÁC XÃ DỊCH VỤ NÔNG NGHIỆP ĐÔNG THỌ") == "Hợp tác xã dịch vụ nông nghiệp Đông Thọ"
    assert official_case("HỢP TÁC XÃ GỐM NHƠN PHÚ") == "Hợp tác xã gốm Nhơn Phú"
    for head in ("PHÒNG CẢNH SÁT PCCC VÀ CNCH", "PHÒNG CẢNH SÁT PHÒNG CHÁY, CHỮA CHÁY VÀ CỨU NẠN, CỨU HỘ"):
        assert official_case(head) == "Phòng Cảnh sát phòng cháy, chữa cháy và cứu nạn, cứu hộ"
    assert official_case("ĐẢNG ỦY KHỐI DOANH NGHIỆP TỈNH") == "Đảng ủy Khối Doanh nghiệp tỉnh"
    f = extract_text("SỞ TÀI CHÍNH\nSố: 12/STC-ĐKKD\nVĩnh Long, ngày 2 tháng 7 năm 2025\n\nNgày 17 tháng 6 năm 2025, "
                     "Quốc hội thông qua Luật số 76/2025/QH15 sửa đổi, bổ sung một số điều của Luật Doanh nghiệp.\n")
    assert [(r.number, r.date, r.issuer) for r in f.references][:1] == [("76", "2025-06-17", "Quốc hội")]


def test_namesake_the_document_places_and_specks_in_numbers():
    """A unit restoration marked as its namesake is most often marked ('xã Quảng Bình' for xã Quang Bình of huyện
    Kiến Xương, 'huyện Tam Dương' for Tam Đường of Lai Châu): the namesake whose district or province the text
    names wins, where it names none of the unit's as read; a block's lost first letter of an abbreviation ('CH
    HỘI …' of 'BCH'); a speck glued to a date's day ('ngày 26G tháng'); the slash read '/7' before the centre."""
    from pipeline.extract.normalise import namesake_named, unit_tail
    from pipeline.extract.text import ANY_DATE_RE, official_case
    from pipeline.extract.vocab import clean_symbol
    from pipeline.gazetteer import get_gazetteer

    body = "\n\nThực hiện Kế hoạch của Ủy ban nhân dân huyện Kiến Xương về công tác hòa giải.\n"
    assert unit_tail("Ủy ban nhân dân xã Quảng Bình", body, "pre2025") == "Ủy ban nhân dân xã Quang Bình"
    assert unit_tail("Ủy ban nhân dân xã Quảng Bình", "\n\nHuyện Quảng Xương và huyện Kiến Xương.\n",
                     "pre2025") == "Ủy ban nhân dân xã Quảng Bình"  # its own district named: kept
    lai_chau = "CỤC THUẾ TỈNH LAI CHÂU\nCHI CỤC THUẾ HUYỆN TAM DƯƠNG\n"
    assert unit_tail("Chi cục Thuế huyện Tam Dương", lai_chau, "pre2025") == "Chi cục Thuế huyện Tam Đường"
    tam_duong = get_gazetteer().find("Tam Đường", "huyện")[0]
    assert namesake_named(tam_duong, "UBND TỈNH VĨNH PHÚC\n") is not None
    assert namesake_named(tam_duong, "") is None
    assert official_case("CH HỘI NÔNG DÂN TỈNH THÁI NGUYÊN") == "Ban Chấp hành Hội Nông dân tỉnh Thái Nguyên"
    assert official_case("UBND TỈNH LONG AN") == "Ủy ban nhân dân tỉnh Long An"
    assert ANY_DATE_RE.search("Chỉ thị số 07/CT-UBND ngày 26G tháng 02 năm 2019 của").group("d2") == "26"
    assert clean_symbol("CT/7IW")[0] == "CT/TW" and clean_symbol("NQ/7TU")[0] == "NQ/TU"


def test_heldout97_to_132_misses_through_english_ocr():
    """Sets 97–132 through the English engine: one short word restoration wrote in its case in a line of capitals
    ('BAN Chỉ ĐẠO 389'); a ministry's 'Vụ' whatever marks restoration gave it; a type's 'Đ' read 'DB' ('CDB'), a
    Party body's read 'B' ('NQ/BU'); a circular's 'TT' read 'UII' after its year; a box's sides read 'I'
    ('ITCTI'); a code spelt by the issuer's own name's run with its 'Đ' read 'B' ('BCB389' of 'Ban Chỉ đạo 389
    tỉnh Cao Bằng', not the as-read letters picked from further on); a comma OCR put inside a conference's kind."""
    from pipeline.extract.text import official_case
    from pipeline.extract.vocab import clean_symbol, spelled_by_name

    assert official_case("BAN Chỉ ĐẠO 389") == "Ban Chỉ đạo 389"
    assert official_case("VŨ NGÂN SÁCH NHÀ NƯỚC") == "Vụ Ngân sách nhà nước"
    assert clean_symbol("CDB-UBND")[0] == "CĐ-UBND" and clean_symbol("NQ/BU")[0] == "NQ/ĐU"
    assert clean_symbol("2017/UII-BTC")[0] == "2017/TT-BTC" and clean_symbol("2021/PII-BTNMT")[0] == "2021/TT-BTNMT"
    assert clean_symbol("ITCTI-ĐT")[0] == "TCT-ĐT" and clean_symbol("UBND-II")[0] == "UBND-II"
    assert spelled_by_name("KH-BCB389", "Ban Chỉ đạo 389 tỉnh Cao Bằng", "Ban Chỉ đạo 389 Cao Bằng") == "KH-BCĐ389"
    assert spelled_by_name("GM-BĐBT-KD", "Bưu điện tỉnh Bình Thuận", "Bưu điện Bình Thuận") == "GM-BĐBT-KD"
    f = extract_text("UBND TỈNH LẠNG SƠN\nSố: 40/NQ-UBBC\nLạng Sơn, ngày 2 tháng 3 năm 2026\n\nNGHỊ QUYẾT\n\n"
                     "Căn cứ Biên bản Hội nghị hiệp, thương lần thứ ba số\n08/BB-MTTQ-BTT ngày 06/02/2026 của Ban "
                     "Thường trực;\n")
    assert [(r.number, r.date) for r in f.references] == [("08", "2026-02-06")]


def test_heldout133_to_136_first_sight_misses():
    """Sets 133–136 at first sight (clean text): 'CCT' is a Chi cục Thuế's code, no Chỉ thị's 'CT' read twice; a
    unit numbered after its letters keeps its digit ('TCS1': Thuế cơ sở 1); a body's receiving until a day is a
    span, no deadline, unless the text calls it the limit for handing in ('thời hạn nhận hồ sơ đến hết ngày …')."""
    from pipeline.extract.vocab import clean_symbol

    assert clean_symbol("CCT-NVDTPC")[0] == "CCT-NVDTPC" and clean_symbol("BC-TCS1")[0] == "BC-TCS1"
    assert clean_symbol("CĐĐ-UBND")[0] == "CĐ-UBND"
    head = "ỦY BAN MTTQ VIỆT NAM PHƯỜNG BẮC NHA TRANG\nSố: 12/TB-MTTQ\nBắc Nha Trang, ngày 5 tháng 1 năm 2026\n\n"
    f = extract_text(head + "Ban Vận động Quỹ tiếp tục nhận ủng hộ tại Văn phòng đến hết ngày 31/01/2026;\n")
    assert f.deadlines == ()
    f = extract_text(head + "Hồ sơ gửi về Văn phòng; thời hạn nhận hồ sơ đến hết ngày 30/01/2026.\n")
    assert [d.date for d in f.deadlines] == ["2026-01-30"]


def test_rule_read_on_a_header_line_and_an_underscore_after_a_word():
    """Set 134 through vie: the rule under 'BAN THƯỜNG TRỰC' read on its line ('T——————') made it a second body
    ('… và Ban Thường trực'); set 135 through eng: 'CHI CỤC_ THUẾ'."""
    from pipeline.extract.text import official_case

    f = extract_text("ỦY BAN MTTQ VIỆT NAM\nHUYỆN THANH MIỆN\nBAN THƯỜNG TRỰC T——————\nSố: 27/QĐ-MTTQ-BTT\n"
                     "Thanh Miện, ngày 20 tháng 5 năm 2020\n")
    assert f.issuer == "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam huyện Thanh Miện"
    assert official_case("CHI CỤC_ THUẾ KHU VỰC NINH HẢI - THUẬN BẮC") == "Chi cục Thuế khu vực Ninh Hải - Thuận Bắc"


def test_heldout137_to_140_first_sight_misses():
    """Sets 137–140 at first sight: names the casing table keeps ('OCOP', 'Tiêu chuẩn Đo lường Chất lượng',
    'Đoàn kiểm toán'); a class's number ('HỘI ĐỒNG TUYỂN SINH LỚP 6'); a 'B' read 'EB' in a code (vie); a
    forecast in the deadline's clause is none ('… dự kiến tổ chức vào cuối tháng 12/2022'), one in brackets before
    it leaves it one; a seal read as 'MAT' between a signer's title and name is no secrecy stamp; the Ê Đê
    women's prefix without its apostrophe ('H Yâm Byă')."""
    from pipeline.extract.names import repair_name
    from pipeline.extract.text import official_case
    from pipeline.extract.vocab import clean_symbol

    assert official_case("HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP") == "Hội đồng đánh giá, phân hạng sản phẩm OCOP"
    assert official_case("TRUNG TÂM KỸ THUẬT TIÊU CHUẨN ĐO LƯỜNG CHẤT LƯỢNG") == (
        "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng")
    assert official_case("ĐOÀN KIỂM TOÁN") == "Đoàn kiểm toán"
    f = extract_text("UBND THÀNH PHỐ VĨNH LONG\nHỘI ĐỒNG TUYỂN SINH LỚP 6\nSố: 3/TB-HĐTS\n"
                     "Vĩnh Long, ngày 2 tháng 6 năm 2022\n")
    assert f.issuer == "Hội đồng tuyển sinh lớp 6"
    assert clean_symbol("HD-EBCH")[0] == "HD-BCH" and clean_symbol("2013/TT-BEBKHCN")[0] == "2013/TT-BKHCN"
    head = "TRUNG TÂM KHUYẾN NÔNG\nSố: 12/KH-TTKN\nPhú Thọ, ngày 5 tháng 3 năm 2022\n\n"
    f = extract_text(head + "Hội nghị tổng kết dự kiến tổ chức vào cuối tháng 12/2022 tại thành phố Việt Trì.\n"
                     "Để kịp trình kỳ họp (dự kiến tổ chức ngày 26/3/2022), đề nghị gửi báo cáo trước ngày "
                     "20/3/2022.\n")
    assert [d.date for d in f.deadlines] == ["2022-03-20"]
    assert repair_name("H Yâm Byă") == "H Yâm Byă"


def test_seal_read_as_a_word_in_the_signature_block_is_no_stamp():
    """Set 139 through the English engine: 'PHÓ CHỦ TỊCH' / 'MAT' / 'Nguyễn Thị …' in the signature block (the seal
    read as letters, restored 'MẬT') made a report secret; a 'MẬT' stamp above the number still counts."""
    def page(*blocks: tuple[str, str]) -> PageText:
        return PageText(0, tuple(TextBlock(kind, text) for kind, text in blocks))

    head = ("header_left", "ỦY BAN NHÂN DÂN\nHUYỆN MỎ CÀY NAM\nSố: 86/BC-UBND")
    body = ("body", "BÁO CÁO\nKết quả thực hiện\n\nNội dung báo cáo.")
    sign = ("signature", "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nMẬT\nNguyễn Thị Lan")
    assert extract_fields([page(head, body, sign)]).secrecy is None
    assert extract_fields([page(("stamp", "MẬT"), head, body, sign)]).secrecy == "Mật"


def test_heldout141_to_144_first_sight_misses():
    """Sets 141–144 at first sight: a commune's own last letter is no rule read as one ('XÃ NINH QUỚI A'); a
    region's 'phía Nam'; a port authority named by its city ('CẢNG VỤ HÀNG HẢI QUY NHƠN'); the Chăm family name
    'Quảng' kept as written."""
    from pipeline.extract.names import repair_name
    from pipeline.extract.text import official_case

    f = extract_text("ỦY BAN NHÂN DÂN\nXÃ NINH QUỚI A\nSố: 87/BC-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                     "Độc lập - Tự do - Hạnh phúc\nNinh Quới A, ngày 12 tháng 7 năm 2022\n")
    assert f.issuer == "Ủy ban nhân dân xã Ninh Quới A"
    assert official_case("CHI CỤC ĐƯỜNG THỦY NỘI ĐỊA PHÍA NAM") == "Chi cục Đường thủy nội địa phía Nam"
    assert official_case("CẢNG VỤ HÀNG HẢI QUY NHƠN") == "Cảng vụ Hàng hải Quy Nhơn"
    assert repair_name("Quảng Đại Hiền") == "Quảng Đại Hiền"


def test_case_described_in_passing_and_a_tone_on_a_code():
    """Set 141: 'Hoàn thành … các trường hợp vi phạm đã được kết luận trong năm 2023 trong tháng 6/2024' is a
    deadline ('đã được' describes the cases, it tells nothing done); the Vietnamese engine's tone on a code of
    initials ('KH/BTCHỦ'), where a code's word keeps its own ('QCPH-BHXH-THUẾ')."""
    from pipeline.extract.vocab import clean_symbol

    f = extract_text("ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN\nSố: 05/CT-UBND\nLạng Sơn, ngày 2 tháng 4 năm 2024\n\nCHỈ THỊ\n\n"
                     "c) Hoàn thành việc xử lý các trường hợp vi phạm đã được kết luận trong năm 2023 trong "
                     "tháng 6/2024.\n"
                     "Năm 2023, Sở đã hoàn thành trong tháng 9/2023 việc rà soát.\n")
    assert [d.date for d in f.deadlines] == ["2024-06-30"]
    assert clean_symbol("KH/BTCHỦ")[0] == "KH/BTCHU" and clean_symbol("QCPH-BHXH-THUẾ")[0] == "QCPH-BHXH-THUẾ"


def test_number_line_with_its_slash_lost():
    """Sets 124 and 138 through vie: 'Số: 15HD-KSBT' (the slash lost) was taken for the issuer's last line and the
    number and symbol lost; '… số: 217NQ-HĐND' (its slash read '7') still reads 21."""
    f = extract_text("SỞ Y TẾ ĐIỆN BIÊN\nTRUNG TÂM KIỂM SOÁT BỆNH TẬT\nSố: 15HD-KSBT\n"
                     "Điện Biên, ngày 2 tháng 3 năm 2025\n\nHƯỚNG DẪN\nGiám sát\n")
    assert (f.number, f.symbol, f.issuer) == ("15", "HD-KSBT", "Trung tâm Kiểm soát bệnh tật")
    f = extract_text("UBND TP HẢI PHÒNG số: 217NQ-HĐND\nHải Phòng, ngày 2 tháng 3 năm 2025\n")
    assert (f.number, f.symbol) == ("21", "NQ-HĐND")


def test_rule_read_as_letters_inside_a_header_and_the_place_run_into_it():
    """Set 104 through vie: the motto's rule read as a run of letters in the middle of the issuer's lines and the
    date line's place run into the last word ('… 2 CẤPuyên Quang, ngày …') left the issuer in capitals."""
    f = extract_text("UBND TỈNH TUYÊN QUANG\nBAN CHỈ ĐẠO SẮP XẾP\n"
                     "ĐƠN VỊ HÀNH CHÍNH VÀ TỔ CHỨC nrrrhhahaHhHrahahcahaha,ggaqttuv\n"
                     "CHÍNH QUYỀN ĐỊA PHƯƠNG 2 CẤPuyên\nSố: 58/BCĐ\nTuyên Quang, ngày 10 tháng 7 năm 2025\n")
    assert f.issuer == "Ban Chỉ đạo sắp xếp đơn vị hành chính và tổ chức chính quyền địa phương 2 cấp"


def test_heldout145_to_148_first_sight_misses():
    """Sets 145–148 at first sight: a name after the Ê Đê prefix kept as written off legacy OCR ('Y Dhăm Ênuôl',
    not 'Y Tham'; also "K' Brăh" of set 49); the disaster board's name without its comma, in lower case after
    its head as with it."""
    from pipeline.extract.names import repair_name
    from pipeline.extract.text import official_case

    assert repair_name("Y Dhăm Ênuôl") == "Y Dhăm Ênuôl" and repair_name("K' Brăh") == "K' Brăh"
    assert official_case("BAN CHỈ HUY PHÒNG CHỐNG THIÊN TAI VÀ TÌM KIẾM CỨU NẠN") == (
        "Ban Chỉ huy phòng chống thiên tai và tìm kiếm cứu nạn")


def test_letter_read_thrice_and_hydropower():
    """Set 148 through vie: 'ĐẢẲẢNG ỦY XÃ …' (a letter read three times with three marks) hid the committee's head,
    so it was run into the Đảng bộ above it; set 145 through eng: restoration's 'THỤY ĐIỂN' (Sweden) in a
    company's name is 'Thủy điện'."""
    from pipeline.extract.text import official_case

    f = extract_text("ĐẢNG BỘ HUYỆN ĐIỆN BIÊN\nĐẢẲẢNG ỦY XÃ THANH XƯƠNG\n*\nSố 05-NQ/ĐU\n"
                     "Thanh Xương, ngày 2 tháng 3 năm 2021\n")
    assert (f.issuer, f.parent_issuer) == ("Đảng ủy xã Thanh Xương", "Đảng bộ huyện Điện Biên")
    assert official_case("CÔNG TY CỔ PHẦN THỤY ĐIỂN SA BÌNH") == "Công ty cổ phần Thủy điện Sa Bình"


def test_power_plant_named_after_its_trade():
    """A hydropower company's plant name after 'Thủy điện', a river's too ('… Thủy điện Sông Ba Hạ', noticed with
    set 145); 'Thủy điện và Xây lắp Đà Giang' keeps its trades."""
    from pipeline.extract.text import official_case

    assert official_case("CÔNG TY CỔ PHẦN THỦY ĐIỆN SÔNG BA HẠ") == "Công ty cổ phần Thủy điện Sông Ba Hạ"
    assert official_case("CÔNG TY CỔ PHẦN THỦY ĐIỆN VÀ XÂY LẮP ĐÀ GIANG") == (
        "Công ty cổ phần Thủy điện và Xây lắp Đà Giang")


def test_heldout149_to_152_first_sight_misses():
    """Sets 149–152 at first sight (clean text): an abbreviation before a comma spelt out ('ĐOÀN ĐBQH, HĐND VÀ
    UBND'); a hospital named by its region though the map lacks it ('… khu vực Triệu Hải'); 'Quỹ Bảo vệ và Phát
    triển rừng'; the K'Ho family name 'Cil', the Mông 'Ly' written without its tone; a contract's kind between type
    and number with its comma ('Hợp đồng khám bệnh, chữa bệnh bảo hiểm y tế số …'); no deadline from figures'
    cut-off, from going on with a task until a day, nor from the opening of a window given with its hour."""
    from pipeline.extract.names import repair_name
    from pipeline.extract.text import official_case

    assert official_case("VĂN PHÒNG ĐOÀN ĐBQH, HĐND VÀ UBND TỈNH QUẢNG NGÃI") == (
        "Văn phòng Đoàn đại biểu Quốc hội, Hội đồng nhân dân và Ủy ban nhân dân tỉnh Quảng Ngãi")
    assert official_case("BỆNH VIỆN ĐA KHOA KHU VỰC TRIỆU HẢI") == "Bệnh viện Đa khoa khu vực Triệu Hải"
    assert official_case("BỆNH VIỆN ĐA KHOA KHU VỰC II") == "Bệnh viện Đa khoa khu vực II"
    assert official_case("QUỸ BẢO VỆ VÀ PHÁT TRIỂN RỪNG") == "Quỹ Bảo vệ và Phát triển rừng"
    assert repair_name("Cil Ha Thuấn") == "Cil Ha Thuấn" and repair_name("Ly Seo Chứ") == "Ly Seo Chứ"
    head = "SỞ NỘI VỤ\nSố: 12/HD-SNV\nTuyên Quang, ngày 5 tháng 8 năm 2025\n\n"
    f = extract_text(head + "Căn cứ Hợp đồng khám bệnh, chữa bệnh bảo hiểm y tế số 01/2025/HĐ-KCB ngày 02/01/2025;\n"
                     "Báo cáo lần đầu (số liệu đến hết ngày 31/8/2025) gửi trước ngày 10/9/2025.\n"
                     "Trung tâm tiếp tục giải quyết chế độ theo quy định đến hết ngày 31/12/2025;\n"
                     "Thời hạn nhận báo giá: từ 08 giờ 00 phút ngày 12/8/2025 đến trước 17 giờ 00 phút ngày "
                     "22/8/2025;\n")
    assert [(r.doc_type, r.number, r.date) for r in f.references] == [("Hợp đồng", "01", "2025-01-02")]
    assert [d.date for d in f.deadlines] == ["2025-09-10", "2025-08-22"]


def test_heldout153_to_156_first_sight_misses():
    """Sets 153–156 at first sight (clean text): a procuracy's 'Kiến nghị số 03/KN-VKSLS' cited (in lower case
    'kiến nghị' is a verb: 'kiến nghị Ủy ban nhân dân tỉnh tiếp tục thực hiện Kế hoạch số …' cites the plan);
    figures' cut-off with 'tính' ('số liệu tính đến hết ngày 31/10/2019') no deadline; a subject's line that goes on
    with 'thực hiện' in lower case; the Chăm family name 'Đạo'. In the casing table: 'VKSND', 'KSND', 'THADS',
    'LĐTBXH' spelt out, 'Phó Tổng Thanh tra', 'Phó Trưởng Thi hành án', and a title of a district's police, which
    a near title of a ward's ('Phó Trưởng Công an phường') no longer stands in for."""
    from pipeline.extract.names import repair_name
    from pipeline.extract.text import official_case, title_case

    head = "VIỆN KIỂM SÁT NHÂN DÂN\nHUYỆN LẠC SƠN\nSố: 25/BC-VKSLS\nLạc Sơn, ngày 5 tháng 6 năm 2021\n\n"
    f = extract_text(head + "Ban hành Kiến nghị số 03/KN-VKSLS ngày 20/4/2021 yêu cầu Chi cục khắc phục vi phạm.\n"
                     "Đại hội thống nhất kiến nghị Ủy ban nhân dân tỉnh tiếp tục thực hiện Kế hoạch số 2765/KH-UBND "
                     "ngày 15/9/2021.\nRà soát tại các địa bàn giáp biên giới; số liệu tính đến hết ngày 31/10/2019.\n")
    assert [(r.doc_type, r.number, r.symbol) for r in f.references] == [
        ("Kiến nghị", "03", "KN-VKSLS"), ("Kế hoạch", "2765", "KH-UBND")]
    assert f.deadlines == ()
    f = extract_text("THANH TRA TỈNH\nSố: 87/QĐ-TTr\nKon Tum, ngày 2 tháng 8 năm 2019\n\nQUYẾT ĐỊNH\n"
                     "Về việc thanh tra trách nhiệm của Chủ tịch UBND huyện Đắk Hà trong việc\n"
                     "thực hiện pháp luật về tiếp công dân\n\nCHÁNH THANH TRA TỈNH KON TUM\n")
    assert f.subject == ("Về việc thanh tra trách nhiệm của Chủ tịch UBND huyện Đắk Hà trong việc thực hiện pháp "
                         "luật về tiếp công dân")
    assert repair_name("Đạo Văn Thương") == "Đạo Văn Thương"
    assert official_case("VIỆN KSND TỈNH HÒA BÌNH") == "Viện kiểm sát nhân dân tỉnh Hòa Bình"
    assert official_case("CỤC THADS TỈNH HÀ GIANG") == "Cục Thi hành án dân sự tỉnh Hà Giang"
    assert official_case("SỞ LĐTBXH TỈNH AN GIANG") == "Sở Lao động - Thương binh và Xã hội tỉnh An Giang"
    assert title_case("PHÓ TỔNG THANH TRA") == "Phó Tổng Thanh tra"
    assert title_case("PHÓ TRƯỞNG THI HÀNH ÁN") == "Phó Trưởng Thi hành án"
    assert title_case("PHÓ TRƯỞNG CÔNG AN HUYỆN") == "Phó Trưởng Công an huyện"
    assert title_case("PHÓ TRƯỞNG CÔNG AN HUYÊN") == "Phó Trưởng Công an huyện"  # a mark lost, the unit kept
    assert title_case("PHÓ TRƯỞNG CÔNG AN THỊ TRÂN") == "Phó Trưởng Công an thị trấn"  # 'trấn' no speck after 'thị'
    assert title_case("PHÓ TRƯỞNG CÔNG AN PHƯỜG") == "Phó Trưởng Công an phường"  # a letter lost
    assert title_case("TRƯỞNG THÔN") == "Trưởng thôn"  # a village's head, no 'Trưởng phòng' (sets 76 and 144)


def test_place_damaged_past_restoration_is_the_unit_a_letter_away():
    """'Phản Rang-Thdp Cham' (set 154 through the English engine) is no unit's name and one letter off one's:
    the gazetteer's spelling; a short name ('Chi', many units are a letter from it) is left as read."""
    f = extract_text("TỈNH ỦY NINH THUẬN\nỦY BAN KIỂM TRA\nSở 46-TB/UBKTTU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
                     "Phản Rang-Thdp Cham, ngày 11 tháng 9 năm 2020\n")
    assert (f.place, f.date) == ("Phan Rang-Tháp Chàm", "2020-09-11")
    assert extract_text("ỦY BAN NHÂN DÂN\nPHƯỜNG CHŨ\nSố: 08/GM-UBND\nChi, ngày 20 tháng 1 năm 2026\n").place == "Chi"
    # a speck before the name is no letter of it: 'CỐ Hậu Giang' is not 'Châu Giang', two letters off (set 140, vie)
    f = extract_text("SỞ KHOA HỌC VÀ CÔNG NGHỆ HẬU GIANG\nTRUNG TÂM KỸ THUẬT\nCỐ Hậu Giang, ngày 8 tháng 7 năm 2022\n"
                     "Số: 45/BC-TTKT\n")
    assert f.place == "Hậu Giang"


def test_heldout157_to_160_first_sight_misses():
    """Sets 157–160 at first sight (clean text): a K'Ho signer named by one word ('K'Brơi'; set 119's 'K'Brừm'
    too); a law's date after 'được Quốc hội khóa XV thông qua'; 'Cục Sở hữu trí tuệ', no 'Sở Hữu'."""
    from pipeline.extract.text import official_case

    f = extract_text("ỦY BAN NHÂN DÂN\nXÃ ĐỨC TRỌNG\nSố: 05/BB-UBND\nĐức Trọng, ngày 10 tháng 3 năm 2026\n\n"
                     "Luật Căn cước số 26/2023/QH15 được Quốc hội khóa XV thông qua ngày 27/11/2023, có hiệu lực "
                     "từ ngày 01/7/2024.\n\nNơi nhận:\n- Lưu: VT.\n\nCHỦ TỊCH\nK'Brơi\n")
    assert f.signer is not None and (f.signer.name, f.signer.title) == ("K'Brơi", "Chủ tịch")
    assert [(r.key, r.date) for r in f.references] == [("26-2023-QH15", "2023-11-27")]
    assert official_case("CỤC SỞ HỮU TRÍ TUỆ") == "Cục Sở hữu trí tuệ"


def test_heldout157_to_160_misses_through_ocr():
    """Sets 157–160 through the Vietnamese engine: a date's slash before its year lost ('ngày 22/52020'), a
    reference's slash after its number ('Chỉ thị số 16CT-TTg'), a symbol's hyphen read as a colon ('Số:
    482/TCTK:DSLĐ'). A law's term misread ('59/2014/QH15' for QH13) stays as read: real laws print such slips
    ('Luật Đầu tư số 67/2014/QH14' in the law corpus), and a reference is what the text cites."""
    head = "ỦY BAN NHÂN DÂN\nHUYỆN YÊN MINH\nSố: 12/GM-UBND\nYên Minh, ngày 5 tháng 5 năm 2020\n\n"
    f = extract_text(head + "Thực hiện Chỉ thị số 16CT-TTg ngày 31/3/2020 của Thủ tướng Chính phủ; Luật Căn cước "
                     "công dân số 59/2014/QH15.\n\n"
                     "Đề nghị gửi danh sách về Phòng Tư pháp huyện trước 16 giờ 00 ngày 22/52020.\n")
    assert [(r.number, r.symbol, r.date) for r in f.references] == [
        ("16", "CT-TTg", "2020-03-31"), ("59", "2014/QH15", None)]
    assert [d.date for d in f.deadlines] == ["2020-05-22"]
    f = extract_text("BỘ KẾ HOẠCH VÀ ĐẦU TƯ\nTỔNG CỤC THỐNG KÊ\nSố: 482/TCTK:DSLĐ\nHà Nội, ngày 18 tháng 3 năm 2024\n")
    assert (f.number, f.symbol) == ("482", "TCTK-DSLĐ")


def test_heldout157_to_160_misses_through_english_ocr():
    """Sets 157–160 through the English engine: a '?' read for a mark before a word in lower case ends no sentence
    ('Cơ sở di? liệu … điện tử? trong tháng 3/2026': the task's deadline), also where the period's sentence is
    looked for from its start; a speck read as a colon at a header line's end ('CHI CỤC THỐNG KÊ:')."""
    head = "ỦY BAN NHÂN DÂN\nXÃ ĐỨC TRỌNG\nSố: 05/BB-UBND\nĐức Trọng, ngày 10 tháng 2 năm 2026\n\n"
    f = extract_text(head + "1. UBND xã hoàn thành việc số hóa sổ đăng ký khai sinh, cập nhật vào Cơ sở di? liệu hộ "
                     "tịch điện tử? trong tháng\n3/2026.\n2. Khắc phục thiếu sót.\n")
    assert [d.date for d in f.deadlines] == ["2026-03-31"]
    f = extract_text(head + "Kính trình Giám đốc Sở xem xét bổ nhiệm lại ông Ksor Y Thường giữ? chức vụ Phó Hiệu "
                     "trưởng, thời hạn 05 năm kể từ? ngày 01/7/2026.\n")
    assert f.deadlines == ()  # a span opens then (set 141)
    f = extract_text("CỤC THỐNG KÊ\nCHI CỤC THỐNG KÊ:\nTỈNH LÂM ĐỒNG\nSố: 215/TTr-CCTK\nLâm Đồng, ngày 14 tháng 10 "
                     "năm 2025\n")
    assert f.issuer == "Chi cục Thống kê tỉnh Lâm Đồng"


def test_heldout161_to_164_first_sight_misses():
    """Sets 161–164 at first sight (clean text): 'CÔNG ĐOÀN CƠ SỞ' alone on its line goes on with the enterprise;
    Tây Nguyên's names as the gazetteer writes them ('HUYỆN ỦY KBANG' / 'KBang, ngày …'); 'BAN ĐẠI DIỆN HĐQT'
    spelt out; a type's own words before its number, nine of them ('Kế hoạch thu hồi đất, điều tra, khảo sát, đo
    đạc, kiểm đếm số 57/KH-UBND'); a quarter in the purpose of a deadline already set ('hoàn thành trong tháng
    01/2025, để bàn giao … trong quý I/2025') no deadline; a speck after a symbol's hyphen ('TĐKT-'NV', vie)."""
    f = extract_text("ĐẢNG BỘ TỈNH GIA LAI\nHUYỆN ỦY KBANG\n*\nSố 09-CT/HU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
                     "KBang, ngày 18 tháng 4 năm 2016\n")
    assert (f.issuer, f.place) == ("Huyện ủy KBang", "KBang")
    from pipeline.extract.text import official_case

    # the gazetteer's commonest spelling: 'Krông' 26 times, 'KRông' once
    assert official_case("BAN CHỈ HUY QUÂN SỰ HUYỆN KRÔNG PA") == "Ban Chỉ huy Quân sự huyện Krông Pa"
    f = extract_text("LĐLĐ THÀNH PHỐ NAM ĐỊNH\nCÔNG ĐOÀN CƠ SỞ\nCÔNG TY CỔ PHẦN MAY THÀNH NAM\nSố: 21/BC-CĐCS\n"
                     "Nam Định, ngày 18 tháng 12 năm 2023\n")
    assert (f.issuer, f.parent_issuer) == ("Công đoàn cơ sở Công ty cổ phần May Thành Nam",
                                           "Liên đoàn Lao động thành phố Nam Định")
    f = extract_text("NHCSXH TỈNH HƯNG YÊN\nBAN ĐẠI DIỆN HĐQT NHCSXH HUYỆN KHOÁI CHÂU\nSố: 12/KH-BĐD\nKhoái Châu, ngày "
                     "2 tháng 10 năm 2024\n\nCăn cứ Kế hoạch thu hồi đất, điều tra, khảo sát, đo đạc, kiểm đếm số "
                     "57/KH-UBND ngày 15/9/2024 của Ủy ban nhân dân xã;\nCác xã phê duyệt phương án bồi thường, hoàn "
                     "thành trong tháng 01/2025, để bàn giao mặt bằng khởi công các gói thầu trong quý I/2025.\n")
    assert f.issuer == "Ban đại diện Hội đồng quản trị Ngân hàng Chính sách xã hội huyện Khoái Châu"
    assert [(r.key, r.date) for r in f.references] == [("57-KH-UBND", "2024-09-15")]
    assert [d.date for d in f.deadlines] == ["2025-01-31"]
    f = extract_text("SỞ NỘI VỤ TỈNH YÊN BÁI\nBAN THI ĐUA - KHEN THƯỞNG\nSố: 612/TĐKT-'NV\nYên Bái, ngày 2 tháng 12 "
                     "năm 2019\n")
    assert (f.number, f.symbol) == ("612", "TĐKT-NV")


def test_heldout165_to_168_number_line_with_its_slash_read_twice():
    """Set 166 through vie: 'Số: 96//KH-UBND' is the number line, not the issuer's last line."""
    f = extract_text("ỦY BAN NHÂN DÂN\nHUYỆN TAM ĐƯỜNG\nSố: 96//KH-UBND\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                     "Độc lập - Tự do - Hạnh phúc\nTam Đường, ngày 9 tháng 4 năm 2021\n")
    assert (f.number, f.symbol, f.issuer) == ("96", "KH-UBND", "Ủy ban nhân dân huyện Tam Đường")


def test_family_name_spelt_as_its_people_spells_it():
    """A family name whose marks OCR lost shares its letters with a commoner one ('Giàng' / 'Giang'): a middle
    name only one people gives settles it in any text ('Giang A Tính', read so through `vie`, set 145); the
    province a document is from settles it only from legacy OCR, where the marks were guessed ('Điêu' of
    Bình Phước is 'Điểu'; 'Mã' of Tuyên Quang 'Ma'). A name of the people's own letters stays ('Lý Seo',
    'Mua Mí Sính'), so does one no people marks ('Đặng Văn Hùng')."""
    from pipeline.extract.names import region, repair_name

    assert repair_name("Giang A Tính") == "Giàng A Tính"
    assert repair_name("Giang Seo Páo") == "Giàng Seo Páo"
    assert repair_name("Tấn A Chịu") == "Tẩn A Chịu"
    assert repair_name("Đặng Năng Thọ") == "Đàng Năng Thọ"
    assert repair_name("Đặng Nàng Thơ", legacy=True) == "Đàng Năng Thơ"  # the mark spelt as the people spells it
    assert repair_name("Châu Sóc Khang") == "Chau Sóc Khang"
    assert repair_name("Lý Seo Chẩn") == "Lý Seo Chẩn" and repair_name("Mua Mí Sính") == "Mua Mí Sính"
    assert repair_name("Đặng Văn Hùng", legacy=True) == "Đặng Văn Hùng"
    binh_phuoc = region(["Ủy ban nhân dân huyện Bù Đăng", None, "Bù Đăng"])
    assert binh_phuoc == {"binh phuoc", "dong nai"}  # the old map's district, the new map's commune
    assert region(["Sở Nội vụ", "Ủy ban nhân dân tỉnh Tuyên Quang"]) == {"tuyen quang"}
    assert repair_name("Điêu Văn Thạch", legacy=True, region=binh_phuoc) == "Điểu Văn Thạch"
    assert repair_name("Điêu Văn Thạch", region=binh_phuoc) == "Điêu Văn Thạch"  # its marks read: kept
    assert repair_name("Mã Thị Nguyệt", legacy=True, region=frozenset({"tuyen quang"})) == "Ma Thị Nguyệt"
    assert repair_name("Mã Thị Nguyệt", legacy=True, region=frozenset({"ha noi"})) == "Mã Thị Nguyệt"


def test_issuer_code_with_a_letter_read_twice():
    """Tesseract's Vietnamese model reads a bold 'TT' as 'TTT' (sets 124, 147, 172): a cited issuer's code is
    spelt as its name's initials spell it ('36/KH-SVHTTT' of the 'Sở Văn hóa và Thể thao'); a code its name
    spells as read stays ('BTTTT' of the 'Bộ Thông tin và Truyền thông')."""
    from pipeline.extract.vocab import spelled_by_name

    assert spelled_by_name("36/KH-SVHTTT", "Sở Văn hóa và Thể thao") == "36/KH-SVHTT"
    assert spelled_by_name("18/TTr-VHTTT", "Phòng Văn hóa và Thông tin") == "18/TTr-VHTT"
    assert spelled_by_name("215/KH-SYTT", "Sở Y tế") == "215/KH-SYT"
    assert spelled_by_name("12/BTTTT-CBĐTW", "Bộ Thông tin và Truyền thông") == "12/BTTTT-CBĐTW"
    f = extract_text("ỦY BAN NHÂN DÂN\nHUYỆN ĐẠI LỘC\nSố: 5/QĐ-UBND\nĐại Lộc, ngày 10 tháng 4 năm 2017\n\n"
                     "QUYẾT ĐỊNH\n\nXét đề nghị của Phòng Văn hóa và Thông tin tại Tờ trình số 18/TTr-VHTTT "
                     "ngày 07/4/2017.\n")
    assert [r.symbol for r in f.references] == ["TTr-VHTT"]


def test_heldout169_to_172_first_sight_misses():
    """Sets 169–172 at first sight: a relic closed 'từ ngày … đến hết ngày …' for works whose rule the sentence
    goes on to cite is a span, whatever that rule's title says ('… báo cáo kinh tế - kỹ thuật …'); a month that
    a deadline is for ('trước ngày 10/5/2024 để kịp chi trả … trong tháng 5/2024') and one that closes a span
    ('từ giữa tháng 02 đến cuối tháng 3/2026') are none; a province with a hyphen ends a name ('… BÀ RỊA - VŨNG
    TÀU'), the Mekong delta is a proper name ('Viện Lúa Đồng bằng sông Cửu Long')."""
    from pipeline.extract.text import official_case

    f = extract_text("BẢO TÀNG TỈNH\nSố: 41/TB-BT\nPhan Thiết, ngày 10 tháng 9 năm 2020\n\nTHÔNG BÁO\n\n"
                     "Tạm dừng đón khách tham quan Khu di tích tháp Pô Sah Inư từ ngày 21/9/2020 đến hết ngày "
                     "31/3/2021 để thi công tu bổ theo Nghị định số 166/2018/NĐ-CP ngày 25/12/2018 của Chính phủ "
                     "quy định thẩm quyền, trình tự, thủ tục lập, thẩm định, phê duyệt quy hoạch, dự án, báo cáo "
                     "kinh tế - kỹ thuật bảo quản, tu bổ, phục hồi di tích.\n")
    assert f.deadlines == ()
    f = extract_text("PHÒNG LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nSố: 21/TTr-LĐTBXH\nQuỳnh Phụ, ngày 2 tháng 5 năm 2024\n\n"
                     "TỜ TRÌNH\n\nPhòng kính trình Ủy ban nhân dân huyện phê duyệt danh sách trước ngày 10/5/2024 "
                     "để kịp chi trả cho người lao động trong tháng 5/2024.\n"
                     "Thu hoạch dự kiến từ giữa tháng 02 đến cuối tháng 3/2026.\n")
    assert [d.date for d in f.deadlines] == ["2024-05-10"]
    assert official_case("TRƯỜNG CAO ĐẲNG KỸ THUẬT CÔNG NGHỆ BÀ RỊA - VŨNG TÀU") == (
        "Trường Cao đẳng Kỹ thuật Công nghệ Bà Rịa - Vũng Tàu")
    assert official_case("CÔNG TY ĐIỆN LỰC BÀ RỊA - VŨNG TÀU") == "Công ty Điện lực Bà Rịa - Vũng Tàu"
    assert official_case("SỞ Y TẾ BÀ RỊA- VŨNG TÀU") == "Sở Y tế Bà Rịa - Vũng Tàu"  # the dash glued by OCR (eng)
    assert official_case("VIỆN LÚA ĐỒNG BẰNG SÔNG CỬU LONG") == "Viện Lúa Đồng bằng sông Cửu Long"


def test_heldout173_to_176_first_sight_misses():
    """Sets 173–176 at first sight: a person named 'Thời Hán' is no 'thời hạn' (the cue's folded letters); a day
    a bracket describes ('(ngày nộp đủ hồ sơ)') hands nothing in; a law named with its year and then its number
    in brackets is one reference; an 'l' the Vietnamese engine read as 'Ì' in the place ('Đắk MiÌ'); 'giao
    thông' goes on a cited body's name ('Cục Cảnh sát giao thông')."""
    head = "ỦY BAN NHÂN DÂN\nHUYỆN ĐẮK MIL\nSố: 215/BC-UBND\n\nĐắk MiÌ, ngày 6 tháng 11 năm 2015\n\nBIÊN BẢN\n\n"
    f = extract_text(head + "giải quyết đơn đề nghị ngày 19/10/2015 của bà Lâm Thời Hán về việc xác định ranh giới,\n"
                     "Hôm nay, vào lúc 08 giờ 30 phút ngày 06/11/2015, tại thửa đất số 142.\n"
                     "Truy lĩnh trợ cấp từ ngày 01/7/2015 (ngày nộp đủ hồ sơ) đến hết ngày 30/11/2015.\n"
                     "Thực hiện quan trắc theo quy định của Luật Bảo vệ môi trường năm 2014 (Luật số 55/2014/QH13) "
                     "và Công điện số 01/CĐ-C08 ngày 02/01/2015 của Cục Cảnh sát giao thông về việc kiểm tra.\n")
    assert f.place == "Đắk Mil" and f.deadlines == ()
    assert [(r.doc_type, r.number, r.issuer) for r in f.references] == [
        ("Luật", "55", "Quốc hội"), ("Công điện", "01", "Cục Cảnh sát giao thông")]


def test_heldout177_to_180_clean_text_misses():
    """Sets 177–180's misses on clean text: what lasts till a day is no deadline (a card 'có hạn sử dụng đến hết
    ngày …', water 'đủ dùng đến hết tháng …'), nor the span a report's figures are reckoned over; an amending
    ordinance named with an article's number is its own reference; who directs ('chỉ đạo của Ủy ban nhân dân tỉnh
    tại Công văn số …') issued it, and a name read by its initials stops at a paragraph's end."""
    head = ("SỞ Y TẾ\nSố: 12/HD-SYT\nHà Nam, ngày 6 tháng 7 năm 2016\n\nHƯỚNG DẪN\n\n"
            "Kính gửi: Ủy ban nhân dân tỉnh Hà Nam\n\n")
    f = extract_text(head + "- Các đại lý thu hoàn thành việc vận động gia hạn thẻ bảo hiểm y tế có hạn sử dụng đến "
                     "hết ngày 31/12/2016, nộp tiền về Bảo hiểm xã hội huyện trước ngày 20/12/2016.\n"
                     "Lượng nước dự trữ tối thiểu 5 m³/hộ, đủ dùng đến hết tháng 5/2017.\n"
                     "4. Số liệu báo cáo thống kê năm được tính từ ngày 01/10/2016 đến hết ngày 30/9/2017.\n"
                     "Căn cứ Pháp lệnh Dân số ngày 09 tháng 01 năm 2003; Pháp lệnh sửa đổi Điều 10 của Pháp lệnh "
                     "Dân số ngày 27 tháng 12 năm 2008;\n"
                     "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh tại Công văn số 1187/UBND-VX ngày 02/6/2016, Sở Y "
                     "tế hướng dẫn như sau.\n")
    assert [d.date for d in f.deadlines] == ["2016-12-20"]
    assert [(r.doc_type, r.date, r.title, r.cited_in) for r in f.references if r.doc_type == "Pháp lệnh"] == [
        ("Pháp lệnh", "2003-01-09", "Pháp lệnh Dân số", "basis"),
        ("Pháp lệnh", "2008-12-27", "Pháp lệnh sửa đổi Điều 10 của Pháp lệnh Dân số", "basis")]
    assert [r.issuer for r in f.references if r.number == "1187"] == ["Ủy ban nhân dân tỉnh"]
    f = extract_text(head + "Thực hiện chỉ đạo của Thủ tướng Chính phủ tại Công điện số 680/CĐ-TTg ngày 27/7/2016 "
                     "và chỉ đạo của UBND huyện Hải Hậu tại Công văn số 58/UBND ngày 03/6/2016.\n")
    assert [r.issuer for r in f.references] == ["Thủ tướng Chính phủ", "Ủy ban nhân dân huyện Hải Hậu"]


def test_heldout181_to_184_first_sight_misses():
    """Sets 181–184 at first sight: a cell under a ward's street group ('CHI BỘ TỔ DÂN PHỐ 12') keeps its number,
    the unit word in lower case; 'Y tế dự phòng' is no 'Phòng'; a document cited in a sentence opened by its date
    ('Ngày 14/9/2021, Bộ Y tế phân bổ … tại Quyết định số …') is of that day, and its issuer's name stops at 'ban
    hành'; a forecast's next step ('dự kiến khởi công trong tháng 7/2023, hoàn thành trong quý IV năm 2023') is
    none; a plenum's 'lần thứ' / 'năm' and a type wrapped after 'và' ('Bộ Chính trị và Kết' / 'luận số …') end
    no name early or late; a wrapped 'Nghị' / 'định' goes on a 'Căn cứ' list, a heading 'CĂN CỨ PHÁP LÝ' opens
    none; a department is named with its province's unit word ('SỞ Y TẾ CÀ MAU', 'SỞ NN VÀ PTNT LONG AN')."""
    from pipeline.extract.header import department
    from pipeline.extract.text import official_case

    assert official_case("CHI BỘ TỔ DÂN PHỐ 12") == "Chi bộ tổ dân phố 12"
    assert official_case("TỔ DÂN PHỐ SỐ 5") == "Tổ dân phố số 5" and official_case("THÔN SỐ 5") == "Thôn số 5"
    assert official_case("TRUNG TÂM Y TẾ DỰ PHÒNG TỈNH NINH THUẬN") == "Trung tâm Y tế dự phòng tỉnh Ninh Thuận"
    assert department("Sở Y tế Cà Mau") == "Sở Y tế tỉnh Cà Mau"
    assert department("Sở NN và Phát triển nông thôn Long An") == (
        "Sở Nông nghiệp và Phát triển nông thôn tỉnh Long An")
    assert department("Sở Y tế Cần Thơ") == "Sở Y tế thành phố Cần Thơ"
    assert department("Sở Y tế tỉnh Bà Rịa - Vũng Tàu") == "Sở Y tế tỉnh Bà Rịa - Vũng Tàu"
    assert department("Sở Y tế Thừa Thiên Huế") == "Sở Y tế tỉnh Thừa Thiên Huế"  # the old map's province
    head = "ĐẢNG ỦY XÃ HÀM CHÍNH\nSố 12-BC/ĐU\nHàm Chính, ngày 5 tháng 9 năm 2021\n\nBÁO CÁO\n\n"
    f = extract_text(head + "Ngày 14/9/2021, Bộ Y tế phân bổ bổ sung cho tỉnh 68.400 liều vắc xin tại Quyết định số "
                     "4398/QĐ-BYT. Bộ Y tế ban hành Kế hoạch tiêm chủng.\n"
                     "Thực hiện Nghị quyết số 21-NQ/TW, ngày 16-6-2022 của Hội nghị lần thứ\nnăm Ban Chấp hành Trung "
                     "ương Đảng khóa XIII về tăng cường củng cố tổ chức cơ sở đảng; Chỉ thị số 27-CT/TW, ngày "
                     "12-1-1998 của Bộ Chính trị và Kết\nluận số 51-KL/TW, ngày 22-7-2009 của Ban Bí thư.\n"
                     "3. Tiến độ: dự kiến khởi công trong tháng 7/2021, hoàn thành trong quý IV năm 2021.\n")
    assert [(r.number, r.date, r.issuer) for r in f.references] == [
        ("4398", "2021-09-14", "Bộ Y tế"), ("21", "2022-06-16", "Ban Chấp hành Trung ương Đảng khóa XIII"),
        ("27", "1998-01-12", "Bộ Chính trị"), ("51", "2009-07-22", "Ban Bí thư")]
    assert f.deadlines == ()
    f = extract_text("SỞ Y TẾ\nSố: 5/HD-SYT\nĐắk Nông, ngày 29 tháng 7 năm 2024\n\nHƯỚNG DẪN\n\n"
                     "Căn cứ Quyết định số 581/QĐ-BYT ngày 24/02/2012 của Bộ trưởng Bộ Y tế; Nghị\nđịnh số "
                     "104/2016/NĐ-CP ngày 01/7/2016 của Chính phủ;\n\nI. CĂN CỨ PHÁP LÝ VÀ TỔ CHỨC BỘ MÁY\nQuỹ hoạt "
                     "động theo Nghị định số 147/2020/NĐ-CP ngày 18/12/2020 của Chính phủ.\n")
    assert [(r.number, r.cited_in) for r in f.references] == [("581", "basis"), ("104", "basis"), ("147", "body")]


def test_cited_issuers_spelt_out_and_ended_where_the_sentence_goes_on():
    """A cited issuer's body abbreviations are spelt out ('Ủy ban MTTQ Việt Nam tỉnh', 'Hội LHPN tỉnh'); its name
    ends at the verb 'ban hành' and after a unit's place ('… tỉnh Đồng Tháp không còn phù hợp'); a header's name
    in quotes closed by an apostrophe ('… ĐỜI SỐNG VĂN HÓA\\'') and a symbol whose hyphen OCR read as one ('Số:
    1187/SYT'NVY') are read (sets 182, 184)."""
    f = extract_text("UBND TỈNH HƯNG YÊN\nBAN CHỈ ĐẠO PHONG TRÀO\n\"TOÀN DÂN ĐOÀN KẾT XÂY DỰNG\nĐỜI SỐNG VĂN HÓA'\n"
                     "Số: 1187/SYT'NVY\nHưng Yên, ngày 5 tháng 9 năm 2017\n\nHƯỚNG DẪN\n\n"
                     "Thực hiện Hướng dẫn số 38/HD-MTTQ-BTT ngày 12/9/2017 của Ban Thường trực Ủy ban MTTQ Việt Nam "
                     "tỉnh Nghệ An về tổ chức Ngày hội; Kế hoạch số 145/KH-HPN ngày 12/3/2017 của Ban Thường vụ Hội "
                     "LHPN tỉnh Bắc Giang; Quy chế ban hành kèm theo Quyết định số 217-QĐ/TW ngày 12/12/2013 của Bộ "
                     "Chính trị ban hành Quy chế giám sát; Quyết định số 26/2016/QĐ-UBND ngày 30/8/2016 của Ủy ban "
                     "nhân dân tỉnh Đồng Tháp không còn phù hợp.\n")
    assert (f.issuer, f.number, f.symbol) == (
        'Ban Chỉ đạo phong trào "Toàn dân đoàn kết xây dựng đời sống văn hóa"', "1187", "SYT-NVY")
    assert [r.issuer for r in f.references] == [
        "Ban Thường trực Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Nghệ An",
        "Ban Thường vụ Hội Liên hiệp Phụ nữ tỉnh Bắc Giang", "Bộ Chính trị", "Ủy ban nhân dân tỉnh Đồng Tháp"]


def test_heldout185_to_188_first_sight_misses():
    """Sets 185–188 at first sight: a licence's term ('thời hạn hoạt động đến ngày …') is no deadline; 'BAN ĐẠI
    DIỆN' alone on a line heads the association below it, spelt 'Ban Đại diện' (a bank board's 'Ban đại diện
    HĐQT' stays so, and its 'TM.' line follows the header); a school's own letter ('NHO QUAN A') is no rule read
    as one, a restored 'Tế' after a header line and two capitals before the place are; a 'T' read as a quote
    and a stroke ('98/2013/I”1-BTC') is read."""
    f = extract_text("PHÒNG KINH TẾ\nSố: 5/BB-KT\nTam Nông, ngày 5 tháng 3 năm 2021\n\nBIÊN BẢN\n\n1. Bến có Giấy phép "
                     "hoạt động số 27/GP-SGTVT ngày\n12/5/2020, thời hạn hoạt động đến\nngày 12/5/2025; có bảng nội "
                     "quy.\nĐề nghị chủ bến hoàn thành trước ngày 30/4/2021; thực hiện theo Thông tư số 98/2013/I”1-BTC"
                     " nêu trên.\n")
    assert [d.date for d in f.deadlines] == ["2021-04-30"]
    assert [(r.number, r.symbol) for r in f.references] == [("27", "GP-SGTVT"), ("98", "2013/TT-BTC")]
    motto = "\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    signed = "\n\nNơi nhận:\n- Lưu: VT.\nTM. BAN ĐẠI DIỆN\nTRƯỞNG BAN\nLê Văn An\n"
    f = extract_text("HỘI NGƯỜI CAO TUỔI VIỆT NAM\nBAN ĐẠI DIỆN\nHỘI NGƯỜI CAO TUỔI TỈNH PHÚ YÊN\nSố: 21/GM-BĐD"
                     + motto + "Phú Yên, ngày 25 tháng 5 năm 2016\n\nGIẤY MỜI\nDự x" + signed)
    assert (f.issuer, f.parent_issuer) == (
        "Ban Đại diện Hội Người cao tuổi tỉnh Phú Yên", "Hội Người cao tuổi Việt Nam")
    assert f.signer.on_behalf_of == "TM. Ban Đại diện"
    f = extract_text("BAN ĐẠI DIỆN HĐQT NHCSXH\nHUYỆN KHOÁI CHÂU\nSố: 02/KH-BĐD" + motto
                     + "Khoái Châu, ngày 14 tháng 2 năm 2023\n\nKẾ HOẠCH\nx" + signed)
    assert f.issuer.startswith("Ban đại diện Hội đồng quản trị") and f.signer.on_behalf_of == "TM. Ban đại diện"
    f = extract_text("CỤC ĐƯỜNG THỦY NỘI ĐỊA VIỆT NAM CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nCẢNG VỤ ĐƯỜNG THỦY NỘI "
                     "ĐỊA Độc lập - Tự do - Hạnh phúc\nKHU VỰC IV Tế\nBC Cần Thơ, ngày 14 tháng 2 năm 2022\nSố: "
                     "45/BC-CVIV\nBÁO CÁO\nKết quả x\n")
    assert (f.issuer, f.place) == ("Cảng vụ Đường thủy nội địa khu vực IV", "Cần Thơ")
    f = extract_text("SỞ GD&ĐT NINH BÌNH\nTRƯỜNG TRUNG HỌC PHỔ THÔNG\nNHO QUAN A\nSố: 45/TB-THPTNQA" + motto
                     + "Nho Quan, ngày 4 tháng 5 năm 2021\n\nTHÔNG BÁO\nTuyển sinh\n")
    assert f.issuer == "Trường Trung học phổ thông Nho Quan A"


def test_an_evn_units_symbol_keeps_its_space():
    """'Quyết định số 5120/QĐ-EVN SPC ngày 27/12/2023' (set 192): the unit's code after 'EVN' is the symbol's, spaced as
    EVN prints it, and the date after it is the reference's."""
    f = extract_text("CÔNG TY ĐIỆN LỰC BÌNH PHƯỚC\nSố: 5/TB-PCBP\nBình Phước, ngày 5 tháng 1 năm 2024\n\nTHÔNG BÁO\n\n"
                     "Căn cứ kế hoạch đã được phê duyệt tại Quyết định số 5120/QĐ-EVN SPC ngày 27/12/2023; Quyết định "
                     "số 12/QĐ-EVN ngày 2/1/2023.\n")
    assert [(r.symbol, r.date, r.key) for r in f.references] == [
        ("QĐ-EVN SPC", "2023-12-27", "5120-QD-EVN-SPC"), ("QĐ-EVN", "2023-01-02", "12-QD-EVN")]


def test_a_sentence_opened_by_its_date_dates_the_document_the_body_acted_by_not_one_it_names_in_passing():
    """'Ngày 14/9/2021, Bộ Y tế phân bổ … tại Quyết định số 4398/QĐ-BYT' (set 182) dates the decision; 'Ngày 8 tháng
    11 năm 2005, Bộ Thương mại ban hành thông tư hướng dẫn … quy định tại Nghị định số 110/2005/NĐ-CP' (Wikipedia,
    `--laws` (g)) is the circular's day, not the decree's."""
    f = extract_text("BỘ Y TẾ\nSố: 12/BC-BYT\nHà Nội, ngày 5 tháng 10 năm 2021\n\nBÁO CÁO\n\nNgày 14/9/2021, Bộ Y tế "
                     "phân bổ bổ sung cho tỉnh 68.400 liều vắc xin tại Quyết định số 4398/QĐ-BYT. Ngày 8 tháng 11 "
                     "năm 2005, Bộ Thương mại ban hành thông tư hướng dẫn một số điều quy định tại Nghị định số "
                     "110/2005/NĐ-CP.\n")
    assert [(r.number, r.date) for r in f.references] == [("4398", "2021-09-14"), ("110", None)]


def test_titles_of_heads_of_small_units_are_known():
    """'TỔ TRƯỞNG' was read as the nearest known title, 'Bộ trưởng' (sets 55, 58, 76), 'CHI HỘI TRƯỞNG' as 'Chỉ
    huy trưởng', 'PHÓ THỦ TRƯỞNG' as 'Phó Thủ tướng'; the heads of a post, a ranger station and a team are titles
    of their own ('Phó Đồn trưởng', not the 'Phó Tổ trưởng' now beside it)."""
    from pipeline.extract.text import known_title

    for printed, title in (("TỔ TRƯỞNG", "Tổ trưởng"), ("CHI HỘI TRƯỞNG", "Chi hội trưởng"),
                           ("PHÓ THỦ TRƯỞNG", "Phó Thủ trưởng"), ("PHÓ ĐỒN TRƯỞNG", "Phó Đồn trưởng"),
                           ("PHÓ HẠT TRƯỞNG", "Phó Hạt trưởng"), ("ĐỘI TRƯỞNG", "Đội trưởng")):  # fmt: skip
        assert known_title(printed) == title, printed


def test_a_task_to_be_done_within_a_day_is_a_deadline_an_event_on_that_day_is_not():
    """'hoàn thành việc giao, nhận quân năm 2018 trong ngày 26 tháng 02 năm 2018' (set 193) sets that day; a day's
    event ('Ngày hội tổ chức trong ngày 28/3/2026', set 150), a result made known that day (set 97) and what was
    done that day set none."""
    head = "UBND TỈNH X\nSố: 12/KH-UBND\nX, ngày 5 tháng 1 năm 2018\n\nKẾ HOẠCH\nVề x\n\n"
    body = ("1. Các huyện chỉ đạo hoàn thành việc giao, nhận quân năm 2018 trong ngày 26 tháng 02 năm 2018 (mùng 11 "
            "Tết), bảo đảm đủ chỉ tiêu.\n2. Ngày hội tổ chức trong ngày 28/3/2018, tại Trung tâm Văn hóa xã.\n"
            "3. Kết quả thi được công bố trong ngày 18/8/2018.\n"
            "4. Xã B đã hoàn thành việc giao quân trong ngày 8/1/2018.\n")
    assert [d.date for d in extract_text(head + body).deadlines] == ["2018-02-26"]


def test_an_army_office_code_in_the_file_entry_is_no_signature_and_two_titles_of_one_man():
    """'Lưu: VT, TM. H20' (sets 109, 193): 'TM' is the staff office and 'H20' the copies, not a 'TM.' line run into
    the list; 'PHÓ CHỈ HUY TRƯỞNG - THAM MƯU TRƯỞNG' is two titles, each as the table spells it."""
    f = extract_text("BỘ CHQS TỈNH X\nSố: 5/HD-BCH\nX, ngày 5 tháng 1 năm 2024\n\nHƯỚNG DẪN\nVề x\n\nNội dung.\n\n"
                     "Nơi nhận:\n- UBND tỉnh (b/c);\n- Lưu: VT, TM. H20.\n\nKT. CHỈ HUY TRƯỞNG\n"
                     "PHÓ CHỈ HUY TRƯỞNG - THAM MƯU TRƯỞNG\nĐại tá Đỗ Mạnh Cường\n")
    assert f.signer.on_behalf_of is None and f.cc[-1] == "Lưu: VT, TM. H20"
    assert (f.signer.authority, f.signer.title) == ("KT. Chỉ huy trưởng", "Phó Chỉ huy trưởng - Tham mưu trưởng")


def test_a_district_office_cited_by_its_fields_name_is_read_whole():
    """'… của Phòng Nông nghiệp và Phát triển nông thôn huyện Tư Nghĩa về việc …' (sets 85, 88) was cut at 'Phát':
    'triển' is a stop word ('triển khai'), and only the province's department of that field was known."""
    refs = extract_text("Thực hiện Công văn số 214/NN-PTNT ngày 18/3/2016 của Phòng Nông nghiệp và Phát triển nông "
                        "thôn huyện Tư Nghĩa về việc rà soát kênh mương; Kế hoạch liên tịch số 11/KHLT-HND-NN ngày "
                        "18/3/2022 của Hội Nông dân huyện Phù Cát và Phòng Nông nghiệp và Phát triển nông thôn về hỗ "
                        "trợ nông dân.").references
    assert [r.issuer for r in refs] == ["Phòng Nông nghiệp và Phát triển nông thôn huyện Tư Nghĩa",
                                        "Hội Nông dân huyện Phù Cát và Phòng Nông nghiệp và Phát triển nông thôn"]


def test_an_abbreviated_head_in_the_list_of_recipients_keeps_its_capitals():
    """'BCH BĐBP tỉnh (b/c)' (sets 90, 108, 146 and others) was spelt 'Bch BĐBP …' as if 'BCH' were a head word
    restoration left in capitals ('BỘ Công Thương'); a word has a vowel, an abbreviation has none."""
    from pipeline.extract.text import respell_head

    assert respell_head("BCH BĐBP tỉnh (b/c)") == "BCH BĐBP tỉnh (b/c)"
    assert respell_head("BỘ Công Thương") == "Bộ Công Thương"


def test_a_half_yearly_and_yearly_report_schedule_sets_no_deadline():
    """'báo cáo kết quả thực hiện 6 tháng, năm (trước ngày 15/6 và 15/12)' (set 197) repeats every half-year; the
    year's report with its year in the same sentence is a deadline."""
    f = extract_text("UBND TỈNH X\nSố: 5/KH-UBND\nX, ngày 12 tháng 6 năm 2023\n\nKẾ HOẠCH\nVề x\n\nCác sở báo cáo kết "
                     "quả thực hiện 6 tháng, năm (trước ngày 15/6 và 15/12) về Sở Công Thương; Sở Công Thương báo cáo "
                     "UBND tỉnh kết quả năm 2023 chậm nhất ngày 25 tháng 12 năm 2023.\n")
    assert [d.date for d in f.deadlines] == ["2023-12-25"]


def test_round_one_of_the_twentieth_session_scan_damage():
    """Sets 198–200 through Tesseract: a province read as another place's letters ('TỈNH NAM BÌNH', eng) where the
    place line names it; a rule's end read as '_' before a body's line ('_ HỘI NHÀ BÁO', eng); a year OCR split
    ('13/201 1/TT- BNV'); the 11th legislature's digits read as letters ('UBTVQHI1', vie); a committee's Ban split
    from its committee ('09-HD/BDV TU', vie)."""
    tail = "\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    f = extract_text("ỦY BAN NHÂN DÂN\nTỈNH NAM BÌNH\nSố: 12/CT-UBND" + tail + "Nam Định, ngày 26 tháng 3 năm 2018\n"
                     "CHỈ THỊ\nVề x\n")
    assert (f.issuer, f.place) == ("Ủy ban nhân dân tỉnh Nam Định", "Nam Định")
    f = extract_text("HỘI NHÀ BÁO VIỆT NAM\n_ HỘI NHÀ BÁO\nTỈNH QUẢNG BÌNH\nSố: 21/CTr-HNB" + tail
                     + "Quảng Bình, ngày 15 tháng 11 năm 2016\nCHƯƠNG TRÌNH\nVề x\n")
    assert (f.issuer, f.parent_issuer) == ("Hội Nhà báo tỉnh Quảng Bình", "Hội Nhà báo Việt Nam")
    refs = extract_text("theo Thông tư số 13/201 1/TT- BNV ngày 24/10/2011 của Bộ Nội vụ; Pháp lệnh thực hiện dân chủ "
                        "ở xã, phường, thị trấn số 34/2007/PL-UBTVQHI1 ngày 20/4/2007 của Ủy ban Thường vụ Quốc hội; "
                        "Hướng dẫn số\n09-HD/BDV TU, ngày 25-02-2021 của Ban Dân vận Tỉnh ủy Hà Tĩnh.").references
    assert [(r.key, r.date) for r in refs] == [("13-2011-TT-BNV", "2011-10-24"), ("34-2007-PL-UBTVQH11", "2007-04-20"),
                                               ("9-HD-BDVTU", "2021-02-25")]
    # a type's code one letter off the type cited, in its length ('EI' for 'TT', set 204 through vie)
    refs = extract_text("Căn cứ Thông tư số 04/2017/EI-BKHĐT ngày 15/11/2017 của Bộ Kế hoạch và Đầu tư;").references
    assert [r.key for r in refs] == ["4-2017-TT-BKHDT"]
    # another code a letter off keeps its letters: the Bộ Giáo dục's old 'GD-ĐT' (Wikipedia, `--laws` (g))
    assert [r.key for r in extract_text("theo Quyết định số 2693/GD-ĐT ngày 1/8/1996 của Bộ").references] == [
        "2693-GD-DT"]


def test_round_two_of_the_twentieth_session_clean_misses():
    """Sets 201 and 204: a submission to a Party committee within a month is a deadline ('trình Ban Thường vụ Tỉnh ủy
    trong tháng 10-2020'); a span in brackets is none whatever the sentence hands in ('(số liệu từ ngày 01/01/2026
    đến hết ngày 30/6/2026) gửi … trước ngày 10/7/2026'); the session that passed a law stands between its date
    and the Quốc hội ('Ngày 23 tháng 6 năm 2023, tại Kỳ họp thứ 5, Quốc hội khóa XV đã thông qua Luật …'); the
    region 'Việt Bắc' is a name."""
    from pipeline.extract.text import official_case

    head = "TỈNH ỦY X\nSố: 5-CT/TU\nX, ngày 5 tháng 8 năm 2020\n\nCHỈ THỊ\nVề x\n\n"
    f = extract_text(head + "Ban cán sự đảng xây dựng kế hoạch, trình Ban Thường vụ Tỉnh ủy trong tháng 10-2020.\n"
                     "Báo cáo 6 tháng (số liệu từ ngày 01/01/2020 đến hết ngày 30/9/2020) gửi Tỉnh ủy trước ngày "
                     "10/10/2020.\n")
    assert [d.date for d in f.deadlines] == ["2020-10-31", "2020-10-10"]
    refs = extract_text("Ngày 23 tháng 6 năm 2023, tại Kỳ họp thứ 5, Quốc hội khóa XV đã thông qua Luật Đấu thầu số "
                        "22/2023/QH15, có hiệu lực thi hành từ ngày 01 tháng 01 năm 2024.").references
    assert [(r.key, r.date) for r in refs] == [("22-2023-QH15", "2023-06-23")]
    assert official_case("ĐÀI KHÍ TƯỢNG THỦY VĂN KHU VỰC VIỆT BẮC") == "Đài Khí tượng Thủy văn khu vực Việt Bắc"


def test_a_stamp_read_after_a_pages_text_does_not_cut_a_sentence_the_page_breaks():
    """Set 203 through Tesseract: the layout read the boxed 'KHẨN' after page 1's text, so '… Nghị định số' /
    'KHẨN' / '2' / '39/2016/NĐ-CP ngày 15/5/2016 …' lost the decree; a page's trailing stamp is read after the next
    page's first text."""
    from pipeline.extract import extract_fields
    from pipeline.types import PageText, TextBlock

    pages = [PageText(0, (TextBlock("body", "SỞ X\nSố: 5/SLĐTBXH-VL\nX, ngày 5 tháng 1 năm 2017\n\nV/v x\n\nNgười sử "
                                            "dụng lao động khai báo theo quy định tại Nghị định số"),
                          TextBlock("stamp", "KHẨN"))),
             PageText(1, (TextBlock("body", "2\n39/2016/NĐ-CP ngày 15/5/2016 của Chính phủ quy định chi tiết."),))]
    f = extract_fields(pages)
    assert f.urgency == "Khẩn"
    assert [(r.key, r.date) for r in f.references] == [("39-2016-ND-CP", "2016-05-15")]
    # held back till the sentence has gone on, not read before the header: a stamp read with a speck's line ('nt' /
    # 'KHAN', sets 137, 142, 150 through eng) would end the header before it began
    pages[0] = PageText(0, (pages[0].blocks[0], TextBlock("stamp", "nt\nKHAN")))
    f = extract_fields(pages)
    assert (f.issuer, f.urgency) == ("Sở X", "Khẩn")
    assert [r.key for r in f.references] == ["39-2016-ND-CP"]


def test_round_three_of_the_twentieth_session():
    """Sets 205–208: a joint resolution with its two issuers between type and number (18 words); an abbreviation
    spelt out inside a name that goes on in lower case ('… các công trình nông nghiệp và PTNT'), a body's not
    ('… Quốc hội và HĐND'); and through Tesseract 'HOATOC' for 'HỎA TỐC', '[I' for 'TT', 'số' read '50', the
    Party's 'QĐi' read 'QDi'."""
    from pipeline.extract.text import official_case
    from pipeline.extract.vocab import clean_symbol

    refs = extract_text("Căn cứ Nghị quyết liên tịch của Ủy ban Thường vụ Quốc hội và Đoàn Chủ tịch Ủy ban Trung ương "
                        "Mặt trận Tổ quốc Việt Nam số 525/2012/NQLT-UBTVQH13-ĐCTUBTWMTTQVN ngày 27/9/2012 hướng dẫn; "
                        "Thông tư số 09/2019/[I-BCT ngày 08/7/2019 của Bộ Công Thương.").references
    assert [(r.key, r.date) for r in refs] == [("525-2012-NQLT-UBTVQH13-DCTUBTWMTTQVN", "2012-09-27"),
                                               ("9-2019-TT-BCT", "2019-07-08")]
    assert official_case("BAN QUẢN LÝ DỰ ÁN ĐẦU TƯ XÂY DỰNG CÁC CÔNG TRÌNH NÔNG NGHIỆP VÀ PTNT") == (
        "Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp và phát triển nông thôn")
    assert official_case("VĂN PHÒNG ĐOÀN ĐẠI BIỂU QUỐC HỘI VÀ HĐND TỈNH LONG AN") == (
        "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh Long An")
    assert clean_symbol("QDi/TW")[0] == "QĐi/TW"
    head = "UBND TỈNH GIA LAI\nSỞ TÀI CHÍNH\nSố: 12/HD-STC\nGia Lai, ngày 5 tháng 9 năm 2025\n\nHƯỚNG DẪN\nVề x\n\n"
    f = extract_text("HOATOC\n" + head + "Sở Tài chính thẩm tra quyết toán theo Nghị định\n50 99/2021/NĐ-CP ngày "
                     "11/11/2021 của Chính phủ.\n")
    assert f.urgency == "Hỏa tốc"
    assert [(r.key, r.date) for r in f.references] == [("99-2021-ND-CP", "2021-11-11")]


def test_round_four_of_the_twentieth_session():
    """Sets 209–212: a stop within a month is a deadline ('dừng hoàn toàn phát sóng 2G … trong tháng 9/2024'); a law
    named with its year and its number in brackets after a closing quote is the numbered law ('“Tìm hiểu Luật Đất
    đai năm 2024” (Luật số 31/2024/QH15)'); the Mông family name 'Xồng'; through Tesseract a year with a digit too many
    before the closing stop ('04-11-20285./.') and a Ba Na 'A' run into the name ('APơ')."""
    head = "SỞ X\nSố: 118/KH-STTTT\nX, ngày 5 tháng 3 năm 2025\n\nKẾ HOẠCH\nVề x\n\n"
    f = extract_text(head + "- Dừng hoàn toàn phát sóng 2G trên địa bàn tỉnh trong tháng 9/2025.\n- Các chi bộ đăng ký "
                     "trước 16 giờ 00 ngày 04-11-20285./.\n- Trao giải Cuộc thi “Tìm hiểu Luật Đất đai năm 2024” (Luật "
                     "số 31/2024/QH15)./.\nNơi nhận:\n- Lưu: VT.\n\nGIÁM ĐỐC\nAPơ\n")
    assert [d.date for d in f.deadlines] == ["2025-09-30", "2025-11-04"]
    assert [(r.key, r.title) for r in f.references] == [("31-2024-QH15", None)]
    assert f.signer.name == "A Pơ"
    assert extract_text(SIGNED.format(name="Xồng Bá Dì")).signer.name == "Xồng Bá Dì"


def test_a_party_committee_read_bang_uy_heads_its_own_line():
    """Through eng (sets 212, 216) restoration read 'ĐẢNG ỦY PHƯỜNG CẨM THÀNH' as 'BẰNG ỦY …', which then ran into the
    line above ('Đảng bộ tỉnh Quảng Ngãi Bằng Ủy phường …'); it heads its own line, spelt 'Đảng ủy'."""
    f = extract_text("BẰNG BỘ TỈNH QUẢNG NGÃI\nBẰNG ỦY PHƯỜNG CẨM THÀNH\n*\nSố 27-GM/BU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
                     "Cẩm Thành, ngày 28 tháng 10 năm 2025\n\nGIẤY MỜI\n\nNội dung.\n")
    assert (f.issuer, f.parent_issuer) == ("Đảng ủy phường Cẩm Thành", "Đảng bộ tỉnh Quảng Ngãi")


def test_a_stamp_block_read_with_an_inverted_exclamation_is_its_word():
    """With the stamp's mask smoothed, set 172's boxed 'KHẨN' came back as '¡KHẨN' through vie: the frame's edge read
    as '¡', a speck like the quote it was read as before."""
    from pipeline.extract import extract_fields
    from pipeline.types import PageText, TextBlock

    page = PageText(0, (TextBlock("header_left", "LIÊN ĐOÀN X\nSố: 15/TTr-LĐ"), TextBlock("stamp", "¡KHẨN"),
                        TextBlock("body", "TỜ TRÌNH\nVề việc x\nNội dung.")))
    assert extract_fields([page]).urgency == "Khẩn"


def test_round_one_of_the_twenty_first_session():
    """Sets 217–220 through Tesseract: an hour's minutes read 'OO' before a deadline's day ('trước 15 giờ OO ngày'); a
    deadline's year with its second digit misread ('15/9/2924' of 2024); a speck before a cited number's date ('4367/QĐ-
    UBND §ngày'); specks in mixed case after a header's name in capitals ('… LẠNG SƠN lướt nẲT'); a code's 'L' read 'I'
    ('BVHTTDI' of the Bộ Văn hóa, Thể thao và Du lịch) or 'T' read 'I' ('BIXH'); an Ê Đê woman's prefix without its
    apostrophe ('HLinh Niê')."""
    head = "UBND TỈNH HÀ TĨNH\nSỞ CÔNG THƯƠNG\nSố: 12/HD-SCT\nHà Tĩnh, ngày 21 tháng 8 năm 2024\n\nHƯỚNG DẪN\nVề x\n\n"
    f = extract_text(head + "1. Các xã gửi về Sở Công Thương trước ngày\n15/9/2924.\n2. Báo cáo về Sở trước 15 giờ OO "
                     "ngày\n16/12/2024 để tổng hợp.\n3. Thực hiện Quyết định số 4367/QĐ- UBND §ngày\n30-12-2015 của "
                     "Ủy ban nhân dân tỉnh.\nNơi nhận:\n- Lưu: VT.\n\nTL. GIÁM ĐỐC\nTRƯỞNG PHÒNG\nHLinh Niê\n")
    assert [d.date for d in f.deadlines] == ["2024-09-15", "2024-12-16"]
    assert [(r.key, r.date) for r in f.references] == [("4367-QD-UBND", "2015-12-30")]
    assert f.signer.name == "H'Linh Niê"
    f = extract_text("UBND TỈNH LẠNG SƠN\nBAN QUẢN LÝ KHU KINH TẾ\nCỬA KHẨU ĐỒNG ĐĂNG - LẠNG SƠN lướt nẲT\n"
                     "Số: 38/TB-BQL\nLạng Sơn, ngày 26 tháng 1 năm 2026\n\nTHÔNG BÁO\nVề x\n\nNội dung.\n")
    assert f.issuer == "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng - Lạng Sơn"
    f = extract_text("BỘ VĂN HÓA, THỂ THAO\nVÀ DU LỊCH\nSố: 812/BVHTTDI-TV\nHà Nội, ngày 7 tháng 3 năm 2016\n"
                     "V/v tổ chức Ngày Sách\n\nNội dung.\n")
    assert f.symbol == "BVHTTDL-TV"
    # a unit's code with its 'T' read 'I', spelt as the body names the unit ('Phòng Bảo trợ xã hội …', set 219)
    f = extract_text("UBND TỈNH NAM ĐỊNH\nSỞ LAO ĐỘNG - THƯƠNG BINH\nVÀ XÃ HỘI\nSố: 1986/SLĐTBXH-BIXH\nNam Định, ngày "
                     "26 tháng 10 năm 2018\nV/v x\n\nCác đơn vị báo cáo về Sở (qua Phòng Bảo trợ xã hội và Bình đẳng "
                     "giới).\n")
    assert f.symbol == "SLĐTBXH-BTXH"
    f = extract_text("BỘ KẾ HOẠCH VÀ ĐẦU TƯ\nSố: 6418/BKHĐT-QLQH TS\nV/v x\n\nx\n")  # a speck after a whole code
    assert f.symbol == "BKHĐT-QLQH"


def test_round_two_of_the_twenty_first_session():
    """Sets 221–224. Names' case: a place or a zone's name after 'Khu kinh tế' or 'Kho bạc Nhà nước' ('… Nghi Sơn và
    các khu công nghiệp', '… Diễn Châu'), 'Hội Đông y' (its marks tell it from 'Hội đồng'), 'Cục Quản lý Y, Dược cổ
    truyền', 'Ban Chỉ đạo Đổi mới và Phát triển doanh nghiệp'. A law 'đã được Quốc hội thông qua ngày …' has that
    date; a subject's law run into the place and date beside it cites nothing; spending allowed or a period open till
    a day sets no deadline, nor figures reckoned to a day in brackets however OCR spelt 'số liệu'. Through Tesseract:
    a 'Hội nghị lần thứ? năm' that passed a resolution; a 'CÔNG ĐOÀN' line under its LĐLĐ whose province OCR cut; a
    repeat of a dated citation with a letter of its symbol misread."""
    for printed, cased in (("BAN QUẢN LÝ KHU KINH TẾ\nNGHI SƠN VÀ CÁC KHU CÔNG NGHIỆP",
                            "Ban Quản lý Khu kinh tế Nghi Sơn và các khu công nghiệp"),
                           ("KBNN NGHỆ AN\nKHO BẠC NHÀ NƯỚC DIỄN CHÂU", "Kho bạc Nhà nước Diễn Châu"),
                           ("HỘI ĐÔNG Y\nTỈNH BẮC GIANG", "Hội Đông y tỉnh Bắc Giang"),
                           ("BỘ Y TẾ\nCỤC QUẢN LÝ Y, DƯỢC\nCỔ TRUYỀN", "Cục Quản lý Y, Dược cổ truyền"),
                           ("UBND TỈNH BÌNH DƯƠNG\nBAN CHỈ ĐẠO ĐỔI MỚI VÀ\nPHÁT TRIỂN DOANH NGHIỆP",
                            "Ban Chỉ đạo Đổi mới và Phát triển doanh nghiệp")):  # fmt: skip
        head = f"{printed}\nSố: 12/KH-X\nX, ngày 5 tháng 3 năm 2022\n\nKẾ HOẠCH\nVề x\n\nx.\n"
        assert extract_text(head).issuer == cased
    f = extract_text("BỘ TÀI CHÍNH\nSố: 12/BTC-PTDN\nV/v triển khai Luật Quản lý và đầu Hà Nội, ngày 8 tháng 9 năm "
                     "2025\ntư vốn nhà nước\n\nKính gửi: x\n\nLuật Dược số 105/2016/QH13 đã được Quốc hội thông qua "
                     "ngày 06 tháng 4 năm 2016. Các khoản chi thường xuyên chỉ được chi đến hết ngày 31/12/2025; thời "
                     "gian chỉnh lý quyết toán đến hết ngày 31/01/2026. Các doanh nghiệp báo cáo (số li€6u tính đến "
                     "hết ngày 15/10/2025) gửi trước ngày 25/10/2025. Ngày 03-6-2017, Hội nghị lần thứ? năm Ban Chấp "
                     "hành Trung ương Đảng khóa XII ban hành Nghị quyết số 12-NQ/TW. Thực hiện Công văn số "
                     "2738/KBNN-VP ngày 24/6/2025 và Công văn số 2738/KBNN-VPE.\n")
    assert [(r.key, r.date) for r in f.references] == [
        ("105-2016-QH13", "2016-04-06"), ("12-NQ-TW", "2017-06-03"), ("2738-KBNN-VP", "2025-06-24")
    ]
    assert [d.date for d in f.deadlines] == ["2025-10-25"]
    f = extract_text("LIÊN ĐOÀN LAO ĐỘNG TỈNH BẮC NU\nCÔNG ĐOÀN CÁC KHU CÔNG NGHIỆP.\nSố: 45/GM-CĐKCN Bắc Ninh, "
                     "ngày 20 tháng 4 năm 2026\nGIẤY MỜI\nx\n")
    assert f.issuer == "Công đoàn các khu công nghiệp"


def test_round_three_of_the_twenty_first_session():
    """Sets 225–228: the laws an amending law's title names are not cited ('Luật số 43/2024/QH15 sửa đổi, bổ sung …
    của Luật Đất đai số 31/2024/QH15, Luật Nhà ở số 27/2023/QH15 …'), but a document after its clause is; a law named
    with its year, its number in brackets after one mention, is the numbered law at every mention; a month someone
    expects something in ('dự kiến trong những ngày cuối tháng 8/2018') is no deadline. (Its header and place line
    cases are in test_headers_and_place_lines_ocr_damaged_in_sets_217_to_244.)"""
    head = "HĐND TỈNH SƠN LA\nSố: 12/NQ-HĐND\nSơn La, ngày 5 tháng 3 năm 2025\n\nNGHỊ QUYẾT\nVề x\n\n"
    body = [
        "Căn cứ Luật Đất đai số 31/2024/QH15; Luật số 43/2024/QH15 sửa đổi, bổ sung một số điều của Luật Đất đai",
        "số 31/2024/QH15, Luật Nhà ở số 27/2023/QH15 và Luật Các tổ chức tín dụng số 32/2024/QH15;",
        "Căn cứ Luật số 52/2019/QH14 sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức và Luật Viên chức",
        "và Quy định số 102-QĐ/TW ngày 15/11/2017 của Bộ Chính trị;",
        "Quán triệt Luật Đặc xá năm 2018 (Luật số 30/2018/QH14); triển khai Luật Đặc xá năm 2018 trong năm 2025.",
        "Dự kiến trong những ngày cuối tháng 8/2025 sẽ có 27 người được đặc xá.",
    ]
    f = extract_text(head + "\n".join(body) + "\n")
    keys = ["31-2024-QH15", "43-2024-QH15", "52-2019-QH14", "102-QD-TW", "30-2018-QH14"]
    assert [r.key for r in f.references] == keys
    assert f.deadlines == ()
    # another amending law, by its number, in the first one's title is cited (set 135)
    f = extract_text(head + "Căn cứ Luật số 21/2012/QH13 ngày 20/11/2012 sửa đổi, bổ sung một số điều của Luật Quản lý "
                     "thuế và Luật số 71/2014/QH13 sửa đổi, bổ sung một số điều của các Luật về thuế;\n")
    assert [r.key for r in f.references] == ["21-2012-QH13", "71-2014-QH13"]


def test_round_four_of_the_twenty_first_session():
    """Sets 229–232: a 'Thị ủy' names its town ('Thị ủy An Nhơn'); 'đã' in a relative clause after the task's verb
    does not make the task past ('hoàn thành trồng thay thế … tại các vị trí đã chặt hạ trong tháng 9/2024'); a
    report's half-yearly and yearly schedule in brackets sets no deadline; a span from a day to a day in a clause of its
    own is none, whatever the sentence named before; a Cơ Tu name's final 'r' ('Blưr') is no damage. Through
    Tesseract: a numbered ward's place line a letter off ('Móng Cúi 1'), a dashed province's ('Bà Rịa - Vũng Tòu'),
    'KHUYÊN CÔNG' for 'Khuyến công'."""
    head = "UBND HUYỆN LỤC NGẠN\nSố: 1/KH-UBND\nLục Ngạn, ngày 5 tháng 3 năm 2024\n\nKẾ HOẠCH\nVề x\n\n"
    body = [
        "1. Hoàn thành trồng thay thế cây sao đen, cây dầu rái tại các vị trí đã chặt hạ trong tháng 9/2024.",
        "2. Các đơn vị báo cáo kết quả thực hiện 6 tháng (trước ngày 15/6) và nam (trước ngày 15/12) về Phòng.",
        "3. Hồ sơ gồm báo cáo tóm tắt, được niêm yết công khai từ ngày 01/10/2024 đến hết ngày 30/10/2024.",
        "4. Sở đã hoàn thành trong tháng 8/2024.",
    ]
    assert [d.date for d in extract_text(head + "\n".join(body) + "\n").deadlines] == ["2024-09-30"]
    assert extract_text("THỊ ỦY AN NHƠN\nSố 12-CT/TU\nAn Nhơn, ngày 5 tháng 3 năm 2022\n\nCHỈ THỊ\nx\n").issuer == (
        "Thị ủy An Nhơn"
    )
    assert extract_text(SIGNED.format(name="Đinh Văn Blưr")).signer.name == "Đinh Văn Blưr"
    for line, place in (("Móng Cúi 1", "Móng Cái 1"), ("Bà Rịa - Vũng Tòu", "Bà Rịa - Vũng Tàu")):
        head = "UBND TỈNH QUẢNG NINH\nUBND PHƯỜNG MÓNG CÁI 1\nSố: 1/TB-UBND\n"
        f = extract_text(f"{head}{line}, ngày 18 tháng 9 năm 2025\n\nTHÔNG BÁO\nx\n")
        assert f.place == place
    f = extract_text("SỞ CÔNG THƯƠNG TỈNH HÀ NAM\nTRUNG TÂM KHUYÊN CÔNG VÀ TƯ VẤN\nPHÁT TRIỂN CÔNG NGHIỆP\n"
                     "Số: 1/GM-TTKC\nHà Nam, ngày 5 tháng 3 năm 2024\n\nGIẤY MỜI\nx\n")
    assert f.issuer == "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp"


def test_round_five_of_the_twenty_first_session():
    """Sets 233–236: a placement the writer expects ('dự kiến bố trí giáo viên … trước ngày khai giảng 05/9/2025') is no
    deadline. Through the English engine: 'trước' read 'tru dé’c'; a speck read as a colon inside a header's name
    ('HỘI CHỮ: THẬP ĐỎ'). (Its place line cases are in test_headers_and_place_lines_ocr_damaged_in_sets_217_to_244.)"""
    head = "UBND XÃ LÂM BÌNH\nSố: 1/GM-UBND\nLâm Bình, ngày 5 tháng 8 năm 2025\n\nGIẤY MỜI\nVề x\n\n"
    body = ("Xã dự kiến bố trí giáo viên về các trường trước ngày khai giảng 05/9/2025.\n"
            "Các trường báo cáo về xã tru dé’c ngày 30-8-2025.\n")
    assert [d.date for d in extract_text(head + body).deadlines] == ["2025-08-30"]
    f = extract_text("TRUNG ƯƠNG HỘI CHỮ THẬP ĐỎ VIỆT NAM\nHỘI CHỮ: THẬP ĐỎ TỈNH QUẢNG BÌNH\nSố: 1/CV-CTĐ\nQuảng Bình, "
                     "ngày 5 tháng 10 năm 2020\nV/v x\n\nx\n")
    assert f.issuer == "Hội Chữ thập đỏ tỉnh Quảng Bình"


def test_round_six_of_the_twenty_first_session():
    """Sets 237–240: two documents of one body listed with one date set off by a comma after the last share it
    ('Nghị quyết số 18-NQ/TW và Nghị quyết số 19-NQ/TW, ngày 25-10-2017'; without the comma the date is the last's).
    Through the English engine a name's 'Đ' read 'B': 'HỘI BÔNG NHÂN DÂN', 'BỘ GIÁO DỤC VÀ BÁO TẠO'."""
    head = "TỈNH ỦY KON TUM\nSố 1-CT/TU\nKon Tum, ngày 5 tháng 3 năm 2018\n\nCHỈ THỊ\nVề x\n\n"
    f = extract_text(head + "Thực hiện Nghị quyết số 18-NQ/TW và Nghị quyết số 19-NQ/TW, ngày 25-10-2017 của Ban Chấp "
                     "hành Trung ương Đảng khóa XII; Quyết định số 12/QĐ-UBND và Quyết định số 15/QĐ-UBND ngày "
                     "5/3/2017 của UBND tỉnh.\n")
    assert [(r.key, r.date) for r in f.references] == [
        ("18-NQ-TW", "2017-10-25"), ("19-NQ-TW", "2017-10-25"), ("12-QD-UBND", None), ("15-QD-UBND", "2017-03-05")
    ]
    f = extract_text("HỘI BÔNG NHÂN DÂN\nTỈNH TUYÊN QUANG\nSố: 1/NQ-HĐND\nTuyên Quang, ngày 5 tháng 12 năm 2025\n\n"
                     "NGHỊ QUYẾT\nx\n")
    assert f.issuer == "Hội đồng nhân dân tỉnh Tuyên Quang"
    f = extract_text("BỘ GIÁO DỤC VÀ BÁO TẠO\nSố: 1/BGDĐT-NGCBQLGD\nHà Nội, ngày 5 tháng 3 năm 2016\nV/v x\n\nx\n")
    assert f.issuer == "Bộ Giáo dục và Đào tạo"


@pytest.mark.parametrize(
    "printed, expected",
    [  # the Party's star under a committee read as letters (set 225, vie)
        ("ĐẢNG ỦY PHƯỜNG TRẦN HƯNG ĐẠO\nỦY BAN KIỂM TRA\nLỦ\nSố 06-GM/UBKTĐU\nĐẢNG CỘNG SẢN VIỆT NAM\nTrần Hưng Đạo, "
         "ngày 15 tháng 12 năm 2025\n\nGIẤY MỜI\n\nx\n",
         {"issuer": "Ủy ban Kiểm tra", "parent_issuer": "Đảng ủy phường Trần Hưng Đạo"}),
        # a place line read past any name or its first word damaged: the header's unit (sets 222, 233, eng)
        ("UBND TỈNH QUẢNG NGÃI\nSỞ NỘI VỤ\nSố: 09/HD-SNV\nQudng Ngd@i, ngày 10 tháng 2 năm 2026\n\nHƯỚNG DẪN\nx\n",
         {"place": "Quảng Ngãi", "date": "2026-02-10"}),
        ("UBND HUYỆN KRÔNG PẮC\nSố: 1/TB-UBND\nKr6éng Pắc, ngày 6 tháng 8 năm 2021\n\nTHÔNG BÁO\nx\n",
         {"place": "Krông Pắc"}),
        # the header's last line the place line ran into stays the issuer's (set 172, vie)
        ("SỞ VĂN HÓA VÀ THỂ THAO\nTỈNH BÀ RỊA - VŨNG TÀU\nTRUNG TÂM HUẤN LUYỆN VÀ THI ĐẤU\nTHỂ DỤC THỂ THAO Vũng Tùu, "
         "ngày 18 tháng 12 năm 2020\nSố: 186/BC-TTHLTĐ\nBÁO CÁO\nx\n",
         {"issuer": "Trung tâm Huấn luyện và Thi đấu thể dục thể thao", "place": "Vũng Tàu"}),
        # nor does it take in a rule's specks before the place, which the place line's kept words leave out (set 108)
        ("SỞ NÔNG NGHIỆP VÀ PTNT TỈNH TRÀ VINH\nTRUNG TÂM NƯỚC SẠCH VÀ\nVỆ SINH MÔI TRƯỜNG NÔNG THÔN\nn¬—B KH Trà "
         "Vinh, ngày 3 tháng 3 năm 2023\nSố: 12/GM-TTNS\nGIẤY MỜI\nx\n",
         {"issuer": "Trung tâm Nước sạch và Vệ sinh môi trường nông thôn", "place": "Trà Vinh"}),
    ],
)  # fmt: skip
def test_headers_and_place_lines_ocr_damaged_in_sets_217_to_244(printed: str, expected: dict) -> None:
    f = extract_text(printed)
    assert {key: getattr(f, key) for key in expected} == expected


def test_round_one_of_the_twenty_second_session():
    """Sets 245–248 through Tesseract: a boxed 'TỐI MẬT' the English engine read 'TOYMAT' (a missed stamp is a leak);
    'Số' read 'S06'; a month's '1' set apart from its second digit ('05/1 2/2025'); a speck in a licence's words
    ('Giấy phép sĩ? dùng …'); an issuer's code with a stroke after it ('SCTI') and a unit's code with one inside
    ('QLTIM' of 'Quản lý thương mại'). Not deadlines: a duty roster's day to day, a span whose 'từ' OCR read 't&w'."""
    from pipeline.extract import extract_fields
    from pipeline.types import PageText, TextBlock

    def secrecy(stamp: str) -> str | None:
        page = PageText(0, (TextBlock("header_left", "CÔNG AN TỈNH HƯNG YÊN\nSố: 318/TTr-CAT-PA03"),
                            TextBlock("stamp", stamp), TextBlock("body", "TỜ TRÌNH\nVề việc x\nNội dung.")))
        return extract_fields([page]).secrecy

    assert secrecy("‘TOYMAT") == secrecy("TOI MAT") == "Tối mật" and secrecy("TUYET MAI") == "Tuyệt mật"
    assert secrecy("MAI") is None and secrecy("MẶT TRẬN") is None  # the short word is read whole

    f = extract_text("BỘ CÔNG AN\nCÔNG AN TỈNH KON TUM\nS06: 3418/CAT-PA05\nKon Tum, ngày 6 tháng 10 năm 2023\n"
                     "V/v cảnh báo\n\nKính gửi: Các sở\n\nx\n")
    assert (f.number, f.symbol, f.issuer) == ("3418", "CAT-PA05", "Công an tỉnh Kon Tum")

    head = ("UBND TỈNH TUYÊN QUANG\nSỞ CÔNG THƯƠNG\nSố: 2876/{sym}\nTuyên Quang, ngày 15 tháng 12 năm 2025\n"
            "V/v x\n\nKính gửi: Các huyện\n\n")
    body = ("Thực hiện Kế hoạch số 214/KH-UBND ngày 05/1 2/2025 của Ủy ban nhân dân tỉnh. Báo cáo về Sở (qua Phòng "
            "Quản lý thương mại) chậm nhất ngày 25 tháng 12 năm 2025. Công ty có Giấy phép sĩ? dùng vật liệu nổ công "
            "nghiệp số 58/GP-BCT ngày 14/3/2023 do Bộ Công Thương cấp.\n")
    for read in ("SCTI-QLTM", "SCT-QLTIM"):
        f = extract_text(head.format(sym=read) + body)
        assert f.symbol == "SCT-QLTM"
        assert [(r.key, r.date) for r in f.references] == [("214-KH-UBND", "2025-12-05"), ("58-GP-BCT", "2023-03-14")]

    f = extract_text("ĐẢNG ỦY XÃ PHONG THỔ\nSố 05-TB/ĐU\nPhong Thổ, ngày 10 tháng 2 năm 2026\n\nTHÔNG BÁO\nVề x\n\n"
                     "Phân công trực như sau:\n- Ngày 20 đến hết ngày 22-02-2026 (mùng 4 đến mùng 6 Tết): đồng chí Lý "
                     "Văn Phủ.\n2. Trung tâm phát trên hệ thống truyền thanh mỗi tuần 02 lần, t&w ngày 01/8/2021 đến "
                     "hết ngày\n31/12/2021.\n3. Báo cáo Văn phòng trước 10 giờ 00 ngày 23-02-2026.\n")
    assert [d.date for d in f.deadlines] == ["2026-02-23"]


def test_round_two_of_the_twenty_second_session():
    """Sets 249–252 through Tesseract: a day read as a letter and a digit ('ngày Z7 tháng 11') is no day, the place and
    year still read; a law's number in brackets after its name; the English engine's '!' for an 'I' ending a word of a
    header ('HỌ! ĐỒNG NHÂN DÂN') and its '6' for an 'ô' in a signer's name ('Ka S6 Liéng'); a letter put into a family
    name ('Neguyén'); a unit's code split at a space ('BT XH'); a speck before 'số' and a 'Đ' whose bar was read 'B'
    in a joint circular ('= số 42/2013/TTLI-…', 'BGDDBT')."""
    from pipeline.vietnamese import fold_lower

    f = extract_text("BỘ GIÁO DỤC VÀ ĐÀO TẠO\nTRƯỜNG ĐẠI HỌC TÂY BẮC\nSố: 486/TB-ĐHTB\n"
                     "Sơn La, ngày Z7 tháng 11 năm 2022\n\nTHÔNG BÁO\nVề x\n\nCăn cứ Quyết định số 1126/QĐ-ĐHTB "
                     "ngày 15/9/2021 của Hiệu trưởng.\n")
    assert (f.place, f.date, f.date_year) == ("Sơn La", None, 2022)
    f = extract_text("HỌ! ĐỒNG NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\nSố: 07/2026/NQ-HĐND\nCần Thơ, ngày 5 tháng 3 năm 2026\n\n"
                     "NGHỊ QUYẾT\nx\n\nThực hiện Luật Bảo vệ quyền lợi người tiêu dùng (số 19/2023/QH15) có hiệu lực "
                     "từ ngày 01-7-2024; Thông tư liên tịch = số\n42/2013/TTLI-BGDĐT-BLĐTBXH-BTC và Thông tư liên "
                     "tịch số 37/2012/TTLT-BLĐTBXH-BYT-BTC-BGDDBT ngày 28/12/2012.\n")
    assert f.issuer == "Hội đồng nhân dân thành phố Cần Thơ"
    assert [(r.key, r.date) for r in f.references] == [
        ("19-2023-QH15", None), ("42-2013-TTLT-BGDDT-BLDTBXH-BTC", None),
        ("37-2012-TTLT-BLDTBXH-BYT-BTC-BGDDT", "2012-12-28")]
    f = extract_text("HỘI BẢO VỆ QUYỀN LỘ!\nNGUO! TIÊU DÙNG\nTỈNH KHÁNH HÒA\nSố: 09/CTr-HBVNTD\n\nx\n")
    assert f.issuer == "Hội Bảo vệ quyền lợi người tiêu dùng tỉnh Khánh Hòa"
    f = extract_text("UBND TỈNH PHÚ YÊN\nSỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nSố: 1742/SLĐTBXH-BT XH\nV/v x\n\nx\n")
    assert f.symbol == "SLĐTBXH-BTXH"
    f = extract_text("BỘ KẾ HOẠCH VÀ ĐẦU TƯ\nSố: 6418/BKHĐT-QLQH TS\nV/v x\n\nx\n")  # a speck after a whole code
    assert f.symbol == "BKHĐT-QLQH"

    def signer(name: str) -> str | None:
        pages = [PageText(0, (TextBlock("other", SIGNED.format(name=name)),), True)]
        return extract_fields(pages).signer.name

    assert signer("Neguyén Van Ut") == "Nguyễn Văn Út"
    assert fold_lower(signer("Ka S6 Liéng") or "") == "ka so lieng"


def test_round_three_of_the_twenty_second_session():
    """Sets 253–255: an abbreviation in brackets inside a law's name ('… ở người (HIV/AIDS) số 64/2006/QH11'); the next
    of a list of one type by its number alone ('Các Hướng dẫn số 41/HD-SYT … và số 19/HD-SYT ngày …'); a need reckoned
    to a month is no deadline ('nhu cầu đến hết tháng 9/2021'); 'trước' before an hour as restoration left it ('trúc 16
    giờ 00 ngày', eng), not a duty's 'trực'; a place line's 'Ia' read 'là' (vie)."""
    head = "SỞ Y TẾ TÂY NINH\nSố: 12/HD-SYT\nTây Ninh, ngày 2 tháng 8 năm 2025\n\nHƯỚNG DẪN\nx\n\n"
    f = extract_text(head + "Căn cứ Luật Phòng, chống nhiễm vi rút gây ra hội chứng suy giảm miễn\ndịch mắc phải ở "
                     "người (HIV/AIDS) số 64/2006/QH11;\n1. Các Hướng dẫn số 41/HD-SYT ngày 12/5/2023 của Sở Y tế tỉnh "
                     "Long An (cũ) và số 19/HD-SYT ngày 08 tháng 3 năm 2024 của Sở Y tế tỉnh Tây Ninh (cũ) tiếp tục áp "
                     "dụng.\n2. Rà soát số lượng thuốc tồn kho, nhu cầu đến hết tháng\n9/2025; gửi báo cáo trúc 16 giờ "
                     "00 ngày 15/8/2025.\n3. Lực lượng trực 24 giờ ngày 30/8/2025.\n")
    assert [(r.key, r.date, r.issuer) for r in f.references] == [
        ("64-2006-QH11", None, "Quốc hội"), ("41-HD-SYT", "2023-05-12", "Sở Y tế tỉnh Long An"),
        ("19-HD-SYT", "2024-03-08", "Sở Y tế tỉnh Tây Ninh")]
    assert [d.date for d in f.deadlines] == ["2025-08-15"]
    f = extract_text("ĐẢNG BỘ TỈNH GIA LAI\nĐẢNG ỦY XÃ IA GRAI\n*\nSố 06-CTr/ĐU\nĐẢNG CỘNG SẢN VIỆT NAM\n"
                     "là Grai, ngày 2 tháng 3 năm 2026\n\nCHƯƠNG TRÌNH\nx\n")
    assert f.place == "Ia Grai"


def test_hard_scans_of_the_twenty_third_session():
    """What `eval_fields.py --damage hard` (blur at 150 dpi, faint print, a page upside down, a cheap flatbed's
    worst) showed through Tesseract `vie` on sets 240–255 and samples/fields. The signature's strokes read as specks
    before the name ('>>... ', '-s. ', 'X - ') or as a line of underscores after it, a family name in lower case,
    'T/L' run into its body ('T/LBAN'), the title lines left in the 'Nơi nhận' column when the name stands apart; a
    number's '6' read 'G', its digits split, its '/' read 'I'; a 'Số' line never the issuer; a stamp's frame read as a
    letter beside it."""
    from pipeline.extract import extract_fields
    from pipeline.types import PageText, TextBlock

    head = "ỦY BAN NHÂN DÂN\nTỈNH HÀ NAM\nSố: 12/KH-UBND\nHà Nam, ngày 2 tháng 3 năm 2021\n\nKẾ HOẠCH\nVề x\n\nx.\n"

    def signer(tail: str) -> tuple[str | None, ...]:
        s = extract_text(head + "Nơi nhận:\n- Lưu: VT.\n" + tail).signer
        return (s.name, s.title, s.authority, s.on_behalf_of) if s else (None,)

    for specks in (">>... ", "-s. ", "X - ", ": +~.", "`. _", "'>.... "):
        assert signer(f"KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n„ -—\n{specks}Trần Quốc Vĩnh\n~___—\n")[:3] == (
            "Trần Quốc Vĩnh", "Phó Chủ tịch", "KT. Chủ tịch")
    assert signer("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n.Ầ.~-. `\ntrần Quốc Vĩnh\n")[0] == "Trần Quốc Vĩnh"
    for read, name in (("`. Lê-Ánh Dương", "Lê Ánh Dương"), ("- Phan“Thị Mỹ Hạnh", "Phan Thị Mỹ Hạnh"),
                       ("- RơMah H'Lim", "Rơ Mah H'Lim"), ("TS Đinh Công Khải", "Đinh Công Khải"),
                       ("xThạch Văn Chánh", "Thạch Văn Chánh"), ("LÊ Văn An", "Lê Văn An")):
        assert signer(f"TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n{read}\n")[0] == name
    # the Party's 'T/M' read 'TIM', the name lost under the seal: no name 'Tim Đảng Ủy'
    assert signer("TIM ĐẢNG ỦY\nBÍ THƯ\n")[:2] == (None, "Bí thư")
    assert signer("T/LBAN THƯỜNG VỤ\nCHÁNH VĂN PHÒNG\nL5 NNG:\n>>... Trần Thị Thu Hà\n")[1:3] == (
        "Chánh Văn phòng", "T/L Ban Thường vụ")
    # a name's own one-letter word is no speck
    for name in ("A Blưn", "Y Khâm Niê", "H Yâm Byă", "K' Điểu", "X6ng Bá Di"):  # nor a letter before an 'ô' read '6'
        assert signer(f"KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n{name}\n")[0] == name
    # the title lines in the 'Nơi nhận' column (two columns read as one), the name on a line of its own below
    f = extract_text(head + "Nơi nhận: KT. GIÁM ĐỐC\n- UBND tỉnh (b/c); -_ PHÓ GIÁM ĐỐC\n- Lưu: VT, BTXH.\nÀ Á⁄^\n"
                     "b N cơ\n... Lò Thị Xuân\n")
    assert (f.signer.name, f.signer.title, f.signer.authority) == ("Lò Thị Xuân", "Phó Giám đốc", "KT. Giám đốc")

    def number(line: str, top: str = "UBND TỈNH KON TUM\nSỞ CÔNG THƯƠNG") -> tuple[str | None, ...]:
        f = extract_text(f"{top}\n{line}\nKon Tum, ngày 14 tháng 6 năm 2023\nV/v x\n\nKính gửi: Các sở.\n\nx.\n")
        return f.number, f.symbol, f.issuer

    assert number("Số: 1 125/SCT-QLNL -") == ("1125", "SCT-QLNL", "Sở Công Thương")
    assert number("Số: 27IGM-SKHCN") == ("27", "GM-SKHCN", "Sở Công Thương")
    assert number("Số 4G-CT/TU", "ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG\nTHÀNH ỦY\n*") == ("46", "CT/TU", "Thành ủy Hải Phòng")
    assert number("SỐ: 1436G/SLĐTBXH-BTXH")[:2] == ("1436", "SLĐTBXH-BTXH")  # before the slash, a speck (set 227)
    for unread in ("SỐ: i 125/SCT-QLNL", "Số 4X-CT/TU"):
        assert number(unread)[2] == "Sở Công Thương"  # the number's line ends the header: 'Số' is no 'Sở'

    def urgency(blocks: tuple[tuple[str, str], ...]) -> str | None:
        page = PageText(0, tuple(TextBlock(kind, text) for kind, text in blocks) + (
            TextBlock("body", "GIẤY MỜI\nDự hội nghị\nNội dung."),))
        return extract_fields([page]).urgency

    assert urgency((("header_left", "KHẨN Ì\nUBND TỈNH TUYÊN QUANG\nSỞ NỘI VỤ\nSố: 176/GM-SNV"),)) == "Khẩn"
    assert urgency((("header_left", "VĂN PHÒNG CHÍNH PHỦ\nSố: 6633/VPCP-KGVX"), ("stamp", "HA TỐC"))) == "Hỏa tốc"
    assert urgency((("header_left", "KHẨN TRƯƠNG\nUBND TỈNH TUYÊN QUANG\nSố: 176/GM-SNV"),)) is None


def test_faint_scans_of_the_twenty_fourth_session():
    """Faint print, JPEG and skew (`eval_fields.py --damage hard`, sets 160-199 through `vie`), once the faded seal
    no longer hid the name: the signature's stroke read as a quote before a word of the name, a space read a letter
    late, one or two small letters of the seal's edge on a line below the name."""
    head = "ỦY BAN NHÂN DÂN\nTỈNH HÀ NAM\nSố: 12/KH-UBND\nHà Nam, ngày 2 tháng 3 năm 2021\n\nKẾ HOẠCH\nVề x\n\nx.\n"

    def name(tail: str) -> str | None:
        s = extract_text(head + "Nơi nhận:\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n^^\n" + tail).signer
        return s.name if s else None

    for read, want in (("Nguyễn 'Thị Thu Trang", "Nguyễn Thị Thu Trang"), ('Lê "Thị Hồng Nhung', "Lê Thị Hồng Nhung"),
                       ("'Nguyễn 'Văn Lượng", "Nguyễn Văn Lượng"), ("HoàngT hị Thu Hằng", "Hoàng Thị Thu Hằng"),
                       ("Trần Thị Kim Ngân\nlộ", "Trần Thị Kim Ngân")):
        assert name(read + "\n") == want
    for kept in ("K' Brơi Ka", "H'Nhung Niê", "Y'Ngông Niê"):  # an apostrophe of the name stays
        assert name(kept + "\n") == kept


def test_a_damaged_unit_is_read_the_same_in_every_process():
    """Of names a letter off a damaged one ('BÌNH BINH', English engine), the one the text gives most often and of
    the unit's kind: the choice once followed a set's order, which is the process's hash seed's. A name the map has
    at another level or era ('tỉnh Hải Hưng', 1988) is no damage."""
    import os
    import subprocess
    import sys

    text = ("HỘI ĐỒNG NHÂN DÂN\nTỈNH BÌNH BINH\nSố: 42/NQ-HĐND\nBình Bình, ngày 8 tháng 12 năm 2017\n\nNGHỊ QUYẾT\n"
            "Về x\n\nHỘI ĐỒNG NHÂN DÂN TỈNH BÌNH ĐỊNH\nKHÓA XII, KỲ HỌP THỨ 5\nCăn cứ x;\n")
    code = f"from pipeline.extract import extract_text; print(extract_text({text!r}).issuer)"
    root = Path(__file__).resolve().parents[1]
    run = lambda seed: subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,  # noqa: E731
                                      cwd=root, env={**os.environ, "PYTHONHASHSEED": str(seed)})  # fmt: skip
    read = {run(seed).stdout.strip() for seed in range(4)}
    assert read == {"Hội đồng nhân dân tỉnh Bình Định"}
    f = extract_text("ỦY BAN NHÂN DÂN\nTỈNH HẢI HƯNG\nSố: 77/QĐ-UB\nHải Hưng, ngày 5 tháng 3 năm 1988\n\nQUYẾT ĐỊNH\n"
                     "Về x\n\nx.\n")
    assert f.issuer == "Ủy ban nhân dân tỉnh Hải Hưng"
