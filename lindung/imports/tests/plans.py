"""Query plans for the index tests: which index a page's or a job's SELECT reads, on either database."""

from __future__ import annotations

from django.db import connection


def query_plans(queries: list[tuple[str, tuple]], analysed: tuple[str, ...] = ()) -> str:
    """The plans of these SELECTs, joined; on PostgreSQL as if the tables were large, with the `analysed`
    tables' statistics taken from this test's rows (not ones an autovacuum took during an earlier test)."""
    plans = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in analysed:
                cursor.execute(f"ANALYZE {table}")
            cursor.execute("SET enable_seqscan = off")
        try:
            for sql, params in queries:
                cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql, params)
                plans += [" ".join(str(v) for v in row) for row in cursor.fetchall()]
        finally:
            if connection.vendor == "postgresql":
                cursor.execute("SET enable_seqscan = on")
    return "\n".join(plans)
