"""The person-month ledger: who is covered in which month, at the iuran of the rule in force that month.

Every rupiah lindung shows after penetapan (the monthly bill, `lindung program --json`'s `ditagih` and
`dibayar`, the realisation page) is a sum over `PersonMonth`. The SK's figure (`iuran_total`, seats ×
the whole window, fixed at penetapan) is the one amount named apart.

When the ledger is written (idempotent: a month already written is never written twice):
* when the BPJS answer makes people *terdaftar* (`enrolment.bpjs.apply_response`): every month of the
  cohort that has started by today;
* daily by `lindung siklus`, for the month that has just started;
* by the bill page, its downloads and `lindung tagihan` for the month asked (BPU iuran is paid ahead,
  so a bill may be made before its month starts);
* an exit (`enrolment.services.release` with a date) voids the months after it at once.

A row is written for an enrolment that reached *terdaftar* (it has a KPJ) and covers the month: seated,
or out with an exit date in or after that month; from its own start month (a replacement from the waiting
list, an APBD-P seat) or the cohort's. One INSERT … SELECT per month, so a million people take seconds.
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import F, Max, OuterRef, Subquery

from lindung.billing.models import LedgerMark, PersonMonth
from lindung.counters.models import EnrolmentTally, LedgerTally
from lindung.domain import iuran
from lindung.domain.periods import Month
from lindung.enrolment.models import Cohort, Enrolment

__all__ = ["BillSummary", "bill_lines", "bill_summary", "close_enrolment", "month_figures", "month_rate", "month_total",
           "not_billed", "program_totals", "sync_ledger", "sync_started", "to_settle"]


@dataclass(frozen=True)
class BillSummary:
    slug: str
    bulan: Month
    orang: int
    total: int
    aturan: tuple[str, ...]

    def as_json(self) -> dict:
        return {"slug": self.slug, "bulan": str(self.bulan), "orang": self.orang, "total": self.total,
                "aturan": list(self.aturan)}


def month_rate(program, month: Month, *, rules=None) -> iuran.IuranBulanan:
    """One person's iuran in a month for this programme's payer (never the PP 50/2025 discount: R4)."""
    return iuran.iuran_bulanan(month=month, pembayar=program.sumber_dana, rules=rules)


def _month(bulan: date | Month) -> Month:
    return bulan if isinstance(bulan, Month) else Month.of(bulan)


def bill_lines(program, bulan: date | Month):
    """The bill's lines of one month: people covered and billed (ditagih or dibayar), with the name as billed."""
    return PersonMonth.objects.filter(program=program, bulan=_month(bulan).first_day, state__in=PersonMonth.BILLABLE)


def not_billed(program, bulan: date | Month):
    """The month's lines voided after an exit or to settle with BPJS: a few among a province's 600.000, read
    along the partial index billing_pm_not_billed (its predicate repeated literally, as SQLite needs)."""
    return PersonMonth.objects.filter(program=program, bulan=_month(bulan).first_day).extra(where=[PersonMonth.NOT_BILLED])


# Sums and counts below come from LedgerTally, which database triggers keep per (programme, month, state,
# regulations) on every write to PersonMonth (lindung.counters): a province bills 600.000 people a month.

def month_total(program, bulan: date | Month) -> int:
    return bill_summary(program, bulan).total


def bill_summary(program, bulan: date | Month) -> BillSummary:
    month = _month(bulan)
    rows = LedgerTally.objects.for_program(program.pk).filter(bulan=month.first_day, state__in=PersonMonth.BILLABLE)
    orang = total = 0
    aturan: list[str] = []
    for row in rows.order_by("pk"):
        orang, total = orang + row.n, total + row.iuran
        aturan += row.aturan if row.n else []
    return BillSummary(slug=program.slug, bulan=month, orang=orang, total=total, aturan=tuple(dict.fromkeys(aturan)))


def month_figures(program) -> dict[date, dict[str, int]]:
    """Per month: `orang` and `ditagih` (billable lines), `dibayar` (paid, including months to settle)."""
    out: dict[date, dict[str, int]] = {}
    for row in LedgerTally.objects.for_program(program.pk):
        figures = out.setdefault(row.bulan, {"orang": 0, "ditagih": 0, "dibayar": 0})
        if row.state in PersonMonth.BILLABLE:
            figures["orang"] += row.n
            figures["ditagih"] += row.iuran
        figures["dibayar"] += row.paid
    return out


def program_totals(program) -> dict[str, int]:
    """`ditagih`: billed so far (lines still billable); `dibayar`: paid so far, including months to settle."""
    months = month_figures(program).values()
    return {"ditagih": sum(m["ditagih"] for m in months), "dibayar": sum(m["dibayar"] for m in months)}


def to_settle(program):
    """Months paid for people no longer covered (death, exit): refund or offset with BPJS (R16)."""
    return PersonMonth.objects.filter(program=program, state=PersonMonth.State.DIPERHITUNGKAN).select_related("candidate")


def sync_ledger(program, *, through: date | Month, rules=None) -> int:
    """Write the missing person-months of every cohort of the programme up to month `through`; return how many.

    Idempotent. A person already billed that month in another programme is skipped (the database would
    refuse the row anyway: R9). Months after a recorded exit are voided first."""
    last = _month(through)
    created = 0
    with transaction.atomic():
        for cohort in Cohort.objects.filter(program=program):
            _void_after_exit(cohort)
            signature = _signature(cohort)
            marks = dict(LedgerMark.objects.filter(cohort=cohort).values_list("bulan", "signature"))
            for month in cohort.window.months_list():
                if month > last:
                    break
                if rules is None and marks.get(month.first_day) == signature:
                    continue  # nothing changed in the cohort since this month was written
                created += _insert_month(program, cohort, month, month_rate(program, month, rules=rules))
                LedgerMark.objects.update_or_create(cohort=cohort, bulan=month.first_day,
                                                    defaults={"signature": signature})
    return created


