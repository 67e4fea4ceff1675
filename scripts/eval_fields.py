"""Field extraction F1 on the field evaluation set, before (a baseline revision) -> after, in one run.

    python scripts/eval_fields.py                  # clean text of samples/fields (34 documents, 15 types)
    python scripts/eval_fields.py --scans          # also scanned: rendered, OCR'd through the whole pipeline
    python scripts/eval_fields.py --before main    # the baseline extractor: another git revision
    python scripts/eval_fields.py --samples        # also the 12 sample scans' ground truth (samples/*.json)
    python scripts/eval_fields.py --errors         # list every wrong value (of the current extractor)
    python scripts/eval_fields.py --laws           # only real text: ../shared's laws and Wikipedia

The set (``samples/fields/*.json``, samplegen's source format, see its README) holds each document's
text, structured as printed, and its truth. "Clean" is the text as printed (``page_texts``), one
block per page. "Scanned" renders every document (four font families in turn, mild degradations
in turn: none, skew, yellowed + JPEG, noise at 200 dpi; with ``--damage hard`` the harder ones of
samples/: blurred at 150 dpi, faint + JPEG + skew, upside down with borders and punch holes, all of
yellow, skew, borders, noise and JPEG at 200 dpi), saves it as a PNG per page and runs it
through ``process_file`` (cleanup, layout, Tesseract, restoration) twice: with the Vietnamese model
(``vie``), and with the English one (``eng``: the damage of legacy OCR, which restoration then
repairs). Scans are OCR'd once and cached (``--cache``), keyed by the document, its print style and
a digest of the code and models upstream of extraction; the baseline reads the same OCR text. The
OCR itself is cached apart, keyed without restoration's code and model: after a change to
restoration, the page job runs again on the OCR read before (byte-identical page text on 12
scans checked), in seconds instead of minutes.

The baseline is the extractor of ``--before`` (default: the revision before issue 13), taken out
of git with ``git archive`` and run in a child process on the same inputs.

Scalar fields: a prediction equal to a non-null truth is a true positive; any other non-null prediction
is a false positive; a non-null truth not predicted exactly is a false negative (a wrong value counts as
both). Lists match entries exactly (as multisets). Where a tone mark sits in 'oa', 'oe', 'uy' is not
scored ('Thuỷ' is 'Thủy'): both placements are correct, and text restored from no marks at all cannot
know which one the printer used (restoration writes the document's majority). A reference is its
canonical key (``pipeline.citation``) with its date (a law cited by name: its type and date); ``+type``,
``+issuer`` and ``+where`` also compare the type, the issuer, and whether it is cited as legal basis;
``references/<family>`` scores each family alone; ``signer.letters`` the signer's name without its marks
(through ``eng`` the marks of names are restoration's guess; a search typed without them still finds
it). Deadlines match on the date. F1 is 1.0 when there was nothing to find and nothing was predicted.

``--laws`` scores real text no one wrote for us, in dev and held-out halves: (e) the references of every
paragraph of the 255 laws in ``../shared/corpus/vn-law.txt.xz`` (thuvienphapluat.vn) that cites a
numbered document, split by law (even / odd); (f) those laws whole (number, symbol, type, date,
issuer); (g) the references of the Vietnamese Wikipedia's paragraphs that cite one, split by a hash.
Truth is read by rules of the script's own (``law_truth``: each number/symbol once, the type word
before it, the date right after it; ``law_documents``), not by the extractor; a law cited by its name
alone is not in it, so those predictions are left out. Clean text only: restoration was trained on
these texts, so their scans would flatter it.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import io
import json
import lzma
import subprocess
import sys
import tarfile
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import regex

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pipeline.citation import reference_family, reference_key
from pipeline.extract import extract_fields
from pipeline.restore.syllable import canonical, style_of
from pipeline.types import Box, OcrPage, OcrWord, PageText, TextBlock
from pipeline.vietnamese import fold_lower, nfc

ROOT = Path(__file__).resolve().parent.parent
SET_DIR = ROOT / "samples" / "fields"
BASELINE = "82ce38c"  # main before issue 13 (extraction of Party/legal references, damaged headers)
SCALARS = (
    "number", "symbol", "doc_type", "date", "date_year", "place", "issuer", "parent_issuer", "subject",
    "signer.name", "signer.letters", "signer.title", "signer.authority", "signer.on_behalf_of", "urgency", "secrecy",
)  # fmt: skip
FAMILIES = ("state", "law", "party", "joint")
LISTS = ("recipients", "cc", "references", "references+type", "references+issuer", "references+where",
         *(f"references/{f}" for f in FAMILIES), "deadlines")  # fmt: skip
TARGETS = ("number", "symbol", "doc_type", "date", "place", "issuer", "signer.name", "urgency", "secrecy",
           "references", "deadlines")  # fmt: skip
FONTS = ("Liberation Serif", "Tinos", "Arimo", "DejaVu Serif")
DAMAGE = {
    "mild": ((), ("skew",), ("yellow", "jpeg"), ("noise", "dpi200")),
    # the harder scans of an archive's back rooms, as the combinations of samples/ (150 dpi, worn toner,
    # a page upside down, a cheap flatbed's worst)
    "hard": (("blur", "dpi150"), ("faint", "jpeg", "skew"), ("punch_holes", "borders", "rotate180"),
             ("yellow", "skew", "borders", "dpi200", "noise", "jpeg")),
}  # fmt: skip

Pair = tuple[str, dict[str, Any], dict[str, Any]]


def _new_style(word: regex.Match[str]) -> str:
    """'Thuỷ' -> 'Thủy', 'HOÀ' -> 'HÒA': the tone mark where the new style puts it, the case kept."""
    w = word.group()
    if style_of(w) != "old":
        return w
    new = canonical(w.lower())  # restoration's form of a syllable: the new style
    return "".join(n.upper() if o.isupper() else n for o, n in zip(w, new, strict=True))


def _norm(value: Any) -> Any:
    return regex.sub(r"\p{L}+", _new_style, " ".join(nfc(value).split())) if isinstance(value, str) else value


def scalar(fields: dict[str, Any], key: str) -> Any:
    if key == "signer.letters":  # the name without its marks: what a search typed without them finds
        name = (fields.get("signer") or {}).get("name")
        return fold_lower(_norm(name)) if name else None
    if key.startswith("signer."):
        return _norm((fields.get("signer") or {}).get(key.split(".", 1)[1]))
    if key == "number" and fields.get(key):  # '02' as printed and '2' are one number (the truth files differ)
        return str(fields[key]).lstrip("0") or "0"
    return _norm(fields.get(key))


def _ref(r: dict[str, Any]) -> tuple[Any, ...]:
    number, symbol = r.get("number"), r.get("symbol")
    key = reference_key(f"{number}/{symbol}") if number and symbol else (r.get("doc_type"), "by name")
    return key, r.get("date")


def items(fields: dict[str, Any], key: str) -> list[Any]:
    refs = fields.get("references") or []
    if key == "references":
        return [_ref(r) for r in refs]
    if key.startswith("references/"):
        family = key.split("/", 1)[1]
        return [_ref(r) for r in refs if reference_family(r.get("number"), r.get("symbol")) == family]
    if key.startswith("references+"):
        extra = {"type": "doc_type", "issuer": "issuer", "where": "cited_in"}[key.split("+", 1)[1]]
        return [(*_ref(r), _norm(r.get(extra, "body" if extra == "cited_in" else None))) for r in refs]
    if key == "deadlines":
        return [_norm(d.get("date")) for d in fields.get(key) or []]
    # list entries: the closing ',' of Party lists and the dash style ('-' or '–') do not count
    return [_norm(x).rstrip(",;.").replace(" – ", " - ") for x in fields.get(key) or []]


class Score:
    """TP / FP / FN, and checks as a reader counts them: a field of a document, or an item of a list,
    is one check, right or wrong (a wrong value is one wrong check, not a miss and an extra)."""

    def __init__(self) -> None:
        self.tp = self.fp = self.fn = self.checks = 0

    def add(self, gold: list[Any], pred: list[Any]) -> None:
        g, p = Counter(gold), Counter(pred)
        tp = sum((g & p).values())
        fp, fn = sum(p.values()) - tp, sum(g.values()) - tp
        self.tp += tp
        self.fp += fp
        self.fn += fn
        self.checks += tp + max(fp, fn)

    def f1(self) -> float:
        if self.tp + self.fp + self.fn == 0:
            return 1.0
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn)


def evaluate(pairs: Iterable[Pair], errors: bool = False, rows: tuple[str, ...] = ()) -> dict[str, Score]:
    """Scores of every field; ``errors`` lists the wrong values of ``rows`` (all by default)."""
    scores = {k: Score() for k in (*SCALARS, *LISTS)}
    errors_of = set(rows or scores)
    for name, gold, pred in pairs:
        for key in SCALARS:
            g, p = scalar(gold, key), scalar(pred, key)
            # a wrong value is a false positive and a false negative; a missing one only the latter
            scores[key].add([g] if g is not None else [], [p] if p is not None else [])
            if errors and g != p and key in errors_of:
                print(f"  {name}: {key}: expected {g!r}, got {p!r}")
        for key in LISTS:
            g, p = items(gold, key), items(pred, key)
            scores[key].add(g, p)
            if errors and Counter(g) != Counter(p) and "/" not in key and key in errors_of:
                print(f"  {name}: {key}: missing {list((Counter(g) - Counter(p)).elements())!r}, "
                      f"extra {list((Counter(p) - Counter(g)).elements())!r}")  # fmt: skip
    return scores


def table(title: str, before: dict[str, Score] | None, after: dict[str, Score], rows: tuple[str, ...] = ()) -> str:
    """The rows asked for (all by default); the target fields among them are marked and summed."""
    head = "| field | before F1 | after F1 | TP / FP / FN after |" if before else "| field | F1 | TP / FP / FN |"
    lines = [f"### {title}", "", head, "|---|---:|---:|---:|" if before else "|---|---:|---:|"]
    rows = rows or tuple(after)
    targets = tuple(k for k in rows if k in TARGETS)
    for key in rows:
        s = after[key]
        mark = " *" if key in targets else ""
        was = f" {before[key].f1():.3f} |" if before else ""
        lines.append(f"| {key}{mark} |{was} {s.f1():.3f} | {s.tp} / {s.fp} / {s.fn} |")
    target = [after[k].f1() for k in targets]
    lines += ["", f"Target fields (*): min F1 {min(target):.3f}" + (
        f" (before {min(before[k].f1() for k in targets):.3f})" if before else "")]  # fmt: skip
    lines.append(f"Target field checks right: {_checks(after, targets)}"
                 + (f" (before {_checks(before, targets)})" if before else ""))  # fmt: skip
    return "\n".join(lines)


def _checks(scores: dict[str, Score], targets: tuple[str, ...] = TARGETS) -> str:
    right, checks = sum(scores[k].tp for k in targets), sum(scores[k].checks for k in targets)
    return f"{right} / {checks} = {100 * right / max(checks, 1):.1f}%"


# ------------------------------------------------------------------------------ inputs


def load_set(folder: Path, only: str | None) -> list[tuple[str, Any, dict[str, Any]]]:
    """(name, samplegen document, truth) for every document of the set."""
    from scripts.samplegen import document_fields, load_document

    out = []
    for path in sorted(folder.glob("*.json")):
        if only and only not in path.stem:
            continue
        doc = load_document(path)
        truth = document_fields(doc)
        truth.update(doc.get("truth") or {})
        out.append((path.stem, doc, truth))
    return out


# Per page: {"blocks": [(block kind, text), ...], "damaged": restored from legacy OCR (PageText.damaged)}.
Pages = list[dict[str, Any]]


def clean_pages(doc: Any) -> Pages:
    from scripts.samplegen import page_texts

    return [{"blocks": [("other", text)], "damaged": False} for text in page_texts(doc)]


DOWNSTREAM = {"extract", "archive", "export", "web", "cli", "training"}  # no part in making page text
DOWNSTREAM_MODELS = {"names-v2"}  # read by the extractor only


@functools.cache
def _upstream_version(skip: frozenset[str] = frozenset()) -> str:
    """A digest of the code and models that turn a scan into page text (all but the extractor), less
    the packages and models named in ``skip``.

    Part of the cache key, so a change to cleanup, OCR, restoration or their models is never
    scored on page text an older pipeline made (a stale cache once showed secrecy 0.0 on scans).
    """
    digest = hashlib.sha256()
    out = DOWNSTREAM | skip
    files = [p for p in sorted((ROOT / "pipeline").rglob("*.py")) if not out & set(p.relative_to(ROOT).parts)]
    files += sorted(p for p in (ROOT / "models").rglob("*")
                    if p.is_file() and p.parent.name not in DOWNSTREAM_MODELS | skip)  # fmt: skip
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# The OCR of a page does not depend on restoration: its pages are cached apart, keyed without it, so
# a change to restoration re-runs restoration (seconds) on the OCR cached, not Tesseract (minutes).
# The gazetteer is restoration's (its lexicon of place names) and the extractor's, never OCR's.
RESTORATION = frozenset(
    {"restore", "gazetteer.py", *(p.name for g in ("restore-*", "gazetteer-*") for p in (ROOT / "models").glob(g))}
)


def _ocr_json(page: OcrPage) -> dict[str, Any]:
    return {"index": page.index, "source": page.source, "width": page.width, "height": page.height, "dpi": page.dpi,
            "blocks": [asdict(b) for b in page.blocks], "words": [asdict(w) for w in page.words]}  # fmt: skip


def _ocr_page(data: dict[str, Any]) -> OcrPage:
    """An OcrPage as cached: what restoration and the page job read of it (no geometry, no timings)."""
    box = lambda b: Box(**b) if b else None  # noqa: E731
    blocks = tuple(TextBlock(b["kind"], b["text"], box(b["box"])) for b in data["blocks"])
    words = tuple(OcrWord(**{**w, "box": box(w["box"])}) for w in data["words"])
    rest = {k: data[k] for k in ("source", "width", "height", "dpi")}
    return OcrPage(data["index"], blocks, words, **rest)


def scanned_pages(doc: Any, index: int, lang: str, cache: Path, level: str = "mild") -> Pages:
    """The document rendered, degraded and run through the whole pipeline; cached by content, and its
    OCR cached apart (restoration then runs on the OCR cached, through the same page job)."""
    from scripts.samplegen import degrade, render_document

    family, damage = FONTS[index % len(FONTS)], DAMAGE[level][index // len(FONTS) % len(DAMAGE[level])]
    source = json.dumps(doc.data, sort_keys=True, ensure_ascii=False)
    digest = lambda version: hashlib.sha256(f"{source}|{family}|{damage}|{lang}|{version}".encode()).hexdigest()[:16]  # noqa: E731
    hit = cache / f"{doc.name}.{lang}.{digest(_upstream_version())}.json"
    if hit.exists():
        return json.loads(hit.read_text(encoding="utf-8"))
    ocr_hit = cache / f"{doc.name}.{lang}.ocr-{digest(_upstream_version(RESTORATION))}.json"
    from pipeline.ingest.sources import open_source
    from pipeline.run.page import PageJob, process_page
    from pipeline.run.stages import STAGES
    from pipeline.settings import Settings

    cached = [_ocr_page(p) for p in json.loads(ocr_hit.read_text(encoding="utf-8"))] if ocr_hit.exists() else None
    read: list[OcrPage] = []

    def ocr(page: Any, **kwargs: Any) -> OcrPage:
        """Tesseract, or the page it read before."""
        read.append(cached[len(read)] if cached else STAGES.ocr(page, **kwargs))
        return read[-1]

    # with the OCR cached, the image is not cleaned either: nothing reads it but the OCR
    stages = replace(STAGES, ocr=ocr, **({"clean": lambda page, settings: page} if cached else {}))
    settings = Settings(workers=1, lang=lang)
    pages: Pages = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{doc.name}.png"
        for n, page in enumerate(render_document(doc, 300, family)):
            img, info = degrade(page, damage, seed=index * 10 + n, dpi=300)
            img.save(path, dpi=(info["dpi"], info["dpi"]))
            source = open_source(path, settings.max_pixels, settings.dpi)
            result = process_page(PageJob(source, 0, settings), stages)  # what ingest does
            if not result.blank:
                pages.append({"blocks": [(b.kind, b.text) for b in result.text.blocks], "damaged": result.text.damaged})
    cache.mkdir(parents=True, exist_ok=True)
    if not cached:
        ocr_hit.write_text(json.dumps([_ocr_json(p) for p in read], ensure_ascii=False), encoding="utf-8")
    hit.write_text(json.dumps(pages, ensure_ascii=False), encoding="utf-8")
    how = "restored from cached OCR" if cached else "scanned"
    print(f"  {how} {doc.name} ({family}, {'+'.join(damage) or 'clean'}, {lang})", file=sys.stderr)
    return pages


def _page_texts(pages: Pages) -> list[PageText]:
    return [PageText(i, tuple(TextBlock(kind, text) for kind, text in page["blocks"]), page["damaged"])
            for i, page in enumerate(pages)]  # fmt: skip


def extract_after(inputs: list[Pages]) -> list[dict[str, Any]]:
    return [extract_fields(_page_texts(pages)).to_json() for pages in inputs]


CHILD = """
import json, sys
from pipeline.extract import extract_fields
from pipeline.types import PageText, TextBlock
out = []
for pages in json.load(sys.stdin):
    damaged = lambda page: [page.get("damaged", False)] if "damaged" in PageText.__dataclass_fields__ else []
    texts = [PageText(i, tuple(TextBlock(k, t) for k, t in page["blocks"]), *damaged(page))
             for i, page in enumerate(pages)]
    out.append(extract_fields(texts).to_json())
