from django.conf import settings
from django.db import models


class Tingkat(models.TextChoices):
    PROVINSI = "provinsi", "Provinsi"
    KABUPATEN = "kabupaten", "Kabupaten"
    KOTA = "kota", "Kota"
    KECAMATAN = "kecamatan", "Kecamatan"
    DESA = "desa", "Desa"
    KELURAHAN = "kelurahan", "Kelurahan"


class RegionQuerySet(models.QuerySet):
    def within(self, kode: str) -> "RegionQuerySet":
        """The region and everything under it, by dotted-code prefix."""
        return self.filter(models.Q(kode=kode) | models.Q(kode__startswith=f"{kode}."))


class Region(models.Model):
    """A Kemendagri region, loaded from the domain snapshot (lindung/domain/data).

    Codes removed by pemekaran are kept and marked, never deleted (domain.md R20).
    """

    kode = models.CharField("kode wilayah", max_length=13, primary_key=True)
    nama = models.CharField(max_length=120)
    tingkat = models.CharField(max_length=10, choices=Tingkat.choices, db_index=True)
    induk = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="anak")
    versi = models.CharField("versi kode", max_length=60)
    aktif = models.BooleanField(default=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["kode"]
        verbose_name = "wilayah"
        verbose_name_plural = "wilayah"

    def __str__(self) -> str:
        return f"{self.kode} {self.nama}"


class JenisKelamin(models.TextChoices):
    L = "L", "Laki-laki"
    P = "P", "Perempuan"


class Person(models.Model):
    """One person, keyed by a valid NIK. Identity fields only; list-specific data lives on the candidate.

    A blank value from a later list never overwrites a stored one (see imports.services).
    """

    nik = models.CharField("NIK", max_length=16, unique=True)
    nama = models.CharField(max_length=150)
    tanggal_lahir = models.DateField(null=True, blank=True)
    jenis_kelamin = models.CharField(max_length=1, choices=JenisKelamin.choices, blank=True)
    tempat_lahir = models.CharField(max_length=80, blank=True)
    nama_ibu = models.CharField("nama ibu kandung", max_length=150, blank=True)
    no_kk = models.CharField("No. KK", max_length=16, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    IDENTITY_FIELDS = ("nama", "tanggal_lahir", "jenis_kelamin", "tempat_lahir", "nama_ibu", "no_kk")

    class Meta:
        verbose_name = "orang"
        verbose_name_plural = "orang"

    def __str__(self) -> str:
        return self.nama


class BpjsRoster(models.Model):
    """A participant file from the BPJS branch: the reference of who is already registered (R10)."""

    pemda = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="bpjs-peserta/%Y/")
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = "daftar peserta BPJS"
        verbose_name_plural = "daftar peserta BPJS"


class BpjsParticipant(models.Model):
    roster = models.ForeignKey(BpjsRoster, on_delete=models.CASCADE, related_name="participants")
    nik = models.CharField("NIK", max_length=16, db_index=True)
    nama = models.CharField(max_length=150, blank=True)
    tanggal_lahir = models.DateField(null=True, blank=True)
    kpj = models.CharField("No. KPJ", max_length=20)
    segmen = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = "peserta BPJS"
        verbose_name_plural = "peserta BPJS"
