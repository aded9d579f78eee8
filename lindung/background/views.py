from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from lindung.accounts.access import is_disnaker, require_disnaker
from lindung.background.models import Job
from lindung.programs.models import Program

# Jobs of the Disnaker's enrolment work: every Disnaker user of the programme follows them (one cohort
# per programme); a bulk decision is its verifier's own.
SHARED_KINDS = {Job.Kind.FORM_COHORT, Job.Kind.ADD_TO_COHORT, Job.Kind.SUBMISSION, Job.Kind.SUBMIT,
                Job.Kind.LAMPIRAN, Job.Kind.RESPONSE, Job.Kind.RENEWAL}


def job_for_user(request, pk: int) -> Job:
    """A job of a programme the user sees, started by them, or an enrolment job and they are Disnaker."""
    visible = Job.objects.filter(program__in=Program.objects.visible_to(request.user)).select_related("program")
    job = get_object_or_404(visible, pk=pk)
    if job.user_id != request.user.pk and not (job.kind in SHARED_KINDS and is_disnaker(request.user)):
        raise Http404("Proses ini tidak ditemukan.")
    return job


def back_url(job: Job) -> tuple[str, str]:
    """Where the job was started from: the way back from its page (no dead end)."""
    if job.kind == Job.Kind.DECIDE:
        return reverse("verification_queue", args=[job.program.slug]), "Kembali ke antrean verifikasi"
    if job.kind == Job.Kind.RENEWAL:  # the job's programme is this year's; done, the way on is the new one
        if job.state == Job.State.DONE:
            return reverse("cohort", args=[job.params["slug"]]), "Buka penetapan program baru"
        return reverse("new_year", args=[job.program.slug]), "Kembali ke tahun anggaran baru"
    return reverse("cohort", args=[job.program.slug]), "Kembali ke penetapan dan BPJS"


@login_required
def job_detail(request, pk):
    job = job_for_user(request, pk)
    job.recover_if_stale()  # a killed worker: the page says so instead of polling forever
    url, label = back_url(job)
    return render(request, "background/job.html", {"job": job, "program": job.program, "back_url": url,
                                                   "back_label": label})


@login_required
def job_status(request, pk):
    """Polled by the job's progress bar (lindung/static/lindung/app.js) every second while it runs."""
    job = job_for_user(request, pk)
    job.recover_if_stale()
    text = job.progress_text
    if job.total and job.is_running:
        text = f"{text} ({job.done:,} dari {job.total:,})".replace(",", ".")
    return JsonResponse({"state": job.state, "label": job.get_state_display(), "progress": job.percent,
                         "text": text, "running": job.is_running})


@login_required
def job_download(request, pk):
    """The file a job made (the pengajuan, the SK lampiran: full NIKs)."""
    job = job_for_user(request, pk)
    require_disnaker(request.user)
    if job.state != Job.State.DONE or not job.result:
        raise Http404("Berkas proses ini belum siap atau sudah diganti yang lebih baru.")
    return deliver_result(request, job, back_url=reverse("job_detail", args=[job.pk]))


FILE_NOTES = {Job.Kind.SUBMISSION: "pengajuan BPJS", Job.Kind.LAMPIRAN: "lampiran SK"}


def deliver_result(request, job: Job, *, back_url: str):
    """A finished job's stored file, encrypted with the password typed now (never stored encrypted), the
    download logged: the one way every job's file leaves the server (job page, SK lampiran link)."""
    from lindung.enrolment.models import Enrolment
    from lindung.privacy.downloads import Export, protected_download

    def make() -> Export:
        with job.result.open("rb") as handle:
            data = handle.read()
        return Export(data, job.result_name, rows=job.result_rows, model=Enrolment,
                      note=f"{FILE_NOTES.get(job.kind, job.get_kind_display())} {job.program.slug}")

    return protected_download(request, title=f"Unduh {job.result_name}", make=make, back_url=back_url)
