from __future__ import annotations

from django.conf import settings
from django.db import models, transaction

from lindung.counters.models import EnrolmentTally
from lindung.domain.periods import CoverageWindow, Month
from lindung.lib import jobs


class Priority(models.TextChoices):
    VERIFICATION_ORDER = "urutan_verifikasi", "Urutan selesai verifikasi"
    OLDEST_FIRST = "usia_tertua", "Usia tertua lebih dulu"
    LIST_ORDER = "urutan_daftar", "Urutan dalam daftar desa"


class CohortQuerySet(models.QuerySet):
    def recover_stale(self) -> int:
        """SK jobs whose worker died: no longer "sedang dibuat"; the page says so and *Buat SK* works again."""
        stale = self.filter(sk_pending=True, sk_heartbeat_at__lt=jobs.stale_cutoff())
        return jobs.recover(stale, {"sk_pending": False, "sk_heartbeat_at": None, "sk_error": jobs.STOPPED_MESSAGE})


class Cohort(models.Model):
    """A programme's enrolment round: the window, the seats its pagu buys, and who got them (R5, R11)."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="cohorts")
    mulai = models.DateField("awal perlindungan")
    bulan = models.PositiveSmallIntegerField()
    alasan_mulai = models.CharField("alasan awal berbeda dari PKS", max_length=255, blank=True)
    prioritas = models.CharField(max_length=20, choices=Priority.choices, default=Priority.VERIFICATION_ORDER)
    kursi = models.PositiveIntegerField()
    iuran_per_bulan = models.PositiveIntegerField("iuran per orang per bulan (bulan pertama)")
    iuran_per_orang = models.PositiveIntegerField("iuran per orang untuk seluruh masa")
    aturan = models.JSONField(default=list)
    # The SK's amount, fixed at penetapan (people seated × the whole window); grows when people verified
    # later or APBD-P seats join, never when a replacement takes a freed seat. Bills come from the ledger.
    iuran_penetapan = models.BigIntegerField("total iuran menurut penetapan", default=0)
    catatan = models.JSONField(default=list, blank=True)
    # The SK penetapan penerima: its number comes from the bagian hukum, so it may be filled in later.
    nomor_sk = models.CharField("nomor SK", max_length=100, blank=True)
    tanggal_sk = models.DateField("tanggal SK", null=True, blank=True)
    tempat_sk = models.CharField("tempat penetapan", max_length=80, blank=True)
    penandatangan_jabatan = models.CharField(max_length=150, default="Kepala Dinas Tenaga Kerja")
    penandatangan_nama = models.CharField(max_length=150, blank=True)
    # The SK PDF takes ~1 ms of CPU a person (10 minutes for 600.000), so a background job makes it once and it is
    # served from here; any change to the seats or the SK details clears it.
    sk_pdf = models.FileField(upload_to="sk/%Y/", null=True, blank=True)
    sk_made_at = models.DateTimeField(null=True, blank=True)
    sk_pending = models.BooleanField(default=False)
    # Written by the SK job while it renders (lindung.lib.jobs); NULL while it waits in the queue.
    sk_heartbeat_at = models.DateTimeField(null=True, blank=True)
    sk_error = models.CharField("galat pembuatan SK", max_length=255, blank=True)
    sk_revision = models.PositiveIntegerField(default=0)  # bumped whenever the stored SK becomes stale
    # A large SK is made in volumes of SK_JILID_BARIS people (lindung.enrolment.papers): the storage names of
    # all of them, in order (sk_pdf is the first); and the job's progress, volumes stored of volumes in all.
    sk_jilid = models.JSONField("berkas jilid SK", default=list, blank=True)
    sk_jilid_selesai = models.PositiveIntegerField(default=0)
    sk_jilid_total = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "kohort penetapan"
        verbose_name_plural = "kohort penetapan"

    @property
    def window(self) -> CoverageWindow:
        return CoverageWindow(Month.of(self.mulai), self.bulan)

    @property
    def seated(self):
        return self.enrolments.filter(state=Enrolment.State.SEATED)

    def seated_count(self) -> int:
        """How many are seated now, from the tally the database triggers keep (lindung.counters): a province's
        600.000 seats are not counted on every page or every placement."""
        return EnrolmentTally.objects.in_state(self.pk, Enrolment.State.SEATED)

    @property
    def total_iuran(self) -> int:
        return self.seated_count() * self.iuran_per_orang

    def recover_if_stale(self) -> bool:
        if not self.sk_pending or self.sk_heartbeat_at is None:
            return False
        recovered = Cohort.objects.filter(pk=self.pk).recover_stale()
        if recovered:
            self.refresh_from_db()
        return bool(recovered)

    @property
    def sk_progress(self) -> int:
        """Percent of the SK's volumes stored by the running job."""
        return self.sk_jilid_selesai * 100 // self.sk_jilid_total if self.sk_jilid_total else 0

    @property
    def sk_progress_text(self) -> str:
        if not self.sk_pending or not self.sk_jilid_total:
            return ""
        return f"jilid {self.sk_jilid_selesai} dari {self.sk_jilid_total} selesai"

    @property
    def sk_files(self) -> list[str]:
        """Storage names of the stored SK's volumes, in order (one for an SK made in one piece)."""
        if self.sk_jilid:
            return list(self.sk_jilid)
        return [self.sk_pdf.name] if self.sk_pdf else []

    def forget_sk(self) -> None:
        """The seated list or the SK details changed: the stored PDF no longer matches. Its files (full NIKs)
        leave storage once the change commits."""
        this = Cohort.objects.filter(pk=self.pk)
        stored = this.first()
        this.update(sk_pdf=None, sk_jilid=[], sk_made_at=None, sk_revision=models.F("sk_revision") + 1)
        self.sk_pdf, self.sk_jilid, self.sk_made_at = None, [], None
        self.refresh_from_db(fields=["sk_revision"])
        if stored is not None and stored.sk_files:
            names, storage = stored.sk_files, stored.sk_pdf.storage
            transaction.on_commit(lambda: [storage.delete(name) for name in names])
        self._forget_lampiran()

    def _forget_lampiran(self) -> None:
        """The stored lampiran xlsx (a background job's file, full NIKs) no longer matches either: it leaves
        storage once the change commits, and its job no longer offers it."""
        from django.core.files.storage import default_storage

        from lindung.background.models import Job

        made = Job.objects.filter(program_id=self.program_id, kind=Job.Kind.LAMPIRAN).exclude(result="") \
            .exclude(result__isnull=True)
        names = list(made.values_list("result", flat=True))
        if names:
            made.update(result=None, message="Lampiran ini sudah usang (kursi atau data SK berubah); buat yang baru.")
            transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


