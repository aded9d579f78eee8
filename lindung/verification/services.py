"""Verification work spanning models: a level's decision moves a candidate on, or stops it (R18).

Optimistic locking: a decision names the candidate version the verifier saw; if someone decided in
between, the update matches no row and the second verifier is told who won. Nothing is overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from lindung.counters.models import CandidateTally
from lindung.imports.models import Candidate, CandidateStatus, StatusChange
from lindung.lib.bulk import insert_many
from lindung.lib.format import format_date, format_number
from lindung.programs.models import Program
from lindung.verification.levels import LEVELS, REASONS, roles_for
from lindung.verification.models import Decision, DecisionTally, VerificationDecision


class StaleDecision(Exception):
    """Someone else decided this candidate first; the message says who and what."""


class DecisionError(ValueError):
    pass


def levels_user_decides(user, program) -> list[int]:
    """Positions in the programme's levels this user may decide."""
    membership = getattr(user, "membership", None)
    if user.is_superuser:
        return list(range(len(program.levels)))
    if membership is None:
        return []
    return [i for i, code in enumerate(program.levels) if membership.role in roles_for(code)]


def pending_for(user, program):
    """Candidates waiting for a level this user decides, within the user's area (a desa operator: their desa)."""
    return Candidate.objects.visible_to(user).filter(
        program=program, status=CandidateStatus.CALON, level_index__in=levels_user_decides(user, program)
    )


def decide(*, candidate: Candidate, version: int, decision: str, user, reason: str = "", note: str = "",
           berita_acara=None) -> VerificationDecision:
    program = candidate.program
    _check(candidate, decision, reason, user)
    level_code = program.levels[candidate.level_index]
    new_status, new_index = _next(program, candidate.level_index, decision)
    with transaction.atomic():
        updated = Candidate.objects.filter(
            pk=candidate.pk, version=version, status=CandidateStatus.CALON, level_index=candidate.level_index
        ).update(version=F("version") + 1, level_index=new_index, status=new_status)
        if not updated:
            raise StaleDecision(stale_message(candidate))
        made = VerificationDecision.objects.create(
            candidate=candidate, level=level_code, decision=decision, reason=reason, note=note[:255],
            verifier=user, berita_acara=berita_acara)
        if new_status != CandidateStatus.CALON:
            StatusChange.objects.create(candidate=candidate, old=CandidateStatus.CALON, new=new_status, user=user,
                                        reason=_reason_text(level_code, decision, reason, note))
    candidate.refresh_from_db()
    return made


def _next(program, index: int, decision: str) -> tuple[str, int]:
    """Status and level after a decision: tidak layak stops; layak moves up, or ends verified at the top."""
    if decision == Decision.TIDAK_LAYAK:
        return CandidateStatus.TIDAK_LAYAK, index
    if index + 1 == len(program.levels):
        return CandidateStatus.TERVERIFIKASI, index
    return CandidateStatus.CALON, index + 1


def _check(candidate: Candidate, decision: str, reason: str, user) -> None:
    if decision not in Decision.values:
        raise DecisionError(f"Keputusan {decision!r} tidak dikenal: pilih layak atau tidak layak.")
    if decision == Decision.TIDAK_LAYAK and reason not in REASONS:
        raise DecisionError("Keputusan tidak layak wajib memilih alasan dari daftar.")
    if candidate.status != CandidateStatus.CALON:
        raise StaleDecision(stale_message(candidate))
    if candidate.level_index not in levels_user_decides(user, candidate.program):
        level = LEVELS[candidate.program.levels[candidate.level_index]]
        raise PermissionDenied(f"Calon ini sedang menunggu keputusan tingkat {level.label}, bukan tingkat Anda.")


