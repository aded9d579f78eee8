"""Iuran arithmetic for BPU participants: per person-month, per roster, and seats a pagu buys.

Money is int rupiah throughout. Percentages are Fractions and become rupiah only through
round_rupiah, the one rounding function (domain.md R26). The amounts come from rates.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

from . import rates
from .pekerjaan import SEKTOR_TRANSPORTASI, SUMBER_DANA
from .periods import Month
from .rates import rupiah

__all__ = [
    "PEMBAYAR",
    "SEKTOR",
    "IuranError",
    "IuranBulanan",
    "IuranTotal",
    "Pagu",
    "round_rupiah",
    "rupiah",
    "iuran_bulanan",
    "iuran_total",
    "kursi_dari_pagu",
]

# Who pays the iuran: the government levels, the worker himself (mandiri), or a programme's
# funding source code (pekerjaan.SUMBER_DANA).
PEMBAYAR = frozenset({"apbd", "apbn", "mandiri", *SUMBER_DANA})
SEKTOR = frozenset({SEKTOR_TRANSPORTASI})
DEFAULT_PENGHASILAN = 1_000_000


class IuranError(ValueError):
    """Bad input to an iuran calculation; the message is Indonesian."""


def round_rupiah(value: Fraction | int) -> int:
    """Round to whole rupiah, half up: 0,5 -> 1, 2,5 -> 3, -0,5 -> 0 (floor of value + ½).

    The only place a fraction of a rupiah becomes a rupiah. Floats are refused: they cannot hold
    2 % of every income exactly.
    """
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        raise TypeError(f"round_rupiah butuh int atau Fraction, bukan {type(value).__name__}.")
    return math.floor(Fraction(value) + Fraction(1, 2))


@dataclass(frozen=True, slots=True)
class IuranBulanan:
    """One participant's iuran for one month, by component."""

    month: Month
    jkk: int
    jkm: int
    jht: int
    diskon: int
    total: int
    aturan: tuple[str, ...]  # regulation names applied, in order
    dasar: int  # penghasilan penetapan manfaat: the Lampiran II base JKK and JHT are computed on


@dataclass(frozen=True, slots=True)
class IuranTotal:
    """A roster's bill over a window, summed month by month."""

    per_orang_per_bulan: int  # the first month's iuran for one person
    total: int
    months: tuple[IuranBulanan, ...]
    aturan: tuple[str, ...]

    @property
    def per_orang(self) -> int:
        """One person's iuran for the whole window."""
        return sum(m.total for m in self.months)

    @property
    def dasar(self) -> int:
        """The penghasilan penetapan manfaat of the first month (the Lampiran II base)."""
        return self.months[0].dasar


@dataclass(frozen=True, slots=True)
class Pagu:
    """How many people (kursi) a budget covers for a window."""

    kursi: int
    biaya: int
    sisa: int
    per_orang: int  # one seat for the whole window


