"""The demo programmes of domain.md §0 with the slugs of architecture.md §4, and their users.

`lindung demo` calls `load_demo()`. Candidates go in through the same import code a user's upload takes.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from lindung.accounts.models import Membership, Role
from lindung.accounts.services import DEMO_PASSWORD
from lindung.imports import services as import_services
from lindung.imports.models import ImportBatch
from lindung.programs import demo_data
from lindung.programs.models import Program

PROGRAMS = [
    dict(slug="karimun-2025", nama="Perlindungan Pekerja Rentan Kabupaten Karimun 2025", pemda_id="21.02",
         sumber_dana="apbd_kabkota", pagu=32_020_800, mulai=date(2025, 11, 1), selesai=date(2025, 12, 31),
         pks_nomor="PKS/BPJSTK-BTS/XI/2025", pks_tanggal=date(2025, 11, 13),
         # Karimun verified by RT/RW, kelurahan and Dinas Sosial (domain.md §0 S1).
         tingkat_verifikasi=["rt_rw", "desa", "dinsos"]),
    dict(slug="ppu-2025-kab", nama="Jamsostek Pekerja Rentan Kabupaten Penajam Paser Utara 2025", pemda_id="64.09",
         sumber_dana="apbd_kabkota", pagu=3_000_000_000, mulai=date(2025, 1, 1), selesai=date(2025, 12, 31)),
    dict(slug="ppu-2025-prov", nama="Jamsostek Pekerja Rentan Provinsi Kalimantan Timur 2025 (PPU)", pemda_id="64",
         sumber_dana="apbd_provinsi", pagu=1_131_782_400, mulai=date(2025, 1, 1), selesai=date(2025, 12, 31)),
    dict(slug="natuna-2025-kab", nama="Perlindungan Pekerja Rentan Kabupaten Natuna 2025", pemda_id="21.03",
         sumber_dana="apbd_kabkota", pagu=6_720_000, mulai=date(2025, 11, 1), selesai=date(2025, 12, 31)),
    dict(slug="natuna-2025-prov", nama="Perlindungan Nelayan dan Petani Provinsi Kepulauan Riau 2025 (Natuna)", pemda_id="21",
         sumber_dana="apbd_provinsi", pagu=1_209_801_600, mulai=date(2025, 1, 1), selesai=date(2025, 12, 31)),
    dict(slug="kotabaru-2024", nama="Jamsostek Pekerja Rentan Kabupaten Kotabaru 2024", pemda_id="63.02",
         sumber_dana="apbd_kabkota", pagu=1_008_000_000, mulai=date(2024, 1, 1), selesai=date(2024, 12, 31)),
]

# username, role, region: one per role so a new user can see what each sees.
USERS = [
    ("karimun.admin", Role.ADMIN_DISNAKER, "21.02"),
    ("karimun.operator", Role.OPERATOR_DISNAKER, "21.02"),
    ("karimun.dinsos", Role.VERIFIKATOR_DINSOS, "21.02"),
    ("karimun.desa", Role.OPERATOR_DESA, "21.02.03.1001"),
    ("karimun.bpkad", Role.BPKAD, "21.02"),
    ("karimun.auditor", Role.AUDITOR, "21.02"),
    ("natuna.admin", Role.ADMIN_DISNAKER, "21.03"),
    ("ppu.admin", Role.ADMIN_DISNAKER, "64.09"),
]


def ensure_programs() -> list[Program]:
    return [Program.objects.update_or_create(slug=p["slug"], defaults=p)[0] for p in PROGRAMS]


def ensure_users() -> list[str]:
    names = []
    for username, role, wilayah in USERS:
        user, _ = get_user_model().objects.get_or_create(username=username)
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.update_or_create(user=user, defaults={"role": role, "wilayah_id": wilayah})
        names.append(username)
    return names


def import_karimun(user) -> ImportBatch | None:
    """1.000 rows from several kelurahan with realistic problems, imported once (idempotent)."""
    program = Program.objects.get(slug="karimun-2025")
    if program.batches.filter(status=ImportBatch.Status.DONE).exists():
        return None
    rows = demo_data.generate_rows(n=1000, kabupaten="21.02", coverage_start=program.mulai, seed=2025)
    upload = SimpleUploadedFile("calon-peserta-karimun-2025.xlsx", demo_data.build_xlsx(rows))
    batch = import_services.start_import(program=program, user=user, upload=upload, enqueue=False)
    import_services.run_validation(batch)
    import_services.commit(batch, user=user)
    return batch
