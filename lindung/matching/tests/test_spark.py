"""The same model on Splink's Spark backend (pyspark local[2]): the same pairs, scores and evidence."""

import os
import shutil
from datetime import date

import pytest

from lindung.matching.run import match_records

TODAY = date(2026, 1, 1)

CANDIDATES = [
    {"id": "k1", "nik": "2102014507850001", "nama": "Hj. Siti Aminah binti Kasim", "tanggal_lahir": "05-07-1985",
     "jenis_kelamin": "P", "kecamatan": "Kec. Karimun", "nama_ibu": "Fatimah"},
    {"id": "k2", "nik": "2102014507850001", "nama": "SITTI AMINAH", "tanggal_lahir": "1985-07-05",
     "jenis_kelamin": "P", "kecamatan": "21 02 01"},
    {"id": "k3", "nik": "2102011203900002", "nama": "Muhammad Yusuf, S.Pd", "tanggal_lahir": "12/03/1990",
     "jenis_kelamin": "L", "no_hp": "+62 812-3456-7890"},
    {"id": "k4", "nik": "", "nama": "Nur Hayati", "tanggal_lahir": "1992-01-20", "jenis_kelamin": "P",
     "desa": "Pangke", "kecamatan": "Meral"},
]
REGISTRY = [
    {"id": "r1", "nik": "2102011203900020", "nama": "Moh. Jusuf", "tanggal_lahir": "1990-03-12",
     "no_hp": "081234567890", "kpj": "12345678901"},
    {"id": "r2", "nik": "2102014507850001", "nama": "Siti Aminah", "tanggal_lahir": "1985-07-05"},
    {"id": "r3", "nik": "2102106001920003", "nama": "NURHAYATI", "tanggal_lahir": "20-01-1992",
     "jenis_kelamin": "P", "desa": "Desa Pangke", "kecamatan": "KEC. MERAL"},
]


@pytest.fixture(scope="module")
def spark():
    missing = None
    try:
        import pyspark  # noqa: F401
    except ImportError:
        missing = "pyspark tidak terpasang (pip install 'lindung[spark]')"
    if shutil.which("java") is None:
        missing = "Java tidak terpasang (scripts/system-deps spark)"
    if missing:
        if os.environ.get("LINDUNG_REQUIRE_SPARK"):
            pytest.fail(missing)
        pytest.skip(missing)
    from lindung.matching.spark import session

    spark = session("local[2]")
    yield spark
    spark.stop()


def test_spark_scores_the_same_pairs_as_duckdb(spark):
    on_spark = match_records(CANDIDATES, REGISTRY, ref_date=TODAY, spark=spark)
    on_duckdb = match_records(CANDIDATES, REGISTRY, ref_date=TODAY)
    assert {(p.left, p.right) for p in on_spark.links} >= {("k1", "r2"), ("k2", "r2"), ("k3", "r1"), ("k4", "r3")}
    for got, expected in zip(on_spark.links + on_spark.duplicates, on_duckdb.links + on_duckdb.duplicates, strict=True):
        assert (got.left, got.right, got.band, got.evidence) == (expected.left, expected.right, expected.band,
                                                                 expected.evidence)
        assert got.score == pytest.approx(expected.score, abs=1e-6)
    assert on_spark.clusters == on_duckdb.clusters == {"k1": "k1", "k2": "k1"}


def test_spark_reads_the_levels_a_list_without_niks_folds_as_duckdb_does(spark):
    """Candidates without NIKs (the *_tanpa_nik sets): the birth date's sama_nama_sama is read as sama on
    both engines (model.folded_levels), so Nur Hayati / NURHAYATI is the same link with the same evidence."""
    without_niks = [{**row, "nik": ""} for row in CANDIDATES]
    on_spark = match_records(without_niks, REGISTRY, ref_date=TODAY, spark=spark)
    on_duckdb = match_records(without_niks, REGISTRY, ref_date=TODAY)
    assert on_duckdb.stats["parameter_link_only"] == "link_only_tanpa_nik"
    assert [(p.left, p.right, p.band, p.evidence) for p in on_spark.links] == [
        (p.left, p.right, p.band, p.evidence) for p in on_duckdb.links]
    nur = [p for p in on_duckdb.links if (p.left, p.right) == ("k4", "r3")]
    assert nur and nur[0].evidence["tanggal_lahir"] == "sama"
    assert [p.score for p in on_spark.links] == pytest.approx([p.score for p in on_duckdb.links], abs=1e-6)
