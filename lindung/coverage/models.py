from __future__ import annotations

from django.conf import settings
from django.db import models


class SemestaQuerySet(models.QuerySet):
    def for_area(self, kode: str) -> SemestaQuerySet:
        """Versions with a count inside the area (or for the area itself), newest year first."""
        inside = SemestaRow.objects.filter(models.Q(wilayah_id=kode) | models.Q(wilayah__kode__startswith=f"{kode}."))
        return self.filter(pk__in=inside.values("semesta_id")).order_by("-tahun", "-created_at", "-pk")

    def in_force(self, kode: str) -> Semesta | None:
        """The version a report uses unless it names another: the newest year, the latest upload."""
        return self.for_area(kode).first()


class Semesta(models.Model):
    """One version of the universe of pekerja rentan / PBPU: its source and year, kept beside older ones."""

    sumber = models.CharField("sumber data", max_length=200, help_text="mis. Pendataan Disnaker 2025, DTSEN, BPS Sakernas")
    tahun = models.PositiveSmallIntegerField("tahun data")
    pemda = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    contoh = models.BooleanField("data contoh (demo)", default=False)
    original_name = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SemestaQuerySet.as_manager()

    class Meta:
        ordering = ["-tahun", "-created_at", "-pk"]
        verbose_name = "semesta"
        verbose_name_plural = "semesta"

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        demo = " — DATA CONTOH untuk demo, bukan data resmi" if self.contoh else ""
        return f"{self.sumber} ({self.tahun}){demo}"


class SemestaRow(models.Model):
    """A count of the universe in one desa or kecamatan, optionally for one pekerjaan and/or sex."""

    semesta = models.ForeignKey(Semesta, on_delete=models.CASCADE, related_name="rows")
    wilayah = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")
    pekerjaan = models.CharField(max_length=40, blank=True)
    jenis_kelamin = models.CharField(max_length=1, blank=True)
    jumlah = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["semesta", "wilayah", "pekerjaan", "jenis_kelamin"],
                                               name="one_semesta_count_per_cell")]
        verbose_name = "baris semesta"
        verbose_name_plural = "baris semesta"
