from __future__ import annotations

from django.conf import settings
from django.db import models

from lindung.verification.levels import LEVELS, REASONS


class Decision(models.TextChoices):
    LAYAK = "layak", "Layak"
    TIDAK_LAYAK = "tidak_layak", "Tidak layak"


class BeritaAcara(models.Model):
    """The musyawarah desa/kelurahan minutes (PDF or photo) a level's decisions rest on."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="berita_acara")
    desa = models.ForeignKey("registry.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=12, choices=[(c, lvl.label) for c, lvl in LEVELS.items()])
    file = models.FileField(upload_to="berita-acara/%Y/%m/")
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = "berita acara"
        verbose_name_plural = "berita acara"


class VerificationDecision(models.Model):
    """One level's decision on one candidate: who, when, layak or not, and why (R18)."""

    # Found through the unique (candidate, level) below, which begins with it (migration 0003).
    candidate = models.ForeignKey("imports.Candidate", on_delete=models.CASCADE, related_name="decisions",
                                  db_index=False)
    level = models.CharField(max_length=12, choices=[(c, lvl.label) for c, lvl in LEVELS.items()])
    decision = models.CharField(max_length=12, choices=Decision.choices)
    reason = models.CharField(max_length=30, blank=True, choices=list(REASONS.items()))
    note = models.CharField(max_length=255, blank=True)
    verifier = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)
    berita_acara = models.ForeignKey(BeritaAcara, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions")

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [models.UniqueConstraint(fields=["candidate", "level"], name="one_decision_per_level")]
        # The latest decision of a programme ("who decided these", services.nothing_pending_message and
        # shown_gone_message): read backwards to the first of the programme's candidates, not a sort of
        # a province's million decisions. decided_at only grows, so new entries append at its end.
        indexes = [models.Index(fields=["decided_at", "id"], name="decision_latest")]
        verbose_name = "keputusan verifikasi"
        verbose_name_plural = "keputusan verifikasi"


class DecisionTally(models.Model):
    """How many layak / tidak layak decisions each level of a programme has: the queue's progress table read
    in one small query instead of counting a province's millions of decisions on every page view.

    Kept by database triggers on VerificationDecision (migration 0002), so every writer — the ORM, a
    multi-row INSERT, COPY — counts; never written by application code."""

    program_id = models.BigIntegerField()
    level = models.CharField(max_length=12)
    decision = models.CharField(max_length=12, choices=Decision.choices)
    n = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["program_id", "level", "decision"], name="one_tally_per_level")]
        verbose_name = "hitungan keputusan"
        verbose_name_plural = "hitungan keputusan"
