"""Time the heavy operations on a programme built by load_data.py; each in its own process for a true peak RSS.

    SQLITE_PATH=/tmp/skala.sqlite3 DEBUG=1 .venv/bin/python bench/scale/operations.py --n 200000 --op all

Operations (they change the data: run on a scratch database, in this order):
  import     — a 300-row desa list (150 people already in the programme, 150 new) validated and committed
  decide     — *semua* layak at the Disnaker level over the whole queue (10 % of N): the page's POST queues a
               background job, `lindung db_worker --batch` runs it in this process (timed: the job's run)
  cohort     — the cohort dropped and formed again through its background job (seats for 60 % of N, the rest
               of the verified waiting), run by the worker in this process
  pengajuan  — *Ajukan ke BPJS* (the seated become *diajukan*) through its background job, then the BPJS
               pengajuan file (csv and xlsx) written by its job; prints the file sizes
  ajukan     — only *Ajukan ke BPJS* through its background job (the seated become *diajukan*; what
               `jawaban` needs on a database where nobody was submitted yet)
  lampiran   — the SK's lampiran xlsx of everyone seated, written by its background job; prints the size
  sk         — the SK penetapan PDF of everyone seated, queued as *Buat SK* queues it (make_sk_task) and run by
               the worker here, in volumes of SK_JILID_BARIS with SK_PROSES child processes; prints the
               volumes and the bytes stored
  jawaban    — the BPJS answer registering everyone awaiting it (a csv made from the database, not timed),
               checked and applied by its background job, read 5.000 rows at a time

The time printed for a job is the worker's (started_at → finished_at of its row) with the CPU seconds the
worker spent on it; the operation's line adds the wall time with the worker's start and the set-up, the CPU
seconds of the process and of its children (SQLite works inside the process, so its share is counted there;
SK_PROSES children are counted once they end; on a local PostgreSQL the server backend's CPU seconds, from
/proc, follow with "+"), two peaks: the process's own RSS and that of the whole process tree (children
included), sampled every 0,2 s, and the load average.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")

OPS = ("import", "decide", "cohort", "pengajuan", "lampiran", "jawaban")  # "all" runs these; also: ajukan, sk


class TreeRss:
    """Samples the summed RSS of this process and all its descendants (the SK's child processes) from /proc."""

    def __init__(self, every: float = 0.2):
        self.peak_mb = 0.0
        self._every, self._stop = every, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        root, last_print = os.getpid(), time.monotonic()
        while not self._stop.wait(self._every):
            mb = sum(_rss_kb(pid) for pid in _tree(root)) / 1024
            self.peak_mb = max(self.peak_mb, mb)
            if time.monotonic() - last_print >= 60:
                last_print = time.monotonic()
                print(f"    [{time.strftime('%H:%M:%S')}] RSS pohon proses {mb:.0f} MB (puncak {self.peak_mb:.0f} MB), "
                      f"beban {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak_mb


def _tree(root: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(parents.get(pid, []))
    return found


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _setup():
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a database built by an older load_data.py gets the new tables

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


def _run_job(kind: str, program, user, params: dict):
    """Queue a job as the page does and let the real worker run it here; returns the finished row."""
    from django.core.management import call_command

    from lindung.background import runner
    from lindung.background.models import Job

    job = runner.start(kind, program=program, user=user, params=params)
    before = _cpu()
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, verbosity=0)
    cpu = _cpu() - before
    job = Job.objects.get(pk=job.pk)
    seconds = (job.finished_at - job.started_at).total_seconds() if job.finished_at and job.started_at else float("nan")
    print(f"  proses {job.pk} {job.get_kind_display()}: {job.get_state_display()} dalam {seconds:.1f} s "
          f"({cpu:.1f} s CPU pekerja) — {job.message}", flush=True)
    return job


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def op_decide(user, program) -> str:
    from lindung.background.models import Job
    from lindung.verification import services

    waiting = services.pending_for(user, program).count()
    job = _run_job(Job.Kind.DECIDE, program, user, {"semua": True, "desa": "", "keputusan": "layak", "alasan": "",
                                                     "catatan": "", "berita_acara": None})
    return f"{waiting} menunggu; {job.message}"


def op_cohort(user, program) -> str:
    from lindung.background.models import Job
    from lindung.domain import iuran
    from lindung.domain.periods import Month
    from lindung.enrolment.models import Cohort

    from django.db import connection

    with connection.cursor() as cursor:  # the bench's own reset, not part of the timed operation's cost
        # A programme load_data.py billed (--lengkapi): its person-months name the enrolments (PROTECT).
        cursor.execute("UPDATE reconciliation_reconciliationline SET person_month_id = NULL WHERE person_month_id IN "
                       "(SELECT id FROM billing_personmonth WHERE program_id = %s)", [program.pk])
        cursor.execute("DELETE FROM billing_personmonth WHERE program_id = %s", [program.pk])
        cursor.execute("DELETE FROM enrolment_enrolment WHERE cohort_id IN (SELECT id FROM enrolment_cohort WHERE program_id = %s)",
                       [program.pk])
    Cohort.objects.filter(program=program).delete()
    per_orang = iuran.iuran_total(orang=1, start=Month.of(program.mulai), bulan=2, pembayar=program.sumber_dana).total
    program.pagu = int(ARGS.n * 0.6) * per_orang  # seats for 60 % of N, as load_data.py seated them
    program.save(update_fields=["pagu"])
    job = _run_job(Job.Kind.FORM_COHORT, program, user, {"mulai": None, "bulan": 2, "alasan_mulai": "",
                                                         "prioritas": "urutan_verifikasi"})
    cohort = Cohort.objects.get(program=program)
    return f"{job.message} {cohort.enrolments.count()} dalam kohort"


def op_pengajuan(user, program) -> str:
    from lindung.background.models import Job

    submitted = _run_job(Job.Kind.SUBMIT, program, user, {})  # *Ajukan ke BPJS*: the seated become diajukan
    sizes = [submitted.message.split(" (")[0]]
    for fmt in ("csv", "xlsx"):
        job = _run_job(Job.Kind.SUBMISSION, program, user, {"fmt": fmt})
        sizes.append(f"{fmt} {job.result.size / 1e6:.0f} MB" if job.result else f"{fmt} gagal")
    return ", ".join(sizes)


def op_ajukan(user, program) -> str:
    from lindung.background.models import Job

    return _run_job(Job.Kind.SUBMIT, program, user, {}).message


def op_sk(user, program) -> str:
    """*Buat SK* as the cohort page's POST does it (views.sk_make), then the worker runs make_sk_task here."""
    from django.conf import settings
    from django.core.management import call_command

    from lindung.enrolment import services
    from lindung.enrolment.models import Cohort
    from lindung.enrolment.tasks import make_sk_task

    cohort = services.latest_cohort(program)
    this = Cohort.objects.filter(pk=cohort.pk)
    this.update(nomor_sk="560/18/DISNAKER/2025", tanggal_sk=date(2025, 10, 20), penandatangan_nama="Drs. Bench, M.Si.")
    cohort.refresh_from_db()
    cohort.forget_sk()
    this.update(sk_pending=True, sk_heartbeat_at=None, sk_error="", sk_jilid_selesai=0, sk_jilid_total=0)
    make_sk_task.enqueue(cohort.pk)
    started = time.perf_counter()
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, verbosity=0)
    seconds = time.perf_counter() - started
    cohort.refresh_from_db()
    size = sum(cohort.sk_pdf.storage.size(name) for name in cohort.sk_files)
    return (f"proses SK {seconds:.1f} s: {len(cohort.sk_files)} jilid dari {cohort.sk_jilid_total} "
            f"({settings.SK_JILID_BARIS} orang, SK_PROSES={settings.SK_PROSES}), {size / 1e6:.1f} MB"
            + (f"; galat: {cohort.sk_error}" if cohort.sk_error else ""))


def op_lampiran(user, program) -> str:
    from lindung.background.models import Job
    from lindung.enrolment import services

    cohort = services.latest_cohort(program)
    job = _run_job(Job.Kind.LAMPIRAN, program, user, {"cohort": cohort.pk, "revision": cohort.sk_revision})
    return f"{job.result_rows} orang, {job.result.size / 1e6:.0f} MB" if job.result else "gagal"


def op_jawaban(user, program) -> str:
    from django.core.files import File
    from django.core.files.storage import default_storage

    from lindung.background.models import Job
    from lindung.enrolment import bpjs, services

    cohort = services.latest_cohort(program)
    niks = bpjs.awaiting_seated(cohort).order_by().values_list("candidate__nik", flat=True)
    # Written to a file line by line, so that the peak RSS is the job's, not this csv's.
    with tempfile.TemporaryFile() as handle:
        handle.write(b"NIK;Status;No. KPJ;Keterangan\n")
        for i, nik in enumerate(niks.iterator(chunk_size=10_000)):
            handle.write(f"{nik};Terdaftar;{21000000000 + i};\n".encode())
        handle.seek(0)
        stored = default_storage.save("jawaban/skala.csv", File(handle))
    job = _run_job(Job.Kind.RESPONSE, program, user, {"upload": stored, "filename": "jawaban-skala.csv"})
    return job.message + (f" ({job.details[:2]})" if job.details else "")


def _server_cpu() -> str:
    """PostgreSQL on this machine: the CPU seconds of this process's server backend (the job runs on the same
    connection), read from /proc; nothing for SQLite (it works inside this process) or a remote server."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return ""
    return f" + {(int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK'):.1f} s CPU server"


def run_one(op: str) -> None:
    user, program = _setup()
    load = os.getloadavg()[0]
    tree = TreeRss()
    started = time.perf_counter()
    text = globals()[f"op_{op}"](user, program)
    seconds = time.perf_counter() - started
    tree_peak = tree.stop()
    usage, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime
    peak = usage.ru_maxrss / 1024
    # CPU seconds too: on a shared machine the wall time says as much about the neighbours as about lindung
    # (with SQLite the database works in this process, so its CPU is counted; a local PostgreSQL server's
    # backend is added from /proc).
    print(f"{op:8} {seconds:8.1f} s {cpu:8.1f} s CPU{_server_cpu()} {peak:8.0f} MB puncak (pohon proses "
          f"{tree_peak:.0f} MB), beban {load:.1f} → {os.getloadavg()[0]:.1f}  {text}", flush=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--op", choices=(*OPS, "ajukan", "sk", "all"), default="all")
    ARGS = parser.parse_args()
    if ARGS.op == "all":
        for op in OPS:
            subprocess.run([sys.executable, __file__, "--n", str(ARGS.n), "--op", op], check=False)
    else:
        run_one(ARGS.op)
