"""Compare the trigger-kept counters with a real COUNT, and rebuild them (`lindung hitung-ulang`).

The triggers keep the counters exact through every write; a counter can only drift when something goes
around them (a restore of some tables only, TRUNCATE, triggers dropped by hand). Then this puts them right:
the same GROUP BY the migration backfilled with, in one transaction that holds writers off meanwhile.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import import_module

from django.db import connection, migrations, transaction

CANDIDATES, ENROLMENTS, DECISIONS = "imports_candidate", "enrolment_enrolment", "verification_verificationdecision"
LEDGER = "billing_personmonth"


@dataclass(frozen=True)
class Tally:
    table: str
    keys: tuple[str, ...]
    source: str  # FROM: the counted rows as `r` (joined with what a key needs)
    group: str  # the keys of a counted row, selected from `source`
    label: str
    values: tuple[str, ...] = ("n",)
    sums: str = "COUNT(*)"

    def counted(self, where: str = "") -> str:
        """SELECT keys..., COUNT(*) [, sums] of the real rows (those matching `where`, over `r`)."""
        return f"SELECT {self.group}, {self.sums} FROM {self.source}{f' WHERE {where}' if where else ''} GROUP BY {self.group}"


TALLIES = (
    Tally("counters_candidatetally", ("program_id", "status", "level_index"), f"{CANDIDATES} r",
          "r.program_id, r.status, r.level_index", "calon per program, status dan tingkat"),
    Tally("counters_enrolmenttally", ("cohort_id", "state", "status"),
          f"{ENROLMENTS} r JOIN {CANDIDATES} c ON c.id = r.candidate_id", "r.cohort_id, r.state, c.status",
          "penetapan per kohort, keadaan dan status calon"),
    Tally("verification_decisiontally", ("program_id", "level", "decision"),
          f"{DECISIONS} r JOIN {CANDIDATES} c ON c.id = r.candidate_id", "c.program_id, r.level, r.decision",
          "keputusan verifikasi per program, tingkat dan keputusan"),
    Tally("counters_ledgertally", ("program_id", "bulan", "state", "aturan"), f"{LEDGER} r",
          "r.program_id, r.bulan, r.state, r.aturan", "iuran orang-bulan per program, bulan, keadaan dan aturan",
          values=("n", "iuran", "paid"), sums="COUNT(*), SUM(r.iuran), SUM(r.paid_amount)"),
    Tally("counters_coveragetally", ("program_id", "bulan", "desa", "pekerjaan"),
          f"(SELECT * FROM {LEDGER} WHERE state <> 'batal') r", "r.program_id, r.bulan, r.desa_kode, r.pekerjaan",
          "orang-bulan tercakup per program, bulan, desa dan pekerjaan"),
    Tally("counters_warningtally", ("program_id", "problem_codes", "status"),
          f"(SELECT * FROM {CANDIDATES} WHERE problem_codes <> '') r", "r.program_id, r.problem_codes, r.status",
          "calon per program, kombinasi kode peringatan dan status"),
)
# The tallies a row inserted into each table counts in (a bulk INSERT's rows are added to these: lindung.counters.bulk).
COUNTED_TABLE = {CANDIDATES: (TALLIES[0], TALLIES[5]), ENROLMENTS: (TALLIES[1],), DECISIONS: (TALLIES[2],),
                 LEDGER: (TALLIES[3],)}


# The triggers that keep the tallies, by table (the migrations create them: counters 0001, 0003, 0004 and 0006,
# verification 0002). A migration that lets SQLite rebuild one of these tables (Django's AlterField, or an
# AddField of a NOT NULL column) drops its triggers without a word, and its counters go stale at the next write.
_EVENTS = ("insert", "delete", "update")
TRIGGERS = {
    CANDIDATES: [f"counters_{kind}_{event}" for kind in ("candidate", "warning") for event in _EVENTS],
    ENROLMENTS: [f"counters_enrolment_{event}" for event in _EVENTS],
    DECISIONS: [f"verification_tally_{event}" for event in _EVENTS],
    LEDGER: [f"counters_{kind}_{event}" for kind in ("ledger", "coverage") for event in _EVENTS],
}
SQLITE_TRIGGERS = ["counters_candidate_status"]  # PostgreSQL does this in counters_candidate_update


# The migrations that install those triggers, in the order they ran. Their SQL is written out in them, not
# imported (a migration stays what it was when applied), so they are its one source: `hitung-ulang` runs
# their own install functions against a recorder and keeps the CREATE statements. A later definition of a
# name wins (counters 0005 replaced counters_candidate_update's function on PostgreSQL).
INSTALLED_BY = (
    ("counters", "0001_candidate_and_enrolment_tallies_kept_by_triggers"),
    ("verification", "0002_decision_tally"),
    ("counters", "0003_ledger_tally_kept_by_triggers"),
    ("counters", "0004_coverage_tally_kept_by_triggers"),
    ("counters", "0005_candidate_update_trigger_finds_enrolments_by_index"),
    ("counters", "0006_warning_tally_kept_by_triggers"),
)
_CREATE = re.compile(r"CREATE (?:OR REPLACE )?(FUNCTION|TRIGGER) (\w+)")


class _Recorder:
    """What a RunPython function is given as its schema editor: this connection, and every statement noted."""

    def __init__(self, connection):
        self.connection = connection
        self.statements: list[str] = []

    def execute(self, sql, params=None) -> None:
        self.statements.append(str(sql))


def installed_sql() -> dict[tuple[str, str], str]:
    """("TRIGGER" or "FUNCTION", name) -> the statement the migrations ran for it on this database's kind."""
    recorder = _Recorder(connection)
    for app, name in INSTALLED_BY:
        for operation in import_module(f"lindung.{app}.migrations.{name}").Migration.operations:
            if isinstance(operation, migrations.RunPython):
                operation.code(None, recorder)
    found = {}
    for sql in recorder.statements:
        if created := _CREATE.match(sql):
            found[(created[1], created[2])] = sql
    return found


