"""In real Chromium: one candidate from the desa's upload to *terdaftar* at BPJS."""

import pytest

from lindung.imports.models import Candidate, CandidateStatus
from lindung.imports.tests.test_browser import run_worker
from lindung.imports.tests.test_flow import GOOD, xlsx_bytes
from lindung.test import PASSWORD
from lindung.privacy.tests.helpers import fill_password

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_one_candidate_from_upload_to_terdaftar(browser, live_server, people, tmp_path):
    program = people.program_a
    program.tingkat_verifikasi = ["disnaker"]
    program.save()
    page = browser.new_page(accept_downloads=True)
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "admin.a")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")

    page.goto(f"{live_server.url}/program/{program.slug}/unggah/")
    upload = tmp_path / "satu-orang.xlsx"
    upload.write_bytes(xlsx_bytes(GOOD[:1]))
    page.set_input_files("#id_berkas", str(upload))
    page.click("text=Unggah dan periksa")
    run_worker()
    page.wait_for_selector("#terima", timeout=15_000)
    page.click("#terima")
    run_worker()
    page.wait_for_selector("text=Selesai disimpan", timeout=15_000)

    page.goto(f"{live_server.url}/program/{program.slug}/verifikasi/")
    page.check("input[name=calon]")
    page.check("input[value=layak]")
    page.click("text=Simpan keputusan")
    page.wait_for_selector("text=1 calon diputuskan")

    page.goto(f"{live_server.url}/program/{program.slug}/penetapan/")
    page.select_option("#id_prioritas", "urutan_daftar")
    page.click("text=Tetapkan dalam pagu")
    page.wait_for_selector("#progress progress")  # the job's page, its bar there while the worker is busy
    run_worker()
    page.wait_for_selector("text=1 mendapat kursi", timeout=15_000)  # the page polled, saw the end, reloaded
    page.click("#kembali")
    page.click("#ajukan")
    assert "1 orang" in page.inner_text("#konfirmasi")
    page.click("#ajukan-ya")
    run_worker()
    page.wait_for_selector("text=1 orang diajukan ke BPJS", timeout=15_000)
    page.click("#kembali")
    page.click("#pengajuan-xlsx")
    run_worker()  # the file is written by the worker; its page offers it when ready
    page.click("#unduh-hasil", timeout=15_000)
    fill_password(page)
    with page.expect_download() as submission:
        page.click("#unduh-terenkripsi")
    assert submission.value.suggested_filename == "pengajuan-bpjs-prog-a.xlsx"
    page.click("#kembali")  # from the password page back to the job's page
    page.click("#kembali")  # and from there to the cohort
    siti = Candidate.objects.get()
    assert siti.status == CandidateStatus.DIAJUKAN

    answer = tmp_path / "jawaban-bpjs.csv"
    answer.write_text(f"NIK;Status;No. KPJ;Keterangan\n{siti.nik};Terdaftar;21012345678;\n")
    page.set_input_files("#id_berkas", str(answer))
    page.click("text=Terapkan jawaban")
    page.wait_for_selector("#progress progress")  # checked and applied by the worker
    run_worker()
    page.wait_for_selector("text=1 terdaftar, 0 ditolak", timeout=15_000)
    siti.refresh_from_db()
    assert siti.status == CandidateStatus.TERDAFTAR and siti.enrolments.get().kpj == "21012345678"
    page.click("#kembali")
    assert "KPJ 21012345678" in page.inner_text("#enrolments")

    page.click("#buat-lampiran")  # the SK lampiran: written by the worker, encrypted on download
    run_worker()
    page.click("#unduh-hasil", timeout=15_000)
    fill_password(page)
    with page.expect_download() as lampiran:
        page.click("#unduh-terenkripsi")
    assert lampiran.value.suggested_filename == "lampiran-sk-prog-a.xlsx"
