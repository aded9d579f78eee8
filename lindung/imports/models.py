from __future__ import annotations

from django.conf import settings
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.utils import timezone

from lindung.lib import jobs


class ImportBatchQuerySet(models.QuerySet):
    def recover_stale(self) -> int:
        """Batches whose job died: a check that stopped fails (upload again, perhaps a smaller file); a
        commit that stopped wrote nothing (one transaction), so the preview comes back and *Terima* works again."""
        Status = ImportBatch.Status
        stale = self.filter(heartbeat_at__lt=jobs.stale_cutoff())
        done = {"progress": 100, "progress_text": "Terhenti", "heartbeat_at": None, "error": jobs.STOPPED_MESSAGE}
        return (jobs.recover(stale.filter(status=Status.VALIDATING), {**done, "status": Status.FAILED})
                + jobs.recover(stale.filter(status=Status.COMMITTING), {**done, "status": Status.PREVIEW}))


class ImportBatch(models.Model):
    """One uploaded file for one programme, from upload through preview to commit."""

    class Status(models.TextChoices):
        QUEUED = "antri", "Menunggu giliran"
        VALIDATING = "memeriksa", "Sedang diperiksa"
        PREVIEW = "pratinjau", "Siap ditinjau"
        COMMITTING = "menyimpan", "Sedang disimpan"
        DONE = "selesai", "Selesai disimpan"
        FAILED = "gagal", "Gagal"
        CANCELLED = "dibatalkan", "Dibatalkan"

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="batches")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    desa = models.ForeignKey("registry.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             help_text="diisi bila diunggah operator desa: semua baris untuk desa ini")
    file = models.FileField(upload_to="impor/%Y/%m/")
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_text = models.CharField(max_length=200, blank=True)
    # Written by the job while it works (lindung.lib.jobs); NULL while it waits in the queue.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_ok = models.PositiveIntegerField(default=0)
    rows_rejected = models.PositiveIntegerField(default=0)
    rows_warning = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    # The preview: file-level notices, every problem (row, column, code, message, severity), a sample of good rows.
    file_problems = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)
    sample = models.JSONField(default=list, blank=True)
    headers = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "unggahan"
        verbose_name_plural = "unggahan"

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.VALIDATING, self.Status.COMMITTING}

    def set_progress(self, percent: int, text: str) -> None:
        """Written outside the job's transaction so the page polling it sees it move."""
        ImportBatch.objects.filter(pk=self.pk).update(progress=percent, progress_text=text, heartbeat_at=timezone.now())
        self.progress, self.progress_text = percent, text

    def recover_if_stale(self) -> bool:
        """A dead job's batch (no heartbeat for JOB_STALE_SECONDS) back to what the user can act on."""
        if not self.is_running or self.heartbeat_at is None:
            return False
        recovered = ImportBatch.objects.filter(pk=self.pk).recover_stale()
        if recovered:
            self.refresh_from_db()
        return bool(recovered)


class CandidateStatus(models.TextChoices):
    CALON = "calon", "Calon"
    TERVERIFIKASI = "terverifikasi", "Terverifikasi"
    TIDAK_LAYAK = "tidak_layak", "Tidak layak"
    DIAJUKAN = "diajukan", "Diajukan ke BPJS"
    TERDAFTAR = "terdaftar", "Terdaftar"
    DITOLAK = "ditolak", "Ditolak BPJS"
    AKTIF = "aktif", "Aktif"
    # A billed month unpaid past its due date (R12); back to aktif once the arrears are paid.
    TERTUNGGAK = "tertunggak", "Tertunggak"
    BERAKHIR = "berakhir", "Berakhir"
    # Left before the window's end for a coded reason (died, moved, became a wage worker, double): R16.
    KELUAR = "keluar", "Keluar"
    # Set aside by the operator as a second entry of a person kept elsewhere in the programme (linkage).
    DUPLIKAT = "duplikat", "Duplikat"


class CandidateQuerySet(models.QuerySet):
    def visible_to(self, user) -> CandidateQuerySet:
        """Scoped in the query, not the menu: a desa operator sees only their own desa's rows."""
        from lindung.programs.models import Program

        qs = self.filter(program__in=Program.objects.visible_to(user))
        membership = getattr(user, "membership", None)
        if membership is not None and membership.is_desa and not user.is_superuser:
            qs = qs.filter(desa_id=membership.wilayah_id)
        return qs

    def with_problem(self, code: str) -> CandidateQuerySet:
        return self.filter(problem_codes__contains=f"|{code}|")

    def with_warnings(self) -> CandidateQuerySet:
        """Only the candidates with a warning, written so that SQLite reads the partial index
        candidate_problem_order: it uses a partial index only when the query repeats the index's condition.
        PostgreSQL infers it from `problem_codes = '|code|'`, and would count a repeated condition twice in its
        row estimate (17 rows for 24.000 at 1M: a sort of all of them instead of the index's order)."""
        return self.filter(WITH_WARNINGS) if connection.vendor == "sqlite" else self

    def with_codes_in(self, combinations: list[str]) -> CandidateQuerySet:
        """The candidates whose warning codes are one of these combinations (as stored: "|a||b|")."""
        return self.with_warnings().filter(problem_codes__in=combinations)


