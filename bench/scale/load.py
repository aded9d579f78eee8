"""A bounded load against a local gunicorn (127.0.0.1 only): C clients, R requests in all, p50/p95 and errors.

    SQLITE_PATH=/tmp/skala.sqlite3 DEBUG=1 .venv/bin/python bench/scale/load.py --n 200000 --clients 20 --requests 200

Starts gunicorn itself (4 sync workers by default, as gunicorn.conf.py sets on 2 cores; --workers/--threads) on a free port, warms
every worker up with untimed requests (a cold worker's first requests load URLs, templates and database
connections: with 20 samples a page, those alone made its p95), logs
in as skala.disnaker through a session made here, spreads the requests over the pages of pages.py, and
stops gunicorn at the end.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402  (sets Django up)

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from lindung.programs.models import Program  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session_cookie() -> str:
    client = Client()
    client.force_login(get_user_model().objects.get(username="skala.disnaker"))
    return f"sessionid={client.cookies['sessionid'].value}"


def _fetch(base: str, path: str, cookie: str) -> tuple[float, int]:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return (time.perf_counter() - started) * 1000, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=None,
                        help="untimed requests first (default: every page 4 times per worker thread), so each "
                             "worker has loaded its URLs, templates and connections as a server running for days has")
    parser.add_argument("--inti", action="store_true",
                        help="only the ten pages measured before the bill, warning-filter and coverage pages were added")
    args = parser.parse_args()
    program = Program.objects.get(slug=f"skala-{args.n}")
    urls = pages.pages(program)[:10] if args.inti else pages.pages(program)
    cookie = _session_cookie()
    port = _free_port()
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "lindung.wsgi", "-b", f"127.0.0.1:{port}",
                               "-w", str(args.workers), "--threads", str(args.threads), "--timeout", "60"],
                              cwd=ROOT, env={**os.environ}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/masuk/", timeout=2)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.2)
        warmup = args.warmup if args.warmup is not None else len(urls) * args.workers * args.threads
        jobs = [urls[i % len(urls)] for i in range(args.requests)]
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(lambda job: _fetch(base, job[1], cookie), [urls[i % len(urls)] for i in range(warmup)]))
            results = list(pool.map(lambda job: (job[0], *_fetch(base, job[1], cookie)), jobs))
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"# {args.clients} klien, {args.requests} permintaan (sesudah {warmup} pemanasan), gunicorn {args.workers}×{args.threads}, "
          f"{program.slug}, beban {os.getloadavg()[0]:.1f}")
    print(f"{'halaman':28} {'p50 ms':>8} {'p95 ms':>8} {'galat':>6}")
    for name, _url in urls:
        times = sorted(t for n, t, _s in results if n == name)
        errors = sum(1 for n, _t, s in results if n == name and s != 200)
        print(f"{name:28} {statistics.median(times):8.0f} {times[int(0.95 * (len(times) - 1))]:8.0f} {errors:6}")
    everything = sorted(t for _n, t, _s in results)
    print(f"{'semua':28} {statistics.median(everything):8.0f} {everything[int(0.95 * (len(everything) - 1))]:8.0f} "
          f"{sum(1 for *_x, s in results if s != 200):6}")


if __name__ == "__main__":
    main()
