"""A bulk verification decision as a background job (lindung.background): *semua* over a province's
queue, or more ticked candidates than a request should decide (views.SYNC_LIMIT)."""

from __future__ import annotations

import logging

from django.db import OperationalError, connection, transaction

from lindung.background.models import Job
from lindung.background.runner import JobRefused, Outcome, Progress, finish
from lindung.verification import services
from lindung.verification.models import BeritaAcara

log = logging.getLogger(__name__)


def decide_job(job: Job, progress: Progress) -> None:
    p, program, user = job.params, job.program, job.user
    berita_acara = BeritaAcara.objects.filter(pk=p.get("berita_acara")).first() if p.get("berita_acara") else None
    try:
        if user is None:
            raise JobRefused("Akun yang memulai keputusan ini sudah dihapus; tidak ada yang diputuskan.")
        _decide(job, progress, program, user, berita_acara)
    except Exception:
        _drop(berita_acara)  # the decision rolled back: no decision rests on it
        raise


def _decide(job, progress, program, user, berita_acara) -> None:
    p = job.params
    progress(text="Membaca calon yang menunggu keputusan Anda")
    # The verifier's queue as it is now, within their area and levels, as the page's filter had it.
    pending = services.pending_for(user, program)
    details = []
    shown = services.Shown.from_params(p) if p.get("semua") else None
    if p.get("semua"):
        if p.get("desa"):
            pending = pending.filter(desa_id=p["desa"])
        if shown is not None:  # the page's candidates only (views._apply)
            pending = services.still_shown(program, pending, shown)
        chosen = services.chosen_pending(pending)
    else:
        chosen, gone = services.chosen_selected(pending, {int(pk): int(version) for pk, version in p["calon"]})
        details += services.gone_messages(user, program, gone)
    if not chosen and shown is not None:
        raise JobRefused(services.shown_gone_message(user, program, shown, p.get("desa", ""),
                                                     lambda at: _earlier(job, at)))
    if not chosen and p.get("semua"):
        raise JobRefused(services.nothing_pending_message(user, program, lambda at: _earlier(job, at)))
    if not chosen:
        raise JobRefused("Tidak ada lagi calon pilihan Anda yang menunggu keputusan. " + " ".join(details[:3]))
    progress.announce(f"Menyimpan keputusan untuk {len(chosen)} calon")
    try:
        result = _save(job, progress, chosen, details, berita_acara)
    except services.DecisionError as exc:
        raise JobRefused(str(exc)) from None
    if not result.decided:
        _drop(berita_acara)


DEADLOCK_MESSAGE = ("Keputusan belum disimpan: dua kali bertabrakan dengan keputusan lain atas calon yang sama yang "
                    "disimpan pada saat yang sama. Tidak ada yang berubah; kirim ulang keputusan Anda.")


def _save(job, progress, chosen, details, berita_acara) -> services.BulkResult:
    """The decision and *selesai* in one transaction. A deadlock (PostgreSQL: with a decision made in a page
    request at the same moment) rolled it all back: it is tried once more, then refused in words."""
    p, program, user = job.params, job.program, job.user
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                _one_at_a_time(program, progress)
                result = services.decide_bulk(candidates=chosen, decision=p["keputusan"], reason=p.get("alasan", ""),
                                              note=p.get("catatan", ""), user=user, berita_acara=berita_acara,
                                              progress=progress)
                earlier = _earlier(job, result.own_at) if result.own else ""  # read now: it may have finished
                message = (services.decided_message(program, chosen, result.decided, p["keputusan"]) if result.decided
                           else services.nothing_decided_message(result, earlier))
                finish(job, progress, Outcome(message, details + services.stale_summary(result, earlier)))
            return result
        except OperationalError as exc:
            if getattr(exc.__cause__, "sqlstate", None) != DEADLOCK:
                raise
            if attempt == 2:
                raise JobRefused(DEADLOCK_MESSAGE) from None
            log.warning("keputusan massal %s: deadlock, diulang sekali", job.pk)


DEADLOCK = "40P01"  # PostgreSQL's deadlock_detected
# pg_advisory_xact_lock(key, programme): the first key says "bulk verification decision" (any constant not
# used by another lock of this database).
LOCK_KEY = 18_0011


def _one_at_a_time(program, progress) -> None:
    """PostgreSQL: bulk decisions of one programme run one after the other. Two over overlapping candidates
    update them (and the counter rows their triggers keep) in list order, not primary-key order, so two at
    once could each wait for a row the other holds. Taken inside the transaction, released at its end; the
    second job then finds what the first decided and names it. SQLite's write lock already serialises them."""
    if connection.vendor != "postgresql":
        return
    progress(text="Menunggu keputusan massal lain di program ini selesai")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_KEY, program.pk])


def _earlier(job, at) -> str:
    """The same user's earlier bulk decision job in this programme that was running at `at` (when their own
    decision of the candidates was made), in words; empty when it was none (e.g. a decision in a page)."""
    if job.user_id is None or at is None:
        return ""
    mine = Job.objects.filter(kind=Job.Kind.DECIDE, program_id=job.program_id, user_id=job.user_id, pk__lt=job.pk)
    before = (mine.filter(started_at__lte=at).exclude(finished_at__lt=at).exclude(state=Job.State.FAILED)
              .order_by("-pk").first())
    if before is None:
        return ""
    state = "masih berjalan" if before.is_running else f"selesai {services.when(before.finished_at)}"
    return f"keputusan yang Anda kirim {services.when(before.created_at)} ({state})"


def _drop(berita_acara) -> None:
    if berita_acara is not None:
        berita_acara.file.delete(save=False)
        berita_acara.delete()
