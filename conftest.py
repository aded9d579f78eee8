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
