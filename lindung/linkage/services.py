"""Matching work spanning models: run the engine over everyone, store its pairs idempotently, apply their
effects, and record people's decisions.

Effects (issue 5):
- duplikat (two candidates of one programme): sure pairs and pairs decided *sama* form groups; the
  programme's Duplikat page asks the operator which one to keep (lindung.linkage.duplicates);
- lintas (candidates of two programmes): the same person for R9; enrolment reads these links when it
  checks for a seat held elsewhere (enrolment.services._conflicts);
- bpjs (a candidate and a BPJS participant): the candidate is flagged *sudah terdaftar* with the
  participant's KPJ and segmen (R10), so enrolment never seats them;
- possible pairs of any kind, and sure pairs below Thresholds.auto, wait in the review queue ("Tinjau
  kecocokan"), those with a seat at stake first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lindung.imports.models import Candidate
from lindung.lib import jobs
from lindung.lib.audit import change_entry, record_change
from lindung.lib.format import format_date, format_number
from lindung.linkage import records
from lindung.linkage.models import DECIDED, MatchPair, MatchRun
from lindung.matching.types import Thresholds
from lindung.registry.models import BpjsParticipant

Kind, Band, Status = MatchPair.Kind, MatchPair.Band, MatchPair.Status
BANDS = {"match": Band.MATCH, "possible": Band.POSSIBLE}
ENGINE_SHARE = (5, 85)  # the engine's 0..100 % shown as 5..85 % of the run


class PairError(ValueError):
    """A decision that cannot be taken as asked; the message says why, in Indonesian."""


class StalePair(PairError):
    """Someone decided this pair after the page was shown; the message says who."""


# --- runs --------------------------------------------------------------------------------------------


def request_run(*, user=None, trigger: str = MatchRun.Trigger.MANUAL) -> MatchRun:
    """Queue a run for the background worker; a run still waiting for the worker is reused (it will see
    everything stored by then), so a burst of uploads makes one run, not many. Only a run the user may see
    is reused: another pemda's waiting run would hide this user's run from their page."""
    waiting = MatchRun.objects.visible_to(user).filter(status=MatchRun.Status.QUEUED).order_by("pk").first()
    if waiting is not None:
        return waiting
    run = MatchRun.objects.create(started_by=user, trigger=trigger)
    from lindung.linkage.tasks import run_matching_task

    transaction.on_commit(lambda: run_matching_task.enqueue(run.pk))
    return run


def latest_run(user=None) -> MatchRun | None:
    """The newest run (that the user may see, when a user is given)."""
    return MatchRun.objects.visible_to(user).select_related("started_by").order_by("-created_at", "-id").first()


def run_matching(run: MatchRun) -> MatchRun:
    """Every candidate and every BPJS participant through the engine; pairs stored, effects applied.

    The engine reads outside any transaction (it may take a minute); the writing is one transaction, so a
    failure leaves the previous pairs as they were. Re-running on the same data changes nothing."""
    this = MatchRun.objects.filter(pk=run.pk)
    this.update(status=MatchRun.Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now(), error="")
    run.status = MatchRun.Status.RUNNING
    try:
        with jobs.heartbeat(this):
            result, counts = _match(run)
            run.set_progress(ENGINE_SHARE[1], "Menyimpan pasangan yang ditemukan")
            with transaction.atomic():
                stored = store_pairs(run, result)
                # The engine changed these flags, not the person who clicked: their area is not every candidate's,
                # and another pemda's change history must not name them. The run is named instead.
                flagged, unflagged = sync_bpjs_flags(user=None, source=f"pencocokan data #{run.pk}")
                # "selesai" in the same transaction as the pairs: a kill leaves neither (then recover_stale).
                _finish(run, counts | stored | {"flagged": flagged, "unflagged": unflagged, "stats": dict(result.stats)})
    except Exception as exc:
        # Never leave the page polling a run that no worker will finish.
        MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.FAILED, progress=100, progress_text="Gagal",
                                                  error=f"Pencocokan gagal; pasangan sebelumnya tidak berubah. ({exc})"[:2000],
                                                  finished_at=timezone.now())
        raise
    run.refresh_from_db()
    return run


def _match(run: MatchRun):
    from lindung.matching.run import match_records
    from lindung.matching.types import MatchResult

    run.set_progress(1, "Membaca data calon dan peserta BPJS")
    candidates, participants = records.candidate_table(), records.participant_table()
    counts = {"candidates": candidates.num_rows, "participants": participants.num_rows}
    run.set_progress(2, f"Membaca {format_number(candidates.num_rows)} calon dan "
                        f"{format_number(participants.num_rows)} peserta BPJS")
    if candidates.num_rows < 2 and not (candidates.num_rows and participants.num_rows):
        return MatchResult(links=[], duplicates=[], clusters={}), counts
    low, high = ENGINE_SHARE

    def progress(percent: int, text: str) -> None:
        run.set_progress(low + (high - low) * max(0, min(percent, 100)) // 100, text)

    return match_records(candidates, participants if participants.num_rows else None, progress=progress,
                         memory_mb=settings.MATCHING_MEMORY_MB, temp_dir=settings.MATCHING_TEMP_DIR or None), counts


def _finish(run: MatchRun, values: dict) -> None:
    values = values | {"status": MatchRun.Status.DONE, "progress": 100, "progress_text": "Selesai",
                       "finished_at": timezone.now(),
                       "pairs_open": MatchPair.objects.open().count()}
    MatchRun.objects.filter(pk=run.pk).update(**values)


# --- storing pairs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    left: int
    right: int | None
    participant: int | None
    score: float
    band: str
    evidence: dict

    @property
    def key(self) -> tuple:
        return (self.left, self.right, self.participant)


def found_pairs(result) -> dict[tuple, Found]:
    """The engine's pairs keyed by (left candidate, right candidate, participant); the best score wins."""
    found: dict[tuple, Found] = {}
    for pair in [*result.duplicates, *result.links]:
        item = _found(pair)
        if item is not None and (item.key not in found or found[item.key].score < item.score):
            found[item.key] = item
    return found


