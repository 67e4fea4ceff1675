"""Evaluate diacritic restoration on held-out text, side by side, in one run.

    nice -n 10 .venv/bin/python scripts/eval_restore.py [--law-lines 120] [--dev]

Held-out text: /work/shared/texts/*.txt (official documents, checked absent from the corpus)
and vn-law lines from HELDOUT_LAW_FROM on (never trained on). ``--dev`` instead scores the
training-side dev OCR pairs that the decoder constants are tuned on.
(a) accents stripped -> restored: syllable accuracy, ours vs pyvi ViUtils.add_accents, line by
    line, then ours on the same lines restored as one text (as the CLI and ingest restore a page);
(b) rendered and OCR'd with tesseract -l eng -> restored: CER before/after;
(c) the same with tesseract -l vie; (d) throughput on one core and model load time.
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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz.distance import Levenshtein  # noqa: E402

from pipeline.restore import restore  # noqa: E402
from pipeline.restore.syllable import canonical  # noqa: E402
from pipeline.settings import SHARED_DIR  # noqa: E402
from pipeline.training.corpus import heldout_law_lines  # noqa: E402
from pipeline.vietnamese import WORD_RE, fold, nfc  # noqa: E402

TEXTS = SHARED_DIR / "texts"
CORPUS = SHARED_DIR / "corpus"
CACHE = Path(tempfile.gettempdir()) / "vanban-eval-restore-ocr"  # Tesseract outputs, keyed by page content
OCR_VERSION = 1  # bump when rendering or OCR settings change


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


def heldout(law_lines: int, seed: int = 3, long_lines: int = 0) -> tuple[list[str], list[str], list[str]]:
    """(official-document lines, held-out law lines, ``long_lines`` further held-out law lines
    for the throughput run), whitespace-normalised and wrapped."""
    docs = []
    for path in sorted(TEXTS.glob("*.txt")):
        for line in nfc(path.read_text(encoding="utf-8")).splitlines():
            docs.extend(_wrap(" ".join(line.split())))
    docs = [d for d in docs if WORD_RE.search(d)]
    law = heldout_law_lines(CORPUS)
    random.Random(seed).shuffle(law)
    picked: list[str] = []
    for line in law[:law_lines]:
        picked.extend(_wrap(line)[:2])
    long = [w for line in law[law_lines : law_lines + long_lines] for w in _wrap(line)]
    return docs, picked, long


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
            f" training text{': ' + ' | '.join(hits) if hits else ''}")


def _key(tok: str) -> str:
    low = tok.lower()
    return canonical(low) or low  # tone-placement style is not an error


def syllable_accuracy(truth: list[str], output: list[str]) -> tuple[int, int]:
    """(correct, total) over word tokens with letters, aligned by token position per line."""
    good = total = 0
    for t, o in zip(truth, output, strict=True):
        tt = [x for x in WORD_RE.findall(t)]
        oo = [x for x in WORD_RE.findall(o)]
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


def ocr_pairs(lines: list[str], lang: str, cache: Path = CACHE) -> list[tuple[str, str]]:
    """(truth, OCR) line pairs; Tesseract output is cached by page content so reruns are cheap."""
    pages = [lines[i : i + 30] for i in range(0, len(lines), 30)]
    cache.mkdir(parents=True, exist_ok=True)
    got: list[list[str] | None] = []
    todo = []
    for i, page in enumerate(pages):
        key = hashlib.sha1(json.dumps([OCR_VERSION, lang, i, page], ensure_ascii=False).encode()).hexdigest()
        path = cache / f"{lang}-{key[:16]}.json"
        got.append(json.loads(path.read_text(encoding="utf-8")) if path.exists() else None)
        if got[-1] is None:
            todo.append((i, path))
    if todo:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(1) as pool:  # one Tesseract at a time: the machine is shared
            done = pool.map(_ocr_page, [(pages[i], lang, i) for i, _ in todo])
            for (i, path), res in zip(todo, done, strict=True):
                path.write_text(json.dumps(res, ensure_ascii=False), encoding="utf-8")
                got[i] = res
    return [(t, g) for page, res in zip(pages, got, strict=True) for t, g in zip(page, res, strict=True) if g]


def ocr_word_pairs(lines: list[str], lang: str, cache: Path = CACHE) -> list[tuple[str, list]]:
    """(truth, [(word, confidence)]) line pairs from Tesseract's TSV output, cached like ocr_pairs."""
    from pipeline.training.render import ocr_lines_words

    pages = [lines[i : i + 30] for i in range(0, len(lines), 30)]
    cache.mkdir(parents=True, exist_ok=True)
    out = []
    for i, page in enumerate(pages):
        key = hashlib.sha1(json.dumps([OCR_VERSION, "tsv", lang, i, page], ensure_ascii=False).encode()).hexdigest()
        path = cache / f"{lang}-tsv-{key[:16]}.json"
        if path.exists():
            got = json.loads(path.read_text(encoding="utf-8"))
        else:
            size, degrade = (36, 40, 44)[i % 3], (0.0, 0.3)[i % 2] if lang == "vie" else 0.0
            got = ocr_lines_words(page, lang, size=size, degrade=degrade)
            path.write_text(json.dumps(got, ensure_ascii=False), encoding="utf-8")
        out.extend((t, g) for t, g in zip(page, got, strict=True) if g)
    return out


