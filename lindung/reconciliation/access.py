"""Who sees and does what with the money of a month (issue 12).

Disnaker reconciles; BPKAD records payments; Dinas Sosial, BPKAD and auditors read; a desa operator sees
none of it; a user of another pemda gets a 404 (the programme is not theirs to know about).
"""

from django.core.exceptions import PermissionDenied

from lindung.accounts.access import is_disnaker, membership_of
from lindung.accounts.models import Role


def may_read(user) -> bool:
    membership = membership_of(user)
    return user.is_superuser or bool(membership and not membership.is_desa)


def require_read(user) -> None:
    if not may_read(user):
        raise PermissionDenied("Tagihan, rekonsiliasi dan pembayaran tidak terbuka untuk operator desa/kelurahan.")


def may_reconcile(user) -> bool:
    return is_disnaker(user)


def require_reconcile(user) -> None:
    if not may_reconcile(user):
        raise PermissionDenied("Hanya Disnaker yang merekonsiliasi tagihan BPJS.")


def may_pay(user) -> bool:
    membership = membership_of(user)
    return user.is_superuser or bool(membership and membership.role == Role.BPKAD)


def require_pay(user) -> None:
    if not may_pay(user):
        raise PermissionDenied("Hanya BPKAD yang mencatat pembayaran (SP2D).")
