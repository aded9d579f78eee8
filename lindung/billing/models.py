"""The person-month ledger (the single source of money truth) and the pagu's history (APBD murni, APBD-P)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class PersonMonth(models.Model):
    """One person covered in one month of one programme: the iuran of the rule in force that month.

    Written by `lindung.billing.ledger.sync_ledger` only (see its docstring for when). A month voided
    before payment is *batal*; a month paid for someone no longer covered (died on the 10th, paid ahead)
    is *diperhitungkan*: to settle with BPJS as the PKS provides (R16)."""

    class State(models.TextChoices):
        DITAGIH = "ditagih", "Ditagih"
        DIBAYAR = "dibayar", "Dibayar"
        DIPERHITUNGKAN = "diperhitungkan", "Diperhitungkan dengan BPJS"
        BATAL = "batal", "Batal"

    BILLABLE = (State.DITAGIH, State.DIBAYAR)
    # The partial index billing_pm_not_billed's predicate, as literal SQL (see `not_billed`).
    NOT_BILLED = "billing_personmonth.state IN ('batal', 'diperhitungkan')"

    # No single-column FK indexes: (program, bulan) and (enrolment, bulan) lead with them already, and the
    # candidate's is only needed to delete a candidate (refused anyway: PROTECT). Fewer indexes, faster bills.
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="person_months", db_index=False)
    enrolment = models.ForeignKey("enrolment.Enrolment", on_delete=models.PROTECT, related_name="person_months",
                                  db_index=False)
    candidate = models.ForeignKey("imports.Candidate", on_delete=models.PROTECT, related_name="person_months",
                                  db_index=False)
    nik = models.CharField("NIK", max_length=16)
    # The name as billed, copied with the NIK when the month is written: the bill page pages a province's
    # 600.000 lines of a month by (nama, id) along one index, which a join to the candidate cannot.
    nama = models.CharField(max_length=150, blank=True, default="")
    # The desa and the occupation as billed, for the coverage counter (lindung.counters.CoverageTally): the
    # home and coverage pages count a province's covered people per desa without reading its ledger.
    desa_kode = models.CharField("kode desa", max_length=13, blank=True, default="")
    pekerjaan = models.CharField(max_length=40, blank=True, default="")
    kpj = models.CharField("No. KPJ", max_length=20, blank=True)
    bulan = models.DateField("bulan")  # always the first day of the month
    iuran = models.PositiveIntegerField("iuran (rupiah)")
    aturan = models.JSONField(default=list)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DITAGIH)
    paid_amount = models.PositiveIntegerField("dibayar (rupiah)", default=0)
    ended_reason = models.CharField("alasan batal/diperhitungkan", max_length=255, blank=True)

    class Meta:
        ordering = ["bulan", "enrolment__urutan"]
        verbose_name = "iuran orang-bulan"
        verbose_name_plural = "iuran orang-bulan"
        constraints = [
            # A person-month is never billed twice, in one programme or across two (R9).
            models.UniqueConstraint(fields=["nik", "bulan"], condition=~Q(state="batal"), name="person_month_billed_once"),
            models.UniqueConstraint(fields=["enrolment", "bulan"], name="one_row_per_enrolment_month"),
        ]
        # The bill page's order (a keyset along it); its (program, bulan) prefix serves every month's query.
        indexes = [models.Index(fields=["program", "bulan", "nama", "id"], name="billing_pm_bill_order"),
                   # The few lines not billed (voided after an exit), listed under the bill without reading
                   # the month's other 600.000. A query must repeat NOT_BILLED literally (SQLite's rule).
                   models.Index(fields=["program", "bulan", "nama", "id"], name="billing_pm_not_billed",
                                condition=Q(state__in=["batal", "diperhitungkan"]))]

    def __str__(self) -> str:
        return f"{self.nik} {self.bulan:%m-%Y} Rp{self.iuran}"


class PaguChange(models.Model):
    """One step of a programme's pagu: the APBD murni, then each APBD-P (or pergeseran) up or down.

    `Program.pagu` stays the current total (every page and the seat arithmetic read it); this table is its
    history, written together with it by `lindung.billing.budget.change_pagu`."""

    class Jenis(models.TextChoices):
        MURNI = "murni", "APBD murni"
        PERUBAHAN = "perubahan", "APBD perubahan (APBD-P)"
        PERGESERAN = "pergeseran", "Pergeseran anggaran"

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="pagu_changes")
    jenis = models.CharField(max_length=12, choices=Jenis.choices)
    nomor_dokumen = models.CharField("nomor dokumen (Perda/Perkada/DPA)", max_length=150, blank=True)
    tanggal = models.DateField("tanggal dokumen")
    berlaku = models.DateField("bulan pertama yang dibiayai perubahan")  # first day of a month
    pagu = models.BigIntegerField("pagu sesudah perubahan (rupiah)")
    selisih = models.BigIntegerField("selisih (rupiah)")
    kursi_tambahan = models.IntegerField(default=0)
    catatan = models.CharField(max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tanggal", "id"]
        verbose_name = "perubahan pagu"
        verbose_name_plural = "perubahan pagu"


class LedgerMark(models.Model):
    """What a cohort's enrolments looked like when a month was last written to the ledger.

    Asking for a bill syncs the ledger first; when the cohort's enrolments have not changed since (same count,
    same highest id, same last update), there is nothing new to write and the million-row check is skipped."""

    cohort = models.ForeignKey("enrolment.Cohort", on_delete=models.CASCADE, related_name="+")
    bulan = models.DateField()
    signature = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cohort", "bulan"], name="one_mark_per_cohort_month")]
