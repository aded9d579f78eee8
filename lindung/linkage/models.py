"""Matching runs and the pairs they find (issue 5): who may be the same person, and what people decided.

A pair is stored once per two records, so a re-run updates the engine's view of an undecided pair and
never touches one a person decided: a pair decided once is never asked again.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from lindung.imports.models import CandidateStatus
from lindung.lib import jobs


class MatchRunQuerySet(models.QuerySet):
    def recover_stale(self) -> int:
        """Runs whose worker died: failed, with a message; the pairs are as before (stored in one transaction),
        and *Jalankan pencocokan* starts a new run."""
        stale = self.filter(status=MatchRun.Status.RUNNING, heartbeat_at__lt=jobs.stale_cutoff())
        return jobs.recover(stale, {"status": MatchRun.Status.FAILED, "progress": 100, "progress_text": "Terhenti",
                                    "heartbeat_at": None, "error": jobs.STOPPED_MESSAGE, "finished_at": timezone.now()})

    def visible_to(self, user) -> MatchRunQuerySet:
        """Runs that concern the user's pemda: started by someone of that pemda (a Disnaker click, an upload,
        a BPJS list), or by the system. Another pemda's runs, and so its users' names, stay out of sight."""
        from lindung.accounts.models import Role

        if user is None or user.is_superuser:
            return self
        membership = getattr(user, "membership", None)
        if membership is None:
            return self.none()
        pemda = membership.pemda_kode
        same_pemda = Q(started_by__membership__wilayah_id=pemda)
        if pemda.count(".") == 1:  # a kabupaten/kota: its desa operators' uploads too
            same_pemda |= Q(started_by__membership__role=Role.OPERATOR_DESA,
                            started_by__membership__wilayah__kode__startswith=f"{pemda}.")
        return self.filter(Q(started_by__isnull=True) | same_pemda)


class MatchRun(models.Model):
    """One run of the matching engine over every candidate and every BPJS participant."""

    class Status(models.TextChoices):
        QUEUED = "antri", "Menunggu giliran"
        RUNNING = "berjalan", "Sedang berjalan"
        DONE = "selesai", "Selesai"
        FAILED = "gagal", "Gagal"

    class Scope(models.TextChoices):
        ALL = "semua", "Semua program dan daftar peserta BPJS"

    class Trigger(models.TextChoices):
        MANUAL = "manual", "Dijalankan pengguna"
        IMPORT = "impor", "Setelah unggahan disimpan"
        ROSTER = "peserta_bpjs", "Setelah daftar peserta BPJS dimuat"
        DEMO = "demo", "Data demo"

    scope = models.CharField("cakupan", max_length=12, choices=Scope.choices, default=Scope.ALL)
    trigger = models.CharField("pemicu", max_length=14, choices=Trigger.choices, default=Trigger.MANUAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    progress_text = models.CharField(max_length=200, blank=True)
    # Written by the job while it works (lindung.lib.jobs); NULL while it waits in the queue.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    candidates = models.PositiveIntegerField("calon diperiksa", default=0)
    participants = models.PositiveIntegerField("peserta BPJS diperiksa", default=0)
    pairs_found = models.PositiveIntegerField("pasangan ditemukan", default=0)
    pairs_new = models.PositiveIntegerField("pasangan baru", default=0)
    pairs_removed = models.PositiveIntegerField("pasangan hilang", default=0)
    pairs_open = models.PositiveIntegerField("menunggu tinjauan", default=0)
    flagged = models.PositiveIntegerField("ditandai sudah terdaftar BPJS", default=0)
    unflagged = models.PositiveIntegerField("tanda BPJS dicabut", default=0)
    stats = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = MatchRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "proses pencocokan"
        verbose_name_plural = "proses pencocokan"

    def __str__(self) -> str:
        return f"Pencocokan {self.pk} ({self.get_status_display()})"

    @property
    def is_running(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    def set_progress(self, percent: int, text: str) -> None:
        """Written outside any transaction of the job, so the page polling it sees it move."""
        MatchRun.objects.filter(pk=self.pk).update(progress=percent, progress_text=text[:200], heartbeat_at=timezone.now())
        self.progress, self.progress_text = percent, text[:200]

    def recover_if_stale(self) -> bool:
        if self.status != self.Status.RUNNING or self.heartbeat_at is None:
            return False
        recovered = MatchRun.objects.filter(pk=self.pk).recover_stale()
        if recovered:
            self.refresh_from_db()
        return bool(recovered)


# Pair statuses that mean "the same person": the engine was sure, or a person said so.
SAME_PERSON = ("otomatis", "sama")
DECIDED = ("sama", "berbeda")


class MatchPairQuerySet(models.QuerySet):
    def visible_to(self, user) -> MatchPairQuerySet:
        """Pairs with at least one candidate the user sees (accounts.access: their pemda's programmes, a desa
        operator only their desa). A BPJS pair counts by its candidate: the roster is the branch's, not an area."""
        from lindung.imports.models import Candidate

        if user.is_superuser:
            return self
        visible = Candidate.objects.visible_to(user).values("pk")
        return self.filter(Q(left__in=visible) | Q(right__in=visible))

    def by_stake(self) -> MatchPairQuerySet:
        """Ordered by how much a decision matters (issue 13): a pair touching a candidate who holds a seat
        first (stake 0), then one on a waiting list or verified, on the way to a seat (1), then the rest
        (2); within each, the likelier match first."""
        from lindung.enrolment.models import Enrolment

        def touching(**filters):
            enrolments = Enrolment.objects.filter(**filters)
            return (Exists(enrolments.filter(candidate=OuterRef("left_id")))
                    | Exists(enrolments.filter(candidate=OuterRef("right_id"))))

        seated = touching(state=Enrolment.State.SEATED)
        waiting = touching(state=Enrolment.State.WAITING)
        on_the_way = Q(left__status=CandidateStatus.TERVERIFIKASI) | Q(right__status=CandidateStatus.TERVERIFIKASI)
        stake = Case(When(seated, then=Value(0)), When(waiting, then=Value(1)), When(on_the_way, then=Value(1)),
                     default=Value(2))
        return self.annotate(stake=stake).order_by("stake", "-score", "pk")

    def same_person(self) -> MatchPairQuerySet:
        return self.filter(status__in=SAME_PERSON)

    def open(self) -> MatchPairQuerySet:
        return self.filter(status=MatchPair.Status.OPEN)

    def in_program(self, program) -> MatchPairQuerySet:
        return self.filter(Q(left__program=program) | Q(right__program=program))

    def same_person_links(self) -> dict[int, set[int]]:
        """Candidate pk -> candidates of other programmes that are the same person (R9 beyond the NIK)."""
        links: dict[int, set[int]] = {}
        for left, right in self.filter(kind=MatchPair.Kind.LINTAS).same_person().values_list("left_id", "right_id"):
            links.setdefault(left, set()).add(right)
            links.setdefault(right, set()).add(left)
        return links


