"""Enrolment within budget: seats = pagu ÷ (iuran × months), a priority order, a waiting list that refills,
cross-programme conflicts (R9), and the candidate status moves that go with it (R5, R11, R12, R14)."""

from __future__ import annotations

from array import array
from datetime import date
from typing import NamedTuple

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from lindung.counters.models import CandidateTally, EnrolmentTally
from lindung.domain import benefits, iuran, rates
from lindung.domain.periods import Month
from lindung.enrolment.models import Cohort, Enrolment, Priority
from lindung.imports.models import Candidate, CandidateStatus
from lindung.lib import keyset
from lindung.lib.bulk import insert_many
from lindung.linkage.models import MatchPair

ACTIVE_STATES = (Enrolment.State.SEATED,)
LIVE_STATUSES = (CandidateStatus.TERVERIFIKASI, CandidateStatus.DIAJUKAN, CandidateStatus.TERDAFTAR, CandidateStatus.AKTIF,
                 CandidateStatus.TERTUNGGAK)
# Registered with BPJS and still protected (tertunggak: a month unpaid past its due date, not yet lapsed).
PROTECTED_STATUSES = (CandidateStatus.TERDAFTAR, CandidateStatus.AKTIF, CandidateStatus.TERTUNGGAK)


class EnrolmentError(ValueError):
    pass


def form_cohort(*, program, user, mulai: date | None = None, bulan: int | None = None, alasan_mulai: str = "",
                prioritas: str = Priority.VERIFICATION_ORDER, progress=None) -> Cohort:
    """Seat the verified candidates in priority order up to what the pagu buys; the rest wait.

    One cohort per programme: the pagu is spent once. People verified later join it with `add_verified`.
    `progress(done=, total=, text=)`, when given, hears how far placing has got (a background job's bar).
    """
    mulai, bulan, per_orang, seats = cohort_terms(program, mulai=mulai, bulan=bulan, alasan_mulai=alasan_mulai,
                                                  prioritas=prioritas)
    with transaction.atomic():
        type(program).objects.select_for_update().get(pk=program.pk)  # one cohort at a time per programme
        if program.cohorts.exists():
            raise EnrolmentError(HAS_COHORT)
        cohort = Cohort.objects.create(
            program=program, mulai=mulai, bulan=bulan, alasan_mulai=alasan_mulai.strip(), prioritas=prioritas,
            kursi=seats.kursi, iuran_per_bulan=per_orang.per_orang_per_bulan,
            iuran_per_orang=per_orang.total, aturan=list(per_orang.aturan),
            catatan=[p.message for p in benefits.check_coverage_length(bulan)], created_by=user)
        _place(cohort, _ordered(program, prioritas), progress)
    return cohort


HAS_COHORT = "Program ini sudah punya kohort; calon yang baru terverifikasi ditambahkan ke kohort itu."


def cohort_terms(program, *, mulai: date | None, bulan: int | None, alasan_mulai: str, prioritas: str):
    """The checked start, months, iuran per person and seats of a new cohort; EnrolmentError when wrong.
    The page calls it before queueing the job, so a wrong form is told at once, not after the queue."""
    mulai = mulai or program.mulai
    if mulai != program.mulai and not alasan_mulai.strip():
        raise EnrolmentError("Awal perlindungan berbeda dari tanggal PKS: tuliskan alasannya.")
    bulan = bulan or months_left(program, mulai)
    _check_window(program, mulai, bulan, prioritas)
    try:
        per_orang = iuran.iuran_total(orang=1, start=Month.of(mulai), bulan=bulan, pembayar=program.sumber_dana)
        seats = iuran.kursi_dari_pagu(anggaran=program.pagu, start=Month.of(mulai), bulan=bulan,
                                      pembayar=program.sumber_dana)
    except (iuran.IuranError, rates.RateNotFound) as exc:
        raise EnrolmentError(str(exc)) from None
    return mulai, bulan, per_orang, seats


def _count_penetapan(cohort: Cohort, seated_before: int) -> None:
    """People who joined the seats at penetapan (now or verified later) add their whole window to the SK figure."""
    added = cohort.seated_count() - seated_before
    if added > 0:
        Cohort.objects.filter(pk=cohort.pk).update(iuran_penetapan=F("iuran_penetapan") + added * cohort.iuran_per_orang)
        cohort.refresh_from_db(fields=["iuran_penetapan"])


