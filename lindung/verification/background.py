"""A bulk verification decision as a background job (lindung.background): *semua* over a province's
queue, or more ticked candidates than a request should decide (views.SYNC_LIMIT)."""

from __future__ import annotations

from django.db import transaction

from lindung.background.models import Job
from lindung.background.runner import JobRefused, Outcome, Progress, finish
from lindung.verification import services
from lindung.verification.models import BeritaAcara


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
    if p.get("semua"):
        if p.get("desa"):
            pending = pending.filter(desa_id=p["desa"])
        chosen = services.chosen_pending(pending)
    else:
        chosen, gone = services.chosen_selected(pending, {int(pk): int(version) for pk, version in p["calon"]})
        details += services.gone_messages(user, program, gone)
    if not chosen:
        raise JobRefused(services.nothing_pending_message(user, program) if p.get("semua")
                         else "Tidak ada lagi calon pilihan Anda yang menunggu keputusan. " + " ".join(details[:3]))
    progress.announce(f"Menyimpan keputusan untuk {len(chosen)} calon")
    try:
        with transaction.atomic():
            result = services.decide_bulk(candidates=chosen, decision=p["keputusan"], reason=p.get("alasan", ""),
                                          note=p.get("catatan", ""), user=user, berita_acara=berita_acara,
                                          progress=progress)
            details += services.stale_summary(result)
            message = (services.decided_message(program, chosen, result.decided, p["keputusan"]) if result.decided
                       else "Tidak ada calon yang diputuskan: semuanya sudah diputuskan pengguna lain.")
            finish(job, progress, Outcome(message, details))
    except services.DecisionError as exc:
        raise JobRefused(str(exc)) from None
    if not result.decided:
        _drop(berita_acara)


def _drop(berita_acara) -> None:
    if berita_acara is not None:
        berita_acara.file.delete(save=False)
        berita_acara.delete()
