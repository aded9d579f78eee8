"""Forming a cohort, large verification decisions and the pengajuan file run as background jobs (issue 18):
queued by the page, run by the worker, followed on a progress page; a refusal or an error leaves nothing
half-written and says so; a killed worker's job is recovered. Each runs on SQLite and on PostgreSQL."""

import io
import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lindung.background.models import Job
from lindung.background.runner import FAILED_MESSAGE
from lindung.background.tests.helpers import run_waiting_jobs, run_worker
from lindung.enrolment import bpjs, services
from lindung.enrolment.models import Cohort, Enrolment
from lindung.enrolment.tests.test_cohort import rows, verified
from lindung.imports import services as import_services
from lindung.imports.models import Candidate, CandidateStatus
from lindung.imports.tests.test_flow import upload, xlsx_bytes
from lindung.lib import jobs
from lindung.privacy.tests.helpers import PASSWORD_POST, unzipped
from lindung.verification import views as verification_views
from lindung.verification.models import BeritaAcara, VerificationDecision
from lindung.verification.tests.helpers import semua

worker = pytest.mark.django_db(transaction=True)  # the worker runs the job on its own connection


@pytest.fixture
def program(people):
    """Kabupaten A's programme, Disnaker the only level: 6 verified, seats for 4 over two months."""
    program = people.program_a
    program.pagu = 4 * 2 * 16_800
    program.save()
    verified(program, people.operator_a, rows(6))
    return program


def _form(client, program) -> Job:
    client.post(reverse("cohort_create", args=[program.slug]), {"prioritas": "urutan_daftar"})
    return Job.objects.latest("pk")


@worker
def test_the_worker_forms_the_cohort_in_chunks_and_the_page_follows_it(client, people, program, monkeypatch):
    monkeypatch.setattr(services, "PLACE_CHUNK", 4)  # two chunks of writing for six people
    client.force_login(people.admin_a)
    job = _form(client, program)
    cohort_page = client.get(reverse("cohort", args=[program.slug])).content.decode()
    assert reverse("job_status", args=[job.pk]) in cohort_page  # the bar on the cohort page too
    assert client.get(reverse("job_status", args=[job.pk])).json()["running"] is True
    # A second click while it waits goes to the same job, never a second cohort.
    assert client.post(reverse("cohort_create", args=[program.slug]), {"prioritas": "urutan_daftar"}).url == \
        reverse("job_detail", args=[job.pk])
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.message) == (Job.State.DONE, 6, 6, "Kohort dibuat: 4 mendapat kursi dari 4.")
    status = client.get(reverse("job_status", args=[job.pk])).json()
    assert status == {"state": "selesai", "label": "Selesai", "progress": 100, "text": "Selesai", "running": False}
    cohort = Cohort.objects.get()
    assert list(cohort.enrolments.order_by("urutan").values_list("state", flat=True)) == ["kursi"] * 4 + ["tunggu"] * 2


@worker
def test_a_cohort_formed_meanwhile_fails_the_job_with_a_message_and_writes_nothing(client, people, program):
    client.force_login(people.admin_a)
    job = _form(client, program)
    services.form_cohort(program=program, user=people.operator_a)  # another tab was quicker
    run_worker()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.message == services.HAS_COHORT
    assert Cohort.objects.count() == 1 and Enrolment.objects.count() == 6
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert services.HAS_COHORT in page and "Tidak ada data yang berubah" in page
    assert reverse("cohort", args=[program.slug]) in page  # the way back


@worker
def test_adding_the_newly_verified_runs_in_the_worker(client, people, program):
    client.force_login(people.admin_a)
    _form(client, program)
    run_worker()
    verified(program, people.operator_a, rows(2, start_serial=10))
    client.post(reverse("cohort_add", args=[program.slug]))
    run_worker()
    job = Job.objects.latest("pk")
    assert job.kind == Job.Kind.ADD_TO_COHORT and job.state == Job.State.DONE
    assert job.message == "2 calon yang baru terverifikasi ditambahkan: 0 mendapat kursi, 2 masuk daftar tunggu."


@pytest.fixture
def queue(people):
    """Six candidates waiting at the Disnaker level (the programme's only one)."""
    program = people.program_a
    program.tingkat_verifikasi = ["disnaker"]
    program.save()
    import_services.commit(upload(program, people.operator_a, xlsx_bytes(rows(6))), user=people.operator_a)
    return program


