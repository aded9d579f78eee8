"""Candidates over the API: area scoping (outsiders 404), masking, filters, cursor pages, audit, bulk upsert."""

import pytest

from lindung.accounts.models import AuditEntry
from lindung.imports.models import Candidate, ImportBatch

from .conftest import NIK_BUDI, NIK_SITI

pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["hasil"]}


def test_each_persona_sees_only_its_area(api, people, calon):
    budi, siti, b = calon["budi"], calon["siti"], calon["b"]
    assert ids(api(people.operator_a).get("/calon/")) == {budi.pk, siti.pk}
    assert ids(api(people.auditor_a).get("/calon/")) == {budi.pk, siti.pk}
    assert ids(api(people.desa_a).get("/calon/")) == {budi.pk}
    assert ids(api(people.outsider).get("/calon/")) == {b.pk}
    assert api(people.outsider).get(f"/calon/{budi.pk}/").status_code == 404
    assert api(people.desa_a).get(f"/calon/{siti.pk}/").status_code == 404
    assert api(people.outsider).get("/program/prog-a/").status_code == 404
    assert {p["slug"] for p in api(people.outsider).get("/program/").json()} == {"prog-b"}
    assert api(people.operator_a).get(f"/calon/{budi.pk}/").json()["nama"] == "Budi Santoso"


def test_masked_roles_get_masked_identity(api, people, calon):
    full = api(people.operator_a).get(f"/calon/{calon['budi'].pk}/").json()
    assert full["nik"] == NIK_BUDI and full["tanggal_lahir"] == "1990-08-17" and full["nama_ibu"] == "Aminah"
    assert full["no_kk"] == "2102010101900003" and full["nik_lengkap"] is True
    for user in (people.auditor_a, people.bpkad_a):
        masked = api(user).get(f"/calon/{calon['budi'].pk}/").json()
        assert NIK_BUDI not in str(masked) and "2102010101900003" not in str(masked)
        assert masked["nik"].startswith("2102 01") and masked["tanggal_lahir"] is None and masked["tahun_lahir"] == 1990
        assert masked["nama_ibu"] is None and masked["nik_lengkap"] is False


def test_full_nik_responses_are_audited_with_row_count(api, people, calon):
    api(people.operator_a).get("/calon/")
    entry = AuditEntry.objects.get(action="view_nik", user=people.operator_a)
    assert entry.rows == 2 and "API daftar calon" in entry.note
    api(people.auditor_a).get("/calon/")
    assert not AuditEntry.objects.filter(action="view_nik", user=people.auditor_a).exists()


def test_filters_and_cursor_pages(api, people, calon):
    a = api(people.operator_a)
    assert ids(a.get("/calon/", program="prog-a", desa="21.02.01.2004")) == {calon["siti"].pk}
    assert ids(a.get("/calon/", nama="budi")) == {calon["budi"].pk}
    assert ids(a.get("/calon/", nik=NIK_SITI)) == {calon["siti"].pk}
    assert ids(a.get("/calon/", nik=NIK_SITI[-6:])) == {calon["siti"].pk}
    assert ids(a.get("/calon/", status="tidak_layak")) == set()
    assert ids(a.get("/calon/", program="prog-b")) == set()  # another pemda's programme is simply not there
    first = a.get("/calon/", batas=1).json()
    second = a.get("/calon/", batas=1, setelah=first["berikutnya"]).json()
    assert len(first["hasil"]) == len(second["hasil"]) == 1 and second["berikutnya"] is None
    assert {first["hasil"][0]["id"], second["hasil"][0]["id"]} == {calon["budi"].pk, calon["siti"].pk}


def test_masked_roles_cannot_probe_niks(api, people, calon):
    response = api(people.auditor_a).get("/calon/", nik=NIK_BUDI)
    assert response.status_code == 403 and response.json()["kode"] == "pencarian_nik_tidak_diizinkan"


def row(**changes):
    base = {"nik": NIK_BUDI, "nama": "Budi Santoso", "tanggal_lahir": "1990-08-17", "jenis_kelamin": "L",
            "kode_desa": "2102012004", "pekerjaan": "Nelayan"}
    return {**base, **changes}


