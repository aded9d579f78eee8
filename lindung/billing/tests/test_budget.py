"""APBD-P up and down, and budget realisation."""

import io
from datetime import date

import pytest

from lindung.billing import budget, ledger
from lindung.billing.models import PaguChange
from lindung.billing.tests.conftest import register_all
from lindung.domain.periods import Month
from lindung.enrolment import services
from lindung.enrolment.models import Enrolment, Priority
from lindung.enrolment.tests.test_cohort import rows, verified
from lindung.test import KAB_A, make_program

YEAR = 12 * 16_800


@pytest.fixture
def year_cohort(people):
    """2025, twelve months; a pagu for three seats; six verified, three waiting; the three registered."""
    program = make_program("setahun", KAB_A, mulai=date(2025, 1, 1), selesai=date(2025, 12, 31), pagu=3 * YEAR)
    verified(program, people.operator_a, rows(6))
    cohort = services.form_cohort(program=program, user=people.admin_a, prioritas=Priority.LIST_ORDER)
    register_all(cohort, people.admin_a)
    return cohort


def test_an_apbd_p_increase_seats_the_waiting_list_from_its_month(people, year_cohort):
    program = year_cohort.program
    change = budget.change_pagu(program, user=people.admin_a, jenis=PaguChange.Jenis.PERUBAHAN,
                                pagu=3 * YEAR + 2 * 3 * 16_800 + 16_799, tanggal=date(2025, 9, 15),
                                nomor_dokumen="Perda 5/2025 tentang APBD-P")
    assert change.kursi_tambahan == 2 and change.berlaku == date(2025, 10, 1)
    added = Enrolment.objects.filter(candidate__nama__in=["Peserta 4", "Peserta 5"])
    assert all(e.state == Enrolment.State.SEATED and e.mulai == date(2025, 10, 1) for e in added)
    assert Enrolment.objects.get(candidate__nama="Peserta 6").state == Enrolment.State.WAITING
    year_cohort.refresh_from_db()
    assert year_cohort.kursi == 5 and year_cohort.iuran_penetapan == 3 * YEAR + 2 * 3 * 16_800
    history = list(program.pagu_changes.values_list("jenis", "pagu", "kursi_tambahan"))
    assert history == [("murni", 3 * YEAR, 0), ("perubahan", 3 * YEAR + 100_800 + 16_799, 2)]
    # Billed from October only, once BPJS registers them.
    register_all(year_cohort, people.admin_a)
    assert ledger.month_total(program, Month(2025, 9)) == 3 * 16_800
    assert ledger.month_total(program, Month(2025, 10)) == 5 * 16_800
    r = budget.realisation(program)
    assert (r.ditagih, r.terikat, r.sisa) == (3 * YEAR + 100_800, 0, 16_799)
    assert [m.orang for m in r.months][8:10] == [3, 5] and r.months[-1].kumulatif == 3 * YEAR + 100_800


def test_a_cut_below_what_is_committed_is_refused_and_changes_nothing(people, year_cohort):
    program = year_cohort.program
    with pytest.raises(budget.BudgetError, match="tidak mengeluarkan peserta yang sudah dilindungi"):
        budget.change_pagu(program, user=people.admin_a, jenis=PaguChange.Jenis.PERUBAHAN, pagu=3 * YEAR - 1,
                           tanggal=date(2025, 9, 15))
    program.refresh_from_db()
    assert program.pagu == 3 * YEAR and not PaguChange.objects.exists()
    assert year_cohort.seated.count() == 3


def test_a_cut_down_to_what_is_committed_keeps_every_seat(people, year_cohort):
    program = year_cohort.program
    budget.change_pagu(program, user=people.admin_a, jenis=PaguChange.Jenis.PERUBAHAN, pagu=3 * YEAR + 49_000,
                       tanggal=date(2025, 9, 15))  # not enough for one more seat Oct-Dec
    budget.change_pagu(program, user=people.admin_a, jenis=PaguChange.Jenis.PERGESERAN, pagu=3 * YEAR,
                       tanggal=date(2025, 10, 20))
    year_cohort.refresh_from_db()
    assert year_cohort.kursi == 3 and year_cohort.seated.count() == 3
    assert list(program.pagu_changes.values_list("selisih", flat=True)) == [3 * YEAR, 49_000, -49_000]


