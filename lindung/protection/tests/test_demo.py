import io
from datetime import date

from lindung.billing.tests.conftest import register_all
from lindung.protection import demo
from lindung.protection.models import Claim
from lindung.enrolment import services
from lindung.enrolment.models import Priority
from lindung.enrolment.tests.test_cohort import rows, verified
from lindung.imports.models import Candidate
from lindung.test import KAB_A, make_program


def test_the_demo_renews_ppu_once(people):
    program = make_program("ppu-2025-kab", KAB_A, mulai=date(2025, 1, 1), selesai=date(2025, 12, 31),
                           pagu=3 * 12 * 16_800)
    verified(program, people.operator_a, rows(3))
    services.form_cohort(program=program, user=people.admin_a)
    out = io.StringIO()
    assert demo.load_renewal(out) == ["ppu-2026-kab"] and "3 peserta dibawa" in out.getvalue()
    assert Candidate.objects.filter(program__slug="ppu-2026-kab").count() == 3
    assert demo.load_renewal(out) == []


def test_the_demo_records_the_karimun_death_claim_once(people):
    program = make_program("karimun-2025", KAB_A, pagu=3 * 2 * 16_800)
    verified(program, people.operator_a, rows(3))
    cohort = services.form_cohort(program=program, user=people.admin_a, prioritas=Priority.LIST_ORDER)
    register_all(cohort, people.admin_a)
    services.release(cohort.seated.first(), user=None, reason="Meninggal", akhir=date(2025, 11, 10), kode="meninggal")
    out = io.StringIO()
    assert demo.load_claim(out) == ["karimun-2025"]
    claim = Claim.objects.get()
    assert (claim.masa_iur_bulan, claim.jumlah_seharusnya) == (0, 10_000_000)  # nothing paid yet
    assert "2 peserta Karimun dengan masa iur kurang dari 3 bulan" in out.getvalue()
    assert demo.load_claim(out) == []
