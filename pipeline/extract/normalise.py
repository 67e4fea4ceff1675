"""Place and issuer normalised: administrative units from the gazetteer, central bodies from a table.

A header names its place the short way ('Kiến An', 'Hải Phòng', 'TP. Hồ Chí Minh') and its issuer as
printed ('Ủy ban nhân dân phường Kiến An', 'Sở Nội vụ' under 'UBND THÀNH PHỐ HẢI PHÒNG', 'Bộ Chính
trị'). The component adds the unit or body each one is: canonical name, level, GSO code, the unit
or body above it and the province it lies in. A document dated before 1 July 2025 is read on the
earlier map (63 provinces and their districts), a later one on the 2025 map; the place is also
respelt as the gazetteer spells it when OCR only damaged its marks ('Kién An' -> 'Kiến An').
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import regex
from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.tokens import Doc

from pipeline.encodings import is_syllable
from pipeline.extract.doc import got, put
from pipeline.extract.text import NAMED_BY_NUMBER, place_names, province_names
from pipeline.extract.vocab import PATTERN_DIR, numbered_by_name, party_code_by_name, spelled_by_name, spelled_in_text
from pipeline.gazetteer import KINDS, Unit, get_gazetteer, tone_key
from pipeline.types import Entity
from pipeline.vietnamese import fold_lower

MAP_CHANGE = "2025-07-01"  # the 2025 map of 34 provinces and 3,321 communes took effect
_KIND_RE = "|".join(KINDS)
# Bodies of a local unit: 'Ủy ban nhân dân phường Kiến An', 'Đảng ủy xã An Lão'; matched accent-folded,
# so that an OCR'd 'Ủy ban nhân dân phuong Kién An' is found too.
_HEADS = {"uy ban nhan dan": "Ủy ban nhân dân", "hoi dong nhan dan": "Hội đồng nhân dân", "dang uy": "Đảng ủy",
          "dang bo": "Đảng bộ", "cong an": "Công an"}  # fmt: skip
_FOLDED_KINDS = {fold_lower(k): k for k in KINDS}
_LOCAL_RE = regex.compile(rf"^(?P<head>{'|'.join(_HEADS)})\s+(?P<kind>{'|'.join(_FOLDED_KINDS)})\s+(?P<name>.+)$")
_UNIT_FIRST_RE = regex.compile(rf"(?i)({_KIND_RE})\s+")
# Party committees named after their province or city: 'Thành ủy Hải Phòng', 'Tỉnh ủy Ninh Bình'.
_COMMITTEE_RE = regex.compile(r"^(?P<head>Thành ủy|Tỉnh ủy)\s+(?P<name>.+)$")


@lru_cache(maxsize=1)
def central_bodies() -> dict[str, dict[str, Any]]:
    """Accent-folded name or alias -> the table row (name, abbreviations, parent, branch, until…)."""
    rows: dict[str, dict[str, Any]] = {}
    for line in (PATTERN_DIR / "central_bodies.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            for name in (row["name"], *row.get("aliases", ())):
                rows[fold_lower(name)] = row
    return rows


def body_by_abbreviation(abbr: str) -> dict[str, Any] | None:
    """The central body a symbol names by its abbreviation ('BNV' -> Bộ Nội vụ, 'QH15' -> Quốc hội)."""
    key = fold_lower(regex.sub(r"\d+$", "", abbr))
    return next((r for r in central_bodies().values() if key in (fold_lower(a) for a in r["abbr"])), None)


def era_of(date: str | None, year: int | None) -> str | None:
    if date:
        return "pre2025" if date < MAP_CHANGE else "2025"
    if year:
        return "pre2025" if year < 2025 else None
    return None


def find_unit(name: str, kind: str | None = None, era: str | None = None, within: str | None = None) -> Unit | None:
    """The unit called ``name``: of ``kind`` if given, on the map of ``era`` first, inside the
    province named ``within`` when that tells namesakes apart; exact diacritics, then larger units first."""
    name = regex.sub(r"^(?:TP\.?|Tp\.?|T\.P\.?)\s*", "", name).strip()
    if (m := _UNIT_FIRST_RE.match(name)) and m.end() < len(name):  # 'Thành phố Hồ Chí Minh'
        kind, name = kind or m.group(1).lower(), name[m.end() :]
    found = get_gazetteer().find(name, kind)
    if not found:
        return None
    if era:
        found = [u for u in found if u.era == era] or found
    if within:
        key = fold_lower(within)
        found = [u for u in found if fold_lower(get_gazetteer().province(u).name) in key] or found
    return found[0]


def nearest_unit(name: str, text: str, era: str | None, place: str | None = None, kind: str | None = None
                 ) -> Unit | None:  # fmt: skip
    """The unit a place damaged past its marks stands for ('Hadi Phong' -> Hải Phòng): the closest
    name the document gives after a unit word ('thành phố Hải Phòng') or as its ``place``, else the
    closest province; of ``kind`` where the unit word says it ('tỉnh Bình Bình' is no xã Tịnh Bình)."""
    words = regex.sub(r"[^\p{L}\s]", "", name).split()
    # OCR's specks before the name, a letter or two in capitals before words in their case ('OO Tôn Giáo, ngày …')
    while len(words) > 1 and len(words[0]) <= 3 and words[0].isupper() and not words[1].isupper():
        words = words[1:]
    key = fold_lower(" ".join(words))
    if len(key) < 4:
        return None
    if len(words) < len(name.split()) and (unit := find_unit(" ".join(words), kind, era)):
        return unit  # the name itself once the specks are gone ('OO Bến Tre')
    in_text = place_names(text)
    # of names as near, the one the document gives most often; a set's order is the process's hash seed's, and the
    # same page read twice once gave 'Bình Định', once 'Ninh Bình' for the English engine's 'BÌNH BINH' (set 244)
    folded_text = fold_lower(text)
    named = sorted(in_text | ({fold_lower(place)} if place else set()), key=lambda n: (-folded_text.count(n), n))
    if key in in_text and folded_text.count(key) >= 3 and all(is_syllable(w.lower()) for w in words):
        return None  # a unit the document names so after its word and again, which the gazetteer's map lacks ('xã
        # Phú Ngãi', merged into Phước Ngãi in 2020): no other unit's misreading
    for choices, cutoff in ((named, 80), (province_names(), 85)):
        for best in process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3):
            if unit := find_unit(best[0], kind, era):  # the damaged name itself, after 'HUYỆN', is none
                return unit
    return None


def unit_entity(unit: Unit, name: str | None = None) -> Entity:
    gaz = get_gazetteer()
    parent = gaz.parent(unit)
    province = gaz.province(unit)
    return Entity(
        name=name or unit.full,
        level=unit.level,
        code=unit.code,
        parent=parent.full if parent else None,
        province=province.full if province is not unit or unit.level == "province" else None,
        era=unit.era,
    )


def central_body(name: str) -> dict[str, Any] | None:
    """The table's row for a central body, also when OCR damaged a letter or two ('Bộ Chính TR]')."""
    key = fold_lower(regex.sub(r"[^\p{L}\s,]", "", name)).strip()
    if row := central_bodies().get(key):
        return row
    if len(key) < 8:
        return None
    same_head = [k for k in central_bodies() if k.split(" ", 1)[0] == key.split(" ", 1)[0]]  # 'Sở X' is no 'Bộ X'
    best = process.extractOne(key, same_head, scorer=fuzz.ratio, score_cutoff=90)
    return central_bodies()[best[0]] if best and _misread(key, best[0]) else None


