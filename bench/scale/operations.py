"""Time the heavy operations on a programme built by load_data.py; each in its own process for a true peak RSS.

    SQLITE_PATH=/tmp/skala.sqlite3 DEBUG=1 .venv/bin/python bench/scale/operations.py --n 200000 --op all

Operations (they change the data: run on a scratch database, `cohort` last):
  import  — a 300-row desa list (150 people already in the programme, 150 new) validated and committed
  decide  — *semua* layak at the Disnaker level over the whole queue (10 % of N), through decide_bulk
  cohort  — the cohort dropped and formed again (seats for 60 % of N, the rest of the verified waiting)
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")

OPS = ("import", "decide", "cohort")


def _setup():
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from lindung.programs.models import Program

    return get_user_model().objects.get(username="skala.disnaker"), Program.objects.get(slug=f"skala-{ARGS.n}")


def op_import(user, program) -> str:
    from lindung.imports import services
    from lindung.imports.models import Candidate
    from lindung.imports.tests.test_flow import xlsx_bytes
    from django.core.files.uploadedfile import SimpleUploadedFile

    old = list(Candidate.objects.filter(program=program).order_by("pk")[:150])
    rows = [[c.nik, c.nama.title(), c.tanggal_lahir, c.jenis_kelamin, c.desa_id, "Petani", "", ""] for c in old]
    desa = old[0].desa_id
    for i in range(150):
        born = date(1980 + i % 20, 1 + i % 12, 1 + i % 28)
        rows.append([f"{desa[:8].replace('.', '')}{born.day:02d}{born.month:02d}{born.year % 100:02d}{9000 + i:04d}",
                     f"Warga Baru {i}", born, "L", desa, "Petani", "", ""])
    batch = services.start_import(program=program, user=user, upload=SimpleUploadedFile("desa.xlsx", xlsx_bytes(rows)),
                                  enqueue=False)
    services.run_validation(batch)
    batch.refresh_from_db()
    counts = services.commit(batch, user=user)
    return f"{batch.rows_total} baris: {counts.created} baru, {counts.updated} berubah, {counts.unchanged} tetap"


def op_decide(user, program) -> str:
    from lindung.verification import services

    pending = list(services.pending_for(user, program))
    result = services.decide_bulk(candidates=pending, decision="layak", user=user)
    return f"{result.decided} diputuskan layak"


def op_cohort(user, program) -> str:
    from lindung.enrolment import services
    from lindung.enrolment.models import Cohort

    from lindung.domain import iuran
    from lindung.domain.periods import Month

    from django.db import connection

    with connection.cursor() as cursor:  # the bench's own reset, not part of the timed operation's cost
        cursor.execute("DELETE FROM enrolment_enrolment WHERE cohort_id IN (SELECT id FROM enrolment_cohort WHERE program_id = %s)",
                       [program.pk])
    Cohort.objects.filter(program=program).delete()
    started = time.perf_counter()
    per_orang = iuran.iuran_total(orang=1, start=Month.of(program.mulai), bulan=2, pembayar=program.sumber_dana).total
    program.pagu = int(ARGS.n * 0.6) * per_orang  # seats for 60 % of N, as load_data.py seated them
    program.save(update_fields=["pagu"])
    cohort = services.form_cohort(program=program, user=user, bulan=2)
    return f"bentuk kohort {time.perf_counter() - started:.1f} s: {cohort.seated.count()} kursi dari {cohort.kursi}, {cohort.enrolments.count()} dalam kohort"


def run_one(op: str) -> None:
    user, program = _setup()
    started = time.perf_counter()
    text = globals()[f"op_{op}"](user, program)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{op:8} {seconds:8.1f} s {peak:8.0f} MB puncak  {text}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--op", choices=(*OPS, "all"), default="all")
    ARGS = parser.parse_args()
    if ARGS.op == "all":
        for op in OPS:
            subprocess.run([sys.executable, __file__, "--n", str(ARGS.n), "--op", op], check=False)
    else:
        run_one(ARGS.op)
