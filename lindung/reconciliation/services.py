"""Reconcile a BPJS tagihan with the ledger, resolve its differences, mark the month siap bayar, record
the BPKAD's payments (R17), and say which months are overdue (tertunggak).

Every change runs in one transaction with its audit entries (lindung.lib.audit).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, Sum
from django.utils import timezone

from lindung.accounts.models import AuditEntry
from lindung.billing import ledger
from lindung.billing.models import PersonMonth
from lindung.domain import arrears
from lindung.domain.periods import Month
from lindung.domain.reconcile import COCOK, HANYA_DAFTAR, Result, RosterLine, classify
from lindung.lib.audit import change_entry, record_change, snapshot
from lindung.lib.bulk import insert_many
from lindung.lib.gcpause import gc_paused
from lindung.linkage.models import MatchPair
from lindung.reconciliation.models import Payment, PaymentTerms, Reconciliation, ReconciliationLine
from lindung.reconciliation.tagihan import TagihanResult, read_tagihan

BILLED_STATES = PersonMonth.BILLABLE


class ReconciliationError(Exception):
    """An action that cannot be done now; the message says why, in Indonesian."""


# --- the two sides ------------------------------------------------------------------------------------


def month_rows(program, bulan: Month):
    """The ledger's billed person-months of the month (what `billing.ledger.bill_lines` returns)."""
    return PersonMonth.objects.filter(program=program, bulan=bulan.first_day, state__in=BILLED_STATES)


def roster_lines(program, bulan: Month) -> tuple[list[RosterLine], dict[int, int]]:
    """Our side as plain values, and candidate id -> person-month id (for the engine's links)."""
    lines, by_candidate = [], {}
    rows = month_rows(program, bulan).order_by("id").values_list("id", "nik", "kpj", "candidate__nama", "iuran",
                                                                 "candidate_id")
    for pk, nik, kpj, nama, iuran, candidate_id in rows.iterator(chunk_size=20_000):
        lines.append(RosterLine(pk, nik, kpj or "", nama or "", iuran))
        by_candidate[candidate_id] = pk
    return lines, by_candidate


def engine_links(program, by_candidate: dict[int, int]) -> dict[str, int]:
    """KPJ and NIK of each BPJS participant the matching engine (or a reviewer) says is one of our
    people -> that person's person-month id. Used only where the bill's keys find nobody."""
    links: dict[str, int] = {}
    if not by_candidate:
        return links
    # By programme, not an IN list of a million candidates; pairs of people not billed this month are skipped.
    pairs = (MatchPair.objects.same_person().filter(kind=MatchPair.Kind.BPJS, left__program_id=program.pk)
             .values_list("left_id", "participant__kpj", "participant__nik"))
    for candidate_id, kpj, nik in pairs.iterator(chunk_size=5000):
        person_month = by_candidate.get(candidate_id)
        for key in (kpj, nik):
            if key and person_month is not None:
                links.setdefault(key, person_month)
    return links


def reconcile(program, bulan: Month, data: bytes, filename: str) -> tuple[TagihanResult, Result | None]:
    """Read and classify; writes nothing. The Result is None when the file is refused."""
    with gc_paused():
        read = read_tagihan(data, filename, bulan=bulan)
        if not read.ok:
            return read, None
        roster, by_candidate = roster_lines(program, bulan)
        return read, classify(roster, read.lines, links=engine_links(program, by_candidate))


# --- storing -----------------------------------------------------------------------------------------

_LINE_FIELDS = ("reconciliation", "kelas", "baris", "nik_bpjs", "kpj_bpjs", "nama_bpjs", "iuran_bpjs", "person_month",
                "nik_daftar", "kpj_daftar", "nama_daftar", "iuran_daftar", "selisih", "detail")


