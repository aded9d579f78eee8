"""The demo candidate lists: deterministic, realistic, and honest about which rows are flawed.

Pure Python (no database): run with `pytest -p no:django lindung/programs/tests/test_demo_data.py`.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from collections import Counter
from datetime import date, datetime

import pytest
from python_calamine import CalamineWorkbook

from lindung.domain import wilayah
from lindung.domain.nik import compare_with_record, parse_jenis_kelamin, parse_nik
from lindung.domain.pekerjaan import parse_pekerjaan
from lindung.domain.periods import age_on
from lindung.programs import demo_data
from lindung.programs.demo_data import COLUMNS, FLAWS, DemoRow, build_csv, build_xlsx, generate_rows

START = date(2025, 11, 1)
KARIMUN = "21.02"
ADMIN_FLAWS = {"nik_15_digit", "nik_excel", "nik_tanggal", "nik_ganda"}


@pytest.fixture(scope="module")
def rows() -> list[DemoRow]:
    return generate_rows(n=1000)


@pytest.fixture(scope="module")
def clean(rows) -> list[DemoRow]:
    return [r for r in rows if r.flaw is None]


def birth_date(value: object) -> date:
    """The recorded birth date of a clean row: an Excel date, or dd/mm/yyyy or dd-mm-yyyy text."""
    if isinstance(value, date):
        return value
    day, month, year = re.fullmatch(r"(\d\d)[/-](\d\d)[/-](\d{4})", value).groups()
    return date(int(year), int(month), int(day))


def kode_desa(value: object) -> str | None:
    return wilayah.normalise_kode(value) if isinstance(value, str) else None


# -- shape and determinism -------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 7, 250])
def test_it_makes_exactly_n_rows_with_every_column(n):
    made = generate_rows(n=n)
    assert len(made) == n
    assert all(tuple(r.values) == COLUMNS for r in made)


def test_the_same_arguments_give_the_same_rows_and_bytes(rows):
    again = generate_rows(n=1000)
    assert again == rows
    assert build_xlsx(again) == build_xlsx(rows)
    assert build_xlsx(again, title="DAFTAR") == build_xlsx(rows, title="DAFTAR")
    assert build_csv(again) == build_csv(rows)


def test_the_xlsx_is_the_same_in_another_process(rows):
    # Hash seeds, temp file names and the clock must not leak into the file.
    code = (
        "import hashlib, sys; from lindung.programs.demo_data import build_xlsx, generate_rows; "
        "sys.stdout.write(hashlib.sha256(build_xlsx(generate_rows(n=300))).hexdigest())"
    )
    digests = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={"PYTHONHASHSEED": seed, "TZ": tz}).stdout
        for seed, tz in (("1", "UTC"), ("2", "Australia/Sydney"))
    }
    assert len(digests) == 1


def test_another_seed_gives_another_list(rows):
    other = generate_rows(n=1000, seed=2026)
    assert [r.values["NIK"] for r in other] != [r.values["NIK"] for r in rows]


def test_iter_rows_streams_the_same_rows(rows):
    assert list(demo_data.iter_rows(n=1000)) == rows


def test_it_imports_no_django():
    code = (
        "import sys, lindung.programs.demo_data; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


# -- flaws -----------------------------------------------------------------------------------


@pytest.mark.parametrize("n, rate", [(1000, 0.06), (1000, 0.2), (500, 0.06), (333, 0.1), (1000, 0.0)])
def test_exactly_the_asked_share_of_rows_is_flawed(n, rate):
    made = generate_rows(n=n, flaw_rate=rate)
    assert sum(r.flaw is not None for r in made) == round(n * rate)


def test_the_flaws_are_mixed_by_their_weights(rows):
    counts = Counter(r.flaw for r in rows if r.flaw)
    assert set(counts) == set(FLAWS)
    total = sum(demo_data.FLAW_WEIGHTS.values())
    for flaw, weight in demo_data.FLAW_WEIGHTS.items():
        assert abs(counts[flaw] - 60 * weight / total) < 1
    # Mixed through the list, not bunched: flawed rows in every tenth of it.
    assert all(any(r.flaw for r in rows[i : i + 100]) for i in range(0, 1000, 100))


def test_every_row_is_flawed_when_asked_and_duplicates_still_repeat_a_clean_row():
    made = generate_rows(n=40, flaw_rate=1.0)
    assert all(r.flaw for r in made)
    assert "nik_ganda" not in {r.flaw for r in made[:1]}
    tiny = generate_rows(n=3, flaw_rate=1.0)
    assert all(r.flaw for r in tiny)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        generate_rows(n=10, flaw_rate=1.5)
    with pytest.raises(ValueError):
        generate_rows(n=-1)
    with pytest.raises(ValueError):
        generate_rows(n=10, kabupaten="99.99")
    with pytest.raises(ValueError):
        generate_rows(n=10, desa_codes=["21.03.04.1003"])  # a Natuna desa in a Karimun list


def _flawed(rows, flaw):
    found = [r for r in rows if r.flaw == flaw]
    assert found, flaw
    return found


def test_nik_flaws_are_what_the_nik_check_rejects(rows):
    for r in _flawed(rows, "nik_15_digit"):
        assert re.fullmatch(r"\d{15}", r.values["NIK"])
        assert [p.code for p in parse_nik(r.values["NIK"]).errors] == ["not_16_digits"]
    for r in _flawed(rows, "nik_tanggal"):
        assert [p.code for p in parse_nik(r.values["NIK"], today=START).errors] == ["birth_date_invalid"]
    kinds = set()
    for r in _flawed(rows, "nik_excel"):
        nik = r.values["NIK"]
        kinds.add(type(nik))
        if isinstance(nik, float):  # a number cell: Excel kept 15 significant digits
            assert nik.is_integer() and len(str(int(nik))) == 16 and int(nik) % 10 == 0
        else:
            assert re.fullmatch(r"\d\.\d{1,5}E\+15", nik)
            assert [p.code for p in parse_nik(nik).errors] == ["scientific_notation"]
    assert kinds == {float, str}


def test_a_duplicate_repeats_an_earlier_clean_person(rows):
    seen: dict[str, DemoRow] = {}
    respelled = 0
    for r in rows:
        if r.flaw == "nik_ganda":
            first = seen[r.values["NIK"]]
            assert first.flaw is None
            assert birth_date(first.values["Tanggal Lahir"]) == birth_date(r.values["Tanggal Lahir"])
            respelled += first.values["Nama Lengkap"] != r.values["Nama Lengkap"]
        elif r.flaw is None:
            seen[r.values["NIK"]] = r
    assert respelled >= 1


def test_age_flaws_are_outside_18_to_65_with_a_consistent_nik(rows):
    for flaw, low, high in (("usia_lebih", 66, 75), ("usia_kurang", 15, 17)):
        for r in _flawed(rows, flaw):
            born = birth_date(r.values["Tanggal Lahir"])
            assert low <= age_on(born, START) <= high
            result = parse_nik(r.values["NIK"], today=START)
            assert result.valid and result.tanggal_lahir == born


def test_region_flaws(rows):
    for r in _flawed(rows, "desa_kosong"):
        assert r.values["Kode Desa/Kelurahan"] is None
    for r in _flawed(rows, "desa_luar"):
        region = wilayah.get(kode_desa(r.values["Kode Desa/Kelurahan"]))
        assert region is not None and region.level == 4
        assert region.kode[:2] == "21" and not region.kode.startswith(KARIMUN)


def test_other_flaws(rows):
    for r in _flawed(rows, "pekerjaan_tidak_dikenal"):
        assert parse_pekerjaan(r.values["Pekerjaan"]) is None
    for r in _flawed(rows, "nama_kosong"):
        assert not (r.values["Nama Lengkap"] or "").strip()
    for r in _flawed(rows, "tanggal_teks_rusak"):
        text = r.values["Tanggal Lahir"]
        assert isinstance(text, str)
        assert re.fullmatch(r"\d{4}", text) or re.fullmatch(r"3[01]/02/\d{4}", text)
    for r in _flawed(rows, "jk_beda"):
        result = parse_nik(r.values["NIK"], today=START)
        assert result.valid
        problems = compare_with_record(result, tanggal_lahir=birth_date(r.values["Tanggal Lahir"]),
                                       jenis_kelamin=r.values["Jenis Kelamin"])
        assert [(p.code, p.severity) for p in problems] == [("sex_mismatch", "warning")]


def test_flaws_touch_only_their_own_column(rows):
    # Apart from its flaw, a flawed row is as good as a clean one: one flaw, one problem.
    for r in rows:
        if r.flaw is None:
            continue
        if r.flaw not in ADMIN_FLAWS:
            assert parse_nik(r.values["NIK"], today=START).valid, r
        if r.flaw != "pekerjaan_tidak_dikenal":
            assert parse_pekerjaan(r.values["Pekerjaan"]) is not None, r
        if r.flaw != "nama_kosong":
            assert r.values["Nama Lengkap"].strip(), r
        if r.flaw not in ("desa_kosong", "desa_luar"):
            assert kode_desa(r.values["Kode Desa/Kelurahan"]).startswith(KARIMUN), r


# -- clean rows ------------------------------------------------------------------------------


def test_clean_niks_are_valid_and_agree_with_the_row(clean):
    for r in clean:
        result = parse_nik(r.values["NIK"], today=START)
        assert result.valid and not result.warnings, r
        assert isinstance(r.values["NIK"], str)
        assert result.kode_kecamatan.startswith(KARIMUN + ".")
        born = birth_date(r.values["Tanggal Lahir"])
        assert compare_with_record(result, tanggal_lahir=born, jenis_kelamin=r.values["Jenis Kelamin"]) == []
        assert result.tanggal_lahir == born
        assert result.jenis_kelamin == parse_jenis_kelamin(r.values["Jenis Kelamin"])
        assert int(r.values["NIK"][12:]) >= 1


def test_clean_niks_are_unique(rows, clean):
    niks = [r.values["NIK"] for r in clean]
    assert len(set(niks)) == len(niks)
    # Only a nik_ganda row repeats a 16-digit NIK.
    counts = Counter(r.values["NIK"] for r in rows if re.fullmatch(r"\d{16}", str(r.values["NIK"])))
    repeated = {nik for nik, c in counts.items() if c > 1}
    assert repeated == {r.values["NIK"] for r in rows if r.flaw == "nik_ganda"}


def test_clean_ages_are_18_to_65_and_mostly_25_to_55(clean):
    ages = [age_on(birth_date(r.values["Tanggal Lahir"]), START) for r in clean]
    assert min(ages) >= 18 and max(ages) <= 65
    assert sum(25 <= a <= 55 for a in ages) / len(ages) > 0.65
    assert {a // 10 for a in ages} == {1, 2, 3, 4, 5, 6}


def test_nik_prefix_is_usually_the_home_kecamatan(clean):
    away = sum(parse_nik(r.values["NIK"]).kode_kecamatan != kode_desa(r.values["Kode Desa/Kelurahan"])[:8]
               for r in clean)
    assert 0.04 < away / len(clean) < 0.16


def test_occupations_are_karimuns_mix_and_recognised(rows, clean):
    codes = Counter(parse_pekerjaan(r.values["Pekerjaan"]) for r in clean)
    assert None not in codes
    assert set(codes) == {"ojek_pangkalan", "pedagang_kecil", "buruh_bongkar_muat", "marbot",
                          "tukang_parkir", "pekerja_rumah_tangga", "serabutan", "nelayan"}
    written = {r.values["Pekerjaan"] for r in clean}
    assert {"Ojek pangkalan", "Ojek", "nelayan"} <= written  # labels and common variants


def test_desa_are_real_karimun_codes_weighted_to_kelurahan(clean):
    codes = Counter(kode_desa(r.values["Kode Desa/Kelurahan"]) for r in clean)
    regions = [wilayah.get(c) for c in codes]
    assert all(w is not None and w.level == 4 and w.kode.startswith(KARIMUN + ".") for w in regions)
    assert len(codes) >= 30
    kelurahan = sum(n for c, n in codes.items() if wilayah.is_kelurahan(c))
    assert kelurahan / sum(codes.values()) > 0.6
    written = {r.values["Kode Desa/Kelurahan"] for r in clean}
    assert any("." in c for c in written) and any("." not in c for c in written)


def test_desa_codes_restrict_the_list():
    chosen = ["21.02.03.1001", "21.02.04.1001", "21.02.01.2004"]
    made = generate_rows(n=200, desa_codes=chosen, flaw_rate=0)
    assert {kode_desa(r.values["Kode Desa/Kelurahan"]) for r in made} == set(chosen)


def test_another_kabupaten_works():
    made = generate_rows(n=200, kabupaten="21.03", seed=7)
    for r in made:
        if r.flaw is None:
            assert parse_nik(r.values["NIK"], today=START).kode_kecamatan.startswith("21.03.")
            assert kode_desa(r.values["Kode Desa/Kelurahan"]).startswith("21.03.")


def test_other_fields_look_like_a_desa_list(clean):
    for r in clean:
        v = r.values
        assert re.fullmatch(r"\d{16}", v["No. KK"])
        assert v["No. KK"][:6] == kode_desa(v["Kode Desa/Kelurahan"])[:8].replace(".", "")  # domicile
        assert 1 <= int(v["RT"]) <= 15 and 1 <= int(v["RW"]) <= 15
        assert v["Nama Ibu Kandung"].strip() and v["Tempat Lahir"].strip() and v["Alamat"].strip()
        if v["No. HP"] is not None:
            digits = re.sub(r"[\s+-]", "", v["No. HP"])
            local = "0" + digits[2:] if digits.startswith("62") else digits
            assert re.fullmatch(r"08\d{8,11}", local), v["No. HP"]
    names = " ".join(r.values["Nama Lengkap"].lower() for r in clean)
    for part in (" bin ", " binti ", "muhammad", "siti", "h. ", "hj. "):
        assert part in names, part
    assert sum(isinstance(r.values["Tanggal Lahir"], date) for r in clean) / len(clean) > 0.6
    assert any(isinstance(r.values["Tanggal Lahir"], str) and "-" in r.values["Tanggal Lahir"] for r in clean)


# -- files -----------------------------------------------------------------------------------


def _sheet(data: bytes) -> list[list]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)


def _cell(value):
    # What calamine gives back for what was written: datetimes for dates, floats for numbers.
    if value is None:
        return ""
    if isinstance(value, int):
        return float(value)
    return value


def test_the_xlsx_reads_back_with_its_header_and_rows(rows):
    table = _sheet(build_xlsx(rows))
    assert table[0] == list(COLUMNS)
    assert len(table) == 1 + len(rows)
    for row, written in zip(table[1:], rows):
        got = [v.date() if isinstance(v, datetime) else v for v in row]
        assert got == [_cell(written.values[c]) for c in COLUMNS]


def test_niks_are_text_cells_except_where_excel_damaged_them(rows):
    table = _sheet(build_xlsx(rows))
    for row, written in zip(table[1:], rows):
        assert isinstance(row[1], str)
        if written.flaw == "nik_excel" and isinstance(written.values["NIK"], float):
            assert isinstance(row[0], float)
        else:
            assert isinstance(row[0], str)


def test_a_title_goes_above_the_header():
    made = generate_rows(n=20)
    table = _sheet(build_xlsx(made, title="DAFTAR CALON PESERTA KELURAHAN TANJUNG BALAI"))
    assert table[0][0] == "DAFTAR CALON PESERTA KELURAHAN TANJUNG BALAI"
    assert not any(table[1])
    assert table[2] == list(COLUMNS)
    assert len(table) == 3 + 20


def test_the_csv_reads_back(rows):
    data = build_csv(rows)
    table = list(csv.reader(io.StringIO(data.decode("utf-8")), delimiter=";"))
    assert table[0] == list(COLUMNS)
    assert len(table) == 1 + len(rows)
    for row, written in zip(table[1:], rows):
        nik = written.values["NIK"]
        if isinstance(nik, str):
            assert row[0] == nik
        else:
            assert re.fullmatch(r"\d\.\d{1,5}E\+15", row[0])  # Excel shows a number cell that way
        born = written.values["Tanggal Lahir"]
        assert row[4] == (born.strftime("%d/%m/%Y") if isinstance(born, date) else born)
    other = build_csv(rows[:3], delimiter=",", encoding="utf-8-sig")
    assert other.startswith("\ufeffNIK,No. KK,".encode("utf-8"))
