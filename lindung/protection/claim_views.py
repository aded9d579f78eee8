"""Claim pages: a programme's claims and the form to record one (Disnaker), a claim with its document
checklist and BPJS's answer. Scoped like candidates: a desa operator sees their desa's, another pemda 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render

from lindung.accounts.access import is_disnaker, require_disnaker
from lindung.protection import claims
from lindung.protection.forms import ClaimAnswerForm, ClaimForm
from lindung.protection.models import Claim
from lindung.enrolment.services import EnrolmentError
from lindung.imports.models import Candidate
from lindung.programs.views import _get_program_for_user

CHECKLIST = {
    "jkm": ["Kartu peserta / nomor KPJ", "Surat keterangan kematian dari desa/kelurahan atau rumah sakit",
            "KTP dan KK peserta dan ahli waris", "Surat keterangan ahli waris", "Buku rekening ahli waris"],
    "jkk_kematian": ["Kartu peserta / nomor KPJ", "Laporan kecelakaan kerja (tahap I dan II)",
                     "Kronologi kejadian dan surat keterangan kepolisian bila kecelakaan lalu lintas",
                     "Surat keterangan kematian", "KTP dan KK peserta dan ahli waris", "Surat keterangan ahli waris",
                     "Buku rekening ahli waris"],
    "beasiswa": ["Kartu peserta / nomor KPJ", "KK dan akta kelahiran anak",
                 "Surat keterangan aktif sekolah/kuliah atau rapor terakhir", "Buku rekening anak atau wali"],
}


@login_required
def claim_list(request, slug):
    program = _get_program_for_user(request, slug)
    visible = Candidate.objects.visible_to(request.user).filter(program=program)
    form = ClaimForm(request.POST or None)
    if request.method == "POST":
        require_disnaker(request.user)
        if form.is_valid():
            claim = _record(request, program, visible, form.cleaned_data)
            if claim is not None:
                return redirect("claim_detail", pk=claim.pk)
        else:
            messages.error(request, "Klaim belum lengkap: " + "; ".join(
                f"{form.fields[name].label if name in form.fields else name}: {' '.join(errs)}"
                for name, errs in form.errors.items()))
    rows = Claim.objects.filter(candidate__in=visible).select_related("candidate")
    return render(request, "protection/claims.html", {"program": program, "claims": rows, "form": form,
                                                    "can_record": is_disnaker(request.user)})


def _record(request, program, visible, data) -> Claim | None:
    candidate = visible.filter(nik=data["nik"]).first()
    if candidate is None:
        messages.error(request, f"NIK tidak ditemukan di daftar peserta {program.nama}.")
        return None
    try:
        claim = claims.record(candidate=candidate, jenis=data["jenis"], tanggal=data["tanggal"],
                              ahli_waris=data["ahli_waris"], penghasilan=data["penghasilan"], anak=data["anak"],
                              sebab=data["sebab"], user=request.user)
    except (claims.ClaimError, EnrolmentError) as exc:
        messages.error(request, str(exc))
        return None
    messages.success(request, f"Klaim dicatat. Manfaat menurut ketentuan: {claim.rincian}.")
    return claim


@login_required
def claim_detail(request, pk):
    claim = get_object_or_404(Claim.objects.filter(candidate__in=Candidate.objects.visible_to(request.user))
                              .select_related("candidate__program"), pk=pk)
    form = ClaimAnswerForm(request.POST or None)
    if request.method == "POST":
        require_disnaker(request.user)
        if form.is_valid():
            _answer(request, claim, form.cleaned_data)
            return redirect("claim_detail", pk=claim.pk)
        messages.error(request, "Isian jawaban BPJS belum benar.")
    return render(request, "protection/claim_detail.html", {"claim": claim, "form": form,
                                                          "checklist": CHECKLIST[claim.jenis],
                                                          "can_answer": is_disnaker(request.user)})


def _answer(request, claim: Claim, data) -> None:
    try:
        if data["hasil"] == "ditolak":
            claims.rejected(claim, alasan=data["alasan"], user=request.user)
            messages.success(request, "Penolakan klaim dicatat.")
            return
        if data["jumlah"] is None or data["tanggal"] is None:
            raise claims.ClaimError("Isi jumlah dan tanggal pembayaran BPJS.")
        warnings = claims.paid(claim, jumlah=data["jumlah"], tanggal=data["tanggal"], user=request.user)
    except claims.ClaimError as exc:
        messages.error(request, str(exc))
        return
    if warnings:
        messages.warning(request, "Pembayaran dicatat, tetapi berbeda dari ketentuan: " + " ".join(w["message"] for w in warnings))
    else:
        messages.success(request, "Pembayaran klaim dicatat; sesuai ketentuan.")


@login_required
def move_offers(request, slug):
    """People who moved here from another programme: the operator accepts (with the new desa) or declines."""
    from lindung.protection import moves
    from lindung.protection.models import MoveOffer

    program = _get_program_for_user(request, slug)
    offers = MoveOffer.objects.filter(program=program).select_related("candidate__program")
    if request.method == "POST":
        require_disnaker(request.user)
        move = get_object_or_404(offers, pk=request.POST.get("tawaran"))
        try:
            moves.decide(move, accept=request.POST.get("keputusan") == "terima", user=request.user,
                         desa=request.POST.get("desa", "").strip(), catatan=request.POST.get("catatan", ""))
        except moves.MoveError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Keputusan untuk {move.candidate.nama} disimpan.")
        return redirect("move_offers", slug=program.slug)
    return render(request, "protection/move_offers.html", {"program": program, "offers": offers,
                                                         "can_decide": is_disnaker(request.user)})
