"""Issue 18: the candidate table keeps only the indexes its queries use, and those queries still find theirs.

A decision changes `status` and `level_index`; on PostgreSQL that is never a HOT update, so every index of
the table takes a new entry per candidate decided (*semua* over 100.000 at 1M). Migrations imports 0008/0009
and verification 0003 dropped the indexes a wider one covers and made the warning and KPJ indexes partial;
these tests fail if an index comes back unasked, or if a page's query can no longer be answered from its
index (on PostgreSQL with sequential scans disabled, as the planner prefers them on a test's tiny tables)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from lindung.imports.models import Candidate, CandidateStatus
from lindung.imports.tests.plans import query_plans
from lindung.programs.tests.test_scale import _bulk_candidates
from lindung.verification.models import VerificationDecision

CANDIDATE_INDEXES = {
    "candidate_list_order", "candidate_name_prefix", "candidate_problem_order", "candidate_queue_order",
    "candidate_nik", "candidate_kpj_known",
    # the foreign keys' own: a Person, Region or ImportBatch deleted or looked up finds its candidates
    "imports_candidate_person_id_39a3c98e", "imports_candidate_desa_id_70b7675e",
    "imports_candidate_source_batch_id_611f10c1",
}


def _plain_indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name for name, c in found.items() if c["index"] and not c["primary_key"] and not c["unique"]}


@pytest.mark.django_db
def test_the_candidate_table_has_only_the_indexes_its_queries_use():
    assert _plain_indexes(Candidate._meta.db_table) == CANDIDATE_INDEXES
    # the decision's candidate is found through the unique (candidate, level), which begins with it
    assert _plain_indexes(VerificationDecision._meta.db_table) == {
        "decision_latest",  # who decided a programme's candidates last (verification/tests/test_latest_index.py)
        "verification_verificationdecision_berita_acara_id_3fb98761",
        "verification_verificationdecision_verifier_id_7bf82125"}


def _plans(queries: list[tuple[str, tuple]]) -> str:
    return query_plans(queries, analysed=(Candidate._meta.db_table,))


def _candidate_selects(client, url: str, params: dict) -> list[tuple[str, tuple]]:
    """The SELECTs from the candidates a page ran, with their parameters."""
    queries = []

    def record(execute, sql, sql_params, many, context):
        if 'FROM "imports_candidate"' in sql and sql.lstrip().upper().startswith("SELECT"):
            queries.append((sql, sql_params))
        return execute(sql, sql_params, many, context)

    with connection.execute_wrapper(record):
        assert client.get(url, params).status_code == 200
    return queries


def test_the_warning_filter_status_filter_and_queue_read_their_indexes(client, people):
    program = people.program_a
    _bulk_candidates(program, 40, level_index=program.levels.index("disnaker"))
    pks = list(Candidate.objects.filter(program=program).order_by("pk").values_list("pk", flat=True))
    Candidate.objects.filter(pk__in=pks[:10]).update(problem_codes="|no_hp_tidak_valid|")
    Candidate.objects.filter(pk__in=pks[10:15]).update(status=CandidateStatus.TERVERIFIKASI)
    # most of a programme is past the queue, as at 1M (600.000 seated, 100.000 waiting): the queue's
    # candidates are a small share of the table, so the planner reads them from the queue's index
    _bulk_candidates(program, 2000, start=1000)
    Candidate.objects.filter(program=program, pk__gt=pks[-1]).update(status=CandidateStatus.TERDAFTAR)
    client.force_login(people.operator_a)
    url = reverse("candidate_list", args=[program.slug])
    warned = _candidate_selects(client, url, {"masalah": "no_hp_tidak_valid"})
    rows = [q for q in warned if "LIMIT 51" in q[0]]  # the page's rows, read one combination at a time
    assert rows and "candidate_problem_order" in _plans(rows)
    # each part names its one combination, without the IN over all of them that PostgreSQL would count twice
    # (at 1M with fresh statistics: 24.000 rows sorted instead of 51 read in the index's order)
    assert not any('"problem_codes" IN' in sql for sql, _params in rows)
    status_plan = _plans(_candidate_selects(client, url, {"status": CandidateStatus.TERVERIFIKASI}))
    assert "candidate_queue_order" in status_plan, status_plan
    queue = _candidate_selects(client, reverse("verification_queue", args=[program.slug]), {})
    assert "candidate_queue_order" in _plans(queue)
