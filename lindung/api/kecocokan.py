"""Match pairs (the review queue) and their decisions, and the BPJS branch's participant list upload."""

from __future__ import annotations

from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import File, Path, Query, Router, Status
from ninja.files import UploadedFile

from lindung.accounts.access import can_decide_matches, is_disnaker
from lindung.api.common import log_full_niks, require, responses
from lindung.api.paging import MAX_BATAS, page
from lindung.api.schemas import DaftarBpjs, HalamanPasangan, KeputusanPasangan, Pasangan
from lindung.api.tokens import ApiDenied
from lindung.imports.models import Candidate
from lindung.lib.ids import MAX_ID
from lindung.linkage import services
from lindung.linkage.cards import PAIR_RELATED, cards, full_nik_count
from lindung.linkage.models import MatchPair, MatchRun
from lindung.programs.models import Program

router = Router(tags=["kecocokan dan BPJS"])

PairStatusCode = Literal[tuple(MatchPair.Status.values)]  # type: ignore[valid-type]
PairKindCode = Literal[tuple(MatchPair.Kind.values)]  # type: ignore[valid-type]


def _side(side) -> dict:
    return {"nama": side.nama, "nik": side.nik, "asal": side.asal, "status": side.status, "calon": side.candidate_pk}


def _pairs(request, pairs: list) -> list[dict]:
    found = cards(request.user, pairs)
    log_full_niks(request, Candidate, full_nik_count(found), "pasangan kecocokan")
    return [{"id": c.pair.pk, "jenis": c.pair.kind, "skor": round(c.pair.score, 4), "pita": c.pair.band,
             "status": c.pair.status, "versi": c.pair.version, "kiri": _side(c.left), "kanan": _side(c.right),
             "alasan": c.pair.alasan,
             "diputuskan_oleh": (c.pair.decided_by.get_full_name() or c.pair.decided_by.username) if c.pair.decided_by else None}
            for c in found]


def _visible(request):
    return MatchPair.objects.visible_to(request.user).select_related(*PAIR_RELATED)


@router.get("/kecocokan/", response=responses({200: HalamanPasangan}), summary="Pasangan data yang mungkin orang yang sama")
def pair_list(request, status: PairStatusCode | None = Query(None, description="kosong = semua"),
              jenis: PairKindCode | None = Query(None),
              program: str | None = Query(None, description="slug program"),
              setelah: str | None = Query(None), batas: int = Query(20, ge=1, le=MAX_BATAS)):
    qs = _visible(request)
    if status:
        qs = qs.filter(status=status)
    if jenis:
        qs = qs.filter(kind=jenis)
    if program:
        qs = qs.in_program(get_object_or_404(Program.objects.visible_to(request.user), slug=program))
    rows, nxt = page(qs, setelah=setelah, batas=batas)
    return {"hasil": _pairs(request, rows), "berikutnya": nxt}


@router.get("/kecocokan/{pasangan_id}/", response=responses({200: Pasangan}), summary="Satu pasangan")
def pair_detail(request, pasangan_id: int = Path(..., ge=0, le=MAX_ID)):
    return _pairs(request, [get_object_or_404(_visible(request), pk=pasangan_id)])[0]


@router.post("/kecocokan/{pasangan_id}/keputusan/", response=responses({200: Pasangan}),
             summary="Putuskan: sama atau berbeda (dengan alasan)")
def pair_decide(request, data: KeputusanPasangan, pasangan_id: int = Path(..., ge=0, le=MAX_ID)):
    """Kirim `versi` pasangan yang Anda lihat; bila orang lain sudah memutuskan, jawabannya 409."""
    pair = get_object_or_404(_visible(request), pk=pasangan_id)
    require(can_decide_matches(request.user), "Peran Anda hanya dapat membaca; keputusan kecocokan diambil Disnaker, "
                                              "Dinas Sosial atau desa.")
    try:
        services.decide_pair(pair, version=data.versi, decision=data.keputusan, alasan=data.alasan, user=request.user)
    except services.StalePair as exc:
        raise ApiDenied(409, "keputusan_basi", str(exc), [{"versi_sekarang": pair.version, "status": pair.status}]) from None
    except services.PairError as exc:
        raise ApiDenied(422, "keputusan_tidak_valid", str(exc)) from None
    return _pairs(request, [get_object_or_404(_visible(request), pk=pair.pk)])[0]


@router.post("/bpjs/peserta/", response=responses({201: DaftarBpjs}), summary="Unggah daftar peserta dari cabang BPJS")
def roster_upload(request, berkas: UploadedFile = File(..., description="xlsx/csv: NIK, Nama, Tanggal Lahir, No. KPJ, Segmen")):
    """Disnaker: calon di wilayah Anda yang sudah terdaftar ditandai; pencocokan data dijalankan di latar."""
    from lindung.imports import reader, roster

    user = request.user
    require(is_disnaker(user), "Hanya Disnaker yang mengunggah daftar peserta BPJS.")
    membership = getattr(user, "membership", None)
    if membership is None:
        raise ApiDenied(422, "pemda_tidak_diketahui", "Akun ini tidak terikat pada pemda.")
    try:
        made = roster.load_roster(pemda=membership.wilayah, user=user, upload=berkas)
    except reader.ImportFileError as exc:
        raise ApiDenied(422, exc.code, exc.message) from None
    services.request_run(user=user, trigger=MatchRun.Trigger.ROSTER)
    return Status(201, {"id": made.pk, "nama_berkas": made.original_name, "baris": made.rows, "dilewati": len(made.skipped)})
