"""Which indexes of the candidates (and of their decisions) each page's and job's queries read: EXPLAIN of every one.

    DATABASE_URL=postgres://…/copy DEBUG=1 .venv/bin/python bench/scale/indexes.py --n 1000000 [--json out.json]

On a programme built by load_data.py: fetches the pages (as the Disnaker user, with Django's test client) and
builds the querysets of the jobs that filter candidates outside a page (cohort, lifecycle, retention, age-out,
roster, KPJ), EXPLAINs each SELECT (EXPLAIN QUERY PLAN on SQLite) and prints, per page or job, the planner's
total cost and the candidate/decision indexes its plans use (`SEQ:` for a whole-table scan). Run it before and
after changing an index and compare (`--json` writes the result for a diff): an index no line names is one no
query here needs — still grep the code for the rest (issue 18, migrations imports 0008/0009).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from lindung.imports.models import Candidate  # noqa: E402
from lindung.lib.keyset import encode_cursor  # noqa: E402
from lindung.programs.models import Program  # noqa: E402

TABLES = ("imports_candidate", "verification_verificationdecision", "imports_statuschange")
OURS = ("candidate_", "imports_can", "one_candidate", "verification_verificationdecision", "one_decision",
        "imports_statuschange")  # how these tables' index names begin
INDEX = re.compile(r"(?:Index Only Scan|Index Scan|Bitmap Index Scan)(?: Backward)? (?:using|on) (\S+)"  # PostgreSQL
                   r"|USING (?:COVERING )?INDEX (\S+)")  # SQLite
WHOLE = re.compile(r"Seq Scan on (\S+)|^\W*SCAN (\S+)$")


def urls(program: Program, n: int) -> list[str]:
    slug = program.slug
    some = Candidate.objects.filter(program=program)
    sample = some.order_by("pk")[n // 2]
    far = some.order_by("desa_id", "nama", "pk")[max(n - 500, 0)]
    first, second = sample.nama.split()[:2]
    base = f"/program/{slug}/calon/"
    return [
        "/", "/program/", f"/program/{slug}/", base, f"{base}?setelah={encode_cursor((far.desa_id, far.nama, far.pk))}",
        f"{base}?q={sample.nik}", f"{base}?q={first.lower()}+{second.lower()}", f"{base}?desa={sample.desa_id}",
        f"{base}?status=calon", f"{base}?status=terverifikasi", f"{base}?status=terverifikasi&desa={sample.desa_id}",
        f"{base}?bpjs=1", f"{base}?masalah=no_hp_tidak_valid", f"{base}?masalah=rt_rw_tidak_valid",
        f"{base}?masalah=rt_rw_tidak_valid&status=calon", f"{base}?masalah=rt_rw_tidak_valid&desa={sample.desa_id}",
        f"/program/{slug}/verifikasi/", f"/program/{slug}/verifikasi/?desa={sample.desa_id}",
        f"/program/{slug}/penetapan/", f"/cari/?q={sample.nik}", f"/cari/?q={first}", "/cakupan/",
        f"/program/{slug}/realisasi/",
    ]


def job_querysets(program: Program, n: int) -> dict:
    from lindung.enrolment.services import _ordered
    from lindung.protection import ageout, contributions
    from lindung.protection.lifecycle import COVERED

    sample = Candidate.objects.filter(program=program).order_by("pk")[n // 2]
    covered = Candidate.objects.filter(status__in=COVERED).values("nik")
    return {
        "lifecycle: programmes": Program.objects.filter(candidates__status__in=COVERED).distinct(),
        "lifecycle: a programme's covered": Candidate.objects.filter(program=program, status__in=COVERED).order_by("pk"),
        "retention: not covered": Candidate.objects.filter(program__selesai__lt=date(2000, 1, 1)).exclude(nik__in=covered),
        "cohort: verified in order": _ordered(program, "urutan_daftar"),
        "age-out": Candidate.objects.filter(program=program, status__in=ageout.PROTECTED_STATUSES,
                                            tanggal_lahir__isnull=False).order_by("tanggal_lahir", "pk"),
        "contributions": Candidate.objects.filter(program=program, status__in=contributions.COVERED).order_by("nama", "pk"),
        "roster: with a KPJ": Candidate.objects.exclude(bpjs_kpj=""),
        "import page: with a KPJ": Candidate.objects.filter(program=program).exclude(bpjs_kpj="").values("pk"),
        "queue of levels": Candidate.objects.filter(program=program, status="calon", level_index__in=[0, 1, 2]),
        "NIK in other programmes": Candidate.objects.filter(nik=sample.nik).exclude(program=program),
        "a region's candidates (PROTECT)": Candidate.objects.filter(desa_id=sample.desa_id).values("pk")[:1],
        "a person's candidates": Candidate.objects.filter(person_id=sample.person_id),
    }


def used(statements: list[tuple[str, tuple | None]]) -> tuple[list[str], float]:
    """The candidate/decision indexes the plans of these (sql, params) read, and their summed total cost
    (PostgreSQL's estimate; 0 on SQLite)."""
    found, total = set(), 0.0
    for sql, params in statements:
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        with connection.cursor() as cursor:
            cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql, params)
            plan = "\n".join(" ".join(str(v) for v in row) for row in cursor.fetchall())
        cost = re.search(r"cost=[\d.]+\.\.([\d.]+)", plan)
        total += float(cost.group(1)) if cost else 0.0
        for line in plan.splitlines():
            index, whole = INDEX.search(line), WHOLE.search(line.strip())
            name = index and (index.group(1) or index.group(2))
            if name and name.startswith(OURS):
                found.add(name)
            elif whole and (whole.group(1) or whole.group(2)) in TABLES:
                found.add(f"SEQ:{whole.group(1) or whole.group(2)}")
    return sorted(found), round(total)


def main(n: int, out: str | None) -> None:
    program = Program.objects.get(slug=f"skala-{n}")
    client = Client()
    client.force_login(get_user_model().objects.get(username="skala.disnaker"))
    result = {}
    for url in urls(program, n):
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(url).status_code
        result[f"{status} {url}"] = used([(q["sql"].replace("%", "%%"), ()) for q in ctx.captured_queries])
    for name, qs in job_querysets(program, n).items():
        result[name] = used([qs.query.sql_with_params()])
    for name, (indexes, cost) in result.items():
        print(f"{name[:90]:90} {cost:>10}  {' '.join(indexes)}", flush=True)
    if out:
        Path(out).write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--json", help="write {page or job: [indexes, cost]} here, to compare two runs")
    args = parser.parse_args()
    main(args.n, args.json)