# The candidates with at least one import warning: the condition of the warning filter's partial index.
WITH_WARNINGS = ~Q(problem_codes="")


class Candidate(models.Model):
    """A calon peserta of one programme: the row as uploaded, its cleaned fields, its problems, its status."""

    # No index of its own: every candidate index begins with the programme (migration 0008).
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="candidates",
                                db_index=False)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="candidates")
    desa = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    nik = models.CharField("NIK", max_length=16)
    nama = models.CharField(max_length=150)
    tanggal_lahir = models.DateField(null=True, blank=True)
    jenis_kelamin = models.CharField(max_length=1, blank=True)
    tempat_lahir = models.CharField(max_length=80, blank=True)
    alamat = models.CharField(max_length=255, blank=True)
    rt = models.CharField(max_length=5, blank=True)
    rw = models.CharField(max_length=5, blank=True)
    pekerjaan = models.CharField(max_length=40)
    no_hp = models.CharField("No. HP", max_length=20, blank=True)
    nama_ibu = models.CharField("nama ibu kandung", max_length=150, blank=True)
    no_kk = models.CharField("No. KK", max_length=16, blank=True)
    keterangan = models.CharField(max_length=255, blank=True)
    raw = models.JSONField("baris asli", default=dict)
    problems = models.JSONField(default=list, blank=True)
    # "|code|code|" so a filter by problem works the same on SQLite and PostgreSQL; found through the
    # (program, problem_codes, …) index. Status likewise through the queue's (program, status, …) index: each
    # index on these columns is written again by every decision (a status change is never a HOT update).
    problem_codes = models.CharField(max_length=400, blank=True)
    status = models.CharField(max_length=16, choices=CandidateStatus.choices, default=CandidateStatus.CALON)
    # Already a BPJS Ketenagakerjaan participant per the branch's roster (R10): never enrolled or billed.
    # Indexed only where known (candidate_kpj_known below).
    bpjs_kpj = models.CharField("KPJ (sudah terdaftar)", max_length=20, blank=True)
    bpjs_segmen = models.CharField(max_length=40, blank=True)
    # Position in the programme's verification levels: the level that decides next.
    level_index = models.PositiveSmallIntegerField(default=0)
    # Optimistic lock: every decision or transition bumps it; a stale writer is refused, not overwritten.
    version = models.PositiveIntegerField(default=0)
    source_batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="candidates")
    source_row = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CandidateQuerySet.as_manager()

    # Fields an import may set; a blank cell (None) leaves the stored value alone.
    IMPORTED_FIELDS = ("nama", "tanggal_lahir", "jenis_kelamin", "tempat_lahir", "alamat", "rt", "rw",
                       "pekerjaan", "no_hp", "nama_ibu", "no_kk", "keterangan")

    class Meta:
        ordering = ["desa_id", "nama"]
        constraints = [models.UniqueConstraint(fields=["program", "nik"], name="one_candidate_per_nik_per_program")]
        indexes = [
            # The list's keyset order, the desa filter and its loose-scan choices (lindung.lib.keyset).
            models.Index(fields=["program", "desa", "nama", "id"], name="candidate_list_order"),
            # Name search: a range on the start of UPPER(nama), ordered the same way.
            models.Index(F("program"), Upper("nama"), F("id"), name="candidate_name_prefix"),
            # The warning filter, one combination of codes at a time in list order (lindung.lib.keyset
            # .partitioned_page). Only the candidates with a warning: the others are never looked up by it,
            # and a decision need not write them into it again (migration 0009). SQLite uses a partial index
            # only for a query that repeats its condition: WITH_WARNINGS.
            models.Index(fields=["program", "problem_codes", "desa", "nama", "id"], condition=WITH_WARNINGS,
                         name="candidate_problem_order"),
            # Candidates the roster found at BPJS (the filter "sudah terdaftar", the roster's re-check).
            models.Index(fields=["bpjs_kpj"], condition=~Q(bpjs_kpj=""), name="candidate_kpj_known"),
            # The verification queue: pending at a level, in list order; also any (program, status) filter.
            models.Index(fields=["program", "status", "level_index", "desa", "nama", "id"], name="candidate_queue_order"),
            # The same NIK in other programmes (cohort conflicts, R9) without scanning their seats.
            models.Index(fields=["nik"], name="candidate_nik"),
        ]
        verbose_name = "calon peserta"
        verbose_name_plural = "calon peserta"

    def __str__(self) -> str:
        return f"{self.nama} ({self.program.slug})"

    def change_status(self, new: str, *, user, reason: str) -> None:
        """Move the status, logged with user, time and reason (R12); bumps the version so stale pages are refused."""
        old = self.status
        if old == new:
            return
        Candidate.objects.filter(pk=self.pk).update(status=new, version=self.version + 1)
        StatusChange.objects.create(candidate=self, old=old, new=new, user=user, reason=reason[:255])
        self.status, self.version = new, self.version + 1


class StatusChange(models.Model):
    """Every status transition of a candidate, with who, when and why (R12)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="status_changes")
    old = models.CharField(max_length=16, choices=CandidateStatus.choices)
    new = models.CharField(max_length=16, choices=CandidateStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "perubahan status"
        verbose_name_plural = "perubahan status"
