from lindung.accounts.models import Role
from lindung.billing.tests.conftest import register_all
from lindung.enrolment import services as enrolment
from lindung.enrolment.models import Priority
from lindung.enrolment.tests.test_cohort import rows, verified
from lindung.imports.models import CandidateStatus
from lindung.reconciliation import demo
from lindung.reconciliation.models import Payment
from lindung.test import make_program, make_user


def test_the_demo_month_has_each_difference_reconciled_and_paid(people):
    program = make_program("karimun-2025", "21.02", pagu=5 * 2 * 16_800)
    make_user("karimun.operator", Role.OPERATOR_DISNAKER, "21.02")
    bpkad = make_user("karimun.bpkad", Role.BPKAD, "21.02")
    verified(program, people.operator_a, rows(6))
    program.candidates.filter(pk=program.candidates.order_by("id").last().pk).update(status=CandidateStatus.TIDAK_LAYAK)
    cohort = enrolment.form_cohort(program=program, user=people.admin_a, prioritas=Priority.LIST_ORDER)
    register_all(cohort, people.admin_a)
    assert demo.load() is not None
    rec = program.reconciliations.get()
    assert {k: rec.counts[k] for k in ("cocok", "hanya_bpjs", "hanya_daftar", "nominal_beda", "nik_kpj_tidak_cocok")} == {
        "cocok": 2, "hanya_bpjs": 1, "hanya_daftar": 1, "nominal_beda": 1, "nik_kpj_tidak_cocok": 1}
    assert rec.status == "siap_bayar" and rec.jumlah_disetujui == 5 * 16_800
    assert not rec.open_lines().exists()
    payment = Payment.objects.get()
    assert (payment.jumlah, payment.recorded_by) == (5 * 16_800, bpkad)
    assert demo.load() is None  # a second run adds nothing
