"""An SK job whose worker was killed stops showing "sedang dibuat"; *Buat SK* works again (issue 11, item 7)."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lindung.enrolment.models import Cohort
from lindung.lib import jobs


def _killed(cohort, ago=timedelta(minutes=10)):
    Cohort.objects.filter(pk=cohort.pk).update(sk_pending=True, sk_heartbeat_at=timezone.now() - ago)


def test_a_killed_sk_job_is_reported_and_can_be_started_again(client, people, cohort):
    _killed(cohort)
    client.force_login(people.admin_a)
    page = client.get(reverse("cohort", args=[cohort.program.slug])).content.decode()
    assert jobs.STOPPED_MESSAGE in page and "SK sedang dibuat" not in page
    client.post(reverse("sk_make", args=[cohort.program.slug]))
    cohort.refresh_from_db()
    assert cohort.sk_pending and cohort.sk_error == "" and cohort.sk_heartbeat_at is None


def test_a_rendering_sk_is_left_alone_and_siklus_recovers_a_dead_one(client, people, cohort):
    _killed(cohort, ago=timedelta(seconds=5))
    client.force_login(people.admin_a)
    assert "SK sedang dibuat" in client.get(reverse("cohort", args=[cohort.program.slug])).content.decode()
    _killed(cohort)
    out = io.StringIO()
    call_command("siklus", "--json", stdout=out)
    assert json.loads(out.getvalue())["terhenti"]["sk"] == 1
    cohort.refresh_from_db()
    assert not cohort.sk_pending and cohort.sk_error == jobs.STOPPED_MESSAGE


@pytest.mark.django_db(transaction=True)  # the worker runs the job on its own connection
def test_the_cohort_page_polls_the_sk_while_it_is_made(client, people, cohort):
    client.force_login(people.admin_a)
    client.post(reverse("sk_make", args=[cohort.program.slug]))
    page = client.get(reverse("cohort", args=[cohort.program.slug])).content.decode()
    status_url = reverse("sk_status", args=[cohort.program.slug])
    assert f'data-status-url="{status_url}"' in page
    assert client.get(status_url).json()["running"] is True
    call_command("db_worker", batch=True, no_startup_delay=True, interval=0.1, verbosity=0)
    assert client.get(status_url).json()["running"] is False
    client.force_login(people.auditor_a)
    assert client.get(status_url).status_code == 403
