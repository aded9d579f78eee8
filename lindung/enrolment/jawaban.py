"""The BPJS branch's answer at a province's size: read in parts, checked and applied set-based, in bounded memory.

The file is read 5.000 rows at a time (`reader.stream_table`: a csv line by line; a workbook as calamine
gives its sheet). Each part is checked with the rules of `bpjs_files.ResponseChecker`; what the rules need
from other parts — which NIKs were submitted, the first row of each NIK and of each KPJ — is asked of the
database per part, and the first rows and good rows the part adds go into temporary tables of this
connection (`_Stage`), never into Python sets over the whole file. Only when the whole file has no problem
are the good rows applied, again 5.000 at a time: the registered seated by one UPDATE of their KPJs from a
staging table, one UPDATE of their status and multi-row INSERTs of the log; a rejection (with its refill)
and a seat given up meanwhile one at a time, as before.

**One transaction, not a resumable job.** The answer is all-or-nothing (R12): a file with one bad row
changes nothing, and a reader of the programme must never see half an answer applied (a cohort page
showing 300.000 terdaftar and 300.000 still diajukan, a bill with half the person-months). A resumable job
would have to keep its progress and the staged rows in real tables and hide a half-applied state from
every page and from the next answer; one transaction gives both for free, and a worker killed mid-way
leaves nothing (its job is then recovered as *gagal* and the answer can simply be uploaded again). The
cost is one long write transaction — on SQLite the database is write-locked for the job's duration (the
same as forming a cohort) — and the staging rows, which live in the database's temporary storage, not in
the worker's memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from itertools import islice

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.utils import timezone

from lindung.enrolment import bpjs_files
from lindung.enrolment.models import Cohort, Enrolment
from lindung.imports.models import Candidate, CandidateStatus, StatusChange
from lindung.imports.reader import ImportFileError, stream_table
from lindung.imports.services import read_limits
from lindung.lib.bulk import insert_many

PART = 5000  # rows read, checked and applied at a time (under SQLite's 32.766 variables per statement)
KEEP_PROBLEMS = 1000  # problems kept with their words; the rest are counted (the job's page shows 50)

_NIK, _KPJ, _ROWS, _SEATS = "lindung_jawaban_nik", "lindung_jawaban_kpj", "lindung_jawaban_baris", "lindung_jawaban_kursi"
_TABLES = {
    _NIK: "nik text PRIMARY KEY, baris integer NOT NULL",  # the first row of each NIK the file names
    _KPJ: "kpj text PRIMARY KEY, baris integer NOT NULL, nik text",  # the first (row, NIK) of each KPJ
    _ROWS: "baris integer PRIMARY KEY, nik text NOT NULL, status text NOT NULL, kpj text, alasan text",
    _SEATS: "enrolment_id integer PRIMARY KEY, kpj text NOT NULL",  # one part's KPJs, for one UPDATE
}


def apply_answer(cohort: Cohort, source, filename: str, *, user, awaiting, apply_row, max_alasan: int,
                 progress=None) -> bpjs_files.ResponseResult:
    """Check the answer in `source` (bytes or an open binary file) whole, part by part; apply it only when it
    has no problem, in one transaction. `awaiting` is the queryset of the submitted people
    (bpjs._awaiting), `apply_row` what one rejection or a seat given up needs (bpjs._apply_row)."""
    awaiting = awaiting.order_by()
    report = progress or (lambda **_kw: None)
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    with transaction.atomic():
        Cohort.objects.select_for_update().get(pk=cohort.pk)  # one answer applied at a time
        report(text="Memeriksa berkas jawaban BPJS")
        submitted = awaiting.count()
        # A good answer has one row per submitted person: IMPORT_MAX_ROWS does not cap it below that.
        limits = replace(read_limits(), max_rows=max(settings.IMPORT_MAX_ROWS, submitted))
        with connection.cursor() as cursor:
            stage = _Stage(cursor)
            try:
                result, good = _check(stream_table(handle, filename, limits=limits), stage, awaiting, max_alasan,
                                      lambda done: report(done=done, total=max(done, submitted)),
                                      answered=cohort.enrolments.exclude(kpj=""))
            except ImportFileError as error:
                result, good = bpjs_files.unreadable(error, filename), 0
            if result.ok:
                report(done=0, total=good, text="Menerapkan jawaban BPJS")
                _apply(stage, awaiting, user, apply_row, report)
            stage.drop()
        if result.ok:
            from lindung.billing import ledger  # people now terdaftar: their started months are billed

            report(text="Memperbarui tagihan iuran")
            ledger.sync_ledger(cohort.program, through=timezone.localdate())
    return result


class _Stage:
    """Temporary tables of this connection, made inside the answer's transaction: a rollback removes them."""

    def __init__(self, cursor):
        self.cursor = cursor
        for name, columns in _TABLES.items():
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")

    def drop(self) -> None:
        for name in _TABLES:
            self.cursor.execute(f"DROP TABLE {name}")

    def select(self, sql: str, keys: list) -> list[tuple]:
        if not keys:
            return []
        self.cursor.execute(sql.format(marks=", ".join(["%s"] * len(keys))), keys)
        return self.cursor.fetchall()

    def insert(self, table: str, columns: str, rows: list[tuple]) -> None:
        if rows:
            marks = ", ".join(["%s"] * len(rows[0]))
            self.cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def _parts(rows: Iterator, size: int = PART) -> Iterator[list]:
    while part := list(islice(rows, size)):
        yield part


