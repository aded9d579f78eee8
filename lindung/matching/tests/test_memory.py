"""The engine within bounded memory (issue 18): DuckDB's limit and spill folder applied, the folder removed
after the run, blocked pairs compared part by part with progress — and the same pairs either way."""

from datetime import date

import pytest

from lindung.matching import run
from lindung.matching.run import connect, match_records

TODAY = date(2026, 1, 1)


def people() -> list[dict]:
    """A desa list with duplicates written differently, look-alikes and unrelated neighbours."""
    rows = [
        ("a1", "2102011203900012", "H. MOCHAMMAD JOESOEF", "12-03-1990", "L", "Siti Aisyah"),
        ("a2", "2102011203900012", "Muhamad Yusuf bin Abdul Kadir", "1990-03-12", "L", "Sitti Aisah"),
        ("b1", "2102015505880002", "Siti Rahmawati", "1988-05-15", "P", "Kalsum"),
        ("b2", "2102015505880020", "SITI RAHMAWATI", "1988-05-15", "P", "Kalsum"),
        ("t1", "2102011203900013", "Hasan Basri", "1990-03-12", "L", "Siti Aisyah"),
        ("t2", "2102015203900014", "Hasanah", "1990-03-12", "P", "Siti Aisyah"),
    ]
    rows += [(f"n{i}", f"21020{(i % 3) + 1}{(i % 28) + 1:02d}0{(i % 9) + 1}8{i % 10}{i:04d}", f"Warga Nomor {i} Bin Ahmad",
              f"198{i % 10}-0{(i % 9) + 1}-{(i % 28) + 1:02d}", "L" if i % 2 else "P", "Aminah") for i in range(1, 40)]
    return [{"id": i, "nik": nik, "nama": nama, "tanggal_lahir": born, "jenis_kelamin": sex, "nama_ibu": ibu,
             "kecamatan": "Karimun"} for i, nik, nama, born, sex, ibu in rows]


def registry() -> list[dict]:
    return [{"id": "r1", "nik": "2102011203900012", "nama": "M. YUSUF", "tanggal_lahir": "1990-03-12"},
            {"id": "r2", "nik": "2102015505880002", "nama": "Siti Rahmawati", "tanggal_lahir": "15/05/1988"},
            {"id": "r3", "nik": "2102030303730303", "nama": "Orang Lain", "tanggal_lahir": "1973-03-03"}]


def outcome(result) -> tuple:
    return ([(p.left, p.right, p.score, p.band, p.evidence) for p in result.links],
            [(p.left, p.right, p.score, p.band, p.evidence) for p in result.duplicates], result.clusters)


def test_duckdb_gets_the_memory_limit_and_spill_folder_and_keeps_no_insertion_order(tmp_path):
    con = connect(memory_mb=300, temp_dir=tmp_path, threads=1)
    limit, folder, order, threads = con.execute(
        "SELECT current_setting('memory_limit'), current_setting('temp_directory'), "
        "current_setting('preserve_insertion_order'), current_setting('threads')").fetchone()
    con.close()
    assert limit.endswith("MiB") and 280 <= float(limit.split()[0]) <= 300  # 300 MB as DuckDB writes it
    assert folder == str(tmp_path) and order is False and threads == 1


def test_a_run_spills_into_its_own_folder_inside_temp_dir_and_removes_it(tmp_path):
    seen = []

    def progress(percent, text):
        seen.append((percent, text, sorted(p.name for p in tmp_path.iterdir())))

    result = match_records(people(), registry(), ref_date=TODAY, memory_mb=200, temp_dir=tmp_path, progress=progress)
    assert {f for _, _, folders in seen for f in folders} and all(
        f.startswith("lindung-duckdb-") for _, _, folders in seen for f in folders)
    assert list(tmp_path.iterdir()) == []  # removed after the run
    assert outcome(result) == outcome(match_records(people(), registry(), ref_date=TODAY))


def test_comparing_blocked_pairs_part_by_part_finds_the_same_pairs_and_reports_progress(monkeypatch):
    whole = match_records(people(), registry(), ref_date=TODAY)
    assert whole.duplicates and whole.links
    seen = []
    monkeypatch.setattr(run, "COMPARE_PART", 3)
    parted = match_records(people(), registry(), ref_date=TODAY, progress=lambda p, t: seen.append((p, t)))
    assert outcome(parted) == outcome(whole)
    assert parted.stats["dibandingkan_dedupe_only"] == whole.stats["dibandingkan_dedupe_only"] > 6
    percents = [p for p, _ in seen]
    assert percents == sorted(percents) and percents[-1] == 100
    assert any("bagian 2 dari" in t and t.startswith("Mencari data ganda") for _, t in seen)
    assert any("bagian 1 dari" in t and t.startswith("Mencocokkan dengan daftar rujukan") for _, t in seen)


@pytest.mark.parametrize("dedupe", [True, False])
def test_progress_reaches_the_end_with_or_without_each_stage(dedupe):
    seen = []
    match_records(people(), None, ref_date=TODAY, dedupe=dedupe, progress=lambda p, t: seen.append(p))
    assert seen == sorted(seen) and seen[-1] == 100
