"""Coverage of an area in a month (R21), counted in SQL: each person once across every programme.

*Actively covered in month M* = a row of the person-month ledger (lindung.billing.PersonMonth) for M that
is not *batal*: registered at BPJS, seated, in the cohort's window, not yet out, placed by the desa it was
billed with. The ledger bills a NIK at most once a month across all programmes (a database constraint), so
the counter the database triggers keep of M's rows per programme, desa and occupation
(lindung.counters.CoverageTally; a province bills 600.000 a month) counts people, not records; two records the matching engine decided are one person (another spelling, a
mistyped NIK) are then counted once more by `_link_correction`. The BPJS participant lists' BPU/PBPU
members not already counted are added, placed by their NIK's kecamatan (they have no desa).

Counts are per desa; every level above is the sum of its desa (Python, over at most a few thousand rows).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from lindung.billing.models import PersonMonth
from lindung.counters.models import CoverageTally
from lindung.coverage.models import Semesta
from lindung.domain import wilayah
from lindung.domain.coverage import Share, kpi_peserta, representatives
from lindung.domain.periods import Month
from lindung.linkage.models import MatchPair
from lindung.programs.models import Program, SumberDana
from lindung.registry.models import BpjsParticipant

BPU_SEGMENTS = ("BPU", "PBPU")
BPJS_SOURCE = "bpjs_bpu"  # people on a BPJS participant list as BPU/PBPU, in no programme of ours
LEVEL_LENGTH = {1: 2, 2: 5, 3: 8, 4: 13}
LINK_CHUNK = 500


def _in_area(kode: str, fk: str = "desa") -> Q:
    # fk__kode is the foreign key's own column (kode is the Region's primary key): no join.
    return Q(**{f"{fk}__kode__startswith": f"{kode}."}) | Q(**{f"{fk}_id": kode})


def _in_desa_area(kode: str, column: str) -> Q:
    """A desa code column (plain text, as billed) inside the area."""
    return Q(**{f"{column}__startswith": f"{kode}."}) | Q(**{column: kode})


def _tally(months: list[Month], kode: str):
    """The coverage counter's rows of these months inside the area: a few per desa and programme, kept by
    triggers from the ledger (lindung.counters.CoverageTally), never the ledger's own rows."""
    return (CoverageTally.objects.filter(bulan__in=[m.first_day for m in months]).filter(_in_desa_area(kode, "desa"))
            .order_by())


def default_month(today: date | None = None) -> Month:
    """The latest month up to today with anyone on the ledger (the current month if none)."""
    current = Month.of(today or date.today())
    lasts = [PersonMonth.objects.filter(program_id=program, bulan__lte=current.first_day).order_by("-bulan")
             .values_list("bulan", flat=True).first()  # one index seek per programme
             for program in Program.objects.values_list("pk", flat=True)]
    lasts = [day for day in lasts if day]
    return Month.of(max(lasts)) if lasts else current


@dataclass
class Covered:
    """People covered in a month: per region (desa, 13-character codes, for a kecamatan or desa area; per
    kecamatan, 8, for a kabupaten or province — the finest any page shows of it; BPJS-only people are always
    per kecamatan), and per funding source (a person is billed by one programme a month, so the sources add up)."""
    by_region: Counter
    by_sumber: Counter

    def at(self, length: int) -> Counter:
        out: Counter = Counter()
        for kode, n in self.by_region.items():
            if len(kode) >= length:
                out[kode[:length]] += n
        return out

    @property
    def total(self) -> int:
        return sum(self.by_region.values())