def save_reconciliation(*, program, bulan: Month, data: bytes, filename: str, user) -> tuple[TagihanResult, Reconciliation | None]:
    """Read, classify and store the bill in one transaction; nothing is stored when the file is refused.

    A draft of the same month is replaced (its resolutions are lost: the new bill is another bill);
    a month already siap bayar is refused.
    """
    read, result = reconcile(program, bulan, data, filename)
    if result is None:
        return read, None
    with transaction.atomic():
        existing = Reconciliation.objects.select_for_update().filter(program=program, bulan=bulan.first_day).first()
        if existing is not None:
            if existing.is_ready:
                raise ReconciliationError(f"Tagihan {bulan.name_id} sudah siap bayar; tagihan baru tidak dapat "
                                          "menggantikannya.")
            record_change(user, existing, old=_summary(existing), new=None, note=f"diganti oleh berkas {filename}")
            existing.delete()
        reconciliation = Reconciliation.objects.create(
            program=program, bulan=bulan.first_day, berkas_nama=filename[:255],
            berkas_sha256=hashlib.sha256(data).hexdigest(), counts=result.summary(), total_bpjs=result.total_bpjs,
            total_daftar=result.total_daftar, uploaded_by=user)
        with gc_paused():
            insert_many(ReconciliationLine, _LINE_FIELDS, _line_rows(reconciliation.pk, result))
        record_change(user, reconciliation, old=None, new=_summary(reconciliation), note=f"tagihan BPJS {filename}"[:200])
    return read, reconciliation


def _line_rows(reconciliation_id: int, result: Result):
    for line in result.lines:
        bill, roster = line.bill, line.roster
        yield (reconciliation_id, line.kelas,
               bill.row if bill else None, bill.nik if bill else "", bill.kpj if bill else "",
               bill.nama[:150] if bill else "", bill.iuran if bill else None,
               roster.id if roster else None, roster.nik if roster else "", roster.kpj if roster else "",
               roster.nama[:150] if roster else "", roster.iuran if roster else None,
               line.selisih, line.detail[:255])


def _summary(reconciliation: Reconciliation) -> dict:
    return {**snapshot(reconciliation, ("program", "bulan", "berkas_nama", "status", "total_bpjs", "total_daftar",
                                        "jumlah_disetujui")), "counts": reconciliation.counts}


# --- resolving differences and the siap bayar gate ------------------------------------------------------


def resolve(*, reconciliation: Reconciliation, line_ids, resolution: str, alasan: str, user) -> int:
    """Resolve the chosen differences with one reason; returns how many. Matched lines need nothing."""
    alasan = " ".join((alasan or "").split())
    if resolution not in (ReconciliationLine.Resolution.DITERIMA, ReconciliationLine.Resolution.DIJELASKAN):
        raise ReconciliationError("Pilih penyelesaian: diterima (ikut tagihan BPJS) atau dijelaskan (ikut daftar).")
    if not alasan:
        raise ReconciliationError("Alasan wajib diisi, misalnya “BPJS belum memproses penonaktifan”.")
    with transaction.atomic():
        locked = Reconciliation.objects.select_for_update().get(pk=reconciliation.pk)
        if locked.is_ready:
            raise ReconciliationError("Bulan ini sudah siap bayar; penyelesaian tidak dapat diubah lagi.")
        lines = list(locked.lines.exclude(kelas=COCOK).filter(pk__in=list(line_ids)))
        if not lines:
            raise ReconciliationError("Pilih minimal satu baris selisih.")
        now = timezone.now()
        entries = []
        for line in lines:
            old = snapshot(line, ("resolution", "alasan"))
            line.resolution, line.alasan, line.resolved_by, line.resolved_at = resolution, alasan[:255], user, now
            entries.append(change_entry(user, line, old=old, new=snapshot(line, ("resolution", "alasan")),
                                        note=f"{line.kelas} baris {line.baris or '-'}"))
        ReconciliationLine.objects.bulk_update(lines, ["resolution", "alasan", "resolved_by", "resolved_at"], batch_size=2000)
        AuditEntry.objects.bulk_create(entries, batch_size=2000)
    return len(lines)


def agreed_amount(reconciliation: Reconciliation) -> int:
    """What the Pemda pays BPJS for the month: every line at our roster's figure, except lines accepted as
    BPJS bills them (diterima), at BPJS's figure."""
    lines = reconciliation.lines
    accepted = Q(resolution=ReconciliationLine.Resolution.DITERIMA)
    ours = lines.exclude(accepted).aggregate(s=Sum("iuran_daftar"))["s"] or 0
    theirs = lines.filter(accepted).aggregate(s=Sum("iuran_bpjs"))["s"] or 0
    return ours + theirs


