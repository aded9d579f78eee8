"""Who may see and run the privacy records: the Disnaker admin manages them, the auditor reads them all.

Other roles get 403 (the project's PermissionDenied, as accounts.access does). A superuser manages the
installation-wide defaults.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from lindung.accounts.access import membership_of
from lindung.accounts.models import Role

READ_ROLES = frozenset({Role.ADMIN_DISNAKER, Role.AUDITOR})


def can_read_privacy(user) -> bool:
    membership = membership_of(user)
    return user.is_authenticated and (user.is_superuser or bool(membership and membership.role in READ_ROLES))


def can_manage_privacy(user) -> bool:
    membership = membership_of(user)
    return user.is_authenticated and (user.is_superuser or bool(membership and membership.role == Role.ADMIN_DISNAKER))


def require_read(user) -> None:
    if not can_read_privacy(user):
        raise PermissionDenied("Catatan pelindungan data pribadi hanya untuk Admin Disnaker dan Auditor.")


def require_manage(user) -> None:
    if not can_manage_privacy(user):
        raise PermissionDenied("Hanya Admin Disnaker yang mengelola catatan pelindungan data pribadi.")


def pemda_of(user) -> str | None:
    """The pemda whose records the user works on; None for a superuser (the installation's defaults)."""
    membership = membership_of(user)
    return membership.pemda_kode if membership is not None else None
