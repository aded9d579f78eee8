"""Programmes (admin writes), wilayah, verification decisions with the 409, uploads, cohorts, audit."""

import pytest

from lindung.accounts.models import AuditEntry
from lindung.imports.models import ImportBatch
from lindung.programs.models import Program
from lindung.verification.models import VerificationDecision

from .conftest import NIK_BUDI

pytestmark = pytest.mark.django_db

NEW = {"slug": "prog-baru", "nama": "Program baru", "sumber_dana": "apbd_kabkota", "pagu": 1_000_000_000,
       "mulai": "2026-01-01", "selesai": "2026-12-31"}


def test_only_the_disnaker_admin_writes_programmes(api, people):
    assert api(people.operator_a).post("/program/", NEW).status_code == 403
    made = api(people.admin_a).post("/program/", NEW)
    assert made.status_code == 201, made.content
    program = Program.objects.get(slug="prog-baru")
    assert program.pemda_id == "21.02" and made.json()["bulan"] == 12
    assert api(people.admin_a).post("/program/", NEW).json()["kode"] == "slug_sudah_ada"
    changed = api(people.admin_a).patch("/program/prog-baru/", {"pagu": 5_000})
    assert changed.status_code == 200 and changed.json()["pagu"] == 5_000
    assert AuditEntry.objects.filter(model="programs.program", object_id=str(program.pk), action="update").exists()
    assert api(people.outsider).patch("/program/prog-baru/", {"pagu": 1}).status_code == 404


def test_an_invalid_programme_is_a_422_naming_the_field(api, people):
    response = api(people.admin_a).post("/program/", {**NEW, "selesai": "2025-01-01"})
    assert response.status_code == 422
    assert response.json()["rincian"][0]["kolom"] == "selesai"
    assert not Program.objects.filter(slug="prog-baru").exists()


def test_wilayah_reads_the_region_table(api, people):
    a = api(people.bpkad_a)
    assert a.get("/wilayah/21.02/").json()["nama"] == "Kabupaten Karimun"
    kecamatan = a.get("/wilayah/", induk="21.02").json()["hasil"]
    assert kecamatan and all(w["induk"] == "21.02" for w in kecamatan)
    assert a.get("/wilayah/99.99/").status_code == 404


def decide(api, user, candidate, version, keputusan="layak", **extra):
    return api(user).post(f"/calon/{candidate.pk}/keputusan/", {"versi": version, "keputusan": keputusan, **extra})


def test_a_stale_decision_is_409_naming_who_won(api, people, calon):
    budi = calon["budi"]  # waiting for the RT/RW level, decided by the desa operator
    first = decide(api, people.desa_a, budi, 0)
    assert first.status_code == 201, first.content
    budi.refresh_from_db()
    assert budi.level_index == 1 and budi.version == 1
    stale = decide(api, people.desa_a, budi, 0)
    assert stale.status_code == 409
    body = stale.json()
    assert body["kode"] == "keputusan_basi" and "Desa A" in body["pesan"]
    assert body["rincian"][0]["diputuskan_oleh"] == "Desa A" and body["rincian"][0]["versi_sekarang"] == 1
    assert VerificationDecision.objects.filter(candidate=budi).count() == 1


def test_decisions_are_checked_and_scoped(api, people, calon):
    budi = calon["budi"]
    assert decide(api, people.outsider, budi, 0).status_code == 404
    assert decide(api, people.auditor_a, budi, 0).status_code == 403  # not their level
    assert decide(api, people.desa_a, budi, 0, keputusan="tidak_layak").json()["kode"] == "keputusan_tidak_valid"
    assert decide(api, people.desa_a, budi, 0, keputusan="mungkin").status_code == 422
    assert api(people.desa_a, write=False).post(f"/calon/{budi.pk}/keputusan/", {"versi": 0, "keputusan": "layak"}).status_code == 403
    listed = api(people.operator_a).get(f"/calon/{budi.pk}/keputusan/")
    assert listed.status_code == 200 and listed.json() == []


def test_the_queue_shows_what_waits_for_my_level(api, people, calon):
    queue = api(people.desa_a).get("/program/prog-a/verifikasi/").json()["hasil"]
    assert [c["nik"] for c in queue] == [NIK_BUDI]
    assert api(people.verifier_a).get("/program/prog-a/verifikasi/").json()["hasil"] == []
    assert api(people.outsider).get("/program/prog-a/verifikasi/").status_code == 404


def test_uploads_show_progress_within_the_area(api, people):
    batch = ImportBatch.objects.create(program=people.program_a, uploaded_by=people.operator_a, original_name="a.xlsx",
                                       sha256="x" * 64, status=ImportBatch.Status.VALIDATING, progress=40)
    got = api(people.operator_a).get(f"/unggahan/{batch.pk}/").json()
    assert (got["status"], got["progres"]) == ("memeriksa", 40)
    assert api(people.desa_a).get(f"/unggahan/{batch.pk}/").status_code == 404  # not the desa's own upload
    assert api(people.outsider).get(f"/unggahan/{batch.pk}/").status_code == 404
    assert [b["id"] for b in api(people.auditor_a).get("/unggahan/").json()["hasil"]] == [batch.pk]


def test_cohorts_and_enrolments_are_scoped(api, people, calon):
    from lindung.enrolment.models import Cohort, Enrolment

    cohort = Cohort.objects.create(program=people.program_a, mulai=people.program_a.mulai, bulan=2, kursi=1,
                                   iuran_per_bulan=16_800, iuran_per_orang=33_600)
    Enrolment.objects.create(cohort=cohort, candidate=calon["budi"], urutan=1, state=Enrolment.State.SEATED)
    assert [c["id"] for c in api(people.bpkad_a).get("/program/prog-a/kohort/").json()] == [cohort.pk]
    seats = api(people.bpkad_a).get(f"/kohort/{cohort.pk}/penetapan/").json()["hasil"]
    assert seats[0]["keadaan"] == "kursi" and NIK_BUDI not in str(seats)
    assert api(people.outsider).get(f"/kohort/{cohort.pk}/penetapan/").status_code == 404


def test_the_audit_trail_is_for_auditors_and_masked(api, people, calon):
    api(people.operator_a).get(f"/calon/{calon['budi'].pk}/")
    AuditEntry.objects.create(user=people.operator_a, action="update", model="imports.candidate",
                              object_id=str(calon["budi"].pk), old={"nik": NIK_BUDI}, new={"nama": "Budi"})
    assert api(people.operator_a).get("/audit/").status_code == 403
    entries = api(people.auditor_a).get("/audit/", model="imports.candidate").json()["hasil"]
    assert entries and NIK_BUDI not in str(entries)
    assert api(people.outsider).get("/audit/").status_code == 403
