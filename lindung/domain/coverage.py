"""Coverage (R21): distinct people actively covered ÷ semesta × 100, and the BPJS KPI weighting.

Pure arithmetic: the counting of people happens in SQL (lindung.coverage.services); what is left here is
how a share is rounded and written, how linked records collapse into one person, and the KPI weight.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

NO_DATA = "tidak ada data"
KPI_FULL_MONTHS = 6  # BPJS counts a participant fully from 6 months of protection, fewer proportionally


def persen(peserta: int, semesta: int | None) -> float | None:
    """Share in percent, two decimals, half up; None when there is no universe to divide by (never 0 %)."""
    if not semesta:
        return None
    value = (Decimal(peserta) * 100 / Decimal(semesta)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return float(value)


def format_persen(value: float | None) -> str:
    """59.29 -> "59,29 %"; None -> "tidak ada data"."""
    if value is None:
        return NO_DATA
    whole, _, cents = f"{value:,.2f}".partition(".")
    return f"{whole.replace(',', '.')},{cents} %"


def kpi_weight(months: int) -> Fraction:
    """A participant protected for `months` months counts min(months, 6) / 6 in the BPJS KPI."""
    return Fraction(max(0, min(months, KPI_FULL_MONTHS)), KPI_FULL_MONTHS)


def kpi_peserta(months_per_person: Iterable[int]) -> Fraction:
    return sum((kpi_weight(m) for m in months_per_person), Fraction(0))


def representatives(records: Iterable[Hashable], links: Iterable[tuple[Hashable, Hashable]],
                    order: Callable[[Hashable], object] = repr) -> dict[Hashable, Hashable]:
    """Record -> the record that stands for its person (union-find over the links; the smallest by `order`).

    Records are person keys (a valid NIK already collapses to one key); links are the matching engine's
    same-person pairs. A link naming a record outside `records` is ignored: that record is not covered."""
    parent = {r: r for r in records}

    def root(r: Hashable) -> Hashable:
        while parent[r] != r:
            parent[r] = parent[parent[r]]
            r = parent[r]
        return r

    for a, b in links:
        if a in parent and b in parent:
            ra, rb = root(a), root(b)
            if ra != rb:
                keep, drop = sorted((ra, rb), key=order)
                parent[drop] = keep
    return {r: root(r) for r in parent}


def distinct_people(records: Iterable[Hashable], links: Iterable[tuple[Hashable, Hashable]]) -> int:
    """How many people the records are, when each link says two records are one person."""
    return len(set(representatives(records, links).values()))


@dataclass(frozen=True)
class Share:
    kode: str
    nama: str
    peserta: int
    semesta: int | None

    @property
    def persen(self) -> float | None:
        return persen(self.peserta, self.semesta)

    @property
    def label(self) -> str:
        return format_persen(self.persen)

    def as_json(self) -> dict:
        return {"kode": self.kode, "nama": self.nama, "peserta": self.peserta, "semesta": self.semesta,
                "persen": self.persen}
