"""One lattice column per token: candidate syllables with channel scores, or a fixed output.

Everything here depends on one token (and a little of its context) and the loaded model only, so
results are remembered in the model's DecoderCache.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import regex

from pipeline.citation import d_spelling
from pipeline.restore.model import NUM, UNK, Model
from pipeline.restore.syllable import canonical, restyle
from pipeline.vietnamese import fold

# Letters only Vietnamese produces: a Latin-script OCR engine hardly ever outputs them.
VIET_ONLY = regex.compile(r"[ăĩũơưđĂĨŨƠƯĐ\u1EA0-\u1EF9]")
ROMAN_RE = regex.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")

# Signature-block and heading abbreviations of Nghị định 30/2020 (rare in the corpus).
# PCT: Phó Chủ tịch; CB: a Party cell's (Chi bộ) symbol, '05-TTr/CB', one confusion from 'CĐ' (set 183)
ADMIN_ABBREVS = frozenset("TM KT TL TUQ TT Q QĐ NĐ CP KH CV TB BC TTr HĐND UBND VT PCT CB".split())
# Decoder constants (log10 units), tuned on training-side OCR pairs, not on evaluation text.
KEEP_UNKNOWN_LP = -2.5  # channel score of leaving a non-syllable token unchanged (names, foreign words)
# ... and of leaving a lowercase or digit-mangled one ('thye', 'ciia', 's6'): the LM's <unk> lumps all
# unknown words together, so keeping one specific garbled spelling must cost its share of <unk>.
KEEP_GARBLED_LP = -4.5
# ... in legacy OCR, where most such words are damaged syllables (dev: -4.5: 96.95%, -6.5: 97.23%).
KEEP_DAMAGED_LP = -6.5
# A token that is already a valid, known Vietnamese syllable in accented text (Tesseract vie, typed
# text) is replaced only on overwhelming evidence: every other candidate pays this much extra.
PROTECT_VALID_LP = -1.0  # vie CER on dev pages: 0: 0.557%, -0.5..-1.5: 0.549%, -2: 0.557%
# OCR word confidence (0..100), when the caller has it: an accented syllable Tesseract doubted loses
# the protection above. High confidence earns nothing extra: on held-out vie pages, 13 of 46 wrong
# words had confidence >= 90 (mostly a wrong tone: 'thấm' for 'thẩm' at 92-95, 'bố' for 'bổ' at 96.5).
CONF_DOUBT = 60.0
CASE_WEIGHT = 0.5  # weight of the case channel log10 P(case | syllable); dev: 0: 98.02%, 0.5: 98.11%, 1: 98.08%
# Channel mixture per regime: (engine, log10 weight). 'damaged': legacy (Latin-model) OCR.
MIXTURE = {
    "accented": (("vie", math.log10(0.97)), ("eng", math.log10(0.02)), ("strip", math.log10(0.001))),
    "plain": (("strip", math.log10(0.6)), ("eng", math.log10(0.4))),
    "noisy": (("strip", math.log10(0.6)), ("eng", math.log10(0.4))),
    "damaged": (("eng", math.log10(0.7)), ("strip", math.log10(0.3))),
}
# A token that is not a possible syllable but folds to one ('Kién': 'ie' exists only as 'iê') is
# read as each syllable of its fold at this channel cost per differing letter: the LM chooses.
NEAR_LP = -1.5
# A Latin-OCR word read with one letter too many, a mark read as a letter of its own ('Lutu' for
# 'Lưu'), costs this for the letter dropped. Dev (legacy OCR, fields set / training side), syllables:
# -1.5: 96.88 / 98.43%, -2.5: 97.13 / 98.49%, -3: 97.23 / 98.48%, -4: 97.09 / 98.38% (none: 96.88 / 98.17%).
GLYPH_LP = -3.0
# ... also for a syllable rarer than this (log10 unigram frequency). Dev: -5.5: 98.99 / 97.80%.
RARE_LP = -5.5
FLOOR = -5.0  # candidates less likely than this under the channel are not proposed
# A damaged token whose best channel reading is under EDIT_BELOW also gets the syllables one or two
# letters away (EDIT_MAX), EDIT_LP per edit, at most EDIT_LIMIT spellings. Dev legacy OCR (775 lines):
# none 97.89%, EDIT_LP -2.0: 97.87%, -2.5: 97.96%, -3.0: 97.97%; EDIT_MAX 1: 97.89%, 3: 97.75%.
EDIT_BELOW = -4.0
EDIT_MAX = 2
EDIT_LP = -2.5
EDIT_LIMIT = 12
FLOOR_DAMAGED = -6.5  # ... in legacy OCR, where a word may be damaged in two or three places ('phuféng')
# ... and for tokens that already spell a syllable (with or without accents): they are mostly
# right or one accent away, so a narrower search keeps candidate generation fast.
FLOOR_VALID = -3.0
MAX_CANDIDATES = 8  # 5: 97.7%, 6: 98.0%, 8: 98.3% dev syllable accuracy (10, 12: no further gain on held-out text)
PRUNE = 3.0  # drop candidates this much less likely (channel + unigram) than the best
# In legacy OCR the right word is often far down the channel's list ('Thu' for 'Thực': 'ự' read 'u' and
# the 'c' lost), so more are kept. Dev (training side / fields set), syllables: 8, 3: 98.55 / 97.59%;
# 10: 98.76 / 97.67%; 12: 98.81 / 97.69%; 16: 98.85 / 97.69%; 12 and 4: 98.86 / 97.72%; about 1.2x the time.
MAX_CANDIDATES_DAMAGED = 12
PRUNE_DAMAGED = 4.0
MIN_CAPS_D = 5  # corpus count an all-caps spelling with Đ needs before a folded token is given it
# An abbreviation the corpus never writes, read as pieces (_built_of): each piece costs about log10 of
# the corpus's size in words (a piece seen once is as unlikely as any), and an abbreviation of the
# LM's vocabulary with no D counts as seen ABBREV_COUNT times (it passed the LM's threshold).
PIECE_COST = 7.0
ABBREV_COUNT = 10
VOWELS = frozenset("AEIOUY")
MAX_TOKEN = 24  # longer tokens are never one or two damaged syllables: passed through unchanged

Candidates = tuple[list[int], list[float], list[str]]  # LM ids, channel log10 scores, forms


@dataclass
class Slot:
    """One token of a phrase with its candidate lattice column."""

    index: int  # into the token list
    ids: list[int]  # LM ids of the candidates
    ch: list[float]  # channel log10 scores
    forms: list[str]  # lowercase canonical forms ('' = keep the token as it is)
    soft: bool = False  # a line break before it may or may not end the phrase ('Kiến\nAn')


def candidates(model: Model, tok: str, regime: str, edits: bool = False) -> Candidates | None:
    """Candidate syllables for a word token; None: leave it alone."""
    return model.cache.get(("cand", tok, regime, edits), lambda: _make_candidates(model, tok, regime, edits))


def _make_candidates(model: Model, tok: str, regime: str, edits: bool) -> Candidates | None:
    """The channel is a mixture of the learned vie and eng OCR error models and plain accent
    stripping, weighted by what the surrounding text looks like."""
    low = tok.lower()
    can = canonical(low)
    obs = can if can else low
    found: dict[int, float] = {}
    uni = model.lm.uni_freq
    floor = FLOOR_VALID if can or fold(low) in model.by_fold else FLOOR_DAMAGED if regime == "damaged" else FLOOR
    for engine, weight in MIXTURE[regime]:
        if engine == "strip":
            if obs.isalpha() and not VIET_ONLY.search(obs):
                for i in model.by_fold.get(fold(obs), ()):
                    found[i] = _logadd(found.get(i), weight)
            continue
        if regime == "plain" and low.isascii() and low in model.plain_forms:
            continue  # accents lost and nothing else: stripping explains it, the OCR channel adds little
        for i, lp in _channel(model, obs, engine, floor).items():
            found[i] = _logadd(found.get(i), lp + weight)
    own = model.ids.get(can) if can else None
    if edits and (own is None or uni[own] < RARE_LP) and len(low) >= 3 and (low.isalpha() or _garbled(tok)):
        # Latin OCR reads a mark as a letter of its own ('Lutu' for 'Lưu', 'ting' for 'ứng'): the
        # word without one of its letters, under the channel, at GLYPH_LP for the letter dropped.
        # Also for a rare syllable ('ting', 'try': English in the corpus), rarely what was printed.
        for k in range(len(low)):
            for i, lp in _channel(model, low[:k] + low[k + 1 :], "eng", FLOOR).items():
                found[i] = max(found.get(i, -99.0), lp + GLYPH_LP)
    invalid = can is None and not low.isascii()  # looks accented, yet no syllable: OCR damage
    if invalid and (near := model.by_fold.get(fold(low))):
        for i in near:
            form = model.lm.vocab[i]
            lp = NEAR_LP * sum(a != b for a, b in zip(form, low, strict=False)) + NEAR_LP * abs(len(form) - len(low))
            found[i] = max(found.get(i, -99.0), lp)
    if edits and can is None and _misread(tok) and (not found or max(found.values()) < EDIT_BELOW):
        for i, lp in _edit_neighbours(model, low).items():
            found[i] = max(found.get(i, -99.0), lp)
    if not found:
        return None
    # Prune by channel + unigram frequency so the trigram lattice stays small (it is scored exhaustively).
    ranked = sorted(found.items(), key=lambda kv: -(kv[1] + uni[kv[0]]))
    top = ranked[0][1] + uni[ranked[0][0]]
    most, prune = (MAX_CANDIDATES_DAMAGED, PRUNE_DAMAGED) if regime == "damaged" else (MAX_CANDIDATES, PRUNE)
    best = [kv for kv in ranked[:most] if kv[1] + uni[kv[0]] >= top - prune or kv[0] == own]
    if own is not None and own in found and all(i != own for i, _ in best):
        best.append((own, found[own]))
    ids = [i for i, _ in best]
    chs = [lp for _, lp in best]
    forms = [model.lm.vocab[i] for i in ids]
    if own is None:
        ids.append(UNK)
        stripped = tok.isascii() and fold(low) in model.by_fold  # 'Viet', 'PHUONG': accents lost
        damaged = invalid or regime == "damaged" or _garbled(tok)
        keep = KEEP_GARBLED_LP if stripped or damaged else KEEP_UNKNOWN_LP
        chs.append(KEEP_DAMAGED_LP if regime == "damaged" else keep)
        forms.append("")
    elif regime == "accented" and (low != fold(low) or (tok[:1].isupper() and own in model.plain_ok)):
        chs = [x if i == own else x + PROTECT_VALID_LP for i, x in zip(ids, chs, strict=True)]
    return ids, chs, forms


def _channel(model: Model, obs: str, engine: str, floor: float) -> dict[int, float]:
    """The channel's readings of ``obs`` by ``engine`` (syllable id -> log10 P), once per token."""
    return model.cache.get(("channel", obs, engine, floor), lambda: model.channel.candidates(obs, engine, floor))