def mark_ready(*, reconciliation: Reconciliation, user) -> Reconciliation:
    """The siap bayar gate: only when every difference is resolved (explained or accepted)."""
    with transaction.atomic():
        locked = Reconciliation.objects.select_for_update().get(pk=reconciliation.pk)
        if locked.is_ready:
            raise ReconciliationError("Bulan ini sudah siap bayar.")
        still_open = locked.open_lines().count()
        if still_open:
            raise ReconciliationError(f"Belum siap bayar: {still_open} selisih belum diselesaikan. Jelaskan atau terima "
                                      "setiap selisih dengan alasannya.")
        old = _summary(locked)
        locked.status, locked.siap_bayar_by, locked.siap_bayar_at = Reconciliation.Status.SIAP_BAYAR, user, timezone.now()
        locked.jumlah_disetujui = agreed_amount(locked)
        locked.save(update_fields=["status", "siap_bayar_by", "siap_bayar_at", "jumlah_disetujui"])
        record_change(user, locked, old=old, new=_summary(locked), note="siap bayar")
    return locked


# --- payment -------------------------------------------------------------------------------------------


def record_payment(*, program, bulan: Month, sp2d_nomor: str, sp2d_tanggal: date, jumlah: int, user) -> Payment:
    """Record one SP2D for the month and mark the ledger's rows paid, in order, as far as the money goes.

    Allowed only once the month is siap bayar: R17 wants the totals agreed to the rupiah before payment,
    and paying an unreconciled bill would pay BPJS for lines nobody has checked. The payments of a month
    never add up to more than its agreed amount.
    """
    sp2d_nomor = " ".join((sp2d_nomor or "").split())
    if not sp2d_nomor:
        raise ReconciliationError("Nomor SP2D wajib diisi.")
    if jumlah is None or jumlah <= 0:
        raise ReconciliationError("Jumlah pembayaran harus lebih dari Rp0.")
    with transaction.atomic():
        reconciliation = (Reconciliation.objects.select_for_update()
                          .filter(program=program, bulan=bulan.first_day).first())
        if reconciliation is None or not reconciliation.is_ready:
            raise ReconciliationError(f"Tagihan {bulan.name_id} belum siap bayar: rekonsiliasikan tagihan BPJS dan "
                                      "selesaikan setiap selisih lebih dulu.")
        if Payment.objects.filter(program=program, sp2d_nomor=sp2d_nomor).exists():
            raise ReconciliationError(f"SP2D nomor {sp2d_nomor} sudah dicatat untuk program ini.")
        paid_before = paid_total(program, bulan)
        if paid_before + jumlah > reconciliation.jumlah_disetujui:
            remaining = reconciliation.jumlah_disetujui - paid_before
            raise ReconciliationError(f"Jumlah melebihi sisa tagihan {bulan.name_id}: sisa yang belum dibayar "
                                      f"Rp{remaining:,}.".replace(",", "."))
        payment = Payment.objects.create(program=program, bulan=bulan.first_day, reconciliation=reconciliation,
                                         sp2d_nomor=sp2d_nomor[:100], sp2d_tanggal=sp2d_tanggal, jumlah=jumlah,
                                         recorded_by=user)
        marked = allocate(reconciliation, paid_before + jumlah)
        record_change(user, payment, old=None,
                      new={**snapshot(payment, ("program", "bulan", "sp2d_nomor", "sp2d_tanggal", "jumlah")),
                           "baris_dibayar": marked}, note=f"SP2D {sp2d_nomor}"[:200])
    return payment


def paid_total(program, bulan: Month) -> int:
    return Payment.objects.filter(program=program, bulan=bulan.first_day).aggregate(s=Sum("jumlah"))["s"] or 0