def stale_message(candidate: Candidate, user=None) -> str:
    """Who decided this candidate first. When that was `user` themself (the same decision sent twice: a
    second click, or *semua* again while the first was still being saved), say so and when, never
    "someone else"."""
    latest = VerificationDecision.objects.filter(candidate=candidate).select_related("verifier").last()
    if latest is None:
        return f"Data {candidate.nama} sudah berubah; muat ulang halaman lalu putuskan lagi."
    level = LEVELS[latest.level].label
    if user is not None and latest.verifier_id is not None and latest.verifier_id == getattr(user, "pk", None):
        return (f"{candidate.nama} sudah Anda putuskan sendiri {latest.get_decision_display().lower()} pada tingkat "
                f"{level} ({when(latest.decided_at)}), lewat keputusan Anda sebelumnya. Keputusan ini tidak disimpan; "
                "muat ulang halaman.")
    who = latest.verifier.get_full_name() or latest.verifier.username if latest.verifier else "pengguna lain"
    return (f"{candidate.nama} sudah diputuskan {latest.get_decision_display().lower()} oleh {who} "
            f"pada tingkat {level}. Keputusan Anda tidak disimpan; muat ulang halaman.")


def when(moment) -> str:
    """"6 Desember 2026 pukul 17.05" in the display zone."""
    return f"{format_date(moment)} pukul {timezone.localtime(moment):%H.%M}"


def lost_messages(lost: list, user) -> list[str]:
    """Who decided each of these first. A candidate deleted since it was read (a programme deleted
    meanwhile cascades to its candidates) is named from the row read, not looked up: no KeyError."""
    named = Candidate.objects.in_bulk([c.pk for c in lost])
    return [stale_message(named[c.pk], user) if c.pk in named else
            f"{c.nama} sudah dihapus dari daftar calon sejak dibaca; tidak diputuskan." for c in lost]


def decided_by_self(user, pks: list[int]) -> tuple[int, object]:
    """How many of these candidates `user` themself decided last (their own earlier decision won), and the
    time of the latest of those decisions (None when none)."""
    if getattr(user, "pk", None) is None or not pks:
        return 0, None
    latest = VerificationDecision.objects.filter(candidate=OuterRef("pk")).order_by("-decided_at", "-pk")
    count, at = 0, None
    for part in _chunks(sorted(pks)):
        own = (Candidate.objects.filter(pk__in=part).annotate(last_by=Subquery(latest.values("verifier_id")[:1]))
               .filter(last_by=user.pk).order_by())
        count += own.count()
        mine = VerificationDecision.objects.filter(candidate__in=own.values("pk"), verifier=user)
        newest = mine.aggregate(t=Max("decided_at"))["t"]
        at = max(filter(None, (at, newest)), default=None)
    return count, at


def _reason_text(level_code: str, decision: str, reason: str, note: str) -> str:
    text = f"Verifikasi {LEVELS[level_code].label}: {Decision(decision).label.lower()}"
    if reason:
        text += f" ({REASONS[reason]})"
    return f"{text}. {note}".strip()[:255]


@dataclass
class BulkResult:
    decided: int = 0
    stale: list[str] = field(default_factory=list)  # names of the candidates someone else decided first
    stale_messages: list[str] = field(default_factory=list)  # for each: who decided, what, at which level
    own: int = 0  # of `stale`, those the same user had decided first (the same decision sent twice)
    own_at: object = None  # when the latest of those was decided


class CandidateRow(NamedTuple):
    """A candidate's state as a bulk decision needs it: 100.000 of these instead of 100.000 ORM objects."""

    pk: int
    version: int
    status: str
    level_index: int
    program_id: int
    nama: str
    desa_id: str


