import pytest

from lindung.enrolment import bpjs
from lindung.enrolment.tests.test_cohort import three_seat_cohort


def csv_answer(lines: list[str]) -> bytes:
    return ("\n".join(["NIK;Status;No. KPJ;Keterangan", *lines]) + "\n").encode()


def register_all(cohort, user) -> None:
    """Submit the seated to BPJS and apply an answer registering every one of them (KPJ 2101000000n)."""
    people = [e.candidate.nik for e in bpjs.submit(cohort, user=user)]
    answer = csv_answer([f"{nik};Terdaftar;{21010000000 + i};" for i, nik in enumerate(people, 1)])
    assert bpjs.apply_response(cohort, answer, "jawaban.csv", user=user).ok


@pytest.fixture
def cohort(people):
    """Kabupaten A, November–December 2025: four verified, a pagu for three seats, list order, three registered."""
    made = three_seat_cohort(people, 4)
    register_all(made, people.admin_a)
    return made