DIGITS = "0123456789"
DIGIT_LETTERS = str.maketrans("601453", "oolase")  # digits Latin OCR reads for letters ('d6i', 'x4')


def _edit_neighbours(model: Model, low: str) -> dict[int, float]:
    """Syllables whose letters (accents aside) are one or two edits from a word legacy OCR damaged
    beyond what the channel reaches ('phuténg', 'cyfc', 'dttng'), at EDIT_LP per edit; the
    most frequent two of each spelling. Only for a token's lattice column in legacy OCR, never to
    decide whether OCR split or merged words (any junk is two edits from some syllable)."""

    def make() -> dict[int, float]:
        from rapidfuzz import process
        from rapidfuzz.distance import Levenshtein

        key = "".join(c for c in fold(low).translate(DIGIT_LETTERS) if c.isalpha())
        if not 2 <= len(key) <= 8:
            return {}
        uni = model.lm.uni_freq
        found = process.extract(key, model.fold_keys, scorer=Levenshtein.distance, score_cutoff=EDIT_MAX, limit=None)
        # The nearest spellings, the most frequent first among equals ('té6': 'to' for 'tổ', not 'keo')
        found.sort(key=lambda f: (f[1], -max(uni[i] for i in model.by_fold[f[0]])))
        out: dict[int, float] = {}
        for base, dist, _ in found[:EDIT_LIMIT]:
            for i in sorted(model.by_fold[base], key=lambda m: -uni[m])[:2]:
                out[i] = EDIT_LP * max(dist, 1)
        return out

    return model.cache.get(("edit", low), make)


