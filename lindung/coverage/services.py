"""Coverage of an area in a month (R21), counted in SQL: each person once across every programme.

*Actively covered in month M*: with the person-month ledger (lindung.billing) installed, a PersonMonth row
of M that is not *batal*; before it, a seat (enrolment *kursi*) in a cohort whose window holds M, of a
candidate BPJS has not refused or ended. Plus the BPJS participant list's BPU/PBPU members (placed by
their NIK's kecamatan; no desa). One person = one Person row (a valid NIK); two records the matching
engine linked as the same person (two spellings, a mistyped NIK) collapse into one.
Each person is placed in one desa (the smallest code among their records), so desa sum to kecamatan.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.apps import apps
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Count, Max, Min, Q, Sum

from lindung.coverage.models import Semesta, SemestaRow
from lindung.domain import wilayah
from lindung.domain.coverage import Share, kpi_peserta, representatives
from lindung.domain.periods import Month
from lindung.imports.models import Candidate, CandidateStatus
from lindung.linkage.models import MatchPair
from lindung.registry.models import BpjsParticipant

COVERED_STATUSES = (CandidateStatus.TERVERIFIKASI, CandidateStatus.DIAJUKAN, CandidateStatus.TERDAFTAR,
                    CandidateStatus.AKTIF)
BPU_SEGMENTS = ("BPU", "PBPU")
LEVEL_LENGTH = {1: 2, 2: 5, 3: 8, 4: 13}


def _ledger():
    return apps.get_model("billing", "PersonMonth") if apps.is_installed("lindung.billing") else None


def _in_area(kode: str, fk: str = "desa") -> Q:
    # fk__kode is the foreign key's own column (kode is the Region's primary key): no join.
    return Q(**{f"{fk}__kode__startswith": f"{kode}."}) | Q(**{f"{fk}_id": kode})


def active_candidates(month: Month, kode: str):
    """Candidates actively covered in `month` inside the area (see the module docstring)."""
    ledger = _ledger()
    if ledger is not None:
        rows = ledger.objects.filter(bulan=month.first_day).exclude(state="batal")
        return Candidate.objects.filter(_in_area(kode), pk__in=rows.values("candidate_id"))
    from lindung.enrolment.models import Cohort, Enrolment

    cohorts = [c.pk for c in Cohort.objects.only("mulai", "bulan") if c.window.contains(month)]
    return Candidate.objects.filter(_in_area(kode), status__in=COVERED_STATUSES,
                                    enrolments__state=Enrolment.State.SEATED, enrolments__cohort_id__in=cohorts)


def default_month(today: date | None = None) -> Month:
    """The latest month up to today in which anyone was covered (the current month if none)."""
    current = Month.of(today or date.today())
    ledger = _ledger()
    if ledger is not None:
        last = ledger.objects.filter(bulan__lte=current.first_day).exclude(state="batal").aggregate(m=Max("bulan"))["m"]
        return Month.of(last) if last else current
    from lindung.enrolment.models import Cohort

    ends = [min(c.window.end, current) for c in Cohort.objects.only("mulai", "bulan") if c.window.start <= current]
    return max(ends) if ends else current


def _placed_counts(active, length: int) -> Counter:
    """Distinct people per region prefix of `length` characters, each person in their smallest desa."""
    inner = active.values("person_id").annotate(d=Min("desa_id")).values("person_id", "d")
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # no cohort holds the month
        return Counter()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT SUBSTR(t.d, 1, {int(length)}), COUNT(*) FROM ({sql}) t GROUP BY 1", params)
        return Counter(dict(cursor.fetchall()))


def _link_correction(active, length: int) -> Counter:
    """Minus one per extra record of a person the engine linked (same person, both covered this month)."""
    ids = active.values("pk")
    pairs = list(MatchPair.objects.same_person().filter(left__in=ids, right__in=ids)
                 .values_list("left__person_id", "right__person_id"))
    if not pairs:
        return Counter()
    persons = {p for pair in pairs for p in pair}
    desa = dict(active.filter(person_id__in=persons).values("person_id").annotate(d=Min("desa_id"))
                .values_list("person_id", "d"))
    # The person kept is the one in the smallest desa, where _placed_counts counted them.
    kept = representatives(persons, pairs, order=lambda p: (desa[p], p))
    return Counter(desa[p][:length] for p, root in kept.items() if root != p)


def _bpjs_only(active, kode: str, length: int) -> Counter:
    """BPU/PBPU participants not already counted (same NIK, or linked by the engine to a covered candidate),
    placed by their NIK's kecamatan. Only for kecamatan level and up: a participant has no desa."""
    if length > LEVEL_LENGTH[3]:
        return Counter()
    prefix = kode.replace(".", "")
    covered_niks = active.values("person__nik")
    linked = MatchPair.objects.same_person().filter(left__in=active.values("pk"), participant__isnull=False)
    niks = (BpjsParticipant.objects.filter(nik__startswith=prefix, segmen__in=BPU_SEGMENTS)
            .exclude(nik__in=covered_niks).exclude(pk__in=linked.values("participant_id"))
            .values_list("nik", flat=True).distinct())
    out: Counter = Counter()
    for nik in niks:
        dotted = f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}"
        out[dotted[:length]] += 1
    return out


