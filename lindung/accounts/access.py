"""What a user may do and see. Views ask here; querysets enforce the area (ProgramQuerySet.visible_to)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from lindung.domain.nik import mask_nik


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
