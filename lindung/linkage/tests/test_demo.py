"""The Natuna demo (S3) shows what matching is for: a list entered twice, a worker in both the Pemkab's and
the Pemprov's programme under a mistyped NIK, and BPJS participants under another spelling or NIK."""

import pytest

from lindung import demo
from lindung.accounts.models import Membership
from lindung.enrolment import services as enrolment
from lindung.enrolment.models import Enrolment
from lindung.imports.models import Candidate
from lindung.linkage import duplicates
from lindung.linkage.models import MatchPair, MatchRun
from lindung.programs.models import Program
from lindung.registry.services import ensure_regions, load_regions

pytestmark = pytest.mark.django_db


def test_the_natuna_demo_has_duplicates_a_fuzzy_conflict_and_fuzzy_bpjs_participants():
    load_regions(prefix="21.03")
    ensure_regions({p["pemda_id"] for p in demo.PROGRAMS})
    demo.ensure_programs()
    demo.load_natuna()
    run = demo.run_matching()
    kab, prov = Program.objects.get(slug="natuna-2025-kab"), Program.objects.get(slug="natuna-2025-prov")
    enrolment.form_cohort(program=prov, user=Membership.objects.get(user__username="kepri.operator").user)

    assert run.status == MatchRun.Status.DONE
    assert duplicates.groups_for(kab, Candidate.objects.filter(program=kab))  # the late list's re-entries
    conflicts = Enrolment.objects.filter(cohort__program=prov, state=Enrolment.State.CONFLICT).select_related("candidate", "conflict_candidate")
    assert {e.conflict_program for e in conflicts} == {kab}
    fuzzy = [e for e in conflicts if e.conflict_candidate.nik != e.candidate.nik]
    assert len(conflicts) >= 6 and fuzzy  # five shared outright, more only through the engine's links
    bpjs = MatchPair.objects.filter(kind=MatchPair.Kind.BPJS, left__program=kab).select_related("left", "participant")
    assert bpjs.count() == 3
    assert any(p.left.nik != p.participant.nik and p.left.bpjs_kpj == p.participant.kpj for p in bpjs)
