"""Evaluate diacritic restoration on held-out text, the current model beside the previous one, in one run.

    nice -n 10 .venv/bin/python scripts/eval_restore.py [--sections a,b,c,d,e] [--law-lines 120] [--dev]

Held-out text: ../shared/texts/*.txt (three real official letters, checked absent from the corpus)
and vn-law lines from HELDOUT_LAW_FROM on (never trained on). ``--dev`` instead scores the
training-side dev OCR pairs that the decoder constants are tuned on.
(a) accents stripped -> restored: syllable accuracy, line by line (pyvi ViUtils.add_accents as a
    peer) and the same lines as one text (as the CLI and ingest restore a page);
(b) lines rendered in Tinos and OCR'd with tesseract -l eng -> restored: CER and syllable accuracy;
(c) the same with tesseract -l vie, also with Tesseract's word confidences;
(d) throughput on one core and model load time;
(e) legacy OCR of whole documents: each held-out document printed in five styles (fonts, sizes,
    weights, blur, resolution, JPEG, fax; FreeSerif is a font no training page used) and OCR'd
    with tesseract -l eng, then restored as one text: syllable accuracy and CER.
Every row shows "before" (the decoder and model of BASELINE_REV, from git history, in a child
process) beside the current code and model ("ours").
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from pipeline.restore import restore  # noqa: E402
from pipeline.restore.syllable import canonical  # noqa: E402
from pipeline.settings import SHARED_DIR  # noqa: E402
from pipeline.training.corpus import heldout_law_lines  # noqa: E402
from pipeline.training.render import PrintStyle  # noqa: E402
from pipeline.vietnamese import WORD_RE, fold, nfc  # noqa: E402

TEXTS = SHARED_DIR / "texts"
CORPUS = SHARED_DIR / "corpus"
CACHE = Path(tempfile.gettempdir()) / "vanban-eval-restore-ocr"  # Tesseract outputs, keyed by page content
OCR_VERSION = 1  # bump when rendering or OCR settings change
BASELINE_REV = "b53c932"  # main before this round of issue 12: restore-v2 and its decoder
BASELINE_MODEL = "models/restore-v2"
# (e) how each held-out document is printed and scanned (px at 300 dpi).
E_STYLES = (
    ("Tinos 42 px, clean", PrintStyle("tinos", 42)),
    ("Tinos Bold 38 px, heavy ink, blur, JPEG 30", PrintStyle("tinos-bold", 38, ink=1, blur=1.0, jpeg=30)),
    ("Liberation Serif 36 px, 150 dpi, noise, fax", PrintStyle("liberation-serif", 36, scale=0.5, noise=0.3,
                                                               threshold=150)),  # fmt: skip
    ("FreeSerif 44 px (unseen font), heavy ink, blur, JPEG 40", PrintStyle("free-serif", 44, ink=1, blur=0.8,
                                                                             jpeg=40)),  # fmt: skip
    ("DejaVu Sans 34 px, 180 dpi, blur", PrintStyle("dejavu-sans", 34, scale=0.6, blur=0.6)),
)
E_LAW_DOCS = 3  # held-out law documents for (e), E_LAW_LINES wrapped lines each
E_LAW_LINES = 40
# --dev: the same kind of legacy OCR on training-side text (the test fixture letter and runs of
# training law lines) in training fonts only, printed otherwise than E_STYLES; constants are set here.
DEV_E_STYLES = (
    ("Tinos 40 px, clean", PrintStyle("tinos", 40)),
    ("Tinos Bold 40 px, heavy ink, blur, JPEG 35", PrintStyle("tinos-bold", 40, ink=1, blur=1.0, jpeg=35)),
    ("Liberation Serif 38 px, 150 dpi, noise, fax", PrintStyle("liberation-serif", 38, scale=0.5, noise=0.3,
                                                               threshold=150)),  # fmt: skip
    ("DejaVu Serif Bold 40 px, heavy ink, blur, JPEG 40", PrintStyle("dejavu-serif-bold", 40, ink=1, blur=0.8,
                                                                       jpeg=40)),  # fmt: skip
    ("Arimo 36 px, 180 dpi, blur", PrintStyle("arimo", 36, scale=0.6, blur=0.6)),
)
DEV_FIXTURE = ROOT / "tests" / "data" / "restore" / "ke-hoach-phuong.txt"


def _wrap(line: str, width: int = 85) -> list[str]:
    out, cur = [], ""
    for w in line.split():
        if cur and len(cur) + 1 + len(w) > width:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}".strip()
    if cur:
        out.append(cur)
    return out


def _document_lines(text: str) -> list[str]:
    lines = []
    for line in nfc(text).splitlines():
        lines.extend(_wrap(" ".join(line.split())))
    return [d for d in lines if WORD_RE.search(d)]


def heldout(law_lines: int, seed: int = 3, long_lines: int = 0) -> tuple[list[str], list[str], list[str]]:
    """(official-document lines, held-out law lines, ``long_lines`` further held-out law lines
    for the throughput run), whitespace-normalised and wrapped."""
    docs = [x for path in sorted(TEXTS.glob("*.txt")) for x in _document_lines(path.read_text(encoding="utf-8"))]
    law = heldout_law_lines(CORPUS)
    random.Random(seed).shuffle(law)
    picked: list[str] = []
    for line in law[:law_lines]:
        picked.extend(_wrap(line)[:2])
    long = [w for line in law[law_lines : law_lines + long_lines] for w in _wrap(line)]
    return docs, picked, long


def heldout_documents(seed: int = 11) -> list[tuple[str, list[str]]]:
    """(name, wrapped lines) of the real letters and of E_LAW_DOCS runs of consecutive held-out
    law lines (a stretch of one law: articles, clauses, points)."""
    out = [(p.stem, _document_lines(p.read_text(encoding="utf-8"))) for p in sorted(TEXTS.glob("*.txt"))]
    return out + _law_runs(heldout_law_lines(CORPUS), seed, "vn-law held-out")


def dev_documents(seed: int = 17) -> list[tuple[str, list[str]]]:
    """(name, wrapped lines) of the test fixture letter and E_LAW_DOCS runs of training law lines."""
    import lzma

    from pipeline.training.corpus import HELDOUT_LAW_FROM

    with lzma.open(CORPUS / "vn-law.txt.xz", "rt", encoding="utf-8") as f:
        law = [line.rstrip("\n") for _, line in zip(range(HELDOUT_LAW_FROM), f, strict=False)]
    out = [(DEV_FIXTURE.stem, _document_lines(DEV_FIXTURE.read_text(encoding="utf-8")))]
    return out + _law_runs(law, seed, "vn-law training")


def _law_runs(law: list[str], seed: int, name: str) -> list[tuple[str, list[str]]]:
    """E_LAW_DOCS runs of E_LAW_LINES wrapped lines of consecutive ``law`` lines."""
    rng = random.Random(seed)
    out = []
    for k in range(E_LAW_DOCS):
        at = rng.randrange(0, len(law) - 200)
        lines: list[str] = []
        for line in law[at:]:
            lines.extend(_wrap(line))
            if len(lines) >= E_LAW_LINES:
                break
        out.append((f"{name} #{k + 1} (line {at})", lines[:E_LAW_LINES]))
    return out


def leak_check() -> str:
    """How many held-out document lines (30+ chars) occur verbatim inside any training line."""
    from pipeline.training.corpus import HELDOUT_LAW_FROM, iter_corpus_lines

    lines = {" ".join(x.split()) for p in TEXTS.glob("*.txt") for x in nfc(p.read_text(encoding="utf-8")).splitlines()}
    lines = {x for x in lines if len(x) >= 30}
    big = "\n".join(
        nfc(line) for src, i, line in iter_corpus_lines(CORPUS) if not (src == "law" and i >= HELDOUT_LAW_FROM)
    )
    hits = sorted(x for x in lines if x in big)
    return (f"leakage check: {len(hits)} of {len(lines)} held-out document lines (30+ chars) found verbatim in"
            f" training text{': ' + ' | '.join(hits) if hits else ''}")  # fmt: skip


def _key(tok: str) -> str:
    low = tok.lower()
    return canonical(low) or low  # tone-placement style is not an error


def syllable_accuracy(truth: list[str], output: list[str]) -> tuple[int, int]:
    """(correct, total) over word tokens with letters, aligned by token position per line."""
    good = total = 0
    for t, o in zip(truth, output, strict=True):
        tt = WORD_RE.findall(t)
        oo = WORD_RE.findall(o)
        if len(tt) != len(oo):
            ops = Levenshtein.editops([_key(x) for x in tt], [_key(x) for x in oo])
            bad = len({op.src_pos for op in ops if op.tag != "insert"})
            counted = [x for x in tt if not x.isdigit()]
            total += len(counted)
            good += max(0, len(counted) - bad)
            continue
        for a, b in zip(tt, oo, strict=True):
            if a.isdigit():
                continue
            total += 1
            good += _key(a) == _key(b)
    return good, total


def cer(truth: list[str], output: list[str]) -> float:
    dist = sum(Levenshtein.distance(t, o) for t, o in zip(truth, output, strict=True))
    return 100.0 * dist / max(1, sum(len(t) for t in truth))


def _pct(good: int, n: int) -> str:
    return f"{100 * good / max(n, 1):6.2f}%"


# --- restoring with the current model and with the baseline ---------------------------------------

_BASELINE_CHILD = """
import json, sys
from types import SimpleNamespace
sys.path.insert(0, sys.argv[1])
from pipeline.restore import restore
out = []
for text, words in json.load(sys.stdin):
    ws = [SimpleNamespace(text=w, confidence=c) for w, c in words] if words else None
    out.append(restore(text, words=ws).text)
