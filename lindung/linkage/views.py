from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from lindung.accounts.access import can_decide_matches, disclosure_for, is_disnaker, require_disnaker
from lindung.imports.models import Candidate
from lindung.lib.audit import record_nik_access, trail
from lindung.lib.ids import BadId, parse_ids
from lindung.linkage import duplicates as dup
from lindung.linkage import services
from lindung.linkage.cards import PAIR_RELATED, cards, full_nik_count
from lindung.linkage.forms import KeepForm, PairDecisionForm, UndoForm
from lindung.linkage.models import DuplicateMark, MatchPair, MatchRun
from lindung.programs.models import Program
from lindung.programs.views import _get_program_for_user
from lindung.lib.forms import field_errors

PAIRS_PER_PAGE = 20
STATUS_FILTERS = [("terbuka", "Menunggu tinjauan"), ("otomatis", "Cocok otomatis"), ("sama", "Diputuskan sama"),
                  ("berbeda", "Diputuskan berbeda"), ("semua", "Semua")]


def _get_pair_for_user(request, pk: int) -> MatchPair:
    """A pair with at least one record in the user's area; anyone else gets 404."""
    return get_object_or_404(MatchPair.objects.visible_to(request.user).select_related(*PAIR_RELATED), pk=pk)


def _log_full_niks(request, found, note: str) -> None:
    record_nik_access(request.user, model=MatchPair, rows=full_nik_count(found), note=note)


@login_required
def runs(request):
    """The matching page: the last run and its progress, the button, and what waits for this user."""
    pairs = MatchPair.objects.visible_to(request.user)
    counts = {(row["kind"], row["status"]): row["n"] for row in pairs.values("kind", "status").annotate(n=Count("id"))}
    summary = [(label, [counts.get((kind, status), 0) for status, _ in STATUS_FILTERS[:4]], kind)
               for kind, label in MatchPair.Kind.choices]
    run = services.latest_run(request.user)
    if run is not None:
        run.recover_if_stale()
    context = {"run": run, "history": MatchRun.objects.visible_to(request.user).select_related("started_by")[:10],
               "summary": summary, "statuses": STATUS_FILTERS[:4], "can_start": is_disnaker(request.user),
               "programs": Program.objects.visible_to(request.user)}
    return render(request, "linkage/runs.html", context)


@login_required
@require_POST
def run_start(request):
    require_disnaker(request.user)
    run = services.request_run(user=request.user)
    messages.success(request, f"Pencocokan #{run.pk} menunggu giliran pekerja latar; halaman ini menampilkan kemajuannya.")
    return redirect("matching")


@login_required
def run_status(request, pk):
    run = get_object_or_404(MatchRun.objects.visible_to(request.user), pk=pk)
    run.recover_if_stale()  # a killed worker: the page stops polling and shows what to do
    return JsonResponse({"status": run.status, "label": run.get_status_display(), "progress": run.progress,
                         "text": run.progress_text, "running": run.is_running})


def _filtered_pairs(request, qs):
    status = request.GET.get("status", "terbuka")
    if status != "semua":
        qs = qs.filter(status=status)
    if request.GET.get("jenis"):
        qs = qs.filter(kind=request.GET["jenis"])
    if request.GET.get("program"):
        qs = qs.in_program(get_object_or_404(Program.objects.visible_to(request.user), slug=request.GET["program"]))
    return qs


@login_required
def review_queue(request):
    """Tinjau kecocokan: possible pairs (or any other status), the two records side by side, those with a
    seat at stake first (MatchPairQuerySet.by_stake)."""
    qs = _filtered_pairs(request, MatchPair.objects.visible_to(request.user)).select_related(*PAIR_RELATED)
    page = Paginator(qs.by_stake(), PAIRS_PER_PAGE).get_page(request.GET.get("hal"))
    found = cards(request.user, list(page))
    _log_full_niks(request, found, "tinjau kecocokan")
    context = {"page": page, "cards": found, "form": PairDecisionForm(), "filters": request.GET,
               "status": request.GET.get("status", "terbuka"), "statuses": STATUS_FILTERS, "kinds": MatchPair.Kind.choices,
               "programs": Program.objects.visible_to(request.user), "can_decide": can_decide_matches(request.user)}
    return render(request, "linkage/queue.html", context)


