"""What a user may do and see. Views ask here; querysets enforce the area (ProgramQuerySet.visible_to).

`disclosure_for(user)` is the one place that decides how much of a person's identity a page or file shows
(NIK, No. KK, birth date, mother's name, problem texts, change history); templates reach it as
`disclosure` through `context` (settings.TEMPLATES) and the filters in lindung.lib.templatetags.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied

from lindung.accounts.models import READ_ONLY_ROLES, Role
from lindung.domain.nik import mask_kk, mask_nik, mask_phone

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


HIDDEN = "(disembunyikan)"


@dataclass(frozen=True)
class Disclosure:
    """How one user sees one record. Masked: the NIK and No. KK show only their region (mask_nik), the
    phone number only its last three digits (mask_phone), the
    birth date only its year, the mother's name not at all, problems only by their general text, so
    that nothing on a page adds up to the NIK: region + day and month + sex + a small serial would
    (issue 11). Masked is the default of everything that renders people without a request."""

    full: bool = False

    def nik(self, value) -> str:
        return (value or "–") if self.full else mask_nik(value)

    def kk(self, value) -> str:
        if not value:
            return "–"
        return value if self.full else mask_kk(value)

    def no_hp(self, value) -> str:
        if not value:
            return "–"
        return str(value) if self.full else mask_phone(value)

    def tanggal_lahir(self, value) -> str:
        from lindung.lib.format import format_date

        if isinstance(value, str) and value:  # ISO text, as a stored preview or an audit entry holds it
            try:
                value = date.fromisoformat(value[:10])
            except ValueError:
                return value if self.full else HIDDEN
        if not isinstance(value, date):
            return "–"
        return format_date(value) if self.full else f"tahun {value.year}"

    def nama_ibu(self, value) -> str:
        if not value:
            return "–"
        return value if self.full else HIDDEN

    def problem(self, problem: dict) -> str:
        """A row problem's message; masked, the general text of its code (the message may quote a date
        or a NIK read from the row, e.g. "Tanggal lahir menurut NIK (1 Januari 1990) berbeda ...")."""
        if self.full:
            return problem.get("message", "")
        from lindung.imports.validate import PROBLEM_CODES

        return PROBLEM_CODES.get(problem.get("code", ""), "Ada catatan pemeriksaan pada baris ini.")

    def fields(self, values: dict | None) -> list[tuple[str, str]]:
        """An audit entry's old or new values as (field, shown value) pairs."""
        shown = {"nik": self.nik, "no_kk": self.kk, "tanggal_lahir": self.tanggal_lahir, "nama_ibu": self.nama_ibu,
                 "no_hp": self.no_hp}
        return [(name, shown[name](value) if name in shown else value) for name, value in (values or {}).items()]


FULL, MASKED = Disclosure(full=True), Disclosure(full=False)


def disclosure_for(user, *, in_area: bool = True) -> Disclosure:
    """Full only for a role that needs full NIKs and only for records in the user's own area."""
    return FULL if in_area and sees_full_nik(user) else MASKED


def context(request) -> dict:
    """Template context processor: every page rendered for a request knows how to show people, and what
    the user may do (`boleh.disnaker`, `boleh.unggah`), so a page never offers a button that ends in a 403."""
    user = getattr(request, "user", None)
    if user is None:
        return {"disclosure": MASKED, "boleh": {}}
    return {"disclosure": disclosure_for(user), "boleh": Allowed(user)}


class Allowed:
    """What a page may offer this user; each answer asked lazily, from the same helpers the views use."""

    def __init__(self, user):
        self._user = user

    @property
    def disnaker(self) -> bool:
        return is_disnaker(self._user)

    @property
    def unggah(self) -> bool:
        return can_upload(self._user)

    @property
    def nik_lengkap(self) -> bool:
        return sees_full_nik(self._user)


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