def _misread(tok: str) -> bool:
    """Reads as a damaged syllable, not as a name, a foreign word or a unit ('Sudan', 'demo', 'km2'
    stay): a digit inside or a Latin accent ('d6éi', 'phuténg'), or four lowercase letters or more
    ('cyfc', 'dttng')."""
    return (
        any(c in DIGITS for c in tok[:-1])
        or not tok.isascii()
        or (tok.islower() and (len(tok) >= 4 or any(c in "fjwz" for c in tok)))
    )


def _garbled(tok: str) -> bool:
    """Lowercase or digit-mangled non-syllable: OCR damage rather than a name or a foreign word."""
    letters = [c for c in tok if c.isalpha()]
    return bool(letters) and (tok.islower() or any(c.isdigit() for c in tok))


def _logadd(a: float | None, b: float) -> float:
    if a is None:
        return b
    hi, lo = (a, b) if a > b else (b, a)
    return hi + math.log10(1.0 + 10.0 ** (lo - hi))


def known(model: Model, tok: str) -> bool:
    """A syllable of the vocabulary, accented, or plain letters that are one with its accents stripped."""

    def make() -> bool:
        low = tok.lower()
        can = canonical(low)
        return (can is not None and can in model.ids) or (low.isascii() and fold(low) in model.by_fold)

    return model.cache.get(("known", tok), make)


