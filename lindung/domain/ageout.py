"""Turning the programme's upper age bound + 1 during coverage (R8 checks age at the start only).

Two readings, a programme setting: coverage runs to the window's end (the default: the age rule is a
condition of joining), or it ends in the month of the birthday on which the participant turns
`usia_max + 1` (billed through that month, not after). Pure stdlib.
"""

from __future__ import annotations

from datetime import date

from lindung.domain.periods import Month

TO_WINDOW_END = "akhir_program"
BIRTHDAY_MONTH = "bulan_ulang_tahun"


def birthday(birth: date, age: int) -> date:
    """The day someone turns `age`; born on 29 February: 1 March in a common year (as `age_on` counts)."""
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:
        return date(birth.year + age, 3, 1)


def age_out_day(birth: date, usia_max: int) -> date:
    """The day a participant becomes too old: the birthday of `usia_max + 1` (66 for an upper bound of 65)."""
    return birthday(birth, usia_max + 1)


def coverage_end(birth: date | None, usia_max: int, window_end: Month, rule: str) -> date | None:
    """The exit day the age rule sets inside the window, or None (runs to the window's end)."""
    if rule != BIRTHDAY_MONTH or birth is None:
        return None
    day = age_out_day(birth, usia_max)
    return day if Month.of(day) <= window_end else None


def turns_within(birth: date | None, usia_max: int, *, today: date, months: int = 3) -> date | None:
    """The age-out day if it falls from `today` through the same day `months` months later, else None."""
    if birth is None:
        return None
    day = age_out_day(birth, usia_max)
    later = Month.of(today) + months
    limit = later.first_day.replace(day=min(today.day, later.last_day.day))
    return day if today <= day <= limit else None


__all__ = ["BIRTHDAY_MONTH", "TO_WINDOW_END", "age_out_day", "birthday", "coverage_end", "turns_within"]
