from __future__ import annotations

import logging
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse

from lindung.background import runner
from lindung.background.models import Job
from lindung.counters.models import CandidateTally
from lindung.imports.models import Candidate, CandidateStatus
from lindung.lib import keyset
from lindung.lib.ids import BadId
from lindung.programs.views import _desa_scope, _get_program_for_user
from lindung.verification import services
from lindung.verification.forms import DecisionForm, parse_selected
from lindung.lib.urls import pk_url
from lindung.verification.levels import LEVELS
from lindung.verification.models import BeritaAcara

logger = logging.getLogger(__name__)


@login_required
def queue(request, slug):
    program = _get_program_for_user(request, slug)
    pending = services.pending_for(request.user, program).select_related("desa")
    if request.GET.get("desa"):
        pending = pending.filter(desa_id=request.GET["desa"])
    form = DecisionForm(request.POST or None, request.FILES or None, initial=_shown_fields(request, program, pending))
    if request.method == "POST":
        if not services.levels_user_decides(request.user, program):
            raise PermissionDenied("Peran Anda tidak memutuskan tingkat verifikasi mana pun di program ini.")
        if form.is_valid():
            return redirect(_apply(request, program, pending, form) or request.get_full_path())
    visible = Candidate.objects.visible_to(request.user).filter(program=program)
    count, exact = _pending_count(request, program, pending)
    paging_query = request.GET.copy()
    for key in ("setelah", "sebelum"):
        paging_query.pop(key, None)
    page = keyset.keyset_page(pending, ["desa_id", "nama", "pk"], after_cursor=request.GET.get("setelah"),
                              before_cursor=request.GET.get("sebelum"), size=100)
    detail = pk_url("candidate_detail")  # reversed once, not per row
    for candidate in page:  # the level each waits at, by name (issue 16: the queue hid where a candidate is)
        candidate.tingkat = LEVELS[program.levels[candidate.level_index]].label
        candidate.detail_url = detail(candidate.pk)
    context = {
        "program": program, "form": form, "count": count, "count_exact": exact, "paging_query": paging_query,
        "page": page,
        "levels": [LEVELS[code].label for i, code in enumerate(program.levels)
                   if i in services.levels_user_decides(request.user, program)],
        # A desa operator's own rows are few; anyone else sees the whole programme's tally.
        "progress": services.progress(program, visible if _desa_scope(request.user) else None), "by_desa": _by_desa(request.user, program, visible),
        "filters": request.GET,
    }
    return render(request, "verification/queue.html", context)


def _shown_fields(request, program, pending) -> dict:
    """The page's queue for its form (services.Shown); a POST carries its own."""
    if request.method == "POST" or not services.levels_user_decides(request.user, program):
        return {}
    return services.shown_queue(request.user, program, pending).as_fields()


def _pending_count(request, program, pending) -> tuple[int, bool]:
    """Exact from the trigger-kept tally for the whole programme's queue; bounded for a desa or a desa filter."""
    if _desa_scope(request.user) or request.GET.get("desa"):
        return keyset.bounded_count(pending)
    levels = services.levels_user_decides(request.user, program)
    tally = CandidateTally.objects.for_program(program.pk)
    return sum(n for (status, level), n in tally.items() if status == CandidateStatus.CALON and level in levels), True


def _by_desa(user, program, visible) -> list[dict] | None:
    """Per desa figures when the programme's desa fit on a page; None for a province (the filter takes a kode)."""
    from lindung.programs.views import _desa_codes

    return services.progress_by_desa(program, visible) if _desa_codes(user, program, visible) is not None else None


# A decision over at most this many candidates is made in the request, as before; more (a province's
# *semua*, 100.000 at the Disnaker level) goes to the background worker with a progress page.
SYNC_LIMIT = 500