def allocate(reconciliation: Reconciliation, paid: int) -> int:
    """Mark the month's person-months paid, in id order, as far as `paid` reaches; set-based updates.

    Rows the reconciliation agreed not to pay (on our roster, missing from BPJS's bill, accepted as BPJS
    bills it) are left out. Returns how many rows are fully paid.
    """
    excluded = reconciliation.lines.filter(kelas=HANYA_DAFTAR, resolution=ReconciliationLine.Resolution.DITERIMA,
                                           person_month__isnull=False).values("person_month_id")
    rows = month_rows(reconciliation.program, Month.of(reconciliation.bulan)).exclude(pk__in=excluded)
    last_full, partial, left = None, None, paid
    for pk, iuran in rows.order_by("id").values_list("id", "iuran").iterator(chunk_size=20_000):
        if left < iuran:
            partial = pk
            break
        left -= iuran
        last_full = pk
    count = 0
    if last_full is not None:
        count = rows.filter(pk__lte=last_full).update(state=PersonMonth.State.DIBAYAR, paid_amount=F("iuran"))
    if partial is not None:
        rows.filter(pk=partial).update(state=PersonMonth.State.DITAGIH, paid_amount=left)
        rows.filter(pk__gt=partial).update(state=PersonMonth.State.DITAGIH, paid_amount=0)
    return count


# --- overdue months and arrears -------------------------------------------------------------------------


def due_day(program) -> int:
    terms = PaymentTerms.objects.filter(program=program).first()
    return terms.hari_jatuh_tempo if terms else settings.JATUH_TEMPO_HARI


@dataclass(frozen=True, slots=True)
class MonthRow:
    bulan: Month
    orang: int
    ditagih: int  # the ledger's amount for the month
    dibayar: int  # SP2D payments recorded
    jatuh_tempo: date
    reconciliation: Reconciliation | None
    today: date

    @property
    def terutang(self) -> int:
        """What is owed for the month: the agreed amount once siap bayar, the ledger's amount before."""
        if self.reconciliation is not None and self.reconciliation.is_ready:
            return self.reconciliation.jumlah_disetujui or 0
        return self.ditagih

    @property
    def tertunggak(self) -> bool:
        """Billed and not fully paid by the due date."""
        return self.dibayar < self.terutang and self.today > self.jatuh_tempo

    @property
    def lunas(self) -> bool:
        return self.dibayar >= self.terutang

    @property
    def sisa(self) -> int:
        return max(self.terutang - self.dibayar, 0)


def months(program, *, today: date) -> list[MonthRow]:
    """Each billed month of the programme: bill, reconciliation, payments, due date, tertunggak."""
    day = due_day(program)
    figures = ledger.month_figures(program)  # trigger-kept tally, not a sum over every person-month
    billed = [{"bulan": bulan, "n": f["orang"], "s": f["ditagih"]} for bulan, f in sorted(figures.items()) if f["orang"]]
    paid = dict(Payment.objects.filter(program=program).values("bulan").annotate(s=Sum("jumlah")).values_list("bulan", "s"))
    recs = {r.bulan: r for r in Reconciliation.objects.filter(program=program)}
    result = []
    for row in billed:
        month = Month.of(row["bulan"])
        due = arrears.due_date(month, day)
        result.append(MonthRow(month, row["n"], row["s"] or 0, paid.get(row["bulan"], 0), due, recs.get(row["bulan"]),
                               today))
    return result


def arrears_by_person(program, *, today: date, limit: int = 500) -> list[tuple[str, str, int]]:
    """(nik, nama, consecutive unpaid months) for people with an overdue unpaid month, most months first."""
    overdue = [m.bulan.first_day for m in months(program, today=today) if today > m.jatuh_tempo]
    if not overdue:
        return []
    per_person: dict[str, list[tuple[Month, bool]]] = defaultdict(list)
    names: dict[str, str] = {}
    rows = (PersonMonth.objects.filter(program=program, bulan__in=overdue, state__in=BILLED_STATES)
            .values_list("nik", "candidate__nama", "bulan", "state"))
    for nik, nama, bulan, state in rows.iterator(chunk_size=20_000):
        per_person[nik].append((Month.of(bulan), state == PersonMonth.State.DIBAYAR))
        names[nik] = nama
    counted = [(nik, names[nik], arrears.consecutive_unpaid(ms)) for nik, ms in per_person.items()]
    return sorted((c for c in counted if c[2] > 0), key=lambda c: (-c[2], c[1]))[:limit]
