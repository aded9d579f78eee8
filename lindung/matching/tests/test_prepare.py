"""Preparation SQL, checked against the Python references in lindung.domain (one rule, two engines)."""

from datetime import date

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lindung.domain import names
from lindung.domain.nik import parse_nik
from lindung.matching import columns, prepare
from lindung.matching.run import _build_lookups
from lindung.matching.tests.generated import generated_lists

REF_DATE = date(2026, 1, 1)


def _prepared(rows: list[dict]) -> list[dict]:
    con = duckdb.connect()
    columns.load(con, "raw_t", rows, label="uji")
    _build_lookups(con, ["raw_t"])
    cursor = con.execute(f"SELECT * FROM ({prepare.prepared_sql('raw_t', REF_DATE)}) ORDER BY unique_id")
    header = [d[0] for d in cursor.description]
    return [dict(zip(header, row)) for row in cursor.fetchall()]


def _one(**fields) -> dict:
    return _prepared([{"id": "1", "nama": "Budi", "nik": None, **fields}])[0]


def test_a_clean_nik_gives_its_birth_date_sex_and_blocking_keys():
    row = _one(nik="2102014507850001")
    assert row["nik"] == "2102014507850001"
    assert (row["nik_dob"], row["nik_sex"]) == ("1985-07-05", "P")  # day 45 = a woman born on the 5th
    assert (row["nik12"], row["nik_tail10"], row["nik_region_serial"]) == ("210201450785", "4507850001", "2102010001")
    # No recorded date or sex: the NIK's stand in.
    assert (row["dob"], row["sex"], row["dob_year"]) == ("1985-07-05", "P", 1985)


def test_nik_birth_years_take_the_latest_century_not_in_the_future():
    assert _one(nik="2102011203080001")["nik_dob"] == "2008-03-12"  # 18 in 2026
    assert _one(nik="2102011203260001")["nik_dob"] == "1926-03-12"  # March 2026 is after the reference date


@pytest.mark.parametrize("written, nik, loose", [
    ("2102 0145 0785 0001", "2102014507850001", "2102014507850001"),
    ("'2102014507850001", "2102014507850001", "2102014507850001"),
    ("2102014507850001.0", "2102014507850001", "2102014507850001"),
    ("210201450785001", None, "210201450785001"),      # a digit dropped: kept for edit distance only
    ("2.10201E+15", None, None),                        # Excel kept six digits: nothing usable
    ("", None, None),
])
def test_nik_forms(written, nik, loose):
    row = _one(nik=written)
    assert (row["nik"], row["nik_loose"]) == (nik, loose)


@pytest.mark.parametrize("written", [
    "0000000000000000", "0", "-", "BELUM ADA", "1111111111111111", "9999999999999999",
    "9902011203900012",   # no province 99
    "000000000000000", "11111111111111111",
])
def test_placeholder_niks_are_missing_not_a_nik(written):
    row = _one(nik=written)
    assert (row["nik"], row["nik_loose"], row["nik12"], row["nik_sex"], row["nik_dob"]) == (None,) * 5


@pytest.mark.parametrize("written", ["2102013203900012", "2102011203900000"])  # day 32; serial 0000
def test_a_nik_with_an_impossible_date_or_serial_is_kept_for_typos_only(written):
    row = _one(nik=written)
    assert (row["nik"], row["nik12"], row["nik_loose"]) == (None, None, written)


def test_excel_zeroed_tail_keeps_a_stem():
    assert _one(nik="2102014507850000")["nik_stem"] == "210201450785"
    assert _one(nik="2102014507850120")["nik_stem"] == "210201450785012"
    assert _one(nik="2102014507850001")["nik_stem"] is None


@pytest.mark.parametrize("written, expected", [
    ("1985-07-05", "1985-07-05"), ("05-07-1985", "1985-07-05"), ("05/07/1985", "1985-07-05"),
    ("05.07.1985", "1985-07-05"), ("31154", "1985-04-17"), ("31154.0", "1985-04-17"),
    ("1985-07-05 00:00:00", "1985-07-05"), ("bukan tanggal", None), ("31-02-1985", None),
])
def test_birth_dates_in_every_written_form(written, expected):
    assert _one(tanggal_lahir=written)["dob"] == expected