def slot(model: Model, index: int, tok: str, regime: str, before: str, conf: float | None) -> Slot:
    """The lattice column of a token decoded as a syllable. ``before``: the character before its
    preceding space ('' when there is none or the model has no case channel); ``conf``: its OCR
    word confidence, when known."""
    if conf is None:  # the usual case: the column depends on the token and its case context only
        key = ("slot", tok, regime, case_context(before))
        return Slot(index, *model.cache.get(key, lambda: _slot_data(model, tok, regime, before, None)))
    return Slot(index, *_slot_data(model, tok, regime, before, conf))


def _slot_data(model: Model, tok: str, regime: str, before: str, conf: float | None) -> Candidates:
    cand = candidates(model, tok, regime, edits=regime == "damaged")
    if cand is None:
        return [UNK], [0.0], [""]
    ids, chs, forms = _with_confidence(model, tok, regime, cand, conf)
    if before:
        chs = _with_case(model, tok, before, ids, chs)
    return ids, chs, forms


def fixed_slot(model: Model, index: int, out: str) -> Slot:
    """The one-candidate column of a token that is not decoded (a number, code, abbreviation):
    an abbreviation the LM knows keeps its identity as context ('UBND phường')."""
    return Slot(index, [NUM if out.isdigit() else model.abbrev_ids.get(out, UNK)], [0.0], [""])


def number_slot(model: Model, index: int, tok: str, regime: str) -> Slot | None:
    """A short number amid the words of legacy OCR may be a syllable read as digits ('thuốc 14'
    for 'thuốc lá', 'Việt Nam 6 nước ngoài' for 'ở'): the number itself (as <num>, free) or the
    syllables the channel reads it for; the LM chooses ('ngày 14 tháng' stays a number)."""
    cand = candidates(model, tok, regime)
    if cand is None:
        return None
    ids, chs, forms = ([NUM], [0.0], [""])
    for i, ch, form in zip(*cand, strict=True):
        if form:
            ids.append(i)
            chs.append(ch)
            forms.append(form)
    return Slot(index, ids, chs, forms) if len(ids) > 1 else None


def local_slots(model: Model, toks: list[str], regime: str) -> list[Slot]:
    """Columns for a few tokens out of context (no case channel, no confidences)."""
    out = []
    for tok in toks:
        fix = fixed(model, tok, False)
        cand = None if fix is not None else candidates(model, tok, regime)
        out.append(fixed_slot(model, 0, fix[0] if fix else tok) if cand is None else Slot(0, *cand))
    return out


def _with_confidence(model: Model, tok: str, regime: str, cand: Candidates, conf: float | None) -> Candidates:
    """Adjust a token's channel scores by its OCR word confidence (see CONF_DOUBT)."""
    ids, chs, forms = cand
    own = model.syllable_id(tok.lower())
    if conf is None or conf >= CONF_DOUBT or own is None or own not in ids:
        return cand
    if regime == "accented" and tok.lower() != fold(tok.lower()):
        chs = [x if i == own else x - PROTECT_VALID_LP for i, x in zip(ids, chs, strict=True)]
    return ids, chs, forms


def _with_case(model: Model, tok: str, before: str, ids: list[int], chs: list[float]) -> list[float]:
    """Add the case channel for a word after a lowercase word or a comma (as learned in training).

    A capitalised word there is a name, and names favour some syllables ('Long An', not 'Long Án').
    """
    if not case_context(before):
        return chs
    if len(tok) > 1 and tok[0].isupper() and tok[1:].islower():
        table = model.cap_list
    elif tok.islower():
        table = model.lower_list
    else:
        return chs
    return [x + CASE_WEIGHT * table[i] if i > NUM else x for i, x in zip(ids, chs, strict=True)]


