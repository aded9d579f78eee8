"""Build a province-sized programme fast, straight into the tables (not through the import service).

    SQLITE_PATH=/tmp/skala.sqlite3 DEBUG=1 .venv/bin/python bench/scale/load_data.py --n 200000
    DATABASE_URL=postgres://postgres@127.0.0.1:55433/lindung_skala DEBUG=1 \
        .venv/bin/python bench/scale/load_data.py --n 1000000

N candidates with valid-looking NIKs spread over the real desa of one province (Jawa Tengah, "33"),
one programme `skala-{n}` owned by the province, statuses as a real round leaves them (10 % still *calon*
at the Disnaker level, 75 % *terverifikasi*, the rest *tidak layak*), and a cohort seating 60 % of N with
the other verified people on the waiting list; import warnings on 2,5 % and 0,2 % (WARNINGS); the seated registered with BPJS (a KPJ each, *terdaftar*)
and billed for both months of the window through the ledger's own code (`billing.ledger.sync_ledger`):
600.000 person-months a month at N = 1.000.000. Users: `skala.disnaker` (operator Disnaker of the province)
with password `kata-sandi-skala-123`. Runs `migrate` first; refuses to load into a database that already
holds the programme.

    ... load_data.py --n 1000000 --lengkapi   # a database built before the warnings, the registration
                                              # and the bills were part of it: add them
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
from datetime import date, datetime, timezone as dt_timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from lindung.accounts.models import Membership, Role  # noqa: E402
from lindung.domain import wilayah  # noqa: E402
from lindung.billing import ledger  # noqa: E402
from lindung.billing.models import PersonMonth  # noqa: E402
from lindung.domain.periods import Month  # noqa: E402
from lindung.enrolment.models import Cohort, Enrolment  # noqa: E402
from lindung.imports.models import Candidate, CandidateStatus, StatusChange  # noqa: E402
from lindung.lib.bulk import insert_many  # noqa: E402
from lindung.programs.models import Program  # noqa: E402
from lindung.registry.models import Person  # noqa: E402
from lindung.registry.services import load_regions  # noqa: E402

PROVINSI = "33"
PASSWORD = "kata-sandi-skala-123"
FIRST = ["Budi", "Siti", "Agus", "Sri", "Joko", "Dewi", "Slamet", "Tri", "Eko", "Rina", "Wahyu", "Nur",
         "Bambang", "Endang", "Hadi", "Lestari", "Yusuf", "Aminah", "Rudi", "Suparmi"]
LAST = ["Santoso", "Wulandari", "Setiawan", "Rahayu", "Prasetyo", "Susanti", "Hidayat", "Purnomo",
        "Kurniawan", "Handayani", "Saputra", "Utami", "Nugroho", "Lestari", "Gunawan", "Sari"]


def nik_for(i: int, desa_kode: str, born: date, female: bool) -> str:
    """16 digits: the desa's kecamatan code, the birth date (day + 40 for women), a serial from i."""
    kec = desa_kode[:8].replace(".", "")
    day = born.day + (40 if female else 0)
    return f"{kec}{day:02d}{born.month:02d}{born.year % 100:02d}{(i % 9999) + 1:04d}"[:16]


def rows(n: int, desa: list[str], seed: int = 18):
    """(nik, nama, tanggal_lahir, jenis_kelamin, desa) per candidate; NIKs unique by construction."""
    rnd = random.Random(seed)
    seen: set[str] = set()
    i = 0
    while len(seen) < n:
        i += 1
        kode = desa[i % len(desa)]
        female = rnd.random() < 0.5
        born = date(rnd.randint(1962, 2006), rnd.randint(1, 12), rnd.randint(1, 28))
        nik = nik_for(i, kode, born, female)
        if nik in seen:
            continue
        seen.add(nik)
        nama = f"{rnd.choice(FIRST)} {rnd.choice(LAST)} {rnd.choice(FIRST)}".upper()
        yield nik, nama, born, "P" if female else "L", kode


