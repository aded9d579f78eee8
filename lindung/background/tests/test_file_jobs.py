"""The SK lampiran xlsx and the BPJS answer run as background jobs (issue 18): the lampiran is written once
by the worker, encrypted on every download by the same code as the pengajuan, and deleted when the seats or
the SK details change; the answer is checked whole and applied in one transaction by the worker, and a
refused or failed one changes nothing. Each runs through the real worker on SQLite and on PostgreSQL."""

import io

import pytest
import xlsxwriter
from django.core.files.storage import default_storage
from django.urls import reverse
from python_calamine import CalamineWorkbook

from lindung.background.models import Job
from lindung.background.runner import FAILED_MESSAGE
from lindung.background.tests.helpers import run_worker
from lindung.background.tests.test_jobs import program  # noqa: F401 (the fixture)
from lindung.enrolment import background as enrolment_jobs
from lindung.enrolment import bpjs, services
from lindung.enrolment.models import Cohort, Enrolment
from lindung.imports.models import Candidate, CandidateStatus, StatusChange
from lindung.privacy.tests.helpers import PASSWORD_POST, decrypted_xlsx

worker = pytest.mark.django_db(transaction=True)  # the worker runs the job on its own connection


@pytest.fixture
def cohort(people, program):  # noqa: F811
    """Four seated of six (two waiting), the SK's number filled in."""
    made = services.form_cohort(program=program, user=people.admin_a)
    Cohort.objects.filter(pk=made.pk).update(nomor_sk="560/7/DISNAKER/2025")
    made.refresh_from_db()
    return made


def _stored(settings, ext: str) -> list:
    proses = settings.MEDIA_ROOT / "proses"
    return sorted(proses.rglob(f"*.{ext}")) if proses.exists() else []


def _names(data: bytes) -> list[str]:
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    return [str(c) for row in sheet for c in row if str(c).startswith("Peserta ")]


@worker
def test_the_lampiran_is_written_once_by_the_worker_and_encrypted_on_each_download(client, people, cohort, settings):
    client.force_login(people.admin_a)
    slug = cohort.program.slug
    job_url = client.post(reverse("sk_lampiran_make", args=[slug])).url
    assert client.post(reverse("sk_lampiran_make", args=[slug])).url == job_url  # a second click: the same job
    assert client.get(reverse("sk_download", args=[slug, "xlsx"])).url == reverse("cohort", args=[slug])  # not yet
    run_worker()
    job = Job.objects.get(kind=Job.Kind.LAMPIRAN)
    assert (job.state, job.result_rows, job.total) == (Job.State.DONE, 4, 4)
    assert "Lampiran SK (xlsx) siap: 4 orang" in client.get(job_url).content.decode()
    with job.result.open("rb") as stored:  # the plain file stays on the server only
        assert _names(stored.read()) == ["Peserta 1", "Peserta 2", "Peserta 3", "Peserta 4"]
    cohort_page = client.get(reverse("cohort", args=[slug])).content.decode()
    assert 'id="unduh-lampiran"' in cohort_page
    # The cohort page's link and the job's page deliver the same stored file, encrypted with the typed password.
    response = client.post(reverse("sk_download", args=[slug, "xlsx"]), PASSWORD_POST)
    assert response["Content-Disposition"].endswith('lampiran-sk-prog-a.xlsx"')
    assert _names(decrypted_xlsx(response.content)) == ["Peserta 1", "Peserta 2", "Peserta 3", "Peserta 4"]
    again = client.post(reverse("job_download", args=[job.pk]), PASSWORD_POST)
    assert again["Content-Disposition"].endswith('lampiran-sk-prog-a.xlsx"') and again.content != response.content
    assert _names(decrypted_xlsx(again.content)) == ["Peserta 1", "Peserta 2", "Peserta 3", "Peserta 4"]
    for masked in (people.auditor_a, people.bpkad_a):  # full NIKs: not for them
        client.force_login(masked)
        assert client.post(reverse("sk_download", args=[slug, "xlsx"]), PASSWORD_POST).status_code == 403


