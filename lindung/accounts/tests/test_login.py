import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from lindung.accounts.services import DEMO_PASSWORD, DEMO_USERNAME, ensure_demo_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return get_user_model().objects.create_user("operator.a", password="kata-sandi-uji-123", first_name="Siti")


def test_it_shows_the_login_page_in_indonesian(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Masuk" in body and "Kata sandi" in body and 'lang="id"' in body


def test_it_sends_anonymous_users_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_logs_in_and_shows_the_home_page(client, operator):
    response = client.post(reverse("login"), {"username": "operator.a", "password": "kata-sandi-uji-123"}, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Selamat datang, Siti" in body
    assert "Rp16.800" in body


def test_it_rejects_a_wrong_password_in_indonesian(client, operator):
    response = client.post(reverse("login"), {"username": "operator.a", "password": "salah"})
    assert response.status_code == 200
    assert "nama pengguna dan sandi" in response.content.decode().lower()


def test_it_locks_out_after_repeated_failures(client, operator, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "operator.a", "password": "salah"})
    response = client.post(reverse("login"), {"username": "operator.a", "password": "kata-sandi-uji-123"})
    assert response.status_code == 429
    assert "dikunci sementara" in response.content.decode()


def test_it_sends_security_headers(client):
    response = client.get(reverse("login"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_it_hashes_passwords_with_argon2(operator):
    assert operator.password.startswith("argon2")


def test_it_creates_the_demo_user_idempotently(client):
    ensure_demo_user()
    ensure_demo_user()
    assert get_user_model().objects.filter(username=DEMO_USERNAME).count() == 1
    response = client.post(reverse("login"), {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_it_serves_its_stylesheet_and_script_without_collectstatic(client):
    for path in ("/static/lindung/app.css", "/static/lindung/app.js"):
        response = client.get(path)
        assert response.status_code == 200, path
