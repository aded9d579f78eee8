"""R12 by date: aktif → tertunggak → (aktif again | berakhir after > 3 unpaid months), keluar with its reason."""

import io
import json
from datetime import date

from django.core.management import call_command

from lindung.protection.lifecycle import advance_arrears
from lindung.protection.tests.conftest import pay
from lindung.domain.periods import Month
from lindung.enrolment import services
from lindung.imports.models import Candidate, CandidateStatus, StatusChange

JAN, FEB, MAR, APR, MAY, JUN = (Month(2025, m) for m in range(1, 7))


def status(name: str) -> str:
    return Candidate.objects.get(nama=name).status


def test_it_marks_tertunggak_only_after_the_due_date(year_cohort):
    program = year_cohort.program
    pay(program, months=[JAN])
    pay(program, months=[FEB], names=["Peserta 1", "Peserta 2"])
    # February's iuran falls due on 15 March: on that day nobody is late yet.
    assert advance_arrears(today=date(2025, 3, 15)) == {"tertunggak": 0, "pulih": 0, "berakhir": 0}
    assert advance_arrears(today=date(2025, 3, 16)) == {"tertunggak": 1, "pulih": 0, "berakhir": 0}
    assert status("Peserta 3") == CandidateStatus.TERTUNGGAK and status("Peserta 1") == CandidateStatus.AKTIF
    assert advance_arrears(today=date(2025, 3, 16)) == {"tertunggak": 0, "pulih": 0, "berakhir": 0}  # idempotent
    change = StatusChange.objects.get(candidate__nama="Peserta 3", new="tertunggak")
    assert change.old == "aktif" and "jatuh tempo" in change.reason


def test_paying_the_arrears_makes_the_person_aktif_again(year_cohort):
    program = year_cohort.program
    pay(program, months=[JAN])
    advance_arrears(today=date(2025, 3, 16))
    assert {status(f"Peserta {n}") for n in (1, 2, 3)} == {CandidateStatus.TERTUNGGAK}
    pay(program, months=[FEB])
    assert advance_arrears(today=date(2025, 3, 20)) == {"tertunggak": 0, "pulih": 3, "berakhir": 0}
    assert StatusChange.objects.filter(old="tertunggak", new="aktif").count() == 3


def test_more_than_three_consecutive_unpaid_months_ends_the_coverage(year_cohort):
    program = year_cohort.program
    pay(program, months=[JAN])
    pay(program, months=[FEB, MAR, APR, MAY, JUN], names=["Peserta 2", "Peserta 3"])
    # Three months unpaid (Feb–Apr, April due 15 May): still tertunggak.
    assert advance_arrears(today=date(2025, 5, 16)) == {"tertunggak": 1, "pulih": 0, "berakhir": 0}
    # The fourth (May, due 15 June): more than three in a row -> berakhir.
    assert advance_arrears(today=date(2025, 6, 16)) == {"tertunggak": 0, "pulih": 0, "berakhir": 1}
    assert status("Peserta 1") == CandidateStatus.BERAKHIR and status("Peserta 2") == CandidateStatus.AKTIF
    assert advance_arrears(today=date(2025, 7, 16))["berakhir"] == 0  # once
    statuses = list(StatusChange.objects.filter(candidate__nama="Peserta 1").values_list("new", flat=True))
    assert statuses[-3:] == ["aktif", "tertunggak", "berakhir"]
    assert "4 bulan berturut-turut" in StatusChange.objects.get(candidate__nama="Peserta 1", new="berakhir").reason


def test_a_paid_month_between_unpaid_ones_breaks_the_run(year_cohort):
    program = year_cohort.program
    pay(program, months=[JAN, APR])
    # Feb, Mar unpaid, Apr paid, May unpaid: the run ending with May is one month, not four.
    advance_arrears(today=date(2025, 6, 16))
    assert {status(f"Peserta {n}") for n in (1, 2, 3)} == {CandidateStatus.TERTUNGGAK}


def test_tertunggak_people_end_with_the_window(year_cohort):
    program = year_cohort.program
    pay(program, months=[Month(2025, m) for m in range(1, 12)])
    advance_arrears(today=date(2026, 1, 16))  # December unpaid past 15 January
    assert status("Peserta 1") == CandidateStatus.TERTUNGGAK
    assert services.advance_lifecycle(today=date(2026, 1, 17))["berakhir"] == 3
    assert status("Peserta 1") == CandidateStatus.BERAKHIR


def test_siklus_does_it_all_by_date(year_cohort):
    program = year_cohort.program
    pay(program, months=[JAN])
    out = io.StringIO()
    call_command("siklus", "--tanggal", "2025-03-16", "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert (result["tertunggak"], result["pulih"], result["berakhir"]) == (3, 0, 0)
    out = io.StringIO()
    call_command("siklus", "--tanggal", "2025-03-16", stdout=out)
    assert "0 tertunggak" in out.getvalue()  # a second run the same day moves nobody


def test_a_coded_exit_is_keluar_with_its_reason(year_cohort):
    seat = year_cohort.seated.get(candidate__nama="Peserta 2")
    services.release(seat, user=None, reason="Pindah domisili ke Batam 20-03-2025", akhir=date(2025, 3, 20),
                     kode="pindah")
    assert status("Peserta 2") == CandidateStatus.KELUAR
    change = StatusChange.objects.get(candidate__nama="Peserta 2", new="keluar")
    assert change.old == "aktif" and "Batam" in change.reason
    # Out of the programme: the arrears machine does not touch them again.
    assert advance_arrears(today=date(2025, 8, 16))["berakhir"] == 3 - 1
