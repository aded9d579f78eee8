"""Coverage benchmark (issue 15): a province with 1.000.000 covered people over ~300 kecamatan.

Builds a scratch database (SQLite in a temporary folder, or an empty PostgreSQL with --postgres), loads
the province's regions, one programme and cohort, N people seated in it spread over every desa, a
semesta per desa, and some engine links; then times what the pages do:

  - `lindung cakupan <provinsi> --json` (services.report: one grouped SQL query per level + links),
  - the same for a kabupaten, and the map SVG of a kabupaten (kecamatan polygons) and of the province.

    .venv/bin/python bench/coverage_bench.py [--people 1000000] [--provinsi 11] [--postgres postgres://...]

Aceh (11): 290 kecamatan, 6.500 desa; its polygons are not shipped, so its map is the tile grid. Not a
test: it asserts nothing and prints figures. Goal: JSON and map <= 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(tmp: str, database_url: str | None) -> None:
    os.environ.update({"DEBUG": "1", "SQLITE_PATH": str(Path(tmp) / "bench.sqlite3"), "MEDIA_ROOT": tmp})
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(people: int, provinsi: str) -> None:
    from lindung.coverage.models import Semesta, SemestaRow
    from lindung.domain import wilayah
    from lindung.enrolment.models import Cohort, Enrolment
    from lindung.imports.models import Candidate, CandidateStatus
    from lindung.linkage.models import MatchPair
    from lindung.programs.models import Program
    from lindung.registry.models import Person
    from lindung.registry.services import load_regions

    started = time.perf_counter()
    load_regions(prefix=provinsi)
    desa = [w.kode for w in wilayah.all_at(4) if w.kode.startswith(provinsi + ".")]
    program = Program.objects.create(slug="bench", nama="Bench", pemda_id=provinsi, sumber_dana="apbd_provinsi",
                                     pagu=10**12, mulai=date(2025, 1, 1), selesai=date(2025, 12, 31))
    cohort = Cohort.objects.create(program=program, mulai=program.mulai, bulan=12, kursi=people,
                                   iuran_per_bulan=16_800, iuran_per_orang=201_600)
    chunk = 50_000
    for start in range(0, people, chunk):
        n = min(chunk, people - start)
        persons = Person.objects.bulk_create([Person(nik=f"{9_000_000_000_000_000 + start + i}", nama="Bench")
                                              for i in range(n)], batch_size=10_000)
        if not persons[0].pk:
            persons = list(Person.objects.filter(nik__gte=f"{9_000_000_000_000_000 + start}").order_by("nik")[:n])
        candidates = Candidate.objects.bulk_create([
            Candidate(program=program, person=p, desa_id=desa[(start + i) % len(desa)], nik=p.nik, nama="Bench",
                      pekerjaan="nelayan", status=CandidateStatus.TERDAFTAR) for i, p in enumerate(persons)],
            batch_size=10_000)
        if not candidates[0].pk:
            candidates = list(Candidate.objects.filter(program=program).order_by("-pk")[:n])
        Enrolment.objects.bulk_create([Enrolment(cohort=cohort, candidate=c, urutan=start + i,
                                                 state=Enrolment.State.SEATED) for i, c in enumerate(candidates)],
                                      batch_size=10_000)
        print(f"  {start + n:,} people", flush=True)
    some = list(Candidate.objects.filter(program=program).order_by("pk").values_list("pk", flat=True)[:2000])
    MatchPair.objects.bulk_create([MatchPair(kind=MatchPair.Kind.LINTAS, left_id=a, right_id=b, score=0.99,
                                             band=MatchPair.Band.MATCH, status=MatchPair.Status.AUTO)
                                   for a, b in zip(some[::2], some[1::2])])
    semesta = Semesta.objects.create(sumber="Bench", tahun=2025, pemda_id=provinsi)
    per_desa = people // len(desa) * 2 + 1
    SemestaRow.objects.bulk_create([SemestaRow(semesta=semesta, wilayah_id=k, jumlah=per_desa) for k in desa],
                                   batch_size=5_000)
    print(f"built {people:,} covered people over {len(desa):,} desa in {time.perf_counter() - started:.0f} s", flush=True)


def timed(label: str, fn) -> object:
    started = time.perf_counter()
    result = fn()
    print(f"{label}: {time.perf_counter() - started:.2f} s", flush=True)
    return result


def measure(provinsi: str) -> None:
    from lindung.coverage import services
    from lindung.coverage.views import map_svg
    from lindung.domain import wilayah
    from lindung.domain.periods import Month

    month = Month(2025, 6)
    report = timed(f"cakupan {provinsi} --json (provinsi)", lambda: json.dumps(services.report(provinsi, bulan=month).as_json()))
    data = json.loads(report)
    print(f"  peserta {data['peserta']:,}, semesta {data['semesta']:,}, persen {data['persen']}, {len(data['rincian'])} kabupaten")
    kab = wilayah.children(provinsi)[0].kode
    timed(f"cakupan {kab} --json (kabupaten)", lambda: services.report(kab, bulan=month).as_json())
    r = services.report(kab, bulan=month)
    svg = timed(f"peta {kab} (report + SVG)", lambda: map_svg(kab, services.report(kab, bulan=month)))
    print(f"  SVG {len(svg.encode()) / 1024:.0f} KB")
    svg = timed(f"peta {provinsi} (report + SVG)", lambda: map_svg(provinsi, services.report(provinsi, bulan=month)))
    print(f"  SVG {len(svg.encode()) / 1024:.0f} KB")
    del r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--provinsi", default="11")
    parser.add_argument("--postgres", help="DATABASE_URL of an empty PostgreSQL database instead of SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup(tmp, args.postgres)
        from django.db import connection

        print(f"database: {connection.vendor}", flush=True)
        build(args.people, args.provinsi)
        measure(args.provinsi)


if __name__ == "__main__":
    main()
