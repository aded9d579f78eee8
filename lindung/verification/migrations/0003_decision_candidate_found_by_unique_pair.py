"""A decision's candidate is found through the unique (candidate, level) index, which begins with it; its own
index only cost a write per decision (issue 18: *semua* writes 100.000 decisions). Dropped by plain
`DROP INDEX`: AlterField would rebuild the table on SQLite and drop the decision tally's triggers (0002)."""

from django.db import migrations, models

INDEX = "verification_verificationdecision_candidate_id_5c108082"


class Migration(migrations.Migration):

    dependencies = [
        ('imports', '0008_candidate_indexes_no_decision_rewrites_needlessly'),
        ('verification', '0002_decision_tally'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(
                f'DROP INDEX IF EXISTS "{INDEX}"',
                f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "verification_verificationdecision" ("candidate_id")')],
            state_operations=[migrations.AlterField(
                model_name='verificationdecision',
                name='candidate',
                field=models.ForeignKey(db_index=False, on_delete=models.CASCADE, related_name='decisions',
                                        to='imports.candidate'),
            )],
        ),
    ]