def _misread(read: str, name: str) -> bool:
    """Whether ``read`` differs from the table's ``name`` by OCR's damage, not by a word of its own:
    'trung uvong' is 'Trung ương' misread, 'Trung ương Đoàn' is the Youth Union's, not 'Trung ương Đảng'; a word whose
    'Đ' the English engine read 'B' or 'P' ('Bộ Giáo dục và Báo tạo', set 233)."""
    words, named = read.split(), name.split()
    barred = lambda a, b: a[:1] in "bp" and b[:1] == "d" and a[1:] == b[1:]  # noqa: E731
    return len(words) != len(named) or all(a == b or not is_syllable(a) or barred(a, b)
                                           for a, b in zip(words, named, strict=True))  # fmt: skip


# An issuer's name that ends with a unit: '… tỉnh An Giang', 'Hội đồng nhân dân phường Đồng Hới'.
# the last unit word and the name after it; a cooperative's 'xã' is none ('Liên minh Hợp tác xã tỉnh …')
_TAIL_UNIT_RE = regex.compile(rf"(?<!\w)(?<!hop tac )(?P<kind>{'|'.join(_FOLDED_KINDS)})\s+(?P<name>[^,;()\d]+)$")


def unit_tail(issuer: str, text: str, era: str | None, place: str | None = None) -> str:
    """``issuer`` with the unit it ends with as the gazetteer names it, when OCR damaged it past what the
    gazetteer finds as printed: a speck read as a word after it ('… tỉnh An Giang Tô'), a horn read as an
    apostrophe ('tỉnh Lạng So'n'), marks lost ('Hội đồng nhân dân phu'ong đồng hồ' -> '… phường Đồng Hới':
    the name the document gives after a unit word elsewhere or as its ``place``, not a namesake of the other
    map), a letter misread ('huyện Bức Họa' of 'Đức Hòa, ngày …')."""
    plain = regex.sub(r"(?<=\p{L})['’](?=\p{L})", "", issuer)
    folded = fold_lower(plain)
    m = _TAIL_UNIT_RE.search(folded)
    # a unit word of a name is in lower case after its body's words; 'Tỉnh ủy Lào Cai' names no unit
    if not m or len(folded) != len(plain) or not m.start() or plain[m.start()].isupper() or m["name"][:3] == "uy ":
        return issuer
    kind, name = _FOLDED_KINDS[m.group("kind")], plain[m.start("name") :].strip()
    unit = find_unit(name, kind, era)
    if unit and tone_key(unit.name) == tone_key(name) and (not era or unit.era == era):
        if other := namesake_named(unit, text):
            return f"{plain[: m.start()]}{kind} {other.name}"
        return issuer  # as printed, 'Thanh Hoá' too (a namesake on the other map only is no proof)
    words = name.split()
    head = " ".join(words[:-1])
    if len(words) > 2 and len(words[-1]) <= 3 and (short := find_unit(head, kind, era)) and (
        tone_key(short.name) == tone_key(head)
    ):
        unit = short
    elif not unit and any(tone_key(u.name) == tone_key(name) for u in get_gazetteer().find(name, None)):
        return issuer  # a name the map has, of another kind only, is no damage ('tỉnh Hải Hưng' of 1988)
    elif (near := nearest_unit(name, text, era, place, kind)) and near.kind == kind:
        unit = near
    elif not unit or (era and unit.era != era):
        return issuer
    return f"{plain[: m.start()]}{kind} {unit.name}"


