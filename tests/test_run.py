"""The runner: stages strung together per page, per document and per batch; a failing stage costs
its document only (stages swapped for failing ones, as OCRmyPDF's crash plugins do)."""

from __future__ import annotations

import ast
import dataclasses
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from pipeline.archive import open_archive
from pipeline.run import STAGES, ingest
from pipeline.settings import Settings
from pipeline.types import Box, CleanPage, OcrPage, OcrWord, PageImage, TextBlock

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"
DARK = 100  # pages darker than this on average are the ones the injected faults hit
FAULT = "injected fault"


# --- stand-in stages: no Tesseract, so the runner's own behaviour is what is tested ------------------------
def passthrough_clean(page: PageImage, settings) -> CleanPage:
    return CleanPage(index=page.index, image=page.image, dpi=page.dpi)


def fake_ocr(page: CleanPage, lang: str = "vie", timeout: float = 120.0) -> OcrPage:
    """One line of text per page; a dark page reads "tối" so a later stage can tell it apart."""
    tone = "tối" if page.image.mean() < DARK else "sáng"
    words = ("Ủy", "ban", "nhân", "dân", "phường", "Kiến", "An", tone)
    boxes = [OcrWord(w, Box(10 + 60 * i, 10, 50, 20), 95.0, 0, 0) for i, w in enumerate(words)]
    height, width = page.image.shape[:2]
    text = " ".join(words)
    return OcrPage(page.index, (TextBlock("body", text),), tuple(boxes), "ocr", width=width, height=height)


def crash_on_dark_clean(page: PageImage, settings) -> CleanPage:
    if page.image.mean() < DARK:
        raise RuntimeError(FAULT)
    return passthrough_clean(page, settings)


def crash_on_dark_ocr(page: CleanPage, lang: str = "vie", timeout: float = 120.0) -> OcrPage:
    if page.image.mean() < DARK:
        raise RuntimeError(FAULT)
    return fake_ocr(page, lang, timeout)


def crash_on_dark_extract(pages):
    if any("tối" in page.text for page in pages):
        raise RuntimeError(FAULT)
    return STAGES.extract(pages)


