import pytest
from hypothesis import given
from hypothesis import strategies as st

from lindung.domain.pekerjaan import (
    ALLOWED_PEKERJAAN_BY_SUMBER,
    PEKERJAAN,
    SUMBER_DANA,
    TRANSPORT_PEKERJAAN,
    PekerjaanError,
    label_of,
    parse_pekerjaan,
    sektor_of,
)

REQUIRED = [
    "petani",
    "nelayan",
    "ojek_pangkalan",
    "ojol",
    "kurir",
    "pedagang_kecil",
    "buruh_harian_lepas",
    "buruh_bongkar_muat",
    "marbot",
    "guru_ngaji",
    "kader_posyandu",
    "perangkat_desa",
    "rt_rw_lpm",
    "tukang_parkir",
    "pekerja_rumah_tangga",
    "serabutan",
    "atlet",
    "penggali_kubur",
    "petani_tembakau",
    "buruh_tani_tembakau",
    "buruh_pabrik_rokok",
]


def test_the_list_has_every_occupation_programmes_report():
    for code in REQUIRED:
        assert code in PEKERJAAN


def test_labels_are_unique_and_codes_are_machine_friendly():
    assert len(set(PEKERJAAN.values())) == len(PEKERJAAN)
    for code in PEKERJAAN:
        assert code == code.lower() and " " not in code


@pytest.mark.parametrize("code", ["ojek_pangkalan", "ojol", "kurir", "sopir"])
def test_drivers_and_couriers_are_transport_sector(code):
    assert sektor_of(code) == "transportasi"


@pytest.mark.parametrize("code", ["petani", "nelayan", "pedagang_kecil", "buruh_bongkar_muat"])
def test_other_occupations_have_no_sector(code):
    assert sektor_of(code) is None


def test_sektor_of_nothing_is_nothing():
    assert sektor_of(None) is None


def test_sektor_of_an_unknown_code_is_an_error():
    with pytest.raises(PekerjaanError):
        sektor_of("pilot")


def test_transport_codes_are_all_in_the_list():
    assert TRANSPORT_PEKERJAAN <= set(PEKERJAAN)


@pytest.mark.parametrize(
    "text, code",
    [
        ("Petani", "petani"),
        ("  PETANI  ", "petani"),
        ("tani", "petani"),
        ("ojol", "ojol"),
        ("Ojek Online", "ojol"),
        ("ojek  online", "ojol"),
        ("ojek-online", "ojol"),
        ("Ojek Online (ojol)", "ojol"),
        ("ojek", "ojek_pangkalan"),
        ("Ojek pangkalan", "ojek_pangkalan"),
        ("Buruh Tani Tembakau", "buruh_tani_tembakau"),
        ("buruh_tani_tembakau", "buruh_tani_tembakau"),
        ("petani tembakau", "petani_tembakau"),
        ("buruh pabrik rokok", "buruh_pabrik_rokok"),
        ("RT/RW/LPM", "rt_rw_lpm"),
        ("Ketua RT", "rt_rw_lpm"),
        ("PRT", "pekerja_rumah_tangga"),
        ("juru parkir", "tukang_parkir"),
        ("marbut", "marbot"),
        ("Guru Ngaji", "guru_ngaji"),
        ("kader posyandu", "kader_posyandu"),
        ("supir angkot", "sopir"),
        ("kurir paket", "kurir"),
        ("pedagang kaki lima", "pedagang_kecil"),
        ("Buruh harian lepas", "buruh_harian_lepas"),
        ("TKBM", "buruh_bongkar_muat"),
    ],
)
def test_parse_pekerjaan_tolerates_case_spacing_and_synonyms(text, code):
    assert parse_pekerjaan(text) == code


@pytest.mark.parametrize("text", ["", "   ", None, "astronot", "petani padi sawah luas", 42])
def test_parse_pekerjaan_returns_none_when_unsure(text):
    assert parse_pekerjaan(text) is None


@given(st.text())
def test_parse_pekerjaan_never_raises_and_only_returns_known_codes(text):
    assert parse_pekerjaan(text) in (None, *PEKERJAAN)


def test_every_code_and_label_parses_to_itself():
    for code, label in PEKERJAAN.items():
        assert parse_pekerjaan(code) == code
        assert parse_pekerjaan(label) == code


def test_label_of():
    assert label_of("guru_ngaji") == "Guru ngaji"
    with pytest.raises(PekerjaanError):
        label_of("guru")


def test_funding_sources_and_their_labels():
    assert SUMBER_DANA == {
        "apbd_kabkota": "APBD Kabupaten/Kota",
        "apbd_provinsi": "APBD Provinsi",
        "dbhcht": "DBHCHT",
        "apbdes": "APBDes",
        "dana_desa": "Dana Desa",
    }


def test_dbhcht_pays_only_for_tobacco_workers():
    assert ALLOWED_PEKERJAAN_BY_SUMBER["dbhcht"] == {"petani_tembakau", "buruh_tani_tembakau", "buruh_pabrik_rokok"}


def test_other_sources_pay_for_any_occupation():
    assert set(ALLOWED_PEKERJAAN_BY_SUMBER) == set(SUMBER_DANA)
    for sumber, allowed in ALLOWED_PEKERJAAN_BY_SUMBER.items():
        if sumber != "dbhcht":
            assert allowed == set(PEKERJAAN)
