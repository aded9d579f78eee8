"""The Splink settings as values: every level has its evidence label, parameters are complete."""

import duckdb
import pytest

from lindung.matching import model


def test_every_level_has_a_reviewer_label():
    codes = {lv["label_for_charts"] for c in model.COMPARISONS for lv in c["comparison_levels"]}
    assert codes <= set(model.LEVEL_LABELS)


@pytest.mark.parametrize("link_type", ["link_only", "dedupe_only", "link_only_tanpa_nik", "dedupe_only_tanpa_nik"])
def test_every_comparison_has_fixed_parameters_for_each_non_null_level(link_type):
    for comparison in model.COMPARISONS:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        params = model.PARAMETERS[link_type][comparison["output_column_name"]]
        assert len(params) == len(levels), comparison["output_column_name"]
        assert all(0 < m <= 1 and 0 < u <= 1 for m, u in params)


@pytest.mark.parametrize("link_type", ["link_only", "dedupe_only"])
def test_settings_carry_the_parameters_and_prior(link_type):
    settings = model.settings(link_type, prior=1e-5)
    assert settings["link_type"] == link_type
    assert settings["probability_two_random_records_match"] == 1e-5
    nik = next(c for c in settings["comparisons"] if c["output_column_name"] == "nik")
    assert nik["comparison_levels"][1]["m_probability"] == model.PARAMETERS[link_type]["nik"][0][0]
    assert "m_probability" not in nik["comparison_levels"][0]  # the null level carries no weight
    # The module's own dicts are not changed by building settings from them.
    assert "m_probability" not in model.NIK["comparison_levels"][1]


def test_a_registry_and_a_list_have_their_own_parameters():
    # A desa list's duplicates sit in other desa more often than a BPJS participant's record does.
    desa = lambda link_type: model.PARAMETERS[link_type]["wilayah"][1][0]  # noqa: E731
    assert desa("dedupe_only") < desa("link_only")


def _level(comparison: dict, left: dict, right: dict) -> str:
    """Evaluate a comparison's CASE in DuckDB for one pair of prepared rows; the level's label."""
    con = duckdb.connect()
    cols = sorted(set(left) | set(right))
    select = ", ".join(f"? AS {c}_l, ? AS {c}_r" for c in cols)
    args = [v for c in cols for v in (left.get(c), right.get(c))]
    for level in comparison["comparison_levels"]:
        sql = "TRUE" if level["sql_condition"] == "ELSE" else level["sql_condition"]
        if con.execute(f"SELECT ({sql}) FROM (SELECT {select})", args).fetchall()[0][0]:
            return level["label_for_charts"]
    raise AssertionError("no level matched")


NIK = "2102011203900012"


def _nik_row(nik: str, name: str) -> dict:
    stem = nik[:12] + nik[12:].rstrip("0") if nik.endswith("0") else None
    day = int(nik[6:8])
    return {**_name(name), "nik": nik, "nik_loose": nik, "nik_stem": stem, "nik12": nik[:12], "dob": None,
            "dob_recorded": None, "kecamatan": None, "nik_sex": "P" if day > 40 else "L",
            "nik_dob": f"19{nik[10:12]}-{nik[8:10]}-{day % 40:02d}"}


@pytest.mark.parametrize("other, level", [
    (NIK, "sama"),
    ("2102011230900012", "salah_ketik"),       # 12 03 -> 12 30: two digits swapped
    ("2102011203800012", "salah_ketik"),       # year digit wrong, serial the same
    ("2102011203900010", "nomor_urut"),        # Excel zeroed the tail
    ("2102011203900013", "nomor_urut_berikutnya"),  # the next serial: a neighbour born that day, or a twin
    ("2102011203900042", "nomor_urut"),        # one serial digit wrong: a typo
    ("2102011203900015", "nomor_urut_akhir"),  # only the last digit: namesakes registered that day, or a typo
    ("2102011203900099", "wilayah_tanggal_sama"),
    ("3174011203900012", "beda"),
])
def test_nik_levels_when_the_names_agree(other, level):
    assert _level(model.NIK, _nik_row(NIK, "hasan basri"), _nik_row(other, "hasan basri")) == level


