"""BPJS's monthly bill reconciled with the ledger (R17), and the BPKAD's payments of a month."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from lindung.domain.reconcile import CLASSES, COCOK


class Reconciliation(models.Model):
    """One BPJS tagihan for one programme and month, classified line by line against the ledger.

    One per programme and month: a corrected bill uploaded while the month is still a draft replaces it;
    once the month is *siap bayar* it is fixed (the payment rests on it).
    """

    class Status(models.TextChoices):
        DRAF = "draf", "Draf"
        SIAP_BAYAR = "siap_bayar", "Siap bayar"

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="reconciliations")
    bulan = models.DateField(help_text="hari pertama bulan tagihan")
    berkas_nama = models.CharField("nama berkas", max_length=255)
    berkas_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAF)
    counts = models.JSONField("jumlah baris per kelas", default=dict)
    total_bpjs = models.BigIntegerField(default=0)
    total_daftar = models.BigIntegerField(default=0)
    # Set when the month becomes siap bayar: what the Pemda agrees to pay BPJS (see services.agreed_amount).
    jumlah_disetujui = models.BigIntegerField(null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    siap_bayar_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    siap_bayar_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-bulan"]
        constraints = [models.UniqueConstraint(fields=["program", "bulan"], name="one_reconciliation_per_month")]
        verbose_name = "rekonsiliasi tagihan"
        verbose_name_plural = "rekonsiliasi tagihan"

    def __str__(self) -> str:
        return f"Rekonsiliasi {self.program.slug} {self.bulan:%Y-%m}"

    @property
    def selisih(self) -> int:
        return self.total_bpjs - self.total_daftar

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.SIAP_BAYAR

    def open_lines(self):
        return self.lines.exclude(kelas=COCOK).filter(resolution="")


class ReconciliationLine(models.Model):
    """One line of either side: its class, both sides' values, and how a difference was resolved."""

    class Resolution(models.TextChoices):
        OPEN = "", "Belum diselesaikan"
        # Accept BPJS's line as billed: the month's agreed amount takes BPJS's figure for it.
        DITERIMA = "diterima", "Diterima (ikut tagihan BPJS)"
        # Our roster's figure stands, the difference explained (e.g. BPJS belum memproses penonaktifan).
        DIJELASKAN = "dijelaskan", "Dijelaskan (ikut daftar)"

    # No index of its own: the (reconciliation, kelas) index serves it, and a million-line bill inserts faster.
    reconciliation = models.ForeignKey(Reconciliation, on_delete=models.CASCADE, related_name="lines", db_index=False)
    kelas = models.CharField(max_length=20, choices=list(CLASSES.items()))
    baris = models.PositiveIntegerField("baris di berkas BPJS", null=True, blank=True)
    nik_bpjs = models.CharField(max_length=16, blank=True)
    kpj_bpjs = models.CharField(max_length=20, blank=True)
    nama_bpjs = models.CharField(max_length=150, blank=True)
    iuran_bpjs = models.PositiveIntegerField(null=True, blank=True)
    person_month = models.ForeignKey("billing.PersonMonth", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    nik_daftar = models.CharField(max_length=16, blank=True)
    kpj_daftar = models.CharField(max_length=20, blank=True)
    nama_daftar = models.CharField(max_length=150, blank=True)
    iuran_daftar = models.PositiveIntegerField(null=True, blank=True)
    selisih = models.BigIntegerField(default=0, help_text="iuran BPJS − iuran daftar")
    detail = models.CharField(max_length=255, blank=True)
    resolution = models.CharField("penyelesaian", max_length=12, choices=Resolution.choices, default="", blank=True)
    alasan = models.CharField(max_length=255, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", db_index=False)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["reconciliation", "kelas"])]
        verbose_name = "baris rekonsiliasi"
        verbose_name_plural = "baris rekonsiliasi"

    @property
    def kelas_label(self) -> str:
        return CLASSES[self.kelas]

    @property
    def is_difference(self) -> bool:
        return self.kelas != COCOK

    @property
    def payable(self) -> int:
        """What this line adds to the month's agreed amount."""
        if self.resolution == self.Resolution.DITERIMA:
            return self.iuran_bpjs or 0
        return self.iuran_daftar or 0


class PaymentTerms(models.Model):
    """A programme's due day, when it is not the default (settings.JATUH_TEMPO_HARI).

    BPJS's due day for a pemda-paid BPU contribution is unconfirmed (domain.md §8 item 2): the PKS with
    the branch says it, so it is set per programme in /admin/.
    """

    program = models.OneToOneField("programs.Program", on_delete=models.CASCADE, related_name="payment_terms")
    hari_jatuh_tempo = models.PositiveSmallIntegerField(
        "hari jatuh tempo", help_text="tanggal pada bulan berikutnya, 1–31 (31 = akhir bulan)")

    class Meta:
        verbose_name = "jatuh tempo pembayaran"
        verbose_name_plural = "jatuh tempo pembayaran"
        constraints = [models.CheckConstraint(condition=Q(hari_jatuh_tempo__gte=1, hari_jatuh_tempo__lte=31),
                                              name="due_day_1_to_31")]


class Payment(models.Model):
    """One SP2D the BPKAD issued for a programme's month; several make a partial then full payment."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="payments")
    bulan = models.DateField(help_text="hari pertama bulan yang dibayar")
    reconciliation = models.ForeignKey(Reconciliation, on_delete=models.PROTECT, related_name="payments")
    sp2d_nomor = models.CharField("nomor SP2D", max_length=100)
    sp2d_tanggal = models.DateField("tanggal SP2D")
    jumlah = models.BigIntegerField("jumlah (rupiah)")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["bulan", "sp2d_tanggal", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "sp2d_nomor"], name="one_sp2d_number_per_program"),
            models.CheckConstraint(condition=Q(jumlah__gt=0), name="payment_positive"),
        ]
        verbose_name = "pembayaran (SP2D)"
        verbose_name_plural = "pembayaran (SP2D)"
