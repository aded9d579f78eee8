"""Two bulk decisions over overlapping candidates at the same moment (PostgreSQL): both finish, none is
rolled back by a deadlock, every candidate is decided once.

They write candidates in list order (desa, nama), not primary-key order, and the counter triggers lock
the programme's tally rows after each statement; two jobs at once could each wait for a row the other
held, and PostgreSQL rolled one back. The setting below makes that happen every time: a desa operator
decides two levels (RT/RW and desa), so job A writes two statements — Ani at the desa level (which locks
the tally row "calon at the desa level"), then Bambang and Budi at RT/RW — and another session holds
Bambang, so A stops between them. Job B (Budi alone, at RT/RW) then locks Budi and waits for that tally
row; when Bambang is let go, A waits for Budi. SQLite runs one writer at a time: nothing to test there."""

import threading
import time

import pytest
from django.db import connection, transaction

from lindung.background import runner
from lindung.background.models import Job
from lindung.background.tasks import handlers
from lindung.imports.models import Candidate
from lindung.registry.models import Person
from lindung.test import DESA_A
from lindung.verification.models import VerificationDecision
from lindung.verification.services import when


def _candidate(program, nama: str, level: int, serial: int) -> Candidate:
    nik = f"210201170890{serial:04d}"
    person = Person.objects.create(nik=nik, nama=nama)
    return Candidate.objects.create(program=program, person=person, desa_id=DESA_A, nik=nik, nama=nama,
                                    pekerjaan="nelayan", level_index=level)


def _in_thread(target) -> threading.Thread:
    def run():
        try:
            target()
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _wait_for_lock_waits(n: int, timeout: float = 30) -> None:
    """Until `n` sessions of this database wait for a lock (a row, a tally row or the advisory lock)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            if cursor.fetchone()[0] >= n:
                return
        time.sleep(0.05)
    raise AssertionError(f"{n} sesi tidak kunjung menunggu kunci")


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_bulk_decisions_at_once_both_finish(people):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite: one writer at a time, two bulk decisions never overlap")
    program = people.program_a
    program.tingkat_verifikasi = ["rt_rw", "desa"]
    program.save()
    ani, bambang, budi = _candidate(program, "Ani", 1, 1), _candidate(program, "Bambang", 0, 2), _candidate(program, "Budi", 0, 3)
    seen = lambda *cs: [[c.pk, c.version] for c in cs]  # noqa: E731
    job_a = runner.start(Job.Kind.DECIDE, program=program, user=people.desa_a,
                         params={"calon": seen(ani, bambang, budi), "keputusan": "layak"})
    job_b = runner.start(Job.Kind.DECIDE, program=program, user=people.desa_a,
                         params={"calon": seen(budi), "keputusan": "layak"})
    held, let_go = threading.Event(), threading.Event()

    def hold_bambang():
        with transaction.atomic():
            Candidate.objects.select_for_update().get(pk=bambang.pk)
            held.set()
            let_go.wait(60)

    holder = _in_thread(hold_bambang)
    assert held.wait(30)
    first = _in_thread(lambda: runner.run(job_a.pk, handlers()))
    _wait_for_lock_waits(1)  # A, stopped at Bambang
    second = _in_thread(lambda: runner.run(job_b.pk, handlers()))
    _wait_for_lock_waits(2)  # and B
    let_go.set()
    for thread in (holder, first, second):
        thread.join(120)
    job_a.refresh_from_db()
    job_b.refresh_from_db()
    assert (job_a.state, job_a.message) == (Job.State.DONE, "3 calon diputuskan layak dan diteruskan ke tingkat berikutnya.")
    assert job_b.state == Job.State.DONE  # read Budi before A saved, then waited for A: decided none, says whose
    assert job_b.message == (f"Tidak ada calon yang diputuskan: semuanya sudah Anda putuskan sendiri lewat keputusan yang "
                             f"Anda kirim {when(job_a.created_at)} (selesai {when(job_a.finished_at)}). Keputusan ini "
                             "tidak disimpan dua kali.")
    assert "sudah Anda putuskan sendiri layak pada tingkat RT/RW" in " ".join([job_b.message, *job_b.details])
    assert VerificationDecision.objects.filter(candidate=budi).count() == 1
    assert VerificationDecision.objects.count() == 3
