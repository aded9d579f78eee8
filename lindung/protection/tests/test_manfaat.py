import io
import json

import pytest
from django.core.management import CommandError, call_command


def manfaat(*args) -> dict:
    out = io.StringIO()
    call_command("manfaat", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_benefit_calculator():
    assert manfaat("--jenis", "jkm", "--masa-iur", "2", "--tanggal", "2025-11-10")["jumlah"] == 10_000_000
    assert manfaat("--jenis", "jkm", "--masa-iur", "3", "--tanggal", "2025-11-10")["jumlah"] == 42_000_000
    jkk = manfaat("--jenis", "jkk-meninggal", "--masa-iur", "1", "--penghasilan", "1000000", "--tanggal", "2025-11-10")
    assert jkk["jumlah"] == 70_000_000 and jkk["aturan"]
    assert manfaat("--jenis", "beasiswa", "--masa-iur", "40", "--anak", "3", "--tanggal", "2025-11-10")["jumlah"] == 174_000_000
    with pytest.raises(CommandError, match="--penghasilan wajib"):
        call_command("manfaat", "--jenis", "jkk-meninggal", "--masa-iur", "1")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("manfaat", "--jenis", "jkm", "--masa-iur", "1", "--tanggal", "10-11-2025")


def test_jkk_death_is_48_times_the_income_at_least_the_jkm_floor():
    jkk = manfaat("--jenis", "jkk-meninggal", "--masa-iur", "1", "--penghasilan", "1.099.000", "--tanggal", "2025-11-10")
    assert jkk["jumlah"] == 48 * 1_099_000 + 22_000_000
    low = manfaat("--jenis", "jkk-meninggal", "--masa-iur", "1", "--penghasilan", "300000", "--tanggal", "2025-11-10")
    assert low["jumlah"] == 42_000_000
    assert "batas bawah berlaku" in low["rincian"]


def test_a_death_in_june_2020_is_calculated_and_one_before_pp_82_2019_refused():
    jkm = manfaat("--jenis", "jkm", "--masa-iur", "12", "--tanggal", "2020-06-15")
    assert jkm["jumlah"] == 42_000_000 and jkm["aturan"] == ["PP 44/2015 jo. PP 82/2019"]
    assert "santunan kematian Rp20.000.000" in jkm["rincian"]
    with pytest.raises(CommandError, match="2 Desember 2019"):
        call_command("manfaat", "--jenis", "jkm", "--masa-iur", "12", "--tanggal", "2019-06-01")
