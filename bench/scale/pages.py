"""Time the key pages of a programme built by load_data.py, with Django's test client; count queries.

    SQLITE_PATH=/tmp/skala.sqlite3 DEBUG=1 .venv/bin/python bench/scale/pages.py --n 200000 [--explain] [--cpu] [--halaman masalah]

Each page is fetched once to warm up, then `--repeat` times; prints the median (p50), p95 and worst time
and the number of SQL queries. `--explain` prints the query plan of each page's slowest query. `--cpu` adds
the CPU a request costs, averaged over the repeats: this process's (Python, and SQLite, which works inside
it) and, on PostgreSQL, the server backend's (read from /proc, so only for a server on this machine). On a
machine other people load, wall times move with their jobs; the CPU columns are the comparable ones.
`--halaman TEXT` times only the pages whose name holds TEXT (e.g. `masalah`, `calon`).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from lindung.imports.models import Candidate  # noqa: E402
from lindung.lib.keyset import encode_cursor  # noqa: E402
from lindung.programs.models import Program  # noqa: E402


def pages(program: Program) -> list[tuple[str, str]]:
    slug = program.slug
    some = Candidate.objects.filter(program=program).order_by("pk")
    n = some.count()
    sample = some[n // 2]
    far = Candidate.objects.filter(program=program).order_by("desa_id", "nama", "pk")[max(n - 500, 0)]
    return [
        ("beranda", "/"),
        ("daftar program", "/program/"),
        ("program", f"/program/{slug}/"),
        ("calon, halaman pertama", f"/program/{slug}/calon/"),
        ("calon, halaman jauh", f"/program/{slug}/calon/?setelah={encode_cursor((far.desa_id, far.nama, far.pk))}"),
        ("calon, cari NIK", f"/program/{slug}/calon/?q={sample.nik}"),
        ("calon, cari nama", f"/program/{slug}/calon/?q={sample.nama.split()[0].lower()}+{sample.nama.split()[1].lower()}"),
        ("calon, filter desa", f"/program/{slug}/calon/?desa={sample.desa_id}"),
        ("antrean verifikasi", f"/program/{slug}/verifikasi/"),
        ("kohort", f"/program/{slug}/penetapan/"),
        ("calon, masalah 2,5 %", f"/program/{slug}/calon/?masalah=no_hp_tidak_valid"),
        ("calon, masalah 0,2 %", f"/program/{slug}/calon/?masalah=rt_rw_tidak_valid"),
        *_bill_pages(program),
        ("cakupan", "/cakupan/"),
        ("realisasi", f"/program/{slug}/realisasi/"),
    ]


def _bill_pages(program: Program) -> list[tuple[str, str]]:
    """The bill of the window's first month: its first page and one 500 lines from its end (load_data.py
    writes 0,6 N lines a month)."""
    from lindung.billing.models import PersonMonth

    lines = PersonMonth.objects.filter(program=program, bulan=program.mulai, state__in=PersonMonth.BILLABLE)
    url = f"/program/{program.slug}/tagihan/?bulan={program.mulai:%Y-%m}"
    far = lines.order_by("-nama", "-pk").values_list("nama", "pk")[:501]
    far = list(far)[-1] if far else None
    return [("tagihan, halaman pertama", url),
            ("tagihan, halaman jauh", f"{url}&setelah={encode_cursor(far)}" if far else url)]


def explain(sql: str, params) -> str:
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return "\n".join("    " + " | ".join(str(c) for c in row) for row in cursor.fetchall())


def run(n: int, repeat: int, show_plan: bool, cpu: bool = False, only: str = "") -> None:
    program = Program.objects.get(slug=f"skala-{n}")
    client = Client()
    client.force_login(get_user_model().objects.get(username="skala.disnaker"))
    db = connection.vendor
    print(f"# {db}, {Candidate.objects.filter(program=program).count():,} calon, program {program.slug}")
    print(f"{'halaman':28} {'p50 ms':>8} {'p95 ms':>8} {'maks ms':>8} {'kueri':>6}  status"
          + (f" {'cpu ms':>7} {'server ms':>9}" if cpu else ""))
    for name, url in pages(program):
        if only not in name:
            continue
        queries = []
        with connection.execute_wrapper(lambda execute, sql, params, many, context: (queries.append(sql), execute(sql, params, many, context))[1]):
            response = client.get(url)
        times = []
        own, server = time.process_time(), _server_cpu()
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        own, server = (time.process_time() - own) * 1000 / repeat, _per_request(server, _server_cpu(), repeat)
        times.sort()
        print(f"{name:28} {statistics.median(times):8.0f} {times[int(0.95 * (len(times) - 1))]:8.0f} {max(times):8.0f} "
              f"{len(queries):6}  "
              f"{response.status_code}"
              + (f"    {own:7.1f} {server:>9}" if cpu else ""), flush=True)
        if show_plan:
            _explain_slowest(url)


def _server_cpu() -> tuple[int, float] | None:
    """(pid, CPU seconds so far) of the PostgreSQL backend serving this connection (it lives across requests:
    CONN_MAX_AGE); None for SQLite or a server elsewhere."""
    if connection.vendor != "postgresql":
        return None
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _per_request(before, after, repeat: int) -> str:
    """The server's CPU ms per request between two readings of `_server_cpu` ("—" without both, or when the
    connection, and so the backend, changed between them)."""
    if before is None or after is None or before[0] != after[0]:
        return "—"
    return f"{(after[1] - before[1]) * 1000 / repeat:.1f}"


def _explain_slowest(url: str) -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(username="skala.disnaker"))
    timed = []
    for query in _queries_of(client, url):
        sql = query["sql"]
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.fetchall()
        timed.append(((time.perf_counter() - started) * 1000, sql))
    timed.sort(reverse=True)
    for ms, sql in timed[:2]:
        print(f"    {ms:.0f} ms: {sql[:300]}")
        print(explain(sql, None))


def _queries_of(client, url):
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--cpu", action="store_true", help="the CPU per request: this process and the PostgreSQL backend")
    parser.add_argument("--halaman", default="", help="only the pages whose name holds this text, e.g. masalah")
    args = parser.parse_args()
    run(args.n, args.repeat, args.explain, args.cpu, args.halaman)