def recreate_missing_triggers(cursor) -> list[str]:
    """Install again, as the migrations did, every counter trigger this database lacks (and on PostgreSQL
    its function, when that is gone too); returns their names."""
    missing = missing_triggers(cursor)
    sql = installed_sql() if missing else {}
    for name in missing:
        if connection.vendor == "postgresql":
            # Ours only: a function of that name in another schema on the search path is not it (CREATE
            # TRIGGER would call that one). The migrations made ours in the connection's current schema.
            cursor.execute("SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                           "WHERE p.proname = %s AND n.nspname = current_schema()", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql[("FUNCTION", name)])
        cursor.execute(sql[("TRIGGER", name)])
    return missing


def missing_triggers(cursor) -> list[str]:
    """The counter triggers this database lacks (none after `lindung migrate`)."""
    if connection.vendor == "postgresql":
        # On our tables, in the current schema: a same-named trigger on another schema's table is not ours.
        cursor.execute("SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                       "JOIN pg_namespace n ON n.oid = c.relnamespace "
                       "WHERE NOT t.tgisinternal AND n.nspname = current_schema()")
        expected = [(table, name) for table, names in TRIGGERS.items() for name in names]
    else:
        cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")  # main's only
        expected = [(table, name) for table, names in TRIGGERS.items() for name in names]
        expected += [(CANDIDATES, name) for name in SQLITE_TRIGGERS]
    present = set(cursor.fetchall())
    return [name for table, name in expected if (table, name) not in present]


@dataclass(frozen=True)
class Drift:
    label: str
    key: tuple
    kept: int | tuple
    real: int | tuple

    def as_json(self) -> dict:
        return {"hitungan": self.label, "kunci": [str(k) for k in self.key], "tercatat": self.kept, "sebenarnya": self.real}


def backfill_sql(tally: Tally) -> str:
    return f"INSERT INTO {tally.table} ({', '.join(tally.keys + tally.values)}) {tally.counted()}"


def _hashable(value):
    return json.dumps(value, sort_keys=True) if isinstance(value, (list, dict)) else value  # a JSON key (jsonb)


def _read(cursor, sql: str, width: int) -> dict[tuple, int | tuple]:
    cursor.execute(sql)
    out = {}
    for row in cursor.fetchall():
        values = tuple(int(v or 0) for v in row[-width:])
        if any(values):
            out[tuple(_hashable(k) for k in row[:-width])] = values[0] if width == 1 else values
    return out


def drifts(cursor, tally: Tally) -> list[Drift]:
    width = len(tally.values)
    kept = _read(cursor, f"SELECT {', '.join(tally.keys + tally.values)} FROM {tally.table}", width)
    real = _read(cursor, tally.counted(), width)
    zero = 0 if width == 1 else (0,) * width
    return [Drift(tally.label, key, kept.get(key, zero), real.get(key, zero))
            for key in sorted(kept.keys() | real.keys(), key=str) if kept.get(key, zero) != real.get(key, zero)]


def check_and_rebuild(*, rebuild: bool, recreated: list[str] | None = None) -> list[Drift]:
    """Every counter that differs from a real COUNT; with `rebuild`, the missing counter triggers installed
    again first (their names added to `recreated`), so what is recounted stays right at the next write, then
    the differing tables recounted from scratch — all in one transaction."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # writers wait while we count (SQLite's immediate transaction does that)
            tables = ", ".join([CANDIDATES, ENROLMENTS, DECISIONS, LEDGER, *(t.table for t in TALLIES)])
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
        if rebuild:
            names = recreate_missing_triggers(cursor)
            if recreated is not None:
                recreated += names
        found = []
        for tally in TALLIES:
            wrong = drifts(cursor, tally)
            found += wrong
            if wrong and rebuild:
                cursor.execute(f"DELETE FROM {tally.table}")
                cursor.execute(backfill_sql(tally))
    return found