def _found(pair) -> Found | None:
    (kind_a, a), (kind_b, b) = records.parse_id(pair.left), records.parse_id(pair.right)
    band = BANDS[pair.band]
    if kind_a == kind_b == records.CANDIDATE:
        if a == b:
            return None
        return Found(min(a, b), max(a, b), None, pair.score, band, dict(pair.evidence))
    if {kind_a, kind_b} == {records.CANDIDATE, records.PARTICIPANT}:
        candidate, participant = (a, b) if kind_a == records.CANDIDATE else (b, a)
        return Found(candidate, None, participant, pair.score, band, dict(pair.evidence))
    return None


def store_pairs(run: MatchRun, result) -> dict:
    """Upsert the run's pairs: undecided pairs follow the engine, decided ones are left exactly as they are,
    undecided pairs the engine no longer finds are removed. Returns the run's counts.

    Memory follows the pairs, not the programme: only the found pairs' candidates and participants are
    looked up, and the stored pairs are read as tuples (issue 18: a province's million candidates)."""
    found = found_pairs(result)
    program_of, pemda_of = _programmes_of({pk for f in found.values() for pk in (f.left, f.right) if pk})
    roster_pemda = dict(_in_parts(BpjsParticipant.objects.values_list("pk", "roster__pemda_id"), "pk",
                                  {f.participant for f in found.values() if f.participant}))
    found = {k: f for k, f in found.items()  # records deleted while the engine ran are skipped
             if f.left in program_of and (f.right in program_of if f.right else f.participant in roster_pemda)
             # a pemda's BPJS roster speaks only of that pemda's candidates (imports.roster)
             and (f.participant is None or roster_pemda[f.participant] == pemda_of[f.left])}
    fields = ("pk", "left_id", "right_id", "participant_id", "status", "score", "band", "evidence")
    existing = {(left, right, participant): (pk, status, (score, band, evidence))
                for pk, left, right, participant, status, score, band, evidence
                in MatchPair.objects.select_for_update().order_by().values_list(*fields)}
    new, changed, same = [], [], []
    for key, item in found.items():
        pair = existing.get(key)
        if pair is None:
            new.append(_new_pair(run, item, program_of))
        elif pair[1] not in DECIDED:
            status = _status_for(item.band, item.score)
            if (pair[1], pair[2]) == (status, (item.score, item.band, item.evidence)):
                same.append(pair[0])  # only the run that last found it changes
            else:
                changed.append(MatchPair(pk=pair[0], score=item.score, band=item.band, evidence=item.evidence,
                                         status=status, run=run, updated_at=timezone.now()))
    gone = [pk for key, (pk, status, _) in existing.items() if key not in found and status not in DECIDED]
    del existing
    MatchPair.objects.bulk_create(new, batch_size=1000)
    MatchPair.objects.bulk_update(changed, ["score", "band", "evidence", "status", "run", "updated_at"], batch_size=1000)
    for part in _parts(same):
        MatchPair.objects.filter(pk__in=part).update(run=run, updated_at=timezone.now())
    for part in _parts(gone):
        MatchPair.objects.filter(pk__in=part).delete()
    return {"pairs_found": len(found), "pairs_new": len(new), "pairs_removed": len(gone)}


