"""Issue 14's last "done means", in real Chromium: the Disnaker admin creates a programme from the set-up pages
(reached by links, never a typed URL), is told in Indonesian what is wrong with a bad form and nothing is saved,
fixes it, then uploads a list into the new programme; its own rules (age bounds, occupations) decide the rows.
A desa operator the admin makes on the users page sees only their kelurahan's candidate; a user of another pemda
does not see the programme at all."""

import re
from datetime import date

import pytest

from lindung.imports.models import Candidate, ImportBatch
from lindung.imports.tests.test_browser import run_worker
from lindung.imports.tests.test_flow import GOOD, xlsx_bytes
from lindung.programs.models import Program
from lindung.test import KAB_A, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SLUG = "karimun-pesisir-2026"
DESA_PASSWORD = "sandi-kelurahan-tanjung-77"
NAMA = "Perlindungan Pedagang dan Ojek Karimun 2026"
# A woman born 15 May 1964 is 61 on 1 January 2026: over this programme's 60.
TOO_OLD = ["2102035505640006", "Wati Sulastri", date(1964, 5, 15), "P", "21.02.03.1001", "Pedagang kecil", "", "Aisyah"]


def log_in(context, base_url: str, username: str, password: str = PASSWORD):
    page = context.new_page()
    page.goto(f"{base_url}/masuk/?next=/program/")  # the programme list, not the dashboard: a faster test
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("nav")
    return page


def fill_programme(page, *, pagu: str, selesai: str) -> None:
    page.fill("#id_slug", SLUG)
    page.fill("#id_nama", NAMA)
    page.select_option("#id_sumber_dana", "apbd_kabkota")
    page.fill("#id_pagu", pagu)
    page.fill("#id_mulai", "2026-01-01")
    page.fill("#id_selesai", selesai)
    page.fill("#id_pks_nomor", "PKS/12/DISNAKER/2025")
    page.fill("#id_pks_tanggal", "2025-12-15")
    page.select_option("#id_kode_kepesertaan", "SG")
    page.fill("#id_usia_min", "18")
    page.fill("#id_usia_max", "60")
    page.select_option("#id_akhir_usia", "bulan_ulang_tahun")
    for label in ("Pedagang kecil", "Ojek pangkalan"):
        page.get_by_label(label, exact=True).check()
    # The ordered list: desa first, then Dinas Sosial, then Disnaker; no RT/RW round.
    for slot, level in enumerate(("desa", "dinsos", "disnaker", ""), 1):
        page.select_option(f"#id_tingkat_{slot}", level)