def covered(month: Month, kode: str, *, grain: int | None = None) -> Covered:
    """Summed by the database per (region, programme) at the grain Covered says (or `grain`, a code length): a
    province's 8.563 desa would be 8.563 rows through Python on every home page; its 573 kecamatan are enough."""
    grain = grain or (LEVEL_LENGTH[4] if len(kode) >= LEVEL_LENGTH[3] else LEVEL_LENGTH[3])
    by_region: Counter = Counter()
    by_sumber: Counter = Counter()
    sumber_of = dict(Program.objects.values_list("pk", "sumber_dana"))
    rows = (_tally([month], kode).annotate(region=Substr("desa", 1, grain)).values("region", "program_id")
            .annotate(total=Sum("n")).values_list("region", "program_id", "total"))
    for region, program, n in rows:
        by_region[region] += n
        by_sumber[sumber_of[program]] += n
    for extra in _link_correction(month, kode):
        by_region[extra.desa[:grain]] -= 1
        by_sumber[sumber_of[extra.program]] -= 1
    bpjs = _bpjs_only(month, kode)
    by_region.update(bpjs)
    if bpjs:
        by_sumber[BPJS_SOURCE] = sum(bpjs.values())
    return Covered(+by_region, +by_sumber)


def covered_by_region(month: Month, kode: str, length: int) -> Counter:
    return covered(month, kode, grain=max(length, LEVEL_LENGTH[3])).at(length)


def totals_by_month(months: list[Month], kode: str) -> dict[Month, int]:
    """People covered in each month (one grouped query of the coverage counter; the BPJS lists read once;
    links and BPJS-only checked per month)."""
    rows = _tally(months, kode).values("bulan").annotate(total=Sum("n")).values_list("bulan", "total")
    raw = {Month.of(bulan): n for bulan, n in rows}
    participants = _bpu_participants(kode)
    out = {}
    for m in months:
        if not raw.get(m):
            out[m] = sum(_bpjs_only(m, kode, participants).values())
            continue
        out[m] = raw[m] - len(_link_correction(m, kode)) + sum(_bpjs_only(m, kode, participants).values())
    return out


def _on_ledger(month: Month, candidate_ids):
    """M's person-months of these candidates, found through their seats: the (enrolment, bulan) index."""
    from lindung.enrolment.models import Enrolment

    seats = Enrolment.objects.filter(candidate_id__in=candidate_ids).values("pk")
    return (PersonMonth.objects.filter(enrolment_id__in=seats, bulan=month.first_day)
            .exclude(state=PersonMonth.State.BATAL))


@dataclass(frozen=True)
class Extra:
    """A person-month counted once too many: its record's desa, programme and occupation."""
    desa: str
    program: int
    pekerjaan: str


def _link_correction(month: Month, area: str) -> list[Extra]:
    """One Extra per surplus person-month of someone the engine linked to another covered record, so that the
    region, funding-source and occupation counts all drop it.

    The same-person pairs are few (thousands at most); which of their candidates are covered this month is
    asked for those candidates only, in chunks."""
    pairs = list(MatchPair.objects.same_person().filter(right__isnull=False).values_list("left_id", "right_id"))
    if not pairs:
        return []
    ids = sorted({c for pair in pairs for c in pair})
    row: dict[int, tuple[str, Extra]] = {}
    for i in range(0, len(ids), LINK_CHUNK):
        for candidate, nik, kode, program, pekerjaan in _on_ledger(month, ids[i:i + LINK_CHUNK]).values_list(
                "candidate_id", "nik", "desa_kode", "program_id", "pekerjaan"):
            if (kode + ".").startswith(area + "."):
                row[candidate] = (nik, Extra(kode, program, pekerjaan))
    nik_pairs = [(row[a][0], row[b][0]) for a, b in pairs if a in row and b in row]
    # The ledger bills a NIK once a month across programmes: one person-month per NIK.
    of_nik = dict(row.values())
    # The person kept is the one in the smallest desa; the others were counted once too many.
    kept = representatives({nik: e.desa for nik, e in of_nik.items()}, nik_pairs,
                           order=lambda nik: (of_nik[nik].desa, nik))
    return [of_nik[nik] for nik, root in kept.items() if root != nik]


def _bpu_participants(kode: str) -> dict[str, int]:
    """{NIK: id} of the BPU/PBPU participants whose NIK places them in the area's kabupaten (or province)."""
    prefix = kode.replace(".", "")[:6]
    return dict(BpjsParticipant.objects.filter(nik__startswith=prefix, segmen__in=BPU_SEGMENTS).values_list("nik", "pk"))