def status_of(k: int) -> str:
    slot = k % 20
    if slot < 2:
        return CandidateStatus.CALON
    if slot < 17:
        return CandidateStatus.TERVERIFIKASI
    return CandidateStatus.TIDAK_LAYAK


def load(n: int) -> Program:
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    load_regions(prefix=PROVINSI)
    desa = sorted(w.kode for w in wilayah.all_at(4) if w.kode.startswith(PROVINSI + "."))
    slug = f"skala-{n}"
    if Program.objects.filter(slug=slug).exists():
        raise SystemExit(f"Program {slug} sudah ada di database ini; pakai berkas/database baru.")
    program = Program.objects.create(slug=slug, nama=f"Program skala {n:,}", pemda_id=PROVINSI,
                                     sumber_dana="apbd_provinsi", pagu=10**13, mulai=date(2025, 11, 1),
                                     selesai=date(2025, 12, 31), pks_nomor="PKS/SKALA/2025")
    _users()
    now = datetime.now(dt_timezone.utc)
    data = list(rows(n, desa))
    print(f"{n:,} baris dibuat di memori ({len(desa):,} desa) dalam {time.monotonic() - started:.1f} s", flush=True)
    with transaction.atomic():
        insert_many(Person, ("nik", "nama", "tanggal_lahir", "jenis_kelamin", "created_at", "updated_at"),
                    ((nik, nama, born, jk, now, now) for nik, nama, born, jk, _ in data))
        person_ids = _ids("registry_person", "nik")
        last_level = len(program.levels) - 1
        fields = ("program", "person", "desa", "nik", "nama", "tanggal_lahir", "jenis_kelamin", "pekerjaan",
                  "status", "level_index", "source_row", "created_at", "updated_at")
        insert_many(Candidate, fields, (
            (program.pk, person_ids[nik], kode, nik, nama, born, jk, "petani", status_of(k), last_level, k + 1, now, now)
            for k, (nik, nama, born, jk, kode) in enumerate(data)))
    print(f"calon dimuat dalam {time.monotonic() - started:.1f} s", flush=True)
    del data, person_ids
    _seat(program, seats=int(n * 0.6), now=now)
    add_warnings(program)
    register_and_bill(program, now=now)
    print(f"selesai: {n:,} calon, program {slug}, {time.monotonic() - started:.1f} s", flush=True)
    return program


def register_and_bill(program: Program, *, now) -> None:
    """The seated as the BPJS answer leaves them (`enrolment.bpjs._register`, set-based: a KPJ each, status
    *terdaftar*, the change logged), then every month of the window written to the ledger by
    `billing.ledger.sync_ledger` itself."""
    started = time.monotonic()
    cohort = Cohort.objects.get(program=program)
    en, ca, log = (connection.ops.quote_name(m._meta.db_table) for m in (Enrolment, Candidate, StatusChange))
    seated = f"SELECT candidate_id FROM {en} WHERE cohort_id = %s AND state = %s"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {en} SET kpj = '25' || CAST(100000000 + id AS TEXT), updated_at = %s "
                       "WHERE cohort_id = %s AND state = %s AND kpj = ''", [now, cohort.pk, Enrolment.State.SEATED])
        cursor.execute(f"INSERT INTO {log} (candidate_id, old, new, user_id, reason, at) "
                       f"SELECT c.id, c.status, %s, NULL, 'Terdaftar BPJS (load_data)', %s FROM {ca} c "
                       f"WHERE c.id IN ({seated}) AND c.status = %s",
                       [CandidateStatus.TERDAFTAR, now, cohort.pk, Enrolment.State.SEATED, CandidateStatus.TERVERIFIKASI])
        cursor.execute(f"UPDATE {ca} SET status = %s, version = version + 1 WHERE id IN ({seated}) AND status = %s",
                       [CandidateStatus.TERDAFTAR, cohort.pk, Enrolment.State.SEATED, CandidateStatus.TERVERIFIKASI])
    print(f"kursi terdaftar BPJS dalam {time.monotonic() - started:.1f} s", flush=True)
    written = ledger.sync_ledger(program, through=Month.of(program.selesai))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{written:,} orang-bulan ditulis ke buku iuran, {time.monotonic() - started:.1f} s", flush=True)


