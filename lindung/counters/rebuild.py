"""Compare the trigger-kept counters with a real COUNT, and rebuild them (`lindung hitung-ulang`).

The triggers keep the counters exact through every write; a counter can only drift when something goes
around them (a restore of some tables only, TRUNCATE, triggers dropped by hand). Then this puts them right:
the same GROUP BY the migration backfilled with, in one transaction that holds writers off meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction

CANDIDATES, ENROLMENTS, DECISIONS = "imports_candidate", "enrolment_enrolment", "verification_verificationdecision"


@dataclass(frozen=True)
class Tally:
    table: str
    keys: tuple[str, ...]
    counted: str  # SELECT keys..., COUNT(*) of the real rows
    label: str


TALLIES = (
    Tally("counters_candidatetally", ("program_id", "status", "level_index"),
          f"SELECT program_id, status, level_index, COUNT(*) FROM {CANDIDATES} GROUP BY program_id, status, level_index",
          "calon per program, status dan tingkat"),
    Tally("counters_enrolmenttally", ("cohort_id", "state", "status"),
          f"SELECT e.cohort_id, e.state, c.status, COUNT(*) FROM {ENROLMENTS} e JOIN {CANDIDATES} c ON c.id = e.candidate_id "
          "GROUP BY e.cohort_id, e.state, c.status",
          "penetapan per kohort, keadaan dan status calon"),
    Tally("verification_decisiontally", ("program_id", "level", "decision"),
          f"SELECT c.program_id, d.level, d.decision, COUNT(*) FROM {DECISIONS} d JOIN {CANDIDATES} c ON c.id = d.candidate_id "
          "GROUP BY c.program_id, d.level, d.decision",
          "keputusan verifikasi per program, tingkat dan keputusan"),
)


@dataclass(frozen=True)
class Drift:
    label: str
    key: tuple
    kept: int
    real: int

    def as_json(self) -> dict:
        return {"hitungan": self.label, "kunci": [str(k) for k in self.key], "tercatat": self.kept, "sebenarnya": self.real}


def backfill_sql(tally: Tally) -> str:
    return f"INSERT INTO {tally.table} ({', '.join(tally.keys)}, n) {tally.counted}"


def _read(cursor, sql: str) -> dict[tuple, int]:
    cursor.execute(sql)
    return {tuple(row[:-1]): row[-1] for row in cursor.fetchall() if row[-1]}


def drifts(cursor, tally: Tally) -> list[Drift]:
    kept = _read(cursor, f"SELECT {', '.join(tally.keys)}, n FROM {tally.table}")
    real = _read(cursor, tally.counted)
    return [Drift(tally.label, key, kept.get(key, 0), real.get(key, 0))
            for key in sorted(kept.keys() | real.keys(), key=str) if kept.get(key, 0) != real.get(key, 0)]


def check_and_rebuild(*, rebuild: bool) -> list[Drift]:
    """Every counter that differs from a real COUNT; with `rebuild`, those tables recounted from scratch."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # writers wait while we count (SQLite's immediate transaction does that)
            tables = ", ".join([CANDIDATES, ENROLMENTS, DECISIONS, *(t.table for t in TALLIES)])
            cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
        found = []
        for tally in TALLIES:
            wrong = drifts(cursor, tally)
            found += wrong
            if wrong and rebuild:
                cursor.execute(f"DELETE FROM {tally.table}")
                cursor.execute(backfill_sql(tally))
    return found