def months_left(program, mulai: date) -> int:
    return Month.of(program.selesai) - Month.of(mulai) + 1


def _check_window(program, mulai: date, bulan: int, prioritas: str) -> None:
    if prioritas not in Priority.values:
        raise EnrolmentError(f"Prioritas {prioritas!r} tidak dikenal.")
    if not program.mulai <= mulai <= program.selesai:
        raise EnrolmentError("Awal perlindungan harus di dalam masa program "
                             f"({program.mulai:%d-%m-%Y} s.d. {program.selesai:%d-%m-%Y}).")
    if bulan < 1 or bulan > months_left(program, mulai):
        raise EnrolmentError(f"Jumlah bulan harus 1 sampai {months_left(program, mulai)}: perlindungan tidak boleh "
                             f"melewati akhir program ({program.selesai:%d-%m-%Y}).")


def add_verified(cohort: Cohort, progress=None) -> int:
    """Candidates verified after the cohort was formed: seated if seats are free, else waiting."""
    with transaction.atomic():
        Cohort.objects.select_for_update().get(pk=cohort.pk)
        return _place(cohort, _ordered(cohort.program, cohort.prioritas), progress)


def _ordered(program, prioritas: str):
    qs = Candidate.objects.filter(program=program, status=CandidateStatus.TERVERIFIKASI, bpjs_kpj="").exclude(
        enrolments__cohort__program=program)  # already a BPJS participant: never seated, never billed (R10)
    if prioritas == Priority.OLDEST_FIRST:
        return qs.order_by("tanggal_lahir", "pk")
    if prioritas == Priority.LIST_ORDER:
        return qs.order_by("source_batch_id", "source_row", "pk")
    return qs.annotate(verified_at=Max("decisions__decided_at")).order_by("verified_at", "pk")


class _Seatable(NamedTuple):
    """What placing needs of a candidate: a million of these fit where a million ORM objects do not."""

    pk: int
    nik: str


# Placing writes this many enrolments at a time (one multi-row INSERT or COPY each), so a province's
# 850.000 never exist as one list of rows; what is kept whole is only the ordered (pk, NIK) pairs.
PLACE_CHUNK = 10_000


def _place(cohort: Cohort, candidates, progress=None) -> int:
    """Append `candidates` (a queryset in priority order) to the cohort: seats while they last, then the
    waiting list; someone already seated elsewhere is a conflict. Reads (pk, nik) pairs into compact
    arrays, then places and writes them a chunk at a time, never one ORM object per person."""
    report = progress or (lambda **_kw: None)
    report(text="Membaca calon terverifikasi dalam urutan prioritas")
    pks, niks = array("q"), []
    for pk, nik in candidates.values_list("pk", "nik").iterator(chunk_size=PLACE_CHUNK):
        pks.append(pk)
        niks.append(nik)
    report(done=0, total=len(pks), text="Menempatkan kursi dan daftar tunggu")
    context = _conflict_context(cohort)
    seated = before = cohort.seated_count()
    urutan = cohort.enrolments.aggregate(n=Max("urutan"))["n"] or 0
    now = timezone.now()
    for start in range(0, len(pks), PLACE_CHUNK):
        people = [_Seatable(pk, nik) for pk, nik in zip(pks[start:start + PLACE_CHUNK], niks[start:start + PLACE_CHUNK])]
        conflicts = _conflicts(cohort, people, context)
        rows = []
        for person in people:
            urutan += 1
            seat = conflicts.get(person.pk)
            if seat is not None:
                fields = _conflict_fields(person, seat)
                rows.append((cohort.pk, person.pk, urutan, Enrolment.State.CONFLICT, seat.cohort.program_id,
                             seat.candidate_id, fields.get("alasan", ""), now))
                continue
            if seated < cohort.kursi:
                state, seated = Enrolment.State.SEATED, seated + 1
            else:
                state = Enrolment.State.WAITING
            rows.append((cohort.pk, person.pk, urutan, state, None, None, "", now))
        insert_many(Enrolment, ("cohort", "candidate", "urutan", "state", "conflict_program", "conflict_candidate",
                                "alasan", "updated_at"), rows)
        report(done=start + len(people))
    _count_penetapan(cohort, before)
    return len(pks)


class _ConflictContext(NamedTuple):
    overlapping: list[int]  # cohorts of other programmes whose months overlap this one's
    links: dict  # candidate pk -> candidates the matching engine says are the same person