@worker
def test_a_seat_change_deletes_the_stored_lampiran(client, people, cohort, settings):
    client.force_login(people.admin_a)
    slug = cohort.program.slug
    client.post(reverse("sk_lampiran_make", args=[slug]))
    run_worker()
    job = Job.objects.get(kind=Job.Kind.LAMPIRAN)
    name = job.result.name
    assert default_storage.exists(name)
    services.release(cohort.seated.order_by("urutan").first(), user=people.admin_a, reason="Meninggal dunia")
    job.refresh_from_db()
    assert not job.result and not default_storage.exists(name) and "usang" in job.message
    assert enrolment_jobs.current_lampiran(Cohort.objects.get()) is None
    page = client.get(reverse("sk_download", args=[slug, "xlsx"]), follow=True).content.decode()
    assert "belum dibuat atau sudah usang" in page
    # A new one lists the seats as they are now: the first left, the first waiting took the seat.
    client.post(reverse("sk_lampiran_make", args=[slug]))
    run_worker()
    latest = Job.objects.filter(kind=Job.Kind.LAMPIRAN).latest("pk")
    with latest.result.open("rb") as stored:
        assert _names(stored.read()) == ["Peserta 2", "Peserta 3", "Peserta 4", "Peserta 5"]


@worker
def test_sk_details_changed_while_the_lampiran_is_written_keep_no_file(client, people, cohort, settings, monkeypatch):
    client.force_login(people.admin_a)
    slug = cohort.program.slug
    client.post(reverse("sk_lampiran_make", args=[slug]))
    close = xlsxwriter.Workbook.close

    def close_then_change(book):  # another Disnaker saves a new SK number just as the workbook is finished
        close(book)
        client.post(reverse("sk_update", args=[slug]), {"nomor_sk": "560/8/DISNAKER/2025", "tanggal_sk": "2025-11-14",
                                                          "penandatangan_jabatan": "Kepala Dinas", "tempat_sk": "Karimun",
                                                          "penandatangan_nama": "Drs. Contoh"})

    monkeypatch.setattr(xlsxwriter.Workbook, "close", close_then_change)
    run_worker()
    job = Job.objects.get(kind=Job.Kind.LAMPIRAN)
    assert job.state == Job.State.FAILED and job.message == enrolment_jobs.LAMPIRAN_STALE and not job.result
    assert Cohort.objects.get().nomor_sk == "560/8/DISNAKER/2025"  # the change itself went through
    assert _stored(settings, "xlsx") == []


@worker
def test_a_lampiran_that_cannot_be_written_leaves_no_file_and_says_so(client, people, cohort, settings):
    client.force_login(people.admin_a)
    Cohort.objects.filter(pk=cohort.pk).update(bulan=0)  # broken data: a window of no months cannot be built
    client.post(reverse("sk_lampiran_make", args=[cohort.program.slug]))
    run_worker()
    job = Job.objects.get(kind=Job.Kind.LAMPIRAN)
    assert job.state == Job.State.FAILED and not job.result
    assert job.message == FAILED_MESSAGE  # an error in the middle of the job: the generic message, logged
    assert _stored(settings, "xlsx") == []


def _answer(client, program, data: bytes, name: str = "jawaban.csv") -> Job:  # noqa: F811
    client.post(reverse("bpjs_response", args=[program.slug]), {"berkas": _upload(name, data)})
    return Job.objects.filter(kind=Job.Kind.RESPONSE).latest("pk")


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def _csv(lines: list[str]) -> bytes:
    return ("\n".join(["NIK;Status;No. KPJ;Keterangan", *lines]) + "\n").encode()


def _nik(n: int) -> str:
    return Candidate.objects.get(nama=f"Peserta {n}").nik


def _uploads_left() -> list[str]:
    try:
        return default_storage.listdir("jawaban")[1]
    except FileNotFoundError:
        return []


