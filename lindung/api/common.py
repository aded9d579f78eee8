"""What every endpoint shares: the documented error responses, the user's disclosure, the audit of full NIKs."""

from __future__ import annotations

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse

from lindung.accounts.access import disclosure_for
from lindung.accounts.models import Role
from lindung.api.schemas import Galat
from lindung.api.tokens import ApiDenied
from lindung.lib.audit import record_nik_access

ERROR_CODES = frozenset({400, 401, 403, 404, 409, 422, 429, 500})


def responses(ok: dict) -> dict:
    return {**ok, ERROR_CODES: Galat}


def disclosure(request):
    return disclosure_for(request.user)


def log_full_niks(request, model, rows: int, what: str) -> None:
    """A response with full NIKs is logged like a page that shows them: user, time, rows, and which token."""
    if disclosure_for(request.user).full:
        token = getattr(request, "api_token", None)
        record_nik_access(request.user, model=model, rows=rows,
                          note=f"API {what} (token {token.prefix if token else '-'})")


def fast_json(data) -> JsonResponse:
    """A large list straight to JSON: ninja's response validation costs more than the query for 100 rows. The
    shape is still the documented one (presenters build it; schemathesis checks every response against it)."""
    return JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False})


def require(condition: bool, pesan: str, kode: str = "tidak_berwenang") -> None:
    if not condition:
        raise ApiDenied(403, kode, pesan)


def is_admin_disnaker(user) -> bool:
    membership = getattr(user, "membership", None)
    return user.is_superuser or bool(membership and membership.role == Role.ADMIN_DISNAKER)


def is_auditor(user) -> bool:
    membership = getattr(user, "membership", None)
    return user.is_superuser or bool(membership and membership.role == Role.AUDITOR)
