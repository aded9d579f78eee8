"""403, 404 and 500 in Indonesian inside the layout, with a way back (issue 16). Tests run with DEBUG off."""

import pytest
from django.conf import settings
from django.test import Client


pytestmark = pytest.mark.django_db

ENGLISH = ("Forbidden", "Not Found", "Server Error", "Page not found", "matches the given query", "None")


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def _assert_in_layout(response):
    html = response.content.decode()
    assert 'class="bar"' in html and 'id="ke-beranda"' in html  # the green bar, and the way home
    for word in ENGLISH:
        assert word not in html, word
    return html


def test_it_runs_with_debug_off():
    assert settings.DEBUG is False


def test_it_shows_the_reason_of_a_refusal_inside_the_layout(people):
    client = _client(people.auditor_a)
    response = client.post(f"/program/{people.program_a.slug}/penetapan/buat/", {},
                           HTTP_REFERER=f"http://testserver/program/{people.program_a.slug}/penetapan/")
    assert response.status_code == 403
    html = _assert_in_layout(response)
    assert "Hanya Disnaker yang menetapkan peserta" in html
    assert f'href="/program/{people.program_a.slug}/penetapan/"' in html  # back to where the user was
    assert '<nav>' in html and "Keluar" in html


def test_it_never_links_back_to_another_site(people):
    response = _client(people.auditor_a).post(f"/program/{people.program_a.slug}/penetapan/buat/", {},
                                              HTTP_REFERER="https://contoh.example/jebakan")
    assert response.status_code == 403
    assert "contoh.example" not in response.content.decode()


def test_it_shows_an_indonesian_404_for_an_unknown_address(people):
    response = _client(people.operator_a).get("/tidak-ada/")
    assert response.status_code == 404
    html = _assert_in_layout(response)
    assert "Halaman tidak ditemukan" in html and "Resolver404" not in html


def test_it_hides_djangos_english_404_message(people):
    response = _client(people.outsider).get(f"/program/{people.program_a.slug}/")  # another kabupaten's programme
    assert response.status_code == 404
    _assert_in_layout(response)


def test_it_shows_an_indonesian_500_page(people, settings):
    from django.test import override_settings
    from django.urls import path

    def broken(request):
        raise RuntimeError("boom")

    import lindung.urls

    class Urls:
        urlpatterns = [path("rusak/", broken), *lindung.urls.urlpatterns]

    with override_settings(ROOT_URLCONF=Urls):
        response = _client(people.operator_a).get("/rusak/")
    assert response.status_code == 500
    html = _assert_in_layout(response)
    assert "terjadi kesalahan di server" in html


def test_it_serves_a_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("lindung/favicon.svg")
    assert client.get(response["Location"]).status_code == 200
    assert "favicon.svg" in client.get("/masuk/").content.decode()