# Warnings an accepted row keeps (import validation's codes): 1 in 40 a phone number not recognised (2,5 %),
# 1 in 500 an RT/RW that is not a number (0,2 %), so 1 in 1.000 both — the candidate list's masalah filter
# has a common code, a rare one and a combination to find.
WARNINGS = ((40, "no_hp", "no_hp_tidak_valid"), (500, "rt", "rt_rw_tidak_valid"))


def add_warnings(program: Program) -> None:
    """The warnings of WARNINGS on the candidates whose source row they hit, stored as an import stores them
    (`problems` as a list, `problem_codes` as "|code||code|")."""
    import json

    from lindung.imports.validate import PROBLEM_CODES

    started = time.monotonic()
    table = connection.ops.quote_name(Candidate._meta.db_table)
    as_json = "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"
    hit = [(every, {"column": column, "code": code, "message": PROBLEM_CODES[code], "severity": "warning"})
           for every, column, code in WARNINGS]
    with transaction.atomic(), connection.cursor() as cursor:
        for every, problem in hit:
            cursor.execute(f"UPDATE {table} SET problem_codes = problem_codes || %s, problems = {as_json} "
                           f"WHERE program_id = %s AND source_row %% {every} = 0",
                           [f"|{problem['code']}|", json.dumps([problem]), program.pk])
        both = math.lcm(*(every for every, _p in hit))  # 1 in 1.000 has both: its problems list holds both
        cursor.execute(f"UPDATE {table} SET problems = {as_json} WHERE program_id = %s AND source_row %% {both} = 0",
                       [json.dumps([p for _e, p in hit]), program.pk])
    print(f"peringatan impor ditambahkan dalam {time.monotonic() - started:.1f} s", flush=True)


def complete(n: int) -> None:
    """A database built before warnings, registration and bills were part of load(): add them."""
    call_command("migrate", verbosity=0)
    program = Program.objects.get(slug=f"skala-{n}")
    if not Candidate.objects.filter(program=program).exclude(problem_codes="").exists():
        add_warnings(program)
    if not PersonMonth.objects.filter(program=program).exists():
        register_and_bill(program, now=datetime.now(dt_timezone.utc))


def _ids(table: str, column: str) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column}, id FROM {table}")
        return dict(cursor.fetchall())


def _users() -> None:
    User = get_user_model()
    if not User.objects.filter(username="skala.disnaker").exists():
        user = User.objects.create(username="skala.disnaker", password=make_password(PASSWORD), first_name="Disnaker")
        Membership.objects.create(user=user, role=Role.OPERATOR_DISNAKER, wilayah_id=PROVINSI)


def _seat(program: Program, *, seats: int, now) -> None:
    """The cohort, set-based: the first `seats` verified candidates (by id) seated, the rest waiting."""
    cohort = Cohort.objects.create(program=program, mulai=program.mulai, bulan=2, kursi=seats, iuran_per_bulan=16_800,
                                   iuran_per_orang=33_600, iuran_penetapan=seats * 33_600)
    table = connection.ops.quote_name(Enrolment._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (cohort_id, candidate_id, urutan, state, kpj, alasan, alasan_keluar, updated_at) "
            "SELECT %s, id, ROW_NUMBER() OVER (ORDER BY id), %s, '', '', '', %s FROM imports_candidate "
            "WHERE program_id = %s AND status = %s",
            [cohort.pk, Enrolment.State.WAITING, now, program.pk, CandidateStatus.TERVERIFIKASI])
        cursor.execute(f"UPDATE {table} SET state = %s WHERE cohort_id = %s AND urutan <= %s",
                       [Enrolment.State.SEATED, cohort.pk, seats])


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="jumlah calon (target 1.000.000)")
    parser.add_argument("--lengkapi", "--hanya-tagihan", dest="lengkapi", action="store_true",
                        help="lengkapi program yang sudah dimuat: peringatan impor, kursi terdaftar BPJS, tagihan")
    args = parser.parse_args()
    complete(args.n) if args.lengkapi else load(args.n)
