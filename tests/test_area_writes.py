"""Every write stays inside the writer's area (issue 11, item 2).

The outsider (a Disnaker operator of another kabupaten, with every right there) posts to every write of
Kabupaten A — imports, verification, penetapan and BPJS, SK, matching decisions, duplicates, the BPJS
roster — and to their own programme's writes with Kabupaten A's ids: each is a 404 or changes nothing.
Matching runs are shown only to the pemda that started them.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lindung.accounts.models import AuditEntry
from lindung.enrolment.models import Cohort, Enrolment
from lindung.imports.models import Candidate, ImportBatch
from lindung.imports.tests.test_flow import xlsx_bytes
from lindung.linkage.models import DuplicateMark, MatchPair, MatchRun
from lindung.registry.models import BpjsParticipant
from lindung.verification.models import VerificationDecision
from tests.test_masking import BUDI, BUDI_TYPO, HEADERS, RUDI, SITI, world  # noqa: F401 (the fixture)


def state() -> tuple:
    """Everything a write could change, as plain values."""
    return (
        list(Candidate.objects.order_by("pk").values_list("pk", "status", "version", "level_index", "bpjs_kpj", "no_kk")),
        list(Enrolment.objects.order_by("pk").values_list("pk", "state", "kpj", "alasan")),
        list(Cohort.objects.order_by("pk").values_list("pk", "nomor_sk", "sk_pending", "sk_pdf")),
        list(MatchPair.objects.order_by("pk").values_list("pk", "status", "version")),
        list(DuplicateMark.objects.order_by("pk").values_list("pk", "undone_at")),
        list(ImportBatch.objects.order_by("pk").values_list("pk", "status")),
        VerificationDecision.objects.count(), AuditEntry.objects.count(), MatchRun.objects.count(),
        BpjsParticipant.objects.count(),
    )


def _writes_of_area_a() -> list[tuple[str, dict]]:
    a = "prog-a"
    preview = ImportBatch.objects.get(original_name="susulan.xlsx")
    seated = Enrolment.objects.filter(cohort__program__slug=a, state=Enrolment.State.SEATED).first()
    typo = Candidate.objects.get(nik=BUDI_TYPO.nik)
    budi = Candidate.objects.get(nik=BUDI.nik)
    pair_writes = [(reverse("match_pair_decide", args=[p.pk]), {"versi": p.version, "keputusan": "berbeda", "alasan": "x"})
                   for p in MatchPair.objects.exclude(kind=MatchPair.Kind.LINTAS)]
    return [
        (reverse("upload", args=[a]), {"berkas": SimpleUploadedFile("d.xlsx", xlsx_bytes([RUDI.cells()], HEADERS))}),
        (reverse("batch_accept", args=[preview.pk]), {}),
        (reverse("verification_queue", args=[a]), {"keputusan": "tidak_layak", "alasan": "meninggal", "semua": "on"}),
        (reverse("cohort_create", args=[a]), {"bulan": 1}),
        (reverse("cohort_add", args=[a]), {}),
        (reverse("bpjs_submit", args=[a]), {}),
        (reverse("bpjs_submission", args=[a, "xlsx"]), {}),
        (reverse("bpjs_submission", args=[a, "csv"]), {}),
        (reverse("bpjs_response", args=[a]), {"berkas": SimpleUploadedFile("j.csv", b"NIK;Status;No. KPJ\n")}),
        (reverse("sk_update", args=[a]), {"nomor_sk": "SK/LUAR/1"}),
        (reverse("sk_make", args=[a]), {}),
        (reverse("enrolment_release", args=[a, seated.pk]), {"alasan": "meninggal"}),
        (reverse("duplicate_keep", args=[a]), {"simpan": typo.pk, "anggota": [typo.pk, budi.pk]}),
        (reverse("duplicate_undo", args=[a, typo.pk]), {"alasan": "bukan duplikat"}),
        *pair_writes,
    ]


def test_the_outsider_cannot_write_anything_of_another_area(world, client):
    writes = _writes_of_area_a()
    before = state()
    client.force_login(world.outsider)
    answers = {url: client.post(url, data).status_code for url, data in writes}
    assert answers == {url: 404 for url, _ in writes}
    assert state() == before


def test_the_outsiders_own_pages_do_not_take_another_areas_ids(world, client):
    """The programme in the URL is the outsider's own; the candidate ids in the form are Kabupaten A's."""
    typo, budi, siti = (Candidate.objects.get(nik=p.nik) for p in (BUDI_TYPO, BUDI, SITI))
    before = state()
    client.force_login(world.outsider)
    assert client.post(reverse("duplicate_keep", args=["prog-b"]), {"simpan": budi.pk, "anggota": [typo.pk]}).status_code == 404
    assert client.post(reverse("duplicate_undo", args=["prog-b", typo.pk]), {"alasan": "x"}).status_code == 404
    client.post(reverse("verification_queue", args=["prog-b"]), {"keputusan": "tidak_layak", "alasan": "meninggal",
                                                                 "calon": [f"{siti.pk}:{siti.version}"]})
    assert state() == before


def test_another_desa_cannot_decide_or_accept_for_this_desa(world, client):
    """Inside one kabupaten the desa is the area: desa A2 cannot decide desa A's pairs or accept its upload."""
    duplicate = MatchPair.objects.get(kind=MatchPair.Kind.DUPLIKAT)
    preview = ImportBatch.objects.get(original_name="susulan.xlsx")
    before = state()
    client.force_login(world.desa_a2)
    assert client.post(reverse("match_pair_decide", args=[duplicate.pk]),
                       {"versi": duplicate.version, "keputusan": "berbeda", "alasan": "x"}).status_code == 404
    assert client.post(reverse("batch_accept", args=[preview.pk])).status_code == 404
    assert state() == before


