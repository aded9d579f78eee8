"""Enrolment within budget: seat limit, priority, waiting-list refill, short-coverage warnings, conflicts."""

from datetime import date

import pytest

from lindung.enrolment import services
from lindung.enrolment.models import Enrolment, Priority
from lindung.imports import services as import_services
from lindung.imports.tests.test_flow import upload, xlsx_bytes
from lindung.programs.models import Program
from lindung.accounts.models import Role
from lindung.test import KAB_A, make_program, make_user
from lindung.verification import services as verification
from lindung.verification.models import Decision


def rows(n: int, start_serial: int = 1, year: int = 1980):
    """n clean candidate rows of Kecamatan Karimun (21.02.03), men born on 15 May of successive years."""
    return [[f"2102031505{(year + i) % 100:02d}{start_serial + i:04d}", f"Peserta {start_serial + i}", date(year + i, 5, 15), "L",
             "21.02.03.1001", "Nelayan", None, None] for i in range(n)]


def verified(program: Program, user, data) -> None:
    program.tingkat_verifikasi = ["disnaker"]
    program.save()
    import_services.commit(upload(program, user, xlsx_bytes(data)), user=user)
    verification.decide_bulk(candidates=verification.pending_for(user, program), decision=Decision.LAYAK, user=user)


def test_a_cohort_never_seats_more_than_the_pagu_buys(people):
    program = make_program("kecil", KAB_A, pagu=15 * 2 * 16_800 + 16_799)  # one rupiah short of a 16th seat
    verified(program, people.operator_a, rows(20))
    cohort = services.form_cohort(program=program, user=people.admin_a)
    assert cohort.kursi == 15 and cohort.seated.count() == 15
    assert cohort.enrolments.filter(state=Enrolment.State.WAITING).count() == 5
    assert cohort.total_iuran == 15 * 2 * 16_800 <= program.pagu
    assert services.program_state(program)["iuran_total"] == 504_000


def test_priority_orders_the_seats(people):
    program = make_program("prioritas", KAB_A, pagu=2 * 2 * 16_800)
    verified(program, people.operator_a, rows(4))
    cohort = services.form_cohort(program=program, user=people.admin_a, prioritas=Priority.OLDEST_FIRST)
    seated = [e.candidate.tanggal_lahir.year for e in cohort.seated.select_related("candidate")]
    assert seated == [1980, 1981]


def test_a_freed_seat_goes_to_the_first_on_the_waiting_list(people):
    program = make_program("tunggu", KAB_A, pagu=3 * 2 * 16_800)
    verified(program, people.operator_a, rows(5))
    cohort = services.form_cohort(program=program, user=people.admin_a, prioritas=Priority.LIST_ORDER)
    first_seat = cohort.seated.first()
    promoted = services.release(first_seat, user=people.admin_a, reason="Meninggal 3 Desember 2025")
    assert [e.candidate.nama for e in promoted] == ["Peserta 4"]
    assert cohort.seated.count() == 3
    first_seat.refresh_from_db()
    assert first_seat.state == Enrolment.State.OUT and "Meninggal" in first_seat.alasan


def test_short_coverage_gets_both_warnings(people):
    program = make_program("pendek", KAB_A)  # November–December: 2 months
    verified(program, people.operator_a, rows(1))
    cohort = services.form_cohort(program=program, user=people.admin_a)
    text = " ".join(cohort.catatan)
    assert "Rp10.000.000" in text and "proporsional" in text
    year = make_program("setahun", KAB_A, mulai=date(2025, 1, 1), selesai=date(2025, 12, 31), pagu=10_000_000)
    assert services.form_cohort(program=year, user=people.admin_a).catatan == []


def test_a_different_start_needs_a_reason(people):
    program = make_program("mundur", KAB_A)
    with pytest.raises(services.EnrolmentError, match="alasan"):
        services.form_cohort(program=program, user=people.admin_a, mulai=date(2025, 12, 1))
    cohort = services.form_cohort(program=program, user=people.admin_a, mulai=date(2025, 12, 1), bulan=1,
                                  alasan_mulai="Verifikasi selesai terlambat")
    assert cohort.bulan == 1 and cohort.alasan_mulai == "Verifikasi selesai terlambat"


