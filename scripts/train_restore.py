"""Train the diacritic-restoration models from ../shared/corpus: one command, reproducible.

    nice -n 10 .venv/bin/python scripts/train_restore.py            # all stages
    nice -n 10 .venv/bin/python scripts/train_restore.py --stages ocr,channel

Stages: ``ocr`` renders training sentences to pages and OCRs them with Tesseract eng and vie
(cached under --work); ``lm`` counts the syllable trigram LM; ``channel`` learns the OCR error
model from the cached OCR pairs. Held out from everything: vn-law lines from HELDOUT_LAW_FROM on
and /work/shared/texts (see models/restore-v1/README.md).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.training.corpus import HELDOUT_LAW_FROM, iter_corpus_lines  # noqa: E402
from pipeline.training.render import ocr_lines  # noqa: E402

OCR_PAGES = 60  # per engine; 30 lines a page
DEV_PAGES = 6  # per engine, for tuning decoder constants (not used to learn the channel)
OCR_LINES_PER_PAGE = 30


def _sample_ocr_lines(corpus: Path, seed: int = 7) -> list[str]:
    """Training sentences for the OCR error model, cut to print width; never held-out text."""
    rng = random.Random(seed)
    pool: list[str] = []
    for source, index, line in iter_corpus_lines(corpus):
        if source == "law" and index >= HELDOUT_LAW_FROM:
            continue
        if 40 <= len(line) and rng.random() < 0.02:
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
            out.append(cur)
    return out


def _ocr_job(args: tuple[list[str], str, int, float, int]) -> list[tuple[str, str]]:
    lines, lang, size, degrade, seed = args
    got = ocr_lines(lines, lang, size=size, degrade=degrade, seed=seed)
    return [(t, g) for t, g in zip(lines, got, strict=True) if g]


def stage_ocr(corpus: Path, work: Path, workers: int) -> None:
    lines = _sample_ocr_lines(corpus)
    need = (OCR_PAGES + DEV_PAGES) * OCR_LINES_PER_PAGE
    print(f"ocr: {len(lines)} candidate lines, using {2 * need}")
    jobs = []
    for e, lang in enumerate(("eng", "vie")):
        chunk = lines[e * need : (e + 1) * need]
        for p in range(OCR_PAGES + DEV_PAGES):
            page = chunk[p * OCR_LINES_PER_PAGE : (p + 1) * OCR_LINES_PER_PAGE]
            size = (32, 36, 40, 44)[p % 4]
            degrade = (0.0, 0.3, 0.5, 0.6)[(p // 2) % 4] if lang == "vie" else (0.0, 0.3, 0.5)[p % 3]
            jobs.append((page, lang, size, degrade, p))
    t0 = time.time()
    results: dict[str, list[tuple[str, str]]] = {"eng": [], "vie": [], "dev_eng": [], "dev_vie": []}
    with ProcessPoolExecutor(workers) as pool:
        for job, pairs in zip(jobs, pool.map(_ocr_job, jobs), strict=True):
            dev = job[4] >= OCR_PAGES
            results[("dev_" if dev else "") + job[1]].extend(pairs)
    for lang, pairs in results.items():
        with open(work / f"ocr_{lang}.tsv", "w", encoding="utf-8") as f:
            for t, g in pairs:
                f.write(f"{t}\t{g}\n")
        print(f"ocr: {lang}: {len(pairs)} line pairs")
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
        from pipeline.training.restore_model import train_lm

        train_lm(args.corpus, args.out)
    if "lm" in stages or "caps" in stages:
        from pipeline.training.restore_model import train_caps_d

        train_caps_d(args.corpus, args.out)
    if "channel" in stages:
        from pipeline.training.restore_model import train_channel

        train_channel(args.work, args.corpus, args.out)


if __name__ == "__main__":
    main()
