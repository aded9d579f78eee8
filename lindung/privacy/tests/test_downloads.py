"""The password step before every full-NIK file, through the import error file (imports.views.batch_errors)."""

import pytest
from django.urls import reverse

from lindung.accounts.models import AuditEntry
from lindung.imports.tests.test_views import imported  # noqa: F401  (fixture: a batch with 3 rejected rows)
from lindung.privacy.tests.helpers import FILE_PASSWORD, PASSWORD_POST, decrypted_xlsx

pytestmark = pytest.mark.django_db


def test_mismatched_or_short_passwords_are_refused_and_nothing_is_exported(client, people, imported):  # noqa: F811
    _program, batch = imported
    client.force_login(people.operator_a)
    url = reverse("batch_errors", args=[batch.pk])
    body = client.post(url, {"sandi": FILE_PASSWORD, "sandi_ulang": FILE_PASSWORD + "x"}).content.decode()
    assert "Kedua kata sandi tidak sama" in body
    body = client.post(url, {"sandi": "pendek", "sandi_ulang": "pendek"}).content.decode()
    assert "paling sedikit 8 karakter" in body
    assert not AuditEntry.objects.filter(action="export_nik").exists()


def test_the_export_is_encrypted_audited_with_its_rows_and_the_password_kept_nowhere(client, people, imported):  # noqa: F811
    _program, batch = imported
    client.force_login(people.operator_a)
    response = client.post(reverse("batch_errors", args=[batch.pk]), PASSWORD_POST)
    assert response["Content-Disposition"] == f'attachment; filename="ditolak-{batch.pk}-{batch.program.slug}.xlsx"'
    assert decrypted_xlsx(response.content).startswith(b"PK")
    entry = AuditEntry.objects.get(action="export_nik")
    assert entry.rows == 3 and entry.user == people.operator_a and "terenkripsi" in entry.note
    stored = str(list(AuditEntry.objects.values())) + str(dict(client.session))
    assert FILE_PASSWORD not in stored


def test_the_password_page_comes_after_the_access_check(client, people, imported):  # noqa: F811
    _program, batch = imported
    client.force_login(people.auditor_a)
    assert client.post(reverse("batch_errors", args=[batch.pk]), PASSWORD_POST).status_code == 403
