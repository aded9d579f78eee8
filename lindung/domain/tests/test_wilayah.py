import csv
import re
import threading
import time
from collections import Counter
from importlib import resources

import pytest

from lindung.domain import wilayah
from lindung.domain.wilayah import Wilayah


def _legacy_rows() -> list[dict[str, str]]:
    source = resources.files("lindung.domain") / "data" / "wilayah_lama.csv"
    with source.open("r", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _bare(name: str) -> str:
    name = re.sub(r"^(KAB\.|KABUPATEN|KOTA)\s+", "", name.upper())
    return re.sub(r"[^A-Z]", "", name)


@pytest.fixture(scope="module")
def levels() -> dict[int, list[Wilayah]]:
    # Built once: making 83.762 Wilayah values takes ~0.2 s, too slow to repeat per test.
    return {level: wilayah.all_at(level) for level in (1, 2, 3, 4)}


# --- the snapshot: counts of Kepmendagri 300.2.2-2138/2025 (domain.md §6, R20) ---------------------


def test_it_has_38_provinsi(levels):
    assert len(levels[1]) == 38


def test_it_has_416_kabupaten_and_98_kota(levels):
    counts = Counter(w.tingkat for w in levels[2])
    assert counts == {"kabupaten": 416, "kota": 98}


def test_it_has_7285_kecamatan(levels):
    assert len(levels[3]) == 7285


def test_it_has_8496_kelurahan_and_75266_desa_including_14_desa_adat(levels):
    level4 = levels[4]
    assert len(level4) == 83762
    assert Counter(w.tingkat for w in level4) == {"desa": 75266, "kelurahan": 8496}
    adat = [w for w in level4 if w.kode[9] == "3"]
    assert len(adat) == 14
    assert all(w.tingkat == "desa" and w.nama.startswith("Desa Adat ") for w in adat)


def test_it_has_the_kepri_counts_of_domain_md(levels):
    kepri = [w for level in (2, 3, 4) for w in levels[level] if w.kode.startswith("21.")]
    counts = Counter(w.tingkat for w in kepri)
    assert counts == {"kabupaten": 5, "kota": 2, "kecamatan": 80, "kelurahan": 144, "desa": 275}


def test_it_names_kabupaten_and_kota_by_their_code(levels):
    for w in levels[2]:
        prefix = "Kota " if w.tingkat == "kota" else "Kabupaten "
        assert w.nama.startswith(prefix), w


def test_it_loads_every_level_sorted_with_existing_parents(levels):
    for level, regions in levels.items():
        codes = [w.kode for w in regions]
        assert codes == sorted(codes)
        assert {w.level for w in regions} == {level}
    known = {w.kode for level in (1, 2, 3) for w in levels[level]}
    assert all(w.induk in known for level in (2, 3, 4) for w in levels[level])


def test_it_loads_once_under_concurrent_first_use(monkeypatch):
    calls = []

    def slow_load():
        calls.append(1)
        time.sleep(0.01)
        return wilayah._Table({}, {}, {1: [], 2: [], 3: [], 4: []}, {})

    monkeypatch.setattr(wilayah, "_table", None)
    monkeypatch.setattr(wilayah, "_load", slow_load)
    tables = []
    threads = [threading.Thread(target=lambda: tables.append(wilayah._data())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert all(t is tables[0] for t in tables)


# --- lookups ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kode, nama, tingkat",
    [
        ("21", "Kepulauan Riau", "provinsi"),
        ("21.03", "Kabupaten Natuna", "kabupaten"),
        ("21.02", "Kabupaten Karimun", "kabupaten"),
        ("63.02", "Kabupaten Kotabaru", "kabupaten"),
        ("64.09", "Kabupaten Penajam Paser Utara", "kabupaten"),
        ("21.71", "Kota Batam", "kota"),
        ("64.09.01", "Penajam", "kecamatan"),
        ("21.02.03.1001", "Tanjung Balai", "kelurahan"),
        ("21.02.01.2004", "Pauh", "desa"),
        ("91.03.01.3007", "Desa Adat Yoboi", "desa"),
    ],
)
def test_it_gets_a_region(kode, nama, tingkat):
    w = wilayah.get(kode)
    assert (w.kode, w.nama, w.tingkat) == (kode, nama, tingkat)


def test_it_gets_the_parent_code():
    assert wilayah.get("21").induk is None
    assert wilayah.get("21.02").induk == "21"
    assert wilayah.get("21.02.03").induk == "21.02"
    assert wilayah.get("21.02.03.1001").induk == "21.02.03"


def test_it_gets_undotted_and_padded_codes():
    assert wilayah.get("2103") == wilayah.get("21.03")
    assert wilayah.get(" 2102031001 ").kode == "21.02.03.1001"


@pytest.mark.parametrize("kode", ["99", "21.99", "21.02.99", "21.02.03.9999", "", "abc", "2.103"])
def test_it_returns_none_for_unknown_or_malformed_codes(kode):
    assert wilayah.get(kode) is None


def test_it_lists_children_sorted():
    kepri = wilayah.children("21")
    assert [w.kode for w in kepri] == ["21.01", "21.02", "21.03", "21.04", "21.05", "21.71", "21.72"]
    karimun = wilayah.children("2102")
    assert len(karimun) == 14
    assert karimun[0] == Wilayah("21.02.01", "Moro", "kecamatan", "21.02")
    assert [w.kode for w in wilayah.children("21.02.01")][:2] == ["21.02.01.1003", "21.02.01.1010"]


def test_it_lists_no_children_for_a_desa_or_an_unknown_code():
    assert wilayah.children("21.02.01.2004") == []
    assert wilayah.children("21.99") == []
    assert wilayah.children("nonsense") == []


def test_it_refuses_a_level_outside_1_to_4():
    with pytest.raises(ValueError):
        wilayah.all_at(5)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("21", "21"),
        ("2103", "21.03"),
        ("21.03", "21.03"),
        ("210301", "21.03.01"),
        (" 21.03.01.2001 ", "21.03.01.2001"),
        ("2103012001", "21.03.01.2001"),
        ("1", None),
        ("210", None),
        ("21030", None),
        ("21030120", None),
        ("21.0301", None),
        ("21.03.01.201", None),
        ("２１", None),  # full-width digits are not codes
        ("", None),
        (None, None),
    ],
)
def test_it_normalises_kode(raw, expected):
    assert wilayah.normalise_kode(raw) == expected


