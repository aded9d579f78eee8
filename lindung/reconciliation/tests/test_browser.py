"""In real Chromium: one month from BPJS's bill to the BPKAD's payment."""

import pytest

from lindung.privacy.tests.helpers import fill_password

from lindung.billing.models import PersonMonth
from lindung.reconciliation.models import Payment, Reconciliation
from lindung.reconciliation.tests.conftest import bill_for
from lindung.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser, live_server, username):
    page = browser.new_page(accept_downloads=True)
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    return page


def test_one_month_from_bill_to_payment(browser, live_server, november, tmp_path):
    a = november.months[0]
    page = login(browser, live_server, "operator.a")
    page.goto(f"{live_server.url}/program/prog-a/")
    page.click("text=Rekonsiliasi dan pembayaran")
    tagihan = tmp_path / "tagihan-bpjs-2025-11.csv"
    tagihan.write_bytes(bill_for(november, changes=[f"{a.nik},{a.kpj},{a.candidate.nama},2025-11,16800",
                                                    "2102031505909999,21020000999,Orang Lain,2025-11,16800"]))
    page.fill("#id_bulan", "2025-11")
    page.set_input_files("#id_berkas", str(tagihan))
    page.click("#unggah-tagihan button[type=submit]")
    page.wait_for_selector("text=3 cocok, 2 selisih")
    assert page.inner_text("#terbuka") == "2"
    page.click("#siap-bayar")
    page.wait_for_selector("text=2 selisih belum diselesaikan")
    page.select_option("#id_resolution", "dijelaskan")
    page.fill("#id_alasan", "BPJS belum memproses penonaktifan")
    page.click("text=Selesaikan baris terpilih")
    page.wait_for_selector("text=2 baris diselesaikan")
    page.click("#siap-bayar")
    page.wait_for_selector("text=siap bayar: Rp50.400")
    page.click("#unduh-xlsx")
    fill_password(page)  # full NIKs: the file is encrypted with a password the operator sets
    with page.expect_download() as download:
        page.click("#unduh-terenkripsi")
    page.click("#kembali")
    assert download.value.suggested_filename == "rekonsiliasi-prog-a-2025-11.xlsx"
    assert Reconciliation.objects.get().status == "siap_bayar"

    bpkad = login(browser, live_server, "bpkad.a")
    bpkad.goto(f"{live_server.url}/program/prog-a/tagihan-bpjs/2025-11/")
    bpkad.fill("#id_sp2d_nomor", "900/0001/SP2D-LS/2025")
    bpkad.fill("#id_sp2d_tanggal", "2025-12-10")
    bpkad.fill("#id_jumlah", "50400")
    bpkad.click("text=Catat pembayaran")
    bpkad.wait_for_selector("text=Pembayaran SP2D 900/0001/SP2D-LS/2025 dicatat")
    assert Payment.objects.get().recorded_by.username == "bpkad.a"
    assert set(PersonMonth.objects.filter(bulan="2025-11-01").values_list("state", flat=True)) == {"dibayar"}
    bpkad.goto(f"{live_server.url}/program/prog-a/tagihan-bpjs/")
    assert "lunas" in bpkad.inner_text("#bulan")
