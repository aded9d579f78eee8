import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from lindung.accounts.models import AuditEntry
from lindung.billing.models import PersonMonth
from lindung.privacy.tests.helpers import PASSWORD_POST, decrypted_xlsx
from lindung.reconciliation.models import Payment, Reconciliation
from lindung.reconciliation.tests.conftest import bill_for

BASE = "/program/prog-a/tagihan-bpjs/"
MONTH = BASE + "2025-11/"


def upload(client, data, bulan="2025-11"):
    return client.post(BASE + "unggah/", {"bulan": bulan, "berkas": SimpleUploadedFile("tagihan.csv", data)})


def test_it_walks_a_month_from_bill_to_payment(november, client):
    people = november.people
    client.force_login(people.operator_a)
    a = november.months[0]
    response = upload(client, bill_for(november, changes=[f"{a.nik},{a.kpj},x,2025-11,16800"]))
    assert response.status_code == 302 and response["Location"] == MONTH
    rec = Reconciliation.objects.get()
    page = client.get(MONTH)
    assert page.status_code == 200
    assert "Ganda di tagihan BPJS" in page.content.decode() and a.nik in page.content.decode()
    assert client.post(MONTH + "siap-bayar/").status_code == 302
    assert Reconciliation.objects.get().status == "draf"
    (ganda,) = rec.open_lines()
    client.post(MONTH + "selesaikan/", {"baris": [ganda.pk], "resolution": "dijelaskan", "alasan": "Baris ganda BPJS"})
    client.post(MONTH + "siap-bayar/")
    assert Reconciliation.objects.get().status == "siap_bayar"
    # The Disnaker does not record payments; the BPKAD does.
    assert client.post(MONTH + "bayar/", {"sp2d_nomor": "1", "sp2d_tanggal": "2025-12-10", "jumlah": 50400}).status_code == 403
    client.force_login(people.bpkad_a)
    response = client.post(MONTH + "bayar/", {"sp2d_nomor": "SP2D-77", "sp2d_tanggal": "2025-12-10", "jumlah": 50400})
    assert response.status_code == 302
    assert Payment.objects.get().recorded_by == people.bpkad_a
    assert set(PersonMonth.objects.filter(program=november.program, bulan="2025-11-01").values_list("state", flat=True)) == {"dibayar"}
    page = client.get(MONTH).content.decode()
    assert "SP2D-77" in page and a.nik not in page  # BPKAD sees masked NIKs
    assert "lunas" in client.get(BASE).content.decode()


def test_a_malformed_bill_is_shown_with_its_rows_and_nothing_stored(november, client):
    client.force_login(november.people.operator_a)
    response = upload(client, bill_for(november, changes=["2102031505909999,21020000999,x,2025-10,16800"]), )
    page = client.get(response["Location"]).content.decode()
    assert "Baris 5, kolom Bulan" in page and "tidak ada yang disimpan" in page
    assert not Reconciliation.objects.exists()


def test_a_bill_upload_missing_a_field_names_that_field(november, client):
    client.force_login(november.people.operator_a)
    response = client.post(BASE + "unggah/", {"bulan": "2025-11"}, follow=True)
    page = response.content.decode()
    assert "Berkas tagihan BPJS (xlsx/csv): NIK, No. KPJ, Nama, Bulan, Iuran: " in page
    assert "Bulan tagihan" not in page.split("<main>")[1].split("<h1>")[0]  # the month was given: no message about it
    assert not Reconciliation.objects.exists()


def test_a_payment_with_a_wrong_field_names_that_field(november, client):
    client.force_login(november.people.operator_a)
    upload(client, bill_for(november))
    client.post(MONTH + "siap-bayar/")
    client.force_login(november.people.bpkad_a)
    page = client.post(MONTH + "bayar/", {"sp2d_nomor": "SP2D-1", "sp2d_tanggal": "31/13/2025", "jumlah": "50400"},
                       follow=True).content.decode()
    import re

    errors = re.findall(r'<p class="message error">(.*?)</p>', page)
    assert len(errors) == 1 and errors[0].startswith("Tanggal SP2D: "), errors
    assert not Payment.objects.exists()


