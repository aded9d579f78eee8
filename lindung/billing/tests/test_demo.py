"""The demo's money loop (issue 12): Karimun billed Rp16.010.400 for November, one death, December 952."""

import io
import json

import pytest
from django.core.management import call_command

from lindung import demo
from lindung.billing.models import PersonMonth
from lindung.imports.models import Candidate, CandidateStatus
from lindung.registry.services import ensure_regions, load_regions


def run(*args) -> dict:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_a_fresh_karimun_demo_bills_november_and_december():
    load_regions(prefix="21.02")
    ensure_regions({p["pemda_id"] for p in demo.PROGRAMS})
    demo.ensure_programs()
    demo.load_karimun()
    assert demo.load_money() == ["karimun-2025"]  # PPU has no cohort here: no APBD-P step
    assert demo.load_money() == []  # idempotent
    november = run("tagihan", "karimun-2025", "--bulan", "2025-11")
    assert (november["orang"], november["total"]) == (953, 16_010_400)
    december = run("tagihan", "karimun-2025", "--bulan", "2025-12")
    assert (december["orang"], december["total"]) == (952, 15_993_600)
    state = run("program", "karimun-2025")
    assert (state["iuran_total"], state["ditagih"], state["dibayar"]) == (32_020_800, 32_004_000, 0)
    dead = PersonMonth.objects.get(bulan="2025-12-01", state=PersonMonth.State.BATAL)
    assert "10-11-2025" in dead.ended_reason and dead.candidate.status == CandidateStatus.KELUAR
    assert Candidate.objects.filter(program__slug="karimun-2025", status=CandidateStatus.AKTIF).count() == 952
