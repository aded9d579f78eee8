import xml.etree.ElementTree as ET
from fractions import Fraction

from lindung.domain import peta
from lindung.domain.coverage import Share, distinct_people, format_persen, kpi_peserta, kpi_weight, persen


def test_it_rounds_to_two_decimals_half_up():
    assert persen(5_929, 10_000) == 59.29
    assert persen(1, 8) == 12.5
    assert persen(1, 800) == 0.13  # 0.125 rounds up, not to even


def test_it_has_no_share_without_a_universe():
    assert persen(10, 0) is None
    assert persen(0, None) is None
    assert format_persen(None) == "tidak ada data"
    assert Share("21.03.04.2001", "Sabang Mawang", 3, None).label == "tidak ada data"


def test_it_writes_percent_with_a_comma():
    assert format_persen(59.29) == "59,29 %"
    assert format_persen(0.0) == "0,00 %"
    assert format_persen(1234.5) == "1.234,50 %"


def test_it_counts_each_person_once_across_programmes_and_links():
    # The same NIK in two programmes is one key already; two spellings linked by the engine are one person.
    assert distinct_people(["nik-a", "nik-b", "nik-c"], []) == 3
    assert distinct_people(["nik-a", "nik-b", "nik-c"], [("nik-a", "nik-b")]) == 2
    assert distinct_people(["a", "b", "c", "d"], [("a", "b"), ("b", "c"), ("c", "a")]) == 2
    # A link to someone not covered this month changes nothing.
    assert distinct_people(["a", "b"], [("a", "z")]) == 2


def test_it_weights_the_kpi_by_months_up_to_six():
    assert kpi_weight(6) == 1 and kpi_weight(12) == 1
    assert kpi_weight(2) == Fraction(1, 3)
    assert kpi_weight(0) == 0
    assert kpi_peserta([12, 6, 3, 2]) == Fraction(1) + 1 + Fraction(1, 2) + Fraction(1, 3)


def test_it_simplifies_a_ring_keeping_the_corners():
    line = [(0.0, 0.0), (1.0, 0.001), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)]
    assert peta.simplify(line, 0.01) == [(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0), (0.0, 0.0)]


def _svg(areas):
    return ET.fromstring(peta.choropleth(areas, title="Cakupan Kabupaten Natuna", source="Data contoh 2025"))


NS = {"s": "http://www.w3.org/2000/svg"}


def test_it_colours_a_kecamatan_by_its_band_and_lists_the_missing():
    areas = [peta.MapArea("21.03.04", "Midai", 59.29, "59,29 %"), peta.MapArea("21.03.05", "Bunguran Barat", None,
             "tidak ada data"), peta.MapArea("21.03.99", "Tanpa Batas", 10.0, "10,00 %")]
    root = _svg(areas)
    midai = root.find(".//s:path[@data-kode='21.03.04']", NS)
    assert "cakupan-2" in midai.get("class").split()
    assert "cakupan-nd" in root.find(".//s:path[@data-kode='21.03.05']", NS).get("class").split()
    assert root.find(".//s:path[@data-kode='21.03.99']", NS) is None
    texts = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "21.03.99 Tanpa Batas" in texts and "Data contoh 2025" in texts and "59,29 %" in texts


def test_it_falls_back_to_a_tile_grid_without_any_boundary():
    root = _svg([peta.MapArea("99.01.01", "Entah", 85.0, "85,00 %")])
    tile = root.find(".//s:rect[@data-kode='99.01.01']", NS)
    assert "cakupan-4" in tile.get("class").split()
    assert "Peta petak" in ET.tostring(root, encoding="unicode")


def test_it_has_the_demo_provinces_kecamatan():
    known = peta.boundaries()
    assert {"21.03.04", "21.02.03", "64.09.01", "63.02.01"} <= set(known)


def test_it_keeps_the_record_first_in_the_given_order():
    from lindung.domain.coverage import representatives
    kept = representatives(["b", "a", "c"], [("b", "a"), ("c", "b")], order=lambda r: r)
    assert kept == {"a": "a", "b": "a", "c": "a"}