def test_the_realisation_pages_and_xlsx(client, people, year_cohort):
    from django.urls import reverse

    from python_calamine import CalamineWorkbook

    client.force_login(people.bpkad_a)
    page = client.get(reverse("realisation", args=["setahun"])).content.decode()
    assert "Rp604.800" in page and "Simpan perubahan pagu" not in page
    assert client.post(reverse("pagu_change", args=["setahun"]), {}).status_code == 403
    overview = client.get(reverse("realisation_overview")).content.decode()
    assert "APBD" in overview and "Rp604.800" in overview
    assert " 2025</h2>" in overview and "2.025" not in overview  # a year, not a number with a thousands dot
    book = CalamineWorkbook.from_filelike(io.BytesIO(client.get(reverse("realisation_download")).content))
    sheet = book.get_sheet_by_name("Realisasi").to_python()
    assert ["Program setahun", 3 * YEAR] in [row[2:4] for row in sheet]
    client.force_login(people.admin_a)
    response = client.post(reverse("pagu_change", args=["setahun"]), {
        "jenis": "perubahan", "pagu": 3 * YEAR - 1, "nomor_dokumen": "Perda 5/2025", "tanggal": "2025-09-15"}, follow=True)
    assert "pagu paling rendah Rp604.800" in response.content.decode()
    # Typed the way the Excel-trained operator writes money: dots between thousands.
    response = client.post(reverse("pagu_change", args=["setahun"]), {
        "jenis": "perubahan", "pagu": f"Rp {3 * YEAR + 16_800:_}".replace("_", "."), "nomor_dokumen": "Perda 6/2025",
        "tanggal": "2025-09-20"}, follow=True)
    assert "Masukkan" not in response.content.decode()
    assert PaguChange.objects.filter(nomor_dokumen="Perda 6/2025", pagu=3 * YEAR + 16_800).exists()


def test_the_sk_counts_an_apbd_p_seat_from_its_own_month(people, year_cohort):
    from lindung.enrolment import papers

    budget.change_pagu(year_cohort.program, user=people.admin_a, jenis=PaguChange.Jenis.PERUBAHAN,
                       pagu=3 * YEAR + 3 * 16_800, tanggal=date(2025, 9, 15))
    year_cohort.refresh_from_db()
    data = papers.sk_data(year_cohort)
    assert len(data.peserta) == 4 and data.total_iuran == 3 * YEAR + 3 * 16_800


def _waiting_cohort(people, slug: str, first: int = 1):
    """2025, a pagu for three seats, twelve verified (Peserta `first`…): nine waiting; the three seated
    registered."""
    program = make_program(slug, KAB_A, mulai=date(2025, 1, 1), selesai=date(2025, 12, 31), pagu=3 * YEAR)
    verified(program, people.operator_a, rows(12, start_serial=first))
    cohort = services.form_cohort(program=program, user=people.admin_a, prioritas=Priority.LIST_ORDER)
    register_all(cohort, people.admin_a)
    return cohort


def _apbd_p(people, program, seats: int) -> PaguChange:
    return budget.change_pagu(program, user=people.admin_a, jenis=PaguChange.Jenis.PERUBAHAN,
                              pagu=3 * YEAR + seats * 3 * 16_800, tanggal=date(2025, 9, 15))


def test_an_apbd_p_seats_the_waiting_list_with_queries_that_do_not_grow_with_it(people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    cohorts = {2: _waiting_cohort(people, "dua"), 8: _waiting_cohort(people, "delapan", 101)}  # no one in both
    for seats, cohort in cohorts.items():
        with CaptureQueriesContext(connection) as queries:
            assert _apbd_p(people, cohort.program, seats).kursi_tambahan == seats
        counts[seats] = len(queries)
        seated = cohort.enrolments.filter(state=Enrolment.State.SEATED, mulai=date(2025, 10, 1))
        assert sorted(seated.values_list("urutan", flat=True)) == list(range(4, 4 + seats))  # priority order
    assert counts[2] == counts[8]  # set-based: the old loop made a few queries per person seated


def test_an_apbd_p_reads_the_waiting_list_page_by_page_and_skips_who_may_not_sit(people, monkeypatch):
    from lindung.imports.models import Candidate, CandidateStatus

    monkeypatch.setattr(services, "REFILL_PAGE", 2)  # five pages for nine waiting
    cohort = _waiting_cohort(people, "halaman")
    Candidate.objects.filter(nama="Peserta 5").update(status=CandidateStatus.DUPLIKAT)  # set aside meanwhile
    Candidate.objects.filter(nama="Peserta 7").update(bpjs_kpj="21099999999")  # already a BPJS participant
    assert _apbd_p(people, cohort.program, 5).kursi_tambahan == 5
    seated = cohort.enrolments.filter(state=Enrolment.State.SEATED, mulai=date(2025, 10, 1))
    assert sorted(seated.values_list("urutan", flat=True)) == [4, 6, 8, 9, 10]
    assert cohort.enrolments.get(candidate__nama="Peserta 5").state == Enrolment.State.WAITING
    assert cohort.enrolments.get(candidate__nama="Peserta 11").state == Enrolment.State.WAITING


def test_a_refused_pagu_change_names_the_field(client, people, year_cohort):
    from django.urls import reverse

    client.force_login(people.admin_a)
    response = client.post(reverse("pagu_change", args=["setahun"]), {
        "jenis": "perubahan", "pagu": 3 * YEAR + 16_800, "nomor_dokumen": "Perda 7/2025", "tanggal": "kemarin"}, follow=True)
    assert "Isian perubahan pagu tidak valid: Tanggal" in response.content.decode()
    assert not PaguChange.objects.filter(nomor_dokumen="Perda 7/2025").exists()
