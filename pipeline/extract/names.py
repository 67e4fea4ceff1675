"""A person's name as OCR and restoration left it, repaired word by word.

Restoration decides a word's marks from corpus counts, where a name competes with places and
words ('Vinh' the city), and leaves a word it cannot read as it was ('Cuédng', 'Lugng', 'Vii').
In a name's position the choice is narrower: the first word is one of about a hundred family
names, the others are name syllables. Each word's readings are scored by the OCR channel of
restoration's model (log10 P(observed | true)) plus how often the reading names a person
(models/names-v2, counted in Wikipedia); see that model card for what this measures.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import regex
from rapidfuzz.distance import Levenshtein

from pipeline.encodings import is_syllable
from pipeline.extract.text import DATA_DIR, province_names
from pipeline.gazetteer import get_gazetteer
from pipeline.restore.model import get_model
from pipeline.restore.syllable import canonical, compose, parse, split_tone
from pipeline.vietnamese import fold, fold_lower, nfc

NAMES = Path(__file__).resolve().parents[2] / "models" / "names-v2" / "names.json"
FLOOR = -6.0  # log10: channel readings less likely than this are no candidates
# log10 weight of the reading that the text came from legacy OCR (the English engine) through restoration:
# its marks were then guessed, not read, and its letters alone are the evidence ('Vì' from a read 'Vi').
# The extractor does not know the engine; one text in ten is assumed (not tuned).
LEGACY_LP = -1.0
# log10: how much likelier (channel and counts) another name must be before a word of a name on a legacy
# OCR page is replaced, by its place. Restoration chose the word in context: for a given name that context
# is the middle name before it ('Kim Phượng', 'Diễm My'), worth a hundredfold; for a middle or family name
# it is the title line above, worth little. Set on the eng page text of the fifteen field sets: 2, 0.5, 2
# puts 123 of 180 signers right, 2, 2, 2 (the hundredfold everywhere of names-v1) 118 (models/names-v2).
LEGACY_MARGIN = {"family": 2.0, "middle": 0.5, "given": 2.0}
UNSEEN = 0.5  # count of a listed family name Wikipedia never shows in a full name
# log10: a name the channel reads a legacy word as less often than this does not explain the word's letters
# ('Piéng' from 'Đường' -5.5; 'Phiéc' from 'Phước' -2.4, an OCR misread of a letter)
UNEXPLAINED = -4.0

Prior = dict[str, tuple[str, float]]


@lru_cache(maxsize=1)
def _priors() -> tuple[Prior, Prior, Prior, Prior]:
    """For family names (those of surnames.json), for the other syllables of names pooled (middle and
    given, seen twice at least), and for middle and given names apart: the model's lower-case form ->
    (spelling, log10 P among them)."""
    data = json.loads(NAMES.read_text(encoding="utf-8"))
    listed = _listed()
    given: dict[str, float] = {}
    for role in ("middle", "given"):
        for word, n in data[role].items():
            given[word] = given.get(word, 0) + n
    family = _prior({n: data["family"].get(n, 0) + UNSEEN for n in listed})
    return family, _prior(given), _prior(data["middle"]), _prior(data["given"])


def _prior(counts: dict[str, float]) -> dict[str, tuple[str, float]]:
    """Spellings of one syllable ('Hòa', 'Hoà') pooled under the model's form; the commonest is written."""
    pooled: dict[str, tuple[str, float]] = {}
    for word, n in sorted(counts.items(), key=lambda kv: kv[1]):
        key = canonical(nfc(word).lower()) or nfc(word).lower()
        pooled[key] = (word, n + pooled.get(key, ("", 0.0))[1])
    total = sum(counts.values())
    return {key: (word, math.log10(n / total)) for key, (word, n) in pooled.items()}