FAKE = dataclasses.replace(STAGES, clean=passthrough_clean, ocr=fake_ocr)
FAULTS = {
    "cleanup": dataclasses.replace(FAKE, clean=crash_on_dark_clean),
    "ocr": dataclasses.replace(FAKE, ocr=crash_on_dark_ocr),
    "extract": dataclasses.replace(FAKE, extract=crash_on_dark_extract),
}


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    """Three one-page scans; b.png is the dark one."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name, level in (("a", 230), ("b", 40), ("c", 220)):
        image = np.full((300, 200), level, np.uint8)
        image[100:110, 20:180] = 255 - level  # a line of "ink", and a different file for each
        Image.fromarray(image).save(folder / f"{name}.png", dpi=(300, 300))
    return folder


# Every stage in this process; in the worker pool, OCR (a page stage: the same code path for all of them).
@pytest.mark.parametrize("stage,workers", [*((s, 1) for s in sorted(FAULTS)), ("ocr", 2)])
def test_a_failing_stage_fails_its_document_and_the_batch_goes_on(
    batch: Path, tmp_path: Path, stage: str, workers: int
) -> None:
    with open_archive(tmp_path / "a.sqlite") as archive:
        report = ingest([batch], archive, Settings(workers=workers), stages=FAULTS[stage])
        stored = archive.stats().documents
    by_name = {o.path.name: o for o in report.outcomes}
    assert [by_name[n].status for n in ("a.png", "b.png", "c.png")] == ["ingested", "failed", "ingested"]
    reason = by_name["b.png"].reason
    assert "\n" not in reason and f"internal error: RuntimeError: {FAULT}" in reason
    if stage != "extract":
        assert reason.startswith("page 1: ")
    assert stored == 2


def test_stand_in_stages_ingest_everything(batch: Path, tmp_path: Path) -> None:
    """The fault tests above are not failing for another reason: without a fault all three go in."""
    with open_archive(tmp_path / "a.sqlite") as archive:
        report = ingest([batch], archive, Settings(workers=1), stages=FAKE)
        assert archive.stats().documents == 3
    assert {o.status for o in report.outcomes} == {"ingested"}


# --- the file read is the file hashed; a file that goes away fails alone, in the user's words -------------
REPLACEMENT = "replacement.png"  # beside the scanned folder


def swap_then_load(path: Path, kind: str, index: int, dpi: int) -> PageImage:
    """a.png is replaced by another scan between its check and its OCR (a file swapped mid-batch)."""
    replacement = path.parent.parent / REPLACEMENT
    if path.name == "a.png" and replacement.exists():
        os.replace(replacement, path)
    return STAGES.load_page(path, kind, index, dpi)


def delete_c_then_load(path: Path, kind: str, index: int, dpi: int) -> PageImage:
    """Loading a.* deletes c.* (a file deleted while the batch runs)."""
    for other in path.parent.glob("c.*"):
        other.unlink()
    return STAGES.load_page(path, kind, index, dpi)


def test_a_file_swapped_mid_batch_is_not_stored_under_the_old_hash(batch: Path, tmp_path: Path) -> None:
    import hashlib

    original = hashlib.sha256((batch / "a.png").read_bytes()).hexdigest()
    replacement = tmp_path / REPLACEMENT
    Image.fromarray(np.full((300, 200), 200, np.uint8)).save(replacement, dpi=(300, 300))
    new = hashlib.sha256(replacement.read_bytes()).hexdigest()
    with open_archive(tmp_path / "a.sqlite") as archive:
        report = ingest([batch / "a.png"], archive, Settings(workers=1), stages=replace(FAKE, load_page=swap_then_load))
        (outcome,) = report.outcomes
        assert outcome.status == "failed" and "changed after it was checked" in outcome.reason
        assert not archive.has(original) and archive.stats().documents == 0
        # run again: what the file holds now goes in, under its own hash
        again = ingest([batch / "a.png"], archive, Settings(workers=1), stages=FAKE)
        assert again.outcomes[0].status == "ingested" and archive.has(new) and not archive.has(original)


@pytest.mark.parametrize("kind", ["png", "pdf"])
def test_a_file_deleted_mid_batch_fails_alone_in_one_line(batch: Path, tmp_path: Path, kind: str) -> None:
    """Was a 3-line "internal error: PDFPageCountError" for a PDF."""
    if kind == "pdf":
        for png in sorted(batch.glob("*.png")):
            Image.open(png).save(png.with_suffix(".pdf"), resolution=300)
            png.unlink()
    stages = replace(FAKE, load_page=delete_c_then_load)
    with open_archive(tmp_path / "a.sqlite") as archive:
        report = ingest([batch], archive, Settings(workers=1), stages=stages)
    outcomes = {o.path.stem: o for o in report.outcomes}
    assert [outcomes[n].status for n in "abc"] == ["ingested", "ingested", "failed"]
    assert outcomes["c"].reason == "page 1: the file was deleted or moved after the batch started"


def test_each_file_once_whatever_the_arguments_and_one_clear_line_for_a_dot(batch: Path, tmp_path: Path) -> None:
    Image.new("L", (1, 1), 0).save(batch / "dot.png")
    with open_archive(tmp_path / "a.sqlite") as archive:
        report = ingest([batch, batch, batch / "a.png"], archive, Settings(workers=1), stages=FAKE)
    assert sorted((o.path.name, o.status) for o in report.outcomes) == [
        ("a.png", "ingested"), ("b.png", "ingested"), ("c.png", "ingested"), ("dot.png", "failed")
    ]  # fmt: skip
    (dot,) = report.failures
    assert dot.reason == "page 1 is 1×1 pixels: too small to hold any text"


# --- the shape of the package: data flows one way -----------------------------------------------------------
# Each stage may import only stages before it (and the shared modules); the runner and the CLI compose.
ORDER = ["ingest", "image", "ocr", "restore", "extract", "archive", "export", "run", "web", "cli"]
SHARED = {"types", "settings", "errors", "vietnamese", "gazetteer", "training", "picture"}


def _imports(package: str) -> set[str]:
    """Top-level ``pipeline`` sub-packages a package imports anywhere (lazy imports included)."""
    found: set[str] = set()
    for path in (PIPELINE / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                parts = name.split(".")
                if parts[0] == "pipeline" and len(parts) > 1 and parts[1] != package:
                    found.add(parts[1])
    return found


def test_stages_import_only_earlier_stages() -> None:
    for i, package in enumerate(ORDER):
        later = set(ORDER[i + 1 :])
        assert not (_imports(package) & later), (package, _imports(package) & later)


def test_ingest_is_sources_and_checks_only() -> None:
    assert _imports("ingest") <= SHARED


def _module_graph() -> dict[str, set[str]]:
    """Every module of ``pipeline`` and the modules of ``pipeline`` it imports (lazy imports included)."""
    modules = {}
    for path in PIPELINE.rglob("*.py"):
        parts = path.relative_to(PIPELINE.parent).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").startswith("pipeline"):
                deps |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else node.module
                         for a in node.names}  # fmt: skip
            elif isinstance(node, ast.Import):
                deps |= {a.name for a in node.names if a.name.startswith("pipeline")}
        graph[name] = {d for d in deps if d in modules and d != name}
    return graph


def test_no_import_cycle_anywhere_in_the_package() -> None:
    graph = _module_graph()
    assert "pipeline.web.server" in graph and "pipeline.extract.header" in graph  # the walk sees the package
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, f"import cycle: {' -> '.join((*path[path.index(node):], node))}"
        if node not in done:
            for dep in sorted(graph[node]):
                visit(dep, (*path, node))
            done.add(node)

    for node in sorted(graph):
        visit(node, ())


# --- the archive's lexicon: names read well in earlier documents, staff's own ---------------------------------
LEXICON_PAGES = {  # the stand-in OCR's text and word confidence, by the scan's first pixel
    210: ("Ông Hoàng Minh Cường, Phó Chủ tịch UBND phường Kiến An, chủ trì cuộc họp.", 95.0),  # good vie OCR
    211: ("Ong Hoang Minh Cuong chu tri cuoc hop giao ban.", 70.0),  # a later document, legacy OCR damage
    212: ("Ong Pham Viet Hung ky thay Chu tich.", 70.0),
    213: ("MẬT\nÔng Hoàng Minh Cường, Phó Chủ tịch UBND phường Kiến An, chủ trì cuộc họp.", 95.0),  # classified
    214: ((Path(__file__).parent / "data" / "restore" / "ke-hoach-phuong.eng-ocr.txt").read_text(encoding="utf-8"),
          60.0),  # a whole page of legacy (English-model) OCR
}
CUONG = "Ông Hoàng Minh Cường chủ trì cuộc họp giao ban."


def text_ocr(page: CleanPage, lang: str = "vie", timeout: float = 120.0) -> OcrPage:
    text, confidence = LEXICON_PAGES[int(page.image.flat[0])]
    words = tuple(OcrWord(w, Box(10 + 60 * i, 10, 50, 20), confidence, 0, 0) for i, w in enumerate(text.split()))
    height, width = page.image.shape[:2]
    return OcrPage(page.index, (TextBlock("body", text),), words, "ocr", width=width, height=height)


TEXT = dataclasses.replace(STAGES, clean=passthrough_clean, ocr=text_ocr)


def text_scan(folder: Path, name: str, key: int) -> Path:
    """A one-page scan the stand-in OCR reads as ``LEXICON_PAGES[key]``."""
    folder.mkdir(parents=True, exist_ok=True)
    image = np.full((300, 200), 230, np.uint8)
    image[100:110, 20:180] = 20
    image[0, 0] = key
    path = folder / f"{name}.png"
    Image.fromarray(image).save(path, dpi=(300, 300))
    return path


def restored(archive, path: Path) -> str:
    (doc_id,) = archive.ids(str(path.resolve()))
    return archive.get(doc_id).pages[0].restored_text


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_name_read_well_in_one_document_restores_it_in_a_later_damaged_one(tmp_path, kind, request) -> None:
    where = str(tmp_path / "a.sqlite") if kind == "sqlite" else request.getfixturevalue("pg_url")
    a, b = text_scan(tmp_path / "in", "a", 210), text_scan(tmp_path / "in", "b", 211)
    with open_archive(where) as archive:
        report = ingest([tmp_path / "in"], archive, Settings(workers=1), stages=TEXT)  # a, then b
        assert [o.status for o in report.outcomes] == ["ingested", "ingested"]
        assert restored(archive, b) == CUONG
        entry = next(e for e in archive.lexicon() if e.phrase == "Hoàng Minh Cường")
        assert (entry.source, entry.doc_id) == ("ingest", report.outcomes[0].doc_id)
    # without a, the name is not invented: the corpus's own guess
    with open_archive(tmp_path / "b-only.sqlite") as archive:
        ingest([b], archive, Settings(workers=1), stages=TEXT)
        assert restored(archive, b) == "Ông Hoàng Minh Cương chủ trì cuộc họp giao ban."
        assert not any("Cường" in e.phrase for e in archive.lexicon())
    # a later run (another batch) reads what the archive learnt in an earlier one
    with open_archive(tmp_path / "runs.sqlite") as archive:
        ingest([a], archive, Settings(workers=1), stages=TEXT)
        ingest([b], archive, Settings(workers=1), stages=TEXT)
        assert restored(archive, b) == CUONG


def test_a_classified_document_teaches_the_lexicon_nothing(tmp_path: Path) -> None:
    """Its names would surface in other documents' restoration, before readers without clearance."""
    secret, b = text_scan(tmp_path / "in", "a", 213), text_scan(tmp_path / "in", "b", 211)
    with open_archive(tmp_path / "a.sqlite") as archive:
        ingest([tmp_path / "in"], archive, Settings(workers=1), stages=TEXT)  # the secret one, then b
        (doc_id,) = archive.ids(str(secret.resolve()))
        assert archive.get(doc_id).fields.secrecy == "Mật"
        assert "Cường" in restored(archive, secret)
        assert not any("Cường" in e.phrase for e in archive.lexicon())
        assert restored(archive, b) != CUONG