def test_a_roster_loaded_by_the_outsider_changes_nothing_in_another_area(world, client):
    budi = Candidate.objects.get(nik=BUDI.nik)
    client.force_login(world.outsider)
    body = f"NIK;Nama;No. KPJ\n{BUDI.nik};Budi Santoso;64099988877\n".encode()
    client.post(reverse("bpjs_roster"), {"berkas": SimpleUploadedFile("peserta.csv", body)})
    budi.refresh_from_db()
    assert budi.bpjs_kpj == "" and not AuditEntry.objects.filter(object_id=str(budi.pk), new__has_key="bpjs_kpj").exists()


@pytest.mark.parametrize("role, sees", [("outsider", False), ("admin_a", True), ("auditor_a", True), ("desa_a", True)])
def test_matching_runs_are_shown_to_their_own_pemda_only(world, client, role, sees):
    run = MatchRun.objects.get(started_by=world.admin_a)
    client.force_login(getattr(world, role))
    body = client.get(reverse("matching")).content.decode()
    assert ("admin.a" in body) == sees
    assert client.get(reverse("matching_status", args=[run.pk])).status_code == (200 if sees else 404)


def test_a_click_does_not_join_another_pemdas_waiting_run(world, client):
    waiting = MatchRun.objects.create(started_by=world.admin_a)
    client.force_login(world.outsider)
    client.post(reverse("matching_start"))
    mine = MatchRun.objects.exclude(pk=waiting.pk).get(status=MatchRun.Status.QUEUED)
    assert mine.started_by == world.outsider
    assert f"#{mine.pk}" in client.get(reverse("matching")).content.decode()


def test_a_run_started_in_one_pemda_does_not_sign_another_pemdas_change_history(world, client):
    """The engine flags a PPU candidate from PPU's own roster during a run a Karimun user started: the flag
    is the system's, named by the run, and PPU's change history does not show the Karimun username."""
    from lindung.linkage import services as linkage
    from tests.test_masking import WATI

    wati = Candidate.objects.get(nik=WATI.nik)
    roster_body = "NIK;Nama;No. KPJ\n6409016512870009;Wati Sulastri;64099988877\n".encode()
    client.force_login(world.outsider)
    client.post(reverse("bpjs_roster"), {"berkas": SimpleUploadedFile("peserta-ppu.csv", roster_body)})
    participant = BpjsParticipant.objects.get(kpj="64099988877")
    MatchPair.objects.create(kind=MatchPair.Kind.BPJS, left=wati, participant=participant, score=0.8, evidence={},
                             band=MatchPair.Band.POSSIBLE, status=MatchPair.Status.SAME, decided_by=world.outsider)
    run = linkage.run_matching(MatchRun.objects.create(started_by=world.admin_a))
    wati.refresh_from_db()
    assert wati.bpjs_kpj == "64099988877"
    entry = AuditEntry.objects.get(object_id=str(wati.pk), new__bpjs_kpj="64099988877")
    assert entry.user is None and entry.note == f"pencocokan data #{run.pk}: sudah terdaftar BPJS"
    assert "admin.a" not in client.get(reverse("candidate_detail", args=[wati.pk])).content.decode()
