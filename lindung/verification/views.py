from __future__ import annotations

import logging
from typing import NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import OperationalError, transaction
from django.shortcuts import redirect, render

from lindung.counters.models import CandidateTally
from lindung.imports.models import Candidate, CandidateStatus
from lindung.lib import keyset
from lindung.lib.ids import BadId
from lindung.programs.views import _desa_scope, _get_program_for_user
from lindung.verification import services
from lindung.verification.forms import DecisionForm, parse_selected
from lindung.verification.levels import LEVELS
from lindung.verification.models import BeritaAcara, Decision, VerificationDecision

logger = logging.getLogger(__name__)


@login_required
def queue(request, slug):
    program = _get_program_for_user(request, slug)
    pending = services.pending_for(request.user, program).select_related("desa")
    if request.GET.get("desa"):
        pending = pending.filter(desa_id=request.GET["desa"])
    form = DecisionForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not services.levels_user_decides(request.user, program):
            raise PermissionDenied("Peran Anda tidak memutuskan tingkat verifikasi mana pun di program ini.")
        if form.is_valid():
            _apply(request, program, pending, form)
            return redirect(request.get_full_path())
    visible = Candidate.objects.visible_to(request.user).filter(program=program)
    count, exact = _pending_count(request, program, pending)
    paging_query = request.GET.copy()
    for key in ("setelah", "sebelum"):
        paging_query.pop(key, None)
    page = keyset.keyset_page(pending, ["desa_id", "nama", "pk"], after_cursor=request.GET.get("setelah"),
                              before_cursor=request.GET.get("sebelum"), size=100)
    for candidate in page:  # the level each waits at, by name (issue 16: the queue hid where a candidate is)
        candidate.tingkat = LEVELS[program.levels[candidate.level_index]].label
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


class _Chosen(NamedTuple):
    """A pending candidate as "semua" needs it (no ORM object for each of a province's 100.000)."""

    pk: int
    version: int
    desa_id: str
    level_index: int


def _apply(request, program, pending, form) -> None:
    data = form.cleaned_data
    selected = {}
    if data["semua"]:
        chosen = [_Chosen(*row) for row in pending.order_by().values_list("pk", "version", "desa_id", "level_index")]
    else:
        try:
            selected = parse_selected(request.POST.getlist("calon"))
        except BadId as exc:
            messages.error(request, str(exc))
            return
        chosen = list(pending.filter(pk__in=list(selected)))
        for candidate in chosen:
            candidate.version = selected[candidate.pk]  # the version the verifier saw
        _report_gone(request, program, set(selected) - {c.pk for c in chosen})
    if not chosen:
        if data["semua"]:
            messages.error(request, _nothing_pending(request, program))
        elif not selected:
            messages.error(request, "Tidak ada calon yang dipilih.")
        return
    try:
        result = _decide(request, program, chosen, data)
    except OperationalError:
        # SQLite still locked after SQLITE_BUSY_TIMEOUT (e.g. a large import being saved): nothing was written.
        logger.warning("verifikasi %s: basis data sibuk", program.slug, exc_info=True)
        messages.error(request, "Basis data sedang sibuk menyimpan data lain; keputusan Anda belum disimpan. "
                                "Coba lagi sebentar lagi.")
        return
    if result.decided:
        messages.success(request, _decided_message(program, chosen, result.decided, data["keputusan"]))
    # A lost race is a conflict, never a success: each candidate someone else decided first, and who.
    for text in result.stale_messages:
        messages.error(request, text)
    if len(result.stale) > len(result.stale_messages):
        messages.error(request, f"… dan {len(result.stale) - len(result.stale_messages)} calon lain yang sudah diputuskan pengguna lain.")


def _decided_message(program, chosen, decided: int, decision: str) -> str:
    """Where the decided candidates went (issue 16: after *Simpan keputusan* the names leave the list)."""
    if decision != Decision.LAYAK:
        return f"{decided} calon diputuskan tidak layak."
    at = {c.level_index for c in chosen}
    if len(at) != 1:
        return f"{decided} calon diputuskan layak dan diteruskan ke tingkat berikutnya."
    following = program.levels[at.pop() + 1:]
    if not following:
        return f"{decided} calon diputuskan layak dan kini terverifikasi (tingkat terakhir)."
    return f"{decided} calon diputuskan layak dan diteruskan ke tingkat {LEVELS[following[0]].label}."


def _decide(request, program, chosen, data) -> services.BulkResult:
    with transaction.atomic():
        berita_acara = _store_berita_acara(request, program, data.get("berita_acara"), chosen)
        result = services.decide_bulk(candidates=chosen, decision=data["keputusan"], reason=data["alasan"] or "",
                                      note=data["catatan"] or "", user=request.user, berita_acara=berita_acara)
        if berita_acara is not None and not result.decided:
            berita_acara.file.delete(save=False)  # no decision rests on it
            berita_acara.delete()
    return result


def _nothing_pending(request, program) -> str:
    """"Terapkan ke semua" found nobody left: someone decided them since the page was shown. Say who."""
    visible = Candidate.objects.visible_to(request.user).filter(program=program)
    latest = (VerificationDecision.objects.filter(candidate__in=visible).exclude(verifier=request.user)
              .select_related("candidate").order_by("-decided_at", "-pk").first())
    if latest is None:
        return "Tidak ada calon yang menunggu keputusan Anda."
    return "Tidak ada lagi calon yang menunggu keputusan Anda. " + services.stale_message(latest.candidate)


def _report_gone(request, program, pks: set[int]) -> None:
    """Ticked on the page but no longer waiting for this verifier: someone decided first. Say who."""
    gone = Candidate.objects.visible_to(request.user).filter(program=program, pk__in=list(pks))
    for candidate in gone[:20]:
        messages.error(request, services.stale_message(candidate))


def _store_berita_acara(request, program, upload, chosen) -> BeritaAcara | None:
    if upload is None:
        return None
    desa = {c.desa_id for c in chosen}
    level = program.levels[chosen[0].level_index]
    return BeritaAcara.objects.create(program=program, desa_id=desa.pop() if len(desa) == 1 else None, level=level,
                                      file=upload, original_name=upload.name[:255], uploaded_by=request.user)