def _conflict_context(cohort: Cohort) -> _ConflictContext:
    window = cohort.window
    # Only cohorts of other programmes whose months overlap can hold a conflicting seat; with none (the
    # usual case for a province's first round) a million NIKs need not be looked up at all.
    overlapping = [other.pk for other in Cohort.objects.exclude(program=cohort.program) if other.window.overlaps(window)]
    return _ConflictContext(overlapping, MatchPair.objects.same_person_links() if overlapping else {})


def _conflicts(cohort: Cohort, candidates: list[Candidate], context: _ConflictContext | None = None) -> dict[int, Enrolment]:
    """Candidate pk -> the seat the same person already holds in another programme in an overlapping month (R9).

    The same person: the same NIK, or a candidate of the other programme the matching engine linked to this
    one (a sure match, or a pair a reviewer decided *sama*), e.g. the same worker with a mistyped NIK."""
    overlapping, links = context or _conflict_context(cohort)
    if not overlapping:
        return {}
    linked = {other for c in candidates for other in links.get(c.pk, ())}
    by_nik, by_candidate = {}, {}
    for nik_part in _chunks(sorted({c.nik for c in candidates})):
        _collect_seats(overlapping, Q(candidate__nik__in=nik_part), by_nik, by_candidate)
    for pk_part in _chunks(sorted(linked)):
        _collect_seats(overlapping, Q(candidate__in=pk_part), by_nik, by_candidate)
    found = {}
    for candidate in candidates:
        seat = by_nik.get(candidate.nik) or next(
            (by_candidate[pk] for pk in sorted(links.get(candidate.pk, ())) if pk in by_candidate), None)
        if seat is not None:
            found[candidate.pk] = seat
    return found


def _collect_seats(cohorts: list[int], condition: Q, by_nik: dict, by_candidate: dict) -> None:
    others = Enrolment.objects.filter(condition, cohort__in=cohorts, state__in=ACTIVE_STATES).select_related(
        "cohort__program", "candidate").order_by("pk")
    for enrolment in others:
        by_nik.setdefault(enrolment.candidate.nik, enrolment)
        by_candidate.setdefault(enrolment.candidate_id, enrolment)


def _chunks(values: list, size: int = 5000):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _conflict_fields(candidate: Candidate, seat: Enrolment) -> dict:
    fields = {"conflict_program": seat.cohort.program, "conflict_candidate": seat.candidate}
    if seat.candidate.nik != candidate.nik:
        fields["alasan"] = f"Orang yang sama menurut pencocokan data: {seat.candidate.nama}"[:255]
    return fields


def refill(cohort: Cohort, *, mulai: Month | None = None) -> list[Enrolment]:
    """Offer free seats to the waiting list, in priority order; someone seated elsewhere meanwhile is a conflict.

    A seat taken from month `mulai` (a replacement after an exit, an APBD-P seat) is covered and billed from
    that month only, and only while the pagu still buys those months (`budget_left`); with no month left in
    the window nobody is promoted. Someone set aside as a duplicate or found on the BPJS participant list
    after joining the waiting list keeps waiting and is never seated (R10). Returns the promoted (an exit's
    one or two replacements; an APBD-P counts them with `promote` instead)."""
    pks = promote(cohort, mulai=mulai)
    return [e for part in _chunks(pks) for e in
            Enrolment.objects.filter(pk__in=part).select_related("candidate").order_by("urutan")]


REFILL_PAGE = 5000  # waiting people read, checked for conflicts and seated per round


