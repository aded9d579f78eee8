"""The BPJS loop through the services: pengajuan file, answer applied all-or-nothing, seats refilled."""

import pytest

from lindung.enrolment import bpjs, services
from lindung.enrolment.models import Enrolment
from lindung.imports.models import Candidate, CandidateStatus, StatusChange
from lindung.imports.reader import read_table


def csv_answer(lines: list[str]) -> bytes:
    return ("\n".join(["NIK;Status;No. KPJ;Keterangan", *lines]) + "\n").encode()


def nik(n: int) -> str:
    return Candidate.objects.get(nama=f"Peserta {n}").nik


def test_submitting_marks_the_seated_diajukan_and_the_file_lists_them(people, cohort):
    bpjs.submission_file(cohort)  # making the file changes nothing (issue 16)
    assert not Candidate.objects.filter(status=CandidateStatus.DIAJUKAN).exists()
    bpjs.submit(cohort, user=people.admin_a)
    data = bpjs.submission_file(cohort)
    table = read_table(data, "pengajuan.xlsx")
    assert table.headers[:2] == ["NIK", "Nama Lengkap"]
    assert [row[1] for _n, row in table.rows] == ["Peserta 1", "Peserta 2", "Peserta 3"]
    assert all(row[10] == "SG" and row[12] == "PKS/001/2025" for _n, row in table.rows)
    assert Candidate.objects.filter(status=CandidateStatus.DIAJUKAN).count() == 3
    assert StatusChange.objects.filter(new="diajukan", user=people.admin_a).count() == 3
    csv = bpjs.submission_file(cohort, fmt="csv").decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("NIK;Nama Lengkap") and nik(1) in csv


def test_an_answer_registers_rejects_and_refills_the_seat(people, cohort):
    bpjs.submit(cohort, user=people.admin_a)
    answer = csv_answer([f"{nik(1)};Terdaftar;21012345678;", f"{nik(2)};terdaftar;21012345679;",
                         f"{nik(3)};Ditolak;;Sudah terdaftar di wadah lain"])
    result = bpjs.apply_response(cohort, answer, "jawaban.csv", user=people.admin_a)
    assert result.ok
    first = Candidate.objects.get(nik=nik(1))
    assert first.status == CandidateStatus.TERDAFTAR and first.enrolments.get().kpj == "21012345678"
    third = Candidate.objects.get(nik=nik(3))
    assert third.status == CandidateStatus.DITOLAK
    assert third.enrolments.get().state == Enrolment.State.OUT
    promoted = Candidate.objects.get(nama="Peserta 4").enrolments.get()
    assert promoted.state == Enrolment.State.SEATED  # the freed seat went to the waiting list
    assert services.program_state(cohort.program)["terdaftar"] == 2
    change = StatusChange.objects.get(candidate=third, new="ditolak")
    assert "wadah lain" in change.reason and change.user == people.admin_a


@pytest.mark.parametrize(
    "lines, code",
    [
        (["{1};Terdaftar;21012345678;", "9999999999999999;Terdaftar;21012345670;"], "nik_tidak_diajukan"),
        (["{1};Terdaftar;21012345678;", "{1};Terdaftar;21012345678;"], "nik_ganda"),
        (["{1};Lulus;21012345678;"], "status_tidak_dikenal"),
        (["{1};Terdaftar;;"], "kpj_kosong"),
    ],
)
def test_a_malformed_answer_is_refused_whole(people, cohort, lines, code):
    bpjs.submit(cohort, user=people.admin_a)
    answer = csv_answer([line.replace("{1}", nik(1)) for line in lines] + [f"{nik(2)};Terdaftar;21012345679;"])
    result = bpjs.apply_response(cohort, answer, "jawaban.csv", user=people.admin_a)
    assert not result.ok and code in {p.code for p in result.problems}
    assert Candidate.objects.filter(status=CandidateStatus.TERDAFTAR).count() == 0  # nothing half-applied


