import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lindung.background.models import Job
from lindung.background.tests.helpers import run_waiting_jobs, run_worker
from lindung.enrolment.models import Cohort, Enrolment
from lindung.enrolment.tests.test_cohort import rows, verified
from lindung.privacy.tests.helpers import PASSWORD_POST, decrypted_xlsx


@pytest.fixture
def program(people):
    program = people.program_a
    program.pagu = 2 * 2 * 16_800
    program.save()
    verified(program, people.operator_a, rows(3))
    return program


def test_the_outsider_gets_404(client, people, program):
    client.force_login(people.outsider)
    assert client.get(reverse("cohort", args=[program.slug])).status_code == 404
    assert client.post(reverse("cohort_create", args=[program.slug]), {"prioritas": "urutan_daftar"}).status_code == 404
    assert not Cohort.objects.exists()


def test_only_disnaker_forms_a_cohort(client, people, program):
    for user in (people.verifier_a, people.bpkad_a, people.desa_a):
        client.force_login(user)
        assert client.post(reverse("cohort_create", args=[program.slug]), {"prioritas": "urutan_daftar"}).status_code == 403
    assert not Cohort.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker forms the cohort on its own connection
def test_forming_a_cohort_shows_seats_waiting_list_and_warnings(client, people, program):
    client.force_login(people.admin_a)
    response = client.post(reverse("cohort_create", args=[program.slug]), {"prioritas": "urutan_daftar"}, follow=True)
    job = Job.objects.get()
    assert response.redirect_chain[-1][0] == reverse("job_detail", args=[job.pk])
    waiting = response.content.decode()
    assert "Menunggu giliran" in waiting and reverse("job_status", args=[job.pk]) in waiting
    assert not Cohort.objects.exists()
    run_worker()
    done = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "2 mendapat kursi dari 2" in done and reverse("cohort", args=[program.slug]) in done
    body = client.get(reverse("cohort", args=[program.slug])).content.decode()
    assert "Rp10.000.000" in body and "Rp67.200" in body
    assert Enrolment.objects.filter(state="tunggu").count() == 1
    waiting = client.get(reverse("cohort", args=[program.slug]), {"status": "tunggu"}).content.decode()
    assert "Peserta 3" in waiting


def test_a_start_date_change_without_reason_is_refused(client, people, program):
    client.force_login(people.admin_a)
    response = client.post(reverse("cohort_create", args=[program.slug]),
                           {"prioritas": "urutan_daftar", "mulai": "2025-12-01"}, follow=True)
    assert "tuliskan alasannya" in response.content.decode()
    assert not Cohort.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker forms the cohort and writes the file
def test_the_bpjs_loop_through_the_pages(client, people, program):
    from lindung.imports.models import Candidate, CandidateStatus, StatusChange

    client.force_login(people.admin_a)
    client.post(reverse("cohort_create", args=[program.slug]), {"prioritas": "urutan_daftar"})
    run_worker()
    # Nothing submitted yet: no file to download, and asking for one changes nothing.
    page = client.post(reverse("bpjs_submission", args=[program.slug, "xlsx"]), PASSWORD_POST, follow=True).content.decode()
    assert "Belum ada yang diajukan" in page
    assert not Candidate.objects.filter(status=CandidateStatus.DIAJUKAN).exists()
    # Ajukan: a confirmation naming how many, then the POST moves them.
    confirm = client.get(reverse("bpjs_submit", args=[program.slug])).content.decode()
    assert "2 orang" in confirm and not Candidate.objects.filter(status=CandidateStatus.DIAJUKAN).exists()
    job_url = client.post(reverse("bpjs_submit", args=[program.slug])).url
    assert not Candidate.objects.filter(status=CandidateStatus.DIAJUKAN).exists()  # queued, not yet done
    run_worker()
    assert "2 orang diajukan ke BPJS" in client.get(job_url).content.decode()
    # The file is written by the worker; its page then offers it, encrypted with a password typed there.
    job_page = client.post(reverse("bpjs_submission", args=[program.slug, "xlsx"]))
    job = Job.objects.get(kind=Job.Kind.SUBMISSION)
    assert job_page.url == reverse("job_detail", args=[job.pk])
    run_worker()
    assert "2 orang menunggu jawaban BPJS" in client.get(job_page.url).content.decode()
    download = reverse("job_download", args=[job.pk])
    assert "Kata sandi berkas" in client.post(download).content.decode()
    response = client.post(download, PASSWORD_POST)
    assert response.status_code == 200 and response["Content-Disposition"].endswith('pengajuan-bpjs-prog-a.xlsx"')
    assert decrypted_xlsx(response.content).startswith(b"PK")
    seated = Candidate.objects.filter(status=CandidateStatus.DIAJUKAN).order_by("nama")
    assert seated.count() == 2
    changes = StatusChange.objects.count()
    client.post(reverse("bpjs_submission", args=[program.slug, "csv"]))
    run_worker()
    again = client.post(reverse("job_download", args=[Job.objects.latest("pk").pk]), PASSWORD_POST)
    assert again.status_code == 200 and StatusChange.objects.count() == changes  # a second file is only a file
    bad = f"NIK;Status;No. KPJ\n{seated[0].nik};Terdaftar;\n".encode()
    page = _answer(client, program, bad)  # checked and applied by a background job
    assert "tidak diterapkan sama sekali" in page and "Baris 2" in page
    page = _answer(client, program, b"Nama;Alamat\nx;y\n")  # not an answer at all: the file's problem, no "Baris 0"
    assert "tidak memiliki kolom NIK" in page and "Baris 0" not in page
    good = "NIK;Status;No. KPJ\n" + "".join(f"{c.nik};Terdaftar;2101234567{i}\n" for i, c in enumerate(seated))
    page = _answer(client, program, good.encode())
    assert "2 terdaftar, 0 ditolak" in page
    assert Candidate.objects.filter(status=CandidateStatus.TERDAFTAR).count() == 2


