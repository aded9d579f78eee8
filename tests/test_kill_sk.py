"""kill -9 of the worker while it makes an SK in volumes (issue 18): nothing half-stored is served, `lindung
siklus` returns the SK to the user with the Indonesian message, and the next job stores every volume and
deletes the volumes the killed one left behind.

The worker (`lindung db_worker`) runs in a subprocess against a database of its own (tests/test_kill.py's
Database: a SQLite file, or a fresh PostgreSQL database when DATABASE_URL names one), with two people per
volume so ten seated people make five volumes; it is killed once the first volume is stored.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.test_kill import LINDUNG, ROOT, STOPPED, database  # noqa: F401 (the fixture)

SETUP = """
import django
django.setup()
from datetime import date
from django.core.management import call_command
from lindung.enrolment.models import Cohort, Enrolment
from lindung.imports.models import Candidate, CandidateStatus
from lindung.registry.models import Person
from lindung.registry.services import load_regions
from lindung.test import make_program
call_command("migrate", verbosity=0)
load_regions(prefix="21.02")
program = make_program("uji-sk", "21.02")
cohort = Cohort.objects.create(program=program, mulai=date(2025, 11, 1), bulan=2, kursi=10, iuran_per_bulan=16800,
                               iuran_per_orang=33600, nomor_sk="560/7/DISNAKER/2025", tanggal_sk=date(2025, 10, 20),
                               penandatangan_nama="Budi Santoso")
for i in range(10):
    nik = f"2102011505{80 + i:02d}{i + 1:04d}"
    person = Person.objects.create(nik=nik, nama=f"Warga {i + 1}", tanggal_lahir=date(1980 + i, 5, 15), jenis_kelamin="L")
    candidate = Candidate.objects.create(program=program, person=person, desa_id="21.02.01.2004", nik=nik,
                                         nama=f"Warga {i + 1}", tanggal_lahir=date(1980 + i, 5, 15), jenis_kelamin="L",
                                         pekerjaan="nelayan", status=CandidateStatus.TERVERIFIKASI, source_row=i + 1)
    Enrolment.objects.create(cohort=cohort, candidate=candidate, urutan=i + 1, state=Enrolment.State.SEATED)
"""

ENQUEUE = """
import django
django.setup()
from lindung.enrolment.models import Cohort
from lindung.enrolment.tasks import make_sk_task
cohort = Cohort.objects.get()
cohort.forget_sk()  # what *Buat SK* does (lindung.enrolment.views.sk_make)
Cohort.objects.filter(pk=cohort.pk).update(sk_pending=True, sk_heartbeat_at=None, sk_error="")
make_sk_task.enqueue(cohort.pk)
"""

WORKER = [LINDUNG, "db_worker", "--batch", "--no-startup-delay", "--interval", "0.1"]


def _stored(media: Path) -> set[str]:
    folder = media / "sk"
    return {f"sk/{p.name}" for p in folder.iterdir()} if folder.exists() else set()


def test_a_worker_killed_between_volumes_leaves_nothing_served_and_the_next_job_cleans_up(database, tmp_path):
    database.env["SK_JILID_BARIS"] = "2"
    media = Path(database.env["MEDIA_ROOT"])
    database.run(sys.executable, "-c", SETUP)
    database.run(sys.executable, "-c", ENQUEUE)
    job = subprocess.Popen(WORKER, env=database.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        while (database.one("SELECT sk_jilid_selesai FROM enrolment_cohort")[0] or 0) < 1:
            assert job.poll() is None, job.stderr.read().decode()[-2000:]
            time.sleep(0.02)
        os.kill(job.pid, signal.SIGKILL)
    finally:
        job.kill()
        job.wait()
    assert job.returncode == -signal.SIGKILL

    pending, pdf, done, total = database.one(
        "SELECT sk_pending, sk_pdf, sk_jilid_selesai, sk_jilid_total FROM enrolment_cohort")
    assert bool(pending) and not pdf and total == 5 and 1 <= done < 5  # killed mid-way: nothing to download
    left = _stored(media)
    assert left  # the killed job's volumes: on disk, named by nothing

    time.sleep(1.2)  # past JOB_STALE_SECONDS=1 without a heartbeat
    out = json.loads(database.run(LINDUNG, "siklus", "--json").stdout)
    assert out["terhenti"]["sk"] == 1
    pending, error = database.one("SELECT sk_pending, sk_error FROM enrolment_cohort")
    assert not pending and error == STOPPED

    database.run(sys.executable, "-c", ENQUEUE)  # Buat SK, again
    database.run(*WORKER, timeout=300)
    pending, pdf, volumes = database.one("SELECT sk_pending, sk_pdf, sk_jilid FROM enrolment_cohort")
    names = json.loads(volumes) if isinstance(volumes, str) else volumes
    assert not pending and pdf == names[0] and len(names) == 5
    assert _stored(media) == set(names) and not (left & set(names))
