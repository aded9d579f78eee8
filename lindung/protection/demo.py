"""Demo step of issue 14: PPU's 2025 programme renewed into 2026 (slug ppu-2026-kab) in one step."""

from __future__ import annotations

import time
from datetime import date

from lindung.protection.renewal import renew
from lindung.programs.models import Program

PPU_2026 = dict(slug="ppu-2026-kab", pagu=3_024_000_000, mulai=date(2026, 1, 1), selesai=date(2026, 12, 31))


def load_renewal(stdout) -> list[str]:
    """Idempotent: nothing when ppu-2026-kab exists or PPU 2025 has no cohort yet."""
    old = Program.objects.filter(slug="ppu-2025-kab").first()
    if old is None or not old.cohorts.exists() or Program.objects.filter(slug=PPU_2026["slug"]).exists():
        return []
    from lindung.demo import _user
    from lindung.accounts.models import Role

    began = time.perf_counter()
    result = renew(old, user=_user("ppu.admin", Role.ADMIN_DISNAKER, "64.09"), form_cohort=True, **PPU_2026)
    stdout.write(f"Perpanjangan {old.slug} → {result.program.slug}: {result.carried} peserta dibawa, "
                 f"{len(result.too_old)} tidak dibawa (usia), {time.perf_counter() - began:.1f} detik.")
    return [result.program.slug]


def load_claim(stdout) -> list[str]:
    """The Karimun participant who died on 10 November 2025: the family's JKM claim (idempotent)."""
    from lindung.accounts.models import Role
    from lindung.protection import claims, contributions
    from lindung.protection.models import Claim
    from lindung.demo import KARIMUN_DEATH, _user
    from lindung.enrolment.models import Enrolment

    dead = (Enrolment.objects.filter(cohort__program__slug="karimun-2025", alasan_keluar="meninggal")
            .select_related("candidate").first())
    if dead is None or Claim.objects.filter(candidate=dead.candidate).exists():
        return []
    claim = claims.record(candidate=dead.candidate, jenis="jkm", tanggal=KARIMUN_DEATH, ahli_waris="Ahli waris (demo)",
                          user=_user("karimun.admin", Role.ADMIN_DISNAKER, "21.02"))
    under = contributions.under_three(contributions.program_rows(dead.cohort.program, today=KARIMUN_DEATH))
    stdout.write(f"Klaim JKM {dead.candidate.nama}: masa iur {claim.masa_iur_bulan} bulan, menurut ketentuan "
                 f"Rp{claim.jumlah_seharusnya:,}".replace(",", ".") + f"; {len(under)} peserta Karimun dengan masa iur "
                 "kurang dari 3 bulan (/program/karimun-2025/masa-iur/).")
    return ["karimun-2025"]