@pytest.mark.parametrize("other, level", [
    (NIK, "sama_nama_beda"),                    # a relative's NIK written in the wrong row
    ("2102011230900012", "salah_ketik_nama_beda"),
    ("2102011203900013", "nomor_urut_berikutnya"),  # the twin registered next
    ("2102011203900072", "nomor_urut_nama_beda"),
    ("2102011203900099", "wilayah_tanggal_sama_nama_beda"),
    ("3174011203900012", "beda"),
])
def test_nik_levels_when_the_names_differ(other, level):
    assert _level(model.NIK, _nik_row(NIK, "hasan basri"), _nik_row(other, "husin basri")) == level


@pytest.mark.parametrize("a, b, dob_b, level", [
    ("sholihin", "salihin", None, "sama_nama_mirip"),         # one given name, two spellings
    ("s aminah", "siti aminah", None, "sama_nama_mirip"),      # an initial
    ("amak sahnan", "lalu ahmad", "1990-03-12", "sama_tanggal_sama"),   # a Sasak teknonym, same day
    ("amak sahnan", "lalu ahmad", "1991-03-12", "sama_nama_beda"),
    ("hasan basri", "husin basri", None, "sama_nama_beda"),    # a brother's NIK: one family word only
])
def test_the_same_nik_with_a_name_of_one_family_or_the_same_day(a, b, dob_b, level):
    left = {**_nik_row(NIK, a), "dob_recorded": "1990-03-12"}
    right = {**_nik_row(NIK, b), "dob_recorded": dob_b}
    assert _level(model.NIK, left, right) == level
    assert _level(model.NAMA, left, right) == "dinilai_dengan_nik"  # the NIK level already weighed the names


@pytest.mark.parametrize("other, own_dates, places, level", [
    ("2102011303900012", True, ("meral", "meral"), "salah_ketik_masing_sah"),   # born a day apart, each NIK its own
    ("2102011303900012", False, ("meral", "meral"), "salah_ketik"),            # one date at odds with its NIK: a typo
    ("2102021203900012", True, ("meral", "buru"), "salah_ketik_wilayah_lain"),  # next kecamatan's code, living there
    ("2102021203900012", True, ("meral", "meral"), "salah_ketik"),             # one kecamatan: a typo in the code
    ("2102015203900012", True, ("meral", "meral"), "salah_ketik"),             # the sex digit: one birth date, no
    # dates apart for each NIK to explain (a woman's NIK typed 1 for 5; boy/girl twins are told by the sex)
])
def test_a_nik_one_digit_apart_that_each_record_explains_is_two_people(other, own_dates, places, level):
    left = {**_nik_row(NIK, "hasan basri"), "kecamatan": places[0]}
    right = {**_nik_row(other, "hasan basri"), "kecamatan": places[1]}
    left["dob_recorded"] = left["nik_dob"]
    right["dob_recorded"] = right["nik_dob"] if own_dates else left["nik_dob"]
    assert _level(model.NIK, left, right) == level


def test_an_unrelated_nik_with_the_same_name_and_date_is_its_own_level():
    row = lambda nik: {**_nik_row(nik, "hasan basri"), "dob": "1990-03-12"}  # noqa: E731
    assert _level(model.NIK, row(NIK), row("3174011203900012")) == "beda_nama_tanggal_sama"


def test_two_valid_niks_each_agreeing_with_its_own_birth_date_are_two_people():
    """Training seeds 11-13: namesakes born the same day in two kecamatan, each with the own NIK, were
    matched as duplicates; a NIK in the wrong row (a relative's) does not carry the record's birth date."""
    row = lambda nik, dob: {**_nik_row(nik, "hasan basri"), "dob": "1990-03-12", "dob_recorded": dob}  # noqa: E731
    assert _level(model.NIK, row(NIK, "1990-03-12"), row("3174011203900012", "1990-03-12")) == "beda_masing_sah"
    relative = row("3174010507650012", "1990-03-12")  # the NIK says 1965-07-05
    assert _level(model.NIK, row(NIK, "1990-03-12"), relative) == "beda_nama_tanggal_sama"
    weights = dict(zip([lv["label_for_charts"] for lv in model.NIK["comparison_levels"][1:]],
                       model.PARAMETERS["dedupe_only"]["nik"]))
    m, u = weights["beda_masing_sah"]
    assert m < u  # evidence against one person


