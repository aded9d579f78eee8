import json

import pytest
from django.core.cache import cache
from django.test import Client

from lindung.api.tokens import create_token
from lindung.imports.models import Candidate
from lindung.registry.models import Person
from lindung.test import DESA_A, DESA_A2

NIK_BUDI = "2102011708900001"  # Kecamatan Moro, born 17-08-1990, man
NIK_SITI = "2102015708900002"
NIK_B = "6409014101900001"  # Kabupaten PPU


class Api:
    """A client speaking to /api/v1/ with one user's Bearer token."""

    def __init__(self, user, *, write=True, days=30):
        self.user = user
        self.token, self.secret = create_token(user=user, nama=f"uji {user.username}", write=write, days=days)
        self.client = Client()

    def _headers(self):
        return {"HTTP_AUTHORIZATION": f"Bearer {self.secret}"}

    def get(self, path, **params):
        return self.client.get(f"/api/v1{path}", params, **self._headers())

    def post(self, path, data):
        return self.client.post(f"/api/v1{path}", json.dumps(data), content_type="application/json", **self._headers())

    def patch(self, path, data):
        return self.client.patch(f"/api/v1{path}", json.dumps(data), content_type="application/json", **self._headers())


@pytest.fixture(autouse=True)
def fresh_rate_windows():
    cache.clear()


@pytest.fixture
def api(people):
    made = {}

    def for_user(user, **kwargs):
        key = (user.pk, tuple(sorted(kwargs.items())))
        if key not in made:
            made[key] = Api(user, **kwargs)
        return made[key]

    return for_user


def make_candidate(program, nik, *, nama="Budi Santoso", desa=DESA_A, **fields):
    person, _ = Person.objects.get_or_create(nik=nik, defaults={"nama": nama})
    return Candidate.objects.create(program=program, person=person, desa_id=desa, nik=nik, nama=nama,
                                    pekerjaan="nelayan", **fields)


@pytest.fixture
def calon(people):
    """Budi in desa A (Moro), Siti in desa A2 (Pauh), both in programme A; one candidate in programme B."""
    from datetime import date

    return {
        "budi": make_candidate(people.program_a, NIK_BUDI, tanggal_lahir=date(1990, 8, 17), nama_ibu="Aminah",
                               no_kk="2102010101900003"),
        "siti": make_candidate(people.program_a, NIK_SITI, nama="Siti Aminah", desa=DESA_A2),
        "b": make_candidate(people.program_b, NIK_B, nama="Orang PPU", desa="64.09.01.1001"),
    }
