"""In real Chromium (Debian's, launched by Playwright with executable_path): log in, download the template,
upload a file with problems, watch the progress bar, see the preview, accept, download the error file."""

import pytest
from django.core.management import call_command

from lindung.imports.models import Candidate, ImportBatch
from lindung.imports.tests.test_flow import BAD, GOOD, xlsx_bytes
from lindung.test import PASSWORD
from lindung.privacy.tests.helpers import decrypted_xlsx, fill_password

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, verbosity=0)


def test_an_operator_uploads_checks_accepts_and_downloads_the_rejects(browser, live_server, people, tmp_path):
    page = browser.new_page(accept_downloads=True)
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "operator.a")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.click("text=Program")
    page.click(f"text={people.program_a.nama}")

    with page.expect_download() as template:
        page.click("#unduh-templat")
    assert template.value.suggested_filename == "templat-prog-a.xlsx"

    page.click("text=Unggah daftar")
    upload = tmp_path / "daftar-desa.xlsx"
    upload.write_bytes(xlsx_bytes(GOOD + BAD))
    page.set_input_files("#id_berkas", str(upload))
    page.click("text=Unggah dan periksa")
    page.wait_for_selector("#progress progress")  # the bar is there while the job waits for a worker

    run_worker()
    page.wait_for_selector("#counts", timeout=15_000)  # the page polled, saw the end, reloaded
    problems = page.inner_text("#problems")
    assert "16 digit" in problems and "not_16_digits" not in problems  # the message, never the machine code
    assert "3" in page.inner_text("#counts")

    page.click("#terima")
    run_worker()
    page.wait_for_selector("text=Selesai disimpan", timeout=15_000)
    assert Candidate.objects.filter(program=people.program_a).count() == 3

    page.click("#unduh-ditolak")
    fill_password(page)
    with page.expect_download() as rejects:
        page.click("#unduh-terenkripsi")
    path = tmp_path / "ditolak.xlsx"
    rejects.value.save_as(path)
    assert decrypted_xlsx(path.read_bytes()).startswith(b"PK")
    assert ImportBatch.objects.get().status == ImportBatch.Status.DONE
