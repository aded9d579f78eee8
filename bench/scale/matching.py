"""Time the matching job as the worker runs it, on a programme built by load_data.py: wall time, peak RSS, stages.

    SQLITE_PATH=/tmp/skala.sqlite3 DEBUG=1 .venv/bin/python bench/scale/matching.py [--roster 50000]
    DATABASE_URL=postgres://postgres@127.0.0.1:55433/lindung_skala DEBUG=1 .venv/bin/python bench/scale/matching.py

One MatchRun is created and run through `linkage.tasks.run_matching_task` in this process (the worker's code
path: every candidate and BPJS participant read from the database, the engine, the pairs written back). While
it runs, a thread prints each change of the run's progress with the seconds since the start and the process's
resident memory then; at the end the wall time, the peak RSS (DuckDB runs in this process, so it is
included), the load average of the machine before and after (it is shared), and the run's counts.
`--roster N` first loads a BPJS roster of the province with N participants (once per database): every
(1.000.000 / N)-th candidate by id with the same NIK and birth date and the name in capitals, so the run
also links a roster and stores and flags N pairs. Not a test: it asserts nothing. It writes pairs and flags:
run it on a scratch database.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")


def rss_mb() -> float:
    """This process's resident memory now (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def watch(run_id: int, started: float, stop: threading.Event, every: float) -> None:
    """Print the run's progress as the page would see it, with elapsed seconds and RSS."""
    from django.db import connection

    from lindung.linkage.models import MatchRun

    last = None
    try:
        while not stop.wait(every):
            row = MatchRun.objects.filter(pk=run_id).values_list("progress", "progress_text").first()
            if row and row != last:
                print(f"  {time.perf_counter() - started:7.1f} s  {rss_mb():7.0f} MB  {row[0]:3d} %  {row[1]}", flush=True)
                last = row
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=float, default=0.5, help="seconds between progress samples")
    parser.add_argument("--roster", type=int, default=0, help="participants of a BPJS roster loaded first (once)")
    args = parser.parse_args()
    import django

    django.setup()
    if args.roster:
        load_roster(args.roster)
    from django.conf import settings
    from django.db import connection

    from lindung.imports.models import Candidate
    from lindung.linkage.models import MatchPair, MatchRun
    from lindung.linkage.tasks import run_matching_task

    print(f"database {connection.vendor} {connection.settings_dict['NAME']}; {Candidate.objects.count():,} calon; "
          f"MATCHING_MEMORY_MB={getattr(settings, 'MATCHING_MEMORY_MB', '-')}; load {_load()}", flush=True)
    run = MatchRun.objects.create(trigger=MatchRun.Trigger.MANUAL)
    stop = threading.Event()
    started = time.perf_counter()
    watcher = threading.Thread(target=watch, args=(run.pk, started, stop, args.every), daemon=True)
    watcher.start()
    error = None
    try:
        run_matching_task.call(run.pk)
    except Exception as exc:  # the run records it as failed; the bench prints it
        error = exc
    wall = time.perf_counter() - started
    stop.set()
    watcher.join()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    run.refresh_from_db()
    print(f"wall {wall:.1f} s, peak RSS {peak:.0f} MB, status {run.status}, load {_load()}", flush=True)
    print(f"  calon {run.candidates:,}, peserta {run.participants:,}, pasangan {run.pairs_found:,} "
          f"(baru {run.pairs_new:,}, hilang {run.pairs_removed:,}), terbuka {run.pairs_open:,}; "
          f"pasangan tersimpan {MatchPair.objects.count():,}", flush=True)
    print(f"  stats {run.stats}", flush=True)
    if error is not None:
        print(f"  GAGAL: {run.error}", flush=True)
        raise SystemExit(1)


def load_roster(n: int) -> None:
    """A roster of the province with n participants who are candidates (same NIK), unless one exists."""
    from datetime import datetime, timezone

    from django.db import transaction
    from django.db.models import F

    from lindung.imports.models import Candidate
    from lindung.lib.bulk import insert_many
    from lindung.registry.models import BpjsParticipant, BpjsRoster

    if BpjsRoster.objects.filter(original_name="skala-bpjs.csv").exists():
        return
    step = max(1, Candidate.objects.count() // n)
    people = (Candidate.objects.annotate(m=F("id") % step).filter(m=0).order_by("pk")
              .values_list("nik", "nama", "tanggal_lahir")[:n])
    with transaction.atomic():
        roster = BpjsRoster.objects.create(pemda_id="33", file="bpjs-peserta/skala-bpjs.csv", rows=n,
                                           original_name="skala-bpjs.csv", uploaded_at=datetime.now(timezone.utc))
        insert_many(BpjsParticipant, ("roster", "nik", "nama", "tanggal_lahir", "kpj", "segmen"),
                    ((roster.pk, nik, nama.upper(), born, f"33{i:09d}", "BPU") for i, (nik, nama, born) in enumerate(people)))
    print(f"daftar peserta BPJS dimuat: {BpjsParticipant.objects.filter(roster=roster).count():,} peserta", flush=True)


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
