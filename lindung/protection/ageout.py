"""Participants who turn the programme's upper age bound + 1 (66 for 18–65) during coverage.

The list of who turns it in the next 3 months is shown for every programme; the exit itself happens only
where the programme says coverage ends in the birthday month (`Program.akhir_usia`), by `lindung siklus`
on or after the birthday, through `enrolment.services.release` (dated: billed through the birthday month,
the seat offered to the waiting list from the next month).
"""

from __future__ import annotations

from datetime import date

from lindung.domain import ageout
from lindung.enrolment.models import Cohort
from lindung.enrolment.services import PROTECTED_STATUSES, release
from lindung.imports.models import Candidate

KODE = "usia"


def turning_soon(program, *, today: date, months: int = 3, candidates=None) -> list[tuple[Candidate, date]]:
    base = Candidate.objects.all() if candidates is None else candidates
    people = base.filter(program=program, status__in=PROTECTED_STATUSES, tanggal_lahir__isnull=False)
    found = []
    for candidate in people.select_related("desa").order_by("tanggal_lahir", "pk"):
        day = ageout.turns_within(candidate.tanggal_lahir, program.usia_max, today=today, months=months)
        if day is not None:
            found.append((candidate, day))
    return sorted(found, key=lambda pair: (pair[1], pair[0].nama))


def end_aged_out(*, today: date, user=None) -> int:
    """Idempotent: only seated people are looked at, and the exit takes them out of the seats."""
    ended = 0
    cohorts = Cohort.objects.filter(program__akhir_usia=ageout.BIRTHDAY_MONTH, mulai__lte=today).select_related("program")
    for cohort in cohorts:
        program = cohort.program
        seated = (cohort.seated.filter(candidate__status__in=PROTECTED_STATUSES, candidate__tanggal_lahir__isnull=False)
                  .select_related("candidate", "cohort").order_by("urutan"))
        for enrolment in seated:
            day = ageout.coverage_end(enrolment.candidate.tanggal_lahir, program.usia_max, cohort.window.end,
                                      ageout.BIRTHDAY_MONTH)
            if day is None or day > today:
                continue
            release(enrolment, user=user, akhir=day, kode=KODE,
                    reason=f"Berusia {program.usia_max + 1} tahun pada {day:%d-%m-%Y}: perlindungan berakhir "
                           "pada bulan ulang tahun (pengaturan program)")
            ended += 1
    return ended


__all__ = ["KODE", "end_aged_out", "turning_soon"]