@worker
def test_the_bpjs_answer_is_applied_by_the_worker_in_one_go(client, people, cohort, monkeypatch):  # noqa: F811
    monkeypatch.setattr(bpjs, "_CHUNK", 2)  # two chunks of four answers
    bpjs.submit_all(cohort, user=people.admin_a)
    versions = dict(Candidate.objects.values_list("pk", "version"))
    client.force_login(people.admin_a)
    job = _answer(client, cohort.program, _csv([f"{_nik(1)};Terdaftar;21012345671;", f"{_nik(2)};Terdaftar;21012345672;",
                                                f"{_nik(3)};Terdaftar;21012345673;",
                                                f"{_nik(4)};Ditolak;;Sudah terdaftar di wadah lain"]))
    assert job.state == Job.State.WAITING and len(_uploads_left()) == 1  # kept until the worker reads it
    run_worker()
    job.refresh_from_db()
    assert (job.state, job.done, job.total) == (Job.State.DONE, 4, 4)
    assert job.message == "Jawaban BPJS diterapkan: 3 terdaftar, 1 ditolak."
    assert "3 terdaftar, 1 ditolak" in client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert Candidate.objects.filter(status=CandidateStatus.TERDAFTAR).count() == 3
    assert Enrolment.objects.get(candidate__nik=_nik(1)).kpj == "21012345671"
    first = Candidate.objects.get(nama="Peserta 1")
    assert first.version == versions[first.pk] + 1  # set-based, yet each change bumps and is logged
    logged = StatusChange.objects.get(candidate=first, new=CandidateStatus.TERDAFTAR)
    assert (logged.old, logged.user_id, logged.reason) == ("diajukan", people.admin_a.pk, "Terdaftar BPJS, KPJ 21012345671")
    assert StatusChange.objects.filter(new=CandidateStatus.TERDAFTAR).count() == 3
    assert Candidate.objects.get(nik=_nik(4)).status == CandidateStatus.DITOLAK
    assert Enrolment.objects.get(candidate__nama="Peserta 5").state == Enrolment.State.SEATED  # the freed seat
    assert _uploads_left() == []  # full NIKs: the upload leaves storage once applied


@worker
def test_a_refused_bpjs_answer_names_row_and_column_and_changes_nothing(client, people, cohort):  # noqa: F811
    bpjs.submit_all(cohort, user=people.admin_a)
    changes = StatusChange.objects.count()
    client.force_login(people.admin_a)
    job = _answer(client, cohort.program, _csv([f"{_nik(1)};Terdaftar;21012345671;", f"{_nik(2)};Lulus;21012345672;",
                                                "9999999999999999;Terdaftar;21012345670;"]))
    run_worker()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED
    assert job.message == enrolment_jobs.RESPONSE_REFUSED.format(n=2)
    assert [line.split(":")[0] for line in job.details] == ["Baris 3, kolom Status", "Baris 4, kolom NIK"]
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "tidak diterapkan sama sekali" in page and "Baris 3, kolom Status" in page
    assert "Tidak ada data yang berubah" in page
    assert Candidate.objects.filter(status=CandidateStatus.DIAJUKAN).count() == 4  # not even row 2
    assert StatusChange.objects.count() == changes and not Enrolment.objects.exclude(kpj="").exists()
    assert _uploads_left() == []


@worker
def test_a_bpjs_answer_lost_before_the_worker_read_it_fails_with_nothing_written(client, people, cohort):  # noqa: F811
    bpjs.submit_all(cohort, user=people.admin_a)
    client.force_login(people.admin_a)
    job = _answer(client, cohort.program, _csv([f"{_nik(1)};Terdaftar;21012345671;"]))
    default_storage.delete(job.params["upload"])
    run_worker()
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and job.message == FAILED_MESSAGE
    assert not Candidate.objects.filter(status=CandidateStatus.TERDAFTAR).exists()


@worker
def test_an_upload_left_by_a_killed_answer_job_is_deleted_by_the_next_one(client, people, cohort):  # noqa: F811
    bpjs.submit_all(cohort, user=people.admin_a)
    client.force_login(people.admin_a)
    killed = _answer(client, cohort.program, _csv([f"{_nik(1)};Terdaftar;21012345671;"]))
    Job.objects.filter(pk=killed.pk).update(state=Job.State.FAILED)  # its worker died: the upload stayed behind
    job = _answer(client, cohort.program, _csv([f"{_nik(2)};Terdaftar;21012345672;"]))
    assert len(_uploads_left()) == 2
    run_worker()
    job.refresh_from_db()
    assert job.state == Job.State.DONE and _uploads_left() == []
