"""Masa iur: how many months a person has contributed, for the JKM and beasiswa thresholds (R13, R23).

A person's contributed months come from the ledger (paid person-months, every programme and year, joined
by NIK); this module only counts them. Whether a month without contribution (the January–March gap before
the new APBD money arrives, the months between two programmes' windows) resets the count is not settled
in any source found (domain.md §8 item 4), so it is a rule with a start date and its stated basis, and the
default is the cautious reading: a gap resets the count (a family is never told to expect Rp42.000.000
when Rp10.000.000 may be paid). When BPJS confirms otherwise, a newer rule with `gap_resets=False` and its
basis is added from that date. Pure stdlib.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from lindung.domain.periods import Month

JKM_FULL_MONTHS = 3  # JKM Rp42.000.000 from 3 months of contributions; Rp10.000.000 below (domain.md §3)
BEASISWA_MONTHS = 36  # JKM beasiswa: masa iur of at least 3 years (domain.md §3)


@dataclass(frozen=True, slots=True)
class GapRule:
    berlaku: date
    gap_resets: bool
    dasar: str

    @property
    def description(self) -> str:
        if self.gap_resets:
            return "Bulan tanpa iuran memutus masa iur: hitungan mulai lagi dari nol sesudah jeda."
        return "Bulan tanpa iuran tidak memutus masa iur: semua bulan beriuran dijumlahkan."


CAUTIOUS = GapRule(
    berlaku=date(2015, 7, 1), gap_resets=True,
    dasar=("Belum ada ketentuan tertulis yang ditemukan apakah jeda iuran (mis. Januari–Maret sebelum APBD baru) "
           "memutus hitungan 3 bulan JKM dan 3 tahun beasiswa (belum dikonfirmasi); dipakai bacaan yang paling "
           "hati-hati: jeda memutus hitungan."))
DEFAULT_RULES = (CAUTIOUS,)


def rule_on(day: date, rules: Iterable[GapRule] = DEFAULT_RULES) -> GapRule:
    """The rule in force on `day`: the latest one that started on or before it."""
    started = [r for r in rules if r.berlaku <= day]
    if not started:
        raise ValueError(f"Tidak ada aturan masa iur yang berlaku pada {day.isoformat()}.")
    return max(started, key=lambda r: r.berlaku)


@dataclass(frozen=True, slots=True)
class MasaIur:
    months: tuple[Month, ...]  # every contributed month up to the reference month, in order
    mulai_berjalan: Month | None  # first month of the current run
    jeda: tuple[tuple[Month, Month], ...]  # (first, last) month of each gap between contributed months
    rule: GapRule

    @property
    def total(self) -> int:
        return len(self.months)

    @property
    def terakhir(self) -> Month | None:
        return self.months[-1] if self.months else None

    @property
    def berjalan(self) -> int:
        """The current run: consecutive months ending with the last contributed one."""
        return 0 if self.terakhir is None else self.terakhir - self.mulai_berjalan + 1

    @property
    def dihitung(self) -> int:
        """The months that count for the thresholds under the rule."""
        return self.berjalan if self.rule.gap_resets else self.total

    @property
    def under_jkm_threshold(self) -> bool:
        return self.dihitung < JKM_FULL_MONTHS

    def reaches(self, months: int) -> Month | None:
        """The month the count reaches `months`: when it did, or when it will if contributions go on every
        month after the last one; None for someone who never contributed."""
        if self.terakhir is None:
            return None
        if self.dihitung >= months:
            return self.mulai_berjalan + (months - 1) if self.rule.gap_resets else self.months[months - 1]
        return self.terakhir + (months - self.dihitung)


def count(months: Iterable[Month], *, until: Month, rules: Iterable[GapRule] = DEFAULT_RULES) -> MasaIur:
    """Masa iur of a person's contributed `months` (any order, repeats ignored) counted up to `until`."""
    ordered = tuple(sorted({m for m in months if m <= until}))
    rule = rule_on(until.last_day, rules)
    if not ordered:
        return MasaIur((), None, (), rule)
    gaps, run_start = [], ordered[0]
    for previous, current in zip(ordered, ordered[1:]):
        if current - previous > 1:
            gaps.append((previous + 1, current - 1))
            run_start = current
    return MasaIur(ordered, run_start, tuple(gaps), rule)
