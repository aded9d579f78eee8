"""Django's admin in Indonesian (issue 16): its own texts, the task queue's, and the audit columns."""

import pytest
from django.contrib.auth import get_user_model
from django_tasks_db.models import DBTaskResult

from lindung.accounts.models import AuditEntry

pytestmark = pytest.mark.django_db

ENGLISH = ("Successful", "Ready", "Task Result", "Tasks Database Backend", "Select ", "to change", "By action", "Action",
           "Site administration", "Log out", "enqueued at")


def test_the_admin_speaks_indonesian(client):
    from lindung.imports.tasks import validate_batch_task

    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "kata-sandi-panjang-1")
    client.force_login(admin)
    AuditEntry.objects.create(user=admin, action=AuditEntry.Action.CREATE, model="imports.candidate", note="impor 1")
    validate_batch_task.enqueue(0)
    assert DBTaskResult.objects.exists()
    for url in ("/admin/", "/admin/accounts/auditentry/", "/admin/django_tasks_database/dbtaskresult/"):
        html = client.get(url).content.decode()
        assert [word for word in ENGLISH if word in html] == [], url
    audit = client.get("/admin/accounts/auditentry/").content.decode()
    assert "waktu" in audit.lower() and "tindakan" in audit.lower()
    tasks = client.get("/admin/django_tasks_database/dbtaskresult/").content.decode()
    assert "Tugas latar" in tasks and "Menunggu" in tasks


def test_the_programme_form_has_no_raw_field_names(client, people):
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "kata-sandi-panjang-1")
    client.force_login(admin)
    html = client.get(f"/admin/programs/program/{people.program_a.pk}/change/").content.decode()
    assert "Usia max" not in html and ">Slug" not in html and "Usia tertinggi" in html