def test_a_person_seated_in_another_programme_in_an_overlapping_month_is_a_conflict(people):
    kab = make_program("kab", KAB_A, mulai=date(2025, 1, 1), selesai=date(2025, 12, 31), pagu=10_000_000)
    prov = make_program("prov", "21", sumber_dana="apbd_provinsi", mulai=date(2025, 1, 1), selesai=date(2025, 12, 31),
                        pagu=10_000_000)
    verified(kab, people.operator_a, rows(3))
    provinsi = make_user("disnaker.kepri", Role.OPERATOR_DISNAKER, "21")
    verified(prov, provinsi, rows(2, start_serial=3, year=1982))  # Peserta 3 is in both lists
    services.form_cohort(program=kab, user=people.admin_a)
    cohort = services.form_cohort(program=prov, user=provinsi)
    conflict = cohort.enrolments.get(state=Enrolment.State.CONFLICT)
    assert conflict.candidate.nama == "Peserta 3" and conflict.conflict_program == kab
    state = services.program_state(prov)
    assert state["konflik"] == 1 and state["iuran_total"] == 1 * 12 * 16_800  # never billed twice


def test_a_programme_spends_its_pagu_once(people):
    program = make_program("sekali", KAB_A, pagu=3 * 2 * 16_800)
    verified(program, people.operator_a, rows(2))
    cohort = services.form_cohort(program=program, user=people.admin_a)
    with pytest.raises(services.EnrolmentError, match="sudah punya kohort"):
        services.form_cohort(program=program, user=people.admin_a)
    verified(program, people.operator_a, rows(3, start_serial=10, year=1990))  # verified later
    assert services.add_verified(cohort) == 3
    assert cohort.seated.count() == 3 and cohort.enrolments.filter(state=Enrolment.State.WAITING).count() == 2
    assert cohort.total_iuran <= program.pagu


def test_a_cohort_stays_inside_the_programme_window(people):
    program = make_program("jendela", KAB_A)  # November–December 2025
    with pytest.raises(services.EnrolmentError, match="1 sampai 2"):
        services.form_cohort(program=program, user=people.admin_a, bulan=12)
    with pytest.raises(services.EnrolmentError, match="di dalam masa program"):
        services.form_cohort(program=program, user=people.admin_a, mulai=date(2010, 1, 1), alasan_mulai="salah ketik")


def test_the_waiting_list_skips_someone_seated_elsewhere_meanwhile(people):
    kab = make_program("kab2", KAB_A, mulai=date(2025, 1, 1), selesai=date(2025, 12, 31), pagu=1 * 12 * 16_800)
    prov = make_program("prov2", "21", sumber_dana="apbd_provinsi", mulai=date(2025, 1, 1), selesai=date(2025, 12, 31),
                        pagu=10 * 12 * 16_800)
    verified(kab, people.operator_a, rows(3))
    kab_cohort = services.form_cohort(program=kab, user=people.admin_a, prioritas=Priority.LIST_ORDER)
    provinsi = make_user("disnaker.kepri2", Role.OPERATOR_DISNAKER, "21")
    verified(prov, provinsi, rows(1, start_serial=2, year=1981))  # Peserta 2, waiting in kab
    services.form_cohort(program=prov, user=provinsi)  # seated by the province
    promoted = services.release(kab_cohort.seated.get(), user=people.admin_a, reason="Pindah")
    assert [e.candidate.nama for e in promoted] == ["Peserta 3"]
    skipped = kab_cohort.enrolments.get(candidate__nama="Peserta 2")
    assert skipped.state == Enrolment.State.CONFLICT and skipped.conflict_program == prov


def test_unknown_verification_levels_are_refused(people):
    from django.core.exceptions import ValidationError

    program = make_program("tingkat", KAB_A, tingkat_verifikasi=["rt_rw", "camat"])
    with pytest.raises(ValidationError, match="camat"):
        program.full_clean()


def three_seat_cohort(people, verified_count: int):
    """Kabupaten A's programme with a pagu for three seats over two months (Nov–Dec 2025), `verified_count`
    verified candidates, seated in list order: the cohort the enrolment, billing and reconciliation tests share."""
    program = people.program_a
    program.pagu = 3 * 2 * 16_800
    program.save()
    verified(program, people.operator_a, rows(verified_count))
    return services.form_cohort(program=program, user=people.admin_a, prioritas=Priority.LIST_ORDER)
