"""A partial index of the few enrolments with their own coverage dates (a replacement's later start, an exit).

`enrolment.services.covered_count` (the budget on the home page, the realisation, every refill) counts a
month's covered people as the seated tally minus those with own dates, plus those with own dates that cover
the month: the dated rows are found through this index instead of reading a province's 600.000 seats per
month. It lives here, beside the counters it serves, as plain SQL (Django's model state does not need it)."""

from django.db import migrations

INDEX = "counters_enrolment_dated"


class Migration(migrations.Migration):

    dependencies = [
        ('counters', '0001_candidate_and_enrolment_tallies_kept_by_triggers'),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON enrolment_enrolment (cohort_id, state) WHERE mulai IS NOT NULL OR akhir IS NOT NULL",
            f"DROP INDEX {INDEX}",
        ),
    ]
