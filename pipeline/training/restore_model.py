"""Model training (called by scripts/train_restore.py): syllable trigram LM and OCR error model."""

from __future__ import annotations

import json
import time
from collections import Counter
from pathlib import Path

import numpy as np
import regex

from pipeline.restore.syllable import canonical
from pipeline.training.corpus import HELDOUT_LAW_FROM, iter_corpus_lines
from pipeline.vietnamese import nfc

MODEL_NAME = "restore-v2"
LM_TOKEN_RE = regex.compile(r"[^\W\d_]+|\d+|[^\w\s]")
# A Title-case word right after a lowercase word (or a comma): capitalised mid-sentence, i.e. a name.
MID_CAP_RE = regex.compile(r"(?<=[\p{Ll}\d,] )\p{Lu}\p{Ll}+(?![\p{L}\d])")
MIN_SYLLABLE_COUNT = 3
MIN_ABBREV_COUNT = 20
# All-caps tokens (also the parts of symbols like 'QĐ-UBND') for the Đ inventory: an upper-case
# abbreviation whose Đ was folded to D ('HDND', 'GSDT') is restored from these counts.
CAPS_RE = regex.compile(r"(?<![^\W\d_])[\p{Lu}]{2,8}(?![^\W\d_])")
MIN_CAPS_D_COUNT = 3
# The law corpus is counted twice: administrative prose is the register nearest to official
# letters (fields dev set, accent-stripped line by line: 97.79% -> 97.86%; its legacy OCR CER
# 1.54% -> 1.49%). Its trigrams seen once are thus kept, Wikipedia's still pruned.
LAW_TIMES = 2
# Special ids; syllables follow.
BOS, EOS, UNK, NUM = 0, 1, 2, 3
SPECIALS = ("<s>", "</s>", "<unk>", "<num>")


def _training_lines(corpus: Path, law_times: int = 1):
    for source, index, line in iter_corpus_lines(corpus):
        if source == "law" and index >= HELDOUT_LAW_FROM:
            continue
        for _ in range(law_times if source == "law" else 1):
            yield nfc(line)


def _discount(counts: np.ndarray) -> float:
    n1 = int((counts == 1).sum())
    n2 = int((counts == 2).sum())
    return n1 / (n1 + 2 * n2) if n1 + n2 else 0.5


