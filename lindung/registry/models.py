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
