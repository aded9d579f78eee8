"""Verification over the API: the queue of the user's levels, decisions with the pages' optimistic lock (409)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router, Status

from lindung.api import present
from lindung.lib.ids import MAX_ID
from lindung.api.calon import candidates_for
from lindung.api.common import disclosure, fast_json, log_full_niks, responses
from lindung.api.paging import MAX_BATAS, page
from lindung.api.schemas import HalamanCalon, Keputusan, KeputusanMasuk
from lindung.api.tokens import ApiDenied
from lindung.imports.models import Candidate
from lindung.programs.models import Program
from lindung.verification import services
from lindung.verification.models import VerificationDecision

router = Router(tags=["verifikasi"])


@router.get("/program/{slug}/verifikasi/", response=responses({200: HalamanCalon}),
            summary="Antrean verifikasi: calon yang menunggu tingkat Anda")
def queue(request, slug: str, desa: str | None = Query(None, max_length=13), setelah: str | None = Query(None),
          batas: int = Query(100, ge=1, le=MAX_BATAS)):
    program = get_object_or_404(Program.objects.visible_to(request.user), slug=slug)
    qs = services.pending_for(request.user, program).select_related("program", "desa")
    if desa:
        qs = qs.filter(desa_id=desa)
    rows, nxt = page(qs.values(*present.CALON_VALUES), setelah=setelah, batas=batas, key="id")
    log_full_niks(request, Candidate, len(rows), f"antrean verifikasi {program.slug}")
    shown = disclosure(request)
    return fast_json({"hasil": [present.calon_values(v, shown) for v in rows], "berikutnya": nxt})


@router.get("/calon/{calon_id}/keputusan/", response=responses({200: list[Keputusan]}),
            summary="Keputusan verifikasi seorang calon")
def decisions(request, calon_id: int = Path(..., ge=0, le=MAX_ID)):
    candidate = get_object_or_404(candidates_for(request), pk=calon_id)
    qs = VerificationDecision.objects.filter(candidate=candidate).select_related("verifier")
    return [present.keputusan(d) for d in qs]


@router.post("/calon/{calon_id}/keputusan/", response=responses({201: Keputusan}),
             summary="Putuskan layak / tidak layak pada tingkat Anda")
def decide(request, data: KeputusanMasuk, calon_id: int = Path(..., ge=0, le=MAX_ID)):
    """Kirim `versi` calon yang Anda lihat. Bila orang lain sudah memutuskan lebih dulu, jawabannya **409**
    dengan nama yang memutuskan; keputusan Anda tidak disimpan."""
    candidate = get_object_or_404(candidates_for(request), pk=calon_id)
    try:
        made = services.decide(candidate=candidate, version=data.versi, decision=data.keputusan, user=request.user,
                               reason=data.alasan, note=data.catatan)
    except services.StaleDecision as exc:
        candidate.refresh_from_db()
        raise ApiDenied(409, "keputusan_basi", str(exc), [_winner(candidate)]) from None
    except services.DecisionError as exc:
        raise ApiDenied(422, "keputusan_tidak_valid", str(exc)) from None
    return Status(201, present.keputusan(made))


def _winner(candidate) -> dict:
    latest = VerificationDecision.objects.filter(candidate=candidate).select_related("verifier").last()
    winner = present.keputusan(latest) if latest else {}
    return {"versi_sekarang": candidate.version, "status": candidate.status,
            "diputuskan_oleh": winner.get("verifikator"), "keputusan": winner.get("keputusan"),
            "tingkat": winner.get("tingkat"), "waktu": winner["waktu"].isoformat() if winner else None}
