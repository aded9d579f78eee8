"""Test personas (architecture.md rule 8): users in Kabupaten A (Karimun) and an outsider in Kabupaten B (PPU).

`personas()` returns a namespace; pytest fixtures in conftest.py wrap it. Regions of both kabupaten are
loaded from the real snapshot, programmes are real rows: nothing here is a mock.
"""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from functools import lru_cache

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from lindung.accounts.models import Membership, Role
from lindung.programs.models import Program
from lindung.registry.services import load_regions

PASSWORD = "kata-sandi-uji-123"
KAB_A = "21.02"  # Kabupaten Karimun
KAB_B = "64.09"  # Kabupaten Penajam Paser Utara
DESA_A = "21.02.01.1003"  # Kelurahan Moro
DESA_A2 = "21.02.01.2004"  # Desa Pauh


@lru_cache(maxsize=1)
def _password_hash() -> str:
    # argon2 is slow on purpose; hash the shared test password once per test run.
    return make_password(PASSWORD)


def make_user(username: str, role: str, wilayah: str, **extra):
    user = get_user_model().objects.create(username=username, password=_password_hash(), **extra)
    Membership.objects.create(user=user, role=role, wilayah_id=wilayah)
    return user


def make_program(slug: str, pemda: str, **overrides) -> Program:
    fields = {
        "nama": f"Program {slug}", "pemda_id": pemda, "sumber_dana": "apbd_kabkota", "pagu": 32_020_800,
        "mulai": date(2025, 11, 1), "selesai": date(2025, 12, 31), "pks_nomor": "PKS/001/2025",
    }
    fields.update(overrides)
    return Program.objects.create(slug=slug, **fields)


def personas() -> SimpleNamespace:
    load_regions(prefix=KAB_A)
    load_regions(prefix=KAB_B)
    return SimpleNamespace(
        admin_a=make_user("admin.a", Role.ADMIN_DISNAKER, KAB_A, first_name="Admin A"),
        operator_a=make_user("operator.a", Role.OPERATOR_DISNAKER, KAB_A, first_name="Operator A"),
        verifier_a=make_user("dinsos.a", Role.VERIFIKATOR_DINSOS, KAB_A, first_name="Dinsos A"),
        desa_a=make_user("desa.a", Role.OPERATOR_DESA, DESA_A, first_name="Desa A"),
        desa_a2=make_user("desa.a2", Role.OPERATOR_DESA, DESA_A2, first_name="Desa A2"),
        bpkad_a=make_user("bpkad.a", Role.BPKAD, KAB_A, first_name="BPKAD A"),
        auditor_a=make_user("auditor.a", Role.AUDITOR, KAB_A, first_name="Auditor A"),
        outsider=make_user("operator.b", Role.OPERATOR_DISNAKER, KAB_B, first_name="Operator B"),
        program_a=make_program("prog-a", KAB_A),
        program_b=make_program("prog-b", KAB_B),
    )