def namesake_named(unit: Unit, text: str) -> Unit | None:
    """The one namesake of ``unit`` on its map, of its kind, spelt with other marks ('xã Quang Bình' of huyện
    Kiến Xương for 'xã Quảng Bình' of huyện Quảng Xương), whose district or province the document names where
    it names none of ``unit``'s: restoration gave a name's marks as words are most often marked, not by the map."""
    gaz = get_gazetteer()
    named = place_names(text)

    def above(u: Unit) -> set[str]:
        out, up = set(), gaz.parent(u)
        while up is not None:
            out.add(" ".join(fold_lower(up.name).split()[:2]))
            up = gaz.parent(up)
        return out

    if not named or above(unit) & named:
        return None
    others = {u.name: u for u in gaz.find(unit.name, unit.kind) if u.era == unit.era and u.name != unit.name
              and fold_lower(u.name) == fold_lower(unit.name) and above(u) & named}  # fmt: skip
    return next(iter(others.values())) if len(others) == 1 else None


def issuer_entity(issuer: str, parent: str | None, era: str | None, place: str | None) -> Entity | None:
    """The body that issued the document, by its name and the name above it in the header."""
    if row := central_body(issuer):
        return Entity(row["name"], "central", parent=row.get("parent"))
    folded = fold_lower(issuer)
    if len(folded) == len(issuer) and (m := _LOCAL_RE.match(folded)):
        name, kind = issuer[m.start("name") :], _FOLDED_KINDS[m.group("kind")]
        if unit := find_unit(name, kind, era, within=f"{parent or ''} {place or ''}"):
            return unit_entity(unit, f"{_HEADS[m.group('head')]} {unit.full}")
    if m := _COMMITTEE_RE.match(issuer):
        kind = "thành phố" if m.group("head") == "Thành ủy" else "tỉnh"
        if unit := find_unit(m.group("name"), kind, era):
            return unit_entity(unit, issuer)
    if parent and (above := issuer_entity(parent, None, era, place)) and above.level != "central" and above.code:
        # a department under a local body: 'Sở Nội vụ' under 'Ủy ban nhân dân thành phố Hải Phòng' (or of
        # 'Thành phố Hồ Chí Minh', which the law capitalises)
        unit_name = regex.sub(r"^\S+(?:\s+\S+)*?\s+(?=(?i:" + _KIND_RE + r")\s)", "", above.name)
        return Entity(f"{issuer} {unit_name}", above.level, above.code, above.name, above.province, above.era)
    return None