def test_the_due_day_note_points_to_someone_who_can_change_it(november, client):
    client.force_login(november.people.admin_a)
    page = client.get(BASE).content.decode()
    assert "minta pengelola sistem" in page and "ubah per program di" not in page


def test_roles(november, client):
    people = november.people
    client.force_login(people.operator_a)
    upload(client, bill_for(november))
    for user in (people.auditor_a, people.bpkad_a, people.verifier_a):
        client.force_login(user)
        assert client.get(BASE).status_code == 200 and client.get(MONTH).status_code == 200
        assert upload(client, bill_for(november)).status_code == 403
        assert client.post(MONTH + "siap-bayar/").status_code == 403
    client.force_login(people.auditor_a)
    assert client.post(MONTH + "bayar/", {"sp2d_nomor": "1", "sp2d_tanggal": "2025-12-10", "jumlah": 1}).status_code == 403
    client.force_login(people.desa_a)
    assert client.get(BASE).status_code == 403 and client.get(MONTH).status_code == 403
    client.force_login(people.outsider)
    for url in (BASE, MONTH, MONTH + "rekonsiliasi.xlsx"):
        assert client.get(url).status_code == 404
    assert client.post(MONTH + "siap-bayar/").status_code == 404
    client.logout()
    assert client.get(BASE).status_code == 302


def test_the_xlsx_has_every_line_and_masks_niks_for_the_bpkad(november, client):
    client.force_login(november.people.operator_a)
    upload(client, bill_for(november))
    response = client.post(MONTH + "rekonsiliasi.xlsx", PASSWORD_POST)  # full NIKs: encrypted with a password
    assert response.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(decrypted_xlsx(response.content))).get_sheet_by_name("Baris").to_python()
    assert len(sheet) == 4 and sheet[1][0] == "Cocok" and sheet[1][2] == november.months[0].nik
    assert AuditEntry.objects.filter(action="export_nik", user=november.people.operator_a).exists()
    client.force_login(november.people.bpkad_a)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(client.get(MONTH + "rekonsiliasi.xlsx").content)).get_sheet_by_name("Baris").to_python()
    assert "•" in sheet[1][2]


def test_a_note_quoting_a_nik_is_masked_for_a_masked_reader(november, client):
    """The check's note "KPJ … di tagihan milik Y (NIK …) di daftar" quoted a full NIK to the auditor and the BPKAD."""
    from lindung.reconciliation.tests.conftest import tagihan_csv

    a, b, c = november.months
    lines = [f"{a.nik},{b.kpj},{a.candidate.nama},2025-11,{a.iuran}", f"{b.nik},{b.kpj},{b.candidate.nama},2025-11,{b.iuran}",
             f"{c.nik},{c.kpj},{c.candidate.nama},2025-11,{c.iuran}"]
    client.force_login(november.people.operator_a)
    upload(client, tagihan_csv(lines))
    assert f"(NIK {b.nik})" in client.get(MONTH).content.decode()  # a full-NIK role reads the note as written
    for user in (november.people.auditor_a, november.people.bpkad_a):
        client.force_login(user)
        page = client.get(MONTH).content.decode()
        assert "di tagihan milik" in page and b.nik not in page and a.nik not in page
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(client.get(MONTH + "rekonsiliasi.xlsx").content))
        assert b.nik not in str(sheet.get_sheet_by_name("Baris").to_python())


def test_the_month_page_takes_the_same_queries_for_more_lines(november, client, django_assert_max_num_queries):
    client.force_login(november.people.operator_a)
    upload(client, bill_for(november, changes=[f"31710115059{n:05d},3100000{n:04d},x,2025-11,16800" for n in range(40)]))
    with django_assert_max_num_queries(16):
        assert client.get(MONTH).status_code == 200
