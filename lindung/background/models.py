"""One row per long operation a user starts from a page (issue 18): forming or adding to a cohort, a bulk
verification decision, the BPJS pengajuan file. The page polls it for progress; the worker runs it.

Imports, matching runs and the SK keep their own rows (they came first); everything new that may take
longer than a page request at a province's size is a `Job` of one of the kinds below.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from lindung.lib import jobs


class JobQuerySet(models.QuerySet):
    def recover_stale(self) -> int:
        """Jobs whose worker died (no heartbeat for JOB_STALE_SECONDS): *gagal* with the stopped message.
        Each job writes its data and *selesai* in one transaction, so a killed one left nothing behind."""
        stale = self.filter(state=Job.State.RUNNING, heartbeat_at__lt=jobs.stale_cutoff())
        recovered = jobs.recover(stale, {"state": Job.State.FAILED, "heartbeat_at": None,
                                         "message": jobs.STOPPED_MESSAGE, "finished_at": timezone.now()})
        if recovered:
            sweep_orphan_results()  # a job killed between storing its file and saying selesai left the file
        return recovered

    def active(self):
        return self.filter(state__in=[Job.State.WAITING, Job.State.RUNNING])


class Job(models.Model):
    class Kind(models.TextChoices):
        FORM_COHORT = "bentuk_kohort", "Penetapan kohort dalam pagu"
        ADD_TO_COHORT = "tambah_kohort", "Penambahan calon terverifikasi ke kohort"
        DECIDE = "keputusan", "Keputusan verifikasi massal"
        SUBMISSION = "berkas_pengajuan", "Berkas pengajuan BPJS"
        SUBMIT = "ajukan", "Pengajuan ke BPJS"
        LAMPIRAN = "lampiran_sk", "Lampiran SK (xlsx)"
        RESPONSE = "jawaban_bpjs", "Penerapan jawaban BPJS"
        RENEWAL = "perpanjangan", "Perpanjangan program dengan kohort"

    class State(models.TextChoices):
        WAITING = "menunggu", "Menunggu giliran"
        RUNNING = "berjalan", "Sedang berjalan"
        DONE = "selesai", "Selesai"
        FAILED = "gagal", "Gagal"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="jobs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    params = models.JSONField(default=dict, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    progress_text = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True)  # Indonesian: the outcome, or why it failed
    details = models.JSONField(default=list, blank=True)  # further lines (who decided a candidate first, …)
    # A file the job made (the pengajuan, the SK lampiran). It holds full NIKs: it is encrypted with the downloader's
    # password on every download (privacy.downloads), like the stored SK PDF, and replaced by the next one.
    result = models.FileField(upload_to="proses/%Y/", null=True, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_rows = models.PositiveIntegerField(default=0)
    # Written by the worker while it runs (lindung.lib.jobs); NULL while the job waits in the queue.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["program", "state"], name="job_program_state")]
        verbose_name = "proses latar"
        verbose_name_plural = "proses latar"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.get_state_display()}"

    @property
    def is_running(self) -> bool:
        return self.state in {self.State.WAITING, self.State.RUNNING}

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0

    def recover_if_stale(self) -> bool:
        if self.state != self.State.RUNNING or self.heartbeat_at is None:
            return False
        recovered = Job.objects.filter(pk=self.pk).recover_stale()
        if recovered:
            self.refresh_from_db()
        return bool(recovered)


def sweep_orphan_results() -> list[str]:
    """Delete the files in `proses/` that no job names: stored by a job whose worker was killed between
    moving its file into storage and committing *selesai* with the file's name (`store_result`; full NIKs,
    so never kept). A job still waiting or running keeps its own (their names start with the job's id).
    Run when a stale job is recovered; returns the deleted names."""
    from django.core.files.storage import default_storage

    try:
        folders, _ = default_storage.listdir("proses")
    except FileNotFoundError:
        return []
    # One statement, so one snapshot: read as two, a job committing *selesai* between them was in neither
    # (not yet named, no longer active) and its fresh file was deleted.
    jobs = (Job.objects.filter(Q(state__in=[Job.State.WAITING, Job.State.RUNNING]) | (~Q(result="") & Q(result__isnull=False)))
            .values_list("pk", "state", "result"))
    named, active = set(), set()
    for pk, state, result in jobs:
        if result:
            named.add(result)
        if state in (Job.State.WAITING, Job.State.RUNNING):
            active.add(str(pk))
    removed = []
    for folder in folders:
        for name in default_storage.listdir(f"proses/{folder}")[1]:
            path = f"proses/{folder}/{name}"
            if path not in named and name.split("-", 1)[0] not in active:
                default_storage.delete(path)
                removed.append(path)
    return removed