@worker
def test_semua_over_the_limit_is_decided_by_the_worker(client, people, queue, monkeypatch):
    monkeypatch.setattr(verification_views, "SYNC_LIMIT", 3)
    client.force_login(people.operator_a)
    url = reverse("verification_queue", args=[queue.slug])
    response = client.post(url, semua(client, url))
    job = Job.objects.get()
    assert response.url == reverse("job_detail", args=[job.pk]) and not VerificationDecision.objects.exists()
    assert reverse("job_status", args=[job.pk]) in client.get(url).content.decode()
    first = Candidate.objects.order_by("pk").first()  # decided by a colleague before the worker gets to it
    from lindung.verification.services import decide

    decide(candidate=first, version=first.version, decision="tidak_layak", reason="meninggal", user=people.admin_a)
    run_worker()
    job.refresh_from_db()
    assert job.state == Job.State.DONE and job.message == "5 calon diputuskan layak dan kini terverifikasi (tingkat terakhir)."
    assert Candidate.objects.filter(status=CandidateStatus.TERVERIFIKASI).count() == 5
    # Someone else may not follow (or learn from) another verifier's job.
    client.force_login(people.admin_a)
    assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404


@worker
def test_a_large_selection_tells_who_decided_first(client, people, queue, monkeypatch):
    monkeypatch.setattr(verification_views, "SYNC_LIMIT", 3)
    seen = [f"{c.pk}:{c.version}" for c in Candidate.objects.order_by("pk")[:4]]
    client.force_login(people.operator_a)
    client.post(reverse("verification_queue", args=[queue.slug]), {"keputusan": "layak", "calon": seen})
    first = Candidate.objects.order_by("pk").first()
    from lindung.verification.services import decide

    decide(candidate=first, version=first.version, decision="tidak_layak", reason="meninggal", user=people.admin_a)
    run_worker()
    job = Job.objects.get()
    assert job.state == Job.State.DONE and job.message.startswith("3 calon diputuskan layak")
    assert job.details == [f"{first.nama} sudah diputuskan tidak layak oleh Admin A pada tingkat Disnaker. "
                           "Keputusan Anda tidak disimpan; muat ulang halaman."]
    assert job.details[0] in client.get(reverse("job_detail", args=[job.pk])).content.decode()


@worker
def test_a_refused_bulk_decision_changes_nothing_and_drops_its_berita_acara(client, people, queue, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    monkeypatch.setattr(verification_views, "SYNC_LIMIT", 3)
    client.force_login(people.operator_a)
    url = reverse("verification_queue", args=[queue.slug])
    client.post(url, semua(client, url, berita_acara=SimpleUploadedFile("ba.pdf", b"%PDF-1.4 ba")))
    assert BeritaAcara.objects.count() == 1
    Job.objects.update(params={**Job.objects.get().params, "keputusan": "tidak_layak", "alasan": "bukan-alasan"})
    run_worker()
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and "wajib memilih alasan" in job.message
    assert not VerificationDecision.objects.exists() and not BeritaAcara.objects.exists()
    assert Candidate.objects.filter(status=CandidateStatus.CALON).count() == 6


@worker
def test_the_pengajuan_file_is_written_by_the_worker_and_encrypted_on_download(client, people, program):
    client.force_login(people.admin_a)
    _form(client, program)
    run_worker()
    bpjs.submit(Cohort.objects.get(), user=people.admin_a)
    client.post(reverse("bpjs_submission", args=[program.slug, "csv"]))
    run_worker()
    job = Job.objects.get(kind=Job.Kind.SUBMISSION)
    assert job.state == Job.State.DONE and job.result_rows == 4
    with job.result.open("rb") as stored:  # what the job wrote is what the request-time builder writes
        assert stored.read() == bpjs.submission_file(Cohort.objects.get(), fmt="csv")
    for masked_or_outside in (people.auditor_a, people.bpkad_a, people.outsider):  # not even the job is theirs
        client.force_login(masked_or_outside)
        assert client.post(reverse("job_download", args=[job.pk]), PASSWORD_POST).status_code == 404
        assert client.get(reverse("job_detail", args=[job.pk])).status_code == 404
    client.force_login(people.operator_a)  # another Disnaker of the pemda may download it
    response = client.post(reverse("job_download", args=[job.pk]), PASSWORD_POST)
    name, data = unzipped(response.content)
    assert name == "pengajuan-bpjs-prog-a.csv" and data.count(b"\r\n") == 5
    # A newer file replaces it: the older one leaves storage.
    old_name = job.result.name
    client.post(reverse("bpjs_submission", args=[program.slug, "xlsx"]))
    run_worker()
    job.refresh_from_db()
    assert not job.result and not job.result.storage.exists(old_name)
    assert client.post(reverse("job_download", args=[job.pk]), PASSWORD_POST).status_code == 404


@worker
def test_a_failing_pengajuan_job_leaves_no_file_and_says_so(client, people, program, settings):
    client.force_login(people.admin_a)
    _form(client, program)
    run_worker()
    bpjs.submit(Cohort.objects.get(), user=people.admin_a)
    type(program).objects.filter(pk=program.pk).update(kode_kepesertaan="XX")  # a value no file may carry
    client.post(reverse("bpjs_submission", args=[program.slug, "xlsx"]))
    run_worker()
    job = Job.objects.get(kind=Job.Kind.SUBMISSION)
    assert job.state == Job.State.FAILED and job.message == FAILED_MESSAGE and not job.result
    proses = settings.MEDIA_ROOT / "proses"
    assert not proses.exists() or not any(proses.rglob("*.xlsx"))


def test_a_killed_job_is_recovered_by_its_page_and_by_siklus(client, people, program):
    client.force_login(people.admin_a)
    job = _form(client, program)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, heartbeat_at=timezone.now() - timedelta(seconds=5))
    assert client.get(reverse("job_status", args=[job.pk])).json()["running"] is True  # alive: left alone
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=10))
    status = client.get(reverse("job_status", args=[job.pk])).json()
    assert status["running"] is False and status["state"] == "gagal"
    assert jobs.STOPPED_MESSAGE in client.get(reverse("job_detail", args=[job.pk])).content.decode()
    # The action works again at once: a new job, not the dead one.
    second = _form(client, program)
    assert second.pk != job.pk and second.state == Job.State.WAITING
    Job.objects.filter(pk=second.pk).update(state=Job.State.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=10))
    out = io.StringIO()
    call_command("siklus", "--json", stdout=out)
    assert json.loads(out.getvalue())["terhenti"]["proses"] == 1
    second.refresh_from_db()
    assert second.state == Job.State.FAILED and second.message == jobs.STOPPED_MESSAGE
    assert run_waiting_jobs() == [] and not Cohort.objects.exists()