def placed_apart(printed: str, canon: str) -> bool:
    """Whether ``printed`` is ``canon`` but for where a tone mark sits ('Hòa Bình', the gazetteer's 'Hoà
    Bình'): kept as printed. Other marks or capitals ('Kién An', 'Chính PHỦ') are respelt."""
    same_case = [c.isupper() for c in printed if c.isalpha()] == [c.isupper() for c in canon if c.isalpha()]
    return same_case and tone_key(printed) == tone_key(canon)


_BY_NUMBER_RE = regex.compile(rf"\b({'|'.join(NAMED_BY_NUMBER)})(?= \d)")  # 'quận 3' -> 'Quận 3'
_UNIT_WORD_RE = regex.compile(rf"\b(?:{_KIND_RE})\s+(?=\p{{Lu}})")  # a unit's word before its name


def _as_printed(printed: str, canon: str) -> bool:
    """A place printed as ``canon`` but for where a tone sits or a capital inside a word of its own case
    ('Kbang' and 'Ea H'Leo', the old map's 'KBang' and "Ea H'leo"): the document's spelling is kept."""
    own_case = all(w[:1].isupper() and not (len(w) > 1 and w.isupper()) for w in printed.split())  # not 'VỊ Thanh'
    return placed_apart(printed, canon) or (own_case and tone_key(printed) == tone_key(canon))


