import io
import re

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from lindung.accounts.models import AuditEntry
from lindung.privacy.models import ProcessingActivity

pytestmark = pytest.mark.django_db

EDIT = {"nama": "Daftar calon peserta", "tujuan": "Memilih pekerja rentan untuk APBD 2026.", "dasar_hukum": "tugas_publik",
        "rincian_dasar": "Perbup Karimun 12/2025", "subjek": "Pekerja rentan", "kategori_data": "NIK, nama",
        "penerima": "Disnaker Karimun", "masa_simpan": "5 tahun", "pengamanan": ""}


def test_the_migration_seeds_every_dataset_with_a_lawful_basis():
    rows = ProcessingActivity.objects.register_for(None)
    kodes = {row.kode for row in rows}
    assert {"daftar-calon", "peserta-bpjs", "hasil-pencocokan", "klaim", "jejak-audit", "berkas-unggahan"} <= kodes
    assert all(row.tujuan and row.dasar_hukum and row.kategori_data and row.penerima and row.masa_simpan for row in rows)


@pytest.mark.parametrize("who", ["admin_a", "auditor_a"])
def test_it_shows_the_register_to_the_admin_and_the_auditor(client, people, who):
    client.force_login(getattr(people, who))
    response = client.get(reverse("privacy_register"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Daftar calon peserta pekerja rentan" in body and "Pasal 20" in body
    assert ("Ubah</a>" in body) == (who == "admin_a")
    assert reverse("privacy_register") in body  # the nav link


@pytest.mark.parametrize("who", ["operator_a", "verifier_a", "desa_a", "bpkad_a"])
def test_it_refuses_other_roles(client, people, who):
    client.force_login(getattr(people, who))
    assert client.get(reverse("privacy_register")).status_code == 403
    assert client.get(reverse("privacy_register_xlsx")).status_code == 403
    assert reverse("privacy_register") not in client.get(reverse("home")).content.decode()


def test_the_auditor_may_not_edit(client, people):
    client.force_login(people.auditor_a)
    assert client.post(reverse("privacy_register_edit", args=["daftar-calon"]), EDIT).status_code == 403
    assert not ProcessingActivity.objects.filter(pemda__isnull=False).exists()


def test_an_edit_makes_the_pemdas_own_copy_and_is_audited(client, people):
    client.force_login(people.admin_a)
    response = client.post(reverse("privacy_register_edit", args=["daftar-calon"]), EDIT)
    assert response.status_code == 302
    own = ProcessingActivity.objects.get(pemda_id="21.02", kode="daftar-calon")
    assert own.tujuan == "Memilih pekerja rentan untuk APBD 2026." and own.updated_by == people.admin_a
    # The installation default (and so another pemda's register) is untouched.
    default = ProcessingActivity.objects.get(pemda=None, kode="daftar-calon")
    assert default.tujuan.startswith("Memilih pekerja rentan yang iurannya")
    # Another pemda (PPU) still gets the default.
    assert next(r for r in ProcessingActivity.objects.register_for("64.09") if r.kode == "daftar-calon").pk == default.pk
    entry = AuditEntry.objects.get(model="privacy.processingactivity", object_id=str(own.pk))
    assert entry.user == people.admin_a and entry.new["tujuan"] == own.tujuan
    # A second edit updates the copy and records the old value.
    client.force_login(people.admin_a)
    client.post(reverse("privacy_register_edit", args=["daftar-calon"]), {**EDIT, "masa_simpan": "10 tahun"})
    assert ProcessingActivity.objects.filter(kode="daftar-calon").count() == 2
    last = AuditEntry.objects.filter(model="privacy.processingactivity").first()
    assert last.old["masa_simpan"] == "5 tahun" and last.new["masa_simpan"] == "10 tahun"


def test_it_refuses_an_unknown_basis_in_indonesian(client, people):
    client.force_login(people.admin_a)
    response = client.post(reverse("privacy_register_edit", args=["daftar-calon"]), {**EDIT, "dasar_hukum": "suka-suka"})
    assert response.status_code == 200 and "bukan salah satu dari pilihan" in response.content.decode()


def test_it_exports_the_register_as_xlsx(client, people):
    client.force_login(people.auditor_a)
    response = client.get(reverse("privacy_register_xlsx"))
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert rows[2][:3] == ["Kumpulan data", "Tujuan pemrosesan", "Dasar pemrosesan (Pasal 20)"]
    names = [row[0] for row in rows[3:]]
    assert "Daftar peserta BPJS Ketenagakerjaan dari kantor cabang" in names
    assert "Kabupaten Karimun" in rows[0][0]


def test_the_public_privacy_page_summarises_the_register(client):
    body = client.get(reverse("privacy")).content.decode()
    assert "Hasil pencocokan data" in body and "Masa penyimpanan" in body


def test_the_public_privacy_page_cites_no_internal_requirement_number(client):
    # Data subjects read this page: "(R18)" is the project's own numbering, not a law they can look up.
    body = client.get(reverse("privacy")).content.decode()
    assert "Menemukan orang yang sama dalam satu program" in body
    assert not re.search(r"\(R\d+[,)]", body)


def test_a_purpose_the_pemda_rewrote_keeps_its_words():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("lindung.privacy.migrations.0007_purposes_without_requirement_codes")
    own = ProcessingActivity.objects.filter(pemda=None, kode="klaim").get()
    own.tujuan = "Klaim JKK dan JKM peserta Karimun (R23)."
    own.save()
    migration.forwards(apps, None)
    own.refresh_from_db()
    assert own.tujuan == "Klaim JKK dan JKM peserta Karimun (R23)."
