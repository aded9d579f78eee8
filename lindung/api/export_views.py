"""Download buttons of the list pages: the page's own scoped queryset and filters, as csv or xlsx."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse

from lindung.api import exports, lists
from lindung.enrolment import services as enrolment_services
from lindung.enrolment.models import Enrolment
from lindung.imports.models import Candidate
from lindung.linkage.models import MatchPair
from lindung.programs.views import _filtered_candidates, _get_program_for_user, _warning_tally
from lindung.verification import services as verification_services


@login_required
def candidates(request, slug, fmt):
    program = _get_program_for_user(request, slug)
    visible = Candidate.objects.visible_to(request.user).filter(program=program)
    qs, _order = _filtered_candidates(request, visible, _warning_tally(request.user, program))
    sheet = lists.candidates(request.user, qs, stem=f"calon-{program.slug}", title=f"Unduh daftar calon {program.nama}",
                             note=f"ekspor daftar calon {program.slug}")
    return exports.respond(request, sheet, fmt, back_url=reverse("candidate_list", args=[slug]))


@login_required
def verification_queue(request, slug, fmt):
    program = _get_program_for_user(request, slug)
    qs = verification_services.pending_for(request.user, program)
    if request.GET.get("desa"):
        qs = qs.filter(desa_id=request.GET["desa"])
    sheet = lists.candidates(request.user, qs, stem=f"antrean-verifikasi-{program.slug}",
                             title=f"Unduh antrean verifikasi {program.nama}", note=f"ekspor antrean verifikasi {program.slug}")
    return exports.respond(request, sheet, fmt, back_url=reverse("verification_queue", args=[slug]))


@login_required
def cohort(request, slug, fmt):
    program = _get_program_for_user(request, slug)
    current = enrolment_services.latest_cohort(program)
    visible = Candidate.objects.visible_to(request.user).filter(program=program)
    qs = Enrolment.objects.filter(cohort=current, candidate__in=visible) if current else Enrolment.objects.none()
    if request.GET.get("status"):
        qs = qs.filter(state=request.GET["status"])
    sheet = lists.enrolments(request.user, qs, stem=f"penetapan-{program.slug}", title=f"Unduh penetapan {program.nama}",
                             note=f"ekspor penetapan {program.slug}")
    return exports.respond(request, sheet, fmt, back_url=reverse("cohort", args=[slug]))


@login_required
def review_pairs(request, fmt):
    from lindung.linkage.views import _filtered_pairs

    qs = _filtered_pairs(request, MatchPair.objects.visible_to(request.user))
    sheet = lists.pairs(request.user, qs, stem="pasangan-kecocokan", title="Unduh pasangan kecocokan",
                        note="ekspor pasangan kecocokan")
    return exports.respond(request, sheet, fmt, back_url=reverse("match_review"))


@login_required
def duplicates(request, slug, fmt):
    program = _get_program_for_user(request, slug)
    qs = MatchPair.objects.visible_to(request.user).filter(kind=MatchPair.Kind.DUPLIKAT).in_program(program)
    sheet = lists.pairs(request.user, qs, stem=f"duplikat-{program.slug}", title=f"Unduh duplikat {program.nama}",
                        note=f"ekspor duplikat {program.slug}")
    return exports.respond(request, sheet, fmt, back_url=reverse("duplicates", args=[slug]))
