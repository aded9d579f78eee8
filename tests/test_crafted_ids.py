"""Crafted ids and versions in POST forms (issue 11, item 10): a message, nothing changed, never a 500.

int("9" * 30) is a valid Python int that neither SQLite nor PostgreSQL can store, and "²".isdigit() is
True; every POST view that reads an id or a version goes through lindung.lib.ids.
"""

import pytest
from django.urls import reverse

from lindung.imports import services as import_services
from lindung.imports.models import Candidate
from lindung.imports.tests.test_flow import GOOD, upload, xlsx_bytes
from lindung.linkage.models import DuplicateMark, MatchPair
from lindung.verification.models import VerificationDecision

CRAFTED = ["9" * 30, "9223372036854775808", "²", "-1", "1.5", "1e9", " "]


@pytest.fixture
def candidates(people):
    program = people.program_a
    import_services.commit(upload(program, people.operator_a, xlsx_bytes(GOOD)), user=people.operator_a)
    return list(Candidate.objects.filter(program=program).order_by("pk"))


@pytest.mark.parametrize("value", CRAFTED)
def test_a_crafted_candidate_id_or_version_in_a_verification_is_refused(client, people, candidates, value):
    rudi = next(c for c in candidates if c.desa_id == "21.02.01.1003")
    client.force_login(people.desa_a)
    url = reverse("verification_queue", args=["prog-a"])
    for chosen in (f"{value}:0", f"{rudi.pk}:{value}", [f"{rudi.pk}:{rudi.version}", f"{value}:{value}"]):
        response = client.post(url, {"keputusan": "layak", "calon": chosen}, follow=True)
        assert response.status_code == 200
        assert "tidak sah" in response.content.decode()
    assert not VerificationDecision.objects.exists()  # not even the good one of a crafted list


@pytest.fixture
def pair(candidates):
    left, right = candidates[0], candidates[1]
    return MatchPair.objects.create(kind=MatchPair.Kind.DUPLIKAT, left=left, right=right, score=0.5,
                                    band=MatchPair.Band.POSSIBLE)


@pytest.mark.parametrize("value", CRAFTED)
def test_a_crafted_pair_version_is_refused(client, people, pair, value):
    client.force_login(people.admin_a)
    response = client.post(reverse("match_pair_decide", args=[pair.pk]),
                           {"keputusan": "berbeda", "alasan": "dicek ke KK", "versi": value}, follow=True)
    assert response.status_code == 200 and "tidak sah" in response.content.decode()
    pair.refresh_from_db()
    assert pair.status == MatchPair.Status.OPEN


@pytest.mark.parametrize("value", CRAFTED)
def test_a_crafted_duplicate_group_is_refused(client, people, pair, value):
    client.force_login(people.admin_a)
    url = reverse("duplicate_keep", args=["prog-a"])
    for data in ({"simpan": value}, {"simpan": pair.left_id, "anggota": [pair.right_id, value]}):
        response = client.post(url, data, follow=True)
        assert response.status_code == 200 and "tidak sah" in response.content.decode(), data
    assert not DuplicateMark.objects.exists()