def test_a_staff_entry_outranks_the_corpus_in_the_pool_workers(tmp_path: Path) -> None:
    scan = text_scan(tmp_path / "in", "c", 212)
    for name, staff in (("without", []), ("with", ["Phạm Việt Hùng"])):
        with open_archive(tmp_path / f"{name}.sqlite") as archive:
            archive.add_lexicon(staff, "staff")
            ingest([scan], archive, Settings(workers=2), stages=TEXT)
            text = restored(archive, scan)
        expected = "Phạm Việt Hùng" if staff else "Phạm Việt Hưng"  # the corpus's guess without the entry
        assert text.startswith(f"Ông {expected} "), text


def test_the_names_a_document_teaches_are_stored_in_its_transaction(tmp_path: Path, monkeypatch) -> None:
    a = text_scan(tmp_path / "in", "a", 210)
    with open_archive(tmp_path / "a.sqlite") as archive:
        def fail(*args, **kwargs):
            raise RuntimeError("the lexicon cannot be written")

        monkeypatch.setattr(archive, "add_lexicon", fail)
        (outcome,) = ingest([a], archive, Settings(workers=1), stages=TEXT).outcomes
        assert outcome.status == "failed" and "the lexicon cannot be written" in outcome.reason
        assert archive.stats().documents == 0  # the document went with its names
        monkeypatch.undo()
        (outcome,) = ingest([a], archive, Settings(workers=1), stages=TEXT).outcomes
        assert outcome.status == "ingested" and "Hoàng Minh Cường" in {e.phrase for e in archive.lexicon()}