def _apply(request, program, pending, form) -> str | None:
    """Decide; returns the job page to go to when the decision went to the background."""
    data = form.cleaned_data
    if data["semua"]:
        if data["shown"] is None:
            messages.error(request, "Halaman ini tidak menyebut calon mana yang ditampilkannya; tidak ada yang "
                                    "diputuskan. Muat ulang halaman lalu putuskan lagi.")
            return None
        pending = services.still_shown(program, pending, data["shown"])
        if pending.order_by()[:SYNC_LIMIT + 1].count() > SYNC_LIMIT:
            return _to_background(request, program, pending, data, {"semua": True, "desa": request.GET.get("desa", ""),
                                                                    **data["shown"].as_params()})
        chosen = services.chosen_pending(pending)
    else:
        try:
            selected = parse_selected(request.POST.getlist("calon"))
        except BadId as exc:
            messages.error(request, str(exc))
            return None
        if len(selected) > SYNC_LIMIT:
            return _to_background(request, program, pending, data, {"calon": sorted(selected.items())})
        chosen, gone = services.chosen_selected(pending, selected)
        for text in services.gone_messages(request.user, program, gone):
            messages.error(request, text)
        if not selected:
            messages.error(request, "Tidak ada calon yang dipilih.")
            return None
    if not chosen:
        if data["semua"]:
            messages.error(request, services.shown_gone_message(request.user, program, data["shown"],
                                                                request.GET.get("desa", "")))
        return None
    try:
        result = _decide(request, program, chosen, data)
    except OperationalError:
        # SQLite still locked after SQLITE_BUSY_TIMEOUT (e.g. a large import being saved): nothing was written.
        logger.warning("verifikasi %s: basis data sibuk", program.slug, exc_info=True)
        messages.error(request, "Basis data sedang sibuk menyimpan data lain; keputusan Anda belum disimpan. "
                                "Coba lagi sebentar lagi.")
        return None
    if result.decided:
        messages.success(request, services.decided_message(program, chosen, result.decided, data["keputusan"]))
    for text in services.stale_summary(result):
        messages.error(request, text)
    return None


def _to_background(request, program, pending, data, which: dict) -> str:
    """A large decision: the berita acara stored now, the decision queued; the job page shows its progress."""
    running = _semua_running(request, program, which) if "semua" in which else None
    if running is not None:
        return running
    berita_acara = None
    if data.get("berita_acara") is not None:
        first = pending.order_by().values_list("level_index", flat=True).first()
        desa = list(pending.order_by().values_list("desa_id", flat=True).distinct()[:2]) if "semua" in which else \
            [request.GET["desa"]] if request.GET.get("desa") else []
        berita_acara = _save_berita_acara(request, program, data["berita_acara"], set(desa), first or 0)
    job = runner.start(Job.Kind.DECIDE, program=program, user=request.user, params={
        **which, "keputusan": data["keputusan"], "alasan": data["alasan"] or "", "catatan": data["catatan"] or "",
        "berita_acara": berita_acara.pk if berita_acara else None})
    messages.info(request, "Keputusan sedang disimpan oleh pekerja latar; halaman ini menunjukkan kemajuannya.")
    return reverse("job_detail", args=[job.pk])


def _semua_running(request, program, which: dict) -> str | None:
    """*semua* sent again (a second click, a reload) while the same user's *semua* over the same queue is still
    waiting or being saved: that job's page, with a word on it, instead of a second job over the same people."""
    running = program.jobs.active().filter(kind=Job.Kind.DECIDE, user=request.user, params__semua=True,
                                           params__desa=which["desa"]).first()
    if running is None or running.recover_if_stale():
        return None
    state = "masih menunggu giliran" if running.state == Job.State.WAITING else "masih disimpan"
    messages.info(request, f"Keputusan untuk semua calon yang Anda kirim {services.when(running.created_at)} {state}; "
                           "keputusan kedua tidak dikirim. Halaman ini menunjukkan kemajuan yang pertama.")
    return reverse("job_detail", args=[running.pk])


def _decide(request, program, chosen, data) -> services.BulkResult:
    with transaction.atomic():
        berita_acara = _store_berita_acara(request, program, data.get("berita_acara"), chosen)
        result = services.decide_bulk(candidates=chosen, decision=data["keputusan"], reason=data["alasan"] or "",
                                      note=data["catatan"] or "", user=request.user, berita_acara=berita_acara)
        if berita_acara is not None and not result.decided:
            berita_acara.file.delete(save=False)  # no decision rests on it
            berita_acara.delete()
    return result


def _store_berita_acara(request, program, upload, chosen) -> BeritaAcara | None:
    if upload is None:
        return None
    return _save_berita_acara(request, program, upload, {c.desa_id for c in chosen}, chosen[0].level_index)


def _save_berita_acara(request, program, upload, desa: set, level_index: int) -> BeritaAcara:
    return BeritaAcara.objects.create(program=program, desa_id=desa.pop() if len(desa) == 1 else None,
                                      level=program.levels[level_index], file=upload, original_name=upload.name[:255],
                                      uploaded_by=request.user)
