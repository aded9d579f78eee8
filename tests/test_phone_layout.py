"""Pages found too wide for a 375 px phone while walking the demo, each held here.

At 375 px a filter form whose drop-down holds a long option (a programme's full name, a long warning text)
shrinks to the screen: the page itself never scrolls sideways (found walking the demo as karimun.operator,
where /pencocokan/tinjau/ was 410–530 px wide and the candidate list 603 px)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from lindung.imports import services as imports
from lindung.imports.tests.test_flow import BAD, GOOD, upload, xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_NAME = "Perlindungan Jaminan Sosial Ketenagakerjaan bagi Pekerja Rentan dan Nelayan Kabupaten Karimun 2025"


# Figures of the count boxes whose text runs out of their box (over the next box, or off the screen).
OUT_OF_BOX = """Array.from(document.querySelectorAll('.counts div strong')).filter(s => {
  const range = document.createRange(); range.selectNodeContents(s);
  return range.getBoundingClientRect().right > s.parentElement.getBoundingClientRect().right + 0.5;
}).map(s => s.innerText)"""


def _session(user, url):
    client = Client()
    client.force_login(user)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": url}


def _too_wide(page, path: str) -> list[str]:
    """What sticks out on the loaded page: the page itself wider than the screen, or a figure out of its box."""
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    found = [f"{path}: {scroll} > {inner} px"] if scroll > inner else []
    return found + [f"{path}: {figure}" for figure in page.evaluate(OUT_OF_BOX)]


def test_filter_forms_fit_a_phone(browser, live_server, people):
    program = people.program_a
    program.nama = LONG_NAME
    program.save()
    imports.commit(upload(program, people.operator_a, xlsx_bytes(GOOD + BAD)), user=people.operator_a)
    context = browser.new_context(viewport={"width": 375, "height": 800})
    context.add_cookies([_session(people.operator_a, live_server.url)])
    page = context.new_page()
    wide = []
    for path in ("/pencocokan/tinjau/", f"/program/{program.slug}/calon/"):
        page.goto(live_server.url + path, wait_until="load")
        assert page.query_selector("form.filters select"), path
        wide += _too_wide(page, path)
    context.close()
    assert not wide, wide


def test_a_kabupaten_sized_budget_fits_its_box_on_a_phone(browser, live_server, people):
    """PPU's pagu Rp3.024.000.000 and SK amount ran 37 px out of their count boxes on the programme page."""
    from lindung.enrolment.tests.test_cohort import three_seat_cohort
    from lindung.programs.models import Program

    program = three_seat_cohort(people, 4).program  # its SK amount beside the pagu, two figures in a row
    Program.objects.filter(pk=program.pk).update(pagu=3_024_000_000)
    context = browser.new_context(viewport={"width": 375, "height": 800})
    context.add_cookies([_session(people.admin_a, live_server.url)])
    page = context.new_page()
    wide = []
    for path in (f"/program/{program.slug}/", f"/program/{program.slug}/realisasi/"):
        page.goto(live_server.url + path, wait_until="load")
        assert "Rp3.024.000.000" in page.inner_text("main"), path
        wide += _too_wide(page, path)
    context.close()
    assert not wide, wide


def test_an_empty_tables_sentence_is_read_whole_on_a_phone(browser, live_server, people):
    """Dinas Sosial with nothing waiting yet: the queue's one sentence sat inside a table as wide as its seven
    headers, cut off at the screen's edge; on a phone the headers of an empty table are left out."""
    program = people.program_a
    program.tingkat_verifikasi = ["desa", "dinsos"]
    program.save()
    imports.commit(upload(program, people.operator_a, xlsx_bytes(GOOD)), user=people.operator_a)
    context = browser.new_context(viewport={"width": 375, "height": 800})
    context.add_cookies([_session(people.verifier_a, live_server.url)])
    page = context.new_page()
    page.goto(f"{live_server.url}/program/{program.slug}/verifikasi/", wait_until="load")
    sentence = page.locator("#kosong")
    assert "Tidak ada calon yang menunggu" in sentence.inner_text()
    box = sentence.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375, box
    context.close()