json.dump(out, sys.stdout, ensure_ascii=False)
"""


def baseline_tree() -> Path:
    """BASELINE_REV's code and model, checked out of git history into a temporary folder."""
    tree = Path(tempfile.gettempdir()) / f"vanban-eval-baseline-{BASELINE_REV}"
    if not (tree / "pipeline").exists():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", BASELINE_REV, "pipeline", BASELINE_MODEL],
                                 capture_output=True, check=True).stdout  # fmt: skip
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def baseline(texts: list[str], words: list[list] | None = None) -> list[str]:
    """``texts`` restored by the baseline (see baseline_tree)."""
    tree = baseline_tree()
    payload = json.dumps([(t, w) for t, w in zip(texts, words or [None] * len(texts), strict=True)])
    out = subprocess.run([sys.executable, "-c", _BASELINE_CHILD, str(tree)], input=payload, capture_output=True,
                         text=True, cwd=tree)  # fmt: skip
    if out.returncode:
        raise SystemExit(f"baseline child failed: {out.stderr.strip().splitlines()[-1]}")
    return json.loads(out.stdout)


def ours(texts: list[str], words: list[list] | None = None) -> list[str]:
    from types import SimpleNamespace

    out = []
    for text, ws in zip(texts, words or [None] * len(texts), strict=True):
        out.append(restore(text, words=[SimpleNamespace(text=w, confidence=c) for w, c in ws] if ws else None).text)
    return out


