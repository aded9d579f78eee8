"""API and export benchmark (issue 17): a programme of N candidates (default 1.000.000).

  1. Listing 100 candidates (`GET /api/v1/calon/?program=SLUG&batas=100`, first pages and pages at random
     cursors) from C concurrent clients (default 20) against gunicorn: p50/p95/max latency.
  2. Exporting the whole programme as csv the way a masked role gets it (streamed, lib.sheets writer):
     time and the process's peak memory.

    .venv/bin/python bench/api_bench.py [--rows 1000000] [--clients 20] [--requests 400] [--postgres URL]

Each phase runs in its own process (peak memory belongs to that phase). Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench-api"


def _env(tmp: str, database_url: str | None, sqlite: str | None = None) -> dict:
    env = dict(os.environ, DEBUG="0", SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
               SQLITE_PATH=sqlite or str(Path(tmp) / "bench.sqlite3"), MEDIA_ROOT=tmp, API_BATAS_PER_MENIT="0",
               DJANGO_SETTINGS_MODULE="lindung.settings", LOG_LEVEL="WARNING")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def setup(rows: int) -> None:
    """Migrate, load Karimun's regions, make the users and N candidates; print the read token."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from lindung.api.tokens import create_token

    users = get_user_model().objects.filter(username__in=["operator.bench", "auditor.bench"])
    if len(users) == 2:  # a kept database (--sqlite FILE) from an earlier run: new tokens only
        tokens = {("NIK lengkap, diaudit" if u.username == "operator.bench" else "disamarkan"):
                  create_token(user=u, nama="bench", days=1)[1] for u in users}
        print(json.dumps({"tokens": tokens, "rows": rows, "seconds": 0}))
        return
    if os.environ.get("DATABASE_URL"):
        call_command("flush", interactive=False, verbosity=0)
    from lindung.accounts.models import Role
    from lindung.imports.models import Candidate
    from lindung.lib.bulk import insert_many, pks_by
    from lindung.registry.models import Person
    from lindung.test import DESA_A, DESA_A2, KAB_A, make_program, make_user
    from lindung.registry.services import load_regions

    load_regions(prefix=KAB_A)
    operator = make_user("operator.bench", Role.OPERATOR_DISNAKER, KAB_A)
    auditor = make_user("auditor.bench", Role.AUDITOR, KAB_A)
    program = make_program(SLUG, KAB_A)
    started = time.perf_counter()
    now = datetime.now(timezone.utc)
    niks = [f"{1000000000000000 + i:016d}" for i in range(rows)]  # unique 16-digit keys; validity is not measured here
    insert_many(Person, ("nik", "nama", "tanggal_lahir", "jenis_kelamin", "tempat_lahir", "nama_ibu", "no_kk",
                         "created_at", "updated_at"),
                ((nik, f"Orang {i}", date(1980 + i % 30, 1 + i % 12, 1 + i % 28), "LP"[i % 2], "Karimun", "Ibu", "",
                  now, now) for i, nik in enumerate(niks)))
    persons = pks_by(Person, "nik", niks)
    fields = ("program", "person", "desa", "nik", "nama", "tanggal_lahir", "jenis_kelamin", "pekerjaan", "alamat",
              "raw", "problems", "created_at", "updated_at")
    insert_many(Candidate, fields, ((program.pk, persons[nik], (DESA_A, DESA_A2)[i % 2], nik,
                                     ("=Budi" if i % 1000 == 0 else f"Orang {i}"), date(1980 + i % 30, 1 + i % 12, 1 + i % 28),
                                     "LP"[i % 2], "nelayan", "Jl. Pantai", {}, [], now, now) for i, nik in enumerate(niks)))
    tokens = {role: create_token(user=user, nama="bench", days=1)[1] for role, user in
              (("NIK lengkap, diaudit", operator), ("disamarkan", auditor))}
    print(json.dumps({"tokens": tokens, "rows": rows, "seconds": round(time.perf_counter() - started, 1)}))


def export() -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from lindung.api import exports, lists
    from lindung.imports.models import Candidate

    user = get_user_model().objects.get(username="auditor.bench")
    qs = Candidate.objects.visible_to(user).filter(program__slug=SLUG)
    sheet = lists.candidates(user, qs, stem="calon", title="calon", note="bench")
    started = time.perf_counter()
    size = sum(len(chunk) for chunk in exports.csv_chunks(sheet))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 1), "mb_out": round(size / 1e6, 1), "peak_mb": round(peak)}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load_test(env: dict, token: str, clients: int, requests: int, rows: int, workers: int) -> dict:
    port = _free_port()
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "lindung.wsgi", "-b", f"127.0.0.1:{port}",
                               "-w", str(workers), "--threads", "4", "--log-level", "warning"], env=env, cwd=ROOT)
    try:
        base = f"http://127.0.0.1:{port}/api/v1/calon/?program={SLUG}&batas=100"
        _wait(base, token)
        latencies: list[float] = []
        lock = threading.Lock()
        import base64

        def client(n: int) -> None:
            rng = random.Random(n)
            for i in range(requests // clients):
                url = base if i % 2 == 0 else base + "&setelah=" + base64.urlsafe_b64encode(
                    str(rng.randrange(rows)).encode()).decode().rstrip("=")
                started = time.perf_counter()
                with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})) as r:
                    assert r.status == 200 and len(json.loads(r.read())["hasil"]) == 100
                with lock:
                    latencies.append(time.perf_counter() - started)

        warm = [threading.Thread(target=client, args=(n,)) for n in range(clients)]  # every worker thread imports and connects
        for t in warm:
            t.start()
        for t in warm:
            t.join()
        latencies.clear()
        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
        latencies.sort()
        ms = [x * 1000 for x in latencies]
        return {"requests": len(ms), "p50_ms": round(statistics.median(ms)), "p95_ms": round(ms[int(len(ms) * 0.95) - 1]),
                "max_ms": round(ms[-1]), "per_second": round(len(ms) / wall, 1)}
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait(url: str, token: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"}))
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres")
    parser.add_argument("--sqlite", help="keep the SQLite database in this file; a second run reuses its rows")
    parser.add_argument("--phase", choices=["setup", "export"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "setup":
        return setup(args.rows)
    if args.phase == "export":
        return export()
    with tempfile.TemporaryDirectory() as tmp:
        env = _env(tmp, args.postgres, args.sqlite)
        run = lambda phase: json.loads(subprocess.run(  # noqa: E731
            [sys.executable, __file__, "--phase", phase, "--rows", str(args.rows)], env=env, cwd=ROOT,
            check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
        made = run("setup")
        print(f"{'PostgreSQL' if args.postgres else 'SQLite'}: {made['rows']:,} candidates made in {made['seconds']} s", flush=True)
        for role, token in made["tokens"].items():
            print(f"  list 100 ({role}):", load_test(env, token, args.clients, args.requests, args.rows, args.workers), flush=True)
        print("  csv export (masked, streamed):", run("export"), flush=True)


if __name__ == "__main__":
    main()
