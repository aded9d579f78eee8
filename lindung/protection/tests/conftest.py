from datetime import date

import pytest

from lindung.billing.models import PersonMonth
from lindung.billing.tests.conftest import register_all
from lindung.enrolment import services
from lindung.enrolment.models import Priority
from lindung.enrolment.tests.test_cohort import rows, verified


@pytest.fixture
def year_cohort(people):
    """Kabupaten A, a whole year (January–December 2025): three people registered, aktif, every month billed."""
    return make_year_cohort(people)


def make_year_cohort(people, *, first_born: int = 1980, waiting: int = 0):
    """Peserta 1 born 15 May `first_born`, the next a year later each; `waiting` more verified than seats."""
    program = people.program_a
    program.mulai, program.selesai, program.pagu = date(2025, 1, 1), date(2025, 12, 31), 3 * 12 * 16_800
    program.save()
    verified(program, people.operator_a, rows(3 + waiting, year=first_born))
    cohort = services.form_cohort(program=program, user=people.admin_a, prioritas=Priority.LIST_ORDER)
    register_all(cohort, people.admin_a)
    services.advance_lifecycle(today=date(2025, 1, 1))
    assert PersonMonth.objects.filter(program=program).count() == 36
    return cohort


def pay(program, *, months, names=None) -> None:
    """Mark months paid in full, as the BPKAD payment would (reconciliation.allocate does this in production)."""
    rows = PersonMonth.objects.filter(program=program, bulan__in=[m.first_day for m in months])
    if names is not None:
        rows = rows.filter(candidate__nama__in=names)
    for row in rows:
        row.state, row.paid_amount = PersonMonth.State.DIBAYAR, row.iuran
        row.save(update_fields=["state", "paid_amount"])