def test_bulk_upsert_creates_then_is_idempotent(api, people):
    a = api(people.operator_a)
    rows = [row(tempat_lahir="Karimun"), row(nik=NIK_SITI, nama="Siti Aminah", jenis_kelamin="P", tanggal_lahir="17/08/1990")]
    first = a.post("/program/prog-a/calon/", {"calon": rows})
    assert first.status_code == 200, first.content
    assert (first.json()["dibuat"], first.json()["diubah"], first.json()["tetap"]) == (2, 0, 0)
    again = a.post("/program/prog-a/calon/", {"calon": rows}).json()
    assert (again["dibuat"], again["diubah"], again["tetap"]) == (0, 0, 2)
    changed = a.post("/program/prog-a/calon/", {"calon": [row(alamat="Jl. Pantai 3", tempat_lahir=None)]}).json()
    assert (changed["dibuat"], changed["diubah"]) == (0, 1)
    budi = Candidate.objects.get(nik=NIK_BUDI)
    assert budi.alamat == "Jl. Pantai 3" and budi.tempat_lahir == "Karimun"  # a null never erases
    assert ImportBatch.objects.get(pk=first.json()["unggahan"]).status == ImportBatch.Status.DONE
    assert AuditEntry.objects.filter(model="imports.candidate", object_id=str(budi.pk), action="update").exists()


def test_bulk_upsert_with_a_bad_row_writes_nothing(api, people):
    a = api(people.operator_a)
    rows = [row(), row(nik="2102011708900", nama="Salah"), row(nik=NIK_SITI, kode_desa="2103042001", pekerjaan="Pilot")]
    response = a.post("/program/prog-a/calon/", {"calon": rows})
    assert response.status_code == 422
    body = response.json()
    assert body["kode"] == "baris_bermasalah"
    found = {(p["baris"], p["kolom"], p["kode"]) for p in body["rincian"]}
    assert (2, "nik", "not_16_digits") in found
    assert (3, "kode_desa", "desa_di_luar_wilayah") in found
    assert any(b == 3 and k == "pekerjaan" for b, k, _ in found)
    assert not Candidate.objects.exists() and not ImportBatch.objects.exists()


def test_bulk_upsert_dry_run_writes_nothing(api, people):
    response = api(people.operator_a).post("/program/prog-a/calon/", {"calon": [row()], "periksa_saja": True})
    assert response.status_code == 200 and response.json()["periksa_saja"] is True
    assert not Candidate.objects.exists() and not ImportBatch.objects.exists()


def test_bulk_upsert_from_a_desa_stays_in_the_desa(api, people):
    desa = api(people.desa_a)
    ok = desa.post("/program/prog-a/calon/", {"calon": [row(kode_desa=None)]})
    assert ok.status_code == 200, ok.content
    assert Candidate.objects.get(nik=NIK_BUDI).desa_id == "21.02.01.1003"
    other = desa.post("/program/prog-a/calon/", {"calon": [row(nik=NIK_SITI, kode_desa="2102012004")]})
    assert other.status_code == 422 and other.json()["rincian"][0]["kode"] == "desa_berbeda"


def test_bulk_upsert_refused_to_readers_and_outsiders(api, people):
    assert api(people.auditor_a).post("/program/prog-a/calon/", {"calon": [row()]}).status_code == 403
    assert api(people.outsider).post("/program/prog-a/calon/", {"calon": [row()]}).status_code == 404
    assert not Candidate.objects.exists()


def test_bulk_upsert_keeps_values_exactly(api, people):
    tricky = {"alamat": 'Jl. "Pantai", No. 3', "keterangan": "=1+1 bukan rumus"}
    response = api(people.operator_a).post("/program/prog-a/calon/", {"calon": [row(**tricky)]})
    assert response.status_code == 200, response.content
    budi = Candidate.objects.get(nik=NIK_BUDI)
    assert (budi.alamat, budi.keterangan) == (tricky["alamat"], tricky["keterangan"])