def both(texts: list[str], words: list[list] | None = None) -> tuple[list[str], list[str]]:
    """(baseline output, current output) of the same texts."""
    return baseline(texts, words), ours(texts, words)


# --- Tesseract on rendered pages, cached ----------------------------------------------------------


def _cached(key: object, make):  # noqa: ANN001, ANN202
    CACHE.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha1(json.dumps(key, ensure_ascii=False).encode()).hexdigest()[:20]
    path = CACHE / f"{digest}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    got = make()
    path.write_text(json.dumps(got, ensure_ascii=False), encoding="utf-8")
    return got


def _paged(lines: list[str], key: list, read) -> list[tuple[str, object]]:  # noqa: ANN001
    """(truth, what ``read(page lines, page number)`` gives for each line), pages of 30 lines,
    cached; lines Tesseract lost are left out."""
    out = []
    for i in range(0, len(lines), 30):
        page, n = lines[i : i + 30], i // 30
        got = _cached([OCR_VERSION, *key, n, page], lambda p=page, k=n: read(p, k))
        out.extend((t, g) for t, g in zip(page, got, strict=True) if g)
    return out


def _tinos(n: int, lang: str) -> dict:
    """Print settings of page ``n`` for (b) and (c): Tinos at 36-44 px, vie pages partly degraded."""
    return {"size": (36, 40, 44)[n % 3], "degrade": (0.0, 0.3)[n % 2] if lang == "vie" else 0.0}


def ocr_pairs(lines: list[str], lang: str) -> list[tuple[str, str]]:
    """(truth, OCR) line pairs."""
    from pipeline.training.render import ocr_lines

    return _paged(lines, [lang], lambda page, n: ocr_lines(page, lang, **_tinos(n, lang)))


def ocr_word_pairs(lines: list[str], lang: str) -> list[tuple[str, list]]:
    """(truth, [(word, confidence)]) line pairs from Tesseract's TSV output."""
    from pipeline.training.render import ocr_lines_words

    return _paged(lines, ["tsv", lang], lambda page, n: ocr_lines_words(page, lang, **_tinos(n, lang)))


def legacy_ocr(lines: list[str], style: PrintStyle) -> list[tuple[str, str]]:
    """(truth, OCR) line pairs of a document printed in ``style`` and read by tesseract -l eng."""
    from dataclasses import astuple

    from pipeline.training.render import ocr_lines

    return _paged(lines, ["e", astuple(style)], lambda page, _: ocr_lines(page, "eng", style=style))


# --- sections ------------------------------------------------------------------------------------

