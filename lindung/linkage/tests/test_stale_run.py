"""A matching run whose worker was killed is failed with a message, and a new run can start (issue 11, item 7)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from lindung.lib import jobs
from lindung.linkage.models import MatchRun

pytestmark = pytest.mark.django_db


def _run(ago):
    return MatchRun.objects.create(status=MatchRun.Status.RUNNING, progress=30,
                                   heartbeat_at=timezone.now() - ago if ago is not None else None)


def test_a_killed_run_fails_when_the_page_polls_and_a_new_one_starts(client, people, django_capture_on_commit_callbacks):
    run = _run(timedelta(minutes=10))
    client.force_login(people.admin_a)
    state = client.get(reverse("matching_status", args=[run.pk])).json()
    assert state["status"] == MatchRun.Status.FAILED and state["running"] is False
    page = client.get(reverse("matching")).content.decode()
    assert jobs.STOPPED_MESSAGE in page and 'id="jalankan"' in page
    client.post(reverse("matching_start"))
    assert MatchRun.objects.filter(status=MatchRun.Status.QUEUED).exclude(pk=run.pk).exists()


@pytest.mark.parametrize("ago", [timedelta(seconds=5), None])
def test_a_live_run_is_left_running(client, people, ago):
    run = _run(ago)
    client.force_login(people.admin_a)
    state = client.get(reverse("matching_status", args=[run.pk])).json()
    assert state["status"] == MatchRun.Status.RUNNING and state["running"] is True
