"""Write the bundled sample scans and their ground truth: ``python scripts/make_samples.py --out samples``.

Every sample is a document source from ``samples/src/`` rendered by ``scripts.samplegen`` and degraded
with a fixed recipe; page ``i`` of sample ``k`` is degraded with seed ``(seed * 100 + k) * 10 + i``,
so one ``--seed`` regenerates the whole set byte for byte.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import img2pdf
import numpy as np
from PIL import Image

if __package__ in (None, ""):  # run as a script: make `scripts` and `pipeline` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.samplegen import SOURCE_DIR, degrade, document_fields, load_document, page_texts, render_document

A4_PT = (img2pdf.mm_to_pt(210), img2pdf.mm_to_pt(297))
JPEG_QUALITY = 60


@dataclass(frozen=True)
class Sample:
    name: str
    source: str  # stem of samples/src/<source>.json
    degradations: tuple[str, ...]
    fmt: str = "pdf"  # pdf | tiff | png


# A varied set: clean, every degradation at least once, some combined, both low resolutions.
SAMPLES = (
    Sample("01-cv-kien-an-clean", "cv-kien-an-binh-chon-san-pham-2025", ()),
    Sample("02-kh-ubnd-skew-yellow", "kh-ubnd-hai-phong-cnnt-2025", ("skew", "yellow")),
    Sample("03-ttr-ktht-rotate90", "ttr-ktht-kinh-phi-binh-chon-2025", ("rotate90",)),
    Sample("04-gm-sct-150dpi-blur", "gm-sct-tap-huan-cnnt-2025", ("dpi150", "blur")),
    Sample("05-bc-kien-an-200dpi-noise", "bc-ubnd-kien-an-cong-nghiep-9-thang-2025", ("dpi200", "noise")),
    Sample("06-qd-kien-an-faint-jpeg", "qd-ubnd-kien-an-hoi-dong-binh-chon-2025", ("faint", "jpeg")),
    Sample("07-cv-bql-borders-holes-skew", "cv-bql-hang-viet-nam-2024", ("borders", "punch_holes", "skew")),
    Sample("08-tb-skhcn-rotate180", "tb-skhcn-tiep-nhan-ho-so-gtclqg-2025", ("rotate180", "borders")),
    Sample("09-cv-skhcn-yellow-blur-jpeg", "cv-skhcn-giai-thuong-chat-luong-2025", ("yellow", "blur", "jpeg")),
    Sample("10-cv-kien-an-worst", "cv-kien-an-binh-chon-san-pham-2025",
           ("skew", "yellow", "borders", "dpi200", "noise", "jpeg")),
    Sample("11-qd-kien-an-fax", "qd-ubnd-kien-an-hoi-dong-binh-chon-2025", ("skew",), "tiff"),
    Sample("12-tb-skhcn-photo", "tb-skhcn-tiep-nhan-ho-so-gtclqg-2025", ("dpi200",), "png"),
)


def _colourful(image: Image.Image) -> bool:
    """Keep colour only where it carries something (seal, signature, yellowed paper)."""
    arr = np.asarray(image.convert("RGB")).astype(np.int16)
    chroma = arr.max(axis=2) - arr.min(axis=2)
    return bool((chroma > 50).mean() > 1e-4)


def _jpeg(image: Image.Image, dpi: int) -> bytes:
    if not _colourful(image):
        image = image.convert("L")
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=JPEG_QUALITY, dpi=(dpi, dpi))
    return buf.getvalue()


def _write(path: Path, sample: Sample, pages: list[Image.Image], dpi: int) -> None:
    if sample.fmt == "pdf":
        layout = img2pdf.get_layout_fun(pagesize=A4_PT, auto_orient=True)
        data = img2pdf.convert([_jpeg(p, dpi) for p in pages], layout_fun=layout, nodate=True,
                               engine=img2pdf.Engine.internal)
        path.write_bytes(data)
    elif sample.fmt == "tiff":  # bilevel, CCITT group 4: what office fax-scanners produce
        bw = [p.convert("L").point(lambda v: 255 if v > 150 else 0).convert("1") for p in pages]
        bw[0].save(path, "TIFF", compression="group4", dpi=(dpi, dpi), save_all=True, append_images=bw[1:])
    elif sample.fmt == "png":
        if len(pages) != 1:
            raise ValueError(f"{path}: PNG samples must have one page, got {len(pages)}")
        pages[0].quantize(colors=32, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            path, "PNG", dpi=(dpi, dpi), optimize=True)
    else:
        raise ValueError(f"{path}: unknown sample format {sample.fmt!r}")


def make_sample(sample: Sample, index: int, out: Path, seed: int, source_dir: Path = SOURCE_DIR) -> dict:
    """Render, degrade and write one sample and its ground-truth JSON; return that JSON."""
    doc = load_document(source_dir / f"{sample.source}.json")
    sample_seed = seed * 100 + index
    clean = render_document(doc, dpi=300)
    texts = page_texts(doc)
    degraded, infos = [], []
    for i, page in enumerate(clean):
        img, info = degrade(page, sample.degradations, seed=sample_seed * 10 + i)
        degraded.append(img)
        infos.append(info)
    dpi = infos[0]["dpi"]
    path = out / f"{sample.name}.{sample.fmt}"
    _write(path, sample, degraded, dpi)
    truth = {
        "file": path.name,
        "source": f"samples/src/{sample.source}.json",
        "seed": sample_seed,
        "degradations": infos[0]["degradations"],
        "pages": [{"text": text, "skew": info["skew"], "rotation": info["rotation"], "dpi": info["dpi"]}
                  for text, info in zip(texts, infos, strict=True)],
        "fields": document_fields(doc),
    }
    (out / f"{sample.name}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=2) + "\n",
                                             encoding="utf-8")
    return truth


def _readme(out: Path, rows: list[tuple[Sample, dict]]) -> None:
    lines = [
        "# Sample scans",
        "",
        "Generated by `python scripts/make_samples.py --out samples --seed 0` from the document sources in",
        "`src/` (rendering and degradations: `scripts/samplegen.py`). Do not edit by hand: change a source",
        "or the recipe in `scripts/make_samples.py` and regenerate; the output is byte-for-byte",
        "deterministic for a given seed.",
        "",
        "Each `<name>.<ext>` has a `<name>.json` with the ground truth: `pages[i].text` (blocks in reading",
        "order: page number, header left, header right, title, Kính gửi, body, Nơi nhận, signature;",
        "separated by blank lines, one printed line per line, whitespace collapsed), `skew` (degrees the",
        "content is turned counter-clockwise), `rotation` (clockwise turn that makes the page upright, as",
        "`CleanPage.rotation`), `dpi`, and `fields` in the `Fields.to_json()` schema. The seal and the",
        "handwritten signature are ink, not text, so they are not in the page text.",
        "",
        "| Sample | Source | Degradations | Pages | dpi | Size (KB) |",
        "|---|---|---|---:|---:|---:|",
    ]
    for sample, truth in rows:
        size = (out / truth["file"]).stat().st_size
        degs = ", ".join(truth["degradations"]) or "clean"
        dpis = sorted({p["dpi"] for p in truth["pages"]})
        lines.append(f"| `{truth['file']}` | `{sample.source}` | {degs} | {len(truth['pages'])} | "
                     f"{', '.join(map(str, dpis))} | {size // 1024} |")
    lines += [
        "",
        "Sources: the three `cv-*` documents are real (from `../shared/texts/`, wording kept, including",
        "their blank numbers and dates; the header lines missing from the BQL and SKHCN texts are",
        "reconstructed from the issuer named in their body). The other six are written for these samples",
        "(fictional content, realistic form). In `fields.references`, `number` is the part before the",
        "first `/` and `symbol` the rest (`55` and `2018/NĐ-CP`); a law cited without a number has",
        "`number` and `symbol` null.",
        "",
    ]
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("samples"), help="output folder (default: samples)")
    parser.add_argument("--seed", type=int, default=0, help="seed of every degradation (default: 0)")
    parser.add_argument("--only", nargs="*", default=None, help="names of the samples to write (default: all)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for index, sample in enumerate(SAMPLES):
        if args.only and sample.name not in args.only:
            continue
        truth = make_sample(sample, index, args.out, args.seed)
        size = (args.out / truth["file"]).stat().st_size
        print(f"{truth['file']}: {len(truth['pages'])} page(s), {', '.join(truth['degradations']) or 'clean'}, "
              f"{size / 1024:.0f} KB", flush=True)
        rows.append((sample, truth))
    if not args.only:
        _readme(args.out, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
