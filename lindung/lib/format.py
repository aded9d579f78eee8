"""Indonesian display formats: Rp16.800, 13 November 2025, 59,29 %."""

from __future__ import annotations

from datetime import date, datetime

from lindung.domain.periods import MONTH_NAMES_ID
from lindung.domain.rates import rupiah


def format_rupiah(amount: int | None) -> str:
    return "–" if amount is None else rupiah(int(amount))


def format_number(value: int | None) -> str:
    if value is None:
        return "–"
    return f"{int(value):,}".replace(",", ".")


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    return f"{value.day} {MONTH_NAMES_ID[value.month - 1]} {value.year}"