def test_day_and_month_swapped_form():
    assert _one(tanggal_lahir="05-07-1985")["dob_swapped"] == "1985-05-07"
    assert _one(tanggal_lahir="25-07-1985")["dob_swapped"] is None  # no 25th month


def test_the_niks_birth_date_is_the_parsed_text_for_every_day_month_and_year_digits():
    """prepare._born_2000_sql (integers, make_date) against formatting the digits as a date text and
    parsing it, the form it replaced, on all 1.000.000 day/month/year digits (women's day + 40 too)."""
    con = duckdb.connect()
    day = "CAST(substr(nik, 7, 2) AS INTEGER)"
    reference = (f"CAST(try_strptime(printf('%d-%s-%02d', 2000 + CAST(substr(nik, 11, 2) AS INTEGER), substr(nik, 9, 2), "
                 f"CASE WHEN {day} > 40 THEN {day} - 40 ELSE {day} END), '%Y-%m-%d') AS DATE)")
    rows = con.execute(f"""SELECT count(*), count(*) FILTER (WHERE ({reference}) IS DISTINCT FROM ({prepare._born_2000_sql('nik')})),
            count({prepare._born_2000_sql('nik')})
        FROM (SELECT '210201' || lpad(CAST(range AS VARCHAR), 6, '0') || '0001' AS nik FROM range(1000000))""").fetchall()
    assert rows == [(1000000, 0, 73050)]  # 36.525 days of 2000-2099, twice (men, women)


def test_swapped_date_is_the_parsed_swapped_text_for_every_date():
    """prepare.swapped_sql (day <= 12, make_date) against parsing strftime('%Y-%d-%m') as a date, the
    form it replaced, on every date of the years 1-9999 and NULL."""
    con = duckdb.connect()
    reference = "CAST(CAST(try_strptime(strftime(d, '%Y-%d-%m'), '%Y-%m-%d') AS DATE) AS VARCHAR)"
    rows = con.execute(f"""SELECT count(*), count(*) FILTER (WHERE ({reference}) IS DISTINCT FROM ({prepare.swapped_sql('d')})),
            count({prepare.swapped_sql('d')})
        FROM (SELECT CAST(range AS DATE) AS d FROM range(DATE '0001-01-01', DATE '9999-12-31', INTERVAL 1 DAY)
              UNION ALL SELECT NULL)""").fetchall()
    assert rows == [(3652059, 0, 1439856)]


def test_phone_prefixes_go_as_with_three_replacements_in_turn():
    """phone_local_sql's one pattern against the three replacements it replaced (^00, then ^62, then
    ^0), on every string of the digits that make those prefixes (0, 2, 6) and another (8), up to 6 long."""
    import itertools

    con = duckdb.connect()
    values = ["".join(p) for n in range(7) for p in itertools.product("0268", repeat=n)]
    con.execute("CREATE TABLE t (x VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?)", [[v] for v in values] + [[None]])
    in_turn = "regexp_replace(regexp_replace(regexp_replace(x, '^00', ''), '^62', ''), '^0', '')"
    differ = con.execute(f"SELECT count(*) FROM t WHERE ({in_turn}) IS DISTINCT FROM ({prepare.phone_local_sql('x')})")
    assert differ.fetchall() == [(0,)] and len(values) == 5461


def test_recorded_date_and_sex_win_over_the_nik():
    row = _one(nik="2102014507850001", tanggal_lahir="1986-07-05", jenis_kelamin="Laki-laki")
    assert (row["dob"], row["sex"], row["nik_sex"]) == ("1986-07-05", "L", "P")  # R7: never "corrected"


@pytest.mark.parametrize("written, sex", [("L", "L"), ("laki-laki", "L"), ("P", "P"), ("Perempuan", "P"),
                                          ("W", "P"), ("M", "L"), ("F", "P"), ("?", None), ("", None)])
def test_sex_forms(written, sex):
    assert _one(jenis_kelamin=written)["sex"] == sex