def readings(word: str, legacy: bool = False) -> dict[str, float]:
    """Lower-case syllables that OCR (and restoration) could have turned into ``word`` -> log10 P:
    the word as the Vietnamese engine read it, or as the English engine read it or its letters
    alone, the marks restoration's guess (weighed ``LEGACY_LP`` unless the text is known to be
    ``legacy`` OCR)."""
    model = get_model()
    low = nfc(word).lower()
    out: dict[str, float] = {}
    lp_eng = 0.0 if legacy else LEGACY_LP
    for obs, engine, extra in ((low, "vie", 0.0), (low, "eng", lp_eng), (fold(low), "eng", lp_eng)):
        for sid, lp in model.channel.candidates(obs, engine, FLOOR).items():
            syl = model.lm.vocab[sid]
            out[syl] = max(out.get(syl, -99.0), lp + extra)
    return out


def _scored(word: str, prior: dict[str, tuple[str, float]], legacy: bool = False) -> list[tuple[float, str]]:
    """(log10 channel + prior, spelling) of the names ``word`` could have been read from, best first; a
    syllable the counts never show as a name is one with the word's letters, counted as seen UNSEEN
    times ('Thiét' is 'Thiết', which Wikipedia's names lack, not the counted 'Thất'; 'Panh' no 'Đanh')."""
    floor, letters = _floor(prior), fold_lower(word)
    out = [(lp + (prior[syl][1] if syl in prior else floor), prior[syl][0] if syl in prior else syl)
           for syl, lp in readings(word, legacy).items() if syl in prior or fold(syl) == letters]  # fmt: skip
    return sorted(out, reverse=True)


def _channel(word: str, reading: str) -> float:
    """log10 P(``word`` read | ``reading`` written) from legacy OCR."""
    return readings(word, legacy=True).get(canonical(reading.lower()) or reading.lower(), FLOOR)


def _floor(prior: Prior) -> float:
    """log10 share of a name seen UNSEEN times (the rarest counted was seen twice)."""
    return min(lp for _, lp in prior.values()) + math.log10(UNSEEN / 2)


def _best(word: str, prior: dict[str, tuple[str, float]], legacy: bool = False) -> str:
    """The likeliest name ``word`` was read from, the word itself where the channel proposes none; from
    legacy OCR, the one syllable the word's letters and tone make with marks the engine lost, where there
    is one and the likeliest name has other letters ('Piéng' -> 'Piếng', not 'Đường')."""
    scored = _scored(word, prior, legacy)
    if legacy and (not scored or _channel(word, scored[0][1]) < UNEXPLAINED) and (whole := _completed(word)):
        return whole
    return _capital(scored[0][1]) if scored else word


def _capital(name: str) -> str:
    return name[:1].upper() + name[1:]


def _overwhelming(word: str, prior: Prior, place: str) -> str:
    """A word of a name on a legacy OCR page, replaced only by a name its letters read as that is
    LEGACY_MARGIN likelier in its ``place``: restoration chose the rare one in context, which a
    slightly commoner namesake does not outweigh ('Lã' stays, not 'La'; 'Doãn', not 'Đoàn'), a far
    commoner one does ('Đàng' -> 'Đặng'; a middle name 'Vạn' -> 'Văn', 'Quảng' -> 'Quang'). A reading
    the counts never show in that place counts as seen UNSEEN times."""
    scored = _scored(word, prior, legacy=True)
    low = nfc(word).lower()
    key = canonical(low) or low
    own_channel = readings(word, legacy=True).get(key)
    if not scored or own_channel is None or scored[0][1].lower() == low:
        return word
    own = own_channel + (prior[key][1] if key in prior else _floor(prior))
    return _capital(scored[0][1]) if scored[0][0] >= own + LEGACY_MARGIN[place] else word


