"""One search across the user's programmes: NIK (full roles only), normalised name, KPJ; scoped."""

import pytest
from django.test import Client

from lindung.accounts.models import AuditEntry
from lindung.test import make_program

from .conftest import NIK_BUDI, make_candidate

pytestmark = pytest.mark.django_db


def search(user, q):
    client = Client()
    client.force_login(user)
    response = client.get("/cari/", {"q": q})
    assert response.status_code == 200
    return response


def names(response):
    return sorted(c.nama for c, _e in response.context["rows"])


@pytest.fixture
def yusuf(people):
    other = make_program("prog-a2", "21.02")
    make_candidate(people.program_a, "2102011708900011", nama="Muhammad Yusuf", bpjs_kpj="12345678901")
    make_candidate(other, "2102011708900011", nama="Muhammad Yusuf")
    make_candidate(people.program_b, "6409011708900011", nama="Muhammad Yusuf", desa="64.09.01.1001")


def test_a_name_is_found_in_its_normalised_form_across_programmes(people, yusuf):
    response = search(people.operator_a, "Moch. Yusuf")
    assert names(response) == ["Muhammad Yusuf", "Muhammad Yusuf"]
    assert {c.program.slug for c, _ in response.context["rows"]} == {"prog-a", "prog-a2"}
    assert names(search(people.outsider, "Moch Yusuf")) == ["Muhammad Yusuf"]  # only their own pemda's


def test_nik_search_is_for_full_nik_roles_only(people, calon):
    assert names(search(people.operator_a, NIK_BUDI)) == ["Budi Santoso"]
    assert names(search(people.operator_a, NIK_BUDI[-5:])) == ["Budi Santoso"]
    assert AuditEntry.objects.filter(action="view_nik", user=people.operator_a, note="pencarian lintas program").exists()
    masked = search(people.auditor_a, NIK_BUDI)
    assert names(masked) == [] and "KPJ" in masked.context["note"]
    assert b"Budi Santoso" not in masked.content


def test_kpj_search_for_every_role(people, yusuf):
    assert names(search(people.auditor_a, "12345678901")) == ["Muhammad Yusuf"]
    assert names(search(people.outsider, "12345678901")) == []


def test_the_api_searches_the_same_way(api, people, yusuf):
    body = api(people.operator_a).get("/cari/", q="Moch. Yusuf").json()
    assert sorted(h["calon"]["program"] for h in body["hasil"]) == ["prog-a", "prog-a2"]
    masked = api(people.auditor_a).get("/cari/", q="2102011708900011").json()
    assert masked["hasil"] == [] and "KPJ" in masked["catatan"]
    assert [h["calon"]["nama"] for h in api(people.outsider).get("/cari/", q="12345678901").json()["hasil"]] == []