def _answer(client, program, data: bytes) -> str:
    """Upload the BPJS answer, let the worker apply it, and read the job's page."""
    job_page = client.post(reverse("bpjs_response", args=[program.slug]),
                           {"berkas": SimpleUploadedFile("jawaban.csv", data)})
    run_worker()
    return client.get(job_page.url).content.decode()


def test_read_only_roles_cannot_make_the_submission(client, people, program):
    client.force_login(people.admin_a)
    client.post(reverse("cohort_create", args=[program.slug]), {"prioritas": "urutan_daftar"})
    run_waiting_jobs()
    client.force_login(people.auditor_a)
    assert client.post(reverse("bpjs_submission", args=[program.slug, "xlsx"])).status_code == 403
    assert client.post(reverse("bpjs_submit", args=[program.slug])).status_code == 403
    client.force_login(people.outsider)
    assert client.post(reverse("bpjs_submission", args=[program.slug, "csv"])).status_code == 404


def test_releasing_a_seat_from_the_page_promotes_the_next_waiting(client, people, program):
    from lindung.imports.models import StatusChange

    client.force_login(people.admin_a)
    client.post(reverse("cohort_create", args=[program.slug]), {"prioritas": "urutan_daftar"})
    run_waiting_jobs()
    first = Enrolment.objects.get(candidate__nama="Peserta 1")
    url = reverse("enrolment_release", args=[program.slug, first.pk])
    client.force_login(people.bpkad_a)
    assert client.post(url, {"alasan": "meninggal"}).status_code == 403
    client.force_login(people.admin_a)
    page = client.post(url, {"alasan": "meninggal", "catatan": "3 Desember 2025"}, follow=True).content.decode()
    assert "kursinya diberikan kepada: Peserta 3" in page
    first.refresh_from_db()
    assert first.state == Enrolment.State.OUT and "Meninggal dunia. 3 Desember 2025" in first.alasan
    # not yet registered with BPJS: no protection to end, the status stays as verified
    assert first.candidate.status == "terverifikasi"
    assert not StatusChange.objects.filter(candidate=first.candidate, new="berakhir").exists()


def test_adding_the_newly_verified_says_how_many_got_a_seat_and_how_many_wait(client, people, program):
    client.force_login(people.admin_a)
    client.post(reverse("cohort_create", args=[program.slug]), {"prioritas": "urutan_daftar"})  # 2 seats, 1 waits
    run_waiting_jobs()
    verified(program, people.operator_a, rows(2, start_serial=10))
    job_url = client.post(reverse("cohort_add", args=[program.slug])).url
    (job,) = run_waiting_jobs()
    page = client.get(job_url).content.decode()
    assert "2 calon yang baru terverifikasi ditambahkan: 0 mendapat kursi, 2 masuk daftar tunggu." in page
    client.post(reverse("cohort_add", args=[program.slug]))
    (job,) = run_waiting_jobs()
    assert job.state == Job.State.DONE and "Tidak ada calon baru" in job.message