def repair_name(name: str, legacy: bool = False, region: frozenset[str] = frozenset()) -> str:
    """'Vii Quang Minh' -> 'Vũ Quang Minh', 'Hoàng Minh Cuédng' -> 'Hoàng Minh Cường', 'Và Quang
    Minh' -> 'Vũ Quang Minh'. A family name of the list is kept as written ('Vì' is a real one, of
    Mường and Thái families of the north-west) unless the text was restored from ``legacy`` OCR:
    there its marks are restoration's guess from the letters, and a name those letters read as that
    is a hundred times likelier wins ('Đàng' -> 'Đặng'; see _overwhelming). A word after the family name
    that is a Vietnamese syllable keeps its marks: the names' counts do not tell 'Vinh' from 'Vĩnh'
    better than restoration did (models/names-v2). A family name that shares its letters with one of
    a people its middle name or, from legacy OCR, the ``region`` (the folded names of the provinces
    the document is from) marks is spelt as that people spells it ('Giang A Tính' -> 'Giàng')."""
    words = name.split(" ")
    if len(words) < 2:
        return name
    if regex.fullmatch(r"H\p{Lu}\p{Ll}+", words[0]):  # the Ê Đê and Gia Rai women's prefix, its apostrophe lost
        words[0] = f"H'{words[0][1:]}"  # ('HLinh Niê', set 219): no Vietnamese word has a capital after 'H'
    if any(c.islower() for c in name):  # a word in capitals among names in their case: OCR's ('Hồ SỸ Nguyên')
        words = [w.capitalize() if len(w) > 1 and w.isupper() else w for w in words]
    family, given, middle, last = _priors()
    model = get_model()
    # a given name spelt as a syllable can be is kept off legacy OCR, even one the corpus lacks ('Khắng')
    # and a family name of the list where it stands ('Y Khuin Byă': Ê Đê names end with the family's)
    # and, off legacy OCR, a word of a minority language with its onset cluster ('K' Brơi', 'Krông')
    kept = lambda w: (model.syllable_id(w.lower()) is not None or (not legacy and (is_syllable(w) or _clustered(w)))  # noqa: E731
                      or w in _listed() or _foreign(w))  # fmt: skip
    rest = [w if kept(w) else _best(w, given, legacy) for w in words[1:]]
    first = words[0]
    if first.endswith(("'", "’")) or first in ("H", "Y"):  # the Ê Đê and Gia Rai prefixes ('H' Ly Niê', 'H Yâm
        # Byă', 'Y Dhăm Ênuôl'): no family name, nor a place the counts know after it; off legacy OCR as written
        if legacy and len(words) > 2 and not kept(words[-1]) and (same := _listed_with_letters(words[-1])):
            rest[-1] = same  # the family's name ends an Ê Đê name ('Y Thắng Bya' -> 'Byă')
        return " ".join([first, *(rest if legacy else words[1:])])
    if legacy:  # each in its place: 'Văn' is the commonest middle name, no given name
        places = [(middle, "middle")] * (len(rest) - 1) + [(last, "given")]
        rest = [_overwhelming(w, *place) for w, place in zip(rest, places, strict=True)]
    if people := _people_spelling(first, words[1] if len(words) > 2 else "", region if legacy else frozenset()):
        first, marker = people
        rest[0] = marker or rest[0]
    elif first not in _listed():
        first = _best(first, family, legacy) if _scored(first, family, legacy) else _near_listed(first) or first
    elif legacy:
        first = _overwhelming(first, family, "family")
    return " ".join([first, *rest])


def _near_listed(word: str) -> str | None:
    """The one listed family name of five letters or more a letter off ``word``'s letters, where the channel reads
    it as no name: a letter OCR put in ('Neguyén Van Ut', set 250 through eng)."""
    letters = fold_lower(word)
    near = [n for n in _listed() if len(n) >= 5 and Levenshtein.distance(letters, fold_lower(n)) == 1]
    return near[0] if len(near) == 1 else None


def _listed_with_letters(word: str) -> str | None:
    """The one listed family name with ``word``'s letters, if one alone has them."""
    same = [n for n in _listed() if fold_lower(n) == fold_lower(word)]
    return same[0] if len(same) == 1 else None


_MARKED = {"a": "aăâ", "e": "eê", "o": "oôơ", "u": "uư", "d": "dđ"}  # the letters a vowel mark or the bar makes


def _completed(word: str) -> str | None:
    """The one Vietnamese syllable with ``word``'s letters and tone that its missing vowel marks make of it
    ('Piéng' -> 'Piếng': no 'ié' rhyme is written, 'iê' is), where the word itself is none."""
    base, tone = split_tone(nfc(word).lower())
    if tone < 0 or is_syllable(word):
        return None
    options = [""]
    for ch in base:
        options = [o + c for o in options for c in _MARKED.get(ch, ch)]
    found = {s for o in options if parse(o) and (s := canonical(compose(o, tone)))}
    return _capital(found.pop()) if len(found) == 1 else None


