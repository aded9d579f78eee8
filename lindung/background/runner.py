"""Starting and running a `Job`: the page calls `start`, the worker `run`.

Each kind's handler does its whole write in one transaction together with *selesai* (so an error or a
kill leaves nothing half-written), reporting progress through a `Progress` while it works. The progress
and the heartbeat are written by a small thread on its own database connection (lindung.lib.jobs): on
PostgreSQL the page sees the bar move even while the job's transaction is open; SQLite write-locks the
whole file during that transaction, so there the page shows the text `Progress.announce` wrote just before
it, and the bar jumps at the end.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from lindung.background.models import Job
from lindung.lib import jobs

log = logging.getLogger(__name__)

FAILED_MESSAGE = "Proses gagal karena galat sistem; tidak ada data yang berubah. Laporkan ke admin bila terulang."


class JobRefused(Exception):
    """A handler's reason (Indonesian) for changing nothing: the job ends *gagal* with this message and its
    `details` (further lines, e.g. each problem of a file by row and column)."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.details = details or []


@dataclass
class Outcome:
    message: str
    details: list[str] = field(default_factory=list)


def start(kind: str, *, program, user, params: dict | None = None, text: str = "Menunggu giliran") -> Job:
    """A job row, queued for the worker once the current transaction commits."""
    from lindung.background.tasks import run_job_task

    job = Job.objects.create(kind=kind, program=program, user=user if getattr(user, "pk", None) else None,
                             params=params or {}, progress_text=text)
    transaction.on_commit(lambda: run_job_task.enqueue(job.pk))
    return job


class Progress:
    """done/total/text of a running job, kept in memory by the handler and written by the beat thread."""

    def __init__(self, job: Job):
        self.job_id = job.pk
        self.done, self.total, self.text = 0, 0, ""
        self._lock = threading.Lock()

    def __call__(self, done: int | None = None, total: int | None = None, text: str | None = None) -> None:
        with self._lock:
            if total is not None:
                self.total = total
            if done is not None:
                self.done = done
            if text is not None:
                self.text = text[:200]

    def announce(self, text: str) -> None:
        """The text at once, on the job's own connection, before its transaction begins: on SQLite the beat
        thread cannot write while that transaction holds the file, so this is what the page shows meanwhile."""
        self(text=text)
        Job.objects.filter(pk=self.job_id, state=Job.State.RUNNING).update(progress_text=text[:200],
                                                                           heartbeat_at=timezone.now())

    def add(self, n: int) -> None:
        with self._lock:
            self.done += n

    def values(self) -> dict:
        with self._lock:
            return {"done": self.done, "total": self.total, "progress_text": self.text}


PROGRESS_SECONDS = 1.0


def beating(progress: Progress):
    """Write the heartbeat and the progress every second from a thread with its own connection."""
    this = Job.objects.filter(pk=progress.job_id, state=Job.State.RUNNING)
    return jobs.heartbeat(this, "heartbeat_at", values=progress.values, every=PROGRESS_SECONDS)


def run(job_id: int, handlers: dict[str, Callable[[Job, Progress], None]]) -> None:
    """Run a waiting job once: claimed by one conditional UPDATE, so a second delivery does nothing."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=Job.State.WAITING).update(
        state=Job.State.RUNNING, started_at=now, heartbeat_at=now, progress_text="Dimulai")
    if not claimed:
        return
    job = Job.objects.select_related("program", "user").get(pk=job_id)
    progress = Progress(job)
    try:
        with beating(progress):
            handlers[job.kind](job, progress)
    except (JobRefused, PermissionDenied) as exc:  # a refusal in the domain's own (Indonesian) words
        _fail(job, str(exc), getattr(exc, "details", []))
    except Exception:
        log.exception("background job %s (%s) failed", job.pk, job.kind)
        _fail(job, FAILED_MESSAGE)


def finish(job: Job, progress: Progress, outcome: Outcome, **fields) -> None:
    """*selesai*: call inside the handler's transaction, so the data and the state commit together."""
    total = progress.values()["total"]
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.DONE, message=outcome.message, details=outcome.details[:50], heartbeat_at=None,
        finished_at=timezone.now(), done=total, total=total, progress_text="Selesai", **fields)


def _fail(job: Job, message: str, details: list[str] | None = None) -> None:
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, message=message, details=(details or [])[:50],
                                         heartbeat_at=None, finished_at=timezone.now(), progress_text="Gagal")
