from types import SimpleNamespace

import pytest

from lindung.billing.ledger import sync_ledger
from lindung.billing.models import PersonMonth
from lindung.billing.tests.conftest import register_all
from lindung.domain.periods import Month
from lindung.enrolment import services
from lindung.enrolment.models import Priority
from lindung.enrolment.tests.test_cohort import rows, verified

NOV = Month(2025, 11)


def tagihan_csv(lines) -> bytes:
    """A bill in the columns `lindung tagihan --csv` writes."""
    return ("\n".join(["NIK,KPJ,Nama,Bulan,Iuran", *lines]) + "\n").encode()


@pytest.fixture
def november(people):
    """Kabupaten A: three people registered by BPJS for November–December 2025, November's ledger written."""
    program = people.program_a
    program.pagu = 3 * 2 * 16_800
    program.save()
    verified(program, people.operator_a, rows(3))
    cohort = services.form_cohort(program=program, user=people.admin_a, prioritas=Priority.LIST_ORDER)
    register_all(cohort, people.admin_a)
    sync_ledger(program, through=NOV)
    months = list(PersonMonth.objects.filter(program=program, bulan=NOV.first_day).order_by("id"))
    assert len(months) == 3
    return SimpleNamespace(program=program, months=months, people=people)


def bill_for(november, *, changes=()) -> bytes:
    """BPJS's bill agreeing with the roster, then `changes`: csv lines appended."""
    lines = [f"{pm.nik},{pm.kpj},{pm.candidate.nama},2025-11,{pm.iuran}" for pm in november.months]
    return tagihan_csv([*lines, *changes])
