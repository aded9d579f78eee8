"""Masa iur pages: one programme's lists (under 3 months, the 36-month dates) and their xlsx downloads.
Scoped like the candidate list: another pemda's programme is 404, a desa operator sees their own desa."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from lindung.accounts.access import disclosure_for, is_disnaker, require_disnaker
from lindung.background import runner
from lindung.background.models import Job
from lindung.protection import ageout, contributions, renewal
from lindung.protection.forms import RenewalForm
from lindung.protection.export import masa_iur_xlsx
from lindung.domain.masa_iur import BEASISWA_MONTHS, JKM_FULL_MONTHS
from lindung.enrolment.services import EnrolmentError
from lindung.imports.models import Candidate
from lindung.privacy.downloads import Export, people_download
from lindung.programs.views import _get_program_for_user

MASA_IUR_PER_PAGE = 100  # rows of the one list shown; its totals count the whole programme
LISTS = {
    "kurang-3-bulan": ("Peserta dengan masa iur kurang dari 3 bulan", contributions.under_three),
    "beasiswa": ("Tanggal mencapai masa iur 36 bulan (beasiswa)", contributions.beasiswa_dates),
}


def _rows(request, program):
    return contributions.program_rows(program, today=timezone.localdate(),
                                      candidates=Candidate.objects.visible_to(request.user))


@login_required
def masa_iur_page(request, slug):
    """One of the two lists (`?daftar=`), a page of it at a time (`?hal=`); the counts are the programme's.
    The masa iur is counted in Python over the whole programme (the totals need it), so the page is a slice
    of that list: Paginator, as the other offset-paged lists (_pagination.html keeps `daftar` in the links)."""
    program = _get_program_for_user(request, slug)
    rows = _rows(request, program)
    daftar = request.GET.get("daftar") if request.GET.get("daftar") in LISTS else "kurang-3-bulan"
    lists = {"kurang-3-bulan": contributions.under_three(rows), "beasiswa": contributions.beasiswa_dates(rows)}
    context = {"program": program, "rule": contributions.rule_today(timezone.localdate()),
               "daftar": daftar, "under_count": len(lists["kurang-3-bulan"]),
               "beasiswa_count": len(lists["beasiswa"]),
               "page": Paginator(lists[daftar], MASA_IUR_PER_PAGE).get_page(request.GET.get("hal")),
               "jumlah": len(rows), "jkm_months": JKM_FULL_MONTHS, "beasiswa_months": BEASISWA_MONTHS}
    return render(request, "protection/masa_iur.html", context)


@login_required
def masa_iur_download(request, slug, daftar):
    if daftar not in LISTS:
        raise Http404("Daftar tidak dikenal.")
    program = _get_program_for_user(request, slug)
    title, pick = LISTS[daftar]
    show = disclosure_for(request.user).nik

    def make() -> Export:
        rows = pick(_rows(request, program))
        data = masa_iur_xlsx(rows, title=f"{title} — {program.nama}", show=show,
                             rule=contributions.rule_today(timezone.localdate()))
        return Export(data, f"masa-iur-{daftar}-{program.slug}.xlsx", rows=len(rows), model=Candidate,
                      note=f"masa iur {daftar} {program.slug}")

    return people_download(request, title=f"Unduh {title.lower()} (xlsx)", make=make,
                           back_url=reverse("masa_iur", args=[program.slug]))


@login_required
def turning_old_page(request, slug):
    """Who turns the upper bound + 1 in the next 3 months, and what the programme's setting does then."""
    program = _get_program_for_user(request, slug)
    people = ageout.turning_soon(program, today=timezone.localdate(),
                                 candidates=Candidate.objects.visible_to(request.user))
    return render(request, "protection/turning_old.html", {"program": program, "people": people,
                                                         "usia": program.usia_max + 1})


def _renew(request, program, data):
    """With *Langsung bentuk kohort* the renewal is a background job (a province seats 600.000 people): the
    form is checked now, the user lands on the job's page. Without it (or with a re-verification round,
    which forms no cohort) the roster is carried in the request as before."""
    terms = {"slug": data["slug"], "pagu": data["pagu"], "mulai": data["mulai"], "selesai": data["selesai"],
             "nama": data["nama"]}
    try:
        if data["kohort"] and not data["verifikasi_ulang"]:
            running = program.jobs.active().filter(kind=Job.Kind.RENEWAL).first()
            if running is not None and not running.recover_if_stale():
                return redirect("job_detail", pk=running.pk)  # a second click: the renewal already queued
            renewal.check(program, **{k: terms[k] for k in ("slug", "pagu", "mulai", "selesai")})
            job = runner.start(Job.Kind.RENEWAL, program=program, user=request.user, params={
                **terms, "mulai": data["mulai"].isoformat(), "selesai": data["selesai"].isoformat()})
            return redirect("job_detail", pk=job.pk)
        result = renewal.renew(program, **terms, user=request.user, reverify=data["verifikasi_ulang"])
    except (renewal.RenewalError, EnrolmentError) as exc:
        messages.error(request, str(exc))
        return None
    messages.success(request, result.summary())
    return redirect("program_detail", slug=result.program.slug)


@login_required
def new_year_page(request, slug):
    """R15: who needs the new APBD to stay covered, and (Disnaker) the renewal into next year."""
    program = _get_program_for_user(request, slug)
    form = RenewalForm(request.POST or None)
    if request.method == "POST":
        require_disnaker(request.user)
        if form.is_valid():
            done = _renew(request, program, form.cleaned_data)
            if done is not None:
                return done
    people = renewal.new_year_dependents(program, today=timezone.localdate(),
                                         candidates=Candidate.objects.visible_to(request.user))
    context = {"program": program, "people": people[:500], "jumlah": len(people), "form": form,
               "can_renew": is_disnaker(request.user), "lapse_on": people[0].lapse_on if people else None}
    return render(request, "protection/new_year.html", context)
