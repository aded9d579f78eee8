from types import SimpleNamespace

import pytest

from lindung.billing.ledger import sync_ledger
from lindung.billing.models import PersonMonth
from lindung.billing.tests.conftest import register_all
from lindung.domain.periods import Month
from lindung.enrolment.tests.test_cohort import three_seat_cohort

NOV = Month(2025, 11)


def tagihan_csv(lines) -> bytes:
    """A bill in the columns `lindung tagihan --csv` writes."""
    return ("\n".join(["NIK,KPJ,Nama,Bulan,Iuran", *lines]) + "\n").encode()


@pytest.fixture
def november(people):
    """Kabupaten A: three people registered by BPJS for November–December 2025, November's ledger written."""
    cohort = three_seat_cohort(people, 3)
    program = cohort.program
    register_all(cohort, people.admin_a)
    sync_ledger(program, through=NOV)
    months = list(PersonMonth.objects.filter(program=program, bulan=NOV.first_day).order_by("id"))
    assert len(months) == 3
    return SimpleNamespace(program=program, months=months, people=people)


def bill_for(november, *, changes=()) -> bytes:
    """BPJS's bill agreeing with the roster, then `changes`: csv lines appended."""
    lines = [f"{pm.nik},{pm.kpj},{pm.candidate.nama},2025-11,{pm.iuran}" for pm in november.months]
    return tagihan_csv([*lines, *changes])
