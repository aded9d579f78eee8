"""Login lockout (issue 11, item 9): per account across every address, with a back-off instead of a hard lock.

django-axes records each failure (per username, address and browser); this handler decides from them:
- failures are counted per *username*, whatever the address — 40 guesses from 10 addresses lock the account;
- from AXES_FAILURE_LIMIT failures on, the account waits 1 minute after the last failure, and each further
  failure doubles the wait up to AXES_COOLOFF_MENIT: a typo costs a minute, a guessing script hours, and
  nobody can lock someone else out for long with a few tries;
- failures are remembered for a day (FAILURE_MEMORY); a successful login clears them.
The client address comes from the reverse proxy's header when TRUSTED_PROXY_HEADER names one (client_ip).
"""

from __future__ import annotations

import ipaddress
import math
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.shortcuts import render
from django.utils import timezone

FAILURE_MEMORY = timedelta(days=1)
FIRST_WAIT = timedelta(minutes=1)


def backoff(failures: int, limit: int) -> timedelta:
    """The wait after the last failure once `limit` is reached: 1, 2, 4, 8 … minutes, at most the configured lock."""
    longest = timedelta(minutes=settings.AXES_COOLOFF_MENIT)
    if failures < limit:
        return timedelta(0)
    return min(longest, FIRST_WAIT * 2 ** min(failures - limit, 30))


def locked_until(username: str | None, limit: int, now: datetime | None = None) -> datetime | None:
    """When the account may try again, or None when it may now."""
    if not username:
        return None
    now = now or timezone.now()
    recent = AccessAttempt.objects.filter(username=username, attempt_time__gt=now - FAILURE_MEMORY)
    seen = recent.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    failures, last = seen["failures"] or 0, seen["last"]
    if failures < limit:
        return None
    until = last + backoff(failures, limit)
    return until if until > now else None


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler with the per-username back-off above."""

    def get_failures(self, request, credentials=None) -> int:
        limit = get_failure_limit(request, credentials)
        username = get_client_username(request, credentials)
        return limit if locked_until(username, limit) else 0

    def clean_expired_user_attempts(self, request=None, credentials=None) -> int:
        # One fixed memory for everyone (axes would use this request's cool-off for every account).
        count, _ = AccessAttempt.objects.filter(attempt_time__lte=timezone.now() - FAILURE_MEMORY).delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page, in Indonesian, saying how long to wait."""
    limit = get_failure_limit(request, credentials)
    until = locked_until(get_client_username(request, credentials), limit)
    minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60)) if until else 1
    return render(request, "accounts/lockout.html", {"menit": minutes, "until": until}, status=429)


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, or — behind the pemda's reverse proxy — the address the trusted
    proxies wrote into TRUSTED_PROXY_HEADER. Each proxy appends what it saw, so the client is the
    TRUSTED_PROXY_COUNT-th entry from the right; anything further left was written by the client and is ignored."""
    remote = request.META.get("REMOTE_ADDR")
    header = settings.TRUSTED_PROXY_HEADER
    if not header:
        return remote
    raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
    hops = [hop.strip() for hop in raw.split(",") if hop.strip()]
    if len(hops) < settings.TRUSTED_PROXY_COUNT:
        return remote
    candidate = hops[-settings.TRUSTED_PROXY_COUNT]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