def _group_sum(keys: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unique sorted keys and the sum of ``values`` per key."""
    uniq, inv = np.unique(keys, return_inverse=True)
    return uniq, np.bincount(inv, weights=values, minlength=len(uniq))


def _lookup(sorted_keys: np.ndarray, values: np.ndarray, query: np.ndarray, default: float) -> np.ndarray:
    pos = np.searchsorted(sorted_keys, query)
    pos = np.minimum(pos, len(sorted_keys) - 1)
    hit = sorted_keys[pos] == query
    return np.where(hit, values[pos], default)


def train_lm(corpus: Path, out: Path, extra: list[tuple[str, int]] = (), law_times: int = LAW_TIMES) -> None:
    """Interpolated Kneser–Ney trigram LM over syllables and abbreviations; trigrams seen once are
    pruned. ``extra``: (line, times) added to the training text (the gazetteer's phrases, the
    documents' fixed wording); their syllables enter the vocabulary however rare. ``law_times``:
    how many times the law corpus is counted."""
    t0 = time.time()
    raw = Counter()  # tokens as written (case kept)
    mid_caps = Counter()
    lines = []
    n_extra = len(extra)
    extra_syllables: set[str] = set()
    for line, times in extra:
        for _ in range(times):
            lines.append(line)
        for tok in LM_TOKEN_RE.findall(line):
            if (can := canonical(tok.lower())) is not None:
                extra_syllables.add(can)
    for line in _training_lines(corpus, law_times):
        lines.append(line)
    for line in lines:
        raw.update(LM_TOKEN_RE.findall(line))
        mid_caps.update(MID_CAP_RE.findall(line))
    syl_count: Counter[str] = Counter()
    abbr_count: Counter[str] = Counter()
    to_canon: dict[str, str] = {}
    for tok, c in raw.items():
        if not tok[0].isalpha():
            continue
        if can := canonical(tok.lower()):
            syl_count[can] += c
            to_canon[tok] = can
        elif len(tok) >= 2 and tok.isupper():
            abbr_count[tok] += c  # 'UBND', 'HĐND', 'KH', 'TW': context for the words around them
    syllables = sorted(s for s, c in syl_count.items() if c >= MIN_SYLLABLE_COUNT or s in extra_syllables)
    abbrevs = sorted(a for a, c in abbr_count.items() if c >= MIN_ABBREV_COUNT)
    vocab = list(SPECIALS) + syllables + abbrevs
    ids = {s: i for i, s in enumerate(vocab)}
    tok_id: dict[str, int] = {}
    for tok in raw:
        if tok.isdigit():
            tok_id[tok] = NUM
        elif tok[0].isalpha():
            tok_id[tok] = ids.get(tok) if tok in ids and tok.isupper() else ids.get(to_canon.get(tok, ""), UNK)
        else:
            tok_id[tok] = EOS  # punctuation ends a phrase
    print(f"lm: vocabulary {len(syllables)} syllables, {len(abbrevs)} abbreviations ({time.time() - t0:.0f} s)")

    seq: list[int] = []
    for line in lines:
        seq.extend((BOS, BOS))
        prev_eos = True
        for tok in LM_TOKEN_RE.findall(line):
            i = tok_id[tok]
            if i == EOS:
                if not prev_eos:
                    seq.extend((EOS, BOS, BOS))
                    prev_eos = True
            else:
                seq.append(i)
                prev_eos = False
        if not prev_eos:
            seq.append(EOS)
        else:
            del seq[-2:]
    del lines
    a = np.asarray(seq, dtype=np.int64)
    del seq
    V = len(vocab)
    n_tokens = int(((a != BOS) & (a != EOS)).sum())
    print(f"lm: {n_tokens} training tokens ({time.time() - t0:.0f} s)")

    # Trigram counts (windows never start inside an ended phrase).
    ok3 = (a[:-2] != EOS) & (a[1:-1] != EOS) & (a[2:] != BOS)
    k3 = ((a[:-2] * V + a[1:-1]) * V + a[2:])[ok3]
    tri_keys, tri_c = np.unique(k3, return_counts=True)
    del k3
    D3 = _discount(tri_c)
    ctx3 = tri_keys // V  # (u, v)
    ctx_keys, ctx_total = _group_sum(ctx3, tri_c.astype(np.float64))
    _, ctx_types = _group_sum(ctx3, np.ones(len(ctx3)))
    gamma3 = D3 * ctx_types / ctx_total

    # Bigram continuation counts N1+(. v w) from the trigram types.
    bw = tri_keys % (V * V)
    bi_keys, bi_cont = _group_sum(bw, np.ones(len(bw)))
    D2 = _discount(bi_cont)
    v_of = bi_keys // V
    v_keys, v_total = _group_sum(v_of, bi_cont)
    _, v_types = _group_sum(v_of, np.ones(len(v_of)))
    gamma2_v = np.zeros(V)
    total_v = np.zeros(V)
    gamma2_v[v_keys] = D2 * v_types / v_total
    total_v[v_keys] = v_total

    # Unigram continuation N1+(. w), add-one smoothed over the vocabulary.
    w_cont = np.bincount(bi_keys % V, minlength=V).astype(np.float64)
    w_cont[BOS] = 0
    p1 = (w_cont + 1.0) / (w_cont.sum() + V)

    p2 = np.maximum(bi_cont - D2, 0) / total_v[v_of] + gamma2_v[v_of] * p1[bi_keys % V]
    # Full trigram probability for the kept trigrams.
    keep = tri_c >= 2
    tk = tri_keys[keep]
    p2_of_tri = _lookup(bi_keys, p2, tk % (V * V), 0.0)
    miss = p2_of_tri == 0
    if miss.any():
        vv, ww = (tk[miss] % (V * V)) // V, tk[miss] % V
        p2_of_tri[miss] = gamma2_v[vv] * p1[ww]
    tot = _lookup(ctx_keys, ctx_total, tk // V, 1.0)
    g3 = _lookup(ctx_keys, gamma3, tk // V, 1.0)
    p3 = np.maximum(tri_c[keep] - D3, 0) / tot + g3 * p2_of_tri
    print(f"lm: {len(tri_keys)} trigrams, {keep.sum()} kept; {len(bi_keys)} bigrams; D3={D3:.3f} D2={D2:.3f}")

    model = out / MODEL_NAME
    model.mkdir(parents=True, exist_ok=True)
    np.save(model / "tri_keys.npy", tk.astype(np.int64))
    np.save(model / "tri_lp.npy", np.log10(p3).astype(np.float16))
    np.save(model / "bi_keys.npy", bi_keys.astype(np.int64))
    np.save(model / "bi_lp.npy", np.log10(p2).astype(np.float16))
    # Backoff weight of each (u, v) context, stored on the bigram (u, v) where it exists.
    ctx_bo = _lookup(ctx_keys, np.log10(gamma3), bi_keys, 0.0)
    np.save(model / "bi_bo.npy", ctx_bo.astype(np.float16))
    extra = np.setdiff1d(ctx_keys, bi_keys)  # contexts such as (<s>, <s>) that are not bigrams
    np.save(model / "ctx_keys.npy", extra.astype(np.int64))
    np.save(model / "ctx_bo.npy", _lookup(ctx_keys, np.log10(gamma3), extra, 0.0).astype(np.float16))
    np.save(model / "uni_lp.npy", np.log10(p1).astype(np.float32))
    # Plain relative frequency (add-one), for pruning candidates before the lattice: the KN
    # continuation unigram underrates words that follow few others ('dụng' after 'sử', 'áp').
    freq = np.ones(V)
    for s, c in syl_count.items():
        if s in ids:
            freq[ids[s]] += c
    for a in abbrevs:
        freq[ids[a]] += abbr_count[a]
    np.save(model / "uni_freq.npy", np.log10(freq / freq.sum()).astype(np.float32))
    # How often each syllable is written capitalised mid-sentence (a name): P(cap | syllable),
    # the case part of the channel ('Long An', 'Kiến An': 'An' far more than 'Án').
    caps = np.zeros(V)
    for tok, c in mid_caps.items():
        can = canonical(tok.lower())
        if can in ids:
            caps[ids[can]] += c
    np.save(model / "cap_lp.npy", np.log10((caps + 0.5) / (freq + 1.0)).astype(np.float32))
    np.save(model / "uni_bo.npy", np.log10(np.maximum(gamma2_v, 1e-12)).astype(np.float32))
    (model / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    meta = {"vocab": V,
        "abbreviations": len(abbrevs),
        "extra_lines": n_extra, "law_times": law_times, "tokens": n_tokens, "trigrams_kept": int(keep.sum()),
        "bigrams": len(bi_keys),
            "D3": D3, "D2": D2, "heldout_law_from": HELDOUT_LAW_FROM}
    (model / "lm.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(f"lm: wrote {model} ({time.time() - t0:.0f} s)")


def train_caps_d(corpus: Path, out: Path) -> None:
    """Counts of all-caps tokens that contain D or Đ (``caps_d.tsv``: token, count).

    The decoder restores an upper-case token's folded Đ when its Đ spelling is the more common
    one here, and an abbreviation not here from the pieces of this inventory it is built of.
    """
    t0 = time.time()
    counts: Counter[str] = Counter()
    for line in _training_lines(corpus):
        if "D" in line or "Đ" in line:
            counts.update(t for t in CAPS_RE.findall(line) if "D" in t or "Đ" in t)
    keep = sorted((t, c) for t, c in counts.items() if c >= MIN_CAPS_D_COUNT and not canonical(t.lower()))
    model = out / MODEL_NAME
    (model / "caps_d.tsv").write_text("".join(f"{t}\t{c}\n" for t, c in keep), encoding="utf-8")
    print(f"caps_d: {len(keep)} tokens ({time.time() - t0:.0f} s)")


def align_pieces(truth: str, ocr: str) -> list[tuple[str, str]]:
    """(true char, observed piece) for each char of ``truth``, from a Levenshtein alignment.

    A true char may come out as nothing, one char, or several ('ủ' -> 'ii', 'ư' -> 'uw'). Inserted
    chars belong to the misread char beside them: to the true char after them where that one is
    misread and the one before is not ('công' -> 'c6éng' is 'ô' -> '6é', 'sử' -> 'sir' is 'ử' ->
    'ir'; attached to 'c' and 's' they taught the channel 'c' -> 'c6', which reads no 'n6éng' as
    'nông'), else to the true char before them.
    """
    from rapidfuzz.distance import Levenshtein

    pieces = [[t, ""] for t in truth]
    ops = Levenshtein.opcodes(truth, ocr)
    ahead = ""  # inserted chars that belong to the next true char
    for i, op in enumerate(ops):
        n, m = op.src_end - op.src_start, op.dest_end - op.dest_start
        if op.tag == "equal" or (op.tag == "replace" and n == m):
            for k in range(n):
                pieces[op.src_start + k][1] += ocr[op.dest_start + k]
        elif op.tag == "replace":
            for k in range(n):
                a, b = op.dest_start + (k * m) // n, op.dest_start + ((k + 1) * m) // n
                pieces[op.src_start + k][1] += ocr[a:b]
        elif op.tag == "insert":
            inserted = ocr[op.dest_start : op.dest_end]
            before_misread = i > 0 and ops[i - 1].tag != "equal"
            if i + 1 < len(ops) and ops[i + 1].tag == "replace" and not before_misread:
                ahead = inserted
                continue
            at = op.src_start - 1 if op.src_start > 0 else 0
            if pieces:
                pieces[at][1] += inserted
        if ahead and op.tag == "replace":
            pieces[op.src_start][1] = ahead + pieces[op.src_start][1]
            ahead = ""
    return [(t, o) for t, o in pieces]


def _ambig_prior(corpus: Path) -> dict[tuple[str, str], float]:
    """Tesseract's own single-char ambiguities (observed -> true) as prior pseudo-counts."""
    prior: dict[tuple[str, str], float] = {}
    for line in (corpus / "vie.unicharambigs").read_text(encoding="utf-8").splitlines()[1:]:
        f = line.split("\t")
        if len(f) >= 4 and f[0] == "1" and f[2] == "1":
            obs, true = nfc(f[1]).lower(), nfc(f[3]).lower()
            if obs != true:
                prior[(true, obs)] = 1.0
    return prior


# Latin-OCR confusions seen on real scans (bold or low-resolution headings) that clean renders
# rarely produce: (true char, observed piece, floor probability) for the eng engine.
ENG_LOOKALIKES = (("đ", "p", 0.003),)
MIN_LINE_SIMILARITY = 0.7  # accent-blind similarity an OCR line needs to teach the channel
POOL_WEIGHT = 4.0  # pseudo-counts a toned letter borrows from its toneless letter's row


def _pool_by_base(counts: Counter[tuple[str, str]]) -> Counter[tuple[str, str]]:
    """Share evidence between a toned letter and its toneless base ('ử' borrows from 'ư').

    Toned letters are individually rare in a few thousand OCR'd lines, but an engine treats 'ử'
    much like 'ư' plus a tone mark ('sử' -> 'sir' as 'ư' -> 'ir'), so each toned row gets
    POOL_WEIGHT pseudo-counts spread like its base row; a toneless observation of the base
    letter stays toneless ('ư' -> 'u' lends 'ử' -> 'u').
    """
    from pipeline.restore.syllable import TONE_MARKS, split_tone

    rows: dict[str, Counter[str]] = {}
    for (t, o), c in counts.items():
        rows.setdefault(t, Counter())[o] += c
    pooled = Counter(counts)
    toned = {nfc(v + m) for v in "aăâeêioôơuưy" for m in TONE_MARKS}
    for t in sorted(set(rows) | toned):
        base, tone = split_tone(t)
        if tone <= 0 or base == t or base not in rows:
            continue
        brow = rows[base]
        total = sum(brow.values())
        for o, c in brow.items():
            pooled[(t, o)] += POOL_WEIGHT * c / total
    return pooled


def train_channel(work: Path, corpus: Path, out: Path) -> None:
    """Per-engine P(observed piece | true char) from OCR'd renders of training sentences."""
    from pipeline.vietnamese import fold

    prior = _ambig_prior(corpus)
    tables = {}
    for lang in ("eng", "vie"):
        counts: Counter[tuple[str, str]] = Counter()
        n_lines = 0
        from rapidfuzz.distance import Levenshtein

        for row in (work / f"ocr_{lang}.tsv").read_text(encoding="utf-8").splitlines():
            truth, _, ocr = row.partition("\t")
            truth, ocr = nfc(truth).lower(), nfc(ocr).lower()
            if Levenshtein.normalized_similarity(fold(truth), fold(ocr)) < MIN_LINE_SIMILARITY:
                continue  # a line read as something else (merged, lost): its alignment is noise
            n_lines += 1
            for t, o in align_pieces(truth, ocr):
                if t.isalnum() and len(o) <= 3:
                    counts[(t, o)] += 1
        n_chars = sum(counts.values())
        counts = _pool_by_base(counts)
        totals: Counter[str] = Counter()
        for (t, _), c in counts.items():
            totals[t] += c
        table: dict[str, dict[str, float]] = {}
        letters = set(totals) | {t for t, _ in prior}
        for t in letters:
            row: dict[str, float] = {}
            # Pseudo-counts: identity and plain accent loss are always possible.
            pseudo = {t: 2.0, fold(t): 1.0}
            for (pt, po), c in prior.items():
                if pt == t:
                    pseudo[po] = pseudo.get(po, 0.0) + c
            seen = {o: c for (tt, o), c in counts.items() if tt == t}
            total = totals[t] + sum(pseudo.values())
            for o in set(seen) | set(pseudo):
                row[o] = round(float(np.log10((seen.get(o, 0) + pseudo.get(o, 0.0)) / total)), 3)
            table[t] = row
        if lang == "eng":
            for t, o, p in ENG_LOOKALIKES:
                table[t][o] = max(table[t].get(o, -99.0), round(float(np.log10(p)), 3))
        tables[lang] = table
        print(f"channel: {lang}: {n_lines} lines, {n_chars} aligned chars")
    model = out / MODEL_NAME
    model.mkdir(parents=True, exist_ok=True)
    (model / "channel.json").write_text(json.dumps(tables, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"channel: wrote {model / 'channel.json'}")


# How unit names stand in official documents: with their unit word, after the council,
# committee, Party committee or Fatherland Front, in the place-and-date line, beside their parent
# unit. Built into the LM at training time, so a damaged unit word and a damaged name are
# restored together ('phường Kiến An').
GAZETTEER_TEMPLATES = (
    "{full}",
    "Ủy ban nhân dân {full}",
    "UBND {full}",
    "Hội đồng nhân dân {full}, HĐND {full}",
    "trên địa bàn {full}",
    "{name}, ngày 19 tháng 9 năm 2025",
    "{full}, {parent}",
    "Đảng ủy {full}",
    "Ủy ban Mặt trận Tổ quốc Việt Nam {full}",
)


# The fixed wording of official documents (Nghị định 30/2020/NĐ-CP, Appendix I, and the Party's
# rules for its documents): national and Party headers, document types, urgency and secrecy
# marks, salutation, closings, signature authority, the Nơi nhận list, the parts of an
# invitation. Written here from those rules, not taken from any evaluation text. The corpus
# (Wikipedia, laws) has almost none of it: 'Kinh gui' was read 'Kinh giới' (a herb), 'Luu: VT'
# 'Lụt'. Each line enters the LM's training text FORM_TIMES times.
FORM_LINES = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ĐẢNG CỘNG SẢN VIỆT NAM",
    "Số:", "V/v", "Kính gửi:", "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "- Lưu: VT, VP.", "- Lưu văn thư.",
    "(để báo cáo);", "(để b/c);", "(để thực hiện);", "(để t/h);", "(để chỉ đạo);", "(để phối hợp);",
    "(để biết);", "để biết, thực hiện./.", "Trân trọng./.", "trân trọng kính mời:", "kính báo cáo./.",
    "kính trình", "xem xét, quyết định./.", "Thời gian:", "Địa điểm:", "Thành phần:",
    "TM. ỦY BAN NHÂN DÂN", "TM. HỘI ĐỒNG NHÂN DÂN", "TM. BAN THƯỜNG VỤ", "T/M BAN CHẤP HÀNH",
    "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "CHỦ TỊCH", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "GIÁM ĐỐC",
    "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "BỘ TRƯỞNG", "TL. BỘ TRƯỞNG", "TUQ. CHỦ TỊCH", "KT. THỦ TƯỚNG",
    "PHÓ THỦ TƯỚNG", "THỦ TƯỚNG", "CHÁNH VĂN PHÒNG", "BÍ THƯ", "PHÓ BÍ THƯ", "TRƯỞNG BAN",
    "HỎA TỐC", "THƯỢNG KHẨN", "KHẨN", "MẬT", "TỐI MẬT", "TUYỆT MẬT",
    "QUYẾT ĐỊNH", "NGHỊ QUYẾT", "CHỈ THỊ", "KẾ HOẠCH", "THÔNG BÁO", "BÁO CÁO", "TỜ TRÌNH", "HƯỚNG DẪN",
    "GIẤY MỜI", "CÔNG ĐIỆN", "KẾT LUẬN", "QUY CHẾ", "QUY ĐỊNH", "CHƯƠNG TRÌNH", "ĐỀ ÁN", "BIÊN BẢN",
    "GIẤY GIỚI THIỆU", "CÔNG VĂN",
)  # fmt: skip
# A unit's own documents name it by its unit word alone ('UBND phường;', 'Đảng ủy xã'): the
# gazetteer's phrases always go on with a name, the law corpus has 'địa phương', so a bare
# 'phuong' was read 'phương'. Each unit word of the gazetteer in these, FORM_TIMES times.
UNIT_WORD_LINES = (
    "Ủy ban nhân dân {kind}", "UBND {kind}", "Chủ tịch UBND {kind}", "Phó Chủ tịch UBND {kind}",
    "Văn phòng HĐND và UBND {kind}", "Hội đồng nhân dân {kind}", "Đảng ủy {kind}", "Thường trực Đảng ủy {kind}",
    "Ủy ban Mặt trận Tổ quốc Việt Nam {kind}",
)  # fmt: skip
FORM_TIMES = 100


def form_lines(times: int = FORM_TIMES) -> list[tuple[str, int]]:
    """(line, times) for the fixed wording of official documents (FORM_LINES, UNIT_WORD_LINES)."""
    from pipeline.gazetteer import get_gazetteer

    kinds = sorted({unit.kind for unit in get_gazetteer().units})
    lines = list(FORM_LINES) + [t.format(kind=k) for t in UNIT_WORD_LINES for k in kinds]
    return [(nfc(line), times) for line in lines]


def gazetteer_lines() -> list[tuple[str, int]]:
    """(line, times) for every unit of both maps (the gazetteer in models/gazetteer-v1)."""
    from pipeline.gazetteer import get_gazetteer

    gaz = get_gazetteer()
    out = []
    for unit in gaz.units:
        parent = gaz.parent(unit)
        for template in GAZETTEER_TEMPLATES:
            if "{parent}" in template and parent is None:
                continue
            line = template.format(full=unit.full, name=unit.name, parent=parent.full if parent else "")
            out.append((nfc(line), 1))
    return out
