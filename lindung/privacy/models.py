"""Records UU 27/2022 (PDP) asks of a controller: the processing register (Pasal 31), retention (R25), breaches (Pasal 46)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class LawfulBasis(models.TextChoices):
    """UU 27/2022 Pasal 20 ayat (2)."""

    PERSETUJUAN = "persetujuan", "Persetujuan yang sah secara eksplisit (Pasal 20 ayat 2 huruf a)"
    PERJANJIAN = "perjanjian", "Pemenuhan kewajiban perjanjian (huruf b)"
    KEWAJIBAN_HUKUM = "kewajiban_hukum", "Pemenuhan kewajiban hukum pengendali (huruf c)"
    KEPENTINGAN_VITAL = "kepentingan_vital", "Pelindungan kepentingan vital subjek data (huruf d)"
    TUGAS_PUBLIK = "tugas_publik", ("Pelaksanaan tugas dalam rangka kepentingan umum, pelayanan publik, atau "
                                    "pelaksanaan kewenangan pengendali (huruf e)")
    KEPENTINGAN_SAH = "kepentingan_sah", "Pemenuhan kepentingan yang sah lainnya (huruf f)"


class ProcessingActivityQuerySet(models.QuerySet):
    def register_for(self, pemda_kode: str | None) -> list[ProcessingActivity]:
        """The pemda's register: the installation's defaults, each replaced by the pemda's own version if it has one."""
        rows = self.filter(Q(pemda__isnull=True) | Q(pemda_id=pemda_kode)) if pemda_kode else self.filter(pemda__isnull=True)
        chosen: dict[str, ProcessingActivity] = {}
        for row in rows.order_by("urutan", "kode"):
            if row.kode not in chosen or row.pemda_id is not None:
                chosen[row.kode] = row
        return sorted(chosen.values(), key=lambda r: (r.urutan, r.kode))


class ProcessingActivity(models.Model):
    """One dataset in the record of processing (Pasal 31): what, why, on which basis, who receives it, how long.

    Rows without a pemda are the installation's defaults (seeded by a migration); a pemda's Disnaker admin
    edits its own copy, so one pemda's register never changes another's.
    """

    pemda = models.ForeignKey("registry.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    kode = models.SlugField(max_length=40)
    urutan = models.PositiveSmallIntegerField(default=0)
    nama = models.CharField("kumpulan data", max_length=150)
    tujuan = models.TextField("tujuan pemrosesan")
    dasar_hukum = models.CharField("dasar pemrosesan (Pasal 20)", max_length=20, choices=LawfulBasis.choices)
    rincian_dasar = models.TextField("peraturan yang mendasari", blank=True)
    subjek = models.CharField("subjek data", max_length=255)
    kategori_data = models.TextField("jenis data pribadi")
    penerima = models.TextField("penerima data")
    masa_simpan = models.TextField("masa penyimpanan")
    pengamanan = models.TextField("langkah pengamanan", blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name="diubah oleh")
    updated_at = models.DateTimeField("diubah", auto_now=True)

    objects = ProcessingActivityQuerySet.as_manager()

    EDITABLE = ("nama", "tujuan", "dasar_hukum", "rincian_dasar", "subjek", "kategori_data", "penerima",
                "masa_simpan", "pengamanan")

    class Meta:
        ordering = ["urutan", "kode"]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "kode"], name="one_activity_per_pemda"),
            models.UniqueConstraint(fields=["kode"], condition=Q(pemda__isnull=True), name="one_default_activity"),
        ]
        verbose_name = "kegiatan pemrosesan"
        verbose_name_plural = "catatan kegiatan pemrosesan"

    def __str__(self) -> str:
        return self.nama