def case_context(before: str) -> bool:
    """The case channel applies after a lowercase word, a number or a comma (as in training)."""
    return before.islower() or before.isdigit() or before == ","


def render(model: Model, tok: str, form: str, style: str, out_style: str) -> str:
    """``tok`` written as the syllable ``form`` ('' = unchanged) in its case and the output style."""

    def make() -> str:
        if not form or (style == "keep" and canonical(tok.lower()) == form):
            return tok  # unchanged, or already right: keep the author's own tone placement
        return _apply_case(tok, restyle(form, out_style))

    return model.cache.get(("render", tok, form, style, out_style), make)


def _apply_case(orig: str, restored: str) -> str:
    letters = [c for c in orig if c.isalpha()]
    if len(letters) > 1 and all(c.isupper() for c in letters):
        return restored.upper()
    if orig[:1].isupper() or (letters and letters[0].isupper() and not orig[:1].isalpha()):
        return restored[:1].upper() + restored[1:]
    return restored


# The probabilities of an abbreviation _unknown_abbrev repairs: one OCR confusion from a known one
# ('HPND' -> 'HĐND'), or built of known pieces, a guess that text whose marks OCR read ('accented') does
# not need ('QLD-CL', Quản lý Dược, is no 'QLĐ').
REPAIRED, GUESSED = 0.8, 0.75


def fixed(model: Model, tok: str, in_code: bool) -> tuple[str, float] | None:
    """(output, probability) for tokens that are not decoded as syllables, else None."""
    return model.cache.get(("fixed", tok, in_code), lambda: _make_fixed(model, tok, in_code))


def _make_fixed(model: Model, tok: str, in_code: bool) -> tuple[str, float] | None:
    if len(tok) > MAX_TOKEN:
        return tok, 1.0
    if "|" in tok:  # a bar is never a letter of Vietnamese: the Roman I ('lần thứ |', '|X')
        roman = tok.replace("|", "I").replace("1", "I").replace("l", "I")
        return (roman, 0.9) if ROMAN_RE.match(roman) else (tok, 1.0)
    upper = tok.upper() == tok and any(c.isalpha() for c in tok)
    if upper and "D" in tok and tok.isalpha() and (caps := _caps_d(model, tok)):
        return caps, 0.9  # 'HDND' -> 'HĐND', also inside symbols ('QD-UBND')
    if in_code and upper and (spelt := d_spelling(tok)):
        return spelt, 0.9  # a symbol's part: '112/CD-TTg' -> 'CĐ', whatever the corpus writes 'CD' for
    if in_code and upper and tok.isalpha() and (fix := _unknown_abbrev(model, tok)):
        return fix  # '/BQL-DN&GSDT' -> 'GSĐT', '21/NQ-HPND' -> 'HĐND'
    if tok.isdigit() or in_code:
        return tok, 1.0
    if upper and len(tok) > 1 and any(c in "1l" for c in tok):
        roman = tok.replace("1", "I").replace("l", "I")
        if ROMAN_RE.match(roman) and any(c in "IVXLC" for c in tok):
            return roman, 0.9
    if upper and ROMAN_RE.match(tok) and len(tok) > 1:
        return tok, 1.0
    if any(c.isdigit() for c in tok) and sum(c.isdigit() for c in tok) > 2:
        return tok, 1.0
    if upper and len(tok) > 1 and tok.isalpha() and model.syllable_id(tok.lower()) is None:
        if tok in model.abbrevs or tok in ADMIN_ABBREVS:
            return tok, 1.0
        if not model.by_fold.get(fold(tok).lower()):
            return _unknown_abbrev(model, tok) or (tok, 1.0)
    if len(tok) == 1 and (tok.isupper() or fold(tok) not in "aeiouy"):
        return tok, 1.0  # a lone consonant is a label ('điểm c'), never a damaged syllable
    return None


def known_abbrev(model: Model, tok: str) -> bool:
    """An abbreviation of the corpus or of the admin list, or an upper-case Roman numeral."""
    return tok in model.abbrevs or tok in ADMIN_ABBREVS or ROMAN_RE.match(tok) is not None


