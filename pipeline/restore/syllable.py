"""Vietnamese syllable structure: onset, rhyme, tone, and where the tone mark goes.

Everything here works on lowercase NFC strings. A syllable is stored canonically in the
"new" style of the product ('hòa', 'thủy': mark on the first vowel of open oa/oe/uy); the
"old" style puts it on the second vowel ('hoà', 'thuỷ').
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# Combining tone marks in tone order 1..5 (0 = level tone, no mark).
TONE_MARKS = ("\u0300", "\u0301", "\u0303", "\u0309", "\u0323")  # huyền sắc ngã hỏi nặng
_TONE_INDEX = {m: i + 1 for i, m in enumerate(TONE_MARKS)}

VOWELS = set("aăâeêioôơuưy")
MODIFIED = set("ăâêôơư")
ONSETS = (
    "ngh", "ng", "gh", "gi", "kh", "ph", "th", "tr", "ch", "nh", "qu",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
)  # fmt: skip
FINALS = ("ng", "nh", "ch", "c", "m", "n", "p", "t")
STOP_FINALS = ("c", "ch", "p", "t")
# Vowel clusters of Vietnamese rhymes (without tone), open or before a final consonant.
NUCLEI = {
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi",
    "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê",
    "iêu", "yêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyê", "uyu",
}  # fmt: skip


def split_tone(syl: str) -> tuple[str, int]:
    """('hoà' | 'hòa') -> ('hoa', 2); the tone mark is removed, other diacritics kept."""
    tone = 0
    out = []
    for ch in unicodedata.normalize("NFD", syl):
        t = _TONE_INDEX.get(ch)
        if t is None:
            out.append(ch)
        elif tone:
            return syl, -1  # two tone marks: not a syllable
        else:
            tone = t
    return unicodedata.normalize("NFC", "".join(out)), tone


@lru_cache(maxsize=65536)
def parse(base: str) -> tuple[str, str, str] | None:
    """Toneless lowercase syllable -> (onset, nucleus, final), or None if it is not Vietnamese."""
    onset = ""
    for o in ONSETS:
        if base.startswith(o):
            rest = base[len(o) :]
            if o == "gi" and not (rest and rest[0] in VOWELS):
                o, rest = "g", base[1:]  # gì, gìn
            if o == "qu" and not rest:
                continue
            onset = o
            break
    rest = base[len(onset) :]
    final = ""
    for f in FINALS:
        if rest.endswith(f) and len(rest) > len(f):
            final = f
            break
    nucleus = rest[: len(rest) - len(final)]
    if nucleus not in NUCLEI:
        return None
    if onset in ("k", "gh", "ngh") and nucleus[0] not in "eêiy":
        return None
    if onset in ("c", "g", "ng") and nucleus[0] in "eê" and onset != "g":
        return None
    return onset, nucleus, final


def tone_position(onset: str, nucleus: str, final: str, style: str = "new") -> int:
    """Index into ``nucleus`` of the vowel that carries the tone mark."""
    for i in range(len(nucleus) - 1, -1, -1):
        if nucleus[i] in MODIFIED:
            return i if nucleus[i] != "ư" or "ơ" not in nucleus else nucleus.index("ơ")
    if len(nucleus) == 1:
        return 0
    if final:
        return len(nucleus) - 1
    if len(nucleus) == 3:
        return 1
    if nucleus in ("oa", "oe", "uy") and style == "old":
        return 1
    if onset in ("qu", "gi") and nucleus in ("y", "a", "e"):
        return 0
    if nucleus in ("ia",) and onset == "g":
        return 0
    return 0


def compose(base: str, tone: int, style: str = "new") -> str:
    """Put ``tone`` on the right vowel of ``base``; ``base`` must parse."""
    if tone == 0:
        return base
    parts = parse(base)
    if parts is None:
        raise ValueError(f"not a Vietnamese syllable: {base!r}")
    onset, nucleus, final = parts
    i = len(onset) + tone_position(onset, nucleus, final, style)
    ch = unicodedata.normalize("NFD", base[i])
    return unicodedata.normalize("NFC", base[:i] + ch + TONE_MARKS[tone - 1] + base[i + 1 :])


@lru_cache(maxsize=65536)
def canonical(syl: str) -> str | None:
    """Lowercase syllable in either tone style -> canonical "new"-style form; None if invalid."""
    base, tone = split_tone(syl)
    if tone < 0:
        return None
    parts = parse(base)
    if parts is None:
        return None
    if tone not in (0, 2, 5) and parts[2] in STOP_FINALS:
        return None
    if tone == 2 and parts[2] in STOP_FINALS:
        pass
    if tone == 0 and parts[2] in STOP_FINALS:
        return None
    return compose(base, tone, "new")


@lru_cache(maxsize=65536)
def style_of(syl: str) -> str | None:
    """'old' or 'new' when ``syl`` is an open oa/oe/uy syllable with a tone mark, else None."""
    base, tone = split_tone(syl.lower())
    parts = parse(base) if tone > 0 else None
    if parts is None or parts[2] or parts[1] not in ("oa", "oe", "uy"):
        return None
    return "old" if syl.lower() == compose(base, tone, "old") else "new"


def restyle(syl: str, style: str) -> str:
    """Canonical lowercase syllable rendered in ``style`` ('old' or 'new')."""
    if style != "old":
        return syl
    base, tone = split_tone(syl)
    parts = parse(base) if tone > 0 else None
    if parts is None or parts[2] or parts[1] not in ("oa", "oe", "uy"):
        return syl
    return compose(base, tone, "old")
