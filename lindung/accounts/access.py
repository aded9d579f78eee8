"""What a user may do and see. Views ask here; querysets enforce the area (ProgramQuerySet.visible_to)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from lindung.accounts.models import READ_ONLY_ROLES, Role
from lindung.domain.nik import mask_nik

DISNAKER_ROLES = frozenset({Role.ADMIN_DISNAKER, Role.OPERATOR_DISNAKER})


def membership_of(user):
    return getattr(user, "membership", None) if user.is_authenticated else None


def sees_full_nik(user) -> bool:
    if user.is_superuser:
        return True
    membership = membership_of(user)
    return bool(membership and membership.sees_full_nik)


def can_upload(user) -> bool:
    membership = membership_of(user)
    return user.is_superuser or bool(membership and membership.can_upload)


def require_upload(user) -> None:
    if not can_upload(user):
        raise PermissionDenied("Peran Anda hanya dapat membaca, tidak dapat mengunggah atau menyimpan data.")


def show_nik(user, nik: str) -> str:
    return nik if sees_full_nik(user) else mask_nik(nik)


def is_disnaker(user) -> bool:
    membership = membership_of(user)
    return user.is_superuser or bool(membership and membership.role in DISNAKER_ROLES)


def require_disnaker(user) -> None:
    if not is_disnaker(user):
        raise PermissionDenied("Hanya Disnaker yang menetapkan peserta dan berurusan dengan BPJS.")


def can_decide_matches(user) -> bool:
    """Whether two records are one person: any role that works on the lists, never the read-only ones."""
    membership = membership_of(user)
    return user.is_superuser or bool(membership and membership.role not in READ_ONLY_ROLES)