json.dump(out, sys.stdout, ensure_ascii=False, default=lambda o: getattr(o, "__dict__", str(o)))
"""


def extract_before(revision: str, inputs: list[Pages]) -> list[dict[str, Any]]:
    """The fields the extractor of ``revision`` finds: its ``pipeline/`` and ``models/`` (the gazetteer,
    and the restoration and names models the signer's name reads, where that revision has them) from
    git, in a child process."""
    data = subprocess.run(["git", "ls-tree", "--name-only", revision, "models/"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout.split()  # fmt: skip
    archive = subprocess.run(["git", "archive", revision, "pipeline", *data], cwd=ROOT, capture_output=True, check=True)
    with tempfile.TemporaryDirectory() as tmp:
        tarfile.open(fileobj=io.BytesIO(archive.stdout)).extractall(tmp, filter="data")
        out = subprocess.run([sys.executable, "-c", CHILD], input=json.dumps(inputs), cwd=tmp, env={"PYTHONPATH": tmp},
                             capture_output=True, text=True)  # fmt: skip
    if out.returncode:
        raise SystemExit(f"the extractor of {revision} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout)


def samples_pairs(folder: Path) -> tuple[list[str], list[dict[str, Any]], list[Pages]]:
    names, truths, inputs = [], [], []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        names.append(f"samples/{path.stem}")
        truths.append(data["fields"])
        inputs.append([{"blocks": [("other", p["text"])], "damaged": False} for p in data["pages"]])
    return names, truths, inputs


# ------------------------------------------------------------------------------ real law texts

LAW_CORPUS = ROOT.parent / "shared" / "corpus" / "vn-law.txt.xz"
# A cited number and symbol as the laws print them: '45/2013/QH13', '43/2002/PL- UBTVQH10', '10-LCT/HĐNN7'.
_LAW_PART = r"[A-ZĐ](?:[A-ZĐ0-9]|[a-zđ](?![a-zđ]))*"  # 'QH13', 'UBTVQH10', 'TTg'
_LAW_SYMBOL = regex.compile(
    rf"(?<![\w/.])(?P<num>\d{{1,4}})(?:/|-(?={_LAW_PART}/))"
    rf"(?P<sym>(?:(?:19|20)\d\d/)?{_LAW_PART}(?:(?:\s?[-–]\s?|/)(?:{_LAW_PART}|\d{{2,4}}(?!\d)))*"
    r"(?:\.[A-ZĐ]{1,6}(?![\w.]))?)(?!\w|/\w)"
)  # the drafting office after a dot: '199/TC.UB', '444-BNV/HCĐP/26.X'
_LAW_TYPE_WORDS = (
    r"\b(bộ luật|luật|pháp lệnh|nghị quyết liên tịch|nghị quyết|nghị định|quyết định|thông tư liên tịch|thông tư|"
    r"chỉ thị|lệnh|hiến pháp|sắc lệnh|công văn|kế hoạch|thông báo|báo cáo|tờ trình|hướng dẫn|kết luận|quy định|"
    r"công điện)\b"
)
_LAW_TYPE = regex.compile(rf"(?i){_LAW_TYPE_WORDS}")
# The date right after it, also as prose tells it: '… 110/SL ký ngày 20 tháng 1 năm 1948', '… ban hành ngày …',
# '… số 08/2012/QH13 được Quốc hội thông qua ngày 18/6/2012', '… số 1393/VHTT-BTCM do Thứ trưởng … ký ngày …'.
_LAW_DATE = regex.compile(
    r",?(?:\s+(?:được\s+(?:Quốc\s+hội\s+|Chính\s+phủ\s+)?)?(?:ký|ban hành|thông qua)"
    r"|\s+do\s[^.;\d]{3,120}?\s(?:ký|lập))?"
    r"\s+[Nn]gày\s+(\d{1,2})(?:\s+tháng\s+|[/-])(\d{1,2})"
    r"(?:\s+năm\s+|[/-])(\d{4})"
)
# A document issued on the day a sentence or clause opens with: 'Ngày 19 tháng 7 năm 2013, Chính phủ ban hành Nghị
# quyết số 86/NQ-CP …', '…, Thủ tướng Chính phủ đã có quyết định số 189/2001/QĐ-TTg' (its date told before it; no
# date after it), also without the comma and passed or signed then ('Ngày 11-5-1988 Hội đồng Bộ trưởng ký ban hành
# Quyết định số 81/HĐBT', '…, ngày 2/6/1979 Hội đồng Chính phủ ban hành …', 'Quốc hội … thông qua Nghị quyết số …').
_ISSUED_ON = regex.compile(
    r"(?:^|[.;,]\s*)[Nn]gày\s+(\d{1,2})(?:\s+tháng\s+|[/-])(\d{1,2})(?:\s+năm\s+|[/-])(\d{4})\s*,?[^.;,]{1,80}?"
    rf"\b(?:ban hành|có|thông qua)\s+(?i:{_LAW_TYPE_WORDS})(?:\s+số)?\s*$"
)
# In prose a number joined to its issuer by a hyphen alone: 'Nghị định số 85-CP', 'Quyết định số 190-HĐBT'.
_HYPHENED = regex.compile(rf"(?<![\w/.-])(?P<num>\d{{1,4}})-(?P<sym>{_LAW_PART})(?![\w/]|-\w)")
_OWN_NUMBER = regex.compile(r"^(?:Bộ\s+)?[Ll]uật\s+số\s*:")
# The sentence that ends a law: 'Luật này được Quốc hội … thông qua ngày …'.
_PASSED_LINE = regex.compile(r"(?:Bộ luật|Luật) này (?:đã )?(?:được )?Quốc hội.{0,160}?thông qua")
WIKI_CORPUS = LAW_CORPUS.with_name("viwiki.txt.xz")


def law_truth(line: str, typed: bool = False) -> list[dict[str, Any]]:
    """The numbered documents a paragraph cites, read by a rule of its own (not the extractor's): every
    number/symbol, the nearest type word before it, the date right after it (or the day the sentence
    opens with, when it says the document was issued then: 'Ngày 19 tháng 7 năm 2013, Chính phủ ban hành
    Nghị quyết số …'). ``typed``: only those with a type word in their clause (prose also writes 'AK-47/AKS',
    'ISO 639-2/RA')."""
    refs: dict[str, dict[str, Any]] = {}  # one per document cited, as the extractor lists them
    found = [*_LAW_SYMBOL.finditer(line), *(_HYPHENED.finditer(line) if typed else ())]
    for m in sorted(found, key=lambda m: m.start()):
        before = line[max(0, m.start() - 200) : m.start()]
        types = _LAW_TYPE.findall(before)
        if typed and not _LAW_TYPE.search(regex.split(r"[.;:!?]\s", before[-80:])[-1]):
            continue
        date = _LAW_DATE.match(line, m.end()) or _ISSUED_ON.search(before)
        iso = f"{date[3]}-{int(date[2]):02d}-{int(date[1]):02d}" if date else None
        ref = {"number": m["num"], "symbol": regex.sub(r"\s", "", m["sym"]), "date": iso,
               "doc_type": types[-1].capitalize() if types else None}  # fmt: skip
        key = reference_key(f"{ref['number']}/{ref['symbol']}")
        refs[key] = {**ref, "date": refs[key]["date"] or iso} if key in refs else ref
    return list(refs.values())


def wiki_paragraphs(corpus: Path = WIKI_CORPUS) -> dict[str, list[str]]:
    """The paragraphs of ../shared's Vietnamese Wikipedia that cite a numbered document (prose about
    provinces, history, institutions: 'Nghị định của Chính phủ số 15/2007/NĐ-CP', 'Sắc lệnh 147/SL'),
    split by a hash of the paragraph."""
    split: dict[str, list[str]] = {"dev": [], "held-out": []}
    with lzma.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            if _LAW_SYMBOL.search(line) and law_truth(line, typed=True):
                split["held-out" if zlib.crc32(line.encode()) % 2 else "dev"].append(line.strip())
    return split


def law_paragraphs(corpus: Path = LAW_CORPUS) -> dict[str, list[str]]:
    """The paragraphs of ../shared's real laws that cite a numbered document, by split: the laws are
    cut at their own 'Luật số: …' lines; even ones are 'dev', odd ones 'held-out'. Their own number
    lines are left out (not citations)."""
    split: dict[str, list[str]] = {"dev": [], "held-out": []}
    law = 0
    with lzma.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            if _OWN_NUMBER.match(line):
                law += 1
            elif _LAW_SYMBOL.search(line) and not regex.search(r"\bSỐ\b", line):  # a title in capitals: its own
                split["held-out" if law % 2 else "dev"].append(line.strip())
    return split


def law_documents(corpus: Path = LAW_CORPUS) -> dict[str, list[tuple[str, str, dict[str, Any]]]]:
    """The laws whole, by the same split: (name, text, truth). The corpus keeps no line under 20
    characters, so the issuing body's line, the title ('LUẬT') and the signature are gone; what is left
    of the header is the number line ('Luật số: 91/2015/QH13'), then the preamble. Truth by rules of
    its own: number and symbol from that line, the type from 'Quốc hội ban hành Bộ luật …' (else the
    number line's), the date from the sentence that says when Quốc hội passed it, where one in the
    symbol's year says so (else None: unknown, not scored), issuer Quốc hội."""
    split: dict[str, list[tuple[str, str, dict[str, Any]]]] = {"dev": [], "held-out": []}
    laws: list[list[str]] = []
    with lzma.open(corpus, "rt", encoding="utf-8") as f:
        for line in f:
            if _OWN_NUMBER.match(line):
                laws.append([])
            if laws:
                laws[-1].append(line.strip())
    for n, lines in enumerate(laws, 1):
        # a law ends with the sentence saying it was passed; what follows is another law whose own number
        # line the corpus lost
        end = next((i for i, line in enumerate(lines) if _PASSED_LINE.match(line)), len(lines) - 1)
        lines = lines[: end + 1]
        text = "\n".join(lines)
        head = regex.match(r"(?:Bộ\s+)?[Ll]uật\s+số\s*:\s*(\d+)/(\S+(?:\s\d+)?)", lines[0])
        if not head:
            continue
        number, symbol = head[1].lstrip("0"), regex.sub(r"\s", "", head[2])
        kind = regex.search(r"ban hành (Bộ luật|Luật)\b", "\n".join(lines[:5]))
        kind = kind or regex.match(r"(Bộ luật|Luật)", lines[0])
        passed = [d for d in regex.finditer(
            r"(?:Bộ luật|Luật) này (?:đã )?(?:được )?Quốc hội[^.\n]{0,160}?thông qua(?: vào)? ngày (\d{1,2})"
            r" tháng (\d{1,2}) (?:năm|ngày) (\d{4})", text) if d[3] == symbol.split("/")[0]]  # fmt: skip
        date = f"{passed[0][3]}-{int(passed[0][2]):02d}-{int(passed[0][1]):02d}" if passed else None
        truth = {"number": number, "symbol": symbol, "doc_type": kind[1], "date": date, "issuer": "Quốc hội"}
        split["held-out" if n % 2 else "dev"].append((f"law-{n}:{lines[0]}", text, truth))
    return split


LAW_REFERENCE_ROWS = ("references", "references+type", *(f"references/{f}" for f in FAMILIES))
LAW_HEADER_ROWS = ("number", "symbol", "doc_type", "date", "issuer")


def _numbered(fields: dict[str, Any], truth: dict[str, Any]) -> dict[str, Any]:
    """Only the references with a number: what the law truth holds (a law cited by its name alone is not in it)."""
    return {"references": [r for r in fields.get("references") or [] if r.get("number") and r.get("symbol")]}


def _dated(fields: dict[str, Any], truth: dict[str, Any]) -> dict[str, Any]:
    """A law's date is scored only where its truth is known."""
    return fields if truth.get("date") else {**fields, "date": None}


def _run_paragraphs(label: str, split: dict[str, list[str]], typed: bool, before: str | None, errors: bool) -> None:
    for part, lines in split.items():
        truths = [{"references": law_truth(line, typed)} for line in lines]
        inputs = [[{"blocks": [("other", line)], "damaged": False}] for line in lines]
        names = [f"{label.split()[0]}-{part}:{line[:80]}" for line in lines]
        run(f"{label}, {part}: {len(lines)} paragraphs citing numbered documents", names, truths, inputs, before,
            errors, LAW_REFERENCE_ROWS, _numbered)  # fmt: skip


def run_laws(before: str | None, errors: bool) -> None:
    if not LAW_CORPUS.exists() or not WIKI_CORPUS.exists():
        print(f"real texts: {LAW_CORPUS.parent} has not both corpora (a clone without ../shared); skipped\n")
        return
    _run_paragraphs("(e) real law texts", law_paragraphs(), False, before, errors)
    for part, laws in law_documents().items():
        known = sum(1 for _, _, t in laws if t["date"])
        run(f"(f) real law texts, {part}: {len(laws)} laws whole (header remains; {known} dates known)",
            [n for n, _, _ in laws], [t for _, _, t in laws],
            [[{"blocks": [("other", text)], "damaged": False}] for _, text, _ in laws], before, errors,
            LAW_HEADER_ROWS, _dated)  # fmt: skip
    _run_paragraphs("(g) Vietnamese Wikipedia", wiki_paragraphs(), True, before, errors)


def run(title: str, names: list[str], truths: list[dict], inputs: list[Pages], before: str | None,
        errors: bool, rows: tuple[str, ...] = (), keep: Any = None) -> None:  # fmt: skip
    """Score the extractor, and the one of ``before``; ``keep`` trims predictions to what the truth covers."""
    after = extract_after(inputs)
    old = extract_before(before, inputs) if before else None
    if keep:
        after = [keep(f, t) for f, t in zip(after, truths, strict=True)]
        old = old and [keep(f, t) for f, t in zip(old, truths, strict=True)]
    old_scores = evaluate(zip(names, truths, old, strict=True)) if old else None
    if errors:
        print(f"errors ({title}):")
    new = evaluate(zip(names, truths, after, strict=True), errors, rows)
    print(table(title, old_scores, new, rows))
    print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", type=Path, default=SET_DIR, help="folder of document sources with truth")
    ap.add_argument("--scans", action="store_true", help="also score the scanned documents (vie and eng OCR)")
    ap.add_argument("--before", default=BASELINE, help=f"baseline git revision (default {BASELINE}); '' for none")
    ap.add_argument("--samples", action="store_true", help="also the ground truth of the 12 samples")
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "vanban-eval-fields",
                    help="where scans' OCR text is kept between runs")  # fmt: skip
    ap.add_argument("--only", help="substring: only documents whose name contains it")
    ap.add_argument("--errors", action="store_true", help="list every wrong value of the current extractor")
    ap.add_argument("--laws", action="store_true", help="only the real texts of ../shared/corpus: laws, Wikipedia")
    ap.add_argument("--damage", choices=sorted(DAMAGE), default="mild", help="the scans' degradations (default mild)")
    args = ap.parse_args(argv)
    if args.laws:
        run_laws(args.before or None, args.errors)
        return 0

    docs = load_set(args.set, args.only)
    if not docs:
        print(f"eval_fields: {args.set}: no document sources", file=sys.stderr)
        return 2
    names = [n for n, _, _ in docs]
    truths = [t for _, _, t in docs]
    kinds = Counter(t["doc_type"] for _, d, t in docs for t in [d.data])
    print(f"Field evaluation set {args.set.relative_to(ROOT) if args.set.is_relative_to(ROOT) else args.set}: "
          f"{len(docs)} documents, {len(kinds)} types; before = {args.before or 'none'}\n")  # fmt: skip
    before = args.before or None
    clean = [clean_pages(d) for _, d, _ in docs]
    run(f"(a) clean text: {len(names)} documents", names, truths, clean, before, args.errors)
    if args.scans:
        for lang, label in (("vie", "(b) scanned, Tesseract vie"), ("eng", "(c) scanned, Tesseract eng + restoration")):
            inputs = [scanned_pages(d, i, lang, args.cache, args.damage) for i, (_, d, _) in enumerate(docs)]
            run(f"{label}: {len(names)} documents", names, truths, inputs, before, args.errors)
    if args.samples:
        names, truths, inputs = samples_pairs(ROOT / "samples")
        run(f"(d) samples/, clean ground truth: {len(names)} documents", names, truths, inputs, before, args.errors)
    return 0


if __name__ == "__main__":
    sys.exit(main())