def _signature(cohort: Cohort) -> str:
    """Count and last update of the cohort's enrolments: any seat, answer or exit changes it. The count is the
    trigger-kept tally's, the last update one seek along the index (cohort, updated_at): the bill page asks
    for it on every view, and counting a province's 850.000 enrolments took 160-240 ms."""
    n = sum(EnrolmentTally.objects.for_cohort(cohort.pk).values())
    changed = cohort.enrolments.order_by().aggregate(changed=Max("updated_at"))["changed"]
    return f"{n}:{changed.isoformat() if changed else '-'}"


def sync_started(*, today: date) -> int:
    """`lindung siklus`: every programme whose cohort has started, through the month of `today`."""
    from lindung.programs.models import Program

    programs = Program.objects.filter(cohorts__mulai__lte=today).distinct()
    return sum(sync_ledger(program, through=today) for program in programs)


def _param(value):
    """Dates as ISO text on SQLite (how Django stores them), as dates on PostgreSQL."""
    return value.isoformat() if connection.vendor == "sqlite" and isinstance(value, date) else value


def _insert_month(program, cohort: Cohort, month: Month, rate: iuran.IuranBulanan) -> int:
    pm, en, ca = (PersonMonth._meta.db_table, Enrolment._meta.db_table, Enrolment.candidate.field.related_model._meta.db_table)
    first = _param(month.first_day)
    # A month the cohort has no row for yet (its first bill) needs no per-enrolment "already written" check.
    fresh = not PersonMonth.objects.filter(program=program, bulan=month.first_day, enrolment__cohort=cohort).exists()
    mine = "" if fresh else f"AND NOT EXISTS (SELECT 1 FROM {pm} p WHERE p.enrolment_id = e.id AND p.bulan = %s)"
    json_param = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    # The last condition is the partial unique index's own predicate with a literal: SQLite uses a partial index
    # only when it can prove the query implies it, which it cannot with a bound parameter.
    sql = f"""
        INSERT INTO {pm} (program_id, enrolment_id, candidate_id, nik, nama, desa_kode, pekerjaan, kpj, bulan, iuran,
                          aturan, state, paid_amount, ended_reason)
        SELECT %s, e.id, e.candidate_id, c.nik, c.nama, c.desa_id, c.pekerjaan, e.kpj, %s, %s, {json_param}, %s, 0, ''
        FROM {en} e JOIN {ca} c ON c.id = e.candidate_id
        WHERE e.cohort_id = %s AND e.kpj <> ''
          AND (e.state = %s OR (e.state = %s AND e.akhir IS NOT NULL))
          AND (e.mulai IS NULL OR e.mulai <= %s)
          AND (e.akhir IS NULL OR e.akhir >= %s)
          {mine}
          AND NOT EXISTS (SELECT 1 FROM {pm} q WHERE q.nik = c.nik AND q.bulan = %s AND NOT (q.state = 'batal'))
    """
    params = [program.pk, first, rate.total, json.dumps(list(rate.aturan)), PersonMonth.State.DITAGIH,
              cohort.pk, Enrolment.State.SEATED, Enrolment.State.OUT, first, first, *([] if fresh else [first]), first]
    with connection.cursor() as cursor, _big_cache(cursor):
        if connection.vendor == "postgresql":
            # A new ledger table has no statistics: PostgreSQL would check each row against it in a nested loop
            # that rescans the pages this very INSERT is filling (minutes for 100.000 people). Hash joins read
            # it once. Set for this statement only, then back to the server's setting.
            cursor.execute("SET LOCAL enable_nestloop = off")
        try:
            cursor.execute(sql, params)
            written = max(cursor.rowcount, 0)
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("RESET enable_nestloop")
        return written


@contextmanager
def _big_cache(cursor):
    """SQLite: a 256 MB page cache while a month is written, so a million index entries stay in memory
    (measured on 1.000.000 people: 11,8 s -> 7,6 s on a loaded machine); the connection's own size after."""
    if connection.vendor != "sqlite":
        yield
        return
    cursor.execute("PRAGMA cache_size")
    before = cursor.fetchone()[0]
    cursor.execute("PRAGMA cache_size=-262144")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA cache_size={int(before)}")


def _void_after_exit(cohort: Cohort) -> int:
    """Months after an exit's month: not yet paid -> batal; already paid -> diperhitungkan (to settle)."""
    exited = list(cohort.enrolments.filter(akhir__isnull=False).values_list("pk", flat=True))  # a few, if any
    if not exited:
        return 0
    after = PersonMonth.objects.filter(enrolment__in=exited, state__in=PersonMonth.BILLABLE,
                                       bulan__gt=F("enrolment__akhir"))
    reason = Subquery(Enrolment.objects.filter(pk=OuterRef("enrolment_id")).values("alasan")[:1])
    ids = list(after.values_list("pk", flat=True))
    if not ids:
        return 0
    rows = PersonMonth.objects.filter(pk__in=ids)
    n = rows.filter(state=PersonMonth.State.DITAGIH).update(state=PersonMonth.State.BATAL, ended_reason=reason)
    n += rows.filter(state=PersonMonth.State.DIBAYAR).update(state=PersonMonth.State.DIPERHITUNGKAN, ended_reason=reason)
    return n


def close_enrolment(enrolment: Enrolment) -> int:
    """An exit was recorded on this enrolment: void its months after the exit's month now."""
    return _void_after_exit(enrolment.cohort)
