from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from lindung.domain import pekerjaan as pekerjaan_domain
from lindung.domain.periods import CoverageWindow, Month


# Verification levels in order (lindung.verification.levels names them); a programme may list fewer.
DEFAULT_VERIFICATION_LEVELS = ["rt_rw", "desa", "dinsos", "disnaker"]


class SumberDana(models.TextChoices):
    APBD_KABKOTA = "apbd_kabkota", pekerjaan_domain.SUMBER_DANA["apbd_kabkota"]
    APBD_PROVINSI = "apbd_provinsi", pekerjaan_domain.SUMBER_DANA["apbd_provinsi"]
    DBHCHT = "dbhcht", pekerjaan_domain.SUMBER_DANA["dbhcht"]
    APBDES = "apbdes", pekerjaan_domain.SUMBER_DANA["apbdes"]
    DANA_DESA = "dana_desa", pekerjaan_domain.SUMBER_DANA["dana_desa"]


class KodeKepesertaan(models.TextChoices):
    # BPJS PROBIS p.67: the wadah code a pemda programme is registered under.
    SG = "SG", "SG — Pekerja rentan Pemerintah"
    SA = "SA", "SA — Desa, dana APBD"
    SD = "SD", "SD — Desa, dana APBDes"
    SL = "SL", "SL — Desa, dana lain"


class AkhirUsia(models.TextChoices):
    # What happens when a participant turns usia_max + 1 during coverage (lindung.domain.ageout).
    AKHIR_PROGRAM = "akhir_program", "Tetap dilindungi sampai akhir masa program"
    BULAN_ULANG_TAHUN = "bulan_ulang_tahun", "Berakhir pada bulan ulang tahun ke-(usia maksimum + 1)"


class ProgramQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProgramQuerySet:
        """Programmes of the user's pemda; a desa operator also sees the province's that cover the desa."""
        if user.is_superuser:
            return self
        membership = getattr(user, "membership", None)
        if membership is None:
            return self.none()
        if membership.is_desa:
            desa = membership.wilayah_id
            return self.filter(pemda_id__in=[desa[:2], desa[:5]])
        return self.filter(pemda_id=membership.wilayah_id)


class Program(models.Model):
    """A funded roster: who pays (sumber dana), how much (pagu), for which months, under which PKS."""

    slug = models.SlugField("kode program", unique=True, max_length=60)
    nama = models.CharField(max_length=200)
    pemda = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="programs",
                              help_text="kabupaten/kota atau provinsi pemilik program")
    sumber_dana = models.CharField(max_length=20, choices=SumberDana.choices)
    pagu = models.BigIntegerField("pagu (rupiah)")
    mulai = models.DateField("awal perlindungan")
    selesai = models.DateField("akhir perlindungan")
    pks_nomor = models.CharField("nomor PKS", max_length=100, blank=True)
    pks_tanggal = models.DateField("tanggal PKS", null=True, blank=True)
    kode_kepesertaan = models.CharField(max_length=2, choices=KodeKepesertaan.choices, default=KodeKepesertaan.SG)
    usia_min = models.PositiveSmallIntegerField("usia terendah (tahun)", default=18)
    usia_max = models.PositiveSmallIntegerField("usia tertinggi (tahun)", default=65)
    akhir_usia = models.CharField("bila melewati usia maksimum", max_length=20, choices=AkhirUsia.choices,
                                  default=AkhirUsia.AKHIR_PROGRAM)
    pekerjaan_diizinkan = models.JSONField(default=list, blank=True,
                                           help_text="kosong = semua yang diizinkan sumber dana")
    tingkat_verifikasi = models.JSONField("tingkat verifikasi", default=list, blank=True,
                                          help_text="urutan kode tingkat; kosong = RT/RW, desa, Dinas Sosial, Disnaker")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="dibuat oleh")
    created_at = models.DateTimeField("dibuat", auto_now_add=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["-mulai", "nama"]
        verbose_name = "program"
        verbose_name_plural = "program"

    def __str__(self) -> str:
        return self.nama

    def clean(self) -> None:
        """Every problem at once, each under the field it belongs to (the form and the API show them there)."""
        problems: dict[str, str] = {}
        if self.pagu is not None and self.pagu <= 0:
            problems["pagu"] = "Pagu harus lebih dari Rp0."
        if self.selesai and self.mulai and self.selesai < self.mulai:
            problems["selesai"] = "Akhir perlindungan tidak boleh sebelum awal perlindungan."
        if self.usia_min is not None and self.usia_max is not None and self.usia_min > self.usia_max:
            problems["usia_max"] = "Batas usia atas harus lebih besar dari batas bawah."
        levels = set(self.tingkat_verifikasi) - set(DEFAULT_VERIFICATION_LEVELS)
        if levels:
            problems["tingkat_verifikasi"] = (f"Tingkat verifikasi tidak dikenal: {', '.join(sorted(levels))}; "
                                              f"pilih dari {', '.join(DEFAULT_VERIFICATION_LEVELS)}.")
        pekerjaan = self._pekerjaan_problem()
        if pekerjaan:
            problems["pekerjaan_diizinkan"] = pekerjaan
        if problems:
            raise ValidationError(problems)

    def _pekerjaan_problem(self) -> str | None:
        unknown = set(self.pekerjaan_diizinkan) - set(pekerjaan_domain.PEKERJAAN)
        if unknown:
            return f"Kode pekerjaan tidak dikenal: {', '.join(sorted(unknown))}."
        # A programme list narrows what the source may pay for, never widens it (R19): a DBHCHT programme
        # ticking Nelayan would reject every nelayan row of every list, so say it here, once.
        permitted = pekerjaan_domain.ALLOWED_PEKERJAAN_BY_SUMBER.get(self.sumber_dana)
        refused = [label for code, label in pekerjaan_domain.PEKERJAAN.items()
                   if code in self.pekerjaan_diizinkan and permitted is not None and code not in permitted]
        if refused:
            allowed = ", ".join(label for code, label in pekerjaan_domain.PEKERJAAN.items() if code in permitted)
            return (f"Sumber dana {pekerjaan_domain.SUMBER_DANA[self.sumber_dana]} tidak dapat membiayai "
                    f"{', '.join(refused)}; yang dapat dibiayai: {allowed}.")
        return None

    @property
    def window(self) -> CoverageWindow:
        return CoverageWindow.between(Month.of(self.mulai), Month.of(self.selesai))

    @property
    def bulan(self) -> int:
        return self.window.months

    @property
    def allowed_pekerjaan(self) -> frozenset[str] | None:
        return frozenset(self.pekerjaan_diizinkan) or None

    @property
    def levels(self) -> list[str]:
        return list(self.tingkat_verifikasi) or list(DEFAULT_VERIFICATION_LEVELS)

    def is_active_on(self, day: date) -> bool:
        return self.mulai <= day <= self.selesai
