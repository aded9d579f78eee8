import json

import pytest
from django.core.management import CommandError, call_command

from lindung.reconciliation.models import Reconciliation
from lindung.reconciliation.tests.conftest import bill_for


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("rekonsiliasi", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_counts_and_changes_nothing_without_simpan(november, tmp_path):
    path = tmp_path / "tagihan.csv"
    path.write_bytes(bill_for(november, changes=["2102031505909999,21020000999,Lain,2025-11,16800"]))
    out = json.loads(run("prog-a", "--bulan", "2025-11", "--berkas", str(path), "--json"))
    assert out == {"cocok": 3, "hanya_bpjs": 1, "hanya_daftar": 0, "nominal_beda": 0, "nik_kpj_tidak_cocok": 0,
                   "ganda": 0, "total_bpjs": 67200, "total_daftar": 50400, "selisih": 16800}
    assert not Reconciliation.objects.exists()
    run("prog-a", "--bulan", "2025-11", "--berkas", str(path), "--json", "--simpan", "--pengguna", "operator.a")
    rec = Reconciliation.objects.get()
    assert rec.uploaded_by.username == "operator.a" and rec.counts == out


def test_a_refused_bill_names_row_and_column(november, tmp_path):
    path = tmp_path / "tagihan.csv"
    path.write_bytes(bill_for(november, changes=["2102031505909999,21020000999,Lain,2025-12,16800"]))
    with pytest.raises(CommandError, match="baris 5, kolom Bulan: Baris ini untuk bulan Desember 2025"):
        run("prog-a", "--bulan", "2025-11", "--berkas", str(path), "--simpan")
    assert not Reconciliation.objects.exists()
    with pytest.raises(CommandError, match="Format bulan"):
        run("prog-a", "--bulan", "11-2025", "--berkas", str(path))


def test_the_csv_of_lindung_tagihan_reconciles_to_the_rupiah(november, tmp_path):
    path = tmp_path / "tagihan-lindung.csv"
    call_command("tagihan", "prog-a", "--bulan", "2025-11", "--csv", str(path), stdout=__import__("io").StringIO())
    out = json.loads(run("prog-a", "--bulan", "2025-11", "--berkas", str(path), "--json"))
    assert (out["cocok"], out["selisih"], out["total_bpjs"]) == (3, 0, 50400)
