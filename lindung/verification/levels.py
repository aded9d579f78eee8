"""Verification levels: who decides at each level, and which candidates they see there.

Pure data: a programme lists its level codes in order (default RT/RW → desa/kelurahan → Dinas Sosial →
Disnaker, anchors.md §5); a level names the roles that may decide it. RT/RW do not log in: the desa
operator records their check (and uploads the musyawarah berita acara).
"""

from __future__ import annotations

from dataclasses import dataclass

from lindung.accounts.models import Role
from lindung.programs.models import DEFAULT_VERIFICATION_LEVELS


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    roles: frozenset[str]


LEVELS: dict[str, Level] = {
    level.code: level
    for level in (
        Level("rt_rw", "RT/RW", frozenset({Role.OPERATOR_DESA})),
        Level("desa", "Desa/kelurahan", frozenset({Role.OPERATOR_DESA})),
        Level("dinsos", "Dinas Sosial", frozenset({Role.VERIFIKATOR_DINSOS})),
        Level("disnaker", "Disnaker", frozenset({Role.ADMIN_DISNAKER, Role.OPERATOR_DISNAKER})),
    )
}
DEFAULT_LEVELS = DEFAULT_VERIFICATION_LEVELS

# Reason codes for "tidak layak" (and the one "layak" needs none).
REASONS: dict[str, str] = {
    "meninggal": "Sudah meninggal",
    "pindah": "Pindah domisili",
    "bukan_pekerja_rentan": "Bukan pekerja rentan (mampu / berpenghasilan tetap)",
    "sudah_terdaftar": "Sudah terdaftar BPJS Ketenagakerjaan",
    "di_luar_usia": "Di luar batas usia",
    "data_tidak_sesuai": "Data tidak sesuai dokumen (KTP/KK)",
    "tidak_ditemukan": "Tidak ditemukan di alamat",
    "menolak": "Menolak ikut program",
    "penerima_upah": "Sudah menjadi pekerja penerima upah",
}


def roles_for(level_code: str) -> frozenset[str]:
    return LEVELS[level_code].roles