def promote(cohort: Cohort, *, mulai: Month | None = None) -> list[int]:
    """`refill`'s work, set-based (an APBD-P may seat a province's waiting list): the waiting list is read a
    keyset page of (pk, candidate, nik) tuples at a time, checked for conflicts per page, and the promoted
    are seated by one UPDATE per 5.000; returns their enrolment pks in priority order."""
    start = max(mulai or cohort.window.start, cohort.window.start)
    if start > cohort.window.end:
        return []
    cost = seat_cost(cohort, start)
    free = cohort.kursi - cohort.seated_count()
    money = budget_left(cohort)
    can = (free if money >= 0 else 0) if cost <= 0 else min(free, money // cost)
    if can <= 0:
        return []
    context = _conflict_context(cohort)
    waiting = cohort.enrolments.filter(state=Enrolment.State.WAITING).order_by("urutan", "pk")
    seated, cursor = [], None
    while len(seated) < can:
        page = waiting.filter(keyset.after(["urutan", "pk"], cursor)) if cursor else waiting
        rows = list(page.values_list("urutan", "pk", "candidate_id", "candidate__nik", "candidate__status",
                                     "candidate__bpjs_kpj")[:REFILL_PAGE])
        if not rows:
            break
        cursor = rows[-1][:2]
        people = [(pk, _Seatable(cid, nik)) for _, pk, cid, nik, status, kpj in rows
                  if status != CandidateStatus.DUPLIKAT and not kpj]
        conflicts = _conflicts(cohort, [person for _, person in people], context)
        for pk, person in people:
            if len(seated) >= can:
                break
            seat = conflicts.get(person.pk)
            if seat is None:
                seated.append(pk)
                continue
            fields = {"state": Enrolment.State.CONFLICT, **_conflict_fields(person, seat)}
            Enrolment.objects.filter(pk=pk).update(updated_at=timezone.now(), **fields)  # rare: one at a time
    _seat(seated, start.first_day if start > cohort.window.start else None)
    if seated:
        cohort.forget_sk()
    return seated


def _seat(pks: list[int], mulai: date | None) -> None:
    now = timezone.now()
    for part in _chunks(pks):
        Enrolment.objects.filter(pk__in=part).update(state=Enrolment.State.SEATED, alasan="Naik dari daftar tunggu",
                                                     mulai=mulai, updated_at=now)


def release(enrolment: Enrolment, *, user, reason: str, akhir: date | None = None, kode: str = "") -> list[Enrolment]:
    """A seat freed (BPJS rejected, died, moved): the person leaves the cohort and the next one waits no more.

    `akhir` is the exit's date: the day of death, or a day in the last month the operator says is covered
    (R16). The person stays covered and billed through that month; the ledger voids the months after it
    (paid ones become *diperhitungkan*, to settle with BPJS) and a replacement is covered from the next
    month, if the window and the pagu still have one. Without a date the seat is given up as never used
    (BPJS rejected them, or they left before coverage): the replacement gets the whole window.

    A registered or active participant's protection ends (berakhir); someone not yet registered keeps their
    status, and a BPJS answer that still names them is applied (see enrolment.bpjs)."""
    with transaction.atomic():
        enrolment.state, enrolment.alasan = Enrolment.State.OUT, reason[:255]
        enrolment.akhir, enrolment.alasan_keluar = akhir, kode[:20]
        enrolment.save(update_fields=["state", "alasan", "akhir", "alasan_keluar", "updated_at"])
        enrolment.cohort.forget_sk()
        if enrolment.candidate.status in PROTECTED_STATUSES:
            # A coded exit (died, moved, wage worker, double: R16) is *keluar*; an uncoded release *berakhir*.
            ended = CandidateStatus.KELUAR if kode else CandidateStatus.BERAKHIR
            transition(enrolment.candidate, ended, user=user, reason=reason)
        from lindung.billing import ledger  # the ledger follows the exit at once (billing reads enrolment)

        ledger.close_enrolment(enrolment)
        return refill(enrolment.cohort, mulai=Month.of(akhir) + 1 if akhir else None)


def covered_count(cohort: Cohort, month: Month) -> int:
    """People the pagu pays for in a month: seated (registered or not yet), or out after covered months.

    Most seats have no dates of their own and cover every month: they are the seated tally (kept by
    triggers) less the seated with own dates. Only the few rows with own dates (a replacement's later
    start, an exit) are read, through a partial index (counters migration 0002)."""
    first = month.first_day
    starts = Q(mulai__isnull=True) | Q(mulai__lte=first)
    ends = Q(akhir__isnull=True) | Q(akhir__gte=first)
    live = Q(state=Enrolment.State.SEATED) | Q(state=Enrolment.State.OUT, akhir__isnull=False, kpj__gt="")
    dated = cohort.enrolments.filter(Q(mulai__isnull=False) | Q(akhir__isnull=False))
    undated_seated = cohort.seated_count() - dated.filter(state=Enrolment.State.SEATED).count()
    return undated_seated + dated.filter(live, starts, ends).count()


def month_iuran(program, month: Month) -> int:
    return iuran.iuran_bulanan(month=month, pembayar=program.sumber_dana).total


def committed(cohort: Cohort) -> int:
    """The money the cohort's people take from the pagu: each month's people × that month's iuran."""
    program = cohort.program
    return sum(covered_count(cohort, m) * month_iuran(program, m) for m in cohort.window.months_list())


def seat_cost(cohort: Cohort, start: Month) -> int:
    """One seat from month `start` to the end of the window."""
    return sum(month_iuran(cohort.program, m) for m in cohort.window.months_list() if m >= start)


def budget_left(cohort: Cohort) -> int:
    return cohort.program.pagu - committed(cohort)


def transition(candidate: Candidate, new: str, *, user, reason: str) -> None:
    """Move a candidate's status, logged with user, time and reason (R12)."""
    candidate.change_status(new, user=user, reason=reason)


def latest_cohort(program) -> Cohort | None:
    return program.cohorts.order_by("-created_at", "-id").first()


_UNREAD = object()


def program_state(program, *, cohort=_UNREAD, states=None) -> dict:
    """`lindung program SLUG --json` (architecture.md §4), from the counters the database triggers keep
    (lindung.counters): the programme page and the cohort page show it, and a province has a million rows.
    A page that has already read the latest cohort (or None) and its tally by state passes them in."""
    statuses = CandidateTally.objects.by_status(program.pk)
    if cohort is _UNREAD:
        cohort = latest_cohort(program)
    if states is None:
        states = EnrolmentTally.objects.by_state(cohort.pk) if cohort else {}
    return {
        "slug": program.slug,
        "calon": sum(statuses.values()),
        "layak": sum(statuses[s] for s in [*LIVE_STATUSES, CandidateStatus.DITOLAK, CandidateStatus.BERAKHIR,
                                           CandidateStatus.KELUAR]),
        "terdaftar": sum(statuses[s] for s in PROTECTED_STATUSES),
        "kursi": cohort.kursi if cohort else _seats(program),
        "bulan": cohort.bulan if cohort else program.bulan,
        # The SK's figure, fixed at penetapan: the seats of the cohort × the whole window. What was really
        # billed and paid comes from the ledger (`ditagih`, `dibayar`).
        "iuran_total": cohort.iuran_penetapan if cohort else 0,
        "konflik": states.get(Enrolment.State.CONFLICT, 0),
        **_ledger_totals(program),
    }


def _ledger_totals(program) -> dict[str, int]:
    from lindung.billing.ledger import program_totals

    return program_totals(program)


def _seats(program) -> int:
    return iuran.kursi_dari_pagu(anggaran=program.pagu, start=Month.of(program.mulai), bulan=program.bulan,
                                 pembayar=program.sumber_dana).kursi


def advance_lifecycle(*, today: date, user=None) -> dict[str, int]:
    """terdaftar → aktif once the cohort's coverage has started; aktif (or tertunggak) → berakhir after its
    last month. The arrears moves (tertunggak, lapse) are `lindung.protection.lifecycle`'s.

    Run daily (`lindung siklus`); idempotent. Each transition is logged like any other (R12).
    """
    moved = {"aktif": 0, "berakhir": 0}
    for cohort in Cohort.objects.filter(mulai__lte=today).select_related("program"):
        ended = cohort.window.end_date < today
        for enrolment in cohort.seated.select_related("candidate").filter(
                candidate__status__in=PROTECTED_STATUSES):
            candidate = enrolment.candidate
            if candidate.status == CandidateStatus.TERDAFTAR:
                transition(candidate, CandidateStatus.AKTIF, user=user,
                           reason=f"Perlindungan berjalan sejak {cohort.mulai:%d-%m-%Y}")
                moved["aktif"] += 1
            if ended:
                transition(candidate, CandidateStatus.BERAKHIR, user=user,
                           reason=f"Masa perlindungan berakhir {cohort.window.end_date:%d-%m-%Y}")
                moved["berakhir"] += 1
    return moved


def recover_stale_jobs() -> dict[str, int]:
    """Imports, matching runs, SK jobs and the other background jobs (lindung.background) whose worker died
    (no heartbeat, lindung.lib.jobs), back to the user. The pages do this for what they show; `lindung
    siklus` does it for everything."""
    from lindung.background.models import Job
    from lindung.imports.models import ImportBatch
    from lindung.linkage.models import MatchRun

    return {"impor": ImportBatch.objects.recover_stale(), "pencocokan": MatchRun.objects.recover_stale(),
            "sk": Cohort.objects.recover_stale(), "proses": Job.objects.recover_stale()}
