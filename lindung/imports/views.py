from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lindung.accounts.access import can_upload, disclosure_for, require_disnaker, require_upload
from lindung.imports import reader, services
from lindung.imports.forms import RosterForm, UploadForm
from lindung.imports.models import Candidate, ImportBatch
from lindung.imports.tasks import commit_batch_task
from lindung.linkage.models import MatchRun
from lindung.linkage.services import request_run
from lindung.privacy.downloads import Export, protected_download
from lindung.programs.models import Program
from lindung.programs.views import _get_program_for_user

PROBLEMS_SHOWN = 500


def _get_batch_for_user(request, pk: int) -> ImportBatch:
    """A batch of a programme the user sees; a desa operator sees only their own uploads."""
    qs = ImportBatch.objects.filter(program__in=Program.objects.visible_to(request.user)).select_related("program")
    membership = getattr(request.user, "membership", None)
    if membership is not None and membership.is_desa and not request.user.is_superuser:
        qs = qs.filter(uploaded_by=request.user)
    return get_object_or_404(qs, pk=pk)


@login_required
def upload(request, slug):
    program = _get_program_for_user(request, slug)
    require_upload(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        membership = getattr(request.user, "membership", None)
        desa = membership.wilayah if membership is not None and membership.is_desa else None
        batch = services.start_import(program=program, user=request.user, upload=form.cleaned_data["berkas"], desa=desa)
        return redirect("batch_detail", pk=batch.pk)
    return render(request, "imports/upload.html", {"program": program, "form": form})


@login_required
def batch_detail(request, pk):
    batch = _get_batch_for_user(request, pk)
    batch.recover_if_stale()
    problems = batch.problems[:PROBLEMS_SHOWN]
    context = {"batch": batch, "program": batch.program, "problems": problems,
               "more_problems": max(0, len(batch.problems) - PROBLEMS_SHOWN), "can_upload": can_upload(request.user)}
    return render(request, "imports/batch_detail.html", context)


@login_required
def batch_status(request, pk):
    batch = _get_batch_for_user(request, pk)
    batch.recover_if_stale()  # a killed job: the page stops polling and shows what to do
    return JsonResponse({"status": batch.status, "label": batch.get_status_display(), "progress": batch.progress,
                         "text": batch.progress_text, "running": batch.is_running})


@login_required
@require_POST
def batch_accept(request, pk):
    batch = _get_batch_for_user(request, pk)
    require_upload(request.user)
    # Only the request that moves the batch out of the preview queues the commit (double clicks, two tabs).
    claimed = ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.Status.PREVIEW, rows_ok__gt=0).update(
        status=ImportBatch.Status.COMMITTING, progress=0, progress_text="Menunggu giliran menyimpan", heartbeat_at=None, error="")
    if not claimed:
        messages.error(request, "Unggahan ini tidak dapat disimpan: belum selesai diperiksa, sudah disimpan, atau tidak ada baris yang baik.")
        return redirect("batch_detail", pk=batch.pk)
    commit_batch_task.enqueue(batch.pk, request.user.pk)
    messages.success(request, f"{batch.rows_ok} baris yang baik sedang disimpan.")
    return redirect("batch_detail", pk=batch.pk)


@login_required
def batch_errors(request, pk):
    """The rejected rows as uploaded, full NIKs included: for the roles that handle the lists."""
    batch = _get_batch_for_user(request, pk)
    if not disclosure_for(request.user).full:
        raise PermissionDenied("Berkas baris yang ditolak memuat NIK lengkap; peran Anda hanya melihat NIK tersamar.")
    if batch.rows_rejected == 0:
        messages.info(request, "Tidak ada baris yang ditolak.")
        return redirect("batch_detail", pk=batch.pk)
    if not batch.file:
        messages.info(request, "Berkas asli unggahan ini sudah dihapus karena melewati masa retensi.")
        return redirect("batch_detail", pk=batch.pk)
    return protected_download(
        request, title="Unduh baris yang ditolak", back_url=reverse("batch_detail", args=[batch.pk]),
        make=lambda: Export(services.error_file(batch), f"ditolak-{batch.pk}-{batch.program.slug}.xlsx",
                            rows=batch.rows_rejected, model=ImportBatch, note=f"berkas galat impor {batch.pk}"))


@login_required
def bpjs_roster(request):
    """The BPJS branch's participant list for the user's pemda: upload, and see what it flagged."""
    from lindung.imports import roster
    from lindung.registry.models import BpjsRoster

    membership = getattr(request.user, "membership", None)
    pemda_kode = membership.pemda_kode if membership is not None else None
    form = RosterForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require_disnaker(request.user)
        if pemda_kode is None:
            raise PermissionDenied("Akun ini tidak terikat pada pemda.")
        if form.is_valid():
            try:
                made = roster.load_roster(pemda=membership.wilayah, user=request.user, upload=form.cleaned_data["berkas"])
            except reader.ImportFileError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, f"{made.rows} peserta BPJS dimuat; {len(made.skipped)} baris dilewati"
                                          f"{' (rinciannya di bawah, pada berkas ini)' if made.skipped else ''}. "
                                          "Pencocokan data dijalankan di latar untuk menemukan NIK atau nama yang mirip.")
                request_run(user=request.user, trigger=MatchRun.Trigger.ROSTER)
            return redirect("bpjs_roster")
    rosters = BpjsRoster.objects.filter(pemda_id=pemda_kode) if pemda_kode else BpjsRoster.objects.none()
    flagged = Candidate.objects.visible_to(request.user).exclude(bpjs_kpj="").count()
    return render(request, "imports/bpjs_roster.html", {"form": form, "rosters": rosters[:20], "flagged": flagged})
