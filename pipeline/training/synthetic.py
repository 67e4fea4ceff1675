"""Synthetic archive documents built from real Vietnamese legal text, for benchmarks and tests.

Each document has the field structure of Nghị định 30/2020/NĐ-CP (issuer, number/symbol, place and
date, type, trích yếu, body citing earlier documents, a deadline, Nơi nhận, signer), body paragraphs
drawn from the law corpus, and a raw OCR text that differs from the restored text the way OCR
without accents does (some words lose their diacritics). No OCR is run. The benchmark reads the
corpus in ``../shared``; the tests give ``corpus_lines`` the slice in ``tests/data/archive``.
"""

from __future__ import annotations

import hashlib
import itertools
import lzma
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from pipeline.settings import SHARED_DIR
from pipeline.types import Box, Deadline, DocumentRecord, Fields, OcrWord, PageRecord, Reference, Signer
from pipeline.vietnamese import fold, nfc

CORPUS = SHARED_DIR / "corpus" / "vn-law.txt.xz"

# (type, abbreviation in the symbol; None: a Công văn carries the issuer and a unit instead)
DOC_TYPES = [
    ("Kế hoạch", "KH"),
    ("Quyết định", "QĐ"),
    ("Công văn", None),
    ("Thông báo", "TB"),
    ("Báo cáo", "BC"),
    ("Tờ trình", "TTr"),
    ("Chỉ thị", "CT"),
    ("Hướng dẫn", "HD"),
]
# (issuer, parent, place, abbreviation)
ISSUERS = [
    ("Ủy ban nhân dân phường Kiến An", "Ủy ban nhân dân thành phố Hải Phòng", "Kiến An", "UBND"),
    ("Ủy ban nhân dân thành phố Hải Phòng", None, "Hải Phòng", "UBND"),
    ("Sở Công Thương", "Ủy ban nhân dân thành phố Hải Phòng", "Hải Phòng", "SCT"),
    ("Sở Khoa học và Công nghệ", "Ủy ban nhân dân thành phố Hải Phòng", "Hải Phòng", "SKHCN"),
    ("Ban Quản lý Khu kinh tế Hải Phòng", "Ủy ban nhân dân thành phố Hải Phòng", "Hải Phòng", "BQL"),
    ("Sở Tài chính", "Ủy ban nhân dân tỉnh Quảng Ninh", "Quảng Ninh", "STC"),
    ("Ủy ban nhân dân huyện Thủy Nguyên", "Ủy ban nhân dân thành phố Hải Phòng", "Thủy Nguyên", "UBND"),
    ("Sở Giáo dục và Đào tạo", "Ủy ban nhân dân tỉnh Nam Định", "Nam Định", "SGDĐT"),
    ("Sở Y tế", "Ủy ban nhân dân tỉnh Thái Bình", "Thái Bình", "SYT"),
    ("Ủy ban nhân dân xã Đồng Thái", "Ủy ban nhân dân huyện An Dương", "Đồng Thái", "UBND"),
]
UNITS = ["VP", "KTHT&ĐT", "QLCN", "QLTM", "TCKH", "VHXH", "NV", "CCTĐC"]
SIGNERS = ["Nguyễn Tùng Lâm", "Trần Thị Hương", "Lê Văn Đức", "Phạm Minh Tuấn", "Đỗ Thị Lan", "Vũ Đình Nam"]
RECIPIENTS = [
    "Phòng Văn hoá – Xã hội",
    "Phòng Kinh tế, Hạ tầng và Đô thị",
    "Trung tâm Sự nghiệp công",
    "Các Tổ dân phố",
    "Sở Công Thương",
    "Các doanh nghiệp trên địa bàn",
]


def corpus_lines(limit: int | None = None, path: Path = CORPUS, min_len: int = 60) -> list[str]:
    """Paragraphs of the law corpus long enough to make body text (streamed, stops at ``limit``)."""
    out: list[str] = []
    with lzma.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if len(line) >= min_len:
                out.append(nfc(line))
                if limit and len(out) >= limit:
                    break
    return out


@dataclass(frozen=True)
class Synthetic:
    record: DocumentRecord
    subject: str