def test_the_batch_lexicon_is_job_data_that_grows_with_each_stored_document(tmp_path: Path) -> None:
    """What the page jobs of the pool and the cluster get: plain data in their settings, pickled to any
    worker; a document's jobs submitted after another is stored carry its names."""
    import pickle

    from pipeline.run import PageJob, process_page
    from pipeline.run.batch import BatchLexicon

    with open_archive(tmp_path / "a.sqlite") as archive:
        archive.add_lexicon(["Phạm Việt Hùng"], "staff")
        lexicon = BatchLexicon(archive, Settings(workers=1))
    first = lexicon.settings()
    assert first.lexicon == ("Phạm Việt Hùng",) and lexicon.settings() is first
    lexicon.grow(["Ông Hoàng Minh Cường"])
    source = STAGES.open_source(text_scan(tmp_path / "in", "b", 211), first.max_pixels, first.dpi)
    job = pickle.loads(pickle.dumps(PageJob(source, 0, lexicon.settings())))
    assert job.settings.lexicon == ("Phạm Việt Hùng", "Ông Hoàng Minh Cường")
    result = process_page(job, TEXT)
    assert result.record.restored_text == CUONG
    assert process_page(PageJob(source, 0, first), TEXT).record.restored_text != CUONG


def test_a_page_restored_from_legacy_ocr_tells_the_extractor(tmp_path: Path) -> None:
    """PageText.damaged: the extractor reads a listed family name's marks as a guess only there."""
    from pipeline.run import PageJob, process_page
    from pipeline.run.document import load_document

    settings = Settings(workers=1)
    for key, damaged in ((214, True), (210, False)):
        source = STAGES.open_source(text_scan(tmp_path / "in", f"p{key}", key), settings.max_pixels, settings.dpi)
        assert process_page(PageJob(source, 0, settings), TEXT).text.damaged is damaged
    seen = []
    stages = replace(STAGES, extract=lambda pages: seen.extend(pages) or STAGES.extract(pages))
    legacy = tmp_path / "legacy.txt"
    legacy.write_text(LEXICON_PAGES[214][0], encoding="utf-8")
    assert load_document(legacy, settings, stages).restored.damaged and seen[-1].damaged
    clean = tmp_path / "clean.txt"
    clean.write_text(LEXICON_PAGES[210][0], encoding="utf-8")
    assert not load_document(clean, settings, stages).restored.damaged and not seen[-1].damaged
