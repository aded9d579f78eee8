"""A bulk INSERT (lindung.lib.bulk.insert_many: a cohort placed in chunks, a bulk decision, a renewal's
candidates) is counted once per call on SQLite instead of by a row trigger per row (lindung.counters.bulk),
and the counters stay exact on both databases — also when the INSERT fails half-way."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lindung.counters.bulk import INSERT_TRIGGERS
from lindung.counters.models import EnrolmentTally
from lindung.counters.tests.test_tallies import assert_exact
from lindung.enrolment import services
from lindung.enrolment.models import Enrolment
from lindung.enrolment.tests.test_cohort import rows, verified
from lindung.lib.bulk import insert_many
from lindung.test import KAB_A, make_program

SQLITE = connection.vendor == "sqlite"


def installed_triggers() -> set[str]:
    if not SQLITE:
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


@contextmanager
def sqlite_statements():
    """Every statement SQLite starts, as its trace reports it: a row trigger's work is reported under the
    INSERT that fired it, so an INSERT of n rows that fires a trigger is reported more than n times."""
    seen: list[str] = []
    if not SQLITE:
        yield seen
        return
    connection.ensure_connection()
    connection.connection.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        connection.connection.set_trace_callback(None)


def test_a_cohort_placed_in_chunks_is_counted_once_per_chunk_and_exactly(people, monkeypatch):
    program = make_program("bulk", KAB_A, pagu=3 * 2 * 16_800)
    verified(program, people.operator_a, rows(7))
    monkeypatch.setattr(services, "PLACE_CHUNK", 2)  # four INSERTs of at most two rows
    triggers = installed_triggers()
    with sqlite_statements() as seen:
        cohort = services.form_cohort(program=program, user=people.admin_a)
    assert EnrolmentTally.objects.by_state(cohort.pk) == {"kursi": 3, "tunggu": 4}
    assert installed_triggers() == triggers  # every trigger is back after the bulk path
    if SQLITE:
        inserts = [s for s in seen if s.startswith('INSERT INTO "enrolment_enrolment"')]
        assert len(inserts) == 7  # one per row: no row trigger ran under them
        assert sum(s.startswith("INSERT INTO counters_enrolmenttally") for s in seen) == 4  # one grouped upsert per chunk
    # A single row written outside the bulk path is still counted by the trigger.
    last = cohort.enrolments.order_by("-urutan").first()
    last.delete()
    assert EnrolmentTally.objects.by_state(cohort.pk) == {"kursi": 3, "tunggu": 3}
    Enrolment.objects.create(cohort=cohort, candidate_id=last.candidate_id, urutan=last.urutan,
                             state=Enrolment.State.SEATED)
    assert EnrolmentTally.objects.by_state(cohort.pk) == {"kursi": 4, "tunggu": 3}
    assert_exact()


def test_a_bulk_insert_that_fails_half_way_leaves_the_counters_and_the_trigger_as_they_were(people):
    program = make_program("gagal", KAB_A, pagu=3 * 2 * 16_800)
    verified(program, people.operator_a, rows(3))
    cohort = services.form_cohort(program=program, user=people.admin_a)
    before, triggers = EnrolmentTally.objects.by_state(cohort.pk), installed_triggers()
    assert INSERT_TRIGGERS["enrolment_enrolment"][0] in triggers or not SQLITE
    other = make_program("lain", KAB_A, pagu=3 * 2 * 16_800)
    verified(other, people.operator_a, rows(2, start_serial=50))
    target = services.form_cohort(program=other, user=people.admin_a)
    now = timezone.now()
    again = [(target.pk, c.pk, 10 + i, "tunggu", now) for i, c in enumerate(program.candidates.order_by("pk"))]
    seated_twice = [(target.pk, e.candidate_id, 20, "kursi", now) for e in target.enrolments.all()[:1]]
    with pytest.raises((IntegrityError, connection.Database.IntegrityError)), transaction.atomic():  # 2nd chunk: a duplicate
        insert_many(Enrolment, ("cohort", "candidate", "urutan", "state", "updated_at"), again + seated_twice, chunk=3)
    assert EnrolmentTally.objects.by_state(cohort.pk) == before
    assert EnrolmentTally.objects.by_state(target.pk) == {"kursi": 2}
    assert installed_triggers() == triggers
    assert_exact()


def test_a_bulk_insert_of_candidates_pauses_both_their_triggers_and_counts_each_tally_once(people):
    """imports_candidate keeps two tallies (per status; per combination of warning codes): a multi-row INSERT
    of candidates (an import, a renewal) pauses both row triggers and adds its rows to each with one upsert."""
    from datetime import datetime
    from datetime import timezone as tz

    from lindung.counters.models import CandidateTally, WarningTally, with_code
    from lindung.imports.models import Candidate
    from lindung.registry.models import Person

    program = make_program("warn", KAB_A)
    now = datetime.now(tz.utc)
    niks = [f"2102{i:012d}" for i in range(9)]
    insert_many(Person, ("nik", "nama", "created_at", "updated_at"), ((nik, "X", now, now) for nik in niks))
    persons = dict(Person.objects.filter(nik__in=niks).values_list("nik", "pk"))
    codes = ["|no_hp_tidak_valid|", "|no_hp_tidak_valid||rt_rw_tidak_valid|", ""]
    triggers = installed_triggers()
    with sqlite_statements() as seen:
        insert_many(Candidate, ("program", "person", "desa", "nik", "nama", "pekerjaan", "problem_codes", "created_at",
                                "updated_at"),
                    ((program.pk, persons[nik], "21.02.03.1001", nik, f"NAMA {i}", "petani", codes[i % 3], now, now)
                     for i, nik in enumerate(niks)), chunk=4)
    tally = WarningTally.objects.for_program(program.pk)
    assert (with_code(tally, "no_hp_tidak_valid"), with_code(tally, "rt_rw_tidak_valid")) == (6, 3)
    assert CandidateTally.objects.by_status(program.pk) == {"calon": 9}
    assert installed_triggers() == triggers
    if SQLITE:
        assert {"counters_candidate_insert", "counters_warning_insert"} <= triggers
        assert sum(s.startswith('INSERT INTO "imports_candidate"') for s in seen) == 9  # no row trigger under them
        assert sum(s.startswith("INSERT INTO counters_warningtally") for s in seen) == 1
        assert sum(s.startswith("INSERT INTO counters_candidatetally") for s in seen) == 1
    assert_exact()