def _bpjs_only(month: Month, kode: str, participants: dict[str, int] | None = None) -> Counter:
    """BPU/PBPU participants not on M's ledger (same NIK) nor linked by the engine to a covered candidate,
    placed by their NIK's kecamatan. `participants`: `_bpu_participants(kode)`, when read once for several months."""
    participants = _bpu_participants(kode) if participants is None else participants
    if not participants:
        return Counter()
    niks = sorted(participants)
    on_ledger = set()
    for i in range(0, len(niks), LINK_CHUNK):
        on_ledger |= set(PersonMonth.objects.filter(nik__in=niks[i:i + LINK_CHUNK], bulan=month.first_day)
                         .exclude(state=PersonMonth.State.BATAL).values_list("nik", flat=True))
    linked_to = defaultdict(set)
    for participant, candidate in (MatchPair.objects.same_person().filter(participant_id__in=participants.values())
                                   .values_list("participant_id", "left_id")):
        linked_to[participant].add(candidate)
    linked = sorted({c for cs in linked_to.values() for c in cs})
    covered_candidates = set()
    for i in range(0, len(linked), LINK_CHUNK):
        covered_candidates |= set(_on_ledger(month, linked[i:i + LINK_CHUNK]).values_list("candidate_id", flat=True))
    out: Counter = Counter()
    for nik in niks:
        if nik in on_ledger or linked_to[participants[nik]] & covered_candidates:
            continue
        dotted = f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}"
        if (dotted + ".").startswith(kode + ".") or (kode + ".").startswith(dotted + "."):
            out[dotted] += 1
    return out


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
    covered: Covered | None = None

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
    people = covered(bulan, kode)
    counts = people.at(length)
    denominators = semesta_by_region(semesta, kode, length)
    rincian = [Share(c.kode, c.nama, counts.get(c.kode, 0), denominators.get(c.kode)) for c in wilayah.children(kode)]
    result = Report(Share(kode, region.nama, people.total, _area_semesta(semesta, kode)), bulan, semesta, rincian)
    labels = dict(SumberDana.choices) | {BPJS_SOURCE: "Peserta BPU/PBPU dari daftar peserta BPJS (di luar program)"}
    result.per_sumber = sorted((labels.get(sumber, sumber), n) for sumber, n in people.by_sumber.items())
    result.per_pekerjaan = per_pekerjaan(bulan, kode, semesta)
    result.covered = people
    return result


def per_pekerjaan(month: Month, kode: str, semesta: Semesta | None) -> list[Share]:
    """Coverage per occupation, only where the semesta has counts by pekerjaan (the occupation on the
    candidate's list; two records the engine linked count once, under the record kept)."""
    from lindung.domain.pekerjaan import PEKERJAAN

    if semesta is None:
        return []
    universe = dict(semesta.rows.filter(_in_area(kode, "wilayah")).exclude(pekerjaan="").values("pekerjaan")
                    .annotate(n=Sum("jumlah")).values_list("pekerjaan", "n"))
    if not universe:
        return []
    people = Counter(dict(_tally([month], kode).values("pekerjaan").annotate(total=Sum("n"))
                          .values_list("pekerjaan", "total")))
    people.subtract(extra.pekerjaan for extra in _link_correction(month, kode))
    return [Share(code, PEKERJAAN.get(code, code), people.get(code, 0), universe[code]) for code in sorted(universe)]


def kpi(year: int, kode: str) -> tuple[int, Fraction]:
    """The BPJS KPI view of a year: people (NIKs) on the ledger at least one month, and their weighted count
    (6 months or more count fully, fewer proportionally; domain.md §4). Months are counted in SQL."""
    programs = list(Program.objects.values_list("pk", flat=True))
    per_nik = (PersonMonth.objects.filter(program_id__in=programs, bulan__year=year)
               .exclude(state=PersonMonth.State.BATAL).filter(_in_desa_area(kode, "desa_kode"))
               .order_by().values("nik").annotate(m=Count("bulan", distinct=True)).values_list("m", flat=True))
    spread = Counter(per_nik)
    return sum(spread.values()), kpi_peserta(m for m, n in spread.items() for _ in range(n))