PYVI_FALLBACKS = [0]  # lines pyvi raised on (its label map misses some codes: KeyError 'dr')


def pyvi_lines(lines: list[str]) -> list[str]:
    from pyvi import ViUtils

    def one(x: str) -> str:
        try:
            return nfc(ViUtils.add_accents(x))
        except KeyError:  # retry word by word, keeping the words it cannot handle
            PYVI_FALLBACKS[0] += 1
            out = []
            for w in x.split(" "):
                try:
                    out.append(nfc(ViUtils.add_accents(w)))
                except KeyError:
                    out.append(w)
            return " ".join(out)

    return [one(x) for x in lines]


def section_a(name: str, lines: list[str]) -> None:
    stripped = [fold(x) for x in lines]
    old, new = both(stripped)
    g1, n = syllable_accuracy(lines, old)
    g, _ = syllable_accuracy(lines, new)
    try:
        pg, _ = syllable_accuracy(lines, pyvi_lines(stripped))
        peer = _pct(pg, n)
        if PYVI_FALLBACKS[0]:
            peer += f" [{PYVI_FALLBACKS[0]} lines word by word after a pyvi KeyError]"
            PYVI_FALLBACKS[0] = 0
    except ImportError:
        peer = "  n/a (pip install pyvi)"
    stripped_g, _ = syllable_accuracy(lines, stripped)
    print(f"(a) {name:<10} {n:>6} syll | line by line: stripped {_pct(stripped_g, n)} | before {_pct(g1, n)}"
          f" | ours {_pct(g, n)} | pyvi {peer}")  # fmt: skip
    # The same lines as one text, as `vanban restore FILE` and ingest restore a page: a wrapped
    # line's first words keep the previous line as context. (pyvi raises KeyError on whole texts.)
    old, new = (x[0].split("\n") for x in both(["\n".join(stripped)]))
    if len(new) != len(lines) or len(old) != len(lines):
        raise SystemExit(f"(a) {name}: restoring the whole text changed its line count")
    g1, _ = syllable_accuracy(lines, old)
    g, _ = syllable_accuracy(lines, new)
    print(f"(a) {name:<10} {n:>6} syll | as one text:  before {_pct(g1, n)} | ours {_pct(g, n)}")


def _ocr_row(tag: str, name: str, truth: list[str], got: list[str], old: list[str], new: list[str]) -> None:
    g0, n = syllable_accuracy(truth, got)
    g1, _ = syllable_accuracy(truth, old)
    g2, _ = syllable_accuracy(truth, new)
    print(f"{tag} {name:<34} {len(truth):>4} lines | CER {cer(truth, got):6.2f}% -> before {cer(truth, old):5.2f}%"
          f" | ours {cer(truth, new):5.2f}% | syllables {_pct(g0, n)} -> before {_pct(g1, n)} | ours {_pct(g2, n)}")


def section_ocr(tag: str, name: str, pairs: list[tuple[str, str]]) -> None:
    """OCR'd lines restored one by one."""
    truth, got = [t for t, _ in pairs], [g for _, g in pairs]
    _ocr_row(tag, name, truth, got, *both(got))


def section_conf(tag: str, name: str, pairs: list[tuple[str, list]]) -> None:
    """Tesseract TSV lines restored with the word confidences."""
    truth = [t for t, _ in pairs]
    got = [" ".join(w for w, _ in ws) for _, ws in pairs]
    _ocr_row(tag, name, truth, got, *both(got, [ws for _, ws in pairs]))


def section_e(documents: list[tuple[str, list[str]]], styles: tuple = E_STYLES) -> None:
    """Legacy OCR: every document in every style, restored as one text."""
    groups: dict[str, list[list[str]]] = {"letters": [[], [], [], []], "vn-law": [[], [], [], []]}
    for label, style in styles:
        rows: list[list[str]] = [[], [], [], []]  # truth, OCR, before, ours
        texts, truths = [], []
        for _, lines in documents:
            pairs = legacy_ocr(lines, style)
            truths.append([t for t, _ in pairs])
            texts.append("\n".join(g for _, g in pairs))
        old, new = both(texts)
        for (name, _), truth, text, a, b in zip(documents, truths, texts, old, new, strict=True):
            a_lines, b_lines = a.split("\n"), b.split("\n")
            group = groups["vn-law" if name.startswith("vn-law") else "letters"]
            for acc, part in zip((rows, group), ((truth, text.split("\n"), a_lines, b_lines),) * 2, strict=True):
                for k in range(4):
                    acc[k].extend(part[k])
        _ocr_row("(e)", label[:34], *rows)
    for name, rows in groups.items():
        _ocr_row("(e)", f"all styles, {name}", *rows)
    total = [sum((g[k] for g in groups.values()), []) for k in range(4)]
    _ocr_row("(e)", "all styles, all documents", *total)