@login_required
def pair_detail(request, pk):
    pair = _get_pair_for_user(request, pk)
    found = cards(request.user, [pair])
    _log_full_niks(request, found, f"pasangan kecocokan {pair.pk}")
    context = {"card": found[0], "form": PairDecisionForm(), "trail": trail(pair)[:50],
               "can_decide": can_decide_matches(request.user)}
    return render(request, "linkage/pair_detail.html", context)


@login_required
@require_POST
def pair_decide(request, pk):
    pair = _get_pair_for_user(request, pk)
    if not can_decide_matches(request.user):
        raise PermissionDenied("Peran Anda hanya dapat membaca; keputusan kecocokan diambil Disnaker, Dinas Sosial atau desa.")
    form = PairDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(field_errors(form)))
        return redirect(_back(request, pair))
    data = form.cleaned_data
    try:
        services.decide_pair(pair, version=data["versi"], decision=data["keputusan"], alasan=data["alasan"], user=request.user)
    except services.PairError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Keputusan disimpan: {pair.left.nama} — {pair.get_status_display().lower()}.")
    return redirect(_back(request, pair))


def _back(request, pair: MatchPair) -> str:
    back = request.POST.get("kembali", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return back
    return pair.get_absolute_url()


# --- duplicates within a programme -----------------------------------------------------------------------


@login_required
def duplicates(request, slug):
    program = _get_program_for_user(request, slug)
    visible = Candidate.objects.visible_to(request.user).filter(program=program)
    groups = dup.groups_for(program, visible)
    rows = [(g, [(c, g.marks.get(c.pk)) for c in g.members]) for g in groups]
    if disclosure_for(request.user).full:
        record_nik_access(request.user, model=Candidate, rows=sum(len(g.members) for g in groups), note=f"duplikat {program.slug}")
    waiting = MatchPair.objects.visible_to(request.user).open().filter(kind=MatchPair.Kind.DUPLIKAT, left__program=program).count()
    context = {"program": program, "rows": rows, "open_groups": sum(g.open for g in groups), "waiting": waiting,
               "loose": dup.loose_marks(visible, groups),
               "can_keep": is_disnaker(request.user), "keep_form": KeepForm(), "undo_form": UndoForm()}
    return render(request, "linkage/duplicates.html", context)


@login_required
@require_POST
def duplicate_keep(request, slug):
    program = _get_program_for_user(request, slug)
    require_disnaker(request.user)
    form = KeepForm(request.POST)
    visible = Candidate.objects.visible_to(request.user).filter(program=program)
    if not form.is_valid():
        messages.error(request, " ".join(field_errors(form)))
        return redirect("duplicates", slug=program.slug)
    kept = get_object_or_404(visible, pk=form.cleaned_data["simpan"])
    try:
        members = parse_ids(request.POST.getlist("anggota"), what="anggota kelompok")
    except BadId as exc:
        messages.error(request, str(exc))
        return redirect("duplicates", slug=program.slug)
    others = list(visible.filter(pk__in=members).exclude(pk=kept.pk))
    try:
        marked = dup.keep_one(kept=kept, others=others, user=request.user, note=form.cleaned_data["catatan"])
    except dup.DuplicateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"{kept.nama} disimpan; {len(marked)} calon lain ditandai duplikat dan tidak akan "
                                  "diverifikasi atau mendapat kursi.")
    return redirect("duplicates", slug=program.slug)


@login_required
@require_POST
def duplicate_undo(request, slug, pk):
    program = _get_program_for_user(request, slug)
    require_disnaker(request.user)
    visible = Candidate.objects.visible_to(request.user).filter(program=program)
    mark = get_object_or_404(DuplicateMark.objects.filter(candidate__in=visible, undone_at__isnull=True), candidate_id=pk)
    form = UndoForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tuliskan alasan pembatalan tanda duplikat.")
        return redirect("duplicates", slug=program.slug)
    try:
        candidate = dup.undo(mark=mark, user=request.user, alasan=form.cleaned_data["alasan"])
    except dup.DuplicateError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Tanda duplikat {candidate.nama} dibatalkan; statusnya kembali {candidate.get_status_display().lower()}.")
    return redirect("duplicates", slug=program.slug)