@worker
def test_ajukan_moves_everyone_seated_in_the_worker_with_each_change_logged(client, people, program):
    from lindung.imports.models import StatusChange

    client.force_login(people.admin_a)
    _form(client, program)
    run_worker()
    versions = dict(Candidate.objects.values_list("pk", "version"))
    job_url = client.post(reverse("bpjs_submit", args=[program.slug])).url
    assert client.post(reverse("bpjs_submit", args=[program.slug])).url == job_url  # a second click: the same job
    run_worker()
    assert "4 orang diajukan ke BPJS" in client.get(job_url).content.decode()
    moved = Candidate.objects.filter(status=CandidateStatus.DIAJUKAN)
    assert moved.count() == 4 and all(c.version == versions[c.pk] + 1 for c in moved)
    changes = StatusChange.objects.filter(new=CandidateStatus.DIAJUKAN)
    assert sorted(changes.values_list("candidate_id", flat=True)) == sorted(c.pk for c in moved)
    program.refresh_from_db()
    reason = f"Diajukan ke BPJS ({program.kode_kepesertaan}, PKS {program.pks_nomor or '-'})"
    assert {(c.old, c.user_id, c.reason) for c in changes} == {("terverifikasi", people.admin_a.pk, reason)}


def test_a_file_stored_by_a_job_killed_before_selesai_is_deleted_when_the_job_is_recovered(people, program):
    """store_result moves the file into proses/ and then commits selesai with its name: a kill in between left a
    file with full NIKs that no job named, for ever. The recovery of the stale job deletes it (and only it)."""
    old = timezone.now() - timedelta(minutes=10)
    killed, live, done = (Job.objects.create(kind=Job.Kind.SUBMISSION, program=program, user=people.admin_a)
                          for _ in range(3))
    Job.objects.filter(pk=killed.pk).update(state=Job.State.RUNNING, heartbeat_at=old)
    Job.objects.filter(pk=live.pk).update(state=Job.State.RUNNING, heartbeat_at=timezone.now())
    orphan = default_storage.save(f"proses/2026/{killed.pk}-pengajuan-bpjs-x.csv", ContentFile(b"NIK;Nama"))
    writing = default_storage.save(f"proses/2026/{live.pk}-pengajuan-bpjs-x.csv", ContentFile(b"NIK;Nama"))
    kept = default_storage.save(f"proses/2026/{done.pk}-pengajuan-bpjs-x.csv", ContentFile(b"NIK;Nama"))
    Job.objects.filter(pk=done.pk).update(state=Job.State.DONE, result=kept)
    assert Job.objects.recover_stale() == 1
    assert not default_storage.exists(orphan)
    assert default_storage.exists(writing) and default_storage.exists(kept)  # still being stored; named
    Job.objects.filter(pk=live.pk).update(heartbeat_at=old)
    out = io.StringIO()
    call_command("siklus", "--json", stdout=out)  # the same recovery, from the daily command
    assert json.loads(out.getvalue())["terhenti"]["proses"] == 1 and not default_storage.exists(writing)
    assert default_storage.exists(kept)