def decide_bulk(*, candidates, decision: str, user, reason: str = "", note: str = "", berita_acara=None,
                progress=None) -> BulkResult:
    """Decide many at once (e.g. every pending candidate of a desa), in one transaction.

    The versions the verifier saw are checked against the rows as they are now: a candidate someone else
    decided in the meantime is skipped and named; the rest are decided together. On PostgreSQL the rows are
    not locked by the read: each UPDATE repeats the check (version, status, level), so a candidate decided
    by someone else between the read and the UPDATE is skipped and named too (on SQLite the transaction
    holds the write lock from its start, so nobody can). `candidates` is a queryset or any objects with `pk`
    and `version`. `progress(done=, total=, text=)`, when given, hears how far it has got (a background
    job's bar): reading is the first half, writing the second.
    """
    if isinstance(candidates, QuerySet):
        seen = dict(candidates.order_by().values_list("pk", "version"))
    else:
        seen = {c.pk: c.version for c in candidates}
    report = progress or (lambda **_kw: None)
    report(done=0, total=2 * len(seen), text="Memeriksa versi calon")
    result = BulkResult()
    with transaction.atomic():
        current = _in_write_order(candidates) if _read_already(candidates) else _current(sorted(seen), report)
        report(done=len(seen), text="Menyimpan keputusan")
        fresh = [c for c in current if c.version == seen[c.pk] and c.status == CandidateStatus.CALON]
        lost = [c for c in current if c.version != seen[c.pk] or c.status != CandidateStatus.CALON]
        groups: dict[tuple, list[CandidateRow]] = {}
        for row in fresh:
            groups.setdefault((row.program_id, row.level_index), []).append(row)
        programs = {p.pk: p for p in Program.objects.filter(pk__in={pid for pid, _i in groups})}
        for (program_id, index), group in groups.items():
            _check_group(programs[program_id], index, decision, reason, user)
            decided = _apply_group(programs[program_id], index, group, decision=decision, reason=reason, note=note,
                                   user=user, berita_acara=berita_acara)
            lost += (c for c in group if c.pk not in decided)  # decided by someone else since it was read
            result.decided += len(decided)
            report(done=len(seen) + result.decided)
        lost.sort(key=lambda c: c.nama)
        result.stale = [c.nama for c in lost]
        result.stale_messages = lost_messages(lost[:20], user)
        result.own, result.own_at = decided_by_self(user, [c.pk for c in lost])
    return result


def _check_group(program, index: int, decision: str, reason: str, user) -> None:
    """_check for a whole group at one level of one programme (all of it still *calon*)."""
    if decision not in Decision.values:
        raise DecisionError(f"Keputusan {decision!r} tidak dikenal: pilih layak atau tidak layak.")
    if decision == Decision.TIDAK_LAYAK and reason not in REASONS:
        raise DecisionError("Keputusan tidak layak wajib memilih alasan dari daftar.")
    if index not in levels_user_decides(user, program):
        level = LEVELS[program.levels[index]]
        raise PermissionDenied(f"Calon ini sedang menunggu keputusan tingkat {level.label}, bukan tingkat Anda.")


# SQLite allows at most 32.766 variables in one statement: "semua" over a province's queue (100.000 and
# more) is read and updated in parts of this size, inside the caller's one transaction.
CHUNK = 5000


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _read_already(candidates) -> bool:
    """PostgreSQL, given the rows as chosen_pending read them: the UPDATE checks each one again (version,
    status, level), so reading them a second time adds nothing (100.000: ~0,2 s of the server's CPU and
    ~0,3 s of the worker's). SQLite reads them inside its transaction, which holds the write lock: the read
    there is the check."""
    return (connection.vendor == "postgresql" and isinstance(candidates, list)
            and all(isinstance(c, CandidateRow) for c in candidates))


def _in_write_order(rows: list[CandidateRow]) -> list[CandidateRow]:
    """PostgreSQL in list order (desa, nama), see _current; SQLite by primary key (measured: list order there
    was no cheaper)."""
    if connection.vendor == "postgresql":
        return sorted(rows, key=lambda c: (c.desa_id, c.nama, c.pk))
    return sorted(rows)