class RecordType(models.TextChoices):
    """What `lindung retensi` removes, each counted from its own reference date (see privacy.retention)."""

    BERKAS_IMPOR = "berkas-impor", "Berkas unggahan daftar calon"
    BARIS_ASLI = "baris-asli", "Baris asli unggahan (pada calon dan pratinjau unggahan)"
    BERKAS_PESERTA_BPJS = "berkas-peserta-bpjs", "Berkas daftar peserta BPJS dari kantor cabang"
    BERITA_ACARA = "berita-acara", "Berkas berita acara musyawarah"
    SK_PDF = "sk-pdf", "Berkas PDF SK penetapan yang tersimpan"


class RetentionRule(models.Model):
    """How long one record type is kept (R25). Installation-wide: set by the application admin in /admin/."""

    kode = models.CharField(max_length=24, choices=RecordType.choices, unique=True)
    bulan = models.PositiveSmallIntegerField("masa simpan (bulan)")
    acuan = models.CharField("dihitung sejak", max_length=150)
    tindakan = models.CharField("tindakan setelah lewat", max_length=150)
    dasar = models.TextField("alasan/dasar masa simpan")
    aktif = models.BooleanField(default=True, help_text="mati = tidak pernah dihapus oleh `lindung retensi`")
    updated_at = models.DateTimeField("diubah", auto_now=True)

    class Meta:
        ordering = ["kode"]
        verbose_name = "aturan retensi"
        verbose_name_plural = "aturan retensi"

    def __str__(self) -> str:
        return f"{self.get_kode_display()}: {self.bulan} bulan"


NOTICE_HOURS = 72  # UU 27/2022 Pasal 46 ayat (1): written notice within 3 × 24 hours


class IncidentQuerySet(models.QuerySet):
    def visible_to(self, user) -> IncidentQuerySet:
        if user.is_superuser:
            return self
        membership = getattr(user, "membership", None)
        return self.filter(pemda_id=membership.pemda_kode) if membership is not None else self.none()


class Incident(models.Model):
    """A failure of personal-data protection (*kegagalan pelindungan data pribadi*, Pasal 46) and its notices."""

    class Status(models.TextChoices):
        DIBUKA = "dibuka", "Dibuka"
        DIBERITAHUKAN = "diberitahukan", "Sudah diberitahukan"
        DITUTUP = "ditutup", "Ditutup"

    pemda = models.ForeignKey("registry.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    judul = models.CharField(max_length=150)
    discovered_at = models.DateTimeField("diketahui pada")
    kejadian = models.TextField("apa yang terjadi, kapan dan bagaimana")
    kategori_data = models.TextField("data pribadi yang terungkap")
    jumlah_terdampak = models.PositiveIntegerField("jumlah orang terdampak", null=True, blank=True)
    nik_terdampak = models.TextField("NIK terdampak", blank=True, help_text="satu NIK per baris")
    programs = models.ManyToManyField("programs.Program", blank=True, related_name="+", verbose_name="program terdampak")
    penanganan = models.TextField("penanganan dan pemulihan", blank=True)
    status = models.CharField(max_length=14, choices=Status.choices, default=Status.DIBUKA)
    notice_subjek = models.TextField("pemberitahuan kepada subjek data", blank=True)
    notice_lembaga = models.TextField("pemberitahuan kepada lembaga", blank=True)
    notified_at = models.DateTimeField("diberitahukan pada", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    updated_at = models.DateTimeField("diubah", auto_now=True)

    objects = IncidentQuerySet.as_manager()

    AUDITED = ("judul", "discovered_at", "kejadian", "kategori_data", "jumlah_terdampak", "penanganan", "status",
               "notice_subjek", "notice_lembaga", "notified_at")

    class Meta:
        ordering = ["-discovered_at", "-id"]
        verbose_name = "insiden data pribadi"
        verbose_name_plural = "insiden data pribadi"

    def __str__(self) -> str:
        return self.judul

    @property
    def deadline(self):
        from datetime import timedelta

        return self.discovered_at + timedelta(hours=NOTICE_HOURS)

    @property
    def niks(self) -> list[str]:
        return [line.strip() for line in self.nik_terdampak.splitlines() if line.strip()]

    @property
    def affected(self) -> int:
        return self.jumlah_terdampak if self.jumlah_terdampak is not None else len(self.niks)