class MatchPair(models.Model):
    """Two records the engine thinks may be one person, and what was decided about them."""

    class Kind(models.TextChoices):
        DUPLIKAT = "duplikat", "Ganda dalam satu program"
        LINTAS = "lintas", "Lintas program"
        BPJS = "bpjs", "Sudah peserta BPJS"

    class Band(models.TextChoices):
        MATCH = "cocok", "Cocok"
        POSSIBLE = "mungkin", "Mungkin cocok"

    class Status(models.TextChoices):
        OPEN = "terbuka", "Menunggu tinjauan"
        SAME = "sama", "Orang yang sama"
        DIFFERENT = "berbeda", "Orang berbeda"
        AUTO = "otomatis", "Cocok otomatis"

    kind = models.CharField("jenis", max_length=10, choices=Kind.choices)
    # A candidate always; the other record is a candidate (right, with a larger pk) or a BPJS participant.
    left = models.ForeignKey("imports.Candidate", on_delete=models.CASCADE, related_name="match_pairs_left")
    right = models.ForeignKey("imports.Candidate", null=True, blank=True, on_delete=models.CASCADE,
                              related_name="match_pairs_right")
    participant = models.ForeignKey("registry.BpjsParticipant", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="match_pairs")
    score = models.FloatField("skor")
    band = models.CharField("pita", max_length=8, choices=Band.choices)
    evidence = models.JSONField("bukti per kolom", default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    # Optimistic lock: every human decision bumps it; a decision made on a stale page is refused.
    version = models.PositiveIntegerField(default=0)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    alasan = models.CharField(max_length=255, blank=True)
    run = models.ForeignKey(MatchRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="pairs",
                            help_text="proses terakhir yang menemukan pasangan ini")
    found_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MatchPairQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["left", "right"], condition=Q(right__isnull=False), name="one_pair_per_two_candidates"),
            models.UniqueConstraint(fields=["left", "participant"], condition=Q(participant__isnull=False),
                                    name="one_pair_per_candidate_and_participant"),
            models.CheckConstraint(condition=Q(right__isnull=True) ^ Q(participant__isnull=True), name="pair_has_one_other_record"),
            models.CheckConstraint(condition=Q(right__isnull=True) | Q(right__gt=F("left")), name="pair_left_is_smaller"),
        ]
        indexes = [models.Index(fields=["kind", "status"])]
        verbose_name = "pasangan kecocokan"
        verbose_name_plural = "pasangan kecocokan"

    def __str__(self) -> str:
        other = f"calon {self.right_id}" if self.right_id else f"peserta BPJS {self.participant_id}"
        return f"{self.get_kind_display()}: calon {self.left_id} – {other}"

    def get_absolute_url(self) -> str:
        return reverse("match_pair", args=[self.pk])

    @property
    def score_percent(self) -> str:
        from lindung.linkage.evidence import percent

        return percent(self.score)

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED

    @property
    def is_same_person(self) -> bool:
        return self.status in SAME_PERSON


class DuplicateMark(models.Model):
    """A candidate set aside as a duplicate of another in the same programme: who, when, why, and how to undo it."""

    candidate = models.ForeignKey("imports.Candidate", on_delete=models.CASCADE, related_name="duplicate_marks")
    kept = models.ForeignKey("imports.Candidate", on_delete=models.CASCADE, related_name="+",
                             help_text="calon yang disimpan")
    old_status = models.CharField("status sebelumnya", max_length=16, choices=CandidateStatus.choices)
    alasan = models.CharField(max_length=255)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_alasan = models.CharField("alasan pembatalan", max_length=255, blank=True)

    class Meta:
        ordering = ["-marked_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["candidate"], condition=Q(undone_at__isnull=True),
                                               name="one_active_duplicate_mark")]
        verbose_name = "tanda duplikat"
        verbose_name_plural = "tanda duplikat"
