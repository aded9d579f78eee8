"""Turning 66 during coverage: both settings of the programme, the exit dated with its ledger effect."""

import io
import json
from datetime import date

from django.core.management import call_command
from django.urls import reverse

from lindung.billing.models import PersonMonth
from lindung.protection import ageout
from lindung.protection.tests.conftest import make_year_cohort, pay
from lindung.domain.periods import Month
from lindung.enrolment.models import Enrolment
from lindung.imports.models import Candidate, CandidateStatus, StatusChange


def paid_year(people, **kwargs):
    cohort = make_year_cohort(people, **kwargs)
    pay(cohort.program, months=[Month(2025, m) for m in range(1, 13)])  # no arrears in the way
    return cohort


def siklus(day: str) -> dict:
    out = io.StringIO()
    call_command("siklus", "--tanggal", day, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_by_default_coverage_runs_to_the_window_end(people):
    cohort = paid_year(people, first_born=1959)  # Peserta 1 turns 66 on 15 May 2025
    assert siklus("2025-06-01")["usia"] == 0
    assert Candidate.objects.get(nama="Peserta 1").status == CandidateStatus.AKTIF
    assert PersonMonth.objects.filter(candidate__nama="Peserta 1", state=PersonMonth.State.DIBAYAR).count() == 12
    assert [c.nama for c, _ in ageout.turning_soon(cohort.program, today=date(2025, 3, 1))] == ["Peserta 1"]


def test_ending_in_the_birthday_month_bills_through_it_and_refills_the_seat(people):
    cohort = paid_year(people, first_born=1959, waiting=1)
    program = cohort.program
    program.akhir_usia = "bulan_ulang_tahun"
    program.save()
    assert siklus("2025-05-14")["usia"] == 0  # the day before the birthday
    assert siklus("2025-05-15")["usia"] == 1
    assert siklus("2025-05-16")["usia"] == 0  # once
    first = Enrolment.objects.get(candidate__nama="Peserta 1")
    assert first.state == Enrolment.State.OUT and first.akhir == date(2025, 5, 15) and first.alasan_keluar == "usia"
    covered = PersonMonth.objects.filter(candidate__nama="Peserta 1", state=PersonMonth.State.DIBAYAR)
    assert covered.count() == 5  # January–May; June on, paid ahead, is to settle with BPJS
    assert PersonMonth.objects.filter(candidate__nama="Peserta 1", state=PersonMonth.State.DIPERHITUNGKAN).count() == 7
    assert Enrolment.objects.get(candidate__nama="Peserta 4").mulai == date(2025, 6, 1)  # the replacement
    change = StatusChange.objects.get(candidate__nama="Peserta 1", new="keluar")
    assert "66 tahun pada 15-05-2025" in change.reason


def test_the_turning_old_page_is_scoped(client, people):
    cohort = make_year_cohort(people, first_born=1959)
    client.force_login(people.admin_a)
    page = client.get(reverse("turning_old", args=[cohort.program.slug])).content.decode()
    assert "Tetap dilindungi sampai akhir masa program" in page
    assert "(R8)" not in page  # a requirement's number means nothing to the operator
    client.force_login(people.outsider)
    assert client.get(reverse("turning_old", args=[cohort.program.slug])).status_code == 404
