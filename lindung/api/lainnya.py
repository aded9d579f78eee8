"""Read-only resources: import batches and their progress, cohorts and enrolments, the audit trail (auditors)."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router

from lindung.accounts.models import AuditEntry
from lindung.api import present
from lindung.lib.ids import MAX_ID
from lindung.api.common import disclosure, is_auditor, log_full_niks, require, responses
from lindung.api.paging import MAX_BATAS, page
from lindung.api.schemas import HalamanAudit, HalamanPenetapan, HalamanUnggahan, Kohort, Unggahan
from lindung.enrolment.models import Cohort, Enrolment
from lindung.imports.models import Candidate, ImportBatch
from lindung.programs.models import Program

router = Router(tags=["unggahan, kohort, audit"])


def batches_for(user):
    """Uploads of the user's programmes; a desa operator sees only their own (as on the programme page)."""
    qs = ImportBatch.objects.filter(program__in=Program.objects.visible_to(user)).select_related("program")
    membership = getattr(user, "membership", None)
    if membership is not None and membership.is_desa and not user.is_superuser:
        qs = qs.filter(uploaded_by=user)
    return qs


@router.get("/unggahan/", response=responses({200: HalamanUnggahan}), summary="Unggahan daftar calon dan progresnya")
def batch_list(request, program: str | None = Query(None, description="slug program"),
               setelah: str | None = Query(None), batas: int = Query(100, ge=1, le=MAX_BATAS)):
    qs = batches_for(request.user)
    if program:
        qs = qs.filter(program__slug=program)
    rows, nxt = page(qs, setelah=setelah, batas=batas)
    return {"hasil": [present.unggahan(b) for b in rows], "berikutnya": nxt}


@router.get("/unggahan/{unggahan_id}/", response=responses({200: Unggahan}), summary="Satu unggahan (progres)")
def batch_detail(request, unggahan_id: int = Path(..., ge=0, le=MAX_ID)):
    return present.unggahan(get_object_or_404(batches_for(request.user), pk=unggahan_id))


def _cohort(c) -> dict:
    return {"id": c.pk, "program": c.program.slug, "mulai": c.mulai, "bulan": c.bulan, "kursi": c.kursi,
            "iuran_per_orang": c.iuran_per_orang, "nomor_sk": c.nomor_sk, "tanggal_sk": c.tanggal_sk}


@router.get("/program/{slug}/kohort/", response=responses({200: list[Kohort]}), summary="Kohort penetapan program")
def cohort_list(request, slug: str):
    program = get_object_or_404(Program.objects.visible_to(request.user), slug=slug)
    return [_cohort(c) for c in Cohort.objects.filter(program=program).select_related("program")]


@router.get("/kohort/{kohort_id}/penetapan/", response=responses({200: HalamanPenetapan}),
            summary="Penetapan (kursi, daftar tunggu, konflik) sebuah kohort")
def enrolment_list(request, kohort_id: int = Path(..., ge=0, le=MAX_ID), setelah: str | None = Query(None),
                   batas: int = Query(100, ge=1, le=MAX_BATAS)):
    cohort = get_object_or_404(Cohort.objects.filter(program__in=Program.objects.visible_to(request.user)), pk=kohort_id)
    qs = Enrolment.objects.filter(cohort=cohort, candidate__in=Candidate.objects.visible_to(request.user))
    rows, nxt = page(qs.select_related("candidate__program", "candidate__desa"), setelah=setelah, batas=batas)
    shown = disclosure(request)
    log_full_niks(request, Candidate, len(rows), f"penetapan kohort {cohort.pk}")
    return {"hasil": [{"id": e.pk, "kohort": cohort.pk, "calon": present.calon(e.candidate, shown), "urutan": e.urutan,
                       "keadaan": e.state, "kpj": e.kpj, "alasan": e.alasan} for e in rows], "berikutnya": nxt}


@router.get("/audit/", response=responses({200: HalamanAudit}), summary="Jejak audit (Auditor)")
def audit_list(request, model: str | None = Query(None, description="mis. imports.candidate", max_length=60),
               objek: str | None = Query(None, description="id objek", max_length=64),
               setelah: str | None = Query(None), batas: int = Query(100, ge=1, le=MAX_BATAS)):
    """Perubahan dan akses NIK lengkap oleh pengguna di pemda Anda; nilai identitas disamarkan seperti di halaman."""
    user = request.user
    require(is_auditor(user), "Jejak audit hanya untuk Auditor.")
    qs = AuditEntry.objects.select_related("user")
    if not user.is_superuser:
        pemda = user.membership.pemda_kode
        qs = qs.filter(Q(user__membership__wilayah_id=pemda) | Q(user__membership__wilayah__kode__startswith=f"{pemda}."))
    if model:
        qs = qs.filter(model=model)
    if objek:
        qs = qs.filter(object_id=objek)
    rows, nxt = page(qs, setelah=setelah, batas=batas)
    shown = disclosure(request)
    return {"hasil": [_audit(e, shown) for e in rows], "berikutnya": nxt}


def _audit(e, shown) -> dict:
    def values(data):
        return None if data is None else {k: (v if isinstance(v, (str, int, float, bool)) or v is None else str(v))
                                          for k, v in shown.fields(data if isinstance(data, dict) else {})}
    return {"id": e.pk, "waktu": e.at, "pengguna": e.user.username if e.user else None, "tindakan": e.action,
            "model": e.model, "objek": e.object_id, "lama": values(e.old), "baru": values(e.new), "baris": e.rows,
            "catatan": e.note}
