"""The name as billed on each person-month, the bill page's index (program, bulan, nama, id) and a partial one
of the lines not billed (issue 18).

The column is added with ALTER TABLE on both databases: Django's own AddField of a NOT NULL column rebuilds the
table on SQLite, which would drop the ledger tally's triggers (counters 0003) and copy a province's millions
of rows. The existing rows take their candidate's current name."""

from django.db import migrations, models

ADD = "ALTER TABLE billing_personmonth ADD COLUMN nama varchar(150) NOT NULL DEFAULT ''"
FILL = ("UPDATE billing_personmonth SET nama = (SELECT c.nama FROM imports_candidate c "
        "WHERE c.id = billing_personmonth.candidate_id)")
DROP = "ALTER TABLE billing_personmonth DROP COLUMN nama"


def analyze(apps, schema_editor):
    """SQLite plans with the statistics ANALYZE stored (bench/scale/load_data.py runs it); an index that has none
    looks cheap to it and was chosen over the right one (at 1M a name search went from 19 to 644 ms, the bill's
    exits from 1 to 238 ms). Refresh them for this table. PostgreSQL needs nothing for a plain index."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE billing_personmonth")


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0003_ledger_mark'),
        ('counters', '0003_ledger_tally_kept_by_triggers'),
        ('enrolment', '0006_sk_volumes'),
        ('imports', '0006_merge_scale_and_statuses'),
        ('programs', '0002_program_akhir_usia'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(ADD, DROP), migrations.RunSQL(FILL, migrations.RunSQL.noop)],
            state_operations=[migrations.AddField(
                model_name='personmonth',
                name='nama',
                field=models.CharField(blank=True, default='', max_length=150),
            )],
        ),
        migrations.AddIndex(
            model_name='personmonth',
            index=models.Index(fields=['program', 'bulan', 'nama', 'id'], name='billing_pm_bill_order'),
        ),
        migrations.AddIndex(
            model_name='personmonth',
            index=models.Index(condition=models.Q(('state__in', ['batal', 'diperhitungkan'])),
                               fields=['program', 'bulan', 'nama', 'id'], name='billing_pm_not_billed'),
        ),
        migrations.RemoveIndex(
            model_name='personmonth',
            name='billing_pm_program_bulan',
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
