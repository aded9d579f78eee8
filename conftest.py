import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def people(db):
    """Personas of lindung/test.py: Kabupaten A (Karimun) users and the outsider in Kabupaten B."""
    from lindung.test import personas

    return personas()


@pytest.fixture(autouse=True)
def media_in_tmp(request, tmp_path):
    """Uploaded lists, berita acara and SK PDFs written by tests go to a temporary folder.

    Domain tests also run without Django (`-p no:django`); then there is nothing to redirect.
    """
    if request.config.pluginmanager.hasplugin("django"):
        request.getfixturevalue("settings").MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def counters_stay_exact(request):
    """After every test that wrote to the database, the counters the database triggers keep (lindung.counters:
    candidates per status, enrolments per state, decisions per level) equal a real COUNT (issue 18). So every
    write path the suite exercises — imports, decisions, cohorts, BPJS answers, releases, siklus, renewal,
    retention, deletes — is also a test that the counters stay exact."""
    if not request.config.pluginmanager.hasplugin("django") or not _uses_database(request):
        yield
        return
    for name in ("transactional_db", "db"):  # set up first, so torn down after this check
        if name in request.fixturenames:
            request.getfixturevalue(name)
            break
    yield
    from django.db import DatabaseError, connection

    from lindung.counters.rebuild import TALLIES, drifts

    try:
        with connection.cursor() as cursor:
            wrong = [d for tally in TALLIES for d in drifts(cursor, tally)]
    except DatabaseError:  # the test left its transaction broken on purpose, or dropped the tables
        return
    assert wrong == [], f"hitungan meleset dari COUNT sebenarnya: {wrong}"


def _uses_database(request) -> bool:
    names = set(request.fixturenames)
    return bool(names & {"db", "transactional_db", "live_server"}) or \
        request.node.get_closest_marker("django_db") is not None


@pytest.fixture
def browser(monkeypatch):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("LINDUNG_REQUIRE_BROWSER"):
            pytest.fail("Chromium tidak terpasang: jalankan scripts/system-deps")
        pytest.skip("Chromium tidak terpasang (scripts/system-deps memasangnya)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are plain
    # synchronous code all the same, so Django's async guard is lifted for this test only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()
        # Inside the `with`: Playwright runs the test (and the fixtures set up after this one) in a
        # contextvars context of its own, so Django's connections there are not the ones the test's
        # teardown closes. A connection left open there (PostgreSQL: e.g. the one a `db_worker` run from
        # the test opened) outlived the test, and the test database could not be dropped at the end of
        # the run ("database ... is being accessed by other users").
        from django.db import connections

        connections.close_all()
