"""A bulk INSERT counted once instead of once per row, on SQLite (issue 18).

SQLite has only row-level triggers: forming a province's cohort fired the enrolment counter's trigger
850.000 times — a candidate lookup, an upsert and a statement journal each — and that was most of the
job's time (54 s of a 68 s run at 1M, against 14 s for the same INSERTs without the trigger). So
`lindung.lib.bulk.insert_many` runs its INSERTs inside `counted_once`: the table's row-level insert
triggers are dropped for the block and, after it, the rows the block added are counted into each tally by
one grouped upsert — the same COUNT ... GROUP BY that `lindung hitung-ulang` checks the tally with
(`rebuild.Tally.counted`) — and the triggers are created again, each from its own stored text. All of it
in one transaction (a savepoint when nested): SQLite lets one writer at a time in, so no other writer can
slip an INSERT past a missing trigger, and an error or a kill rolls the DROP back with the rows.

PostgreSQL needs none of this: its counter triggers are statement-level over the transition tables, so a
COPY of 850.000 rows already updates each counter once.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import transaction

from lindung.counters.rebuild import COUNTED_TABLE, Tally

# The row-level insert triggers SQLite keeps each counted table's tallies with, in the order of the tallies
# of rebuild.COUNTED_TABLE (the migrations create them: counters 0001, 0003 and 0006, verification 0002).
INSERT_TRIGGERS = {
    "imports_candidate": ("counters_candidate_insert", "counters_warning_insert"),
    "enrolment_enrolment": ("counters_enrolment_insert",),
    "verification_verificationdecision": ("verification_tally_insert",),
    "billing_personmonth": ("counters_ledger_insert",),
}


def add_sql(tally: Tally, where: str) -> str:
    """Add the rows matching `where` (over `r`) to the tally: one grouped upsert."""
    keys, values = ", ".join(tally.keys), tally.values
    added = ", ".join(f"{v} = {tally.table}.{v} + excluded.{v}" for v in values)
    return (f"INSERT INTO {tally.table} ({keys}, {', '.join(values)}) {tally.counted(where)} "
            f"ON CONFLICT ({keys}) DO UPDATE SET {added}")


@contextmanager
def counted_once(connection, table: str, pk_column: str = "id"):
    """INSERTs into `table` inside the block are counted into its tallies once, at the end (SQLite only)."""
    names = INSERT_TRIGGERS.get(table)
    if connection.vendor != "sqlite" or names is None:
        yield
        return
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(names))
        cursor.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})", list(names))
        found = dict(cursor.fetchall())
        # A database migrated only part of the way: pause (and count for) only the triggers it has.
        paused = [(name, tally) for name, tally in zip(names, COUNTED_TABLE[table]) if name in found]
        if not paused:
            yield
            return
        # Primary keys only grow (AUTOINCREMENT): the block's rows are those above the largest one now.
        cursor.execute(f"SELECT COALESCE(MAX({pk_column}), 0) FROM {table}")
        (last,) = cursor.fetchone()
        for name, _tally in paused:
            cursor.execute(f"DROP TRIGGER {name}")
        yield
        for name, tally in paused:
            cursor.execute(add_sql(tally, f"r.{pk_column} > %s"), [last])
            cursor.execute(found[name])