def test_an_answer_without_the_status_column_is_refused(people, cohort):
    bpjs.submit(cohort, user=people.admin_a)
    result = bpjs.apply_response(cohort, f"NIK;Nama\n{nik(1)};Peserta 1\n".encode(), "jawaban.csv", user=people.admin_a)
    assert not result.ok and result.problems[0].code == "kolom_tidak_ada"
    assert Candidate.objects.filter(status=CandidateStatus.DIAJUKAN).count() == 3


def test_registered_people_become_aktif_then_berakhir_by_date(people, cohort):
    import io
    import json
    from datetime import date

    from django.core.management import call_command

    bpjs.submit(cohort, user=people.admin_a)
    bpjs.apply_response(cohort, csv_answer([f"{nik(1)};Terdaftar;21012345678;"]), "jawaban.csv", user=people.admin_a)
    assert services.advance_lifecycle(today=date(2025, 10, 31)) == {"aktif": 0, "berakhir": 0}  # not started
    assert services.advance_lifecycle(today=date(2025, 11, 1)) == {"aktif": 1, "berakhir": 0}
    assert Candidate.objects.get(nik=nik(1)).status == CandidateStatus.AKTIF
    assert services.advance_lifecycle(today=date(2025, 12, 31)) == {"aktif": 0, "berakhir": 0}  # last covered day
    out = io.StringIO()
    call_command("siklus", "--tanggal", "2026-01-01", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"tanggal": "2026-01-01", "aktif": 0, "berakhir": 1,
                                          "tertunggak": 0, "pulih": 0, "usia": 0,
                                          "ditagih": 0,  # the answer already billed Nov and Dec
                                          "terhenti": {"impor": 0, "pencocokan": 0, "sk": 0, "proses": 0}}
    statuses = list(StatusChange.objects.filter(candidate__nik=nik(1)).values_list("new", flat=True))
    assert statuses == ["terverifikasi", "diajukan", "terdaftar", "aktif", "berakhir"]


def test_a_seat_given_up_after_submission_still_takes_its_answer(people, cohort):
    bpjs.submit(cohort, user=people.admin_a)
    first = cohort.seated.get(candidate__nik=nik(1))
    services.release(first, user=people.admin_a, reason="Meninggal 20 November 2025")
    answer = csv_answer([f"{nik(1)};Terdaftar;21012345678;", f"{nik(2)};Terdaftar;21012345679;"])
    assert bpjs.apply_response(cohort, answer, "jawaban.csv", user=people.admin_a).ok
    assert Candidate.objects.get(nik=nik(1)).status == CandidateStatus.BERAKHIR  # registered, then ended
    assert Candidate.objects.get(nik=nik(2)).status == CandidateStatus.TERDAFTAR


def test_releasing_a_registered_participant_ends_the_protection(people, cohort):
    bpjs.submit(cohort, user=people.admin_a)
    bpjs.apply_response(cohort, csv_answer([f"{nik(1)};Terdaftar;21012345678;"]), "jawaban.csv", user=people.admin_a)
    services.release(cohort.seated.get(candidate__nik=nik(1)), user=people.admin_a, reason="Pindah ke Batam")
    change = StatusChange.objects.get(candidate__nik=nik(1), new="berakhir")
    assert change.old == "terdaftar" and "Batam" in change.reason


def test_an_answer_naming_someone_already_registered_says_so(people, cohort):
    """A second answer repeating a person the first one registered: "sudah terdaftar", not "tidak diajukan"."""
    bpjs.submit(cohort, user=people.admin_a)
    assert bpjs.apply_response(cohort, csv_answer([f"{nik(1)};Terdaftar;21012345678;"]), "jawaban.csv",
                               user=people.admin_a).ok
    again = csv_answer([f"{nik(1)};Terdaftar;21012345678;", f"{nik(2)};Terdaftar;21012345679;"])
    result = bpjs.apply_response(cohort, again, "jawaban-2.csv", user=people.admin_a)
    assert not result.ok and [(p.row, p.code) for p in result.problems] == [(2, "nik_sudah_terdaftar")]
    message = result.problems[0].message
    assert f"NIK {nik(1)} sudah terdaftar" in message and "21012345678" in message
    assert "tidak ada dalam pengajuan" not in message
    assert Candidate.objects.get(nik=nik(2)).status == CandidateStatus.DIAJUKAN  # nothing half-applied