def _current(pks: list[int], report=None) -> list[CandidateRow]:
    """The candidates' state now, read in parts; on PostgreSQL in list order (desa, nama), the order they
    are written in.

    Not locked (`SELECT … FOR UPDATE` would write a lock into every row before the UPDATE writes it again);
    the UPDATE checks each row once more (_decide_part). Written in list order, the new entries of the
    candidate indexes that begin with desa and nama (list, queue, warning filter, NIK) fall next to each
    other instead of all over the index: on PostgreSQL a quarter less server CPU for 100.000 rows."""
    found = []
    for part in _chunks(pks):
        found += (CandidateRow(*values) for values in _read(part))
        if report is not None:
            report(done=len(found))
    return _in_write_order(found)


_FIELDS = ("id", "version", "status", "level_index", "program", "nama", "desa")


def _read(pks: list[int]):
    if connection.vendor != "postgresql":
        return Candidate.objects.filter(pk__in=pks).order_by().values_list(*_FIELDS)
    # One array parameter instead of 5.000 placeholders for Django to prepare and psycopg to parse (~1 s of
    # the worker's CPU for 100.000 candidates).
    table = connection.ops.quote_name(Candidate._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_columns(Candidate, _FIELDS)} FROM {table} WHERE id = ANY(%s)", [pks])
        return cursor.fetchall()


def _apply_group(program, index: int, group: list[CandidateRow], *, decision, reason, note, user, berita_acara) -> set[int]:
    """Decide one group (one level of one programme, all *calon* when read); returns the pks decided."""
    level_code = program.levels[index]
    new_status, new_index = _next(program, index, decision)
    now, user_id = timezone.now(), getattr(user, "pk", None)
    decision_row = (level_code, decision, reason, note[:255], user_id, getattr(berita_acara, "pk", None), now)
    change_row = None
    if new_status != CandidateStatus.CALON:
        change_row = (CandidateStatus.CALON, new_status, user_id, _reason_text(level_code, decision, reason, note), now)
    if connection.vendor == "postgresql":
        decided = set()
        for part in _chunks(group):
            decided.update(_decide_part(part, index, new_index, new_status, decision_row, change_row))
        return decided
    # SQLite: nothing can have changed since the read (the transaction holds the write lock), so every row is
    # moved on; plain multi-row INSERTs, counted once (lindung.lib.bulk), instead of 100.000 ORM objects.
    pks = [c.pk for c in group]
    for part in _chunks(pks):
        Candidate.objects.filter(pk__in=part).update(version=F("version") + 1, level_index=new_index, status=new_status)
    insert_many(VerificationDecision, _DECISION_FIELDS, ((pk, *decision_row) for pk in pks))
    if change_row:
        insert_many(StatusChange, _CHANGE_FIELDS, ((pk, *change_row) for pk in pks))
    return set(pks)


_DECISION_FIELDS = ("candidate", "level", "decision", "reason", "note", "verifier", "berita_acara", "decided_at")
_CHANGE_FIELDS = ("candidate", "old", "new", "user", "reason", "at")


def _columns(model, fields) -> str:
    return ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in fields)


def _decide_part(part: list[CandidateRow], index: int, new_index: int, new_status: str, decision_row: tuple,
                 change_row: tuple | None) -> list[int]:
    """PostgreSQL, one statement: move on the rows of the part still at the version read, *calon* and at the
    group's level — in the part's order (the rows found through the primary key are hashed and the part
    probes them in order; `c.id = ANY` keeps the planner from hashing every *calon* of the table) — and
    write their decisions and status changes from the rows moved. Returns the pks moved. The values never
    travel row by row between Python and the server (COPY of 200.000 rows cost ~1,5 s of Python)."""
    pks = [c.pk for c in part]
    table = connection.ops.quote_name(Candidate._meta.db_table)
    sql = f"""
        WITH moved AS (
            UPDATE {table} AS c SET version = c.version + 1, level_index = %s, status = %s
            FROM unnest(%s::bigint[], %s::integer[]) AS seen (id, version)
            WHERE c.id = ANY(%s) AND c.id = seen.id AND c.version = seen.version AND c.status = %s
              AND c.level_index = %s
            RETURNING c.id),
        decided AS (
            INSERT INTO {connection.ops.quote_name(VerificationDecision._meta.db_table)}
                ({_columns(VerificationDecision, _DECISION_FIELDS)})
            SELECT id, %s, %s, %s, %s, %s, %s, %s FROM moved RETURNING candidate_id)"""
    params = [new_index, new_status, pks, [c.version for c in part], pks, CandidateStatus.CALON, index, *decision_row]
    if change_row:
        sql += f""",
        logged AS (
            INSERT INTO {connection.ops.quote_name(StatusChange._meta.db_table)} ({_columns(StatusChange, _CHANGE_FIELDS)})
            SELECT id, %s, %s, %s, %s, %s FROM moved)"""
        params += change_row
    with connection.cursor() as cursor:
        cursor.execute(sql + "\n        SELECT candidate_id FROM decided", params)
        return [pk for (pk,) in cursor.fetchall()]