def section_conf(tag: str, name: str, pairs: list[tuple[str, list]]) -> None:
    """Tesseract TSV lines restored without and with the word confidences."""
    from types import SimpleNamespace

    truth = [t for t, _ in pairs]
    got = [" ".join(w for w, _ in ws) for _, ws in pairs]
    plain = restore_lines(got)
    with_conf = [
        restore(g, words=[SimpleNamespace(text=w, confidence=c) for w, c in ws]).text
        for g, (_, ws) in zip(got, pairs, strict=True)
    ]
    before = cer(truth, got)
    print(f"{tag} {name:<10} {len(pairs):>4} lines | CER before {before:6.2f}% | after, text only"
          f" {cer(truth, plain):6.2f}% | after, with word confidences {cer(truth, with_conf):6.2f}%")


def _ocr_page(args: tuple[list[str], str, int]) -> list[str]:
    from pipeline.training.render import ocr_lines

    page, lang, i = args
    return ocr_lines(page, lang, size=(36, 40, 44)[i % 3], degrade=(0.0, 0.3)[i % 2] if lang == "vie" else 0.0)


def restore_lines(lines: list[str]) -> list[str]:
    return [restore(x).text for x in lines]


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
    t0 = time.perf_counter()
    ours = restore_lines(stripped)
    t_ours = time.perf_counter() - t0
    g, n = syllable_accuracy(lines, ours)
    t0 = time.perf_counter()
    try:
        peer = pyvi_lines(stripped)
        pg, pn = syllable_accuracy(lines, peer)
        peer_txt = f"{100 * pg / pn:6.2f}%"
        if PYVI_FALLBACKS[0]:
            peer_txt += f" [{PYVI_FALLBACKS[0]} lines word by word after a pyvi KeyError]"
            PYVI_FALLBACKS[0] = 0
    except ImportError:
        peer_txt = "  n/a (pip install pyvi)"
    t_peer = time.perf_counter() - t0
    stripped_g, _ = syllable_accuracy(lines, stripped)
    print(f"(a) {name:<10} {n:>6} syll | stripped {100 * stripped_g / n:6.2f}% | ours {100 * g / n:6.2f}%"
          f" ({t_ours:.1f}s) | pyvi {peer_txt} ({t_peer:.1f}s)")
    # The same lines as one text, as `vanban restore FILE` and ingest restore a page: a wrapped
    # line's first words keep the previous line as context. (pyvi raises KeyError on whole texts.)
    whole = restore("\n".join(stripped)).text.split("\n")
    if len(whole) != len(lines):
        raise SystemExit(f"(a) {name}: restoring the whole text changed its line count")
    gw, _ = syllable_accuracy(lines, whole)
    print(f"(a) {name:<10} {n:>6} syll | as one text (line breaks kept): ours {100 * gw / n:6.2f}%")


