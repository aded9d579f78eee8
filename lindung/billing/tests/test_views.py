"""Bill pages and downloads: who sees what (Disnaker full, BPKAD/auditor masked, desa none, outsiders 404)."""

import pytest
from django.urls import reverse

from lindung.privacy.tests.helpers import PASSWORD_POST, decrypted_pdf

from lindung.accounts.models import AuditEntry
from lindung.billing.models import PersonMonth
from lindung.imports.reader import read_table


def test_it_shows_the_month_bill_to_disnaker_with_full_niks(client, people, cohort):
    client.force_login(people.admin_a)
    page = client.get(reverse("bill", args=[cohort.program.slug]), {"bulan": "2025-11"}).content.decode()
    line = PersonMonth.objects.filter(bulan="2025-11-01").first()
    assert "Rp50.400" in page and line.nik in page and "Lima puluh ribu empat ratus rupiah" in page
    assert AuditEntry.objects.filter(user=people.admin_a, action="view_nik", rows=3).exists()


@pytest.mark.parametrize("persona", ["bpkad_a", "auditor_a"])
def test_bpkad_and_auditors_read_with_masked_niks(client, people, cohort, persona):
    client.force_login(getattr(people, persona))
    page = client.get(reverse("bill", args=[cohort.program.slug]), {"bulan": "2025-11"}).content.decode()
    line = PersonMonth.objects.filter(bulan="2025-11-01").first()
    assert "Rp50.400" in page and line.nik not in page and "••" in page
    data = client.get(reverse("bill_download", args=[cohort.program.slug, "2025-11", "xlsx"])).content
    table = read_table(data, "t.xlsx")
    assert line.nik not in str(table.rows) and not AuditEntry.objects.filter(action="export_nik").exists()
    why = client.get(reverse("bill_line", args=[cohort.program.slug, line.pk])).content.decode()
    assert "PP 44/2015" in why and "Rp10.000" in why and "Rp6.800" in why


def test_a_desa_operator_sees_none_of_it_and_outsiders_get_404(client, people, cohort):
    line = PersonMonth.objects.first()
    urls = [reverse("bill", args=[cohort.program.slug]), reverse("bill_line", args=[cohort.program.slug, line.pk]),
            reverse("bill_download", args=[cohort.program.slug, "2025-11", "xlsx"]),
            reverse("realisation", args=[cohort.program.slug]), reverse("realisation_overview")]
    for persona in (people.desa_a, people.outsider):
        client.force_login(persona)
        for url in urls[:4]:
            assert client.get(url).status_code == 404, (persona, url)
    client.force_login(people.desa_a)
    assert client.get(urls[4]).status_code == 404
    client.force_login(people.outsider)  # another pemda: its own (empty) overview, nothing of Kabupaten A
    assert cohort.program.nama not in client.get(urls[4]).content.decode()


def test_the_pdf_for_bpkad_has_the_total_in_words(client, people, cohort):
    from lindung.billing import bill
    from lindung.domain.periods import Month

    context = bill.bill_context(cohort.program, Month(2025, 11))
    assert context["total"] == "Rp50.400" and len(context["rows"]) == 3
    assert context["total_kata"] == "Lima puluh ribu empat ratus rupiah"
    client.force_login(people.admin_a)
    url = reverse("bill_download", args=[cohort.program.slug, "2025-11", "pdf"])
    assert "Kata sandi berkas" in client.get(url).content.decode()  # full NIKs: a password first
    response = client.post(url, PASSWORD_POST)
    assert response.status_code == 200 and "Lima puluh ribu" in decrypted_pdf(response.content).pages[0].extract_text()
    assert AuditEntry.objects.filter(user=people.admin_a, action="export_nik", rows=3).exists()


def test_a_month_outside_the_window_is_404(client, people, cohort):
    client.force_login(people.admin_a)
    assert client.get(reverse("bill", args=[cohort.program.slug]), {"bulan": "2026-01"}).status_code == 404
    assert client.get(reverse("bill", args=[cohort.program.slug]), {"bulan": "bukan"}).status_code == 404


def test_the_programme_page_shows_money_from_the_ledger_but_not_to_a_desa_operator(client, people, cohort):
    client.force_login(people.bpkad_a)
    page = client.get(reverse("program_detail", args=[cohort.program.slug])).content.decode()
    assert 'id="money"' in page and "Rp100.800" in page and reverse("bill", args=[cohort.program.slug]) in page
    client.force_login(people.desa_a)
    page = client.get(reverse("program_detail", args=[cohort.program.slug])).content.decode()
    assert 'id="money"' not in page and reverse("bill", args=[cohort.program.slug]) not in page


def test_releasing_a_registered_person_needs_the_exit_date(client, people, cohort):
    from lindung.enrolment.models import Enrolment

    seat = Enrolment.objects.get(candidate__nama="Peserta 1")
    url = reverse("enrolment_release", args=[cohort.program.slug, seat.pk])
    client.force_login(people.admin_a)
    page = client.post(url, {"alasan": "meninggal"}, follow=True).content.decode()
    assert "isi tanggal meninggal" in page
    seat.refresh_from_db()
    assert seat.state == Enrolment.State.SEATED
    client.post(url, {"alasan": "meninggal", "tanggal": "2025-11-10"})
    seat.refresh_from_db()
    assert seat.akhir.isoformat() == "2025-11-10" and seat.alasan_keluar == "meninggal"
    assert PersonMonth.objects.get(enrolment=seat, bulan="2025-12-01").state == PersonMonth.State.BATAL
