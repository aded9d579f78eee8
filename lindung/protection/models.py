"""Settings of protection over time that a pemda may need to change when BPJS confirms a rule."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from lindung.domain.masa_iur import GapRule


class MasaIurRule(models.Model):
    """Whether a month without contribution resets the masa iur count, from a date, with its basis.

    Until a row says otherwise the built-in cautious rule applies (a gap resets: domain.md §8 item 4,
    `lindung.domain.masa_iur.CAUTIOUS`). A row is added, not edited, when the rule changes, so a claim
    of an earlier date is still checked under the rule of its time."""

    berlaku = models.DateField("berlaku sejak", unique=True)
    jeda_memutus = models.BooleanField("jeda iuran memutus hitungan", default=True)
    dasar = models.CharField("dasar (surat/aturan BPJS)", max_length=255)
    created_at = models.DateTimeField("dibuat", auto_now_add=True)

    class Meta:
        ordering = ["berlaku"]
        verbose_name = "aturan masa iur"
        verbose_name_plural = "aturan masa iur"

    def __str__(self) -> str:
        return f"sejak {self.berlaku:%d-%m-%Y}: {'jeda memutus' if self.jeda_memutus else 'jeda tidak memutus'}"

    def as_rule(self) -> GapRule:
        return GapRule(berlaku=self.berlaku, gap_resets=self.jeda_memutus, dasar=self.dasar)


class Claim(models.Model):
    """A benefit claim the Disnaker or desa helps a family make (R23): the amount due under the rules with
    the person's masa iur on the day of the event, BPJS's answer, and any difference between the two."""

    class Jenis(models.TextChoices):
        JKM = "jkm", "JKM (meninggal bukan karena kecelakaan kerja)"
        JKK_KEMATIAN = "jkk_kematian", "JKK meninggal (kecelakaan kerja)"
        BEASISWA = "beasiswa", "Beasiswa anak"

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", "Diajukan ke BPJS"
        DIBAYAR = "dibayar", "Dibayar"
        DITOLAK = "ditolak", "Ditolak"

    candidate = models.ForeignKey("imports.Candidate", on_delete=models.PROTECT, related_name="claims")
    jenis = models.CharField(max_length=14, choices=Jenis.choices)
    tanggal_kejadian = models.DateField("tanggal meninggal/kecelakaan")
    ahli_waris = models.CharField("ahli waris", max_length=150)
    penghasilan = models.PositiveIntegerField("penghasilan dilaporkan (rupiah)", null=True, blank=True)
    anak = models.PositiveSmallIntegerField("jumlah anak penerima beasiswa", null=True, blank=True)
    sebab = models.CharField("sebab (beasiswa): jkk/jkm", max_length=3, blank=True)
    masa_iur_bulan = models.PositiveSmallIntegerField("masa iur pada hari kejadian")
    jumlah_seharusnya = models.BigIntegerField("manfaat menurut ketentuan (rupiah)")
    rincian = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DIAJUKAN)
    jumlah_dibayar = models.BigIntegerField("dibayar BPJS (rupiah)", null=True, blank=True)
    tanggal_dibayar = models.DateField(null=True, blank=True)
    alasan_ditolak = models.CharField(max_length=255, blank=True)
    peringatan = models.JSONField(default=list, blank=True)  # [{"code", "message"}] from benefits.check_claim
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("dibuat", auto_now_add=True)

    class Meta:
        ordering = ["-tanggal_kejadian", "-id"]
        verbose_name = "klaim manfaat"
        verbose_name_plural = "klaim manfaat"

    def __str__(self) -> str:
        return f"{self.get_jenis_display()} {self.candidate.nama}"


class MoveOffer(models.Model):
    """Someone who moved to another kabupaten running its own programme in this installation: offered to
    that programme's waiting list, which its operator accepts (with the new desa) or declines. Never a silent
    transfer: the person's data crosses pemda only when the receiving operator decides."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", "Menunggu keputusan"
        DITERIMA = "diterima", "Diterima"
        DITOLAK = "ditolak", "Ditolak"

    candidate = models.ForeignKey("imports.Candidate", on_delete=models.CASCADE, related_name="move_offers")
    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="move_offers")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.MENUNGGU)
    catatan = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["candidate", "program"], name="one_move_offer_per_programme")]
        verbose_name = "tawaran pindahan"
        verbose_name_plural = "tawaran pindahan"
