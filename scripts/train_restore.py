"""Train the diacritic-restoration models from ../shared/corpus: one command, reproducible.

    nice -n 10 .venv/bin/python scripts/train_restore.py            # all stages
    nice -n 10 .venv/bin/python scripts/train_restore.py --stages ocr,channel

Stages: ``ocr`` renders training sentences to pages and OCRs them with Tesseract eng and vie
(cached under --work); ``lm`` counts the syllable trigram LM; ``channel`` learns the OCR error
model from the cached OCR pairs. Held out from everything: vn-law lines from HELDOUT_LAW_FROM on
and /work/shared/texts (see models/restore-v2/README.md).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.training.corpus import HELDOUT_LAW_FROM, iter_corpus_lines  # noqa: E402
from pipeline.training.render import PrintStyle, ocr_lines  # noqa: E402

# Pages of OCR_LINES_PER_PAGE lines per engine, each printed in a random training style (fonts,
# sizes, weights, blur, resolution, noise, fax, JPEG); dev pages tune decoder constants only.
OCR_PAGES = {"eng": 150, "vie": 90}
DEV_PAGES = 10
# Further eng pages printed with heavy ink (toner, photocopies): the damage that leaves a word
# wrong in two or three places ('phuténg', 'd6éi'), underrepresented among the random styles.
HEAVY_PAGES = 60
# Further eng pages in Times New Roman (Tinos regular and bold, 36-46 px, at least 210 dpi, no
# fax), the face of most official documents: dev legacy OCR (fields set) 96.59% -> 96.66%
# syllables. Its rarest readings ('ủy' read 'tty' or 'try') are still too few to learn.
TIMES_PAGES = 60
OCR_LINES_PER_PAGE = 30
# Fonts of the training pages; FreeSerif is kept for evaluation (a font the channel never saw).
# Times New Roman (Tinos / Liberation Serif metrics) is what official documents use: most pages.
TRAIN_FONTS = (("tinos", 6), ("tinos-bold", 3), ("liberation-serif", 3), ("liberation-serif-bold", 1),
               ("tinos-italic", 1), ("arimo", 2), ("arimo-bold", 1), ("liberation-sans", 1),
               ("dejavu-serif", 2), ("dejavu-serif-bold", 1), ("dejavu-sans", 2), ("dejavu-sans-bold", 1))  # fmt: skip
UPPER_SHARE = 0.08  # lines printed in capitals, as headings are


def training_style(rng: random.Random) -> PrintStyle:
    """A random way of printing and scanning a training page."""
    names, weights = zip(*TRAIN_FONTS, strict=True)
    return PrintStyle(
        font=rng.choices(names, weights)[0],
        size=rng.randint(30, 48),
        ink=rng.choice((-1, 0, 0, 0, 1, 1)),
        blur=rng.choice((0.0, 0.0, 0.0, 0.5, 0.8, 1.1)),
        scale=rng.choice((1.0, 1.0, 1.0, 0.7, 0.55, 0.45)),
        noise=rng.choice((0.0, 0.0, 0.0, 0.2, 0.4)),
        threshold=rng.choice((0, 0, 0, 0, 130, 160)),
        jpeg=rng.choice((0, 0, 0, 20, 35, 60)),
    )


def _sample_ocr_lines(corpus: Path, seed: int = 7) -> list[str]:
    """Training sentences for the OCR error model, cut to print width; never held-out text."""
    rng = random.Random(seed)
    pool: list[str] = []
    for source, index, line in iter_corpus_lines(corpus):
        if source == "law" and index >= HELDOUT_LAW_FROM:
            continue
        if 40 <= len(line) and rng.random() < 0.04:
            pool.append(line)
    rng.shuffle(pool)
    out = []
    for line in pool:
        words, cur = line.split(), ""
        for w in words:
            if len(cur) + len(w) + 1 > 80:
                break
            cur = f"{cur} {w}".strip()
        if len(cur) >= 30:
            out.append(cur.upper() if rng.random() < UPPER_SHARE else cur)
    return out


def _ocr_job(args: tuple[list[str], str, PrintStyle]) -> list[tuple[str, str]]:
    lines, lang, style = args
    got = ocr_lines(lines, "eng" if lang in ("heavy", "times") else lang, style=style)
    return [(t, g) for t, g in zip(lines, got, strict=True) if g]


def ocr_jobs(lines: list[str]) -> tuple[list[tuple[list[str], str, PrintStyle]], int]:
    """(page lines, engine or page kind, style) of every OCR training page, and the lines used.
    Each kind of page draws its styles from its own seed, so adding a kind leaves the others as
    they were (and their cached OCR valid)."""
    rng = random.Random(5)
    jobs = []  # dev pages last per engine
    at = 0
    for lang, pages in OCR_PAGES.items():
        for _ in range(pages + DEV_PAGES):
            jobs.append((lines[at : at + OCR_LINES_PER_PAGE], lang, training_style(rng)))
            at += OCR_LINES_PER_PAGE
    heavy_rng = random.Random(9)
    for _ in range(HEAVY_PAGES):
        style = replace(training_style(heavy_rng), ink=1)
        jobs.append((lines[at : at + OCR_LINES_PER_PAGE], "heavy", style))
        at += OCR_LINES_PER_PAGE
    times_rng = random.Random(13)
    for _ in range(TIMES_PAGES):
        base = training_style(times_rng)
        style = replace(base, font=times_rng.choice(("tinos", "tinos", "tinos-bold")), size=times_rng.randint(36, 46),
                        scale=max(base.scale, 0.7), threshold=0)  # fmt: skip
        jobs.append((lines[at : at + OCR_LINES_PER_PAGE], "times", style))
        at += OCR_LINES_PER_PAGE
    return jobs, at


def stage_ocr(corpus: Path, work: Path, workers: int) -> None:
    lines = _sample_ocr_lines(corpus)
    jobs, at = ocr_jobs(lines)
    if at > len(lines):
        raise SystemExit(f"ocr: {len(lines)} candidate lines, {at} needed")
    print(f"ocr: {len(lines)} candidate lines, using {at} on {len(jobs)} pages")
    t0 = time.time()
    results: dict[str, list[tuple[str, str]]] = {"eng": [], "vie": [], "dev_eng": [], "dev_vie": []}
    seen: dict[str, int] = {}
    with ProcessPoolExecutor(workers) as pool:
        for (_, lang, _), pairs in zip(jobs, pool.map(_ocr_job, jobs), strict=True):
            seen[lang] = seen.get(lang, 0) + 1
            if lang in ("heavy", "times"):
                results["eng"].extend(pairs)
                continue
            results[("dev_" if seen[lang] > OCR_PAGES[lang] else "") + lang].extend(pairs)
            if sum(seen.values()) % 20 == 0:
                print(f"ocr: {sum(seen.values())} pages ({time.time() - t0:.0f} s)", flush=True)
    for name, pairs in results.items():
        with open(work / f"ocr_{name}.tsv", "w", encoding="utf-8") as f:
            for t, g in pairs:
                f.write(f"{t}\t{g}\n")
        print(f"ocr: {name}: {len(pairs)} line pairs")
    print(f"ocr: {time.time() - t0:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--work", type=Path, default=Path("/tmp/vanban-restore-train"))
    ap.add_argument("--out", type=Path, default=ROOT / "models")
    ap.add_argument("--stages", default="ocr,lm,channel")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    stages = set(args.stages.split(","))
    if "ocr" in stages:
        stage_ocr(args.corpus, args.work, args.workers)
    if "lm" in stages:
        from pipeline.training.restore_model import form_lines, gazetteer_lines, train_lm

        train_lm(args.corpus, args.out, gazetteer_lines() + form_lines())
    if "lm" in stages or "caps" in stages:
        from pipeline.training.restore_model import train_caps_d

        train_caps_d(args.corpus, args.out)
    if "channel" in stages:
        from pipeline.training.restore_model import train_channel

        train_channel(args.work, args.corpus, args.out)


if __name__ == "__main__":
    main()
