"""The renewal into a new budget year with its cohort formed at once (*Langsung bentuk kohort*) as a
background job (lindung.background): at a province's size carrying the roster and seating 600.000 people
is minutes of work, never a web request. One transaction: the new programme, its candidates, the cohort,
the KPJs kept and *selesai* commit together, or nothing does."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from lindung.background.models import Job
from lindung.background.runner import JobRefused, Outcome, Progress, finish
from lindung.enrolment.services import EnrolmentError
from lindung.protection import renewal


def renewal_job(job: Job, progress: Progress) -> None:
    p = job.params
    progress.announce("Membawa peserta ke program baru dan membentuk kohort")
    try:
        with transaction.atomic():
            result = renewal.renew(job.program, slug=p["slug"], pagu=p["pagu"], mulai=date.fromisoformat(p["mulai"]),
                                   selesai=date.fromisoformat(p["selesai"]), nama=p.get("nama", ""), user=job.user,
                                   form_cohort=True, progress=progress)
            finish(job, progress, Outcome(result.summary()))
    except (renewal.RenewalError, EnrolmentError) as exc:
        raise JobRefused(str(exc)) from None