class Normalise:
    """place (respelt), place_unit and issuer_unit against the gazetteer and the central bodies; the
    symbol's body code spelt as the issuer's name spells it."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        date, year = got(doc, "date"), got(doc, "date_year")
        era = era_of(date.value if date else None, year.value if year else None)  # type: ignore[arg-type]
        issuer, parent, place = got(doc, "issuer"), got(doc, "parent_issuer"), got(doc, "place")
        hint = " ".join(str(f.value) for f in (issuer, parent) if f and f.value)
        if place and place.value:
            name = str(place.value)
            # one word of the name the header gives its unit, the rest run into the header's column ('… 2
            # CAPuyén Quang, ngày …' under 'UBND TỈNH TUYÊN QUANG')
            whole = " " not in name and regex.search(rf"\b(?:{_KIND_RE})\s+((?:\p{{Lu}}\S*\s+)+){name}$", hint)
            glued = regex.search(r"(\S+)[^\S\n]+$", doc.text[max(0, place.start - 30) : place.start]) if whole else None
            if whole and glued and fold_lower(glued.group(1)).endswith(fold_lower(whole.group(1).split()[-1])[1:]):
                name = f"{whole.group(1)}{name}"  # the word before holds the rest of the unit's ('CAPuyén')
                put(doc, "place", name, place.start, place.end, place.confidence * 0.8, place.guess)
            kind = None
            if m := regex.search(rf"\b({_KIND_RE})\s+{regex.escape(name)}\b", hint, flags=regex.IGNORECASE):
                kind = m.group(1).lower()  # 'Kiến An' of 'Ủy ban nhân dân phường Kiến An'
            conf = place.confidence
            unit = find_unit(name, kind, era, within=hint)
            if unit and (other := namesake_named(unit, doc.text)):
                unit = other
                put(doc, "place", unit.name, place.start, place.end, conf * 0.9, place.guess)
            if unit is None and (unit := nearest_unit(name, doc.text, era)) is not None:
                conf *= 0.8
                put(doc, "place", unit.name, place.start, place.end, conf, place.guess)
            elif unit and fold_lower(unit.name) == fold_lower(name) and not _as_printed(name, unit.name):
                # respelt where OCR damaged its marks; a tone placed the other way ('Hòa Bình', the gazetteer's
                # 'Hoà Bình') is kept as printed, so are a name's capitals (_as_printed)
                put(doc, "place", unit.name, place.start, place.end, conf, place.guess)
            if unit:
                put(doc, "place_unit", unit_entity(unit), place.start, place.end, conf * 0.95)
        named = str(place.value) if place and place.value else None
        if issuer and issuer.value and (tail := unit_tail(str(issuer.value), doc.text, era, named)) != issuer.value:
            put(doc, "issuer", tail, issuer.start, issuer.end, issuer.confidence * 0.9, issuer.guess)
            issuer = got(doc, "issuer")
        if issuer and issuer.value:
            p = str(parent.value) if parent and parent.value else None
            if entity := issuer_entity(str(issuer.value), p, era, str(place.value) if place else None):
                put(doc, "issuer_unit", entity, issuer.start, issuer.end, issuer.confidence * 0.95, issuer.guess)
                same = fold_lower(entity.name) == fold_lower(str(issuer.value))
                if not placed_apart(str(issuer.value), entity.name) and (same or entity.level == "central"):
                    # respelt as the gazetteer spells the unit ('phuong Kién An' -> 'phường Kiến An') or as
                    # the table names a central body ('Bộ Chính TR]' -> 'Bộ Chính trị')
                    conf = issuer.confidence if same else issuer.confidence * 0.9
                    # a numbered unit is named by its word and number ('Quận 3', 'Phường 12')
                    spelt = _BY_NUMBER_RE.sub(lambda m: m.group(1).capitalize(), entity.name)
                    put(doc, "issuer", spelt, issuer.start, issuer.end, conf, issuer.guess)
        issuer, place = got(doc, "issuer"), got(doc, "place")
        if issuer and issuer.value and place and place.value and (name := str(place.value)) != (
            tail := str(issuer.value)[-len(name) :]
        ):
            inner = all(i and name[i - 1] != " " for i, (a, b) in enumerate(zip(tail, name, strict=True)) if a != b)
            if inner and tone_key(tail) == tone_key(name) and str(issuer.value)[: -len(name)].endswith(" "):
                # the capitals inside the place's name, which the header's lost ('HUYỆN KBANG' of 'Kbang, ngày …'); not
                # its unit word's ('Phường Sài Gòn, ngày …')
                put(doc, "issuer", f"{str(issuer.value)[: -len(name)]}{name}", issuer.start, issuer.end,
                    issuer.confidence, issuer.guess)  # fmt: skip
        issuer, sym = got(doc, "issuer"), got(doc, "symbol")
        if sym and sym.value and issuer and issuer.value and not issuer.guess:
            names = " ".join(str(f.value) for f in (issuer, parent) if f and f.value)
            # the unit's word may have no letter in the code ('BĐGL': Bưu điện tỉnh Gia Lai)
            spelt = spelled_by_name(str(sym.value), names, also=_UNIT_WORD_RE.sub("", str(issuer.value)))
            spelt = numbered_by_name(spelled_in_text(spelt, doc.text), str(issuer.value))
            spelt = party_code_by_name(spelt, str(issuer.value))
            if spelt != sym.value:
                put(doc, "symbol", spelt, sym.start, sym.end, sym.confidence * 0.9)
        return doc