class Enrolment(models.Model):
    """One verified candidate in a cohort: a seat, the waiting list, a conflict, or out."""

    class State(models.TextChoices):
        SEATED = "kursi", "Mendapat kursi"
        WAITING = "tunggu", "Daftar tunggu"
        CONFLICT = "konflik", "Konflik dengan program lain"
        OUT = "keluar", "Keluar"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    candidate = models.ForeignKey("imports.Candidate", on_delete=models.CASCADE, related_name="enrolments")
    urutan = models.PositiveIntegerField("urutan prioritas")
    state = models.CharField(max_length=8, choices=State.choices, db_index=True)
    conflict_program = models.ForeignKey("programs.Program", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Who holds the seat there: the same NIK, or a candidate the matching engine linked to this one (R9).
    conflict_candidate = models.ForeignKey("imports.Candidate", null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+")
    kpj = models.CharField("No. KPJ", max_length=20, blank=True)
    alasan = models.CharField(max_length=255, blank=True)
    # Coverage of this one person, when it differs from the cohort's window (the ledger bills exactly this):
    # a replacement from the waiting list or an APBD-P seat starts later; an exit (death on D, moved, …)
    # ends it with the month of `akhir`, for the reason coded in `alasan_keluar` (R16).
    mulai = models.DateField("awal perlindungan sendiri", null=True, blank=True)
    akhir = models.DateField("tanggal keluar", null=True, blank=True)
    alasan_keluar = models.CharField("kode alasan keluar", max_length=20, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["urutan"]
        constraints = [models.UniqueConstraint(fields=["cohort", "candidate"], name="one_enrolment_per_cohort")]
        # The cohort page: one state's people in priority order, a keyset page at a time.
        indexes = [models.Index(fields=["cohort", "state", "urutan", "id"], name="enrolment_page_order"),
                   # The ledger's "has the cohort changed since this month was written" (billing.ledger._signature).
                   models.Index(fields=["cohort", "updated_at"], name="enrolment_cohort_changed")]
        verbose_name = "penetapan"
        verbose_name_plural = "penetapan"

    @property
    def first_month(self) -> Month:
        return Month.of(self.mulai or self.cohort.mulai)

    @property
    def last_month(self) -> Month:
        end = self.cohort.window.end
        return min(end, Month.of(self.akhir)) if self.akhir else end