_THROUGHPUT_CHILD = """
import os, sys, time
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
sys.path.insert(0, sys.argv[1])
t = time.perf_counter()
from pipeline.restore.model import get_model
m = get_model()
total = time.perf_counter() - t
from pipeline.restore import restore
from pipeline.vietnamese import WORD_RE
text = sys.stdin.read()
lines = text.split("\\n") if sys.argv[2] == "lines" else [text]
n = sum(1 for x in lines for w in WORD_RE.findall(x) if not w.isdigit())
t, c = time.perf_counter(), time.process_time()
for x in lines:
    restore(x)
print(m.load_seconds, total, n, n / (time.perf_counter() - t), n / (time.process_time() - c))
"""


def _throughput(text: str, mode: str, tree: Path = ROOT) -> list[float]:
    """(load s, import + load s, syllables, wall syll/s, CPU syll/s) of restoring ``text`` (line
    by line or as one text) in a fresh child pinned to one core."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    out = subprocess.run([sys.executable, "-c", _THROUGHPUT_CHILD, str(tree), mode], input=text,
                         capture_output=True, text=True, cwd=tree, env=env)  # fmt: skip
    if out.returncode:
        raise SystemExit(f"throughput child failed: {out.stderr.strip().splitlines()[-1]}")
    return [float(x) for x in out.stdout.split()]


def section_d(page: str, long: list[str]) -> None:
    """Throughput on one core from cold: a long run over unseen held-out law text line by line, as
    a batch ingest sees it, and one accent-stripped page restored as one text in a fresh process."""
    for name, where in (("before", baseline_tree()), ("ours", ROOT)):
        load, total, n_long, run, run_cpu = _throughput("\n".join(fold(x) for x in long), "lines", where)
        _, _, n_page, p_wall, p_cpu = _throughput(fold(page), "text", where)
        print(f"(d) {name:<10}: long run, {len(long):,} lines ({int(n_long):,} syll) of unseen held-out law text "
              f"from cold: {run:,.0f} syll/s wall, {run_cpu:,.0f} syll/CPU-s | one page ({int(n_page)} syll) cold: "
              f"{p_cpu:,.0f} syll/CPU-s | model load {load * 1000:.0f} ms (import + load {total * 1000:.0f} ms)")
    from pipeline.restore.model import MODEL_DIR

    size = sum(f.stat().st_size for f in MODEL_DIR.iterdir())
    print(f"(d) model size {size / 1e6:.1f} MB ({MODEL_DIR.name}); machine load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sections", default="a,b,c,d,e")
    ap.add_argument("--law-lines", type=int, default=120)
    ap.add_argument("--long-lines", type=int, default=2000, help="unseen law lines for the long throughput run")
    ap.add_argument("--dev", action="store_true", help="score the tuning dev set instead")
    ap.add_argument("--work", type=Path, default=Path("/tmp/vanban-restore-train"))
    args = ap.parse_args()
    sections = set(args.sections.split(","))
    if args.dev:
        if "e" in sections:
            section_e(dev_documents(), DEV_E_STYLES)
        for lang in ("eng", "vie"):
            rows = (args.work / f"ocr_dev_{lang}.tsv").read_text(encoding="utf-8").splitlines()
            pairs = [tuple(r.split("\t", 1)) for r in rows]
            section_ocr("(dev)", lang, pairs)
        section_a("dev", [t for t, _ in pairs])
        return
    docs, law, long = heldout(args.law_lines, long_lines=args.long_lines)
    print(f"held-out: {len(docs)} lines of {TEXTS}/*.txt, {len(law)} lines of held-out vn-law")
    if "a" in sections:
        print(leak_check())
        section_a("documents", docs)
        section_a("vn-law", law)
    for lang, tag in (("eng", "(b)"), ("vie", "(c)")):
        if tag[1] in sections:
            for name, lines in (("documents", docs), ("vn-law", law)):
                section_ocr(f"{tag} {lang}", name, ocr_pairs(lines, lang))
    if "c" in sections:
        for name, lines in (("documents", docs), ("vn-law", law)):
            section_conf("(c) vie TSV, confidences", name, ocr_word_pairs(lines, "vie"))
    if "e" in sections:
        section_e(heldout_documents())
    if "d" in sections:
        page = (TEXTS / "cv-kien-an-binh-chon-san-pham-2025.txt").read_text(encoding="utf-8")
        section_d(page, long)


if __name__ == "__main__":
    main()
