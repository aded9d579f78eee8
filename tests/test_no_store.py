"""`Cache-Control: no-store` on every response that carries personal data (issue 11, item 10): every page a
signed-in user reaches, every JSON answer, every file and every refusal, for each kind of role."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tests.test_masking import crawl, world  # noqa: F401 (the fixture)


@pytest.mark.parametrize("role", ["admin_a", "desa_a", "auditor_a"])
def test_every_page_and_file_a_user_gets_is_not_stored(world, client, role):
    responses = {}
    crawl(client, getattr(world, role), responses=responses)
    kinds = {r["Content-Type"].split(";")[0] for r in responses.values() if r.status_code == 200}
    assert {"text/html", "application/json"} <= kinds
    assert any(r.status_code in (403, 404) for r in responses.values())  # refusals are checked too
    assert [url for url, r in responses.items() if "no-store" not in r.get("Cache-Control", "")] == []


def test_downloads_are_not_stored(world, client):
    client.force_login(world.admin_a)
    sandi = {"sandi": "rahasia-berkas-1", "sandi_ulang": "rahasia-berkas-1"}  # full-NIK files are encrypted
    from lindung.background.tests.helpers import run_waiting_jobs

    client.post(reverse("bpjs_submit", args=["prog-a"]))  # the pengajuan lists who was submitted
    run_waiting_jobs()
    client.post(reverse("bpjs_submission", args=["prog-a", "csv"]))  # written by a background job
    (job,) = run_waiting_jobs()
    client.post(reverse("sk_lampiran_make", args=["prog-a"]))  # so is the SK lampiran
    run_waiting_jobs()
    files = [client.post(reverse("sk_download", args=["prog-a", "xlsx"]), sandi),
             client.post(reverse("job_download", args=[job.pk]), sandi),
             client.get(reverse("program_template", args=["prog-a"]))]
    assert [r.status_code for r in files] == [200, 200, 200]
    assert all("attachment" in r["Content-Disposition"] and "no-store" in r["Cache-Control"] for r in files)


def test_one_middleware_decides_and_static_files_are_not_its_business():
    middleware = settings.MIDDLEWARE
    assert middleware.index("lindung.lib.middleware.NoStoreMiddleware") > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware") > middleware.index("whitenoise.middleware.WhiteNoiseMiddleware")
