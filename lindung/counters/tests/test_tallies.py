"""The trigger-kept counters equal a real COUNT after every kind of write (issue 18), on SQLite and PostgreSQL.

One programme's life through the project's own services — import commit, bulk and single decisions,
forming and refilling the cohort, the BPJS submission and answer, releases, the daily siklus, renewal into
a new year, deletes — with the counters compared to COUNT(*) ... GROUP BY after each step. The root
conftest also compares them after every other database test of the suite."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from lindung.billing import ledger
from lindung.billing.models import PersonMonth
from lindung.billing.tests.conftest import register_all
from lindung.counters.models import CandidateTally, EnrolmentTally
from lindung.counters.rebuild import TALLIES, check_and_rebuild, drifts, missing_triggers
from lindung.domain.periods import Month
from lindung.enrolment import services
from lindung.enrolment.models import Enrolment, Priority
from lindung.enrolment.tests.test_cohort import rows, verified
from lindung.imports import services as import_services
from lindung.imports.models import Candidate, CandidateStatus
from lindung.imports.tests.test_flow import upload, xlsx_bytes
from lindung.lib.bulk import insert_many
from lindung.protection.renewal import renew
from lindung.protection.tests.conftest import pay
from lindung.verification import services as verification
from lindung.verification.models import Decision, VerificationDecision


def assert_exact() -> None:
    with connection.cursor() as cursor:
        wrong = [d for tally in TALLIES for d in drifts(cursor, tally)]
    assert wrong == []


def assert_covered_counts_every_row(cohort) -> None:
    """covered_count (the seated tally corrected by the enrolments with own dates) equals a COUNT of every row."""
    for month in cohort.window.months_list():
        first = month.first_day
        real = sum(1 for e in cohort.enrolments.all()
                   if (e.state == Enrolment.State.SEATED or (e.state == Enrolment.State.OUT and e.akhir and e.kpj))
                   and (e.mulai is None or e.mulai <= first) and (e.akhir is None or e.akhir >= first))
        assert services.covered_count(cohort, month) == real, month
    assert {services.covered_count(cohort, m) for m in cohort.window.months_list()} != {0}


def test_every_write_path_keeps_the_counters_exact(people):
    program = people.program_a
    program.mulai, program.selesai, program.pagu = date(2025, 1, 1), date(2025, 12, 31), 3 * 12 * 16_800
    program.tingkat_verifikasi = ["dinsos", "disnaker"]
    program.save()
    import_services.commit(upload(program, people.operator_a, xlsx_bytes(rows(7))), user=people.operator_a)
    assert CandidateTally.objects.by_status(program.pk) == {"calon": 7}
    assert_exact()
    # Dinas Sosial decides one by one, then the rest at once, Disnaker all at once (set-based, multi-row INSERT/COPY).
    for candidate in Candidate.objects.filter(program=program).order_by("pk")[:2]:
        verification.decide(candidate=candidate, version=candidate.version, decision=Decision.LAYAK, user=people.verifier_a)
    assert CandidateTally.objects.for_program(program.pk) == {("calon", 1): 2, ("calon", 0): 5}
    verification.decide_bulk(candidates=Candidate.objects.filter(program=program, level_index=0),
                             decision=Decision.LAYAK, user=people.verifier_a)
    verification.decide_bulk(candidates=Candidate.objects.filter(program=program, level_index=1),
                             decision=Decision.LAYAK, user=people.admin_a)
    assert_exact()
    last = Candidate.objects.filter(program=program).order_by("-pk").first()
    Candidate.objects.filter(pk=last.pk).update(status=CandidateStatus.TIDAK_LAYAK)  # a bulk UPDATE of one column
    assert_exact()
    cohort = services.form_cohort(program=program, user=people.admin_a, prioritas=Priority.LIST_ORDER)
    assert EnrolmentTally.objects.by_state(cohort.pk) == {"kursi": 3, "tunggu": 3}
    assert_exact()
    register_all(cohort, people.admin_a)  # submission (terverifikasi → diajukan) and the answer (→ terdaftar)
    assert EnrolmentTally.objects.in_state(cohort.pk, "kursi", statuses={"terdaftar"}) == 3
    assert_exact()
    services.advance_lifecycle(today=date(2025, 1, 1))  # siklus: terdaftar → aktif, the ledger written
    assert EnrolmentTally.objects.in_state(cohort.pk, "kursi", statuses={"aktif"}) == 3
    assert ledger.bill_summary(program, Month(2025, 1)).orang == 3
    pay(program, months=[Month(2025, 1)])  # person-months paid one by one (allocate's writes)
    PersonMonth.objects.filter(program=program, bulan=date(2025, 1, 1)).update(paid_amount=F("iuran"))  # and at once
    assert ledger.program_totals(program)["dibayar"] == 3 * 16_800
    assert_exact()
    seat = cohort.seated.order_by("urutan").first()
    services.release(seat, user=people.admin_a, reason="Pindah domisili", akhir=date(2025, 8, 31), kode="pindah")
    assert_exact()
    assert_covered_counts_every_row(cohort)  # an exit with a date, a replacement from September
    Candidate.objects.filter(pk=last.pk).update(status=CandidateStatus.TERVERIFIKASI)
    services.add_verified(cohort)  # verified later: joins the waiting list
    assert_exact()
    renewed = renew(program, slug="prog-a-2026", pagu=2 * 12 * 16_800, mulai=date(2026, 1, 1),
                    selesai=date(2026, 12, 31), user=people.admin_a, form_cohort=True)
    assert sum(CandidateTally.objects.by_status(renewed.program.pk).values()) == renewed.carried
    assert_exact()
    waiting = Enrolment.objects.filter(cohort=cohort, state=Enrolment.State.WAITING).first()
    waiting.delete()
    Candidate.objects.filter(program=program, enrolments__isnull=True).first().delete()
    assert_exact()
    renewed.program.delete()  # cascades through candidates, enrolments, decisions
    assert CandidateTally.objects.by_status(renewed.program.pk) == {}
    assert_exact()


def test_rows_written_straight_into_the_tables_are_counted(people):
    """A multi-row INSERT (COPY on PostgreSQL), as bench/scale/load_data.py and bulk imports write."""
    from lindung.programs.tests.test_scale import _bulk_candidates

    _bulk_candidates(people.program_a, 250, level_index=1)
    assert CandidateTally.objects.for_program(people.program_a.pk) == {("calon", 1): 250}
    Candidate.objects.filter(program=people.program_a, nama__startswith="BUDI").update(status=CandidateStatus.TIDAK_LAYAK)
    assert_exact()


def test_hitung_ulang_finds_and_rebuilds_a_drifted_counter(people):
    verified(people.program_a, people.operator_a, rows(4))
    cohort = services.form_cohort(program=people.program_a, user=people.admin_a)
    CandidateTally.objects.filter(program_id=people.program_a.pk, status="terverifikasi").update(n=99)  # as a partial restore would leave it
    EnrolmentTally.objects.filter(cohort_id=cohort.pk).delete()
    out = io.StringIO()
    call_command("hitung-ulang", "--periksa", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["dibangun_ulang"] is False and report["jumlah_selisih"] == 2
    assert {"hitungan": "calon per program, status dan tingkat", "kunci": [str(people.program_a.pk), "terverifikasi", "0"],
            "tercatat": 99, "sebenarnya": 4} in report["selisih"]
    assert CandidateTally.objects.by_status(people.program_a.pk) == {"terverifikasi": 99}  # --periksa changes nothing
    out = io.StringIO()
    call_command("hitung-ulang", stdout=out)
    assert "2 hitungan meleset; sudah dibangun ulang." in out.getvalue()
    assert_exact()
    assert check_and_rebuild(rebuild=False) == []


def test_the_warning_tally_follows_imports_changed_warnings_decisions_and_deletes(people):
    """Candidates per (programme, combination of warning codes, status) — the warning filter's total — through
    the import (a candidate with two codes, one with one, one clean), a re-upload that changes a candidate's
    warnings, a decision that changes a status, and deletes."""
    from lindung.counters.models import WarningTally, with_code

    program = people.program_a
    program.tingkat_verifikasi = ["dinsos", "disnaker"]
    program.save()
    two_codes = ["2102031505850002", "Ahmad bin Yusuf", date(1985, 5, 15), "P", "21.02.03.1002", "Ojek pangkalan", "123", None]
    one_code = ["2102034101900001", "Siti Aminah", date(1990, 1, 1), "P", "21.02.03.1001", "Pedagang kecil", "123", None]
    clean = ["2102012002800003", "Rudi Hartono", date(1980, 2, 20), "L", "21.02.01.1003", "Buruh bongkar muat", None, None]
    import_services.commit(upload(program, people.operator_a, xlsx_bytes([two_codes, one_code, clean])), user=people.operator_a)
    tally = WarningTally.objects.for_program(program.pk)
    assert (with_code(tally, "no_hp_tidak_valid"), with_code(tally, "sex_mismatch")) == (2, 1)
    assert sum(n for by_status in tally.values() for n in by_status.values()) == 2  # the clean one is not counted
    assert_exact()
    fixed = [*one_code[:6], "0812 7000 1111", None]  # the phone corrected: Siti carries no warning any more
    import_services.commit(upload(program, people.operator_a, xlsx_bytes([fixed]), name="ulang.xlsx"), user=people.operator_a)
    tally = WarningTally.objects.for_program(program.pk)
    assert (with_code(tally, "no_hp_tidak_valid"), with_code(tally, "sex_mismatch")) == (1, 1)
    assert_exact()
    ahmad = Candidate.objects.get(program=program, nik=two_codes[0])
    verification.decide(candidate=ahmad, version=ahmad.version, decision=Decision.TIDAK_LAYAK, reason="bukan_pekerja_rentan",
                        user=people.verifier_a)
    tally = WarningTally.objects.for_program(program.pk)
    assert with_code(tally, "sex_mismatch", status="tidak_layak") == 1 and with_code(tally, "sex_mismatch", status="calon") == 0
    assert_exact()
    ahmad.delete()
    assert WarningTally.objects.for_program(program.pk) == {}
    Candidate.objects.filter(program=program).update(problem_codes="|usia_lebih|")  # a bulk UPDATE of every row
    assert with_code(WarningTally.objects.for_program(program.pk), "usia_lebih") == 2
    program.delete()
    assert WarningTally.objects.for_program(program.pk) == {}
    assert_exact()


def test_hitung_ulang_names_a_counter_trigger_that_is_gone(people):
    """A migration that makes SQLite rebuild imports_candidate drops its triggers without a word; `--periksa`
    says which are gone (before any write makes their counters drift)."""
    out = io.StringIO()
    call_command("hitung-ulang", "--periksa", "--json", stdout=out)
    assert json.loads(out.getvalue())["trigger_hilang"] == []
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute("DROP TRIGGER counters_warning_update" + (" ON imports_candidate" if connection.vendor == "postgresql" else ""))
    out = io.StringIO()
    call_command("hitung-ulang", "--periksa", "--json", stdout=out)
    assert json.loads(out.getvalue())["trigger_hilang"] == ["counters_warning_update"]
    out = io.StringIO()
    call_command("hitung-ulang", "--periksa", stdout=out)
    assert "Trigger penjaga hitungan hilang: counters_warning_update." in out.getvalue()


def make_candidate(program, nama: str, **fields) -> Candidate:
    from lindung.registry.models import Person
    from lindung.test import DESA_A

    nik = f"2102011708{Candidate.objects.count() + 1:06d}"
    person = Person.objects.create(nik=nik, nama=nama)
    return Candidate.objects.create(program=program, person=person, desa_id=DESA_A, nik=nik, nama=nama,
                                    pekerjaan="nelayan", **fields)


@pytest.mark.parametrize("trigger", ["counters_warning_update", "counters_candidate_insert", "counters_candidate_update",
                                     "verification_tally_insert"])
def test_hitung_ulang_installs_a_missing_trigger_again_and_the_counts_stay_right(people, trigger):
    """Without --periksa the counters are not only recounted: a missing trigger is installed again from its
    migration's SQL first, so the next write is counted (it used to drift again at once)."""
    program = people.program_a
    table = "verification_verificationdecision" if trigger.startswith("verification") else "imports_candidate"
    with connection.cursor() as cursor:  # rolled back with the test
        if connection.vendor == "postgresql":
            cursor.execute(f"DROP TRIGGER {trigger} ON {table}")
            cursor.execute(f"DROP FUNCTION {trigger}()")  # the function too: made again from the migration
        else:
            cursor.execute(f"DROP TRIGGER {trigger}")
    make_candidate(program, "Tanpa Trigger", problem_codes="|usia_lebih|")  # goes around the missing trigger
    out = io.StringIO()
    call_command("hitung-ulang", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["trigger_dipasang_ulang"] == [trigger] and report["trigger_hilang"] == []
    with connection.cursor() as cursor:
        assert missing_triggers(cursor) == []
    later = make_candidate(program, "Sesudah", problem_codes="|usia_lebih|")  # counted by the trigger again
    later.status = CandidateStatus.TIDAK_LAYAK
    later.save()
    VerificationDecision.objects.create(candidate=later, level="desa", decision="tidak_layak", reason="meninggal")
    assert check_and_rebuild(rebuild=False) == []
    out = io.StringIO()
    call_command("hitung-ulang", stdout=out)
    assert out.getvalue() == "Semua hitungan cocok dengan jumlah baris sebenarnya.\n"


def test_hitung_ulang_says_in_words_which_triggers_it_installed_again(people):
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER counters_ledger_update" + (" ON billing_personmonth" if connection.vendor == "postgresql" else ""))
    out = io.StringIO()
    call_command("hitung-ulang", stdout=out)
    assert "Trigger penjaga hitungan dipasang kembali (dari migrasinya): counters_ledger_update." in out.getvalue()
    out = io.StringIO()
    call_command("hitung-ulang", "--periksa", "--json", stdout=out)
    assert json.loads(out.getvalue())["trigger_hilang"] == []
