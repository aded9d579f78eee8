"""The candidate UPDATE trigger (PostgreSQL) finds the enrolments of the candidates whose status changed
through the enrolment's candidate index, instead of joining the transition tables with every enrolment.

Planned as a join, the enrolment part of `counters_candidate_update` read all of enrolment_enrolment
twice (a hash join over a sequential scan, ~0,3-0,6 s at 750.000 enrolments) for every UPDATE of a few
thousand candidates: most of the cost of *semua* over 100.000 candidates (20 UPDATEs). `= ANY(ARRAY(…))`
looks the changed candidates up in the index (~20 ms for 5.000), and the join is written once.

SQLite keeps its row triggers (migration 0001); the SQL is written out here so this migration stays what
it was when applied."""

from django.db import migrations

CT, ET, E = "counters_candidatetally", "counters_enrolmenttally", "enrolment_enrolment"


def _body(enrolments: str) -> str:
    return (
        "BEGIN "
        f"INSERT INTO {CT} (program_id, status, level_index, n) SELECT program_id, status, level_index, SUM(d) FROM "
        "(SELECT program_id, status, level_index, -1 AS d FROM old_rows UNION ALL "
        "SELECT program_id, status, level_index, 1 AS d FROM new_rows) x GROUP BY program_id, status, level_index "
        f"HAVING SUM(d) <> 0 ON CONFLICT (program_id, status, level_index) DO UPDATE SET n = {CT}.n + EXCLUDED.n; "
        f"{enrolments} RETURN NULL; END")


_BEFORE = _body(
    f"INSERT INTO {ET} (cohort_id, state, status, n) SELECT cohort_id, state, status, SUM(d) FROM "
    f"(SELECT e.cohort_id, e.state, o.status, -1 AS d FROM old_rows o JOIN new_rows w ON w.id = o.id JOIN {E} e "
    "ON e.candidate_id = o.id WHERE o.status <> w.status UNION ALL SELECT e.cohort_id, e.state, w.status, 1 AS d "
    f"FROM old_rows o JOIN new_rows w ON w.id = o.id JOIN {E} e ON e.candidate_id = o.id WHERE o.status <> w.status) x "
    f"GROUP BY cohort_id, state, status HAVING SUM(d) <> 0 ON CONFLICT (cohort_id, state, status) "
    f"DO UPDATE SET n = {ET}.n + EXCLUDED.n;")
_AFTER = _body(
    "WITH moved AS (SELECT o.id, o.status AS old_status, w.status AS new_status FROM old_rows o "
    "JOIN new_rows w ON w.id = o.id WHERE o.status <> w.status), "
    f"enrolled AS (SELECT e.cohort_id, e.state, m.old_status, m.new_status FROM {E} e JOIN moved m "
    "ON m.id = e.candidate_id WHERE e.candidate_id = ANY (ARRAY(SELECT id FROM moved))) "
    f"INSERT INTO {ET} (cohort_id, state, status, n) SELECT cohort_id, state, status, SUM(d) FROM "
    "(SELECT cohort_id, state, old_status AS status, -1 AS d FROM enrolled UNION ALL "
    "SELECT cohort_id, state, new_status, 1 AS d FROM enrolled) x "
    f"GROUP BY cohort_id, state, status HAVING SUM(d) <> 0 ON CONFLICT (cohort_id, state, status) "
    f"DO UPDATE SET n = {ET}.n + EXCLUDED.n;")


def _replace(body: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("CREATE OR REPLACE FUNCTION counters_candidate_update() RETURNS trigger AS $$ "
                                  f"{body} $$ LANGUAGE plpgsql")
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('counters', '0004_coverage_tally_kept_by_triggers'),
    ]

    operations = [
        migrations.RunPython(_replace(_AFTER), _replace(_BEFORE)),
    ]