def test_it_tells_kota_and_kelurahan_by_number():
    assert wilayah.is_kota("21.71") and wilayah.is_kota("2172")
    assert not wilayah.is_kota("21.02")
    assert not wilayah.is_kota("21.71.01")  # a kecamatan is not a kota, even inside one
    assert wilayah.is_kelurahan("21.02.03.1001")
    assert not wilayah.is_kelurahan("21.02.01.2004")
    assert not wilayah.is_kelurahan("21.02.03")
    assert not wilayah.is_kelurahan("garbage")


# --- codes removed by the 2022 Papua split --------------------------------------------------------


# Old kecamatan spelt differently today; reviewed one by one (same distrik, same regency).
SPELLING = {"Holuon": "Holuwon", "Seredela": "Seradala", "Kwelemdua": "Kwelamdua", "Ayip": "Ayib",
            "Kobagma": "Kobakma"}


def test_it_maps_every_removed_regency_to_the_same_regency_by_name():
    regencies = [r for r in _legacy_rows() if r["kode_lama"].count(".") == 1]
    assert len(regencies) == 26
    for row in regencies:
        new = wilayah.get(row["kode_baru"])
        assert wilayah.get(row["kode_lama"]) is None, row
        assert new.tingkat == ("kota" if wilayah.is_kota(row["kode_lama"]) else "kabupaten"), row
        assert _bare(new.nama) == _bare(row["nama_lama"]), row
        assert new.kode[:2] in {"93", "94", "95", "96"}, row


def test_it_maps_every_removed_kecamatan_by_name_within_its_mapped_regency():
    rows = _legacy_rows()
    regency_map = {r["kode_lama"]: r["kode_baru"] for r in rows if r["kode_lama"].count(".") == 1}
    districts = [r for r in rows if r["kode_lama"].count(".") == 2]
    assert len(districts) == 594
    for row in districts:
        new = wilayah.get(row["kode_baru"])
        assert wilayah.get(row["kode_lama"]) is None, row
        assert new.induk == regency_map[row["kode_lama"][:5]], row
        assert _bare(new.nama) == _bare(SPELLING.get(row["nama_lama"], row["nama_lama"])), row
    assert len({r["kode_baru"] for r in districts}) == len(districts)


def test_it_covers_every_regency_of_the_four_new_provinces(levels):
    targets = set(wilayah.legacy_codes().values())
    new_regencies = [w.kode for w in levels[2] if w.kode[:2] in {"93", "94", "95", "96"}]
    assert len(new_regencies) == 26
    assert set(new_regencies) <= targets


def test_it_resolves_a_current_code_without_problems():
    region, problems = wilayah.resolve_legacy("21.02")
    assert region.nama == "Kabupaten Karimun"
    assert problems == []


def test_it_resolves_an_old_regency_with_a_warning():
    region, problems = wilayah.resolve_legacy("9101")
    assert region == wilayah.get("93.01")
    assert region.nama == "Kabupaten Merauke"
    assert [(p.code, p.severity) for p in problems] == [("kode_wilayah_lama", "warning")]
    assert "91.01" in problems[0].message and "93.01" in problems[0].message


def test_it_resolves_an_old_kota():
    region, _ = wilayah.resolve_legacy("92.71")
    assert (region.kode, region.nama) == ("96.71", "Kota Sorong")


def test_it_resolves_an_old_kecamatan_by_the_map_not_by_position():
    region, problems = wilayah.resolve_legacy("91.01.01")
    assert (region.kode, region.nama) == ("93.01.01", "Merauke")
    assert problems[0].code == "kode_wilayah_lama"
    # The split renumbered Jayawijaya: old 91.02.40 Trikora is 95.01.12, while 95.01.40 is Wesaput.
    region, _ = wilayah.resolve_legacy("91.02.40")
    assert (region.kode, region.nama) == ("95.01.12", "Trikora")


def test_it_does_not_guess_an_old_desa_but_names_its_new_kecamatan():
    region, problems = wilayah.resolve_legacy("91.02.40.2003")
    assert region is None
    assert [(p.code, p.severity) for p in problems] == [("kode_wilayah_tidak_dikenal", "error")]
    assert "95.01.12" in problems[0].message


@pytest.mark.parametrize("kode", ["99", "21.99", "garbage", ""])
def test_it_reports_an_unknown_code(kode):
    region, problems = wilayah.resolve_legacy(kode)
    assert region is None
    assert [p.code for p in problems] == ["kode_wilayah_tidak_dikenal"]


def test_it_labels_the_snapshot():
    assert wilayah.SNAPSHOT == "Kepmendagri 300.2.2-2138/2025"