def _people_spelling(family: str, middle: str, region: frozenset[str]) -> tuple[str, str | None] | None:
    """The name of ``family``'s letters of the people that ``middle`` or ``region`` marks, where they have one,
    and the middle name as they spell it where it is the mark ('Vừ Mi' -> 'Mí'; surnames.json, 'peoples'): no
    other reading is weighed."""
    folded = fold_lower(family)
    for names, middles, provinces in _peoples():
        theirs = [n for n in names if fold_lower(n) == folded]
        marker = middles.get(fold_lower(middle))
        if len(theirs) == 1 and (marker or region & provinces):
            return theirs[0], marker
    return None


@lru_cache(maxsize=1)
def _peoples() -> list[tuple[list[str], dict[str, str], frozenset[str]]]:
    """(family names, middle names by their folded letters, folded provinces) of each people of surnames.json."""
    peoples = json.loads((DATA_DIR / "surnames.json").read_text(encoding="utf-8"))["peoples"]
    out = []
    for people in peoples["marked"] + peoples["regional"]:
        middles = {fold_lower(m): m for m in people.get("middle", ())}
        out.append((people["names"], middles, frozenset(map(fold_lower, people.get("provinces", ())))))
    return out


def region(names: Iterable[str | None]) -> frozenset[str]:
    """Folded names of the provinces that ``names`` (an issuer's, its parent's, the place of issue) end
    in or, a town's, lie in (one province, or two where the town's name is on both maps): where a document is
    from."""
    gazetteer, provinces, out = get_gazetteer(), province_names(), set()
    for name in filter(None, names):
        low = fold_lower(name)
        out |= {p for p in provinces if low == p or low.endswith(f" {p}")}
        tops = {fold_lower(gazetteer.province(unit).name) for unit in gazetteer.find(name)}
        out |= tops if len(tops) <= 2 else set()
    return frozenset(out)


def _clustered(word: str) -> bool:
    """A syllable of Ba Na, Cơ Ho, Ê Đê, Hrê … names: a consonant and 'r' or 'l' before a Vietnamese rhyme; a
    consonant and 'y' before a vowel ('Byă'); of Khmer names, a final 'l' ('Sà Phol') or an 'e' after a final
    consonant ('Sô Phone', 'Rươne'), which no Vietnamese syllable and no misread of one has."""
    folded = fold_lower(word)
    vowel = any(c in "aeiou" for c in folded)
    if len(word) > 2 and folded[0] not in "aeiouy" and folded[1] == "y" and folded[2] in "aeiou":
        return True
    if len(word) > 2 and vowel and folded.endswith(("l", "r")):  # 'Sà Phol'; Cơ Tu 'Blưr' (set 229)
        return True
    if len(word) > 3 and regex.search(r"[aeiouy][bdlmnrst]e$", folded):  # 'Phone', 'Rươne', 'Sene'
        return True
    return len(word) > 2 and word[0] in "BHKPTĐbhkptđ" and word[1] in "rl" and is_syllable(word[1:])


def _foreign(word: str) -> bool:
    """A word of a minority language that begins with a letter no Vietnamese word has ('Đinh Văn Jơng'): no
    OCR reads one for a Vietnamese letter, so the name is its own, its marks lost or not."""
    return len(word) > 2 and word[0] in "JFWZ" and any(c in "aeiouy" for c in fold_lower(word[1:]))


@lru_cache(maxsize=1)
def _listed() -> frozenset[str]:
    return frozenset(json.loads((DATA_DIR / "surnames.json").read_text(encoding="utf-8"))["names"])


@lru_cache(maxsize=1)
def folded_surnames() -> frozenset[str]:
    """The family names accent-folded: a name OCR read with a mark wrong ('Trân' for 'Trần') still begins with one."""
    return frozenset(fold_lower(name) for name in _listed())
