"""The administrative-unit gazetteer: both maps, look-ups that survive lost diacritics."""

from __future__ import annotations

import unicodedata
from collections import Counter

import pytest

from pipeline.gazetteer import KINDS, get_gazetteer, load, tone_key


@pytest.fixture(scope="module")
def gaz():
    return get_gazetteer()


def test_both_maps_are_complete(gaz):
    counts = Counter((u.era, u.level) for u in gaz.units)
    assert counts["2025", "province"] == 34
    assert counts["2025", "commune"] == 3321
    assert counts["2025", "district"] == 0  # districts were abolished on 1 July 2025
    assert counts["pre2025", "province"] == 63
    assert counts["pre2025", "district"] == 696
    assert counts["pre2025", "commune"] == 10051


def test_every_unit_is_clean_and_has_its_parent(gaz):
    # The unit word is split off the name; 'phường Phường Đúc' (Huế) really is called so.
    assert {u.full for u in gaz.units if u.name.lower().split()[0] in KINDS} == {"phường Phường Đúc"}
    for u in gaz.units:
        assert u.name == unicodedata.normalize("NFC", u.name) and "\u00d0" not in u.name
        assert u.kind in KINDS
        if u.level == "province":
            assert u.parent_id is None
        else:
            parent = gaz.parent(u)
            assert parent is not None and parent.era == u.era
            assert parent.level == ("province" if u.level == "commune" and u.era == "2025" else
                                    "district" if u.level == "commune" else "province")  # fmt: skip


def test_kien_an_on_both_maps_with_or_without_diacritics(gaz):
    for typed in ("Kiến An", "kien an", "KIEN AN", "Kién An"):
        found = gaz.find(typed)
        assert [u.full for u in found[:2]] == ["phường Kiến An", "quận Kiến An"], typed
    ward = gaz.find("Kiến An", kind="phường")
    assert [(u.era, gaz.parent(u).full) for u in ward] == [("2025", "thành phố Hải Phòng")]
    assert gaz.find("Kiến An", era="pre2025")[0].full == "quận Kiến An"


def test_exact_diacritics_rank_before_a_folded_namesake(gaz):
    # 'Hải Phong' (a commune) folds like 'Hải Phòng' (the city): the spelling typed wins.
    assert gaz.find("Hải Phòng")[0].full == "thành phố Hải Phòng"
    assert gaz.find("Hải Phong")[0].full == "xã Hải Phong"


def test_tone_placement_does_not_matter(gaz):
    assert tone_key("Thanh Hoá") == tone_key("thanh hóa") != tone_key("thanh hoa")
    assert gaz.find("Thanh Hoá", kind="tỉnh")[0].name == "Thanh Hóa"


def test_province_names_gone_in_2025_are_still_known(gaz):
    (hd,) = gaz.find("Hải Dương", kind="tỉnh")
    assert hd.era == "pre2025" and hd.code == "30"
    assert gaz.get(hd.id) is hd


def test_a_foreign_file_is_refused(tmp_path):
    bad = tmp_path / "units.tsv"
    bad.write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a gazetteer file"):
        load(bad)


def test_the_province_a_unit_lies_in(gaz):
    district = next(u for u in gaz.find("Kiến An", era="pre2025") if u.level == "district")
    province = gaz.province(district)
    assert province.full == "thành phố Hải Phòng"
    assert gaz.province(province) is province
