"""The engine end to end on small Indonesian cases: what must meet, what must stay apart."""

import csv
import re
from datetime import date

import duckdb
import pyarrow as pa
import pytest

from lindung.matching import columns
from lindung.matching.run import (MAX_CLUSTER, bounded_clusters, match_records, one_registry_record,
                                  promoted_by_registry, promoted_in_clusters, write_outputs)
from lindung.matching.tests.generated import generated_lists
from lindung.matching.types import MATCH, POSSIBLE, Pair, Thresholds

TODAY = date(2026, 1, 1)


def _person(id, nik, nama, tgl, jk, **more):
    return {"id": id, "nik": nik, "nama": nama, "tanggal_lahir": tgl, "jenis_kelamin": jk, **more}


def _pairs(result, kind="duplicates"):
    return {(p.left, p.right): p for p in getattr(result, kind)}


def _run(candidates, registry=None):
    return match_records(candidates, registry, ref_date=TODAY)


def test_the_same_worker_written_two_ways_is_one_person():
    result = _run([
        _person("a1", "2102011203900012", "H. MOCHAMMAD JOESOEF, S.Pd.I", "12-03-1990", "L",
                kecamatan="Kec. Karimun", nama_ibu="Siti Aisyah"),
        _person("a2", "2102011203900012", "Muhamad Yusuf bin Abdul Kadir", "1990-03-12", "Laki-laki",
                kecamatan="Karimun", nama_ibu="Sitti Aisah"),
    ])
    pair = _pairs(result)[("a1", "a2")]
    assert pair.band == MATCH
    assert pair.evidence["nik"] == "sama" and pair.evidence["nama"] == "sama"
    assert result.clusters == {"a1": "a1", "a2": "a1"}


@pytest.mark.parametrize("nik_b, tgl_b", [
    ("2102011230900012", "1990-03-12"),   # two NIK digits swapped
    ("2102011203800012", "1990-03-12"),   # one NIK digit wrong
    ("", "1990-03-12"),                   # NIK left blank
    ("2102011203900012", "1990-12-03"),   # day and month swapped in the written date
])
def test_a_mangled_nik_or_date_still_meets_with_the_rest_of_the_evidence(nik_b, tgl_b):
    result = _run([
        _person("b1", "2102011203900012", "Siti Nurhayati", "1990-03-12", "P", desa="Pangke",
                kecamatan="Meral", nama_ibu="Fatimah", no_hp="0812-7788-9900"),
        _person("b2", nik_b, "SITTI NUR HAYATI", tgl_b, "P", desa="Desa Pangke", kecamatan="Kec. Meral",
                nama_ibu="Hj. Fatimah", no_hp="+62 812 7788 9900"),
    ])
    assert _pairs(result)[("b1", "b2")].band == MATCH


def test_twins_stay_apart():
    # Same parents, same birth date and kecamatan, NIKs registered one after the other.
    result = _run([
        _person("t1", "2102011203900012", "Hasan Basri", "1990-03-12", "L", kecamatan="Meral",
                desa="Pangke", nama_ibu="Rohani"),
        _person("t2", "2102011203900013", "Husin Basri", "1990-03-12", "L", kecamatan="Meral",
                desa="Pangke", nama_ibu="Rohani"),
    ])
    pair = _pairs(result).get(("t1", "t2"))
    assert pair is None or pair.band != MATCH


def test_namesakes_with_their_own_niks_stay_apart():
    result = _run([
        _person("n1", "2102014507850003", "Siti Aminah", "1985-07-05", "P", kecamatan="Meral", nama_ibu="Zubaidah"),
        _person("n2", "2102014507850019", "Siti Aminah", "1985-07-05", "P", kecamatan="Meral", nama_ibu="Maryam"),
    ])
    pair = _pairs(result).get(("n1", "n2"))
    assert pair is None or pair.band != MATCH


def test_a_candidate_already_on_the_bpjs_list_is_linked_with_evidence():
    candidates = [_person("c1", "6409014101880004", "Ni Putu Ayu Lestari", "01-01-1988", "P", desa="Sepaku")]
    registry = [
        _person("r1", "6409014101880004", "NI PUTU AYU LESTARI", "1988-01-01", "P", kpj="12345678901"),
        _person("r2", "6409010505700001", "Wayan Sudarma", "1970-05-05", "L", kpj="12345678902"),
    ]
    result = _run(candidates, registry)
    assert [(p.left, p.right, p.band) for p in result.links] == [("c1", "r1", MATCH)]


def test_the_same_data_in_another_order_gives_the_same_output():
    rows = [
        _person("x1", "2102011203900012", "Ahmad Fauzi", "1990-03-12", "L"),
        _person("x2", "2102011203900012", "Akhmad Fauzi", "12/03/1990", "L"),
        _person("x3", "2102011230900012", "Ahmad Fauzi", "1990-03-12", "L"),
        _person("x4", "3174050101800001", "Budi Santoso", "1980-01-01", "L"),
    ]
    first, second = _run(rows), _run(list(reversed(rows)))
    assert first.duplicates == second.duplicates
    assert [p.score for p in first.duplicates] == [p.score for p in second.duplicates]
    assert first.clusters == second.clusters == {"x1": "x1", "x2": "x1", "x3": "x1"}


def test_arrow_tables_and_english_headers_are_read():
    table = pa.table({"record_id": ["1", "2"], "name": ["Agus Salim", "Agus Salim"],
                      "national_id": ["2102010101800001", "2102010101800001"], "dob": ["1980-01-01", "1980-01-01"]})
    assert _pairs(_run(table))[("1", "2")].band == MATCH


def test_missing_columns_are_named_in_indonesian():
    with pytest.raises(columns.ColumnError) as error:
        _run([{"id": "1", "name_of_person": "Agus"}])
    assert "kolom wajib tidak ada: nama, nik atau tanggal_lahir" in str(error.value)


def test_doubled_ids_are_refused():
    with pytest.raises(columns.ColumnError, match="'7' \\(2×\\)"):
        _run([_person("7", "2102010101800001", "Agus", "", "L"), _person("7", "", "Budi", "", "L")])


def test_outputs_hold_sure_pairs_and_a_review_file(tmp_path):
    result = _run([
        _person("a", "2102011203900012", "Ahmad Fauzi", "1990-03-12", "L"),
        _person("b", "2102011203900012", "Ahmad Fauzi", "1990-03-12", "L"),
    ])
    files = write_outputs(result, tmp_path / "keluar")
    with files["duplicates"].open() as handle:
        assert list(csv.reader(handle))[:2] == [["id_a", "id_b", "score"], ["a", "b", f"{result.duplicates[0].score:.6f}"]]
    with files["links"].open() as handle:
        assert list(csv.reader(handle)) == [["candidate_id", "registry_id", "score"]]
    assert files["tinjau"].read_text().startswith("jenis,id_a,id_b,score,nik,nama,")


