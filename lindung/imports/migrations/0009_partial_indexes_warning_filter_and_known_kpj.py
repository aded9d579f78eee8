"""The warning filter's index and the KPJ index hold only the candidates that have a warning / a KPJ (issue 18).

Nothing looks a candidate up in them by an empty value: the warning filter reads one combination of codes at
a time (never ''), and the KPJ is searched by its number or by "has one". Most candidates have neither, and
on PostgreSQL a decision (never a HOT update) wrote each of them again into both indexes: a 20.000-row
status UPDATE at 1M took 1,63 s of server CPU with the full indexes and 1,22 s with the partial ones
(rolled back, alternated; the bench's data has no warnings and no KPJ). The KPJ index replaces the plain
one of `bpjs_kpj` (db_index), dropped by `DROP INDEX`: AlterField would rebuild the table on SQLite and drop
its counter triggers."""

from django.db import migrations, models

KPJ = "imports_candidate_bpjs_kpj_b6d38e28"


def analyze(apps, schema_editor):
    """SQLite plans with the statistics ANALYZE stored; an index without them looks cheap to it (see 0007)."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE imports_candidate")


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0008_candidate_indexes_no_decision_rewrites_needlessly'),
        ('programs', '0002_program_akhir_usia'),
        ('registry', '0001_initial'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='candidate',
            name='candidate_problem_order',
        ),
        migrations.AddIndex(
            model_name='candidate',
            index=models.Index(condition=models.Q(('problem_codes', ''), _negated=True),
                               fields=['program', 'problem_codes', 'desa', 'nama', 'id'], name='candidate_problem_order'),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(f'DROP INDEX IF EXISTS "{KPJ}"',
                                                   f'CREATE INDEX IF NOT EXISTS "{KPJ}" ON "imports_candidate" ("bpjs_kpj")')],
            state_operations=[migrations.AlterField(
                model_name='candidate',
                name='bpjs_kpj',
                field=models.CharField(blank=True, max_length=20, verbose_name='KPJ (sudah terdaftar)'),
            )],
        ),
        migrations.AddIndex(
            model_name='candidate',
            index=models.Index(condition=models.Q(('bpjs_kpj', ''), _negated=True), fields=['bpjs_kpj'],
                               name='candidate_kpj_known'),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