PART = 5000  # values per IN (...): under SQLite's variable limit, and short statements on PostgreSQL


def _parts(values) -> list[list]:
    values = sorted(values)
    return [values[i:i + PART] for i in range(0, len(values), PART)]


def _in_parts(queryset, field: str, values):
    """The rows of `queryset` whose `field` is in `values`, asked PART values at a time."""
    for part in _parts(values):
        yield from queryset.filter(**{f"{field}__in": part})


def _programmes_of(candidate_pks) -> tuple[dict[int, int], dict[int, str]]:
    """Programme and pemda of each of these candidates (the found pairs' own, never the whole table)."""
    program_of, pemda_of = {}, {}
    rows = Candidate.objects.values_list("pk", "program_id", "program__pemda_id")
    for pk, program, pemda in _in_parts(rows, "pk", candidate_pks):
        program_of[pk], pemda_of[pk] = program, pemda
    return program_of, pemda_of


def _kind(item: Found, program_of: dict[int, int]) -> str:
    if item.participant is not None:
        return Kind.BPJS
    return Kind.DUPLIKAT if program_of[item.left] == program_of[item.right] else Kind.LINTAS


def _status_for(band: str, score: float) -> str:
    """Only a sure pair in the band whose precision is at least 0,97 on every benchmark set acts without a
    person (duplikat, sudah terdaftar, konflik: Thresholds.auto); any other pair waits for a reviewer."""
    return Status.AUTO if band == Band.MATCH and score >= Thresholds().auto else Status.OPEN


def _new_pair(run: MatchRun, item: Found, program_of: dict[int, int]) -> MatchPair:
    return MatchPair(kind=_kind(item, program_of), left_id=item.left, right_id=item.right, participant_id=item.participant,
                     score=item.score, band=item.band, evidence=item.evidence, status=_status_for(item.band, item.score), run=run)


# --- BPJS flags (R10) --------------------------------------------------------------------------------


def sync_bpjs_flags(candidate_ids=None, *, user=None, source: str = "pencocokan data") -> tuple[int, int]:
    """Flag candidates linked to a BPJS participant (sure, or decided *sama*) with its KPJ and segmen, and
    lift a flag nothing supports any more (a pair decided *berbeda*, a link the engine no longer finds).
    A candidate whose NIK is on a roster of its programme's pemda stays flagged whatever the pairs say
    (imports.roster); another pemda's roster never flags it. Returns (flagged, unflagged); each change is in
    the audit trail."""
    wanted = _wanted_flags(candidate_ids)
    current = Candidate.objects.exclude(bpjs_kpj="") if candidate_ids is None else Candidate.objects.filter(pk__in=candidate_ids)
    on_roster = _niks_on_roster(current)
    # In parts: a province's roster flags tens of thousands at once, past SQLite's 32.766 variables.
    flag_fields = ("pk", "bpjs_kpj", "bpjs_segmen")
    to_flag = _in_parts(Candidate.objects.filter(bpjs_kpj="").only(*flag_fields).order_by(), "pk", wanted)
    to_clear = [c for c in current.exclude(bpjs_kpj="").select_related("program")
                .only(*flag_fields, "nik", "program__pemda_id") if c.pk not in wanted and (c.program.pemda_id, c.nik) not in on_roster]
    entries, changed = [], []
    for candidate in to_flag:
        kpj, segmen = wanted[candidate.pk]
        entries.append(_flag_change(candidate, kpj, segmen, user, f"{source}: sudah terdaftar BPJS"))
        changed.append(candidate)
    for candidate in to_clear:
        entries.append(_flag_change(candidate, "", "", user, f"{source}: tanda sudah terdaftar BPJS dicabut"))
        changed.append(candidate)
    from lindung.accounts.models import AuditEntry

    # A few hundred rows per UPDATE, not one statement per candidate (a province roster flags tens of thousands).
    Candidate.objects.bulk_update(changed, ["bpjs_kpj", "bpjs_segmen"], batch_size=500)
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries) - len(to_clear), len(to_clear)