def test_spark_dialect_rewrites_duckdb_functions():
    settings = model.settings("link_only", prior=0.01, dialect="spark")
    sql = " ".join(lv["sql_condition"] for c in settings["comparisons"] for lv in c["comparison_levels"])
    for duckdb_only in ("list_transform(", "lambda ", "jaro_winkler_similarity(", "starts_with(", "list_bool_and("):
        assert duckdb_only not in sql
    assert "array_min(transform(nama_tokens_l, t -> array_max(transform(nama_tokens_r, s -> jaro_winkler(t, s))) >= 0.9))" in sql
    rules = " ".join(r["blocking_rule"] for r in settings["blocking_rules_to_generate_predictions"])
    assert "size(l.nama_tokens)" in rules and "len(" not in rules
    with pytest.raises(ValueError):
        model.settings("link_only", prior=0.01, dialect="sqlite")


def _name(text: str) -> dict:
    tokens = text.split()
    return {"nama": text, "nama_key": "".join(tokens), "nama_sorted": " ".join(sorted(tokens)), "nama_tokens": tokens,
            "nama_initial": text[:1], "nama_first": tokens[0] if tokens else None, "nik": None, "nik_loose": None}


@pytest.mark.parametrize("a, b, level", [
    ("siti aminah", "siti aminah", "sama"),
    ("nur hayati", "nurhayati", "sama_tanpa_spasi"),
    ("hutapea ronald", "ronald hutapea", "urutan_lain"),
    ("siti aminah", "siti aminha", "salah_ketik"),
    ("muhammad rizki ramadhan", "muhammad rizki", "sebagian"),
    ("muhammad yusuf", "muhammad yunus", "satu_kata_sama"),    # one shared given name is weak evidence
    ("nur hayatie", "nurhayati", "mirip"),
    ("sukarno", "suparmi", "beda"),
])
def test_name_levels(a, b, level):
    assert _level(model.NAMA, _name(a), _name(b)) == level


@pytest.mark.parametrize("a, b, level", [
    ("1990-03-12", "1990-03-12", "sama"),
    ("1990-03-12", "1990-12-03", "tertukar"),
    ("1990-03-12", "1990-03-13", "satu_digit"),
    ("1993-03-12", "1939-03-12", "angka_tertukar"),  # two adjacent digits swapped: was "beda"
    ("1990-03-12", "1990-03-21", "angka_tertukar"),  # in the day: was "tahun_sama"
    ("1990-03-12", "1990-08-25", "tahun_sama"),
    ("1990-03-12", "1985-03-12", "beda"),
])
def test_birth_date_levels(a, b, level):
    def row(d, other):
        y, m, day = d.split("-")
        return {"dob": d, "dob_swapped": f"{y}-{day}-{m}" if int(day) <= 12 else None, "dob_year": int(y),
                "nik": None, "nik12": None, "nik_dob": None, "nik_sex": None, "ibu": None, "hp": None, **_name("budi")}
    assert _level(model.TANGGAL_LAHIR, row(a, b), row(b, a)) == level


def test_one_record_without_its_nik_and_the_same_name_and_date_is_its_own_level():
    """Tenth round: in a list with NIKs, a record whose NIK is missing with the other's name and birth date
    agreeing (a desa's second list without the column, a row typed again): sama_nama_sama, trained on its
    own; both NIKs written, or neither, or another name: sama as before."""
    with_nik = {**_nik_row("2102011203900012", "siti aminah"), "dob": "1990-03-12", "ibu": None, "hp": None}
    without = {**with_nik, "nik": None, "nik_loose": None, "nik12": None, "nik_dob": None, "nik_sex": None}
    assert _level(model.TANGGAL_LAHIR, with_nik, without) == "sama_nama_sama"
    assert _level(model.TANGGAL_LAHIR, without, {**without, **_name("siti aminah")}) == "sama"
    assert _level(model.TANGGAL_LAHIR, with_nik, {**with_nik, "nik": "2102011203900099"}) == "sama"
    assert _level(model.TANGGAL_LAHIR, with_nik, {**without, **_name("rohani")}) == "sama"


