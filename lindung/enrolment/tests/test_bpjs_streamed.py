"""The BPJS answer read, checked and applied in parts (lindung.enrolment.jawaban): the same outcome, the same
problems in the same words as the whole file checked at once, and no IMPORT_MAX_ROWS below the submitted count.

PART (rows per part) is set to 2 so that three or four answers span several parts."""

import pytest

from lindung.enrolment import bpjs, bpjs_files, jawaban
from lindung.enrolment.models import Enrolment
from lindung.imports.models import Candidate, CandidateStatus, StatusChange
from lindung.imports.services import read_limits


def csv_answer(lines: list[str]) -> bytes:
    return ("\n".join(["NIK;Status;No. KPJ;Keterangan", *lines]) + "\n").encode()


def nik(n: int) -> str:
    return Candidate.objects.get(nama=f"Peserta {n}").nik


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(jawaban, "PART", 2)


def test_an_answer_read_in_parts_registers_rejects_and_refills(people, cohort, small_parts):
    bpjs.submit(cohort, user=people.admin_a)
    answer = csv_answer([f"{nik(1)};Terdaftar;21012345678;", f"{nik(2)};Terdaftar;21012345679;",
                         f"{nik(3)};Ditolak;;Sudah terdaftar di wadah lain"])
    result = bpjs.apply_response(cohort, answer, "jawaban.csv", user=people.admin_a)
    assert result.ok and result.counts == (2, 1) and result.rows == ()
    kpjs = dict(Enrolment.objects.filter(cohort=cohort).exclude(kpj="").values_list("candidate__nik", "kpj"))
    assert kpjs == {nik(1): "21012345678", nik(2): "21012345679"}
    assert Candidate.objects.get(nik=nik(3)).status == CandidateStatus.DITOLAK
    assert Candidate.objects.get(nama="Peserta 4").enrolments.get().state == Enrolment.State.SEATED
    assert StatusChange.objects.filter(new="terdaftar", user=people.admin_a).count() == 2


def test_problems_across_parts_are_those_of_the_whole_file_checked_at_once(people, cohort, small_parts):
    bpjs.submit(cohort, user=people.admin_a)
    answer = csv_answer([
        f"{nik(1)};Terdaftar;21012345678;",  # row 2
        f"{nik(2)};Terdaftar;21012345679;",  # row 3
        f"{nik(1)};Terdaftar;21012345678;",  # row 4: answered twice (first in the part before)
        f"{nik(3)};Terdaftar;21012345678;",  # row 5: another person's KPJ (given in row 2)
        "9999999999999999;Terdaftar;21012345670;",  # row 6: not submitted
        f"{nik(3)};Lulus;;",  # row 7: answered twice and an unknown status
    ])
    submitted = frozenset(Candidate.objects.filter(status=CandidateStatus.DIAJUKAN).values_list("nik", flat=True))
    whole = bpjs_files.read_response(answer, "jawaban.csv", submitted_niks=submitted, limits=read_limits())
    result = bpjs.apply_response(cohort, answer, "jawaban.csv", user=people.admin_a)
    assert not result.ok and result.problems == whole.problems and result.problem_total == 5
    assert [p.code for p in result.problems] == ["nik_ganda", "kpj_ganda", "nik_tidak_diajukan", "nik_ganda",
                                                 "status_tidak_dikenal"]
    assert result.problems[0].message == f"NIK {nik(1)} sudah dijawab pada baris 2; setiap NIK hanya boleh dijawab sekali."
    assert "juga tertulis untuk NIK" in result.problems[1].message and "pada baris 2" in result.problems[1].message
    assert not Candidate.objects.filter(status=CandidateStatus.TERDAFTAR).exists()  # nothing half-applied
    assert not Enrolment.objects.exclude(kpj="").exists()