def section_ocr(tag: str, name: str, pairs: list[tuple[str, str]]) -> None:
    truth = [t for t, _ in pairs]
    got = [g for _, g in pairs]
    fixed = restore_lines(got)
    before, after = cer(truth, got), cer(truth, fixed)
    g0, n = syllable_accuracy(truth, got)
    g1, _ = syllable_accuracy(truth, fixed)
    print(f"{tag} {name:<10} {len(pairs):>4} lines | CER before {before:6.2f}% after {after:6.2f}%"
          f" (ratio {after / max(before, 1e-9):.2f}, delta {after - before:+.2f} pt)"
          f" | syll acc {100 * g0 / n:.2f}% -> {100 * g1 / n:.2f}%")


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
lines = sys.stdin.read().split("\\n")
n = sum(1 for x in lines for w in WORD_RE.findall(x) if not w.isdigit())
rates = []
for _ in range(int(sys.argv[2])):
    t, c = time.perf_counter(), time.process_time()
    for x in lines:
        restore(x)
    rates += [n / (time.perf_counter() - t), n / (time.process_time() - c)]
print(m.load_seconds, total, n, *rates)
"""


def _throughput(lines: list[str], passes: int) -> list[float]:
    """(load s, import + load s, syllables, then wall and CPU syll/s per pass) in a fresh child
    pinned to one core, on the accent-stripped lines."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    text = "\n".join(fold(x) for x in lines)
    out = subprocess.run([sys.executable, "-c", _THROUGHPUT_CHILD, str(ROOT), str(passes)], input=text,
                         capture_output=True, text=True, cwd=ROOT, env=env)  # fmt: skip
    if out.returncode:
        raise SystemExit(f"throughput child failed: {out.stderr.strip().splitlines()[-1]}")
    return [float(x) for x in out.stdout.split()]


def section_d(lines: list[str], long: list[str]) -> None:
    """Throughput on one core: the evaluated lines with cold caches, then again (all seen), and a
    long run over unseen held-out law text from cold, as a batch ingest sees it."""
    load, total, n, cold, cold_cpu, warm, warm_cpu = _throughput(lines, 2)
    _, _, n_long, run, run_cpu = _throughput(long, 1)
    print(f"(d) throughput on one core, accent-stripped held-out text line by line ({int(n)} syll): "
          f"cold caches {cold:,.0f} syll/s wall, {cold_cpu:,.0f} syll/CPU-s; second pass {warm:,.0f} syll/s wall, "
          f"{warm_cpu:,.0f} syll/CPU-s; long run over {len(long):,} wrapped lines of unseen held-out law text "
          f"({int(n_long):,} syll) from cold: {run:,.0f} syll/s wall, {run_cpu:,.0f} syll/CPU-s; "
          f"model load {load * 1000:.0f} ms (import + load {total * 1000:.0f} ms); "
          f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--law-lines", type=int, default=120)
    ap.add_argument("--long-lines", type=int, default=2000, help="unseen law lines for the long throughput run")
    ap.add_argument("--dev", action="store_true", help="score the tuning dev set instead")
    ap.add_argument("--work", type=Path, default=Path("/tmp/vanban-restore-train"))
    args = ap.parse_args()
    if args.dev:
        for lang in ("eng", "vie"):
            rows = (args.work / f"ocr_dev_{lang}.tsv").read_text(encoding="utf-8").splitlines()
            pairs = [tuple(r.split("\t", 1)) for r in rows]
            section_ocr("(dev)", lang, pairs)
        section_a("dev", [t for t, _ in pairs])
        return
    docs, law, long = heldout(args.law_lines, long_lines=args.long_lines)
    print(f"held-out: {len(docs)} lines of {TEXTS}/*.txt, {len(law)} lines of held-out vn-law")
    print(leak_check())
    section_a("documents", docs)
    section_a("vn-law", law)
    for lang, tag in (("eng", "(b)"), ("vie", "(c)")):
        for name, lines in (("documents", docs), ("vn-law", law)):
            section_ocr(tag + f" {lang}", name, ocr_pairs(lines, lang))
    for name, lines in (("documents", docs), ("vn-law", law)):
        section_conf("(c) vie TSV", name, ocr_word_pairs(lines, "vie"))
    section_d(docs + law, long)


if __name__ == "__main__":
    main()
