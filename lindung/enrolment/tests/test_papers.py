"""The SK penetapan PDF and its lampiran, from a real cohort: text extracted and checked."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from lindung.background.models import Job
from lindung.background.tests.helpers import run_waiting_jobs
from lindung.enrolment import services
from lindung.privacy.tests.helpers import PASSWORD_POST, decrypted_pdf, decrypted_xlsx


@pytest.fixture
def cohort(cohort):
    cohort.nomor_sk = "560/123/DISNAKER/2025"
    cohort.save()
    return cohort


def make_sk(client, cohort):
    assert client.get(reverse("sk_download", args=[cohort.program.slug, "pdf"])).status_code == 302  # not made yet
    client.post(reverse("sk_make", args=[cohort.program.slug]))
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, verbosity=0)
    return client.post(reverse("sk_download", args=[cohort.program.slug, "pdf"]), PASSWORD_POST)


@pytest.mark.django_db(transaction=True)
def test_the_sk_pdf_names_only_the_seated_with_count_and_total_in_words(client, people, cohort):
    client.force_login(people.admin_a)
    response = make_sk(client, cohort)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # Full NIKs: the PDF is encrypted with the downloader's password.
    text = " ".join(page.extract_text() for page in decrypted_pdf(response.content).pages)
    text = " ".join(text.split())
    assert "560/123/DISNAKER/2025" in text and "Kabupaten Karimun" in text
    assert "Peserta 1" in text and "Peserta 3" in text and "Peserta 4" not in text  # 4th waits: not in the SK
    assert "Rp100.800" in text  # 3 people × 2 months × Rp16.800
    assert "seratus ribu delapan ratus rupiah" in text.lower()


def test_the_lampiran_xlsx_lists_the_same_people(client, people, cohort):
    url = reverse("sk_download", args=[cohort.program.slug, "xlsx"])
    for masked in (people.bpkad_a, people.auditor_a, people.desa_a):  # full NIKs: not for them
        client.force_login(masked)
        assert client.get(url).status_code == 403
    client.force_login(people.admin_a)
    assert client.get(url).url == reverse("cohort", args=[cohort.program.slug])  # not made yet: a message
    client.post(reverse("sk_lampiran_make", args=[cohort.program.slug]))  # written by a background job
    (job,) = run_waiting_jobs()
    assert job.state == Job.State.DONE and job.result_rows == 3
    assert "Kata sandi berkas" in client.get(url).content.decode()
    response = client.post(url, PASSWORD_POST)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(decrypted_xlsx(response.content))).get_sheet_by_index(0).to_python()
    cells = [str(c) for row in sheet for c in row]
    assert "Peserta 2" in cells and "Peserta 4" not in cells


def test_the_outsider_cannot_download_the_sk(client, people, cohort):
    client.force_login(people.outsider)
    assert client.get(reverse("sk_download", args=[cohort.program.slug, "pdf"])).status_code == 404


def test_the_sk_details_are_saved_by_disnaker_only(client, people, cohort):
    url = reverse("sk_update", args=[cohort.program.slug])
    data = {"nomor_sk": "560/9/2025", "tanggal_sk": "2025-11-14", "tempat_sk": "Tanjung Balai Karimun",
            "penandatangan_jabatan": "Kepala Dinas Tenaga Kerja", "penandatangan_nama": "Drs. Contoh, M.Si."}
    client.force_login(people.auditor_a)
    assert client.post(url, data).status_code == 403
    client.force_login(people.admin_a)
    client.post(url, data)
    cohort.refresh_from_db()
    assert cohort.nomor_sk == "560/9/2025" and cohort.penandatangan_nama == "Drs. Contoh, M.Si."


def test_an_sk_without_seated_people_gets_a_message_not_an_error(client, people):
    from lindung.test import KAB_A, make_program

    empty = make_program("kosong", KAB_A)
    services.form_cohort(program=empty, user=people.admin_a)
    client.force_login(people.admin_a)
    response = client.post(reverse("sk_make", args=["kosong"]), follow=True)
    assert response.status_code == 200 and "SK belum dapat dibuat" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_freed_seat_makes_the_stored_sk_stale(client, people, cohort):
    client.force_login(people.admin_a)
    assert make_sk(client, cohort).status_code == 200
    services.release(cohort.seated.first(), user=people.admin_a, reason="Meninggal")
    cohort.refresh_from_db()
    assert not cohort.sk_pdf
    assert client.get(reverse("sk_download", args=[cohort.program.slug, "pdf"])).status_code == 302


def test_an_sk_without_number_date_or_signer_is_refused_with_the_reason(client, people, cohort):
    cohort.nomor_sk, cohort.penandatangan_nama = "", ""
    cohort.save()
    client.force_login(people.admin_a)
    page = client.post(reverse("sk_make", args=[cohort.program.slug]), follow=True).content.decode()
    assert "SK belum dapat dibuat: isi dulu nomor SK, nama penandatangan" in page
    cohort.refresh_from_db()
    assert not cohort.sk_pending
