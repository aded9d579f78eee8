"""The seed programmes of domain.md §0, run through the code paths a user's clicks take."""

import io
import json
from datetime import date

import pytest
from django.core.management import call_command

from lindung.accounts.models import Role
from lindung.domain import iuran
from lindung.domain.periods import Month
from lindung.enrolment import services as enrolment
from lindung.imports.models import Candidate
from lindung import demo
from lindung.programs import demo_data
from lindung.registry.services import ensure_regions, load_regions
from lindung.test import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def programmes():
    load_regions(prefix="21.02")
    ensure_regions({p["pemda_id"] for p in demo.PROGRAMS})
    return {p.slug: p for p in demo.ensure_programs()}


def test_s1_karimun_1000_targeted_953_layak_rp32_020_800(programmes):
    program = programmes["karimun-2025"]
    operator = make_user("disnaker.karimun", Role.OPERATOR_DISNAKER, "21.02")
    rows = demo_data.generate_rows(n=1000, kabupaten="21.02", coverage_start=program.mulai, seed=11, flaw_rate=0.0)
    demo.upload_list(program, operator, "calon.xlsx", rows)
    assert Candidate.objects.filter(program=program).count() == 1000

    desa_users = [make_user(f"desa.{kode}", Role.OPERATOR_DESA, kode)
                  for kode in sorted(set(Candidate.objects.filter(program=program).values_list("desa_id", flat=True)))]
    niks = sorted(Candidate.objects.filter(program=program).values_list("nik", flat=True))
    demo.decide_level(desa_users, program, {nik: "pindah" for nik in niks[:20]})  # RT/RW
    demo.decide_level(desa_users, program, {nik: "bukan_pekerja_rentan" for nik in niks[20:35]})  # kelurahan
    dinsos = make_user("dinsos.karimun", Role.VERIFIKATOR_DINSOS, "21.02")
    demo.decide_level([dinsos], program, {nik: "sudah_terdaftar" for nik in niks[35:47]})  # Dinas Sosial

    cohort = enrolment.form_cohort(program=program, user=operator)
    assert (cohort.window.start, cohort.window.end) == (Month(2025, 11), Month(2025, 12))
    state = enrolment.program_state(program)
    assert state == {"slug": "karimun-2025", "calon": 1000, "layak": 953, "terdaftar": 0, "kursi": 953, "bulan": 2,
                     "iuran_total": 32_020_800, "konflik": 0, "ditagih": 0, "dibayar": 0}
    assert any("Rp10.000.000" in note for note in cohort.catatan)  # 2 months < 3: JKM pays Rp10 juta (R14)
    out = io.StringIO()
    call_command("program", "karimun-2025", "--json", stdout=out)
    assert json.loads(out.getvalue()) == state


def test_s2_penajam_paser_utara_seats_and_cost(programmes):
    kab, prov = programmes["ppu-2025-kab"], programmes["ppu-2025-prov"]
    assert enrolment.program_state(kab)["kursi"] == 14_880  # Rp3.000.000.000 for 12 months
    cost = iuran.iuran_total(orang=15_000, start=Month(2025, 1), bulan=12, pembayar=kab.sumber_dana)
    assert cost.total == 3_024_000_000
    assert enrolment.program_state(prov)["kursi"] == 5_614

    # A worker on both rosters: seated by the kabupaten, a conflict for the province, billed once.
    kab_user = make_user("disnaker.ppu", Role.OPERATOR_DISNAKER, "64.09")
    prov_user = make_user("disnaker.kaltim", Role.OPERATOR_DISNAKER, "64")
    both = demo_data.generate_rows(n=6, kabupaten="64.09", coverage_start=kab.mulai, seed=5, flaw_rate=0.0)
    for program, user, rows in ((kab, kab_user, both[:4]), (prov, prov_user, both[3:])):
        program.tingkat_verifikasi = ["disnaker"]
        program.save()
        demo.upload_list(program, user, "calon.xlsx", rows)
        demo.decide_level([user], program, {})
        enrolment.form_cohort(program=program, user=user)
    assert enrolment.program_state(kab)["iuran_total"] == 4 * 12 * 16_800
    prov_state = enrolment.program_state(prov)
    assert prov_state["konflik"] == 1 and prov_state["iuran_total"] == 2 * 12 * 16_800


def test_s5_kotabaru_planned_in_december_2023_for_2024(programmes):
    program = programmes["kotabaru-2024"]
    program.refresh_from_db()
    assert program.created_at.date() == date(2023, 12, 28)  # set up before its budget year
    assert (program.mulai, program.selesai, program.bulan) == (date(2024, 1, 1), date(2024, 12, 31), 12)
    assert enrolment.program_state(program)["kursi"] == 5_000  # the budget plan: Rp1.008.000.000 / (16.800 × 12)
    user = make_user("disnaker.kotabaru", Role.OPERATOR_DISNAKER, "63.02")
    program.tingkat_verifikasi = ["disnaker"]
    program.save()
    demo.upload_list(program, user, "calon.xlsx", demo_data.generate_rows(n=10, kabupaten="63.02", coverage_start=program.mulai, seed=3,
                                                   flaw_rate=0.0))
    demo.decide_level([user], program, {})
    cohort = enrolment.form_cohort(program=program, user=user)
    assert cohort.window.start == Month(2024, 1) and cohort.iuran_per_bulan == 16_800  # first bill: January 2024
    assert enrolment.program_state(program)["iuran_total"] == 10 * 12 * 16_800