def _check_int(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise IuranError(f"{name} harus bilangan bulat, bukan {value!r}.")
    if value < minimum:
        raise IuranError(f"{name} minimal {minimum}, bukan {value}.")
    return value


def _check_common(*, month: Month, penghasilan: int, pembayar: str, sektor: str | None) -> None:
    if not isinstance(month, Month):
        raise IuranError(f"Periode harus berupa bulan (Month), bukan {month!r}.")
    _check_int("Penghasilan", penghasilan, 1)
    if pembayar not in PEMBAYAR:
        raise IuranError(f"Pembayar tidak dikenal: {pembayar!r}. Pilihan: {', '.join(sorted(PEMBAYAR))}.")
    if sektor is not None and sektor not in SEKTOR:
        raise IuranError(f"Sektor tidak dikenal: {sektor!r}. Pilihan: {', '.join(sorted(SEKTOR))}.")


def _jkk(month: Month, penghasilan: int, rules: tuple[rates.Rule, ...]) -> tuple[rates.JkkBand, str]:
    """The Lampiran II row of the declared income: its JKK and the base (dasar) JHT is computed on."""
    rule = rates.find_rule(rates.JKK, month, rules=rules)
    return rule.band_for(penghasilan), rule.regulation


def _unique(names: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def iuran_bulanan(
    *,
    month: Month,
    penghasilan: int = DEFAULT_PENGHASILAN,
    jht: bool = False,
    pembayar: str = "apbd",
    sektor: str | None = None,
    rules: tuple[rates.Rule, ...] | None = None,
) -> IuranBulanan:
    """One person's iuran for one month (domain.md R1, R4).

    The declared income picks its PP 44/2015 Lampiran II row; JKK (the row's amount) and JHT (2 %) are
    of that row's base, the penghasilan penetapan manfaat, never of the income itself.

    Raises IuranError for bad input and rates.RateNotFound when no rule or JKK band covers it. `rules`
    replaces the table (tests of a rule change use a table of their own).
    """
    rules = rates.RULES if rules is None else rules
    _check_common(month=month, penghasilan=penghasilan, pembayar=pembayar, sektor=sektor)
    band, jkk_regulation = _jkk(month, penghasilan, rules)
    jkk = band.jkk
    jkm_rule = rates.find_rule(rates.JKM, month, rules=rules)
    aturan = [jkk_regulation, jkm_rule.regulation]

    jht_amount = 0
    if jht:
        jht_rule = rates.find_rule(rates.JHT, month, rules=rules)
        jht_amount = round_rupiah(jht_rule.rate * band.dasar)
        aturan.append(jht_rule.regulation)

    diskon = 0
    discount = rates.find_discount(month, rules=rules)
    if discount is not None and discount.applies_to(sektor=sektor, pembayar=pembayar):
        parts = {rates.JKK: jkk, rates.JKM: jkm_rule.amount, rates.JHT: jht_amount}
        base = sum(parts[c] for c in discount.discounted)
        diskon = round_rupiah(discount.rate * base)
        aturan.append(discount.regulation)

    return IuranBulanan(
        month=month,
        jkk=jkk,
        jkm=jkm_rule.amount,
        jht=jht_amount,
        diskon=diskon,
        total=jkk + jkm_rule.amount + jht_amount - diskon,
        aturan=_unique(aturan),
        dasar=band.dasar,
    )


def iuran_total(
    *,
    orang: int,
    start: Month,
    bulan: int,
    penghasilan: int = DEFAULT_PENGHASILAN,
    jht: bool = False,
    pembayar: str = "apbd",
    sektor: str | None = None,
) -> IuranTotal:
    """Bill for `orang` people over `bulan` months from `start` (domain.md R2).

    Each month is priced on its own, so a rule that starts or ends inside the window (the
    PP 50/2025 discount ending after March 2027) is honoured.
    """
    _check_int("Jumlah orang", orang, 0)
    _check_int("Jumlah bulan", bulan, 1)
    if not isinstance(start, Month):
        raise IuranError(f"Bulan awal harus berupa bulan (Month), bukan {start!r}.")
    months = tuple(
        iuran_bulanan(month=start + i, penghasilan=penghasilan, jht=jht, pembayar=pembayar, sektor=sektor)
        for i in range(bulan)
    )
    return IuranTotal(
        per_orang_per_bulan=months[0].total,
        total=orang * sum(m.total for m in months),
        months=months,
        aturan=_unique([name for m in months for name in m.aturan]),
    )


def kursi_dari_pagu(
    *,
    anggaran: int,
    start: Month,
    bulan: int,
    penghasilan: int = DEFAULT_PENGHASILAN,
    jht: bool = False,
    pembayar: str = "apbd",
    sektor: str | None = None,
) -> Pagu:
    """Seats a budget buys for a window, rounded down: a seat is never half-paid (domain.md R5)."""
    _check_int("Anggaran", anggaran, 0)
    per_orang = iuran_total(
        orang=1, start=start, bulan=bulan, penghasilan=penghasilan, jht=jht, pembayar=pembayar, sektor=sektor
    ).total
    kursi = anggaran // per_orang
    biaya = kursi * per_orang
    return Pagu(kursi=kursi, biaya=biaya, sisa=anggaran - biaya, per_orang=per_orang)