def progress(program, candidates=None) -> list[dict]:
    """Per level: how many were decided layak / tidak layak there and how many wait for it."""
    if candidates is None:  # the whole programme: the tallies the database triggers keep
        decided = {(level, decision): n for level, decision, n in
                   DecisionTally.objects.filter(program_id=program.pk).values_list("level", "decision", "n")}
        waiting = {level: n for (status, level), n in CandidateTally.objects.for_program(program.pk).items()
                   if status == CandidateStatus.CALON}
    else:
        decided = dict(
            ((row["level"], row["decision"]), row["n"])
            for row in VerificationDecision.objects.filter(candidate__in=candidates).values("level", "decision")
            .annotate(n=Count("id"))
        )
        waiting = dict(candidates.filter(status=CandidateStatus.CALON).values_list("level_index").annotate(n=Count("id")))
    return [
        {"code": code, "label": LEVELS[code].label, "layak": decided.get((code, Decision.LAYAK), 0),
         "tidak_layak": decided.get((code, Decision.TIDAK_LAYAK), 0), "menunggu": waiting.get(i, 0)}
        for i, code in enumerate(program.levels)
    ]


def progress_by_desa(program, candidates=None) -> list[dict]:
    qs = candidates if candidates is not None else Candidate.objects.filter(program=program)
    rows = qs.values("desa_id", "desa__nama").annotate(
        total=Count("id"),
        menunggu=Count("id", filter=Q(status=CandidateStatus.CALON)),
        layak=Count("id", filter=~Q(status__in=[CandidateStatus.CALON, CandidateStatus.TIDAK_LAYAK, CandidateStatus.DUPLIKAT])),
        tidak_layak=Count("id", filter=Q(status=CandidateStatus.TIDAK_LAYAK)),
    ).order_by("desa_id")
    return list(rows)


class Chosen(NamedTuple):
    """A pending candidate as "semua" needs it (no ORM object for each of a province's 100.000)."""

    pk: int
    version: int
    desa_id: str
    level_index: int


def chosen_pending(pending) -> list[CandidateRow]:
    """Every pending candidate as decide_bulk needs it (on PostgreSQL it does not read them again)."""
    return [CandidateRow(*row) for row in pending.order_by().values_list(*_FIELDS)]


def chosen_selected(pending, selected: dict[int, int]) -> tuple[list[Chosen], set[int]]:
    """The ticked candidates still pending, with the version the verifier saw; and the ticked ones gone."""
    chosen = []
    for part in _chunks(sorted(selected)):
        chosen += (Chosen(pk, selected[pk], desa_id, index) for pk, desa_id, index in
                   pending.filter(pk__in=part).order_by().values_list("pk", "desa_id", "level_index"))
    return chosen, set(selected) - {c.pk for c in chosen}


def gone_messages(user, program, pks: set[int], limit: int = 20) -> list[str]:
    """Ticked on the page but no longer waiting for this verifier: someone decided first. Say who."""
    gone = Candidate.objects.visible_to(user).filter(program=program, pk__in=sorted(pks)[:limit])
    return [stale_message(candidate, user) for candidate in gone]