def _date_vn(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


class Generator:
    """Deterministic by seed; references point only at documents generated earlier."""

    def __init__(self, lines: list[str], seed: int = 0, noise: float = 0.05) -> None:
        if not lines:
            raise ValueError("no corpus lines to build documents from")
        self.lines = lines
        self.rng = random.Random(seed)
        self.noise = noise
        self.seed = seed
        self.issued: list[tuple[str, str, str, str, str]] = []  # type, number, symbol, date, issuer
        self.used: set[tuple[str, str]] = set()
        self._folded: dict[str, str] = {}  # word -> fold(word), for the words OCR noise strips

    def _reference(self, doc_type: str, abbr: str | None, issuer_abbr: str) -> tuple[str, str]:
        rng = self.rng
        symbol = f"{abbr}-{issuer_abbr}" if abbr else f"{issuer_abbr}-{rng.choice(UNITS)}"
        highest = 9999
        for tries in itertools.count(1):
            number = str(rng.randint(1, highest))
            if (number, symbol) not in self.used:
                self.used.add((number, symbol))
                return number, symbol
            if tries % 100 == 0:  # the symbol's numbers are (nearly) all taken: a million documents use
                highest *= 10  # ~50,000 of one symbol; below ~200,000 documents this never happens
        raise AssertionError("unreachable")

    def document(self, i: int) -> Synthetic:
        rng = self.rng
        doc_type, abbr = rng.choice(DOC_TYPES)
        issuer, parent, place, issuer_abbr = rng.choice(ISSUERS)
        number, symbol = self._reference(doc_type, abbr, issuer_abbr)
        issued = date(2019, 1, 1) + timedelta(days=rng.randint(0, 6 * 365))
        subject_words = rng.choice(self.lines).rstrip(".;:").split()[: rng.randint(8, 16)]
        subject = " ".join(subject_words)
        refs = []
        cites = []
        if self.issued and rng.random() < 0.7:
            for _ in range(rng.randint(1, 2)):
                t, n, s, d, iss = self.issued[rng.randrange(len(self.issued))]
                refs.append(Reference(t, n, s, d, iss))
                dd = date.fromisoformat(d)
                cites.append(f"Thực hiện {t} số {n}/{s} ngày {_date_vn(dd)} của {iss};")
        deadlines = []
        deadline_sentence = ""
        if rng.random() < 0.6:
            due = issued + timedelta(days=rng.randint(5, 90))
            deadline_sentence = (
                f"Các đơn vị báo cáo kết quả thực hiện về {issuer} trước ngày {_date_vn(due)} để tổng hợp."
            )
            deadlines.append(Deadline(due.isoformat(), deadline_sentence))
        signer = rng.choice(SIGNERS)
        recipients = rng.sample(RECIPIENTS, rng.randint(1, 3))
        header = [
            (parent or "").upper(),
            issuer.upper(),
            f"Số: {number}/{symbol}",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            f"{place}, ngày {issued.day} tháng {issued.month} năm {issued.year}",
        ]
        if abbr:
            header += [doc_type.upper(), subject]
        else:
            header += [f"V/v {subject}"]
        header.append("Kính gửi: " + "; ".join(recipients))
        body = cites + [rng.choice(self.lines) for _ in range(rng.randint(3, 9))]
        if deadline_sentence:
            body.insert(rng.randint(len(cites), len(body)), deadline_sentence)
        tail = ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", signer]
        paragraphs = [p for p in header if p] + body + tail
        pages = self._pages(paragraphs)
        sha = hashlib.sha256(f"synthetic:{self.seed}:{i}".encode()).hexdigest()
        fields = Fields(
            number=number,
            symbol=symbol,
            doc_type=doc_type,
            issuer=issuer,
            parent_issuer=parent,
            place=place,
            date=issued.isoformat(),
            date_year=issued.year,
            subject=subject,
            recipients=tuple(recipients),
            cc=("Như trên", "Lưu: VT"),
            references=tuple(refs),
            deadlines=tuple(deadlines),
            signer=Signer(signer, "Phó Chủ tịch", "KT. Chủ tịch"),
        )
        self.issued.append((doc_type, number, symbol, issued.isoformat(), issuer))
        size = sum(len(p.restored_text) for p in pages) * 40
        record = DocumentRecord(sha, f"/archive/scans/{issued.year}/{sha[:12]}.pdf", size, pages, fields)
        return Synthetic(record, subject)

    def _pages(self, paragraphs: list[str]) -> tuple[PageRecord, ...]:
        chunks: list[list[str]] = [[]]
        length = 0
        for p in paragraphs:
            if length > 2200:
                chunks.append([])
                length = 0
            chunks[-1].append(p)
            length += len(p)
        return tuple(self._page(i, "\n".join(c)) for i, c in enumerate(chunks))

    def _page(self, index: int, text: str) -> PageRecord:
        # This loop makes every word of a benchmark's million documents: names bound locally, each
        # word's accent-free form worked out once; the draws are those of the plain loop, in order.
        random_ = self.rng.random
        noise = self.noise
        folded = self._folded
        words: list[OcrWord] = []
        restored_words: list[str] = []
        raw_lines = []
        confidence = 0.0
        y = 120
        for line_no, line in enumerate(text.split("\n")):
            raw_line = []
            x = 140
            for tok in line.split():
                if random_() < noise:
                    raw = folded.get(tok)
                    if raw is None:
                        raw = folded[tok] = fold(tok)
                else:
                    raw = tok
                raw_line.append(raw)
                w = 14 * len(tok)
                conf = round(60.0 + 39.0 * random_() if raw == tok else 35.0 + 30.0 * random_(), 2)
                confidence += conf
                words.append(OcrWord(raw, Box(x, y, w, 40), conf, 0, line_no))
                restored_words.append(tok)
                x += w + 14
                if x > 2300:
                    x = 140
                    y += 52
            raw_lines.append(" ".join(raw_line))
            y += 52
        return PageRecord(
            index=index,
            raw_text="\n".join(raw_lines),
            restored_text=text,
            words=tuple(words),
            restored_words=tuple(restored_words),
            mean_confidence=confidence / len(words) if words else 0.0,
            source="ocr",
            seconds=2.3,
            width=2480,
            height=3508,
        )

    def documents(self, n: int) -> Iterator[Synthetic]:
        for i in range(n):
            yield self.document(i)
