"""API tokens: made (the secret shown once), listed, revoked; and resolved to a user on every request.

`authenticate()` is the one place an API request becomes a user: after it, every endpoint starts from the
same scoped querysets and `disclosure_for(user)` as the web pages, so nothing is re-decided per view.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from lindung.api.models import ApiRequestCount, ApiToken, hash_token, new_secret
from lindung.lib.audit import record_change

# last_used_at is written at most this often per token: a busy sync client must not turn every read into a write.
LAST_USED_EVERY = timedelta(minutes=1)
MAX_DAYS = 366


class ApiDenied(Exception):
    """A request the API refuses; kode/pesan/status end up in the JSON error body."""

    def __init__(self, status: int, kode: str, pesan: str, rincian: list | None = None):
        super().__init__(pesan)
        self.status, self.kode, self.pesan, self.rincian = status, kode, pesan, rincian or []


def create_token(*, user, nama: str, write: bool = False, days: int | None = 90) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and the secret, which is never stored and never shown again."""
    nama = (nama or "").strip()
    if not nama:
        raise ValueError("Nama token wajib diisi (untuk apa token ini dipakai).")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise ValueError(f"Masa berlaku token 1 sampai {MAX_DAYS} hari.")
    secret = new_secret()
    expires = timezone.now() + timedelta(days=days) if days else None
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, nama=nama[:100], token_hash=hash_token(secret), prefix=secret[:10],
            scope=ApiToken.Scope.WRITE if write else ApiToken.Scope.READ, expires_at=expires)
        record_change(user, token, old=None, new={"nama": token.nama, "scope": token.scope, "prefix": token.prefix,
                                                  "expires_at": expires.isoformat() if expires else None},
                      note="token API dibuat")
    return token, secret


def revoke_token(*, token: ApiToken, user) -> None:
    if token.revoked_at:
        return
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_change(user, token, old={"revoked_at": None}, new={"revoked_at": token.revoked_at.isoformat()},
                      note="token API dicabut")


def authenticate(request, secret: str):
    """The user behind a Bearer token, or ApiDenied saying why not (401 unknown/expired/revoked,
    403 read-only token on a writing method, 429 over the rate limit)."""
    token = (ApiToken.objects.select_related("user", "user__membership")
             .filter(token_hash=hash_token(secret.strip())).first())
    now = timezone.now()
    if token is None or not token.user.is_active:
        raise ApiDenied(401, "token_tidak_dikenal", "Token tidak dikenal. Periksa header Authorization: Bearer TOKEN.")
    if token.revoked_at:
        raise ApiDenied(401, "token_dicabut", "Token ini sudah dicabut; buat token baru di halaman Token API.")
    if token.expires_at and token.expires_at <= now:
        raise ApiDenied(401, "token_kedaluwarsa", "Masa berlaku token sudah habis; buat token baru di halaman Token API.")
    if request.method not in ("GET", "HEAD", "OPTIONS") and not token.can_write:
        raise ApiDenied(403, "token_baca_saja", "Token ini hanya untuk membaca; perubahan data memerlukan token baca-tulis.")
    _rate_limit(token, now)
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    request.user = token.user
    request.api_token = token
    return token.user


def _rate_limit(token: ApiToken, now) -> None:
    """A fixed one-minute window per token: on PostgreSQL counted in the database, so every gunicorn worker
    adds to one number; on SQLite in Django's cache (each worker its own, so with N workers a client gets at
    most N × the limit), because a write per request there would wait behind a background job's write lock."""
    limit = settings.API_BATAS_PER_MENIT
    if limit <= 0:
        return
    window = int(now.timestamp() // 60)
    count = _counted_in_database(token, window) if connection.vendor == "postgresql" else _counted_in_cache(token, window)
    if count > limit:
        raise ApiDenied(429, "terlalu_banyak_permintaan",
                        f"Batas {limit} permintaan per menit untuk token ini terlampaui; coba lagi sebentar lagi.",
                        [{"batas_per_menit": limit, "coba_lagi_detik": 60 - int(now.timestamp()) % 60}])


def _counted_in_database(token: ApiToken, window: int) -> int:
    """This request added to the token's count of this minute, in one atomic statement (autocommit: the row is
    never held while the request runs); the token's first request of a minute deletes its older minutes."""
    table = connection.ops.quote_name(ApiRequestCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (token_id, minute, n) VALUES (%s, %s, 1) ON CONFLICT (token_id, minute) "
                       f"DO UPDATE SET n = {table}.n + 1 RETURNING n", [token.pk, window])
        (count,) = cursor.fetchone()
        if count == 1:
            cursor.execute(f"DELETE FROM {table} WHERE token_id = %s AND minute < %s", [token.pk, window])
    return count


def _counted_in_cache(token: ApiToken, window: int) -> int:
    key = f"api-rate:{token.pk}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        return cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=120)
        return 1
