"""The warning filter pages one combination of codes at a time along its own index (issue 18)."""

from django.db import migrations, models


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
    ]
