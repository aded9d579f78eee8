"""Login lockout (issue 11, item 9): per account across addresses, a back-off rather than a hard lock, the
client's address from a trusted proxy header, and the wait told in Indonesian.

The clock moving on is simulated by moving the recorded failures into the past (axes' own rows)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from lindung.accounts.lockout import backoff

pytestmark = pytest.mark.django_db
PASSWORD = "kata-sandi-uji-123"


@pytest.fixture
def operator():
    return get_user_model().objects.create_user("operator.a", password=PASSWORD)


def login(client, password, address="192.0.2.10", **headers):
    return client.post(reverse("login"), {"username": "operator.a", "password": password},
                       REMOTE_ADDR=address, **headers)


def later(minutes: float):
    """Time passes: every recorded failure moves `minutes` into the past."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= timedelta(minutes=minutes)
        attempt.save(update_fields=["attempt_time"])


def test_guesses_from_many_addresses_lock_the_account(client, operator):
    for i in range(5):  # one guess each from five addresses: per (username, address) this never locked
        login(client, "salah", address=f"198.51.100.{i}")
    response = login(client, PASSWORD, address="203.0.113.99")
    assert response.status_code == 429
    assert "coba lagi dalam 1 menit" in response.content.decode()
    for _ in range(3):  # hammering while locked is refused without lengthening anyone's wait
        login(client, "salah", address="198.51.100.200")
    assert "coba lagi dalam 1 menit" in login(client, PASSWORD).content.decode()


def test_the_wait_doubles_with_each_failure_and_is_capped(client, operator, settings):
    settings.AXES_COOLOFF_MENIT = 30
    for _ in range(5):
        login(client, "salah")
    assert login(client, PASSWORD).status_code == 429
    later(1.1)  # the first wait is one minute
    assert login(client, "salah").status_code == 429  # a sixth failure: two minutes now
    assert "coba lagi dalam 2 menit" in login(client, PASSWORD).content.decode()
    later(2.1)
    assert login(client, PASSWORD).status_code == 302  # the right password after the wait
    assert not AccessAttempt.objects.exists()  # a success clears the failures
    assert [backoff(n, 5).total_seconds() / 60 for n in (4, 5, 6, 7, 9, 10, 40)] == [0, 1, 2, 4, 16, 30, 30]


def test_another_account_is_not_affected(client, operator):
    get_user_model().objects.create_user("operator.b", password=PASSWORD)
    for _ in range(6):
        login(client, "salah")
    response = client.post(reverse("login"), {"username": "operator.b", "password": PASSWORD}, REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 302


def test_behind_a_trusted_proxy_the_client_address_comes_from_its_header(client, operator, settings):
    settings.TRUSTED_PROXY_HEADER = "X-Forwarded-For"
    settings.TRUSTED_PROXY_COUNT = 1
    # The proxy (10.0.0.1) appends the address it saw; what the client wrote before it is ignored.
    login(client, "salah", address="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    login(client, "salah", address="10.0.0.1", HTTP_X_FORWARDED_FOR="bukan-alamat")
    assert sorted(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["10.0.0.1", "203.0.113.7"]


def test_without_a_configured_header_a_forwarded_address_is_not_believed(client, operator, settings):
    settings.TRUSTED_PROXY_HEADER = ""
    login(client, "salah", address="192.0.2.10", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["192.0.2.10"]