def test_parquet_files_are_read_by_duckdb(tmp_path):
    import pyarrow.parquet as pq

    path = tmp_path / "calon.parquet"
    pq.write_table(pa.table({"ID": ["1", "2"], "Nama Lengkap": ["Agus Salim", "AGUS SALIM"],
                             "NIK": ["2102010101800001", "2102010101800001"]}), path)
    assert _pairs(_run(path))[("1", "2")].band == MATCH
    with pytest.raises(columns.ColumnError, match="tidak ditemukan"):
        _run(tmp_path / "tidak-ada.parquet")
    broken = tmp_path / "rusak.parquet"  # a text file named .parquet: a message in words, not DuckDB's
    broken.write_text("bukan parquet")
    with pytest.raises(columns.ColumnError, match="bukan berkas parquet yang dapat dibaca"):
        _run(broken)


def test_a_run_on_parquet_files_imports_neither_pyarrow_nor_pandas(tmp_path):
    """A run from parquet files (`lindung match`, the benchmark) reads and prepares them in DuckDB:
    pyarrow with numpy and pandas (which pyarrow's array() imports) cost ~0,4 CPU-s of a small run."""
    import subprocess
    import sys

    data = generated_lists(tmp_path, seed=5, candidates=300, registry=1200)
    script = ("import atexit, sys; atexit.register(lambda: print(sorted({m.split('.')[0] for m in sys.modules} "
              "& {'pyarrow', 'pandas', 'numpy'}))); from lindung.matching.run import match_files; "
              f"result = match_files({str(data / 'kandidat.parquet')!r}, {str(data / 'registri.parquet')!r}); "
              "print(len(result.links) > 30, len(result.duplicates) > 0)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["True True", "[]"]


@pytest.mark.parametrize("placeholder", ["0000000000000000", "0", "-", "BELUM ADA", "1111111111111111",
                                         "1234567890123456"])
def test_two_people_with_a_placeholder_nik_are_never_matched_on_it(placeholder):
    # Issue 13: a list that writes a placeholder in the NIK column for everyone without an e-KTP.
    result = _run([
        _person("p1", placeholder, "Ahmad Fauzi", "1990-03-12", "L", kecamatan="Meral", nama_ibu="Rohani"),
        _person("p2", placeholder, "Rahmat Hidayat", "1978-11-02", "L", kecamatan="Meral", nama_ibu="Siti Aminah"),
        _person("p3", placeholder, "Nurul Aini", "2001-06-30", "P", kecamatan="Tebing", nama_ibu="Zubaidah"),
    ])
    assert all(p.band != MATCH for p in result.duplicates)
    assert all(p.evidence["nik"] == "kosong" for p in result.duplicates)


NO_NIK_LIST = [
    _person("d1", None, "Siti Nurhayati", "1990-03-12", "P", desa="Pangke", kecamatan="Meral", nama_ibu="Fatimah",
            no_hp="0812-7788-9900"),
    _person("d2", None, "SITTI NUR HAYATI", "12-03-1990", "P", desa="Desa Pangke", kecamatan="Kec. Meral",
            nama_ibu="Hj. Fatimah"),
    _person("d3", None, "Rahmat Hidayat", "1978-11-02", "L", desa="Pangke", kecamatan="Meral", nama_ibu="Aminah"),
    _person("d4", None, "Rahmat Hidayat", "02/11/1978", "L", desa="Pangke", kecamatan="Meral", nama_ibu="Aminah",
            no_hp="081234567890"),
    _person("d5", None, "Budi Santoso", "1985-01-20", "L", desa="Tebing", kecamatan="Tebing", nama_ibu="Sumiati"),
    _person("d6", None, "Nurul Aini", "2001-06-30", "P", desa="Tebing", kecamatan="Tebing", nama_ibu="Zubaidah"),
]


def test_a_list_without_niks_is_still_matched():
    # Issue 13: the prior no longer comes from NIK agreement alone; name, birth date, mother, place decide.
    rows = [{k: v for k, v in row.items() if k != "nik"} for row in NO_NIK_LIST]
    registry = [_person("r1", "2102015203900001", "Siti Nurhayati", "1990-03-12", "P", desa="Pangke",
                        kecamatan="Meral", nama_ibu="Fatimah", kpj="1"),
                _person("r2", "2102010101700001", "Wayan Sudarma", "1970-01-01", "L", kpj="2")]
    result = _run(rows, registry)
    sure = {(p.left, p.right) for p in result.duplicates if p.band == MATCH}
    assert sure == {("d1", "d2"), ("d3", "d4")}
    assert {(p.left, p.right) for p in result.links if p.band == MATCH} == {("d1", "r1"), ("d2", "r1")}


def test_a_long_list_without_niks_gets_its_prior_from_the_other_evidence():
    # Forty neighbours born on one day in one desa (a posyandu list) and five people written twice: with
    # the prior counted from NIK agreement alone the duplicates drowned among the neighbours.
    given = ["Ahmad", "Budi", "Citra", "Dewi", "Eko", "Fajar", "Gita", "Hendra", "Indah", "Joko"]
    family = ["Saputra", "Lestari", "Wibowo", "Kusuma"]
    mothers = ["Aminah", "Rohani", "Zubaidah", "Maryam", "Halimah", "Salmah", "Khadijah", "Nursiah"]
    fathers = ["Hasan", "Umar", "Ali", "Yusuf", "Idris"]  # every mother another woman: no siblings here
    rows = [{"id": f"n{i:02d}", "nama": f"{given[i % 10]} {family[i // 10]}", "tanggal_lahir": "2001-06-30",
             "jenis_kelamin": "L", "nama_ibu": f"{mothers[i % 8]} {fathers[i // 8]}", "desa": "Pangke",
             "kecamatan": "Meral"} for i in range(40)]
    rows += [{**rows[i], "id": f"x{i:02d}", "nama": rows[i]["nama"].upper(), "tanggal_lahir": "30-06-2001"}
             for i in range(0, 40, 8)]
    sure = {(p.left, p.right) for p in _run(rows).duplicates if p.band == MATCH}
    assert sure == {(f"n{i:02d}", f"x{i:02d}") for i in range(0, 40, 8)}


def test_boy_and_girl_twins_stay_apart():
    # Issue 13: Hasan L / Hasanah P, same parents and day, NIKs one serial apart, each sex as its NIK says.
    result = _run([
        _person("h1", "2102011203900012", "Hasan", "1990-03-12", "L", desa="Pangke", kecamatan="Meral",
                nama_ibu="Rohani", no_hp="081277889900"),
        _person("h2", "2102015203900013", "Hasanah", "1990-03-12", "P", desa="Pangke", kecamatan="Meral",
                nama_ibu="Rohani", no_hp="081277889900"),
    ])
    pair = _pairs(result).get(("h1", "h2"))
    assert pair is None or pair.band != MATCH
    assert pair is None or pair.evidence["jenis_kelamin"] == "beda_sesuai_nik"


@pytest.mark.parametrize("nama_b, tgl_b", [
    ("Salihin", "1990-03-12"),             # another spelling of Sholihin
    ("M. Sholihin", "1990-03-21"),         # an initial, and a date typo
    ("Amaq Sahnan", "1990-03-12"),         # a Sasak teknonym: father of Sahnan, same NIK and day
])
def test_an_equal_valid_nik_with_a_name_of_the_family_or_the_same_day_is_matched(nama_b, tgl_b):
    # Issue 13, cause 5: exact NIK found these; the engine let the name outvote the NIK.
    result = _run([
        _person("s1", "5201011203900012", "Sholihin", "1990-03-12", "L", kecamatan="Gerung"),
        _person("s2", "5201011203900012", nama_b, tgl_b, "L", kecamatan="Gerung"),
    ])
    assert _pairs(result)[("s1", "s2")].band == MATCH


def test_a_runaway_cluster_is_held_for_review():
    # Twelve look-alike records without a NIK, all alike: no more than ten are ever one person.
    rows = [_person(f"c{i:02d}", None, "Siti Aminah", "1985-07-05", "P", desa="Pangke", kecamatan="Meral",
                    nama_ibu="Zubaidah") for i in range(12)]
    result = _run(rows)
    sizes = {}
    for member, cluster in result.clusters.items():
        sizes[cluster] = sizes.get(cluster, 0) + 1
    assert max(sizes.values()) <= MAX_CLUSTER
    held = [p for p in result.duplicates if p.evidence.get("klaster")]
    assert held and all(p.band != MATCH for p in held)


def _sure(left, right, score):
    return Pair(left, right, score, MATCH, {})


def test_a_cluster_never_joins_two_valid_niks_nor_grows_past_ten():
    niks = {"a": "2102011203900012", "b": "2102011203900012", "c": "2102011203900013"}
    pairs = bounded_clusters([_sure("a", "b", 0.99), _sure("b", "c", 0.95), _sure("c", "d", 0.97)], niks)
    bands = {(p.left, p.right): (p.band, p.evidence.get("klaster")) for p in pairs}
    # c-d (a NIK and no NIK) joins first; b-c would then join two NIKs in four records: review.
    assert bands == {("a", "b"): (MATCH, None), ("c", "d"): (MATCH, None), ("b", "c"): (POSSIBLE, "nik_berbeda")}
    chain = bounded_clusters([_sure(f"x{i:02d}", f"x{i + 1:02d}", 0.99 - i / 1000) for i in range(12)], {})
    assert [p.band for p in chain] == [MATCH] * 9 + [POSSIBLE] + [MATCH] * 2  # ten, then a new cluster
    # A lone pair whose NIKs differ by a typo was compared directly: it keeps its band.
    assert bounded_clusters([_sure("a", "c", 0.95)], niks)[0].band == MATCH


def test_a_cluster_of_one_nik_written_with_a_typo_acts_whole():
    """One person three times, one NIK typed with a digit wrong or two digits swapped: one NIK, so the
    cluster acts (training seeds 11-13: a third of the duplicates missed were held back this way). Two NIKs
    of one region and birth date with other serials stay two people (the next person registered that day,
    or one a few later: 0003 and 0007 are one keystroke apart), as do NIKs two keystrokes apart."""
    nik = "2102011203900021"
    for other in ("2102011203800021", "2102011230900021"):  # a digit of the year wrong; day digits swapped
        pairs = bounded_clusters([_sure("a", "b", 0.99), _sure("b", "c", 0.95)], {"a": nik, "b": nik, "c": other})
        assert [p.band for p in pairs] == [MATCH, MATCH]
    # next serial; another serial one keystroke away; serial digits swapped; two digits wrong
    for other in ("2102011203900022", "2102011203900071", "2102011203900012", "2102011203900077"):
        pairs = bounded_clusters([_sure("a", "b", 0.99), _sure("b", "c", 0.95)], {"a": nik, "b": nik, "c": other})
        assert [(p.band, p.evidence.get("klaster")) for p in pairs] == [(MATCH, None), (POSSIBLE, "nik_berbeda")]


def test_a_cluster_never_joins_a_boy_and_a_girl_each_of_their_own_nik():
    """Boy/girl twins: a woman's NIK carries her day + 40 (5203 for 12 March) and each sex's serials are
    counted apart, so their NIKs are one digit apart, what one_nik takes for a typo; joined through a
    record without NIK or with a NIK typed wrong, they would act as one person (issue 13: twins kept
    apart). The pair between them says so (jenis_kelamin beda_sesuai_nik): the weaker join goes to review."""
    boy, girl = "2102011203900001", "2102015203900001"
    twins = Pair("a", "c", 0.6, POSSIBLE, {"jenis_kelamin": "beda_sesuai_nik"})
    for niks in ({"a": boy, "b": boy, "c": girl}, {"a": boy, "c": girl}):
        pairs = bounded_clusters([_sure("a", "b", 0.99), _sure("b", "c", 0.95), twins], niks)
        assert [(p.band, p.evidence.get("klaster")) for p in pairs] == [
            (MATCH, None), (POSSIBLE, "kelamin_beda"), (POSSIBLE, None)]
    # Without the twins' pair the NIKs alone are one keystroke apart: a woman's NIK typed 1 for 5, whose
    # record's sex is at odds with it (training seed 12 has such clusters), still acts whole.
    assert [p.band for p in bounded_clusters([_sure("a", "b", 0.99), _sure("b", "c", 0.95)],
                                             {"a": boy, "b": boy, "c": girl})] == [MATCH, MATCH]
    # Larger clusters too: the twins' pair is looked for between every two members.
    pairs = bounded_clusters([_sure("a", "b", 0.99), _sure("c", "d", 0.98), _sure("b", "d", 0.9), twins], {})
    assert pairs[2].evidence.get("klaster") == "kelamin_beda"


@pytest.mark.parametrize("other", [
    "2102011203908021",  # the serial's thousands digit wrong (0021 / 8021)
    "2102011203900221",  # its hundreds digit wrong (0021 / 0221)
])
def test_a_serial_typed_with_a_digit_no_two_people_of_one_day_have_is_one_nik(other):
    """One person three times, the serial typed wrong in a digit a kecamatan's register of one day never
    reaches (training seeds 11-13: a third of the duplicates still held back): the cluster acts whole."""
    nik = "2102011203900021"
    pairs = bounded_clusters([_sure("a", "b", 0.99), _sure("b", "c", 0.95)], {"a": nik, "b": nik, "c": other})
    assert [p.band for p in pairs] == [MATCH, MATCH]


def test_a_serial_zeroed_by_excel_is_one_nik_but_the_next_serial_is_another_person():
    nik = "2102011203900067"
    held = {"2102011203900060": MATCH,      # the 16th digit zeroed (Excel keeps 15)
            "2102011203900066": POSSIBLE,   # the next serial: a twin, a neighbour born that day
            "2102011203900061": POSSIBLE}   # the last digit, not zeroed: the same day's register again
    for other, band in held.items():
        pairs = bounded_clusters([_sure("a", "b", 0.99), _sure("b", "c", 0.95)], {"a": nik, "b": nik, "c": other})
        assert pairs[1].band == band, other
    # 0070 / 0071 are next serials even with a zero
    pairs = bounded_clusters([_sure("a", "b", 0.99), _sure("b", "c", 0.95)],
                             {"a": "2102011203900071", "b": "2102011203900071", "c": "2102011203900070"})
    assert pairs[1].band == POSSIBLE


def _possible(left, right, score, **evidence):
    return Pair(left, right, score, POSSIBLE, evidence)


def test_a_possible_pair_inside_one_sure_cluster_is_a_match_of_that_cluster():
    """a-b and b-c are sure: a-c (scored 0,5) is the same person in the cluster the application acts on."""
    pairs = promoted_in_clusters(bounded_clusters([_sure("a", "b", 0.99), _sure("b", "c", 0.95),
                                                   _possible("a", "c", 0.5), _possible("c", "d", 0.6)], {}))
    bands = {(p.left, p.right): (p.band, p.evidence.get("klaster")) for p in pairs}
    assert bands == {("a", "b"): (MATCH, None), ("b", "c"): (MATCH, None), ("a", "c"): (MATCH, "segitiga"),
                     ("c", "d"): (POSSIBLE, None)}  # d is in no sure cluster with c


def test_no_pair_is_promoted_across_two_niks_a_cluster_kept_apart_nor_between_boy_girl_twins():
    # b-c would join two different valid NIKs: held back, so a-c and a-d (between the two clusters) stay
    # possible; boy/girl twins inside one cluster (through a record without NIK) are never made sure.
    niks = {"a": "2102011203900012", "b": "2102011203900012", "c": "2102011203900013", "d": "2102011203900013"}
    pairs = promoted_in_clusters(bounded_clusters(
        [_sure("a", "b", 0.99), _sure("c", "d", 0.98), _sure("b", "c", 0.95), _possible("a", "c", 0.6),
         _possible("a", "d", 0.5)], niks))
    bands = {(p.left, p.right): (p.band, p.evidence.get("klaster")) for p in pairs}
    assert bands == {("a", "b"): (MATCH, None), ("c", "d"): (MATCH, None), ("b", "c"): (POSSIBLE, "nik_berbeda"),
                     ("a", "c"): (POSSIBLE, None), ("a", "d"): (POSSIBLE, None)}
    twins = promoted_in_clusters([_sure("x", "y", 0.99), _sure("y", "z", 0.99),
                                  _possible("x", "z", 0.9, jenis_kelamin="beda_sesuai_nik")])
    assert twins[2].band == POSSIBLE


def test_a_run_bands_the_possible_pairs_inside_its_sure_clusters_as_matches(tmp_path):
    data = generated_lists(tmp_path, seed=11, candidates=3000, registry=500)  # a training seed
    result = match_records(data / "kandidat.parquet", ref_date=TODAY)
    promoted = [p for p in result.duplicates if p.evidence.get("klaster") == "segitiga"]
    assert promoted and result.stats["pasti_karena_klaster"] == len(promoted)
    for pair in promoted:
        assert pair.band == MATCH and pair.score < Thresholds().match_dedup
        assert result.clusters[pair.left] == result.clusters[pair.right]


def test_only_the_best_registry_record_of_a_candidate_acts():
    """A candidate is one person: a namesake or twin in the registry scoring below its best link goes to
    review; two registry records at the same score (one person registered twice) both act."""
    links = [_sure("K1", "R1", 0.999), _sure("K1", "R2", 0.97), _sure("K2", "R3", 0.95), _sure("K2", "R4", 0.95),
             Pair("K1", "R5", 0.3, POSSIBLE, {})]
    result = {(p.left, p.right): (p.band, p.evidence.get("klaster")) for p in one_registry_record(links)}
    assert result == {("K1", "R1"): (MATCH, None), ("K1", "R2"): (POSSIBLE, "rujukan_lain"),
                      ("K2", "R3"): (MATCH, None), ("K2", "R4"): (MATCH, None), ("K1", "R5"): (POSSIBLE, None)}


def test_two_candidates_surely_one_registry_participant_are_one_person():
    """K1 and K2 both link at 0,99 or more, acting, to R1: their possible duplicate pair acts (klaster
    rujukan_sama); not through a weaker link (K3), a link held back for a better one (K4), two records
    (K5, K6), nor between boy/girl twins (K7, K8) whatever their links say."""
    links = [_sure("K1", "R1", 0.999), _sure("K2", "R1", 0.995), _sure("K3", "R1", 0.97),
             Pair("K4", "R1", 0.999, POSSIBLE, {"klaster": "rujukan_lain"}), _sure("K5", "R5", 1.0),
             _sure("K6", "R6", 1.0), _sure("K7", "R7", 1.0), _sure("K8", "R7", 1.0)]
    duplicates = [_possible("K1", "K2", 0.4), _possible("K1", "K3", 0.6), _possible("K1", "K4", 0.6),
                  _possible("K5", "K6", 0.6), _possible("K7", "K8", 0.6, jenis_kelamin="beda_sesuai_nik"),
                  _sure("K2", "K9", 0.9)]
    result = {(p.left, p.right): (p.band, p.evidence.get("klaster"))
              for p in promoted_by_registry(duplicates, links, {})}
    assert result == {("K1", "K2"): (MATCH, "rujukan_sama"), ("K1", "K3"): (POSSIBLE, None),
                      ("K1", "K4"): (POSSIBLE, None), ("K5", "K6"): (POSSIBLE, None),
                      ("K7", "K8"): (POSSIBLE, None), ("K2", "K9"): (MATCH, None)}


def test_a_pair_made_sure_by_its_registry_record_is_still_bounded_as_a_cluster():
    """Promoted before bounded_clusters: two NIKs a keystroke-and-more apart in a cluster of three stay apart."""
    niks = {"K1": "2102011203900012", "K2": "2102011203900055", "K3": "2102011203900012"}
    duplicates = promoted_by_registry([_sure("K1", "K3", 0.99), _possible("K2", "K3", 0.5)],
                                      [_sure("K2", "R1", 1.0), _sure("K3", "R1", 1.0)], {"K1": niks["K1"]})
    pairs = bounded_clusters(duplicates, niks)
    assert [(p.band, p.evidence.get("klaster")) for p in pairs] == [(MATCH, None), (POSSIBLE, "nik_berbeda")]


def test_two_candidates_with_two_valid_niks_are_not_one_person_through_a_registry_record():
    """Both link surely to R1 (a registry record without a NIK, say), but their own NIKs are two people's
    (not one NIK typed wrong): the pair stays for a person. One keystroke apart: promoted."""
    links = [_sure("K1", "R1", 1.0), _sure("K2", "R1", 1.0)]
    apart = {"K1": "2102011203900012", "K2": "2102011203900055"}
    typo = {"K1": "2102011203900012", "K2": "2102021203900012"}  # one digit of the region code
    held = promoted_by_registry([_possible("K1", "K2", 0.5)], links, apart)[0]
    assert (held.band, held.evidence.get("klaster")) == (POSSIBLE, "nik_berbeda")  # not made sure by its cluster
    assert promoted_by_registry([_possible("K1", "K2", 0.5)], links, typo)[0].band == MATCH


def test_the_fast_preparation_gives_the_same_pairs_and_scores_as_the_python_reference(tmp_path):
    """Names assembled in SQL from words spelled once (the default) against every name through the
    Python reference: the same links, duplicates, scores, bands and evidence on a generated list."""
    data = generated_lists(tmp_path, seed=5, candidates=1500, registry=6000)
    kandidat, registri = data / "kandidat.parquet", data / "registri.parquet"
    fast = match_records(kandidat, registri, ref_date=TODAY)
    reference = match_records(kandidat, registri, ref_date=TODAY, names_in_sql=False)
    assert len(fast.links) > 300 and len(fast.duplicates) > 30
    assert fast.links == reference.links
    assert fast.duplicates == reference.duplicates
    assert fast.clusters == reference.clusters


def _generated_pairs(tmp_path, extra: str = ""):
    """A DuckDB with `pairs`: every prepared candidate x registry record of one kabupaten and name initial
    of a generated list, each feature as <name>_l / <name>_r (and the `extra` columns over them)."""
    from lindung.matching import run

    data = generated_lists(tmp_path, seed=9, candidates=1500, registry=4000)
    con = duckdb.connect()
    run.prepare_tables(con, {"kandidat": data / "kandidat.parquet", "registri": data / "registri.parquet"},
                       ref_date=TODAY)
    features = [row[0] for row in con.execute("DESCRIBE prep_kandidat").fetchall()]
    both = ", ".join(f"l.{c} AS {c}_l, r.{c} AS {c}_r" for c in features)
    con.execute(f"CREATE TABLE pairs AS SELECT *{', ' + extra if extra else ''} FROM (SELECT {both} FROM prep_kandidat l "
                "JOIN prep_registri r ON l.kabupaten = r.kabupaten AND l.nama_initial = r.nama_initial)")
    return con


def _case(comparison: dict) -> str:
    levels = comparison["comparison_levels"]
    return "CASE " + " ".join(f"WHEN {lv['sql_condition']} THEN {i}" for i, lv in enumerate(levels)
                              if lv["sql_condition"] != "ELSE") + f" ELSE {len(levels)} END"


@pytest.mark.parametrize("link_type", ["link_only", "dedupe_only"])
def test_cheap_parts_first_gives_the_same_gammas(tmp_path, link_type):
    """run.cheap_first only reorders the parts of each AND (Levenshtein before Damerau-Levenshtein,
    an equal birth date before the name similarity): on pairs of a generated list, every comparison
    gives each pair the level model.py's own conditions give it."""
    from lindung.matching import model, run

    con = _generated_pairs(tmp_path)
    original = model.settings(link_type, prior=0.01)["comparisons"]
    reordered = run.cheap_first(model.settings(link_type, prior=0.01))["comparisons"]
    assert any(a != b for a, b in zip(map(_case, original), map(_case, reordered)))
    assert con.execute("SELECT count(*) FROM pairs").fetchall()[0][0] > 50_000
    for before, after in zip(original, reordered):
        differ = con.execute(f"SELECT count(*) FROM pairs WHERE ({_case(before)}) IS DISTINCT FROM ({_case(after)})")
        assert differ.fetchall()[0][0] == 0, before["output_column_name"]


@pytest.mark.parametrize("link_type", ["link_only", "dedupe_only"])
def test_shared_parts_worked_out_once_give_the_same_gammas(tmp_path, link_type):
    """run.precomputed puts a column in place of the name similarity and the NIKs' edit distance, the
    column being the same expression worked out once per pair: every comparison gives each pair of a
    generated list the level model.py's own conditions give it, and no level still runs the lambdas."""
    from lindung.matching import model, run

    parts = ", ".join(f"{expression} AS {column}" for column, expression in run.shared_parts().items())
    con = _generated_pairs(tmp_path, extra=parts)
    original = model.settings(link_type, prior=0.01)["comparisons"]
    shared = run.cheap_first(run.precomputed(model.settings(link_type, prior=0.01)))["comparisons"]
    assert not any("lambda" in lv["sql_condition"] or re.search(r"(?<!_)levenshtein\(nik_loose", lv["sql_condition"])
                   for c in shared for lv in c["comparison_levels"])
    assert con.execute("SELECT count(*) FROM pairs WHERE nik_edits <= 2 AND NOT name_close_lr").fetchall()[0][0] > 0
    for before, after in zip(original, shared):
        differ = con.execute(f"SELECT count(*) FROM pairs WHERE ({_case(before)}) IS DISTINCT FROM ({_case(after)})")
        assert differ.fetchall()[0][0] == 0, before["output_column_name"]


def test_records_looked_up_by_id_give_splinks_own_comparison_vectors(tmp_path):
    """run._records_by_id reads each side of a list-against-registry pair from its own table by id,
    instead of Splink's join on the two lists stacked: the same comparison vectors, row for row."""
    from lindung.matching import run

    data = generated_lists(tmp_path, seed=7, candidates=1500, registry=6000)
    con = duckdb.connect()
    run.prepare_tables(con, {"kandidat": data / "kandidat.parquet", "registri": data / "registri.parquet"},
                       ref_date=TODAY)
    tables = ["prep_kandidat", "prep_registri"]
    linker, _ = run._linker(con, tables, "link_only", None)
    blocked = linker.inference.compute_blocked_pairs_for_predict()
    ours = run._vector_pipeline(linker, blocked, tables).generate_cte_pipeline_sql()
    splinks = run._vector_pipeline(linker, blocked).generate_cte_pipeline_sql()
    assert "FROM prep_registri" in ours and "FROM prep_registri" not in splinks
    con.execute(f"CREATE TABLE ours AS {ours}")
    con.execute(f"CREATE TABLE splinks AS {splinks}")
    assert con.execute("SELECT count(*) FROM ours").fetchall()[0][0] > 500
    for a, b in (("ours", "splinks"), ("splinks", "ours")):
        missing = con.execute(f"SELECT count(*) FROM (SELECT * FROM {a} EXCEPT ALL SELECT * FROM {b})")
        assert missing.fetchall() == [(0,)]


def test_cheap_first_moves_only_whole_parts_of_an_and():
    from lindung.matching.run import _reordered

    assert _reordered("(jaro_winkler_similarity(a_l, a_r) > 0.9) AND b_l = b_r") == (
        "b_l = b_r AND (jaro_winkler_similarity(a_l, a_r) > 0.9)")
    assert _reordered("NOT (levenshtein(x_l, x_r) = 1 AND x_l = x_r) OR c_l = c_r") == (
        "NOT (x_l = x_r AND levenshtein(x_l, x_r) = 1) OR c_l = c_r")
    assert _reordered("list_max(list_transform(t_l, lambda t: t = 'a' AND len(t) > 1)) AND d_l = d_r") == (
        "d_l = d_r AND list_max(list_transform(t_l, lambda t: t = 'a' AND len(t) > 1))")


def test_a_pair_with_both_the_birth_date_and_the_name_damaged_is_still_compared():
    # Issue 13 (FEBRL): no NIK, the given name misspelt and the birth year wrong; only the family name
    # and the desa are left to bring the two records together (blocking on name + desa).
    result = _run([
        _person("f1", None, "Rahmawati Siregar", "1985-07-14", "P", desa="Pangke", kecamatan="Meral",
                nama_ibu="Rosmawati Lubis"),
        _person("f2", None, "Rahmawaty Siregar", "1986-07-14", "P", desa="Pangke", kecamatan="Meral",
                nama_ibu="Rosmawati Lubis"),
    ])
    assert ("f1", "f2") in _pairs(result)


def test_a_list_without_niks_is_scored_with_its_own_parameters():
    rows = [{k: v for k, v in row.items() if k != "nik"} for row in NO_NIK_LIST]
    assert _run(rows).stats["parameter_dedupe_only"] == "dedupe_only_tanpa_nik"
    assert _run(NO_NIK_LIST[:2] + [_person("d9", "2102015203900001", "Siti", "1990-03-12", "P")]
                ).stats["parameter_dedupe_only"] == "dedupe_only"


def test_a_list_with_niks_counts_u_from_its_own_pairs_and_one_without_only_for_the_place():
    # Seventh round (bench/matching/README.md): u follows the size of the lists (keys without a place),
    # so a run with NIKs estimates every comparison's u from its own pairs; without NIKs only the
    # place's (the other comparisons' u drifted with the matches there).
    with_niks = _run(NO_NIK_LIST[:2] + [_person("d9", "2102015203900001", "Siti", "1990-03-12", "P")])
    assert with_niks.stats["u_dari_data_dedupe_only"] == 7
    rows = [{k: v for k, v in row.items() if k != "nik"} for row in NO_NIK_LIST]
    assert _run(rows).stats["u_dari_data_dedupe_only"] == 1


def test_duplicates_and_links_have_their_own_match_threshold():
    thresholds = Thresholds(match=0.9, match_dedup=0.6, match_tanpa_nik=0.3, match_dedup_tanpa_nik=0.4)
    assert thresholds.match_for("link_only") == 0.9 and thresholds.match_for("dedupe_only") == 0.6
    assert thresholds.match_for("link_only_tanpa_nik") == 0.3
    assert thresholds.match_for("dedupe_only_tanpa_nik") == 0.4


def _p(id, nama, tgl, jk, desa, kecamatan, kabupaten, ibu):
    return {"id": id, "nama": nama, "tanggal_lahir": tgl, "jenis_kelamin": jk, "desa": desa,
            "kecamatan": kecamatan, "kabupaten": kabupaten, "nama_ibu": ibu}


# Kinds of true pairs no earlier blocking rule brought together on the training seeds 11-13 (no NIK on
# either side): one person written twice, damaged that way, and someone else sharing the new key.
@pytest.mark.parametrize("same, other", [
    # words in another order, and moved to another kecamatan
    ((_p("s1", "Amina Sholiha Patima", "1999-02-28", "P", "Seleman", "Bunguran Timur Laut", "Natuna", "Patima"),
      _p("s2", "Patima Amina Sholiha", "1999-02-28", "P", "Semedang", "Bunguran Batubi", "Natuna", "Patima")),
     _p("s3", "Sholiha Patima Amina", "1999-02-28", "L", "Sabang Barat", "Bunguran Barat", "Natuna", "Rohani")),
    # a typo after the name's third letter, moved; the same birth date
    ((_p("p1", "Hamsia", "2005-12-31", "P", "Manunggul Baru", "Sungai Durian", "Kotabaru", "Rosnah"),
      _p("p2", "Hamsiha", "2005-12-31", "P", "Gunung Batu Besar", "Sampanahan", "Kotabaru", "Rosnah")),
     _p("p3", "Hamdani", "2005-12-31", "L", "Tegalrejo", "Kelumpang Hulu", "Kotabaru", "Zubaidah")),
    # a name typo and a typo in the day, the month or the year, same kecamatan, another desa
    ((_p("d1", "Suwarni", "1996-05-15", "P", "Pondong Baru", "Kuaro", "Paser", "Sarmi"),
      _p("d2", "Suwarmi", "1996-05-25", "P", "Padang Pengrapat", "Kuaro", "Paser", "Sarmi")),
     _p("d3", "Suwandi", "1996-05-25", "L", "Keluang Lolo", "Kuaro", "Paser", "Rohani")),
    ((_p("m1", "Suwarni", "1996-05-15", "P", "Pondong Baru", "Kuaro", "Paser", "Sarmi"),
      _p("m2", "Suwarmi", "1996-09-15", "P", "Padang Pengrapat", "Kuaro", "Paser", "Sarmi")),
     _p("m3", "Suwandi", "1996-09-15", "L", "Keluang Lolo", "Kuaro", "Paser", "Rohani")),
    ((_p("y1", "Suwarni", "1986-05-15", "P", "Pondong Baru", "Kuaro", "Paser", "Sarmi"),
      _p("y2", "Suwarmi", "1996-05-15", "P", "Padang Pengrapat", "Kuaro", "Paser", "Sarmi")),
     _p("y3", "Suwandi", "1976-05-15", "L", "Keluang Lolo", "Kuaro", "Paser", "Rohani")),
    # the year wrong and moved to another kecamatan; the name itself unchanged
    ((_p("k1", "Muhammad Pahriansa", "1985-06-23", "L", "Waru", "Waru", "Penajam Paser Utara", "Jumiati"),
      _p("k2", "Muhammad Pahriansa", "1988-06-23", "L", "Rintik", "Babulu", "Penajam Paser Utara", "Jumiati")),
     _p("k3", "Muhammad Pahriansa", "1995-06-23", "L", "Sesulu", "Waru", "Penajam Paser Utara", "Halimah")),
    # no birth date on one side and the family name misspelt, same kecamatan, another desa
    ((_p("n1", "Rudi Susanro", "1976-10-31", "L", "Bukit Subur", "Penajam", "Penajam Paser Utara", "Sulastri"),
      _p("n2", "Rudi Susanto", "", "L", "Sotek", "Penajam", "Penajam Paser Utara", "Sulastri")),
     _p("n3", "Rudi Saputra", "", "L", "Giri Mukti", "Penajam", "Penajam Paser Utara", "Khadijah")),
])
def test_a_name_or_date_damaged_where_the_old_blocking_keys_broke_is_compared_and_matched(same, other):
    result = _run([*same, other])
    pairs = _pairs(result)
    assert pairs[(same[0]["id"], same[1]["id"])].band == MATCH
    assert not any(other["id"] in key and pair.band == MATCH for key, pair in pairs.items())


# FEBRL's error process (bench/matching/febrl_style.py, the seventh round): the kecamatan misspelt while
# the desa is intact, together with a damaged name or a missing birth date; no key that needs the
# kecamatan brings the two records together, the same keys with the desa do.
@pytest.mark.parametrize("a, b", [
    # the whole birth date and the desa; the given name lost a letter, the family name respelt
    (_p("e1", "Eko Setiawan", "1996-01-23", "L", "Sepaku", "Sepaku", "Penajam Paser Utara", "Sulastri"),
     _p("e2", "Ko Setyawan", "1996-01-23", "L", "Sepaku", "Seaku", "Penajam Paser Utara", "Sulastri")),
    # year and month, the name's first three letters and the desa; a day typo
    (_p("a1", "Amina Nuraini", "2004-02-06", "P", "Tanah Grogot", "Tanah Grogot", "Paser", "Rosnah"),
     _p("a2", "Amina Naraini", "2004-02-16", "P", "Tanah Grogot", "Tanah Krogot", "Paser", "Rosnah")),
    # no birth date on one side, the given name and the desa; the family name misspelt
    (_p("h1", "Hamka Sainal", "", "L", "Sesulu", "Waru", "Penajam Paser Utara", "Jumiati"),
     _p("h2", "Hamka Sainul", "1971-01-25", "L", "Sesulu", "Wapu", "Penajam Paser Utara", "Jumiati")),
])
def test_a_misspelt_kecamatan_with_the_desa_intact_still_compares_a_damaged_pair(a, b):
    compared = match_records([a, b], ref_date=TODAY, thresholds=Thresholds(possible=0.0))  # every compared pair
    assert (a["id"], b["id"]) in _pairs(compared)


# FEBRL's heavy damage (bench/matching/febrl_style.py, style `many`; the eleventh round): the birth year
# wrong, both names misspelt and the kecamatan too; only the birth day and month and the desa are left.
# No key of model.BLOCKING_RULES joins the two; a key of DEDUPE_BLOCKING_RULES does.
SUPARDI = [_p("s1", "Supardi Wiryanto", "1975-11-21", "L", "Tanjung Berlian Barat", "Kundur Utara", "Karimun", "Sumiati"),
           _p("s2", "Suparti Waryanto", "1985-11-21", "L", "Tanjung Berlian Barat", "Qundur Utara", "Karimun", "Sumiati")]
# Men of the same desa whose names start as Supardi's, each with his own date, year, family name and
# mother: only the keys for duplicates join them (the name's first letters with the desa).
SUP_NEIGHBOURS = [_p(f"n{i}", f"{first} {last}", f"{1960 + i}-0{i + 1}-1{i}", "L", "Tanjung Berlian Barat",
                     "Kundur Utara", "Karimun", mother)
                  for i, (first, last, mother) in enumerate([("Suparman", "Hasibuan", "Aminah"),
                                                             ("Supriadi", "Lubis", "Rohani"),
                                                             ("Suprapto", "Nasution", "Halimah"),
                                                             ("Supomo", "Siregar", "Maryam"),
                                                             ("Supandi", "Harahap", "Nurlela")])]


def test_a_duplicate_left_with_its_birth_day_and_desa_alone_is_compared():
    compared = _pairs(match_records(SUPARDI, ref_date=TODAY, thresholds=Thresholds(possible=0.0)))
    assert ("s1", "s2") in compared
    assert not _pairs(match_records(SUPARDI, ref_date=TODAY, dedupe=False, thresholds=Thresholds(possible=0.0)),
                      "links")  # no registry: nothing to link, and the keys are the duplicates' own


def test_pairs_only_the_keys_for_duplicates_bring_leave_the_fit_of_the_other_pairs_alone():
    # Added to the fit, pairs of different people lower the prior of every pair (training seeds without
    # NIKs: duplicates F1 0,89 -> 0,81); scored with their own prior they leave the others' scores as they were.
    alone = match_records(NO_NIK_LIST, ref_date=TODAY, thresholds=Thresholds(possible=0.0))
    beside = match_records(NO_NIK_LIST + SUP_NEIGHBOURS, ref_date=TODAY, thresholds=Thresholds(possible=0.0))
    assert beside.stats["dibandingkan_dedupe_only"] > alone.stats["dibandingkan_dedupe_only"]
    assert beside.stats["prior_dedupe_only"] == alone.stats["prior_dedupe_only"]
    assert {k: p.score for k, p in _pairs(beside).items() if k in _pairs(alone)} == {
        k: p.score for k, p in _pairs(alone).items()}
    assert 0 < beside.stats["prior_kunci_tambahan_dedupe_only"] < beside.stats["prior_dedupe_only"]


@pytest.mark.parametrize("below, threads", [(None, 2), (10, 2), (11, 1)])
def test_small_lists_run_on_one_duckdb_thread(tmp_path, below, threads):
    """prepare_tables puts a run whose lists hold fewer records than `one_thread_below` on one DuckDB
    thread (match_records: run.ONE_THREAD_BELOW unless the caller sets threads); larger runs keep theirs."""
    from lindung.matching import run

    con = run.connect(memory_mb=256, temp_dir=tmp_path, threads=2)
    people = [_person(f"a{i}", None, f"Budi {i}", "1990-03-12", "L") for i in range(5)]
    run.prepare_tables(con, {"kandidat": people, "registri": people}, ref_date=TODAY, one_thread_below=below)
    assert con.execute("SELECT current_setting('threads')").fetchone()[0] == threads


def test_records_are_counted_before_reading_when_the_source_says(tmp_path):
    """columns.rows_of: a parquet file's metadata, an Arrow table or a list give the count before the
    load (run.prepare_tables picks the thread count from it); csv and a missing file do not."""
    import pyarrow.parquet as pq

    rows = [_person(f"a{i}", None, f"Budi {i}", "1990-03-12", "L") for i in range(7)]
    table = pa.table({k: [r[k] for r in rows] for k in rows[0]})
    pq.write_table(table, tmp_path / "k.parquet", row_group_size=3)
    (tmp_path / "k.csv").write_text("id,nama\n1,Budi\n")
    con = duckdb.connect()
    assert [columns.rows_of(con, s) for s in (tmp_path / "k.parquet", str(tmp_path / "k.parquet"), table, rows)] == [7] * 4
    assert columns.rows_of(con, tmp_path / "k.csv") is None and columns.rows_of(con, tmp_path / "none.parquet") is None


def test_a_list_without_birth_dates_in_one_kecamatan_compares_a_bounded_number_of_pairs():
    """Issue 13, a list without birth dates or NIKs: the rule for records without a date (first name,
    kecamatan, the family name's initial) put every Muhammad R. of a kecamatan with every other, 160 x 160
    pairs here (dense medium lists: 4 million); a block of more than run.MAX_BLOCK_PAIRS pairs is skipped
    by such a rule, and the people are still compared on their whole names."""
    from lindung.matching.run import MAX_BLOCK_PAIRS

    family = [a + b for a in ("Ra", "Ri", "Ru", "Ro", "Re") for b in ("dan", "sid", "man", "ki", "wan", "tno", "mat", "sli")]
    assert 160 * 160 > MAX_BLOCK_PAIRS

    def people(prefix):
        return [{"id": f"{prefix}{i:03d}", "nama": f"Muhammad {family[i % 40]}", "tanggal_lahir": "",
                 "jenis_kelamin": "L", "nama_ibu": f"Siti {family[(i * 7) % 40]}", "desa": f"Desa {i}",
                 "kecamatan": "Meral", "kabupaten": "Karimun"} for i in range(160)]

    result = _run(people("k"), people("r"))
    # Each whole name is 4 candidates and 4 registry records (40 x 16 pairs), compared; nothing else is.
    assert result.stats["dibandingkan_link_only"] == 40 * 16
    assert result.stats["dibandingkan_dedupe_only"] == 40 * 6
    assert {(p.left, p.right) for p in result.links} <= {(f"k{i:03d}", f"r{j:03d}") for i in range(160) for j in range(160)
                                                         if i % 40 == j % 40}


# The run's own u (em.U_PAIRS) on lists that give it little or odd evidence: a sensible result, never a traceback.
def test_a_single_record_with_a_registry_it_never_meets_gives_no_pairs():
    result = _run([_person("s1", "2102011203900012", "Siti Aminah", "1990-03-12", "P", kecamatan="Meral")],
                  [_person("r1", "3201010101700001", "Budi Santoso", "1970-01-01", "L", kecamatan="Cibadak")])
    assert result.links == [] and result.duplicates == []
    assert result.stats["dibandingkan_link_only"] == 0


def test_lists_where_every_pair_is_one_person_link_them_all():
    same = dict(nik="2102011203900012", nama="Siti Aminah", tgl="1990-03-12", jk="P")
    people = [_person(f"c{i}", same["nik"], same["nama"], same["tgl"], same["jk"], kecamatan="Meral") for i in range(4)]
    registry = [_person(f"r{i}", same["nik"], same["nama"], same["tgl"], same["jk"], kecamatan="Meral") for i in range(3)]
    result = _run(people, registry)
    assert result.stats["u_dari_data_link_only"] > 0  # the run's own u was estimated
    assert {p.band for p in result.links + result.duplicates} == {MATCH}
    assert len(result.links) == 12 and len(result.duplicates) == 6


def test_one_placeholder_nik_shared_by_different_people_does_not_make_them_one():
    names = ["Siti Aminah", "Budi Santoso", "Ahmad Yani", "Dewi Lestari", "Rudi Hartono"]
    people = [_person(f"p{i}", "3201011203900099", name, f"198{i}-0{i + 1}-1{i}", "LP"[i % 2], kecamatan="Meral",
                      nama_ibu=f"Ibu {name}") for i, name in enumerate(names)]
    result = _run(people)
    assert not [p for p in result.duplicates if p.band == MATCH]


@pytest.mark.parametrize("kind", ["duplicates", "links"])
def test_two_niks_a_birth_day_apart_each_agreeing_with_its_own_date_are_two_people(kind):
    # One kecamatan, serial 0001 both, born ten days apart: each NIK carries its holder's own birth date,
    # so the one-digit difference is two people, not a typo (a typo leaves one date at odds with its NIK).
    a = _person("d1", "2102014507850001", "Siti Aminah", "1985-07-05", "P", kecamatan="Meral", desa="Pangke")
    b = _person("d2", "2102015507850001", "Aminah", "1985-07-15", "P", kecamatan="Meral", desa="Pangke")
    result = _run([a, b]) if kind == "duplicates" else _run([a], [{**b, "kpj": "12345678901"}])
    assert result.stats[f"dibandingkan_{'dedupe' if kind == 'duplicates' else 'link'}_only"] == 1  # compared
    pair = _pairs(result, kind).get(("d1", "d2"))  # below the review band, or in it as two people
    assert pair is None or (pair.band != MATCH and pair.evidence["nik"] == "salah_ketik_masing_sah")


@pytest.mark.parametrize("nik_b, place", [
    ("2102015507850001", {"kecamatan": "Meral", "desa": "Pangke"}),          # a date digit wrong: at odds with its date
    ("2102024507850001", {"kecamatan": "Karimun", "kabupaten": "Karimun"}),  # a region digit wrong, one kecamatan
])
def test_a_nik_mistyped_in_its_date_or_region_digits_is_still_one_person(nik_b, place):
    result = _run([
        _person("e1", "2102014507850001", "Siti Aminah", "1985-07-05", "P", **place),
        _person("e2", nik_b, "Siti Aminah", "1985-07-05", "P", **place),
    ])
    pair = _pairs(result)[("e1", "e2")]
    assert pair.band == MATCH and pair.evidence["nik"] == "salah_ketik"


def test_two_niks_a_region_digit_apart_in_two_kecamatan_are_two_people():
    # Born the same day with the same serial in neighbouring kecamatan (codes 210201 / 210202), each living
    # in their own: the one-digit difference is the region, not a typo.
    result = _run([
        _person("r1", "2102014507850001", "Siti Aminah", "1985-07-05", "P", kecamatan="Karimun", kabupaten="Karimun"),
        _person("r2", "2102024507850001", "Aminah", "1985-07-05", "P", kecamatan="Buru", kabupaten="Karimun"),
    ])
    pair = _pairs(result)[("r1", "r2")]  # compared (one kabupaten, name and birth date), and kept apart
    assert pair.band != MATCH and pair.evidence["nik"] == "salah_ketik_wilayah_lain"

