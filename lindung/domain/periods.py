"""Months, coverage windows, fiscal years and ages.

BPJS bills BPU iuran per calendar month and regional budgets run January to December, so the
calendar month is the unit everything else counts in. Pure stdlib, values in, values out.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTH_NAMES_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)

_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


class PeriodError(ValueError):
    """A month, window or date that cannot be used; the message is Indonesian."""


@dataclass(frozen=True, order=True, slots=True)
class Month:
    """A calendar month. Ordered by (year, month), hashable, usable as a dict key."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not isinstance(self.year, int) or isinstance(self.year, bool) or not 1 <= self.year <= 9999:
            raise PeriodError(f"Tahun tidak valid: {self.year!r}.")
        if not isinstance(self.month, int) or isinstance(self.month, bool) or not 1 <= self.month <= 12:
            raise PeriodError(f"Bulan harus 1 sampai 12, bukan {self.month!r}.")

    @classmethod
    def parse(cls, text: str) -> Month:
        """'2025-11' -> Month(2025, 11). The CLI and forms use this format."""
        match = _MONTH_RE.match(text) if isinstance(text, str) else None
        if match is None:
            raise PeriodError(f"Format bulan harus TTTT-BB (contoh 2025-11), bukan {text!r}.")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def _index(self) -> int:
        # Months since year 0: turns month arithmetic into integer arithmetic.
        return self.year * 12 + self.month - 1

    @classmethod
    def _from_index(cls, index: int) -> Month:
        return cls(index // 12, index % 12 + 1)

    def __add__(self, months: int) -> Month:
        if not isinstance(months, int) or isinstance(months, bool):
            return NotImplemented
        return Month._from_index(self._index() + months)

    __radd__ = __add__

    def __sub__(self, other: Month | int) -> Month | int:
        """Month - Month = number of months between them; Month - int = an earlier month."""
        if isinstance(other, Month):
            return self._index() - other._index()
        if isinstance(other, int) and not isinstance(other, bool):
            return Month._from_index(self._index() - other)
        return NotImplemented

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def name_id(self) -> str:
        """'November 2025', as written in SK and berita acara."""
        return f"{MONTH_NAMES_ID[self.month - 1]} {self.year}"

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def months_inclusive(start: Month, end: Month) -> int:
    """How many months a bill from start to end covers: November-December 2025 = 2."""
    if end < start:
        raise PeriodError(f"Bulan akhir {end.name_id} sebelum bulan awal {start.name_id}.")
    return end - start + 1


@dataclass(frozen=True, slots=True)
class CoverageWindow:
    """A run of whole months of coverage, e.g. a programme's PKS period."""

    start: Month
    months: int

    def __post_init__(self) -> None:
        if not isinstance(self.start, Month):
            raise PeriodError(f"Awal periode harus berupa bulan, bukan {self.start!r}.")
        if not isinstance(self.months, int) or isinstance(self.months, bool) or self.months < 1:
            raise PeriodError(f"Jumlah bulan harus bilangan bulat minimal 1, bukan {self.months!r}.")

    @classmethod
    def between(cls, start: Month, end: Month) -> CoverageWindow:
        return cls(start, months_inclusive(start, end))

    @property
    def end(self) -> Month:
        return self.start + (self.months - 1)

    def months_list(self) -> list[Month]:
        return [self.start + i for i in range(self.months)]

    def contains(self, month: Month) -> bool:
        return self.start <= month <= self.end

    def overlaps(self, other: CoverageWindow) -> bool:
        return self.start <= other.end and other.start <= self.end

    @property
    def start_date(self) -> date:
        return self.start.first_day

    @property
    def end_date(self) -> date:
        return self.end.last_day

    def __str__(self) -> str:
        return f"{self.start.name_id} – {self.end.name_id}"


def fiscal_year(year: int) -> CoverageWindow:
    """The APBD budget year: January to December."""
    return CoverageWindow(Month(year, 1), 12)


def age_on(birth: date, on: date) -> int:
    """Age in completed years on a day.

    Someone born on 29 February has their birthday on 1 March in non-leap years: the tuple
    comparison below only counts the year once (month, day) has passed 29 February. That is
    the conservative choice for both age bounds (18 is reached one day later, 66 too).
    """
    if on < birth:
        raise PeriodError(f"Tanggal {on.isoformat()} sebelum tanggal lahir {birth.isoformat()}.")
    before_birthday = (on.month, on.day) < (birth.month, birth.day)
    return on.year - birth.year - int(before_birthday)