def latest_decision(candidates):
    """The decisions of `candidates`, newest first, read backwards along the decision_latest index until
    one of them (a programme's latest is near the end): a correlated EXISTS, which both SQLite and
    PostgreSQL answer that way, where `candidate__in` had them read every decision of a programme (a
    province's million) and sort them."""
    theirs = candidates.filter(pk=OuterRef("candidate_id")).order_by()
    return VerificationDecision.objects.filter(Exists(theirs)).order_by("-decided_at", "-pk")


def nothing_pending_message(user, program, earlier=None) -> str:
    """"Terapkan ke semua" found nobody left: someone decided them since the page was shown. Say who — the
    user themself when their own earlier decision was the latest (`earlier(at)`: which one it was, in words,
    given the time it decided; a background job names the job)."""
    visible = Candidate.objects.visible_to(user).filter(program=program)
    latest = latest_decision(visible).select_related("candidate").first()
    if latest is None:
        return "Tidak ada calon yang menunggu keputusan Anda."
    if latest.verifier_id == user.pk:
        return ("Tidak ada lagi calon yang menunggu keputusan Anda: semuanya sudah Anda putuskan sendiri lewat "
                f"{own_source(earlier(latest.decided_at) if earlier else '', latest.decided_at)}. "
                "Keputusan ini tidak disimpan dua kali.")
    return "Tidak ada lagi calon yang menunggu keputusan Anda. " + stale_message(latest.candidate, user)


@dataclass(frozen=True)
class Shown:
    """What a queue page showed, sent back with its decision form: the levels its candidates waited at, and
    the newest decision and candidate when it was drawn. *Semua* decides only those candidates: not ones a
    decision moved to one of the user's levels since (a desa operator deciding RT/RW and desa, sending
    *semua layak* again after the first had finished, decided the desa level too), nor ones imported since."""

    levels: tuple[str, ...]
    last_decision: int
    last_candidate: int

    def as_fields(self) -> dict[str, str]:
        return {"tingkat": ",".join(self.levels), "antrean": f"{self.last_decision}.{self.last_candidate}"}

    def as_params(self) -> dict:
        return {"tingkat": list(self.levels), "antrean": [self.last_decision, self.last_candidate]}

    @classmethod
    def from_params(cls, params: dict) -> Shown | None:
        if "tingkat" not in params:  # a job queued before pages sent it: its queue as it is
            return None
        return cls(tuple(params["tingkat"]), *params["antrean"])


def shown_queue(user, program, pending) -> Shown:
    """The page's levels (those of the user's with a candidate waiting in `pending`: one index probe each)
    and the newest decision and candidate now (each the end of a primary key)."""
    levels = tuple(program.levels[i] for i in levels_user_decides(user, program)
                   if pending.filter(level_index=i).exists())
    return Shown(levels, VerificationDecision.objects.aggregate(m=Max("pk"))["m"] or 0,
                 Candidate.objects.aggregate(m=Max("pk"))["m"] or 0)


def still_shown(program, pending, shown: Shown):
    """The candidates of `pending` the page showed: at its levels, there before it was drawn, and not moved
    there by a decision made since (decision keys only grow)."""
    indexes = [i for i, code in enumerate(program.levels) if code in shown.levels]
    moved_since = VerificationDecision.objects.filter(candidate=OuterRef("pk"), pk__gt=shown.last_decision)
    return pending.filter(level_index__in=indexes, pk__lte=shown.last_candidate).exclude(Exists(moved_since))


def levels_text(codes) -> str:
    labels = [LEVELS[code].label for code in codes]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " dan " + labels[-1]