def _wanted_flags(candidate_ids) -> dict[int, tuple[str, str]]:
    pairs = MatchPair.objects.filter(kind=Kind.BPJS, participant__roster__pemda_id=F("left__program__pemda_id")).same_person()
    if candidate_ids is not None:
        pairs = pairs.filter(left__in=candidate_ids)
    wanted: dict[int, tuple[str, str]] = {}
    for pk, kpj, segmen in pairs.order_by("-score", "pk").values_list("left_id", "participant__kpj", "participant__segmen"):
        wanted.setdefault(pk, (kpj, segmen))
    return wanted


def _niks_on_roster(candidates) -> set[tuple[str, str]]:
    """(pemda, NIK) of the flagged candidates' NIKs found on a roster of that pemda."""
    niks = list(candidates.exclude(bpjs_kpj="").values_list("nik", flat=True))
    found: set[tuple[str, str]] = set()
    for start in range(0, len(niks), 5000):
        found.update(BpjsParticipant.objects.filter(nik__in=niks[start:start + 5000])
                     .values_list("roster__pemda_id", "nik"))
    return found


def _flag_change(candidate: Candidate, kpj: str, segmen: str, user, note: str):
    """Set the flag on the object (saved by the caller, in bulk) and return its audit entry."""
    old = {"bpjs_kpj": candidate.bpjs_kpj, "bpjs_segmen": candidate.bpjs_segmen}
    candidate.bpjs_kpj, candidate.bpjs_segmen = kpj, segmen[:40]
    return change_entry(user, candidate, old=old, new={"bpjs_kpj": kpj, "bpjs_segmen": segmen[:40]}, note=note)


# --- decisions ---------------------------------------------------------------------------------------


def decide_pair(pair: MatchPair, *, version: int, decision: str, alasan: str, user) -> MatchPair:
    """A reviewer's *sama* or *berbeda*, with a reason. The version the reviewer saw must still be current:
    a pair someone else decided meanwhile is refused and the message names who."""
    alasan = (alasan or "").strip()
    if decision not in (Status.SAME, Status.DIFFERENT):
        raise PairError("Pilih keputusan: sama atau berbeda.")
    if not alasan:
        raise PairError("Tuliskan alasan keputusan.")
    old = {"status": pair.status, "alasan": pair.alasan}
    with transaction.atomic():
        _check_splits(pair, decision)
        updated = MatchPair.objects.filter(pk=pair.pk, version=version).update(
            status=decision, alasan=alasan[:255], decided_by=user, decided_at=timezone.now(), version=F("version") + 1)
        if not updated:
            pair.refresh_from_db()
            raise StalePair(stale_message(pair))
        pair.refresh_from_db()
        record_change(user, pair, old=old, new={"status": pair.status, "alasan": pair.alasan},
                      note=f"keputusan pencocokan ({pair.get_kind_display().lower()})")
        if pair.kind == Kind.BPJS:
            sync_bpjs_flags([pair.left_id], user=user)
    return pair


def _check_splits(pair: MatchPair, decision: str) -> None:
    """*Berbeda* on a duplicate pair whose two candidates other same-person pairs still join would be saved
    and change nothing: the group (duplicates.groups_for, a connected component) stays whole and one of
    them can still be set aside as the other's duplicate. Refused, naming the pairs that join them."""
    from lindung.linkage import duplicates

    if decision != Status.DIFFERENT or pair.kind != Kind.DUPLIKAT:
        return
    chain = duplicates.chain_besides(pair)
    if chain:
        raise PairError(duplicates.chain_message(pair, chain))


def stale_message(pair: MatchPair) -> str:
    if pair.decided_by_id is None:
        return "Pasangan ini sudah berubah; muat ulang halaman lalu putuskan lagi."
    who = pair.decided_by.get_full_name() or pair.decided_by.username
    when = f"{format_date(pair.decided_at)} {timezone.localtime(pair.decided_at):%H.%M}"
    return (f"Pasangan ini sudah diputuskan «{pair.get_status_display()}» oleh {who} pada {when}. "
            "Keputusan Anda tidak disimpan; muat ulang halaman.")