def test_the_admin_sets_up_a_programme_and_imports_a_list_into_it(browser, live_server, people, tmp_path):
    admin = browser.new_context(locale="id-ID")
    page = log_in(admin, live_server.url, "admin.a")
    page.click("nav >> text=Program")
    page.click("#program-baru")

    fill_programme(page, pagu="0", selesai="2025-12-31")
    page.click("#program-form button[type=submit]")
    errors = page.inner_text("#program-form")
    assert "Pagu harus lebih dari Rp0." in errors
    assert "Akhir perlindungan tidak boleh sebelum awal perlindungan." in errors
    assert not Program.objects.filter(slug=SLUG).exists()
    # What was typed and ticked is still there: only the two wrong fields need fixing.
    assert page.get_by_label("Ojek pangkalan", exact=True).is_checked()
    assert page.input_value("#id_tingkat_1") == "desa" and page.input_value("#id_tingkat_4") == ""

    page.fill("#id_pagu", "")
    page.locator("#id_pagu").press_sequentially("201.600.000")  # typed key by key, with the thousand dots
    page.fill("#id_selesai", "2026-12-31")
    page.click("#program-form button[type=submit]")
    page.wait_for_selector(f"text=Program {NAMA} dibuat.")

    program = Program.objects.get(slug=SLUG)
    assert (program.pemda_id, program.nama, program.sumber_dana, program.pagu) == (KAB_A, NAMA, "apbd_kabkota", 201_600_000)
    assert (program.mulai, program.selesai, program.pks_nomor, program.pks_tanggal) == (
        date(2026, 1, 1), date(2026, 12, 31), "PKS/12/DISNAKER/2025", date(2025, 12, 15))
    assert (program.kode_kepesertaan, program.usia_min, program.usia_max, program.akhir_usia) == (
        "SG", 18, 60, "bulan_ulang_tahun")
    assert program.pekerjaan_diizinkan == ["ojek_pangkalan", "pedagang_kecil"]
    assert program.levels == ["desa", "dinsos", "disnaker"] and program.created_by == people.admin_a
    assert "12 bulan" in page.inner_text(".fields")
    assert page.inner_text("#pekerjaan") == "Ojek pangkalan, Pedagang kecil"
    assert page.inner_text("#tingkat") == "Desa/kelurahan → Dinas Sosial → Disnaker"
    assert page.inner_text("#akhir-usia") == "Berakhir pada bulan ulang tahun ke-61"

    page.click("text=Unggah daftar")
    upload = tmp_path / "daftar-pesisir.xlsx"
    upload.write_bytes(xlsx_bytes(GOOD + [TOO_OLD]))  # pedagang, ojek, buruh bongkar muat, a 61-year-old
    page.set_input_files("#id_berkas", str(upload))
    page.click("text=Unggah dan periksa")
    run_worker()
    page.wait_for_selector("#counts", timeout=15_000)
    batch = ImportBatch.objects.get(program=program)
    assert (batch.rows_total, batch.rows_ok, batch.rows_rejected) == (4, 2, 2)
    problems = page.inner_text("#problems")
    assert "Pekerjaan “Buruh bongkar muat” tidak dapat dibiayai program ini" in problems  # row 4
    assert "yang diperbolehkan: Ojek pangkalan, Pedagang kecil." in problems
    assert "61 tahun; program ini untuk usia 18–60 tahun" in problems  # row 5
    assert not Candidate.objects.filter(program=program).exists()  # a preview writes nothing

    page.click("#terima")
    run_worker()
    page.wait_for_selector("text=Selesai disimpan", timeout=15_000)
    page.click(f"main >> text={NAMA}")
    page.click("text=Daftar calon peserta")
    assert re.search(r"(?<![\d.])2 calon peserta", page.inner_text("main"))
    names = page.inner_text("table")
    assert "Siti Aminah" in names and "Ahmad bin Yusuf" in names and "Rudi Hartono" not in names
    assert set(Candidate.objects.filter(program=program).values_list("nama", flat=True)) == {
        "Siti Aminah", "Ahmad bin Yusuf"}

    # The operator of Siti's kelurahan, made on the users page, sees the programme and only their own candidate.
    page.click("nav >> text=Program")
    page.get_by_role("link", name="Pengguna", exact=True).click()
    page.fill("#id_username", "tanjungbalai")
    page.fill("#id_nama", "Operator Tanjung Balai")
    page.select_option("#id_peran", "operator_desa")
    page.fill("#id_wilayah", "21.02.03.1001")
    assert page.locator("#desa-pemda option[value='21.02.03.1001']").text_content() == "Tanjung Balai (Kelurahan)"
    page.fill("#id_sandi", DESA_PASSWORD)
    page.click("#pengguna-baru button[type=submit]")
    page.wait_for_selector("text=Pengguna tanjungbalai dibuat.")
    admin.close()

    desa = browser.new_context(locale="id-ID")
    page = log_in(desa, live_server.url, "tanjungbalai", DESA_PASSWORD)
    page.click("nav >> text=Program")
    page.click(f"text={NAMA}")
    page.click("text=Daftar calon peserta")
    assert re.search(r"(?<![\d.])1 calon peserta", page.inner_text("main"))
    assert "Siti Aminah" in page.inner_text("table") and "Ahmad bin Yusuf" not in page.inner_text("table")
    desa.close()

    outsider = browser.new_context(locale="id-ID")
    page = log_in(outsider, live_server.url, "operator.b")
    page.click("nav >> text=Program")
    assert NAMA not in page.inner_text("main")
    for path in (f"/program/{SLUG}/", f"/program/{SLUG}/calon/", f"/program/{SLUG}/unggah/"):
        assert page.goto(f"{live_server.url}{path}").status == 404
    outsider.close()
