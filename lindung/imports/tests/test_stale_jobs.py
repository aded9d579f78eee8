"""A job killed mid-way (kill -9 of the worker or the CLI) never leaves its batch stuck (issue 11, item 7).

A killed job stops writing its heartbeat; the clock moving past JOB_STALE_SECONDS is simulated by writing
the heartbeat in the past (nothing of ours is mocked). The kill itself is tested in tests/test_kill.py.
"""

import io
import json
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lindung.imports import services
from lindung.imports.models import Candidate, ImportBatch
from lindung.imports.tests.test_flow import GOOD, upload, xlsx_bytes
from lindung.lib import jobs

Status = ImportBatch.Status
LONG_AGO = timedelta(minutes=10)


@pytest.fixture
def preview(people):
    return upload(people.program_a, people.operator_a, xlsx_bytes(GOOD))


def _killed_while(batch, status, *, ago=LONG_AGO):
    """The state a kill -9 leaves: status written, the transaction rolled back, the heartbeat stopped."""
    ImportBatch.objects.filter(pk=batch.pk).update(status=status, progress=40, heartbeat_at=timezone.now() - ago)


def test_a_killed_commit_comes_back_to_the_preview_when_the_page_polls(client, people, preview):
    _killed_while(preview, Status.COMMITTING)
    client.force_login(people.operator_a)
    state = client.get(reverse("batch_status", args=[preview.pk])).json()
    assert state["status"] == Status.PREVIEW and state["running"] is False  # the page stops polling
    page = client.get(reverse("batch_detail", args=[preview.pk])).content.decode()
    assert jobs.STOPPED_MESSAGE in page
    assert 'id="terima"' in page
    assert Candidate.objects.count() == 0


def test_terima_works_again_after_a_killed_commit(client, people, preview, django_capture_on_commit_callbacks):
    _killed_while(preview, Status.COMMITTING)
    client.force_login(people.operator_a)
    client.get(reverse("batch_detail", args=[preview.pk]))
    response = client.post(reverse("batch_accept", args=[preview.pk]))
    assert response.status_code == 302
    preview.refresh_from_db()
    assert preview.status == Status.COMMITTING and preview.heartbeat_at is None and preview.error == ""
    services.commit(preview, user=people.operator_a)  # what the queued job runs
    preview.refresh_from_db()
    assert preview.status == Status.DONE and Candidate.objects.filter(program=people.program_a).count() == len(GOOD)


def test_a_killed_check_fails_with_the_message_and_offers_a_new_upload(client, people, preview):
    _killed_while(preview, Status.VALIDATING)
    client.force_login(people.operator_a)
    page = client.get(reverse("batch_detail", args=[preview.pk])).content.decode()
    preview.refresh_from_db()
    assert preview.status == Status.FAILED and preview.error == jobs.STOPPED_MESSAGE
    assert 'id="unggah-ulang"' in page


@pytest.mark.parametrize("heartbeat", ["fresh", "queued"])
def test_a_live_or_queued_job_is_left_alone(client, people, preview, heartbeat):
    at = timezone.now() if heartbeat == "fresh" else None
    ImportBatch.objects.filter(pk=preview.pk).update(status=Status.COMMITTING, heartbeat_at=at)
    client.force_login(people.operator_a)
    state = client.get(reverse("batch_status", args=[preview.pk])).json()
    assert state["status"] == Status.COMMITTING and state["running"] is True
    call_command("siklus", "--json", stdout=io.StringIO())
    preview.refresh_from_db()
    assert preview.status == Status.COMMITTING and preview.error == ""


def test_the_stale_limit_is_the_setting(client, people, preview, settings):
    settings.JOB_STALE_SECONDS = 3600
    _killed_while(preview, Status.COMMITTING)  # ten minutes ago: not yet stale under a one-hour limit
    assert ImportBatch.objects.recover_stale() == 0
    settings.JOB_STALE_SECONDS = 60
    assert ImportBatch.objects.recover_stale() == 1


def test_siklus_recovers_batches_nobody_is_looking_at(people, preview, capsys):
    _killed_while(preview, Status.COMMITTING)
    call_command("siklus", "--tanggal", "2025-11-13", "--json")
    out = json.loads(capsys.readouterr().out)
    assert out["terhenti"] == {"impor": 1, "pencocokan": 0, "sk": 0, "proses": 0}
    preview.refresh_from_db()
    assert preview.status == Status.PREVIEW and preview.error == jobs.STOPPED_MESSAGE


@pytest.mark.django_db(transaction=True)
def test_a_working_job_keeps_its_heartbeat_fresh(people, settings):
    settings.JOB_STALE_SECONDS = 0.8  # a beat every 0,2 s
    batch = upload(people.program_a, people.operator_a, xlsx_bytes(GOOD))
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.COMMITTING, heartbeat_at=timezone.now() - LONG_AGO)
    with jobs.heartbeat(ImportBatch.objects.filter(pk=batch.pk)):
        time.sleep(1.0)  # longer than the stale limit: only the beats keep it alive
        assert ImportBatch.objects.recover_stale() == 0
    batch.refresh_from_db()
    assert batch.status == Status.COMMITTING and timezone.now() - batch.heartbeat_at < timedelta(seconds=1)


def test_the_programme_page_lists_a_killed_import_as_stopped(client, people, preview):
    _killed_while(preview, Status.COMMITTING)
    client.force_login(people.operator_a)
    page = client.get(reverse("program_detail", args=["prog-a"])).content.decode()
    assert "Sedang disimpan" not in page and "Siap ditinjau" in page
