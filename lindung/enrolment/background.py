"""The enrolment stage's background jobs (lindung.background): forming the cohort, adding the newly
verified to it, and writing the BPJS pengajuan file — each of them minutes of work at a province's size."""

from __future__ import annotations

import os
import tempfile
from datetime import date

from django.core.files import File
from django.db import transaction
from django.db.models import Count

from lindung.background.models import Job
from lindung.background.runner import JobRefused, Outcome, Progress, finish
from lindung.enrolment import bpjs, services
from lindung.enrolment.models import Enrolment


def form_cohort_job(job: Job, progress: Progress) -> None:
    p = job.params
    progress.announce("Membaca calon terverifikasi dan menempatkan kursi")
    try:
        with transaction.atomic():
            made = services.form_cohort(
                program=job.program, user=job.user, mulai=date.fromisoformat(p["mulai"]) if p.get("mulai") else None,
                bulan=p.get("bulan"), alasan_mulai=p.get("alasan_mulai", ""), prioritas=p["prioritas"],
                progress=progress)
            seated = made.seated.count()
            finish(job, progress, Outcome(f"Kohort dibuat: {seated} mendapat kursi dari {made.kursi}."))
    except services.EnrolmentError as exc:
        raise JobRefused(str(exc)) from None


def add_to_cohort_job(job: Job, progress: Progress) -> None:
    current = services.latest_cohort(job.program)
    if current is None:
        raise JobRefused("Program ini belum punya kohort.")
    progress.announce("Membaca calon yang baru terverifikasi dan menempatkan mereka")
    with transaction.atomic():
        before = _counts_by_state(current)
        added = services.add_verified(current, progress)
        after = _counts_by_state(current)
        seated, waiting, conflict = (after.get(s, 0) - before.get(s, 0) for s in
                                     (Enrolment.State.SEATED, Enrolment.State.WAITING, Enrolment.State.CONFLICT))
        if not added:
            text = "Tidak ada calon baru yang terverifikasi untuk ditambahkan."
        else:
            text = (f"{added} calon yang baru terverifikasi ditambahkan: {seated} mendapat kursi, {waiting} masuk "
                    "daftar tunggu" + (f", {conflict} konflik dengan program lain." if conflict else "."))
        finish(job, progress, Outcome(text))


def _counts_by_state(cohort) -> dict[str, int]:
    return dict(cohort.enrolments.values_list("state").annotate(n=Count("pk")).order_by())


def submit_job(job: Job, progress: Progress) -> None:
    """*Ajukan ke BPJS*: the seated and verified become *diajukan*, all together or none."""
    current = services.latest_cohort(job.program)
    if current is None:
        raise JobRefused("Program ini belum punya kohort.")
    progress.announce("Mengubah status menjadi Diajukan")
    with transaction.atomic():
        moved = bpjs.submit_all(current, user=job.user, progress=progress)
        text = (f"{moved} orang diajukan ke BPJS (status Diajukan). Unduh berkas pengajuan lalu kirim ke Kantor "
                "Cabang BPJS." if moved else "Tidak ada peserta baru untuk diajukan.")
        finish(job, progress, Outcome(text))


def submission_job(job: Job, progress: Progress) -> None:
    """The pengajuan, streamed row by row into a temporary file, then moved into storage whole: a failure
    or a kill leaves no file behind as the job's result. Reading only: no status changes."""
    fmt = job.params["fmt"]
    program = job.program
    current = services.latest_cohort(program)
    if current is None:
        raise JobRefused("Program ini belum punya kohort.")
    rows = bpjs.awaiting_seated(current).count()
    if not rows:
        raise JobRefused("Belum ada yang diajukan ke BPJS: klik Ajukan ke BPJS dulu.")
    progress(done=0, total=rows, text="Menulis berkas pengajuan")
    name = f"pengajuan-bpjs-{program.slug}.{fmt}"
    handle, path = tempfile.mkstemp(suffix=f".{fmt}", prefix="lindung-pengajuan-")
    os.close(handle)
    try:
        written = bpjs.write_submission_file(current, path, fmt=fmt, progress=progress)
        with open(path, "rb") as plain:
            job.result.save(f"{job.pk}-{name}", File(plain), save=False)
        try:
            finish(job, progress, Outcome(f"Berkas pengajuan ({fmt}) siap: {written} orang menunggu jawaban BPJS."),
                   result=job.result.name, result_name=name, result_rows=written)
        except Exception:
            job.result.delete(save=False)  # never a stored file without its job saying so
            raise
    finally:
        os.unlink(path)
    _forget_older_files(job)


def _forget_older_files(job: Job) -> None:
    """One pengajuan file kept per programme: the older ones (full NIKs, now outdated) leave storage."""
    older = (Job.objects.filter(program=job.program, kind=Job.Kind.SUBMISSION, pk__lt=job.pk)
             .exclude(result="").exclude(result__isnull=True))
    for old in older:
        old.result.delete(save=False)
        Job.objects.filter(pk=old.pk).update(result=None, message=old.message + " (berkas diganti yang lebih baru)")
