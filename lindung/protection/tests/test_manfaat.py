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
