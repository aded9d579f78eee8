"""In real Chromium: start a matching run, watch it finish, and decide one pair in the review queue."""

import pytest
from django.core.management import call_command

from lindung.linkage.models import MatchPair
from lindung.linkage.tests.factories import BUDI, OTHERS, SITI, load
from lindung.linkage.tests.test_views import AGAIN
from lindung.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_worker():
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, verbosity=0)


def test_an_operator_runs_matching_and_decides_a_pair(browser, live_server, people):
    load(people.program_a, people.operator_a, [BUDI, AGAIN, SITI, *OTHERS])
    page = browser.new_page()
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "operator.a")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.click("nav >> text=Pencocokan")
    page.click("#jalankan")
    page.wait_for_selector("#progress progress")  # waiting for the worker

    run_worker()
    page.wait_for_selector("#counts", timeout=30_000)  # the page polled, saw the end, reloaded
    page.click("text=Tinjau kecocokan")
    page.select_option("#status", "semua")  # sure pairs too: any pair may be reviewed
    page.click("text=Saring")
    pair = MatchPair.objects.get(kind=MatchPair.Kind.DUPLIKAT)
    card = page.locator(f"#pasangan-{pair.pk}")
    assert "BUDI SANTOSO" in card.inner_text() and "Budi Santoso" in card.inner_text()
    card.locator(f"#berbeda-{pair.pk}").check()
    card.locator(f"#alasan-{pair.pk}").fill("Kembar: dua KTP, dicek ke kantor desa")
    card.locator(f"#simpan-{pair.pk}").click()
    page.wait_for_selector("text=Keputusan disimpan")
    assert "Diputuskan orang berbeda oleh Operator A" in page.locator(f"#pasangan-{pair.pk}").inner_text()

    pair.refresh_from_db()
    assert (pair.status, pair.decided_by, pair.alasan) == ("berbeda", people.operator_a, "Kembar: dua KTP, dicek ke kantor desa")
