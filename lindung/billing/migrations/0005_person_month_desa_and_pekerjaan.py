"""The desa and the occupation as billed on each person-month, for the coverage counter (issue 18).

Added by ALTER TABLE on both databases, as 0004 says why; existing rows take their candidate's current ones."""

from django.db import migrations, models

ADD = ["ALTER TABLE billing_personmonth ADD COLUMN desa_kode varchar(13) NOT NULL DEFAULT ''",
       "ALTER TABLE billing_personmonth ADD COLUMN pekerjaan varchar(40) NOT NULL DEFAULT ''"]
FILL = ("UPDATE billing_personmonth SET "
        "desa_kode = (SELECT c.desa_id FROM imports_candidate c WHERE c.id = billing_personmonth.candidate_id), "
        "pekerjaan = (SELECT c.pekerjaan FROM imports_candidate c WHERE c.id = billing_personmonth.candidate_id)")
DROP = ["ALTER TABLE billing_personmonth DROP COLUMN pekerjaan", "ALTER TABLE billing_personmonth DROP COLUMN desa_kode"]


class Migration(migrations.Migration):

    dependencies = [
        ('billing', '0004_person_month_nama_and_bill_order'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunSQL(ADD, DROP), migrations.RunSQL(FILL, migrations.RunSQL.noop)],
            state_operations=[
                migrations.AddField(model_name='personmonth', name='desa_kode',
                                    field=models.CharField(blank=True, default='', max_length=13, verbose_name='kode desa')),
                migrations.AddField(model_name='personmonth', name='pekerjaan',
                                    field=models.CharField(blank=True, default='', max_length=40)),
            ],
        ),
    ]
