from datetime import date

import pytest

from lindung.enrolment.tests.test_cohort import three_seat_cohort


@pytest.fixture
def cohort(people):
    """Kabupaten A's programme: four verified, a pagu for three seats over two months, list order."""
    made = three_seat_cohort(people, 4)
    made.nomor_sk, made.tanggal_sk, made.penandatangan_nama = "560/1/DISNAKER/2025", date(2025, 10, 20), "Budi Santoso"
    made.save()
    return made
