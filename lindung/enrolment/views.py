from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lindung.accounts.models import Role
from lindung.accounts.access import show_nik
from lindung.enrolment import services
from lindung.enrolment.forms import CohortForm, ResponseForm
from lindung.enrolment.models import Enrolment
from lindung.programs.views import _get_program_for_user

DISNAKER_ROLES = {Role.ADMIN_DISNAKER, Role.OPERATOR_DISNAKER}


def require_disnaker(user) -> None:
    membership = getattr(user, "membership", None)
    if not user.is_superuser and (membership is None or membership.role not in DISNAKER_ROLES):
        raise PermissionDenied("Hanya Disnaker yang menetapkan peserta dan berurusan dengan BPJS.")


@login_required
def cohort(request, slug):
    program = _get_program_for_user(request, slug)
    current = services.latest_cohort(program)
    state = request.GET.get("status", Enrolment.State.SEATED)
    rows = current.enrolments.filter(state=state).select_related("candidate__desa", "conflict_program") if current else []
    page = Paginator(rows, 100).get_page(request.GET.get("hal")) if current else None
    context = {
        "program": program, "cohort": current, "form": CohortForm(), "response_form": ResponseForm(),
        "state": services.program_state(program), "states": Enrolment.State.choices, "current_state": state,
        "page": page, "rows": [(e, show_nik(request.user, e.candidate.nik)) for e in page] if page else [],
        "named_here": Enrolment.objects.filter(conflict_program=program, state=Enrolment.State.CONFLICT)
        .select_related("cohort__program", "candidate")[:200],
    }
    return render(request, "enrolment/cohort.html", context)


@login_required
@require_POST
def cohort_create(request, slug):
    program = _get_program_for_user(request, slug)
    require_disnaker(request.user)
    form = CohortForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            made = services.form_cohort(program=program, user=request.user, mulai=data["mulai"], bulan=data["bulan"],
                                        alasan_mulai=data["alasan_mulai"], prioritas=data["prioritas"])
        except services.EnrolmentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Kohort dibuat: {made.seated.count()} mendapat kursi dari {made.kursi}.")
    else:
        messages.error(request, "Isian penetapan tidak valid: " + "; ".join(e for errs in form.errors.values() for e in errs))
    return redirect("cohort", slug=program.slug)
