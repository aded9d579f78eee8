"""Masa iur per person from the ledger, across programmes and years (R13); the lists, page and download."""

from datetime import date

import pytest
from django.urls import reverse

from lindung.billing.tests.conftest import register_all
from lindung.protection import contributions
from lindung.protection.models import MasaIurRule
from lindung.protection.tests.conftest import pay
from lindung.domain.periods import Month
from lindung.enrolment import services
from lindung.enrolment.models import Priority
from lindung.enrolment.tests.test_cohort import rows, verified
from lindung.imports.models import Candidate
from lindung.test import KAB_A, make_program

TODAY = date(2026, 5, 20)


@pytest.fixture
def two_years(year_cohort, people):
    """2025 paid April–December for Peserta 1 and 2 (Peserta 3 only December); a 2026 programme from April."""
    pay(year_cohort.program, months=[Month(2025, m) for m in range(4, 13)], names=["Peserta 1", "Peserta 2"])
    pay(year_cohort.program, months=[Month(2025, 12)], names=["Peserta 3"])
    program = make_program("prog-a-2026", KAB_A, mulai=date(2026, 4, 1), selesai=date(2026, 12, 31),
                           pagu=3 * 9 * 16_800)
    verified(program, people.operator_a, rows(3))
    cohort = services.form_cohort(program=program, user=people.admin_a, prioritas=Priority.LIST_ORDER)
    register_all(cohort, people.admin_a)
    pay(program, months=[Month(2026, 4)])
    return program


def test_it_counts_across_programmes_with_the_new_year_gap(two_years):
    nik = Candidate.objects.filter(nama="Peserta 1").first().nik
    masa = contributions.person(nik, today=TODAY)
    assert (masa.total, masa.berjalan, masa.dihitung) == (10, 1, 1)
    assert masa.jeda == ((Month(2026, 1), Month(2026, 3)),)  # the months between the two windows


def test_the_lists_of_the_programme(two_years):
    rows = contributions.program_rows(two_years, today=TODAY)
    assert [r.candidate.nama for r in contributions.under_three(rows)] == ["Peserta 1", "Peserta 2", "Peserta 3"]
    dates = {r.candidate.nama: r.beasiswa for r in contributions.beasiswa_dates(rows)}
    assert dates["Peserta 1"] == Month(2029, 3)  # April 2026 + 35 months


def test_a_rule_that_does_not_reset_counts_the_months_from_its_date(two_years):
    MasaIurRule.objects.create(berlaku=date(2026, 1, 1), jeda_memutus=False, dasar="Surat BPJS Cabang 12/2026")
    rows = contributions.program_rows(two_years, today=TODAY)
    assert [r.candidate.nama for r in contributions.under_three(rows)] == ["Peserta 3"]  # 2 months: Dec + Apr


def test_the_page_states_the_rule_and_masks_for_a_masked_role(client, people, two_years):
    client.force_login(people.admin_a)
    page = client.get(reverse("masa_iur", args=[two_years.slug])).content.decode()
    assert "memutus masa iur" in page and "Belum ada ketentuan tertulis" in page and "domain.md" not in page and "Rp10.000.000" in page
    nik = Candidate.objects.filter(nama="Peserta 1").first().nik
    assert nik in page
    client.force_login(people.bpkad_a)
    page = client.get(reverse("masa_iur", args=[two_years.slug])).content.decode()
    assert "Peserta 1" in page and nik not in page


def test_the_download_is_masked_for_a_masked_role_and_protected_for_full(client, people, two_years):
    from lindung.imports.reader import read_table

    url = reverse("masa_iur_download", args=[two_years.slug, "kurang-3-bulan"])
    client.force_login(people.bpkad_a)
    table = read_table(client.get(url).content, "t.xlsx")
    text = str(table.rows)
    assert "Peserta 3" in text and Candidate.objects.filter(nama="Peserta 3").first().nik not in text
    client.force_login(people.admin_a)
    assert "sandi" in client.get(url).content.decode()  # asks for the file's password first
    assert client.get(reverse("masa_iur_download", args=[two_years.slug, "lain"])).status_code == 404


def test_outsiders_get_404_and_the_person_page_shows_masa_iur(client, people, two_years):
    client.force_login(people.outsider)
    assert client.get(reverse("masa_iur", args=[two_years.slug])).status_code == 404
    client.force_login(people.admin_a)
    candidate = Candidate.objects.get(program=two_years, nama="Peserta 1")
    page = client.get(reverse("candidate_detail", args=[candidate.pk])).content.decode()
    assert 'id="masa-iur"' in page and "Jeda tanpa iuran: Januari 2026 – Maret 2026" in page


def test_the_page_is_paged_keeps_the_list_in_its_links_and_counts_the_whole_programme(client, people, two_years,
                                                                                     monkeypatch):
    from lindung.imports.reader import read_table
    from lindung.protection import views

    monkeypatch.setattr(views, "MASA_IUR_PER_PAGE", 2)  # the page size, so three people make two pages
    client.force_login(people.bpkad_a)
    url = reverse("masa_iur", args=[two_years.slug])
    first = client.get(url).content.decode()
    assert "Peserta 1" in first and "Peserta 2" in first and "Peserta 3" not in first
    assert "(3 orang)" in first and "halaman 1 dari 2" in first and "hal=2" in first
    second = client.get(url, {"hal": "2"}).content.decode()
    assert "Peserta 3" in second and "Peserta 1" not in second and "(3 orang)" in second
    beasiswa = client.get(url, {"daftar": "beasiswa"}).content.decode()
    assert 'id="beasiswa"' in beasiswa and 'id="kurang-3"' not in beasiswa and "daftar=beasiswa&amp;hal=2" in beasiswa
    table = read_table(client.get(reverse("masa_iur_download", args=[two_years.slug, "kurang-3-bulan"])).content, "t.xlsx")
    assert all(f"Peserta {n}" in str(table.rows) for n in (1, 2, 3))  # the download stays whole
