"""The ledger tally and the triggers that keep it (lindung.counters.models.LedgerTally says why)."""

from django.db import migrations, models

LT, PM = "counters_ledgertally", "billing_personmonth"
KEYS = "program_id, bulan, state, aturan"

# SQLite: row triggers.
_ADD = (f"INSERT INTO {LT} ({KEYS}, n, iuran, paid) VALUES (NEW.program_id, NEW.bulan, NEW.state, NEW.aturan, 1, "
        f"NEW.iuran, NEW.paid_amount) ON CONFLICT ({KEYS}) DO UPDATE SET n = n + 1, iuran = iuran + excluded.iuran, "
        "paid = paid + excluded.paid;")
_SUB = (f"UPDATE {LT} SET n = n - 1, iuran = iuran - OLD.iuran, paid = paid - OLD.paid_amount "
        "WHERE program_id = OLD.program_id AND bulan = OLD.bulan AND state = OLD.state AND aturan = OLD.aturan;")
SQLITE = [
    f"CREATE TRIGGER counters_ledger_insert AFTER INSERT ON {PM} BEGIN {_ADD} END",
    f"CREATE TRIGGER counters_ledger_delete AFTER DELETE ON {PM} BEGIN {_SUB} END",
    f"CREATE TRIGGER counters_ledger_update AFTER UPDATE OF program_id, bulan, state, aturan, iuran, paid_amount ON {PM} "
    f"BEGIN {_SUB} {_ADD} END",
]
# PostgreSQL: statement-level, one grouped upsert of the net change (see counters 0001).
_ROWS = (f"SELECT {KEYS}, 1 AS dn, iuran::bigint AS di, paid_amount::bigint AS dp FROM new_rows",
         f"SELECT {KEYS}, -1 AS dn, -iuran::bigint AS di, -paid_amount::bigint AS dp FROM old_rows")


def _upsert(rows: str) -> str:
    return (f"INSERT INTO {LT} ({KEYS}, n, iuran, paid) SELECT {KEYS}, SUM(dn), SUM(di), SUM(dp) FROM ({rows}) x "
            f"GROUP BY {KEYS} HAVING SUM(dn) <> 0 OR SUM(di) <> 0 OR SUM(dp) <> 0 ON CONFLICT ({KEYS}) DO UPDATE "
            f"SET n = {LT}.n + EXCLUDED.n, iuran = {LT}.iuran + EXCLUDED.iuran, paid = {LT}.paid + EXCLUDED.paid;")


def _pg_trigger(event: str, body: str, referencing: str) -> list[str]:
    name = f"counters_ledger_{event.lower()}"
    return [f"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {body} RETURN NULL; END $$ LANGUAGE plpgsql",
            f"CREATE TRIGGER {name} AFTER {event} ON {PM} REFERENCING {referencing} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"]


POSTGRES = [
    *_pg_trigger("INSERT", _upsert(_ROWS[0]), "NEW TABLE AS new_rows"),
    *_pg_trigger("DELETE", _upsert(_ROWS[1]), "OLD TABLE AS old_rows"),
    *_pg_trigger("UPDATE", _upsert(f"{_ROWS[1]} UNION ALL {_ROWS[0]}"), "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
]
BACKFILL = (f"INSERT INTO {LT} ({KEYS}, n, iuran, paid) SELECT {KEYS}, COUNT(*), SUM(iuran), SUM(paid_amount) "
            f"FROM {PM} GROUP BY {KEYS}")


def install(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in [*statements, BACKFILL]:
        schema_editor.execute(sql)


def remove(apps, schema_editor):
    for event in ("insert", "delete", "update"):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS counters_ledger_{event} ON {PM}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS counters_ledger_{event}()")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS counters_ledger_{event}")


class Migration(migrations.Migration):

    dependencies = [
        ('counters', '0002_index_of_enrolments_with_own_dates'),
        ('billing', '0003_ledger_mark'),
    ]

    operations = [
        migrations.CreateModel(
            name='LedgerTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('program_id', models.BigIntegerField()),
                ('bulan', models.DateField()),
                ('state', models.CharField(max_length=16)),
                ('aturan', models.JSONField(default=list)),
                ('n', models.BigIntegerField(default=0)),
                ('iuran', models.BigIntegerField(default=0)),
                ('paid', models.BigIntegerField(default=0)),
            ],
            options={
                'verbose_name': 'hitungan buku iuran',
                'verbose_name_plural': 'hitungan buku iuran',
                'constraints': [models.UniqueConstraint(fields=('program_id', 'bulan', 'state', 'aturan'), name='one_ledger_tally')],
            },
        ),
        migrations.RunPython(install, remove),
    ]
