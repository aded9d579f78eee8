"""`lindung cakupan 21.03 --json` prints Natuna's 59,29 % on the demo, from a semesta marked as demo data."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from lindung import demo
from lindung.accounts.models import Membership
from lindung.coverage.demo import ensure_natuna_semesta, exact_reach, universe_for
from lindung.coverage.models import Semesta
from lindung.domain.coverage import persen
from lindung.enrolment.models import Enrolment
from lindung.enrolment import services as enrolment
from lindung.programs.models import Program
from lindung.registry.services import ensure_regions, load_regions

pytestmark = pytest.mark.django_db


def test_the_demo_universe_gives_exactly_the_target():
    for covered in (504, 5_929, 123_456):
        size = universe_for(covered)
        assert persen(covered, size) == 59.29 and persen(covered, size - 1) != 59.29
    assert persen(1_814, universe_for(1_814)) in (59.28, 59.30)  # no whole universe gives 59,29 %: the closest


def test_natuna_demo_coverage_is_59_29(client):
    load_regions(prefix="21.03")
    ensure_regions({p["pemda_id"] for p in demo.PROGRAMS})
    demo.ensure_programs()
    demo.load_natuna()
    demo.run_matching()
    enrolment.form_cohort(program=Program.objects.get(slug="natuna-2025-prov"),
                          user=Membership.objects.get(user__username="kepri.operator").user)
    ensure_natuna_semesta()
    assert ensure_natuna_semesta() is None  # once
    out = StringIO()
    call_command("cakupan", "21.03", "--json", stdout=out)
    data = json.loads(out.getvalue())
    # Not every count of covered people has a whole universe giving 59,29 % (505 has none): the demo then
    # records the fewest Natuna participants as moved away (exit *pindah*) so that the figure is exact.
    assert data["persen"] == 59.29 and data["persen"] == persen(data["peserta"], universe_for(data["peserta"]))
    moved = Enrolment.objects.filter(alasan_keluar="pindah", cohort__program__slug="natuna-2025-kab").count()
    assert moved <= exact_reach(data["peserta"] + moved) + 1 and (universe_for(504), persen(504, 850)) == (850, 59.29)
    assert "DATA CONTOH" in data["sumber_semesta"] and Semesta.objects.get().contoh
    assert sum(r["peserta"] for r in data["rincian"]) == data["peserta"]
    client.force_login(Membership.objects.get(user__username="natuna.operator").user)
    page = client.get("/cakupan/").content.decode()
    assert f"{data['persen']:.2f} %".replace(".", ",") in page and "data contoh untuk demo" in page
