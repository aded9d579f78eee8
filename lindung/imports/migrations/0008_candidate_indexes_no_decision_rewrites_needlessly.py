"""Drop the candidate indexes no query needs (issue 18: *semua* over 100.000 at 1M on PostgreSQL).

A decision changes `status` and `level_index`, which are indexed, so on PostgreSQL it is never a HOT update:
every one of the table's indexes takes a new entry per candidate decided. Each index dropped here is covered
by one that stays (checked with EXPLAIN of the pages, the API, the queue, the cohort, the retention and
lifecycle jobs at 1M, README *Semua on PostgreSQL*):

- `program_id` and `(program_id, status)`: prefixes of `candidate_list_order` / `candidate_queue_order`
  (`(program, status, level_index, desa, nama, id)`), which also answer a filter by programme and status;
- `status` (and its `_like` twin on PostgreSQL): every status filter also names the programme (queue order);
  the two that do not — retention's covered NIKs and the lifecycle's programmes — read most rows anyway;
- `problem_codes` (and its twin): the warning filter goes along `candidate_problem_order`
  `(program, problem_codes, …)`; `LIKE '%|code|%'` can use no B-tree;
- the `varchar_pattern_ops` twins of `desa_id` and `bpjs_kpj` (PostgreSQL only): they serve only
  `LIKE 'x%'`, which no query runs on these columns; the plain indexes stay for equality.

Dropped by plain `DROP INDEX` on both databases: Django's AlterField of a candidate column rebuilds the table
on SQLite, which would drop the counter triggers (counters 0001-0006)."""

from django.db import migrations, models

# (name, PostgreSQL definition; SQLite has no _like twins)
DROPPED = [
    ("imports_candidate_program_id_fc9f24fe", "(program_id)", True),
    ("imports_can_program_77124a_idx", "(program_id, status)", True),
    ("imports_candidate_status_4c984f43", "(status)", True),
    ("imports_candidate_status_4c984f43_like", "(status varchar_pattern_ops)", False),
    ("imports_candidate_problem_codes_a03a97e1", "(problem_codes)", True),
    ("imports_candidate_problem_codes_a03a97e1_like", "(problem_codes varchar_pattern_ops)", False),
    ("imports_candidate_desa_id_70b7675e_like", "(desa_id varchar_pattern_ops)", False),
    ("imports_candidate_bpjs_kpj_b6d38e28_like", "(bpjs_kpj varchar_pattern_ops)", False),
]


def drop(apps, schema_editor):
    for name, _definition, _on_sqlite in DROPPED:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


def create(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for name, definition, on_sqlite in DROPPED:
        if postgresql or on_sqlite:
            definition = definition if postgresql else definition.replace(" varchar_pattern_ops", "")
            schema_editor.execute(f'CREATE INDEX IF NOT EXISTS "{name}" ON "imports_candidate" {definition}')


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0007_warning_filter_in_list_order'),
        ('programs', '0002_program_akhir_usia'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop, create)],
            state_operations=[
                migrations.RemoveIndex(
                    model_name='candidate',
                    name='imports_can_program_77124a_idx',
                ),
                migrations.AlterField(
                    model_name='candidate',
                    name='problem_codes',
                    field=models.CharField(blank=True, max_length=400),
                ),
                migrations.AlterField(
                    model_name='candidate',
                    name='program',
                    field=models.ForeignKey(db_index=False, on_delete=models.CASCADE,
                                            related_name='candidates', to='programs.program'),
                ),
                migrations.AlterField(
                    model_name='candidate',
                    name='status',
                    field=models.CharField(choices=[('calon', 'Calon'), ('terverifikasi', 'Terverifikasi'), ('tidak_layak', 'Tidak layak'), ('diajukan', 'Diajukan ke BPJS'), ('terdaftar', 'Terdaftar'), ('ditolak', 'Ditolak BPJS'), ('aktif', 'Aktif'), ('tertunggak', 'Tertunggak'), ('berakhir', 'Berakhir'), ('keluar', 'Keluar'), ('duplikat', 'Duplikat')], default='calon', max_length=16),
                ),
            ],
        ),
    ]
