"""Heartbeats for background jobs, so a job killed mid-way (kill -9, OOM, a reboot) is noticed.

A job writes `now` into its row's heartbeat column when it starts and then, from a small thread with its
own database connection, every JOB_STALE_SECONDS / 4 while it works. A row still marked running whose
heartbeat is older than JOB_STALE_SECONDS belongs to a dead job: the page that polls it, and
`lindung siklus`, put it back in a state the user can act on (each model's `recover_stale`).

A heartbeat of NULL means "waiting in the queue, not started": never stale, the worker will get to it.

Why a thread: the import commit is one long transaction; a heartbeat written inside it is invisible to
others until it commits. On PostgreSQL the thread's own connection updates the row meanwhile. On SQLite
the whole file is write-locked during the commit, so the thread's beat waits — and so does any
recovery, which is a write too: a live SQLite commit can never be recovered under its feet.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

STOPPED_MESSAGE = "Proses terhenti sebelum selesai; tidak ada data yang tersimpan. Silakan ulangi."


def stale_after() -> timedelta:
    return timedelta(seconds=settings.JOB_STALE_SECONDS)


def stale_cutoff():
    """Heartbeats older than this are from a dead job."""
    return timezone.now() - stale_after()


def beat_interval() -> float:
    return max(0.2, settings.JOB_STALE_SECONDS / 4)


@contextmanager
def heartbeat(queryset, field: str = "heartbeat_at", *, values=None, every: float | None = None):
    """Keep `field` of the rows of `queryset` at `now` while the block runs (from a daemon thread), with
    `values()` (e.g. a job's progress) written in the same UPDATE, every `every` seconds at most."""
    stop = threading.Event()
    interval = min(every, beat_interval()) if every else beat_interval()

    def beat() -> None:
        try:
            while not stop.wait(interval):
                try:
                    queryset.update(**{field: timezone.now()}, **(values() if values else {}))
                except DatabaseError:
                    pass  # SQLite busy with the job's own write: the next beat goes through after it
        finally:
            connection.close()  # this thread's connection; never left open to block dropping a test database

    thread = threading.Thread(target=beat, name="lindung-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=interval + 1)


def recover(queryset, values: dict) -> int:
    """Apply `values` to the stale rows of `queryset` in one conditional UPDATE (so a job that finished
    meanwhile is left alone); returns how many rows were recovered. A database busy with a live job's
    write (SQLite) recovers nothing this time."""
    try:
        if not queryset.exists():  # the usual case, read-only: nothing stale
            return 0
        with _short_sqlite_wait():
            return queryset.update(**values)
    except DatabaseError:
        return 0


@contextmanager
def _short_sqlite_wait(milliseconds: int = 500):
    """On SQLite a recovery waiting for the write lock means a live job holds it: give up quickly (the
    page that polls asks again in a second) instead of holding the request for the whole busy timeout."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    normal = int(float(connection.settings_dict.get("OPTIONS", {}).get("timeout", 5)) * 1000)
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA busy_timeout = {int(milliseconds)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {normal}")