def test_a_list_without_niks_reads_the_name_and_date_level_as_the_date_alone():
    """No NIK in the list: nothing says one record lacks it, so sama_nama_sama is read as sama (run and training)."""
    assert model.folded_levels("link_only_tanpa_nik") == {"tanggal_lahir": {"sama_nama_sama": "sama"}}
    assert model.folded_levels("dedupe_only") == {} == model.folded_levels("link_only")


def test_twins_birth_date_and_mother_step_aside():
    twin_a = {**_nik_row("2102011203900012", "hasan basri"), "dob": "1990-03-12", "ibu": "rohani", "hp": None}
    twin_b = {**_nik_row("2102011203900013", "husin basri"), "dob": "1990-03-12", "ibu": "rohani", "hp": None}
    assert _level(model.TANGGAL_LAHIR, twin_a, twin_b) == "saudara"
    assert _level(model.NAMA_IBU, twin_a, twin_b) == "saudara"
    # The same person with a serial typo: the date and the mother count as usual.
    typo = {**twin_b, **_name("hasan basri"), "nik": twin_b["nik"], "nik_loose": twin_b["nik_loose"]}
    assert _level(model.TANGGAL_LAHIR, twin_a, typo) == "sama"
    assert _level(model.NAMA_IBU, twin_a, typo) == "sama"


def _no_nik_row(name: str, **fields) -> dict:
    return {**_name(name), "nik12": None, "nik_sex": None, "nik_dob": None, "dob": "1990-03-12",
            "ibu": "rohani", "hp": "6281234567", "desa": "pongkar", "kecamatan": "tebing", "kabupaten": "karimun",
            **fields}


SIBLING_STEPS_ASIDE = (model.TANGGAL_LAHIR, model.NAMA_IBU, model.WILAYAH, model.NO_HP)


@pytest.mark.parametrize("a, b", [
    ("wartini", "soetrisno"),               # boy/girl twins, no NIK: nothing in the names agrees
    ("muhammad iwan", "muhammad wawan"),    # one shared word is not a name that agrees
])
def test_twins_without_a_nik_birth_date_mother_place_and_phone_step_aside(a, b):
    """Issue 13 / training seeds' no-NIK variant: one mother (or the parents' phone) and one birth date,
    names that do not agree: twins, whose shared date, mother, desa and phone say nothing more."""
    for comparison in SIBLING_STEPS_ASIDE:
        assert _level(comparison, _no_nik_row(a), _no_nik_row(b)) == "saudara"
    only_phone = _no_nik_row(b, ibu=None)
    assert _level(model.TANGGAL_LAHIR, _no_nik_row(a, ibu=None), only_phone) == "saudara"
    # The same person written twice (a typo, the name joined): every comparison counts as usual.
    for other in ("wartinu", "war tini"):
        assert [_level(c, _no_nik_row("wartini"), _no_nik_row(other)) for c in SIBLING_STEPS_ASIDE] == [
            "sama", "sama", "desa_sama", "sama"]
    # Another birth date: not twins, the mother counts.
    assert _level(model.NAMA_IBU, _no_nik_row(a), _no_nik_row(b, dob="1991-03-12")) == "sama"


def test_a_common_name_agreeing_counts_less_than_a_rare_one():
    # Issue 13: namesakes carry the common names. Term frequency is counted per run from the lists.
    from lindung.matching.run import name_frequencies

    con = duckdb.connect()
    keys = ["sitiaminah"] * 300 + ["muhammadrizki"] * 200 + [f"nama{i}" for i in range(1500)]
    con.execute("CREATE TABLE prep_kandidat (nama_key VARCHAR)")
    con.executemany("INSERT INTO prep_kandidat VALUES (?)", [[k] for k in keys])
    adj = dict(con.execute(f"SELECT * FROM {name_frequencies(con, ['prep_kandidat'], 'dedupe_only')}").fetchall())
    assert adj["sitiaminah"] < adj["muhammadrizki"] < 0 < adj["nama7"] <= model.TF_CAP
    # A desa's short list says nothing about how common a name is.
    con.execute("CREATE TABLE short (nama_key VARCHAR)")
    con.executemany("INSERT INTO short VALUES (?)", [["sitiaminah"], ["sitiaminah"], ["budi"]])
    assert {a for _, a in con.execute(f"SELECT * FROM {name_frequencies(con, ['short'], 'x')}").fetchall()} == {0.0}