def test_an_answer_is_not_capped_below_the_number_submitted(people, cohort, settings):
    settings.IMPORT_MAX_ROWS = 2  # three people await the answer: their three rows are read
    bpjs.submit(cohort, user=people.admin_a)
    answer = csv_answer([f"{nik(n)};Terdaftar;2101234567{n};" for n in (1, 2, 3)])
    assert bpjs.apply_response(cohort, answer, "jawaban.csv", user=people.admin_a).ok
    assert Candidate.objects.filter(status=CandidateStatus.TERDAFTAR).count() == 3


def test_a_longer_answer_than_the_submitted_and_the_limit_is_refused_whole(people, cohort, settings):
    settings.IMPORT_MAX_ROWS = 3
    bpjs.submit(cohort, user=people.admin_a)
    answer = csv_answer([f"{nik(n)};Terdaftar;2101234567{n};" for n in (1, 2, 3)] +
                        [f"{nik(1)};Terdaftar;21012345671;"])
    result = bpjs.apply_response(cohort, answer, "jawaban.csv", user=people.admin_a)
    assert not result.ok and result.problems[0].code == "berkas_tidak_terbaca"
    assert "lebih dari 3 baris data" in result.problems[0].message
    assert not Candidate.objects.filter(status=CandidateStatus.TERDAFTAR).exists()


def test_a_file_with_many_problems_keeps_the_first_ones_and_counts_all(people, cohort, monkeypatch):
    monkeypatch.setattr(jawaban, "KEEP_PROBLEMS", 2)
    bpjs.submit(cohort, user=people.admin_a)
    answer = csv_answer([f"{nik(n)};Lulus;;" for n in (1, 2, 3)])
    result = bpjs.apply_response(cohort, answer, "jawaban.csv", user=people.admin_a)
    assert [p.row for p in result.problems] == [2, 3] and result.problem_total == 3
    assert result.problems[0].column == "Status" and "Lulus" in result.problems[0].message


def test_a_missing_kpj_column_is_told_first_even_when_found_in_a_later_part(people, cohort, small_parts):
    bpjs.submit(cohort, user=people.admin_a)
    answer = (f"NIK;Status\n{nik(1)};Ditolak\n{nik(2)};Ditolak\n{nik(3)};Lulus\n{nik(3)};Terdaftar\n").encode()
    result = bpjs.apply_response(cohort, answer, "jawaban.csv", user=people.admin_a)
    assert [(p.row, p.code) for p in result.problems] == [(1, "kolom_tidak_ada"), (4, "status_tidak_dikenal"),
                                                          (5, "nik_ganda")]
    assert result.problems[0].column == "No. KPJ"
    assert Candidate.objects.filter(status=CandidateStatus.DIAJUKAN).count() == 3


def test_a_number_nik_in_an_xlsx_is_matched_only_when_no_other_submitted_nik_shares_its_15_digits(people, cohort):
    """The streamed check asks the database how many submitted NIKs share a number cell's first 15 digits."""
    from lindung.imports.tests.factories import xlsx_bytes

    bpjs.submit(cohort, user=people.admin_a)
    first = nik(1)[:12] + "0010"  # Excel may have turned its last digit into this 0
    Candidate.objects.filter(nik=nik(1)).update(nik=first)
    answer = xlsx_bytes([["NIK", "Status", "No. KPJ"], [float(first), "Terdaftar", "21012345678"]])
    assert bpjs.apply_response(cohort, answer, "jawaban.xlsx", user=people.admin_a).ok
    assert Candidate.objects.get(nik=first).status == CandidateStatus.TERDAFTAR

    twin = nik(2)
    Candidate.objects.filter(nik=twin).update(nik=first[:15] + "1")  # now two submitted NIKs share 15 digits
    Candidate.objects.filter(nik=first).update(status=CandidateStatus.DIAJUKAN)
    result = bpjs.apply_response(cohort, answer, "jawaban.xlsx", user=people.admin_a)
    assert [p.code for p in result.problems] == ["nik_tidak_valid"]
    assert "tersimpan sebagai angka" in result.problems[0].message