def _check(table, stage: _Stage, awaiting, max_alasan: int, read, *, answered) -> tuple[bpjs_files.ResponseResult, int]:
    """Every part checked in file order; the good rows staged. Returns the result and how many rows are good.
    `answered`: the cohort's people an earlier answer registered (a row naming one says so, not "tidak diajukan")."""
    checker = bpjs_files.ResponseChecker(
        table.headers, table.header_row, max_alasan=max_alasan, keep=KEEP_PROBLEMS,
        count_prefix=lambda prefix: awaiting.filter(candidate__nik__startswith=prefix).count())
    good = registered = checked = 0
    for part in _parts(table.rows):
        checked += len(part)
        read(checked)  # the bar while checking: rows read of the people awaiting the answer
        niks, kpjs = checker.part_keys(part)
        niks, kpjs = sorted(niks), sorted(kpjs)
        rows = checker.check(
            part, submitted=set(awaiting.filter(candidate__nik__in=niks).values_list("candidate__nik", flat=True)),
            registered=dict(answered.filter(candidate__nik__in=niks).order_by().values_list("candidate__nik", "kpj")),
            first_rows=dict(stage.select(f"SELECT nik, baris FROM {_NIK} WHERE nik IN ({{marks}})", niks)),
            first_kpjs={kpj: (row, nik) for kpj, row, nik in
                        stage.select(f"SELECT kpj, baris, nik FROM {_KPJ} WHERE kpj IN ({{marks}})", kpjs)})
        first_rows, first_kpjs = checker.new_firsts(part)
        stage.insert(_NIK, "nik, baris", list(first_rows.items()))
        stage.insert(_KPJ, "kpj, baris, nik", [(kpj, row, nik) for kpj, (row, nik) in first_kpjs.items()])
        if checker.context.problem_count:
            continue  # nothing will be applied: the good rows need not be kept
        stage.insert(_ROWS, "baris, nik, status, kpj, alasan", [(r.row, r.nik, r.status, r.kpj, r.alasan) for r in rows])
        good += len(rows)
        registered += sum(1 for r in rows if r.status == "terdaftar")
    return replace(checker.result(), status_counts=(registered, good - registered)), good


def _apply(stage: _Stage, awaiting, user, apply_row, report) -> None:
    """The staged rows in file order, PART at a time: the common answer set-based, the rest one by one."""
    after, done = 0, 0
    while True:
        stage.cursor.execute(f"SELECT baris, nik, status, kpj, alasan FROM {_ROWS} WHERE baris > %s "
                             "ORDER BY baris LIMIT %s", [after, PART])
        part = [bpjs_files.ResponseRow(*values) for values in stage.cursor.fetchall()]
        if not part:
            return
        after = part[-1].row
        found = {nik: (pk, candidate, state) for nik, pk, candidate, state in awaiting.filter(
            candidate__nik__in=[r.nik for r in part]).order_by().values_list("candidate__nik", "pk", "candidate_id", "state")}
        plain = [r for r in part if r.status == "terdaftar" and found[r.nik][2] != Enrolment.State.OUT]
        _register(stage, found, plain, user)
        others = [r for r in part if not (r.status == "terdaftar" and found[r.nik][2] != Enrolment.State.OUT)]
        if others:
            people = {e.candidate.nik: e for e in awaiting.filter(candidate__nik__in=[r.nik for r in others])}
            for row in others:
                apply_row(people[row.nik], row, user)  # a rejection or a seat given up: one at a time
        done += len(part)
        report(done=done)


def _register(stage: _Stage, found: dict, rows: list[bpjs_files.ResponseRow], user) -> None:
    """Seated people become *terdaftar* with their KPJ: the KPJs by one UPDATE from the staging table, the
    statuses by one UPDATE and the log by multi-row INSERTs."""
    if not rows:
        return
    now, user_id = timezone.now(), getattr(user, "pk", None)
    stage.insert(_SEATS, "enrolment_id, kpj", [(found[r.nik][0], r.kpj) for r in rows])
    table = connection.ops.quote_name(Enrolment._meta.db_table)
    Enrolment.objects.filter(pk__in=[found[r.nik][0] for r in rows]).update(
        kpj=RawSQL(f"SELECT s.kpj FROM {_SEATS} s WHERE s.enrolment_id = {table}.id", ()), updated_at=now)
    stage.cursor.execute(f"DELETE FROM {_SEATS}")
    Candidate.objects.filter(pk__in=[found[r.nik][1] for r in rows]).update(
        status=CandidateStatus.TERDAFTAR, version=F("version") + 1)
    insert_many(StatusChange, ("candidate", "old", "new", "user", "reason", "at"),
                ((found[r.nik][1], CandidateStatus.DIAJUKAN, CandidateStatus.TERDAFTAR, user_id,
                  f"Terdaftar BPJS, KPJ {r.kpj}"[:255], now) for r in rows))

