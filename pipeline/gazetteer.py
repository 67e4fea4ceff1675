"""Vietnam's administrative units on the map since 1 July 2025 and on the earlier one.

Restoration takes unit names as protected phrases ('phường Kiến An') and field extraction
normalises places and issuers against them; archives span decades, so both maps are kept
('quận Kiến An' existed until 2025, 'phường Kiến An' since). Built by
``scripts/build_gazetteer.py``; see ``models/gazetteer-v1/README.md``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from pipeline.vietnamese import fold_lower

DATA = Path(__file__).resolve().parents[1] / "models" / "gazetteer-v1" / "units.tsv"

Level = Literal["province", "district", "commune"]
Era = Literal["2025", "pre2025"]
# Unit words, the longest first so that 'thị xã' is not read as 'xã'.
KINDS = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "huyện", "quận", "tỉnh", "xã")
_PARENT_LEVEL: dict[tuple[str, str], str] = {
    ("2025", "commune"): "province",
    ("pre2025", "commune"): "district",
    ("pre2025", "district"): "province",
}
_ERA_ORDER = {"2025": 0, "pre2025": 1}
_LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}
# Combining tone marks; the vowel-quality marks (circumflex, breve, horn) are part of the letter.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}


@dataclass(frozen=True, slots=True)
class Unit:
    """One administrative unit; ``id`` is unique across both maps (``2025/commune/11443``)."""

    id: str
    code: str  # General Statistics Office code: 2 digits province, 3 district, 5 commune
    name: str  # without the unit word: 'Kiến An'
    kind: str  # unit word, lower case: one of KINDS
    level: Level
    era: Era
    parent_id: str | None

    @property
    def full(self) -> str:
        """The name as a document writes it after a lower-case word: 'phường Kiến An'; the one the law
        capitalises whole, 'Thành phố Hồ Chí Minh' (Nghị định 30/2020, Phụ lục II: viết hoa đặc biệt)."""
        return f"{self.kind} {self.name}" if self.name != "Hồ Chí Minh" else f"{self.kind.capitalize()} {self.name}"


def tone_key(text: str) -> str:
    """Lower-case key that ignores where the tone mark sits: 'Thanh Hoá' and 'thanh hóa' agree."""
    out = []
    for word in unicodedata.normalize("NFD", text.lower()).split():
        tone = ""
        letters = []
        for ch in word:
            if ch in _TONES:
                tone = _TONES[ch]
            else:
                letters.append(ch)
        out.append(unicodedata.normalize("NFC", "".join(letters)) + tone)
    return " ".join(out)


class Gazetteer:
    """Look-ups by name (accent- and case-insensitive, exact diacritics first) and by id."""

    def __init__(self, units: tuple[Unit, ...]) -> None:
        self.units = units
        self._by_id = {u.id: u for u in units}
        self._by_fold: dict[str, list[Unit]] = {}
        fold_word = cache(fold_lower)  # names share few distinct words
        for u in units:
            key = " ".join(map(fold_word, u.name.split()))
            self._by_fold.setdefault(key, []).append(u)

    def get(self, unit_id: str) -> Unit | None:
        return self._by_id.get(unit_id)

    def parent(self, unit: Unit) -> Unit | None:
        return self._by_id.get(unit.parent_id) if unit.parent_id else None

    def province(self, unit: Unit) -> Unit:
        """The province ``unit`` lies in (itself if it is one)."""
        while unit.level != "province" and (up := self.parent(unit)) is not None:
            unit = up
        return unit

    def find(self, name: str, kind: str | None = None, *, era: Era | None = None) -> list[Unit]:
        """Units called ``name``; those spelled with the same diacritics come first, then the
        2025 map before the earlier one, then larger units before smaller ones."""
        name = " ".join(name.split())
        found = self._by_fold.get(fold_lower(name), [])
        if kind is not None:
            kind = kind.lower()
            found = [u for u in found if u.kind == kind]
        if era is not None:
            found = [u for u in found if u.era == era]
        key = tone_key(name)
        return sorted(found, key=lambda u: (tone_key(u.name) != key, _ERA_ORDER[u.era], _LEVEL_ORDER[u.level], u.id))


def load(path: Path = DATA) -> Gazetteer:
    units = []
    with path.open(encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        if header != ["era", "level", "code", "kind", "name", "parent_code"]:
            raise ValueError(f"{path}: not a gazetteer file (header {header!r})")
        for line in f:
            era, level, code, kind, name, parent_code = line.rstrip("\n").split("\t")
            parent_level = _PARENT_LEVEL.get((era, level))
            parent_id = f"{era}/{parent_level}/{parent_code}" if parent_level and parent_code else None
            units.append(Unit(f"{era}/{level}/{code}", code, name, kind, level, era, parent_id))  # type: ignore[arg-type]
    return Gazetteer(tuple(units))


@cache
def get_gazetteer() -> Gazetteer:
    """The committed gazetteer, loaded once per process."""
    return load()