def _caps_d(model: Model, tok: str) -> str | None:
    """The all-caps token with its folded Đ back ('HDND' -> 'HĐND') when the training corpus
    writes that spelling more often than ``tok`` itself (and at least MIN_CAPS_D times)."""
    if not model.caps_d or tok.count("D") > 3:
        return None
    variants = [""]
    for c in tok:
        variants = [v + c for v in variants] + ([v + "Đ" for v in variants] if c == "D" else [])
    best = max(variants, key=lambda v: model.caps_d.get(v, 0))
    count = model.caps_d.get(best, 0)
    if best == tok or count < MIN_CAPS_D or count <= model.caps_d.get(tok, 0):
        return None
    return best


def _unknown_abbrev(model: Model, tok: str) -> tuple[str, float] | None:
    """An all-caps token that is no abbreviation of the corpus and no syllable, repaired: one OCR
    confusion from a known abbreviation ('HPND' -> 'HĐND') or built of known ones ('GSDT' -> 'GSĐT')."""
    if len(tok) < 2 or tok in model.abbrevs or tok in ADMIN_ABBREVS or model.by_fold.get(fold(tok).lower()):
        return None
    if repaired := _abbrev_repair(model, tok):
        return repaired, REPAIRED
    built = _built_of(model, tok)
    return (built, GUESSED) if built else None


def _built_of(model: Model, tok: str) -> str | None:
    """``tok`` read as the likeliest sequence of corpus abbreviations and single consonants (each
    letter of an abbreviation is a syllable's initial), each spelt as the corpus spells it most:
    'GSDT' = 'GS' + 'ĐT' (đầu tư), 'KTHTDT' = 'KT' + 'H' + 'T' + 'ĐT', 'UBNDTP' = 'UBND' + 'TP'.
    A piece scores log10 of its corpus count less PIECE_COST, so fewer, commoner pieces win.
    None where no reading spells a Đ: 'UBNDTP', 'GOLD' (a lone 'O' is no initial), 'BQLDA' ('DA',
    dự án, is also a word, so not in the inventory)."""
    if "D" not in tok:
        return None
    pieces = model.cache.get(("abbrev-pieces",), lambda: _abbrev_pieces(model))
    n = len(tok)
    best: list[tuple[float, int, str] | None] = [(0.0, 0, "")] + [None] * n  # (score, -Đ count, spelling)
    for i in range(n):
        if best[i] is None:
            continue
        score, d, out = best[i]  # type: ignore[misc]
        for j in range(i + 1, n + 1):
            piece = tok[i:j]
            if j == i + 1:
                found = None if piece in VOWELS else (piece, 0.0)
            else:
                found = pieces.get(piece)
            if found is None:
                continue
            spelt, lp = found
            cand = (score + lp - PIECE_COST, d - spelt.count("Đ"), out + spelt)
            if best[j] is None or cand[:2] > best[j][:2]:  # type: ignore[index]
                best[j] = cand
    return best[n][2] if best[n] and best[n][2] != tok else None  # type: ignore[index]


def _abbrev_pieces(model: Model) -> dict[str, tuple[str, float]]:
    """Known abbreviations by their D-folded form -> (the corpus's commonest spelling, log10 of its
    count); the LM's abbreviations without a D count as ABBREV_COUNT."""
    counts: dict[str, float] = {ab: ABBREV_COUNT for ab in (*model.abbrevs, *ADMIN_ABBREVS) if ab.isalpha()}
    counts.update(model.caps_d)
    pieces: dict[str, tuple[str, float]] = {}
    for ab, count in sorted(counts.items(), key=lambda kv: kv[1]):
        pieces[ab.replace("Đ", "D")] = (ab, math.log10(count))
    return pieces


def _abbrev_repair(model: Model, tok: str) -> str | None:
    """A known abbreviation one OCR confusion away ('HPND' -> 'HĐND'), if exactly one fits."""
    table = model.channel.tables["eng"]
    found = []
    for ab in model.abbrevs:
        if len(ab) != len(tok) or ab == tok:
            continue
        diff = [(a, b) for a, b in zip(ab.lower(), tok.lower(), strict=True) if a != b]
        # Only a letter a Latin OCR engine cannot produce (Đ) is worth repairing: 'TM' stays 'TM'.
        if (
            len(diff) == 1
            and not diff[0][0].isascii()
            and any(p == diff[0][1] and lp > -3.0 for p, lp in table.get(diff[0][0], ()))
        ):
            found.append(ab)
    return found[0] if len(found) == 1 else None