def test_names_use_the_domain_rules():
    row = _one(nama="H. MOCHAMMAD JOESOEF, S.Pd.I bin Abdoel Kadir", nama_ibu="Hj. Sitti Noor Aisyah")
    # Then each word as it sounds (names.sound_alike): yusuf -> yusup, aisyah -> aisa.
    assert row["nama"] == "muhammad yusup"
    assert row["nama_ayah"] == "abdul kadir"
    assert (row["nama_key"], row["nama_sorted"], row["nama_first"], row["nama_last"]) == (
        "muhammadyusup", "muhammad yusup", "muhammad", "yusup")
    assert row["ibu"] == "siti nur aisa"


@pytest.mark.parametrize("a, b", [
    ("ARIF ANWAR PAUZI", "Arif Anwar Fauzi"),
    ("Sitti Nurmiati Daeng Te'ne", "ST. NURMIATI DG. TE'NE"),
    ("HADY FITRIADI", "Hadi Fitriadie"),
    ("Siti Fatimah", "Siti Patima"),
    ("Taufiq Ramadhan", "Taufik Ramadan"),
    ("Junaedi Syamsudin", "Junaidi Samsudin"),
])
def test_sound_alike_spellings_give_one_name(a, b):
    assert _one(nama=a)["nama"] == _one(nama=b)["nama"]


def test_places_lose_their_level_words():
    row = _one(desa="Desa Pangke", kecamatan="KEC. MERAL", kabupaten="Kab. Karimun")
    assert (row["desa"], row["kecamatan"], row["kabupaten"]) == ("pangke", "meral", "karimun")


def test_region_codes_become_their_names():
    row = _one(kecamatan="21 02 10", kabupaten="64.09")
    assert (row["kecamatan"], row["kabupaten"]) == ("meral barat", "penajam paser utara")


@pytest.mark.parametrize("written", ["+62 812-3456-7890", "62812345678901", "0812 3456 789", "812345678",
                                     "0062812345678", "081234567890.0", "6.28123E+12", "021-555-1234", ""])
def test_phones_match_the_reference(written):
    assert _one(no_hp=written)["hp"] == names.normalise_phone(written or None)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet="0123456789 +-.,eE()", max_size=20))
def test_phone_sql_agrees_with_the_reference_on_any_text(written):
    assert _one(no_hp=written)["hp"] == names.normalise_phone(written.strip() or None)


@settings(max_examples=100, deadline=None)
@given(st.from_regex(r"\A(1[1-9]|[2-9][0-9])[0-9]{4}([0-6][0-9]|7[01])(0[1-9]|1[0-2])[0-9]{2}[0-9]{4}\Z"))
def test_nik_birth_date_and_sex_agree_with_the_domain_parser(nik):
    parsed = parse_nik(nik, today=REF_DATE)
    row = _one(nik=nik)
    if not parsed.valid or len(set(nik)) == 1:
        assert (row["nik"], row["nik_dob"], row["nik_sex"]) == (None, None, None)  # not a NIK: missing
    elif parsed.tanggal_lahir is not None:
        assert row["nik_dob"] == parsed.tanggal_lahir.isoformat()
        assert row["nik_sex"] == parsed.jenis_kelamin


@settings(max_examples=100, deadline=None)
@given(st.one_of(
    st.from_regex(r"\A(1[1-9]|[2-9][0-9]|00)[0-9]{4}([0-7][0-9])(0[0-9]|1[0-3])[0-9]{2}(0000|[0-9]{3}0|[0-9]{4})\Z"),
    st.sampled_from("0123456789").map(lambda d: d * 16)))
def test_nik_columns_worked_out_once_are_the_plausible_nik_reference(nik):
    """prepared_sql tests the placeholder and the birth date once per row; plausible_nik_sql is the
    reference for the NIK it keeps, the stem (serial 0000 allowed) and the NIK's birth date."""
    reference = duckdb.execute(f"""
        SELECT nik, CASE WHEN regexp_matches(zeroed, '0$') THEN substr(zeroed, 1, 12) || rtrim(substr(zeroed, 13, 4), '0') END,
            CAST({prepare._born_sql('nik', REF_DATE)} AS VARCHAR)
        FROM (SELECT CASE WHEN {prepare.plausible_nik_sql('v', REF_DATE)} THEN v END AS nik,
                     CASE WHEN {prepare.plausible_nik_sql('v', REF_DATE, serial=False)} THEN v END AS zeroed
              FROM (SELECT CAST(? AS VARCHAR) AS v))""", [nik]).fetchall()[0]
    row = _one(nik=nik)
    assert (row["nik"], row["nik_stem"], row["nik_dob"]) == reference


