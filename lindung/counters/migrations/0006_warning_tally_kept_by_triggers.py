"""The warning tally and the triggers that keep it (lindung.counters.models.WarningTally says why).

Only candidates with at least one warning code are counted; the key is the programme, the combination of
codes as the candidate stores it ("|a||b|") and the status. The SQL is written out here, as in 0001, 0003
and 0004. Nothing here alters imports_candidate, so SQLite does not rebuild that table (which would drop
every counter trigger on it)."""

from django.db import migrations, models

WT, C = "counters_warningtally", "imports_candidate"
KEYS = "program_id, problem_codes, status"

# SQLite: row triggers; a candidate without codes is skipped by the trigger's WHEN, so the body never runs for it.
_ADD = (f"INSERT INTO {WT} ({KEYS}, n) SELECT NEW.program_id, NEW.problem_codes, NEW.status, 1 "
        f"WHERE NEW.problem_codes <> '' ON CONFLICT ({KEYS}) DO UPDATE SET n = n + 1;")
_SUB = (f"UPDATE {WT} SET n = n - 1 WHERE OLD.problem_codes <> '' AND program_id = OLD.program_id "
        "AND problem_codes = OLD.problem_codes AND status = OLD.status;")
SQLITE = [
    f"CREATE TRIGGER counters_warning_insert AFTER INSERT ON {C} WHEN NEW.problem_codes <> '' BEGIN {_ADD} END",
    f"CREATE TRIGGER counters_warning_delete AFTER DELETE ON {C} WHEN OLD.problem_codes <> '' BEGIN {_SUB} END",
    f"CREATE TRIGGER counters_warning_update AFTER UPDATE OF program_id, problem_codes, status ON {C} "
    "WHEN (OLD.problem_codes <> '' OR NEW.problem_codes <> '') AND (OLD.program_id <> NEW.program_id "
    f"OR OLD.problem_codes <> NEW.problem_codes OR OLD.status <> NEW.status) BEGIN {_SUB} {_ADD} END",
]
# PostgreSQL: statement-level, one grouped upsert of the net change (see counters 0001); a bulk decision's
# 100.000 rows are read from the transition tables once and only those with codes are grouped.
_NEW = f"SELECT {KEYS}, 1 AS d FROM new_rows WHERE problem_codes <> ''"
_OLD = f"SELECT {KEYS}, -1 AS d FROM old_rows WHERE problem_codes <> ''"


def _upsert(rows: str) -> str:
    return (f"INSERT INTO {WT} ({KEYS}, n) SELECT {KEYS}, SUM(d) FROM ({rows}) x GROUP BY {KEYS} "
            f"HAVING SUM(d) <> 0 ON CONFLICT ({KEYS}) DO UPDATE SET n = {WT}.n + EXCLUDED.n;")


def _pg_trigger(event: str, body: str, referencing: str) -> list[str]:
    name = f"counters_warning_{event.lower()}"
    return [f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {body} RETURN NULL; END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER {name} AFTER {event} ON {C} REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"]


POSTGRES = [
    *_pg_trigger("INSERT", _upsert(_NEW), "NEW TABLE AS new_rows"),
    *_pg_trigger("DELETE", _upsert(_OLD), "OLD TABLE AS old_rows"),
    *_pg_trigger("UPDATE", _upsert(f"{_OLD} UNION ALL {_NEW}"), "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
]
BACKFILL = f"INSERT INTO {WT} ({KEYS}, n) SELECT {KEYS}, COUNT(*) FROM {C} WHERE problem_codes <> '' GROUP BY {KEYS}"


def install(apps, schema_editor):
    """The triggers first, then the counts so far (a migration runs with writers stopped)."""
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in [*statements, BACKFILL]:
        schema_editor.execute(sql)


def remove(apps, schema_editor):
    for event in ("insert", "delete", "update"):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS counters_warning_{event} ON {C}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS counters_warning_{event}()")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS counters_warning_{event}")


class Migration(migrations.Migration):

    dependencies = [
        ('counters', '0005_candidate_update_trigger_finds_enrolments_by_index'),
        ('imports', '0007_warning_filter_in_list_order'),
    ]

    operations = [
        migrations.CreateModel(
            name='WarningTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('program_id', models.BigIntegerField()),
                ('problem_codes', models.CharField(max_length=400)),
                ('status', models.CharField(max_length=16)),
                ('n', models.BigIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'hitungan peringatan calon',
                'verbose_name_plural': 'hitungan peringatan calon',
                'constraints': [models.UniqueConstraint(fields=('program_id', 'problem_codes', 'status'), name='one_warning_tally')],
            },
        ),
        migrations.RunPython(install, remove),
    ]
