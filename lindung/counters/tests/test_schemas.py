"""`lindung hitung-ulang` looks for our counter triggers and functions in the connection's current schema
only (PostgreSQL). It looked them up by name in pg_trigger and pg_proc across every schema: a same-named
function elsewhere on the search path was taken for ours (so it was not made again, and CREATE TRIGGER
bound our trigger to that one: the counters stopped counting), and a same-named trigger on another
schema's table hid ours being gone. Both rolled back with the test (PostgreSQL's DDL is transactional)."""

import pytest
from django.db import connection

from lindung.counters.rebuild import check_and_rebuild, missing_triggers
from lindung.counters.tests.test_tallies import make_candidate

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite has no schemas to confuse")

NAME = "counters_candidate_insert"


def _other_schema(cursor) -> str:
    """A schema `lain` after ours on the search path, with a do-nothing function of our trigger's name."""
    cursor.execute("SELECT current_schema()")
    ours = cursor.fetchone()[0]
    cursor.execute("CREATE SCHEMA lain")
    cursor.execute(f"CREATE FUNCTION lain.{NAME}() RETURNS trigger AS $$ BEGIN RETURN NULL; END $$ LANGUAGE plpgsql")
    cursor.execute(f'SET LOCAL search_path = "{ours}", lain')
    return ours


def test_a_same_named_function_in_another_schema_is_not_taken_for_ours(people):
    with connection.cursor() as cursor:
        ours = _other_schema(cursor)
        cursor.execute(f"DROP TRIGGER {NAME} ON imports_candidate")
        cursor.execute(f"DROP FUNCTION {NAME}()")
        recreated = []
        check_and_rebuild(rebuild=True, recreated=recreated)
        assert recreated == [NAME]
        cursor.execute("SELECT n.nspname FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
                       "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE t.tgname = %s", [NAME])
        assert cursor.fetchall() == [(ours,)]  # our trigger calls our function, made again
    make_candidate(people.program_a, "Sesudah")
    assert check_and_rebuild(rebuild=False) == []  # counted


def test_a_same_named_trigger_on_another_schemas_table_does_not_hide_ours_being_gone(people):
    with connection.cursor() as cursor:
        _other_schema(cursor)
        cursor.execute("CREATE TABLE lain.imports_candidate (id bigint)")
        cursor.execute(f"CREATE TRIGGER {NAME} AFTER INSERT ON lain.imports_candidate "
                       f"FOR EACH STATEMENT EXECUTE FUNCTION lain.{NAME}()")
        assert missing_triggers(cursor) == []
        cursor.execute(f"DROP TRIGGER {NAME} ON imports_candidate")
        assert missing_triggers(cursor) == [NAME]
