"""The person-month ledger: months written once, at each month's rule; exits and replacements (R16)."""

from dataclasses import replace
from datetime import date

import pytest
from django.db import IntegrityError, transaction

from lindung.billing import ledger
from lindung.billing.models import PersonMonth
from lindung.domain import rates
from lindung.domain.periods import Month
from lindung.enrolment import services
from lindung.enrolment.models import Enrolment
from lindung.imports.models import Candidate

NOV, DEC = Month(2025, 11), Month(2025, 12)


def seat(n: int) -> Enrolment:
    return Enrolment.objects.get(candidate__nama=f"Peserta {n}")


def test_it_bills_each_registered_person_once_per_month(cohort):
    program = cohort.program
    # The answer was applied on a day after December 2025: both months are written.
    assert ledger.month_total(program, NOV) == 3 * 16_800
    assert ledger.month_total(program, DEC) == 3 * 16_800
    assert ledger.sync_ledger(program, through=DEC) == 0  # idempotent
    line = ledger.bill_lines(program, NOV).get(candidate__nama="Peserta 1")
    assert line.kpj == "21010000001" and line.iuran == 16_800 and line.bulan == date(2025, 11, 1)
    assert "PP 44/2015 jo. PP 82/2019 dan PP 49/2023" in line.aturan
    summary = ledger.bill_summary(program, NOV)
    assert (summary.orang, summary.total) == (3, 50_400)
    state = services.program_state(program)
    assert state["iuran_total"] == 100_800 and state["ditagih"] == 100_800 and state["dibayar"] == 0


def test_a_death_mid_month_stops_billing_from_the_next_month(cohort):
    program = cohort.program
    promoted = services.release(seat(1), user=None, reason="Meninggal dunia 10-11-2025", akhir=date(2025, 11, 10),
                                kode="meninggal")
    assert ledger.month_total(program, NOV) == 3 * 16_800  # covered through the month of death
    assert ledger.month_total(program, DEC) == 2 * 16_800
    voided = PersonMonth.objects.get(enrolment=seat(1), bulan=DEC.first_day)
    assert voided.state == PersonMonth.State.BATAL and "10-11-2025" in voided.ended_reason
    # The freed December is bought for the first on the waiting list, from December only.
    assert [e.candidate.nama for e in promoted] == ["Peserta 4"]
    assert seat(4).mulai == DEC.first_day
    assert services.program_state(program)["iuran_total"] == 100_800  # the SK's figure stays


def test_a_paid_month_after_death_is_listed_to_settle(cohort):
    program = cohort.program
    PersonMonth.objects.filter(program=program).update(state=PersonMonth.State.DIBAYAR, paid_amount=16_800)
    services.release(seat(2), user=None, reason="Meninggal dunia 10-11-2025", akhir=date(2025, 11, 10), kode="meninggal")
    settle = list(ledger.to_settle(program))
    assert [(p.candidate.nama, p.bulan) for p in settle] == [("Peserta 2", DEC.first_day)]
    assert ledger.program_totals(program) == {"ditagih": 5 * 16_800, "dibayar": 6 * 16_800}


def test_a_replacement_is_billed_only_for_its_own_months(cohort):
    program = cohort.program
    services.release(seat(3), user=None, reason="Pindah domisili", akhir=date(2025, 11, 30), kode="pindah")
    replacement = seat(4)
    assert replacement.state == Enrolment.State.SEATED and replacement.mulai == DEC.first_day
    from lindung.billing.tests.conftest import csv_answer
    from lindung.enrolment import bpjs

    bpjs.submit(cohort, user=None)
    assert bpjs.apply_response(cohort, csv_answer([f"{replacement.candidate.nik};Terdaftar;21019999999;"]),
                               "j.csv", user=None).ok
    months = list(PersonMonth.objects.filter(enrolment=replacement).values_list("bulan", "iuran"))
    assert months == [(DEC.first_day, 16_800)]
    assert ledger.month_total(program, DEC) == 3 * 16_800 and ledger.month_total(program, NOV) == 3 * 16_800


def test_no_replacement_when_no_month_is_left(cohort):
    promoted = services.release(seat(1), user=None, reason="Meninggal", akhir=date(2025, 12, 3), kode="meninggal")
    assert promoted == [] and seat(4).state == Enrolment.State.WAITING


def test_the_rate_of_each_month_is_the_rule_in_force_that_month(cohort):
    """A fake table: JKM rises to Rp7.000 from December 2025; November keeps the old rule."""
    program = cohort.program
    PersonMonth.objects.all().delete()
    old_jkm = next(r for r in rates.RULES if r.component == rates.JKM)
    table = tuple(r for r in rates.RULES if r is not old_jkm) + (
        replace(old_jkm, valid_to=NOV), replace(old_jkm, valid_from=DEC, amount=7_000, regulation="PP 99/2025 (uji)"))
    assert ledger.sync_ledger(program, through=DEC, rules=table) == 6
    assert ledger.month_total(program, NOV) == 3 * 16_800
    assert ledger.month_total(program, DEC) == 3 * 17_000
    assert "PP 99/2025 (uji)" in ledger.bill_summary(program, DEC).aturan
    assert "PP 99/2025 (uji)" not in ledger.bill_summary(program, NOV).aturan


def test_the_database_refuses_a_person_month_billed_twice(cohort, people):
    line = PersonMonth.objects.filter(bulan=NOV.first_day).first()
    other = Candidate.objects.exclude(pk=line.candidate_id).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        PersonMonth.objects.create(program=people.program_b, enrolment=seat(4), candidate=other, nik=line.nik,
                                   bulan=NOV.first_day, iuran=16_800)
    # A voided row does not count: the month may be billed again.
    PersonMonth.objects.filter(pk=line.pk).update(state=PersonMonth.State.BATAL)
    PersonMonth.objects.create(program=people.program_b, enrolment=seat(4), candidate=other, nik=line.nik,
                               bulan=NOV.first_day, iuran=16_800)
