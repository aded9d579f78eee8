"""Who decided a programme's candidates last (services.nothing_pending_message, shown_gone_message) reads
the decisions' `decision_latest` index (decided_at, id) backwards to the programme's first one, instead
of sorting every decision of its candidates: at a province's 1.000.000 candidates that sort read them all.
Shown with EXPLAIN on SQLite and on PostgreSQL (there with sequential scans off, as in
lindung/imports/tests/test_indexes.py: the planner prefers them on a test's tiny tables)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from django.db import connection

from lindung.imports.models import Candidate
from lindung.imports.tests.plans import query_plans
from lindung.lib.bulk import insert_many
from lindung.programs.tests.test_scale import _bulk_candidates
from lindung.verification import services
from lindung.verification.models import VerificationDecision


def _plans(queries) -> str:
    return query_plans(queries, analysed=(Candidate._meta.db_table, VerificationDecision._meta.db_table))


def _latest_decision_selects(call) -> list[tuple[str, tuple]]:
    queries = []

    def record(execute, sql, params, many, context):
        if 'FROM "verification_verificationdecision"' in sql and "ORDER BY" in sql and "DESC" in sql:
            queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        call()
    return queries


@pytest.mark.django_db
def test_the_latest_decision_of_a_programme_is_read_from_its_index(people):
    program = people.program_a
    program.tingkat_verifikasi = ["dinsos"]
    program.save()
    _bulk_candidates(program, 600, level_index=0)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    pks = list(Candidate.objects.filter(program=program).values_list("pk", flat=True))
    insert_many(VerificationDecision, ("candidate", "level", "decision", "reason", "note", "verifier", "decided_at"),
                ((pk, "dinsos", "layak", "", "", people.verifier_a.pk, start + timedelta(minutes=i))
                 for i, pk in enumerate(pks)))
    Candidate.objects.filter(pk__in=pks).update(status="terverifikasi")
    shown = services.Shown(("dinsos",), 0, max(pks))
    queries = _latest_decision_selects(lambda: (services.nothing_pending_message(people.verifier_a, program),
                                                services.shown_gone_message(people.verifier_a, program, shown)))
    assert len(queries) == 2
    plan = _plans(queries)
    assert plan.count("decision_latest") == 2, plan
    if connection.vendor == "sqlite":
        assert "TEMP B-TREE" not in plan, plan  # no sort
    else:
        assert "Sort" not in plan, plan
    message = services.nothing_pending_message(people.verifier_a, program)
    assert "semuanya sudah Anda putuskan sendiri" in message