def shown_gone_message(user, program, shown: Shown, desa: str = "", earlier=None) -> str:
    """*Semua* from a page whose candidates are no longer waiting at its level: nothing was decided (not
    the next level either). Who decided them at that level, and when; the user themself when theirs was the
    latest (`earlier(at)`, as for nothing_pending_message)."""
    if not shown.levels:
        return "Tidak ada calon yang menunggu keputusan Anda."
    candidates = Candidate.objects.visible_to(user).filter(program=program)
    if desa:
        candidates = candidates.filter(desa_id=desa)
    latest = latest_decision(candidates).filter(level__in=shown.levels).select_related("verifier").first()
    where = f"tingkat {levels_text(shown.levels)}"
    tail = (" Tidak ada yang diputuskan, juga tidak di tingkat berikutnya; muat ulang halaman untuk melihat "
            "antrean sekarang.")
    if latest is None:
        return f"Calon yang ditampilkan halaman Anda di {where} tidak lagi menunggu keputusan Anda." + tail
    if latest.verifier_id == user.pk:
        source = own_source(earlier(latest.decided_at) if earlier else "", latest.decided_at)
        return (f"Calon yang ditampilkan halaman Anda di {where} sudah diputuskan pada tingkat itu oleh Anda "
                f"sendiri lewat {source}." + tail)
    who = latest.verifier.get_full_name() or latest.verifier.username if latest.verifier else "pengguna lain"
    return (f"Calon yang ditampilkan halaman Anda di {where} sudah diputuskan pada tingkat itu, terakhir oleh "
            f"{who} ({when(latest.decided_at)})." + tail)


def decided_message(program, chosen, decided: int, decision: str) -> str:
    """Where the decided candidates went (issue 16: after *Simpan keputusan* the names leave the list)."""
    if decision != Decision.LAYAK:
        return f"{format_number(decided)} calon diputuskan tidak layak."
    at = {c.level_index for c in chosen}
    if len(at) != 1:
        return f"{format_number(decided)} calon diputuskan layak dan diteruskan ke tingkat berikutnya."
    following = program.levels[at.pop() + 1:]
    if not following:
        return f"{format_number(decided)} calon diputuskan layak dan kini terverifikasi (tingkat terakhir)."
    return f"{format_number(decided)} calon diputuskan layak dan diteruskan ke tingkat {LEVELS[following[0]].label}."


def stale_summary(result: BulkResult, earlier: str = "") -> list[str]:
    """A lost race is a conflict, never a success: each candidate someone else decided first, and who; those
    the user's own earlier decision (`earlier`: which one, when) had decided are counted as theirs."""
    lines = list(result.stale_messages)
    if len(result.stale) > len(result.stale_messages):
        rest = len(result.stale) - len(result.stale_messages)
        own = min(rest, max(0, result.own - sum("Anda putuskan sendiri" in line for line in lines)))
        if own:
            lines.append(f"… dan {format_number(own)} calon lain yang sudah Anda putuskan sendiri lewat "
                         f"{own_source(earlier, result.own_at)}; tidak diputuskan dua kali.")
        if rest - own:
            lines.append(f"… dan {format_number(rest - own)} calon lain yang sudah diputuskan pengguna lain.")
    return lines


def own_source(earlier: str, at) -> str:
    """The user's own earlier decision in words: `earlier` when the caller knows which (a background job
    names the one sent before it), else by the time it was decided."""
    return earlier or f"keputusan Anda sebelumnya ({when(at)})"


def nothing_decided_message(result: BulkResult, earlier: str = "") -> str:
    """Every candidate was decided first by someone: by whom, in a word (the details name each)."""
    if result.own and result.own == len(result.stale):
        return (f"Tidak ada calon yang diputuskan: semuanya sudah Anda putuskan sendiri lewat "
                f"{own_source(earlier, result.own_at)}. Keputusan ini tidak disimpan dua kali.")
    if result.own:
        return (f"Tidak ada calon yang diputuskan: {format_number(result.own)} sudah Anda putuskan sendiri lewat "
                f"{own_source(earlier, result.own_at)}, sisanya oleh pengguna lain.")
    return "Tidak ada calon yang diputuskan: semuanya sudah diputuskan pengguna lain."
