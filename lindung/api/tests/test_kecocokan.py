"""Match pairs over the API: scoped, the other area's side masked, decisions with the 409; BPJS list upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lindung.linkage.models import MatchPair
from lindung.registry.models import BpjsRoster

from .conftest import NIK_B, NIK_BUDI

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(calon):
    return MatchPair.objects.create(kind=MatchPair.Kind.LINTAS, left=calon["budi"], right=calon["b"], score=0.9,
                                    band="mungkin")


def test_pairs_are_scoped_and_the_other_side_masked(api, people, pair):
    got = api(people.operator_a).get(f"/kecocokan/{pair.pk}/")
    assert got.status_code == 200, got.content
    body = got.json()
    assert body["kiri"]["nik"] == NIK_BUDI and NIK_B not in str(body) and body["kanan"]["calon"] is None
    outsider = api(people.outsider).get(f"/kecocokan/{pair.pk}/").json()  # their own candidate is on the right
    assert NIK_B in str(outsider) and NIK_BUDI not in str(outsider)
    assert api(people.desa_a2).get(f"/kecocokan/{pair.pk}/").status_code == 404
    assert [p["id"] for p in api(people.auditor_a).get("/kecocokan/", status="terbuka").json()["hasil"]] == [pair.pk]


def test_pair_decisions_lock_optimistically(api, people, pair):
    first = api(people.operator_a).post(f"/kecocokan/{pair.pk}/keputusan/", {"versi": 0, "keputusan": "berbeda", "alasan": "KK beda"})
    assert first.status_code == 200 and first.json()["status"] == "berbeda"
    stale = api(people.verifier_a).post(f"/kecocokan/{pair.pk}/keputusan/", {"versi": 0, "keputusan": "sama", "alasan": "x"})
    assert stale.status_code == 409 and "Operator A" in stale.json()["pesan"]
    assert api(people.auditor_a).post(f"/kecocokan/{pair.pk}/keputusan/", {"versi": 1, "keputusan": "sama", "alasan": "x"}).status_code == 403


def test_bpjs_list_upload(api, people, calon):
    csv = f"NIK,Nama,Tanggal Lahir,No. KPJ,Segmen\n{NIK_BUDI},Budi Santoso,17/08/1990,12345678901,PU\n".encode()
    a = api(people.operator_a)
    response = a.client.post("/api/v1/bpjs/peserta/", {"berkas": SimpleUploadedFile("peserta.csv", csv)}, **a._headers())
    assert response.status_code == 201, response.content
    assert response.json()["baris"] == 1 and BpjsRoster.objects.filter(pemda_id="21.02").count() == 1
    calon["budi"].refresh_from_db()
    assert calon["budi"].bpjs_kpj == "12345678901"
    d = api(people.desa_a)
    refused = d.client.post("/api/v1/bpjs/peserta/", {"berkas": SimpleUploadedFile("p.csv", csv)}, **d._headers())
    assert refused.status_code == 403
    bad = a.client.post("/api/v1/bpjs/peserta/", {"berkas": SimpleUploadedFile("p.csv", b"")}, **a._headers())
    assert bad.status_code == 422
