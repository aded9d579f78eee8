from datetime import date

import pytest

from lindung.enrolment import services
from lindung.enrolment.models import Priority
from lindung.enrolment.tests.test_cohort import rows, verified


@pytest.fixture
def cohort(people):
    """Kabupaten A's programme: four verified, a pagu for three seats over two months, list order."""
    program = people.program_a
    program.pagu = 3 * 2 * 16_800
    program.save()
    verified(program, people.operator_a, rows(4))
    made = services.form_cohort(program=program, user=people.admin_a, prioritas=Priority.LIST_ORDER)
    made.nomor_sk, made.tanggal_sk, made.penandatangan_nama = "560/1/DISNAKER/2025", date(2025, 10, 20), "Budi Santoso"
    made.save()
    return made