# --- names assembled in SQL (run._build_names_lookup) against the Python reference (prepare.name_row) ----
def _lookup_both_ways(values: list[str]) -> tuple[dict, dict]:
    """names_lookup as the engine builds it, and name_row for each value, as {raw: (own, father, key, sorted, tokens)}."""
    con = duckdb.connect()
    columns.load(con, "raw_t", [{"id": str(i), "nama": v, "nik": None} for i, v in enumerate(values)],
                 label="uji")
    _build_lookups(con, ["raw_t"])
    built = {raw: tuple(rest) for raw, *rest in con.execute(
        "SELECT raw, own, father, key, sorted, tokens FROM names_lookup").fetchall()}
    reference = {}
    for value in con.execute("SELECT DISTINCT nama FROM raw_t WHERE nama IS NOT NULL").fetchall():
        own, father, key, ordered, tokens = prepare.name_row(value[0])
        reference[value[0]] = (own or None, father, key or None, ordered or None, tokens)
    return built, reference


# Words that exercise every rule: gelar as written (dots, spaces, no dots), bin/binti, M./St., old
# spelling, spelling families, doubled letters, sound-alikes, apostrophes, noble name parts, initials.
_NAME_WORDS = (
    "H.", "Hj", "HJ.", "K.H.", "Drs.", "Dr", "Ir.", "Prof.", "Tgk.", "Ust.", "Alm.", "Bpk", "Ny.", "Haji", "Ibu",
    "S.Pd.I", "S.Pd", "S.Pd.SD", "A.Md.", "A. Md.", "A.Md.Kep", "S.E.", "SE", "S.Kom", "M.Pd.", "MM", "Lc", "MA",
    "S", "Pd", "I", "Md", "Kep", "SH", "bin", "binti", "bt", "B.", "b", "BTE", "M.", "M", "St.", "ST", "Muh.",
    "Mochammad", "Muhamad", "MOHD", "Achmad", "Abd.", "Noor", "Noer", "Joesoef", "Jusuf", "Tjahjadi",
    "Soejono", "Djoko", "Sjamsudin", "Zaenal", "Saeful", "Dg.", "Daeng", "Teuku", "Cut", "Andi", "Ni",
    "Gusti", "Ma'ruf", "Te'ne", "O`Neil", "Sitti", "Siti", "Nur", "Nurhayati", "Hassan", "Annisa", "Fauzy",
    "Pauzi", "Taufiq", "Ramadhan", "Fatimah", "Aisyah", "Yusuf", "Ali", "Ani", "Abu", "Eko", "Sri", "Lalu",
    "Baiq", "Amaq", "Inaq", "Boru", "Sinaga", "Tan", "Liem", "Oei", "Kasim", "Abdul", "Kadir", "Ahmad",
    "Rizki", "Wahyuni", "X", "123", "-", "Ña", "Ĺiem", "José", "’Ali",
)
_SEPARATORS = (" ", " ", " ", ", ", ". ", ".", "-", "  ", "/", " (", ") ")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.tuples(st.sampled_from(_NAME_WORDS), st.sampled_from(_SEPARATORS),
                                   st.sampled_from(("as is", "upper", "lower", "title"))),
                         min_size=0, max_size=8), min_size=1, max_size=40))
def test_names_assembled_in_sql_are_the_python_reference(names_as_words):
    """Every written name gets exactly the own name, father, key, sorted tokens and tokens that
    prepare.name_row (names.split_patronym + sound_alike) gives it, whichever path built it."""
    cases = {"as is": str, "upper": str.upper, "lower": str.lower, "title": str.title}
    values = ["".join(cases[case](word) + sep for word, sep, case in words).strip() or "-"
              for words in names_as_words]
    built, reference = _lookup_both_ways(values)
    assert built == reference