def covered_by_region(month: Month, kode: str, length: int) -> Counter:
    active = active_candidates(month, kode)
    counts = _placed_counts(active, length)
    counts.subtract(_link_correction(active, length))
    counts.update(_bpjs_only(active, kode, length))
    return +counts


def semesta_by_region(semesta: Semesta | None, kode: str, length: int) -> dict[str, int]:
    if semesta is None:
        return {}
    rows = semesta.rows.filter(_in_area(kode, "wilayah")).values_list("wilayah_id", "jumlah")
    out: Counter = Counter()
    for wilayah_id, jumlah in rows:
        if len(wilayah_id) >= length:
            out[wilayah_id[:length]] += jumlah
    return dict(out)


@dataclass
class Report:
    area: Share
    bulan: Month
    semesta: Semesta | None
    rincian: list[Share] = field(default_factory=list)
    per_sumber: list[tuple[str, int]] = field(default_factory=list)
    per_pekerjaan: list[Share] = field(default_factory=list)

    @property
    def per_sumber_share(self) -> list[Share]:
        """Each funding source's people over the whole semesta."""
        return [Share(label, label, n, self.area.semesta) for label, n in self.per_sumber]

    @property
    def sumber_semesta(self) -> str:
        return self.semesta.label if self.semesta else "belum ada data semesta"

    def as_json(self) -> dict:
        a = self.area
        return {"kode": a.kode, "nama": a.nama, "bulan": str(self.bulan), "peserta": a.peserta, "semesta": a.semesta,
                "persen": a.persen, "sumber_semesta": self.sumber_semesta,
                "rincian": [s.as_json() for s in self.rincian]}


def _area_semesta(semesta: Semesta | None, kode: str) -> int | None:
    if semesta is None:
        return None
    total = semesta.rows.filter(_in_area(kode, "wilayah")).aggregate(n=Sum("jumlah"))["n"]
    return total


def report(kode: str, *, bulan: Month | None = None, semesta: Semesta | None = None) -> Report:
    """The area's share and one level down (kabupaten -> kecamatan -> desa; provinsi -> kabupaten)."""
    region = wilayah.get(kode)
    if region is None:
        raise LookupError(kode)
    bulan = bulan or default_month()
    semesta = semesta or Semesta.objects.in_force(kode)
    length = LEVEL_LENGTH.get(region.level + 1, LEVEL_LENGTH[4])
    covered = covered_by_region(bulan, kode, length)
    denominators = semesta_by_region(semesta, kode, length)
    rincian = [Share(c.kode, c.nama, covered.get(c.kode, 0), denominators.get(c.kode)) for c in wilayah.children(kode)]
    total = sum(covered.values())
    result = Report(Share(kode, region.nama, total, _area_semesta(semesta, kode)), bulan, semesta, rincian)
    result.per_sumber = per_sumber(bulan, kode)
    result.per_pekerjaan = per_pekerjaan(bulan, kode, semesta)
    return result


def per_sumber(month: Month, kode: str) -> list[tuple[str, int]]:
    """Distinct people per funding source (a person in two sources counts in each)."""
    from lindung.programs.models import SumberDana

    labels = dict(SumberDana.choices)
    rows = (active_candidates(month, kode).values("program__sumber_dana")
            .annotate(n=Count("person_id", distinct=True)).values_list("program__sumber_dana", "n"))
    return sorted((labels.get(sumber, sumber), n) for sumber, n in rows)


def per_pekerjaan(month: Month, kode: str, semesta: Semesta | None) -> list[Share]:
    """Coverage per occupation, only where the semesta has counts by pekerjaan (a person with two occupations
    in two programmes counts under each)."""
    from lindung.domain.pekerjaan import PEKERJAAN

    if semesta is None:
        return []
    universe = dict(semesta.rows.filter(_in_area(kode, "wilayah")).exclude(pekerjaan="").values("pekerjaan")
                    .annotate(n=Sum("jumlah")).values_list("pekerjaan", "n"))
    if not universe:
        return []
    covered = dict(active_candidates(month, kode).values("pekerjaan").annotate(n=Count("person_id", distinct=True))
                   .values_list("pekerjaan", "n"))
    return [Share(code, PEKERJAAN.get(code, code), covered.get(code, 0), universe[code]) for code in sorted(universe)]


def kpi(year: int, kode: str) -> tuple[int, Fraction]:
    """The BPJS KPI view of a year: people covered at least one month, and their weighted count (6 months or
    more count fully, fewer proportionally; domain.md §4)."""
    months: dict[int, set] = defaultdict(set)
    ledger = _ledger()
    if ledger is not None:
        rows = (ledger.objects.filter(bulan__year=year).exclude(state="batal").filter(_in_area(kode, "candidate__desa"))
                .values_list("candidate__person_id", "bulan"))
        for person, bulan in rows:
            months[person].add(Month.of(bulan))
    else:
        from lindung.enrolment.models import Cohort, Enrolment

        windows = {c.pk: c.window for c in Cohort.objects.only("mulai", "bulan")}
        rows = (Enrolment.objects.filter(state=Enrolment.State.SEATED, candidate__status__in=COVERED_STATUSES)
                .filter(_in_area(kode, "candidate__desa")).values_list("candidate__person_id", "cohort_id"))
        for person, cohort in rows:
            months[person].update(m for m in windows[cohort].months_list() if m.year == year)
    counted = {p: len(ms) for p, ms in months.items() if ms}
    return len(counted), kpi_peserta(counted.values())
