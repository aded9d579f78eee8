"""In real Chromium: the dashboard and the coverage map at a laptop's 1366 px and a phone's 390 px."""

import pytest

from lindung.coverage.tests.test_coverage import DEC, KEC_A, _cohort, _cover, _semesta
from lindung.test import DESA_A, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_dashboard_and_the_map_fit_the_screen(browser, live_server, people, tmp_path, width):
    cohort = _cohort(people.program_a)
    for i in range(3):
        _cover(cohort, f"210201410190000{i + 1}", DESA_A)
    _semesta("Kode Wilayah;Jumlah\n210201;4\n")
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "operator.a")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")

    page.goto(f"{live_server.url}/")
    page.wait_for_selector("#alur svg.grafik-corong")
    page.screenshot(path=str(tmp_path / f"dasbor-{width}.png"), full_page=True)
    assert page.locator("#cakupan").inner_text().count("%") >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1  # no sideways scrolling

    page.goto(f"{live_server.url}/cakupan/?bulan={DEC}")
    moro = page.locator(f"path[data-kode='{KEC_A}']")
    assert "cakupan-3" in moro.get_attribute("class")
    box = page.locator("svg.peta-cakupan").bounding_box()
    assert box["width"] <= width and box["height"] > 100
    page.screenshot(path=str(tmp_path / f"peta-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
    assert "75,00 %" in page.content()
