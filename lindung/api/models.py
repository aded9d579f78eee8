from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

# What a token looks like: "ldg_" + 40 url-safe characters (240 bits). High entropy, so a plain sha256
# is enough to store it (a slow password hash protects guessable secrets, not random ones).
TOKEN_PREFIX = "ldg_"


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(30)


class TokenQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A user's key to the API: it acts as that user (same area, same masking), read-only or also writing."""

    class Scope(models.TextChoices):
        READ = "baca", "Baca saja"
        WRITE = "tulis", "Baca dan tulis"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name="pengguna")
    nama = models.CharField(max_length=100, help_text="untuk apa token ini, mis. 'OpenSID Desa Moro'")
    token_hash = models.CharField("sidik token (hash)", max_length=64, unique=True)
    prefix = models.CharField("awalan", max_length=12, help_text="awal token, untuk mengenalinya di daftar")
    scope = models.CharField("cakupan", max_length=5, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField("dibuat", auto_now_add=True)
    expires_at = models.DateTimeField("berlaku sampai", null=True, blank=True)
    last_used_at = models.DateTimeField("terakhir dipakai", null=True, blank=True)
    revoked_at = models.DateTimeField("dicabut", null=True, blank=True)

    objects = TokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "token API"
        verbose_name_plural = "token API"

    def __str__(self) -> str:
        return f"{self.nama} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.revoked_at:
            return "dicabut"
        if self.expires_at and self.expires_at <= now:
            return "kedaluwarsa"
        return "aktif"


class ApiRequestCount(models.Model):
    """Requests one token made in one clock minute, counted in the database on PostgreSQL so that every
    gunicorn worker adds to the same number (the local-memory cache is each worker's own). One atomic
    upsert per request (lindung.api.tokens._rate_limit); a token's earlier minutes are deleted as it goes."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="+")
    minute = models.BigIntegerField(help_text="menit sejak 1970-01-01 UTC")
    n = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "hitungan permintaan API"
        verbose_name_plural = "hitungan permintaan API"
        constraints = [models.UniqueConstraint(fields=["token", "minute"], name="one_api_count_per_minute")]
