from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    ADMIN_DISNAKER = "admin_disnaker", "Admin Disnaker"
    OPERATOR_DISNAKER = "operator_disnaker", "Operator Disnaker"
    VERIFIKATOR_DINSOS = "verifikator_dinsos", "Verifikator Dinas Sosial"
    OPERATOR_DESA = "operator_desa", "Operator desa/kelurahan"
    BPKAD = "bpkad", "BPKAD (keuangan, baca saja)"
    AUDITOR = "auditor", "Auditor (baca saja)"


# Who may see a full NIK (UU PDP: only those whose task needs it). Others see `6409 01•• •••• ••••` (accounts.access.Disclosure).
FULL_NIK_ROLES = frozenset({Role.ADMIN_DISNAKER, Role.OPERATOR_DISNAKER, Role.VERIFIKATOR_DINSOS, Role.OPERATOR_DESA})
UPLOAD_ROLES = frozenset({Role.ADMIN_DISNAKER, Role.OPERATOR_DISNAKER, Role.OPERATOR_DESA})
READ_ONLY_ROLES = frozenset({Role.BPKAD, Role.AUDITOR})


class Membership(models.Model):
    """A user's role and the region it covers: a kabupaten/kota or provinsi (the pemda), or one desa."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership",
                                verbose_name="pengguna")
    role = models.CharField("peran", max_length=24, choices=Role.choices)
    wilayah = models.ForeignKey("registry.Region", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "peran pengguna"
        verbose_name_plural = "peran pengguna"

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} {self.wilayah_id}"

    @property
    def is_desa(self) -> bool:
        return self.role == Role.OPERATOR_DESA

    @property
    def pemda_kode(self) -> str:
        """The pemda whose programmes this user works on: the desa operator's kabupaten/kota."""
        return ".".join(self.wilayah_id.split(".")[:2]) if self.is_desa else self.wilayah_id

    @property
    def sees_full_nik(self) -> bool:
        return self.role in FULL_NIK_ROLES

    @property
    def can_upload(self) -> bool:
        return self.role in UPLOAD_ROLES


class AuditEntry(models.Model):
    """One create/update/delete, or one view/export that showed full NIKs (UU PDP Pasal 31; R24)."""

    class Action(models.TextChoices):
        CREATE = "create", "buat"
        UPDATE = "update", "ubah"
        DELETE = "delete", "hapus"
        VIEW_NIK = "view_nik", "lihat NIK lengkap"
        EXPORT_NIK = "export_nik", "ekspor NIK lengkap"

    at = models.DateTimeField("waktu", auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name="pengguna")
    action = models.CharField("tindakan", max_length=12, choices=Action.choices)
    model = models.CharField("data", max_length=60)
    object_id = models.CharField("nomor data", max_length=64, blank=True, db_index=True)
    old = models.JSONField("nilai lama", null=True, blank=True)
    new = models.JSONField("nilai baru", null=True, blank=True)
    rows = models.PositiveIntegerField("baris", null=True, blank=True)
    note = models.CharField("catatan", max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]
        verbose_name = "jejak audit"
        verbose_name_plural = "jejak audit"
