"""Indonesian display formats: Rp16.800, 13 November 2025, 59,29 %."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone

from lindung.domain.periods import MONTH_NAMES_ID
from lindung.domain.rates import rupiah


def format_rupiah(amount: int | None) -> str:
    return "–" if amount is None else rupiah(int(amount))


def format_number(value: int | None) -> str:
    if value is None:
        return "–"
    return f"{int(value):,}".replace(",", ".")


def format_date(value: date | datetime | None) -> str:
    """13 November 2025; a stored (UTC) datetime is shown on the local calendar day."""
    if value is None:
        return "–"
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {MONTH_NAMES_ID[value.month - 1]} {value.year}"
