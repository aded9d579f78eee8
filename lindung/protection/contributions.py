"""Masa iur per person from the ledger: paid person-months of every programme and year, joined by NIK (R13).

A month counts once it is paid (`PersonMonth` *dibayar*): a month billed but not yet paid, or voided, is
not a contribution BPJS has received. The counting is `lindung.domain.masa_iur`'s.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from lindung.billing.models import PersonMonth
from lindung.protection.models import MasaIurRule
from lindung.domain import masa_iur
from lindung.domain.periods import Month
from lindung.imports.models import Candidate, CandidateStatus

COVERED = (CandidateStatus.TERDAFTAR, CandidateStatus.AKTIF, CandidateStatus.TERTUNGGAK)
_CHUNK = 5000


def rules() -> tuple[masa_iur.GapRule, ...]:
    return masa_iur.DEFAULT_RULES + tuple(r.as_rule() for r in MasaIurRule.objects.all())


def rule_today(today: date) -> masa_iur.GapRule:
    return masa_iur.rule_on(today, rules())


def paid_months(niks) -> dict[str, list[Month]]:
    found: dict[str, list[Month]] = defaultdict(list)
    niks = sorted(set(niks))
    for start in range(0, len(niks), _CHUNK):
        rows = PersonMonth.objects.filter(nik__in=niks[start:start + _CHUNK], state=PersonMonth.State.DIBAYAR)
        for nik, bulan in rows.values_list("nik", "bulan").iterator(chunk_size=20_000):
            found[nik].append(Month.of(bulan))
    return found


def person(nik: str, *, today: date) -> masa_iur.MasaIur:
    return masa_iur.count(paid_months([nik]).get(nik, ()), until=Month.of(today), rules=rules())


@dataclass(frozen=True)
class Row:
    candidate: Candidate
    masa: masa_iur.MasaIur

    @property
    def jkm_month(self) -> Month | None:
        return self.masa.reaches(masa_iur.JKM_FULL_MONTHS)

    @property
    def beasiswa(self) -> Month | None:
        return self.masa.reaches(masa_iur.BEASISWA_MONTHS)


def program_rows(program, *, today: date, candidates=None) -> list[Row]:
    """Every covered person of the programme (of `candidates`, a scoped QuerySet, when given) with their
    masa iur over all programmes and years, by name."""
    base = Candidate.objects.all() if candidates is None else candidates
    candidates = list(base.filter(program=program, status__in=COVERED).select_related("desa").order_by("nama", "pk"))
    months = paid_months(c.nik for c in candidates)
    until, all_rules = Month.of(today), rules()
    return [Row(c, masa_iur.count(months.get(c.nik, ()), until=until, rules=all_rules)) for c in candidates]


def under_three(rows: list[Row]) -> list[Row]:
    """Covered people whose non-work death would pay Rp10.000.000, not Rp42.000.000, today."""
    return [r for r in rows if r.masa.under_jkm_threshold]


def beasiswa_dates(rows: list[Row]) -> list[Row]:
    """Everyone with a contribution, by the month they reach (or reached) 36 months, earliest first."""
    dated = [r for r in rows if r.beasiswa is not None]
    return sorted(dated, key=lambda r: (r.beasiswa, r.candidate.nama))
