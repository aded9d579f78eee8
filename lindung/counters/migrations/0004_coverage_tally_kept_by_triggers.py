"""The coverage tally and the triggers that keep it (lindung.counters.models.CoverageTally says why).

A person-month counts while it is not *batal*; its key is its programme, month and the desa and occupation
it was billed with (billing 0005). The SQL is written out here, as in 0001 and 0003."""

from django.db import migrations, models

CV, PM = "counters_coveragetally", "billing_personmonth"
KEYS = "program_id, bulan, desa, pekerjaan"
COLUMNS = "program_id, bulan, desa_kode, pekerjaan"  # the same, as the ledger names them

# SQLite: row triggers; each statement of a body checks the row's state itself.
_ADD = (f"INSERT INTO {CV} ({KEYS}, n) SELECT NEW.program_id, NEW.bulan, NEW.desa_kode, NEW.pekerjaan, 1 "
        f"WHERE NEW.state <> 'batal' ON CONFLICT ({KEYS}) DO UPDATE SET n = n + 1;")
_SUB = (f"UPDATE {CV} SET n = n - 1 WHERE OLD.state <> 'batal' AND program_id = OLD.program_id AND bulan = OLD.bulan "
        "AND desa = OLD.desa_kode AND pekerjaan = OLD.pekerjaan;")
SQLITE = [
    f"CREATE TRIGGER counters_coverage_insert AFTER INSERT ON {PM} BEGIN {_ADD} END",
    f"CREATE TRIGGER counters_coverage_delete AFTER DELETE ON {PM} BEGIN {_SUB} END",
    f"CREATE TRIGGER counters_coverage_update AFTER UPDATE OF program_id, bulan, state, desa_kode, pekerjaan ON {PM} "
    f"BEGIN {_SUB} {_ADD} END",
]
# PostgreSQL: statement-level, one grouped upsert of the net change (see counters 0001).
_NEW = f"SELECT {COLUMNS}, 1 AS d FROM new_rows WHERE state <> 'batal'"
_OLD = f"SELECT {COLUMNS}, -1 AS d FROM old_rows WHERE state <> 'batal'"


def _upsert(rows: str) -> str:
    return (f"INSERT INTO {CV} ({KEYS}, n) SELECT {COLUMNS}, SUM(d) FROM ({rows}) x GROUP BY {COLUMNS} "
            f"HAVING SUM(d) <> 0 ON CONFLICT ({KEYS}) DO UPDATE SET n = {CV}.n + EXCLUDED.n;")


def _pg_trigger(event: str, body: str, referencing: str) -> list[str]:
    name = f"counters_coverage_{event.lower()}"
    return [f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {body} RETURN NULL; END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER {name} AFTER {event} ON {PM} REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"]


POSTGRES = [
    *_pg_trigger("INSERT", _upsert(_NEW), "NEW TABLE AS new_rows"),
    *_pg_trigger("DELETE", _upsert(_OLD), "OLD TABLE AS old_rows"),
    *_pg_trigger("UPDATE", _upsert(f"{_OLD} UNION ALL {_NEW}"), "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
]
BACKFILL = (f"INSERT INTO {CV} ({KEYS}, n) SELECT {COLUMNS}, COUNT(*) FROM {PM} WHERE state <> 'batal' "
            f"GROUP BY {COLUMNS}")


def install(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in [*statements, BACKFILL]:
        schema_editor.execute(sql)


def remove(apps, schema_editor):
    for event in ("insert", "delete", "update"):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS counters_coverage_{event} ON {PM}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS counters_coverage_{event}()")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS counters_coverage_{event}")


class Migration(migrations.Migration):

    dependencies = [
        ('counters', '0003_ledger_tally_kept_by_triggers'),
        ('billing', '0005_person_month_desa_and_pekerjaan'),
    ]

    operations = [
        migrations.CreateModel(
            name='CoverageTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('program_id', models.BigIntegerField()),
                ('bulan', models.DateField()),
                ('desa', models.CharField(max_length=13)),
                ('pekerjaan', models.CharField(max_length=40)),
                ('n', models.BigIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'hitungan cakupan',
                'verbose_name_plural': 'hitungan cakupan',
                'indexes': [models.Index(fields=['bulan', 'desa'], name='coverage_tally_month_area')],
                'constraints': [models.UniqueConstraint(fields=('program_id', 'bulan', 'desa', 'pekerjaan'), name='one_coverage_tally')],
            },
        ),
        migrations.RunPython(install, remove),
    ]