def test_names_of_the_benchmark_generator_are_the_python_reference(tmp_path):
    """The generator's messy names (gelar in four styles, bin/binti, typos, spelling families,
    joined and split words)."""
    data = generated_lists(tmp_path, seed=7, candidates=1500, registry=3000)
    values = [v for (v,) in duckdb.sql(
        f"SELECT DISTINCT nama FROM read_parquet('{data}/*.parquet') UNION "
        f"SELECT DISTINCT nama_ibu FROM read_parquet('{data}/*.parquet')").fetchall() if v is not None]
    built, reference = _lookup_both_ways(values)
    assert len(reference) > 3000
    assert built == reference


@pytest.mark.parametrize("ref_date", [REF_DATE, date(1999, 12, 31), date(2000, 2, 29), date(2096, 2, 28)])
def test_the_nik_birth_date_read_once_is_the_reference_for_every_day_month_and_year(ref_date):
    """prepared_sql reads the NIK's date once, in the 2000s, and steps back a century from it
    (_latest_century_sql); _born_sql, the reference, reads it in both centuries. Every day 00-79
    (women + 40), month 00-13 and year 00-99, around 29 February 1900/2000 too: the same date or NULL."""
    nik = "printf('210201%02d%02d%02d0001', d, m, y)"
    differ = duckdb.execute(f"""
        SELECT count(*), count(*) FILTER (WHERE reference IS NOT NULL), count(*) FILTER (WHERE reference IS DISTINCT FROM once)
        FROM (SELECT {prepare._born_sql('nik', ref_date)} AS reference,
                     {prepare._latest_century_sql(prepare._born_2000_sql('nik'), ref_date)} AS once
              FROM (SELECT {nik} AS nik FROM range(80) t(d), range(14) u(m), range(100) v(y)))""").fetchall()
    assert differ[0][0] == 80 * 14 * 100 and differ[0][1] > 30_000 and differ[0][2] == 0


def test_regions_read_by_duckdb_are_wilayahs_own_table():
    """run._load_regions reads data/wilayah.csv with DuckDB: every code and name as lindung.domain.wilayah
    has them (quoted names with commas included), and the province codes are its level 1."""
    from lindung.domain import wilayah
    from lindung.matching.run import _load_regions

    con = duckdb.connect()
    _load_regions(con)
    read = dict(con.execute("SELECT kode, nama FROM regions").fetchall())
    assert read == wilayah._data().names and len(read) > 90_000
    provinces = [k for (k,) in con.execute("SELECT kode FROM regions WHERE length(kode) = 2 ORDER BY kode").fetchall()]
    assert provinces == [w.kode for w in wilayah.all_at(1)]


def test_place_keys_with_names_from_duckdb_are_place_key():
    """prepare.place_keys (region names asked for at once) against place_key for names, prefixed names,
    dotted and undotted codes of every level, codes that do not exist and spaced codes."""
    from lindung.matching.run import _load_regions, _region_names

    con = duckdb.connect()
    _load_regions(con)
    values = ["Kec. Karimun", "KAB. NATUNA", "Desa Pangke", "21.02", "2102", "21 02 01", "210201", "21.02.01.2001",
              "2102012001", "99.99", "9999", "12345", "Kel. Tanjung Balai", "  Meral  ", "64.09.04", "640904",
              "Kota Batam", "-", "21.02.01.2001 "]
    assert prepare.place_keys(values, lambda codes: _region_names(con, codes)) == [prepare.place_key(v) for v in values]


_DIGITS_BY_TWO_REPLACEMENTS = "regexp_replace(regexp_replace(trim(coalesce(v, '')), '[.,]0+$', ''), '[^0-9]', '', 'g')"


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.none(), st.text(alphabet="0123456789 +-.,eE\n\u0661\u00a0", max_size=20), st.text(max_size=8)))
def test_digits_of_a_value_of_digits_alone_are_the_value_itself(written):
    """prepare._digits takes a value of digits alone as it is instead of cleaning it: the same digits as
    the two replacements give, for any text (unicode digits, a float tail, a blank, NULL)."""
    con = duckdb.connect()
    fast, slow = con.execute(f"SELECT {prepare._digits('v')}, {_DIGITS_BY_TWO_REPLACEMENTS} FROM (SELECT ?::VARCHAR AS v)",
                             [written]).fetchone()
    assert fast == slow
