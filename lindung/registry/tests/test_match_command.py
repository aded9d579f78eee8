"""`lindung match` as a script calls it: files in, csv files out, Indonesian errors, exit codes."""

import csv
import json
import subprocess
import sys

import xlsxwriter

ROWS = [
    ("id", "NIK", "Nama", "Tgl Lahir", "JK"),
    ("a1", "2102011203900012", "H. Muhammad Yusuf", "12-03-1990", "L"),
    ("a2", "2102011230900012", "Moch. Jusuf", "1990-03-12", "L"),
    ("a3", "3174050101800001", "Budi Santoso", "1980-01-01", "L"),
]


def _run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "lindung.cli", "match", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def _xlsx(path, rows):
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
    book.close()


def test_an_excel_list_gives_its_duplicates(tmp_path):
    _xlsx(tmp_path / "desa.xlsx", ROWS)
    done = _run("--kandidat", str(tmp_path / "desa.xlsx"), "--out", str(tmp_path / "hasil"), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["duplicates"] == 1 and summary["links"] == 0
    with (tmp_path / "hasil" / "duplicates.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["id_a"], r["id_b"]) for r in rows] == [("a1", "a2")]
    assert 0.9 <= float(rows[0]["score"]) <= 1


def test_a_csv_registry_gives_links(tmp_path):
    kandidat, registri = tmp_path / "calon.csv", tmp_path / "bpjs.csv"
    with kandidat.open("w", newline="") as handle:
        csv.writer(handle).writerows(ROWS)
    with registri.open("w", newline="") as handle:
        csv.writer(handle).writerows([("no_kpj", "id", "nik", "nama", "tanggal_lahir"),
                                      ("12345678901", "r9", "3174050101800001", "BUDI SANTOSO", "01/01/1980")])
    done = _run("--kandidat", str(kandidat), "--registri", str(registri), "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with (tmp_path / "o" / "links.csv").open() as handle:
        assert [(r["candidate_id"], r["registry_id"]) for r in csv.DictReader(handle)] == [("a3", "r9")]


def test_missing_columns_are_named_and_exit_1(tmp_path):
    path = tmp_path / "salah.csv"
    path.write_text("nomor,nama lengkap\n1,Budi\n")
    done = _run("--kandidat", str(path), "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert done.returncode == 1
    assert "kolom wajib tidak ada: id, nik atau tanggal_lahir" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "o").exists()


def test_an_unknown_file_type_is_refused(tmp_path):
    path = tmp_path / "daftar.pdf"
    path.write_bytes(b"%PDF-1.4")
    done = _run("--kandidat", str(path), "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert done.returncode == 1
    assert "jenis berkas '.pdf' tidak dikenal" in done.stderr


def test_the_console_script_matches_without_starting_django(tmp_path):
    """`lindung match` computes only from its files: the quick path (lindung/matching/command.py)
    never imports Django, and writes what the management command writes."""
    _xlsx(tmp_path / "desa.xlsx", ROWS)
    script = ("import atexit, sys; atexit.register(lambda: print('django' in sys.modules)); "
              "from lindung.cli import main; "
              f"main(['lindung', 'match', '--kandidat', {str(tmp_path / 'desa.xlsx')!r}, '--out', {str(tmp_path / 'o')!r}])")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    summary, django_loaded = done.stdout.strip().splitlines()
    assert summary.startswith("0 tautan, 1 pasangan ganda")
    assert django_loaded == "False"


def test_django_options_still_go_through_the_management_command(tmp_path):
    _xlsx(tmp_path / "desa.xlsx", ROWS)
    done = _run("--kandidat", str(tmp_path / "desa.xlsx"), "--out", str(tmp_path / "o"), "--verbosity", "0",
                cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "o" / "duplicates.csv").exists()
