"""The command-line contract of architecture.md §4, through the installed `lindung` script and call_command."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

LINDUNG = str(Path(sys.executable).with_name("lindung"))


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([LINDUNG, *args], capture_output=True, text=True, timeout=60)


def call_json(*args: str) -> list[dict]:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


@pytest.mark.parametrize(
    "orang, bulan, periode, total",
    [
        ("953", "2", "2025-11", 32_020_800),  # S1 Karimun
        ("15000", "12", "2025-01", 3_024_000_000),  # S2 Penajam Paser Utara
        ("5606", "7", "2025-06", 659_265_600),  # Lumajang
        ("5000", "12", "2025-01", 1_008_000_000),
    ],
)
def test_iuran_reproduces_the_seed_bills(orang, bulan, periode, total):
    [record] = call_json("iuran", "--orang", orang, "--bulan", bulan, "--periode", periode)
    assert record["per_orang_per_bulan"] == 16_800
    assert record["total"] == total
    assert any("PP 44/2015" in rule for rule in record["aturan"])


def test_iuran_with_jht_costs_36800_a_month():
    [record] = call_json("iuran", "--orang", "1", "--bulan", "1", "--periode", "2025-11", "--jht")
    assert record["per_orang_per_bulan"] == 36_800


def test_iuran_prices_a_declared_income_by_its_lampiran_ii_row():
    args = ("iuran", "--orang", "1", "--bulan", "1", "--periode", "2025-11", "--jht", "--penghasilan")
    [record] = call_json(*args, "1.099.000")
    assert (record["penghasilan_penetapan_manfaat"], record["per_orang_per_bulan"]) == (1_000_000, 36_800)
    [top] = call_json(*args, "25000000")  # Rp20.200.000 ke atas: JKK 207.000, JHT 414.000
    assert (top["penghasilan_penetapan_manfaat"], top["per_orang_per_bulan"]) == (20_700_000, 207_000 + 6_800 + 414_000)


def test_pagu_at_a_declared_income_buys_seats_at_its_band():
    [record] = call_json("pagu", "--anggaran", "3000000000", "--bulan", "12", "--periode", "2025-01",
                         "--penghasilan", "3000000")
    assert record["kursi"] == 3_000_000_000 // (12 * (29_500 + 6_800))


def test_iuran_never_discounts_an_apbd_paid_ojek_driver():
    args = ("iuran", "--orang", "1", "--bulan", "1", "--periode", "2026-02", "--sektor", "transportasi")
    [apbd] = call_json(*args, "--pembayar", "apbd")
    [mandiri] = call_json(*args, "--pembayar", "mandiri")
    assert apbd["per_orang_per_bulan"] == 16_800
    assert mandiri["per_orang_per_bulan"] == 8_400
    assert any("PP 50/2025" in rule for rule in mandiri["aturan"])
    assert not any("PP 50/2025" in rule for rule in apbd["aturan"])


def test_pagu_counts_seats_rounded_down():
    [record] = call_json("pagu", "--anggaran", "3000000000", "--bulan", "12", "--periode", "2025-01")
    assert record == {"kursi": 14_880, "biaya": 2_999_808_000, "sisa": 192_000}


def test_pagu_accepts_dotted_rupiah():
    [record] = call_json("pagu", "--anggaran", "Rp3.000.000.000", "--bulan", "12", "--periode", "2025-01")
    assert record["kursi"] == 14_880


def test_wilayah_reports_a_kabupaten():
    assert call_json("wilayah", "21.03") == [
        {"kode": "21.03", "nama": "Kabupaten Natuna", "tingkat": "kabupaten", "induk": "21"}
    ]
    assert call_json("wilayah", "2171")[0]["tingkat"] == "kota"


def test_nik_reports_each_nik():
    [ok, bad] = call_json_allowing_failure("nik", "6409014101900001", "12345")
    assert ok["valid"] is True and ok["jenis_kelamin"] == "P" and ok["tanggal_lahir"] == "1990-01-01"
    assert ok["kode_kecamatan"] == "64.09.01"
    assert bad["valid"] is False and bad["problems"] == ["not_16_digits"]


def call_json_allowing_failure(*args: str) -> list[dict]:
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(*args, "--json", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


@pytest.mark.parametrize(
    "args, message",
    [
        (["iuran", "--orang", "abc", "--bulan", "2"], "--orang harus bilangan bulat"),
        (["iuran", "--bulan", "2"], "argumen wajib belum diisi: --orang"),
        (["iuran", "--orang", "5", "--bulan", "2", "--periode", "2025-13"], "--periode 2025-13: Bulan harus 1 sampai 12"),
        (["iuran", "--orang", "5", "--bulan", "0"], "bulan"),
        (["iuran", "--orang", "5", "--bulan", "2", "--pembayar", "bank"], "bank"),
        (["pagu", "--anggaran", "3,5e9", "--bulan", "12"], "--anggaran harus bilangan bulat"),
        (["iuran", "--orang", "1", "--bulan", "1", "--periode", "2025-11", "--penghasilan", "1099500"],
         "di antara baris s.d. Rp1.099.000 dan baris Rp1.100.000"),
        (["wilayah", "99.99", "--json"], "tidak ada"),
        (["wilayah", "abc"], "bukan kode wilayah"),
    ],
)
def test_bad_input_gets_an_indonesian_message_and_no_traceback(args, message):
    result = run(*args)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert message in result.stderr
    assert result.stdout.strip() == ""


def test_an_unknown_wilayah_exits_with_status_1():
    result = run("wilayah", "99.99", "--json")
    assert result.returncode == 1


def test_an_invalid_nik_exits_with_status_1_after_printing_its_result():
    result = run("nik", "6409010000000000", "--json")
    assert result.returncode == 1
    record = json.loads(result.stdout)
    assert record["valid"] is False and "birth_date_invalid" in record["problems"]


def test_the_script_prints_clean_json_lines():
    result = run("iuran", "--orang", "953", "--bulan", "2", "--periode", "2025-11", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["total"] == 32_020_800


@pytest.mark.parametrize("value", ["3.000.000.000,00", "16800.50", "1,5", "3.00.000", "12e3"])
def test_amounts_with_a_decimal_part_are_refused_not_multiplied(value):
    with pytest.raises(CommandError, match="harus bilangan bulat"):
        call_command("pagu", "--anggaran", value, "--bulan", "12", "--periode", "2025-01")


def test_grouped_thousands_are_accepted():
    for value in ("3000000000", "3.000.000.000", "3,000,000,000", "Rp3.000.000.000"):
        [record] = call_json("pagu", "--anggaran", value, "--bulan", "12", "--periode", "2025-01")
        assert record["kursi"] == 14_880


def test_demo_refuses_to_run_with_debug_off_unless_forced(tmp_path):
    """Issue 11, item 10: the demo creates a superuser whose password it prints; not on a real server."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update({"SQLITE_PATH": str(tmp_path / "demo.sqlite3"), "DEBUG": "0",
                "SECRET_KEY": os.environ.get("SECRET_KEY", "test-only-key-not-for-production-demo-test")})
    lindung = str(Path(sys.executable).with_name("lindung"))
    refused = subprocess.run([lindung, "demo"], env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 1
    assert "DEBUG mati" in refused.stderr and "--paksa" in refused.stderr and "Traceback" not in refused.stderr
    assert "kata sandi   :" not in refused.stdout
    assert not (tmp_path / "demo.sqlite3").exists() or (tmp_path / "demo.sqlite3").stat().st_size == 0
    helped = subprocess.run([lindung, "demo", "--help"], env=env, capture_output=True, text=True, timeout=120)
    assert "--paksa" in helped.stdout and "--force" in helped.stdout
