"""The pagu as a history (APBD murni, then APBD-P up or down) and budget realisation.

`Program.pagu` stays the current total: every page and the seat arithmetic read it, and `change_pagu` writes it
together with a `PaguChange` row, in one transaction.

What a change does:
* **up** (APBD-P adds money): seats are recomputed from the money left (pagu − what the cohort's people take,
  month by month) and the months left from the change's first month; the extra seats go to the waiting list in
  priority order, covered and billed from that month only;
* **down** (a cut): allowed only down to what is already committed — months billed plus the months left of
  everyone holding a seat. A cut never un-seats anyone; below that it is refused with the amounts in the
  message. A cut above it only removes free seats the money no longer buys.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import xlsxwriter
from django.db import transaction
from django.utils import timezone

from lindung.billing import ledger
from lindung.billing.models import PaguChange
from lindung.domain.pekerjaan import SUMBER_DANA
from lindung.domain.periods import Month
from lindung.enrolment import services as enrolment
from lindung.enrolment.models import Cohort
from lindung.lib.format import format_rupiah

class BudgetError(ValueError):
    """A pagu change that cannot be applied; the message is Indonesian."""

def change_pagu(program, *, user, jenis: str, pagu: int, tanggal: date, nomor_dokumen: str = "",
                berlaku: date | None = None, catatan: str = "") -> PaguChange:
    """Record a new pagu total (APBD-P, pergeseran) and recompute the seats; see the module docstring."""
    if pagu < 0:
        raise BudgetError("Pagu tidak boleh negatif.")
    start = Month.of(berlaku) if berlaku else Month.of(tanggal) + 1
    with transaction.atomic():
        given, program = program, type(program).objects.select_for_update().get(pk=program.pk)
        _ensure_murni(program, user)
        cohort = enrolment.latest_cohort(program)
        committed = enrolment.committed(cohort) if cohort else 0
        if pagu < committed:
            raise BudgetError(
                f"Pagu baru {format_rupiah(pagu)} lebih kecil dari iuran yang sudah menjadi kewajiban "
                f"{format_rupiah(committed)} (bulan yang sudah ditagih ditambah sisa bulan setiap peserta yang "
                "memegang kursi). Pemotongan anggaran tidak mengeluarkan peserta yang sudah dilindungi; "
                f"pagu paling rendah {format_rupiah(committed)}.")
        old = program.pagu
        program.pagu = pagu
        program.save(update_fields=["pagu"])
        given.pagu = pagu
        promoted = _reseat(cohort, start) if cohort else []
        return PaguChange.objects.create(
            program=program, jenis=jenis, nomor_dokumen=nomor_dokumen.strip(), tanggal=tanggal,
            berlaku=start.first_day, pagu=pagu, selisih=pagu - old, kursi_tambahan=len(promoted),
            catatan=catatan.strip()[:255], created_by=user)

def _ensure_murni(program, user) -> None:
    """The first change of a programme records what it had before as its APBD murni."""
    if not program.pagu_changes.exists():
        made = timezone.localtime(program.created_at).date() if program.created_at else program.mulai
        PaguChange.objects.create(program=program, jenis=PaguChange.Jenis.MURNI, tanggal=min(made, program.mulai),
                                  berlaku=Month.of(program.mulai).first_day, pagu=program.pagu, selisih=program.pagu,
                                  catatan="pagu awal program", created_by=user)


def _reseat(cohort: Cohort, start: Month) -> list[int]:
    """Seats = people seated + what the money left buys from `start`; the new seats filled from the waiting list
    (the promoted enrolments' pks)."""
    cohort.program.refresh_from_db(fields=["pagu"])
    cohort = Cohort.objects.select_related("program").get(pk=cohort.pk)
    seated = cohort.seated_count()
    start = max(start, cohort.window.start)
    extra = 0
    if start <= cohort.window.end:
        extra = max(enrolment.budget_left(cohort), 0) // enrolment.seat_cost(cohort, start)
    Cohort.objects.filter(pk=cohort.pk).update(kursi=seated + extra)
    cohort.kursi = seated + extra
    promoted = enrolment.promote(cohort, mulai=start)  # set-based: an APBD-P may seat thousands at once
    if promoted:
        added = len(promoted) * enrolment.seat_cost(cohort, start)
        Cohort.objects.filter(pk=cohort.pk).update(iuran_penetapan=cohort.iuran_penetapan + added)
    return promoted

def history(program) -> list[PaguChange]:
    rows = list(program.pagu_changes.all())
    if not rows:  # never changed: the current pagu is the APBD murni
        rows = [PaguChange(program=program, jenis=PaguChange.Jenis.MURNI, tanggal=program.mulai,
                           berlaku=program.mulai, pagu=program.pagu, selisih=program.pagu)]
    return rows

@dataclass(frozen=True)
class MonthPlan:
    bulan: Month
    orang: int  # people the pagu pays for that month (seated or covered)
    rencana: int  # orang × that month's iuran
    ditagih: int
    dibayar: int
    kumulatif: int  # rencana summed up to this month: the burn line

@dataclass(frozen=True)
class Realisation:
    pagu: int
    terikat: int  # committed and not yet billed: seats × remaining months × iuran
    ditagih: int
    dibayar: int
    sisa: int  # pagu − billed − committed
    months: tuple[MonthPlan, ...]

def realisation(program) -> Realisation:
    totals = ledger.program_totals(program)
    cohort = enrolment.latest_cohort(program)
    months, committed = _plan(program, cohort) if cohort else ((), 0)
    terikat = max(committed - totals["ditagih"], 0)
    return Realisation(pagu=program.pagu, terikat=terikat, ditagih=totals["ditagih"], dibayar=totals["dibayar"],
                       sisa=program.pagu - totals["ditagih"] - terikat, months=months)

def _plan(program, cohort: Cohort) -> tuple[tuple[MonthPlan, ...], int]:
    actual = {bulan: {"billed": f["ditagih"], "paid": f["dibayar"]} for bulan, f in ledger.month_figures(program).items()}
    rows, running = [], 0
    for month in cohort.window.months_list():
        orang = enrolment.covered_count(cohort, month)
        plan = orang * enrolment.month_iuran(program, month)
        running += plan
        got = actual.get(month.first_day, {})
        rows.append(MonthPlan(month, orang, plan, got.get("billed") or 0, got.get("paid") or 0, running))
    return tuple(rows), running

def by_source_and_year(programs) -> list[dict]:
    """Realisation per funding source and fiscal year (the year the programme's coverage starts)."""
    groups: dict[tuple[str, int], dict] = {}
    for program in programs:
        r = realisation(program)
        key = (program.sumber_dana, program.mulai.year)
        group = groups.setdefault(key, {"sumber_dana": SUMBER_DANA.get(key[0], key[0]), "tahun": key[1], "programs": [],
                                        "pagu": 0, "terikat": 0, "ditagih": 0, "dibayar": 0, "sisa": 0})
        group["programs"].append((program, r))
        for name in ("pagu", "terikat", "ditagih", "dibayar", "sisa"):
            group[name] += getattr(r, name)
    return [groups[key] for key in sorted(groups, key=lambda k: (-k[1], k[0]))]

def realisation_xlsx(programs) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": '"Rp"#,##0'})
    head = ("Sumber dana", "Tahun anggaran", "Program", "Pagu", "Terikat (sisa bulan)", "Ditagih", "Dibayar", "Sisa")
    sheet = book.add_worksheet("Realisasi")
    monthly = book.add_worksheet("Per bulan")
    sheet.write_row(0, 0, head, bold)
    monthly.write_row(0, 0, ("Program", "Bulan", "Orang", "Rencana", "Ditagih", "Dibayar", "Kumulatif rencana"), bold)
    row = mrow = 0
    for group in by_source_and_year(programs):
        for program, r in group["programs"]:
            row += 1
            sheet.write_row(row, 0, (group["sumber_dana"], group["tahun"], program.nama))
            for c, value in enumerate((r.pagu, r.terikat, r.ditagih, r.dibayar, r.sisa), start=3):
                sheet.write_number(row, c, value, money)
            for m in r.months:
                mrow += 1
                monthly.write_row(mrow, 0, (program.slug, str(m.bulan), m.orang))
                for c, value in enumerate((m.rencana, m.ditagih, m.dibayar, m.kumulatif), start=3):
                    monthly.write_number(mrow, c, value, money)
        row += 1
        sheet.write_row(row, 0, (f"Jumlah {group['sumber_dana']}", group["tahun"], ""), bold)
        for c, name in enumerate(("pagu", "terikat", "ditagih", "dibayar", "sisa"), start=3):
            sheet.write_number(row, c, group[name], money)
    sheet.set_column(0, 2, 30)
    sheet.set_column(3, 7, 18)
    book.close()
    return out.getvalue()
