"""Issue 16's "done means", in real Chromium: every page reachable from the navigation, as every role, at
1366 px and 390 px — no sideways scroll, no English deny-list word, no snake_case token in the visible text,
nothing offered that answers 403 (the crawl of test_no_dead_ends), and the slowest page reported.

A compact world (lindung/test.py personas, a cohort, a committed list and one preview with problems)
instead of the full demo keeps it near a minute. With LINDUNG_SCREENSHOTS=docs/img it also writes the
operator guide's screenshots (docs/panduan-operator.md).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from lindung.enrolment import services as enrolment
from lindung.enrolment.models import Priority
from lindung.enrolment.tests.test_cohort import rows, verified
from lindung.imports import services as imports
from lindung.imports.tests.test_flow import BAD, GOOD, upload, xlsx_bytes
from tests.test_no_dead_ends import ROLES, crawl

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (1366, 390)
DENY = re.compile(r"\b(Forbidden|Not Found|None|Successful|Page not found|Server Error|Traceback|undefined|NaN)\b")
# snake_case in what a person reads: a lowercase word, an underscore, another word (file names excepted).
SNAKE = re.compile(r"(?<![\w./-])[a-z]+(?:_[a-z0-9]+)+(?![\w.-]*\.(?:xlsx|csv|pdf|ods|xls))\b")
SCREENSHOTS = {  # (role, path suffix) -> file, for the operator guide
    ("operator_a", "/"): "beranda.png",
    ("operator_a", "/program/prog-a/"): "program.png",
    ("operator_a", "/program/prog-a/calon/"): "daftar-calon.png",
    ("admin_a", "/program/prog-a/penetapan/"): "penetapan.png",
    ("operator_a", "batch"): "pratinjau-unggahan.png",
    ("verifier_a", "/program/prog-a/verifikasi/"): "verifikasi.png",
}


def _world(people):
    program = people.program_a
    program.pagu = 3 * 2 * 16_800
    program.save()
    verified(program, people.operator_a, rows(4))
    enrolment.form_cohort(program=program, user=people.admin_a, prioritas=Priority.LIST_ORDER)
    imports.commit(upload(program, people.operator_a, xlsx_bytes(GOOD)), user=people.operator_a)
    return upload(program, people.operator_a, xlsx_bytes(GOOD + BAD), name="daftar-desa-moro.xlsx")


def _one_of_each(pages: list[str]) -> list[str]:
    """One page per kind (/calon/12/ and /calon/13/ are one kind), the first found."""
    kinds: dict[str, str] = {}
    for url in pages:
        kinds.setdefault(re.sub(r"\d+", "N", url.split("?")[0]) + ("?" if "?" in url else ""), url)
    return list(kinds.values())


def _session_cookie(user, live_url: str) -> dict:
    client = Client()
    client.force_login(user)
    return {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_url}


API_DOCS = "/api/v1/dokumentasi/"


def _api_names() -> set[str]:
    """The names the API's contract itself uses (paths' parameters, fields): its reference page, written for
    programmers, shows them as they are; any other snake_case there is still a fault."""
    schema = Client().get("/api/v1/openapi.json").content.decode()
    return set(SNAKE.findall(schema))


def _check(page, role: str, width: int, url: str) -> list[str]:
    faults = []
    allowed: set[str] = set()
    if url == API_DOCS:  # Swagger UI draws the operations after the load event: check what it draws, every time
        page.wait_for_selector(".opblock")
        allowed = _api_names()
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll > inner:
        faults.append(f"{role} {width}px {url}: halaman bergeser ke samping ({scroll} > {inner} px)")
    text = page.inner_text("body")
    for pattern, what in ((DENY, "kata Inggris"), (SNAKE, "kode mesin")):
        found = sorted(set(m.group(0) for m in pattern.finditer(text)) - allowed)
        if found:
            faults.append(f"{role} {width}px {url}: {what} {found}")
    return faults


def test_every_page_as_every_role_on_a_desk_and_a_phone(browser, live_server, people):
    preview = _world(people)
    shots = os.environ.get("LINDUNG_SCREENSHOTS")
    faults, timings = [], []
    for role in ROLES:
        user = getattr(people, role)
        pages: list[str] = []
        statuses = crawl(user, pages)  # links and forms offered, followed with the test client: none may answer 403
        faults += [f"{role}: {url} menjawab 403" for url, status in statuses.items() if status == 403]
        context = browser.new_context()
        context.add_cookies([_session_cookie(user, live_server.url)])
        pages = _one_of_each(pages)
        for width in WIDTHS:
            page = context.new_page()
            page.set_viewport_size({"width": width, "height": 800})
            for url in pages:
                started = time.perf_counter()
                page.goto(live_server.url + url, wait_until="load")
                timings.append((time.perf_counter() - started, role, width, url))
                faults += _check(page, role, width, url)
                name = SCREENSHOTS.get((role, url)) or (SCREENSHOTS.get((role, "batch")) if url == f"/impor/{preview.pk}/" else None)
                if shots and width == 390 and name:
                    page.screenshot(path=str(Path(shots) / name), full_page=False)
            page.close()
        context.close()
    slowest = max(timings)
    print(f"\n{len(timings)} halaman dimuat; paling lambat {slowest[0]:.2f} s: {slowest[1]} {slowest[2]} px {slowest[3]}")
    assert len(timings) > 6 * 2 * 8
    assert not faults, "\n".join(faults)
