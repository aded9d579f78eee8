"""The enrolment stage's background jobs (lindung.background): forming the cohort, adding the newly
verified to it, and writing the BPJS pengajuan file — each of them minutes of work at a province's size."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import date

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count

from lindung.background.models import Job
from lindung.background.runner import JobRefused, Outcome, Progress, finish
from lindung.enrolment import bpjs, papers, services
from lindung.enrolment.models import Cohort, Enrolment
from lindung.reports.sk import SkError


def form_cohort_job(job: Job, progress: Progress) -> None:
    p = job.params
    progress.announce("Membaca calon terverifikasi dan menempatkan kursi")
    try:
        with transaction.atomic():
            made = services.form_cohort(
                program=job.program, user=job.user, mulai=date.fromisoformat(p["mulai"]) if p.get("mulai") else None,
                bulan=p.get("bulan"), alasan_mulai=p.get("alasan_mulai", ""), prioritas=p["prioritas"],
                progress=progress)
            seated = made.seated_count()
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
    """The pengajuan, streamed row by row into a file (bpjs.write_submission_file). Reading only: no status
    changes."""
    fmt = job.params["fmt"]
    program = job.program
    current = services.latest_cohort(program)
    if current is None:
        raise JobRefused("Program ini belum punya kohort.")
    rows = bpjs.awaiting_seated(current).count()
    if not rows:
        raise JobRefused("Belum ada yang diajukan ke BPJS: klik Ajukan ke BPJS dulu.")
    progress(done=0, total=rows, text="Menulis berkas pengajuan")
    store_result(job, progress, name=f"pengajuan-bpjs-{program.slug}.{fmt}",
                 write=lambda path: bpjs.write_submission_file(current, path, fmt=fmt, progress=progress),
                 message=lambda n: f"Berkas pengajuan ({fmt}) siap: {n} orang menunggu jawaban BPJS.")


def lampiran_job(job: Job, progress: Progress) -> None:
    """The SK's lampiran xlsx for the cohort as it was when the job started (params: cohort, revision). If the
    seats or the SK details change meanwhile (Cohort.forget_sk), the job fails and keeps no file."""
    cohort = Cohort.objects.filter(pk=job.params["cohort"], program=job.program).first()
    revision = job.params["revision"]
    if cohort is None or cohort.sk_revision != revision:
        raise JobRefused(LAMPIRAN_STALE)
    if not cohort.seated.exists():
        raise JobRefused("Lampiran belum dapat dibuat: belum ada peserta yang mendapat kursi.")

    def still_current() -> None:
        if not Cohort.objects.select_for_update().filter(pk=cohort.pk, sk_revision=revision).exists():
            raise JobRefused(LAMPIRAN_STALE)

    try:
        store_result(job, progress, name=f"lampiran-sk-{job.program.slug}.xlsx",
                     write=lambda path: papers.write_lampiran(cohort, path, progress=progress),
                     message=lambda n: f"Lampiran SK (xlsx) siap: {n} orang yang mendapat kursi.", check=still_current)
    except SkError as exc:
        raise JobRefused(f"Lampiran belum dapat dibuat: {exc}") from None


LAMPIRAN_STALE = "Kursi atau data SK berubah selama lampiran dibuat; klik Buat lampiran lagi."


def store_result(job: Job, progress: Progress, *, name: str, write: Callable[[str], int],
                 message: Callable[[int], str], check: Callable[[], None] | None = None) -> None:
    """A job's file (full NIKs), written by `write` into a temporary file, then moved into storage whole and
    named by the job together with *selesai* in one transaction: a failure, a refusal by `check` or a kill
    leaves no file behind as the job's result. The older files of its kind leave storage."""
    suffix = os.path.splitext(name)[1]
    handle, path = tempfile.mkstemp(suffix=suffix, prefix=f"lindung-{job.kind}-")
    os.close(handle)
    try:
        written = write(path)
        with open(path, "rb") as plain:
            job.result.save(f"{job.pk}-{name}", File(plain), save=False)
        try:
            with transaction.atomic():
                if check is not None:
                    check()
                finish(job, progress, Outcome(message(written)), result=job.result.name, result_name=name,
                       result_rows=written)
        except BaseException:
            job.result.delete(save=False)  # never a stored file without its job saying so
            raise
    finally:
        os.unlink(path)
    _forget_older_files(job)


def _forget_older_files(job: Job) -> None:
    """One file of a kind kept per programme (the pengajuan, the lampiran): the older ones (full NIKs, now
    outdated) leave storage."""
    older = (Job.objects.filter(program=job.program, kind=job.kind, pk__lt=job.pk)
             .exclude(result="").exclude(result__isnull=True))
    for old in older:
        old.result.delete(save=False)
        Job.objects.filter(pk=old.pk).update(result=None, message=old.message + " (berkas diganti yang lebih baru)")


def response_job(job: Job, progress: Progress) -> None:
    """The BPJS branch's answer (params: the upload kept in storage, its file name), checked whole and applied
    all-or-nothing in one transaction with *selesai*; the upload (full NIKs) leaves storage either way."""
    stored = job.params["upload"]
    _sweep_answers(keep=stored)
    try:
        current = services.latest_cohort(job.program)
        if current is None:
            raise JobRefused("Program ini belum punya kohort.")
        with default_storage.open(stored, "rb") as handle, transaction.atomic():
            # Read from the stored file in parts, never whole (jawaban.apply_answer).
            result = bpjs.apply_response(current, handle, job.params["filename"], user=job.user, progress=progress)
            if not result.ok:
                raise JobRefused(RESPONSE_REFUSED.format(n=result.problem_total),
                                 [_where(p) + p.message for p in result.problems[:50]])
            registered, rejected = result.counts
            finish(job, progress, Outcome(f"Jawaban BPJS diterapkan: {registered} terdaftar, {rejected} ditolak."))
    finally:
        default_storage.delete(stored)


def _where(problem) -> str:
    """"Baris 3, kolom NIK: " for a row's problem; nothing for the file's own (a missing column comes as row 0)."""
    return f"Baris {problem.row}, kolom {problem.column}: " if problem.row else ""


def _sweep_answers(*, keep: str) -> None:
    """Uploads left by an answer job whose worker was killed (its finally never ran): deleted when the next
    answer is applied, unless a queued or running job still needs them."""
    try:
        _, files = default_storage.listdir("jawaban")
    except FileNotFoundError:
        return
    needed = {keep, *(job.params.get("upload") for job in Job.objects.active().filter(kind=Job.Kind.RESPONSE))}
    for name in files:
        if f"jawaban/{name}" not in needed:
            default_storage.delete(f"jawaban/{name}")


RESPONSE_REFUSED = "Jawaban BPJS tidak diterapkan sama sekali ({n} masalah); perbaiki lalu unggah ulang."


def current_lampiran(cohort: Cohort) -> Job | None:
    """The stored lampiran xlsx that still matches the cohort's seats and SK details, if one was made."""
    return (Job.objects.filter(program=cohort.program, kind=Job.Kind.LAMPIRAN, state=Job.State.DONE,
                               params__cohort=cohort.pk, params__revision=cohort.sk_revision)
            .exclude(result="").exclude(result__isnull=True).first())
