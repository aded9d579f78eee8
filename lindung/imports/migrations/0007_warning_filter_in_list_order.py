"""The warning filter pages one combination of codes at a time along its own index (issue 18)."""

from django.db import migrations, models


def analyze(apps, schema_editor):
    """SQLite plans with the statistics ANALYZE stored (bench/scale/load_data.py runs it); an index that has none
    looks cheap to it and was chosen over the right one (at 1M a name search went from 19 to 644 ms, the bill's
    exits from 1 to 238 ms). Refresh them for this table. PostgreSQL needs nothing for a plain index."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE imports_candidate")


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0006_merge_scale_and_statuses'),
        ('programs', '0002_program_akhir_usia'),
        ('registry', '0001_initial'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='candidate',
            index=models.Index(fields=['program', 'problem_codes', 'desa', 'nama', 'id'], name='candidate_problem_order'),
        ),
        migrations.RemoveIndex(
            model_name='candidate',
            name='candidate_problem_codes',
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
