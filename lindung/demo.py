"""The demo programmes of domain.md §0 with the slugs of architecture.md §4, and their users.

`lindung demo` calls `ensure_programs()`, `ensure_users()` and `load_all()`. Candidates go in through the same import code a user's upload takes.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from lindung.accounts.models import Membership, Role
from lindung.accounts.services import DEMO_PASSWORD
from lindung.imports import roster
from lindung.imports import services as import_services
from lindung.imports.models import ImportBatch
from lindung.coverage.demo import ensure_natuna_semesta
from lindung.enrolment import services as enrolment
from lindung.linkage import services as linkage
from lindung.linkage.models import MatchRun
from lindung.programs import demo_data
from lindung.programs.models import Program
from lindung.verification import services as verification
from lindung.verification.models import Decision

PROGRAMS = [
    dict(slug="karimun-2025", nama="Perlindungan Pekerja Rentan Kabupaten Karimun 2025", pemda_id="21.02",
         sumber_dana="apbd_kabkota", pagu=32_020_800, mulai=date(2025, 11, 1), selesai=date(2025, 12, 31),
         pks_nomor="PKS/BPJSTK-BTS/XI/2025", pks_tanggal=date(2025, 11, 13),
         # Karimun verified by RT/RW, kelurahan and Dinas Sosial (domain.md §0 S1).
         tingkat_verifikasi=["rt_rw", "desa", "dinsos"]),
    dict(slug="ppu-2025-kab", tingkat_verifikasi=["dinsos", "disnaker"], nama="Jamsostek Pekerja Rentan Kabupaten Penajam Paser Utara 2025", pemda_id="64.09",
         sumber_dana="apbd_kabkota", pagu=3_000_000_000, mulai=date(2025, 1, 1), selesai=date(2025, 12, 31)),
    dict(slug="ppu-2025-prov", tingkat_verifikasi=["dinsos", "disnaker"], nama="Jamsostek Pekerja Rentan Provinsi Kalimantan Timur 2025 (PPU)", pemda_id="64",
         sumber_dana="apbd_provinsi", pagu=1_131_782_400, mulai=date(2025, 1, 1), selesai=date(2025, 12, 31)),
    dict(slug="natuna-2025-kab", tingkat_verifikasi=["dinsos", "disnaker"], nama="Perlindungan Pekerja Rentan Kabupaten Natuna 2025", pemda_id="21.03",
         sumber_dana="apbd_kabkota", pagu=6_720_000, mulai=date(2025, 11, 1), selesai=date(2025, 12, 31)),
    dict(slug="natuna-2025-prov", tingkat_verifikasi=["dinsos", "disnaker"], nama="Perlindungan Nelayan dan Petani Provinsi Kepulauan Riau 2025 (Natuna)", pemda_id="21",
         sumber_dana="apbd_provinsi", pagu=1_209_801_600, mulai=date(2025, 1, 1), selesai=date(2025, 12, 31)),
    dict(slug="kotabaru-2024", tingkat_verifikasi=["dinsos", "disnaker"], nama="Jamsostek Pekerja Rentan Kabupaten Kotabaru 2024", pemda_id="63.02",
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


# S5: Kotabaru's programme was announced on 28 December 2023, before its budget year.
SET_UP_ON = {"kotabaru-2024": datetime(2023, 12, 28, 9, 0, tzinfo=ZoneInfo("Asia/Makassar"))}


def ensure_programs() -> list[Program]:
    programs = [Program.objects.update_or_create(slug=p["slug"], defaults=p)[0] for p in PROGRAMS]
    for program in programs:
        if program.slug in SET_UP_ON:
            Program.objects.filter(pk=program.pk).update(created_at=SET_UP_ON[program.slug])
            program.created_at = SET_UP_ON[program.slug]
    return programs


def ensure_users() -> list[str]:
    return [_user(username, role, wilayah).username for username, role, wilayah in USERS]


def upload_list(program: Program, user, name: str, rows) -> ImportBatch:
    upload = SimpleUploadedFile(name, demo_data.build_xlsx(rows))
    batch = import_services.start_import(program=program, user=user, upload=upload, enqueue=False)
    import_services.run_validation(batch)
    import_services.commit(batch, user=user)
    return batch


def decide_level(users, program, rejects: dict[str, str]) -> None:
    """Each verifier of the current level: the named NIKs tidak layak (with the reason), the rest layak."""
    for user in users:
        pending = list(verification.pending_for(user, program))
        for reason in sorted(set(rejects.values())):
            out = [c for c in pending if rejects.get(c.nik) == reason]
            verification.decide_bulk(candidates=out, decision=Decision.TIDAK_LAYAK, reason=reason, user=user)
        verification.decide_bulk(candidates=[c for c in pending if c.nik not in rejects], decision=Decision.LAYAK, user=user)


def _user(username: str, role: str, wilayah: str):
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.set_password(DEMO_PASSWORD)
    user.save()
    Membership.objects.update_or_create(user=user, defaults={"role": role, "wilayah_id": wilayah})
    return user


def load_karimun() -> ImportBatch:
    """S1: 1.000 targeted from several kelurahan; the first list has realistic problems (54 rows refused),
    the kelurahan send corrections and replacements; RT/RW, kelurahan and Dinas Sosial find 953 layak;
    the cohort for November–December 2025 costs Rp32.020.800."""
    program = Program.objects.get(slug="karimun-2025")
    operator = _user("karimun.operator", Role.OPERATOR_DISNAKER, "21.02")
    first = upload_list(program, operator, "calon-peserta-karimun-2025.xlsx",
                    demo_data.generate_rows(n=1000, kabupaten="21.02", coverage_start=program.mulai, seed=2025))
    missing = 1000 - program.candidates.count()
    upload_list(program, operator, "perbaikan-dari-kelurahan.xlsx",
            demo_data.generate_rows(n=missing, kabupaten="21.02", coverage_start=program.mulai, seed=77, flaw_rate=0.0))
    desa = sorted(set(program.candidates.values_list("desa_id", flat=True)))
    desa_users = [_user(f"karimun.desa.{kode.replace('.', '')}", Role.OPERATOR_DESA, kode) for kode in desa]
    niks = sorted(program.candidates.values_list("nik", flat=True))
    decide_level(desa_users, program, {nik: "pindah" for nik in niks[:20]} | {nik: "meninggal" for nik in niks[20:22]})
    decide_level(desa_users, program, {nik: "bukan_pekerja_rentan" for nik in niks[22:35]})
    # The branch's participant list names 12 of them: flagged "sudah terdaftar", Dinas Sosial confirms.
    lines = ["NIK;Nama;No. KPJ;Segmen"] + [f"{nik};;{21090000000 + i};BPU" for i, nik in enumerate(niks[35:47])]
    roster.load_roster(pemda=program.pemda, user=operator,
                       upload=SimpleUploadedFile("peserta-bpjs-cabang-batam-sekupang.csv", "\n".join(lines).encode()))
    decide_level([_user("karimun.dinsos", Role.VERIFIKATOR_DINSOS, "21.02")], program,
            {nik: "sudah_terdaftar" for nik in niks[35:47]})
    enrolment.form_cohort(program=program, user=operator)
    return first


def load_ppu() -> None:
    """S2: 15.000 verified for a pagu of Rp3 miliar (14.880 seats, 120 waiting); the province's 5.614,
    30 of whom are also on the kabupaten's roster: conflicts, never billed twice."""
    kab, prov = Program.objects.get(slug="ppu-2025-kab"), Program.objects.get(slug="ppu-2025-prov")
    kab_user = _user("ppu.operator", Role.OPERATOR_DISNAKER, "64.09")
    prov_user = _user("kaltim.operator", Role.OPERATOR_DISNAKER, "64")
    people = demo_data.generate_rows(n=15_000 + 5_614 - 30, kabupaten="64.09", coverage_start=kab.mulai, seed=64,
                                     flaw_rate=0.0)
    for program, user, rows, name in ((kab, kab_user, people[:15_000], "pendataan-ppu-2025.xlsx"),
                                      (prov, prov_user, people[:30] + people[15_000:], "usulan-pemprov-kaltim-ppu.xlsx")):
        upload_list(program, user, name, rows)
        _verify_two_levels(program, user)
        enrolment.form_cohort(program=program, user=user)


def _verify_two_levels(program: Program, operator) -> None:
    """Dinas Sosial of the programme's pemda, then the Disnaker operator: everyone layak."""
    dinsos = _user(f"{operator.username.split('.')[0]}.dinsos", Role.VERIFIKATOR_DINSOS, program.pemda_id)
    decide_level([dinsos], program, {})
    decide_level([operator], program, {})


def load_small(slug: str, kabupaten: str, username: str, wilayah: str, n: int, seed: int, shared=(),
               cohort: bool = True) -> list:
    program = Program.objects.get(slug=slug)
    user = _user(username, Role.OPERATOR_DISNAKER, wilayah)
    rows = list(shared) + demo_data.generate_rows(n=n, kabupaten=kabupaten, coverage_start=program.mulai, seed=seed,
                                                  flaw_rate=0.0)
    upload_list(program, user, f"daftar-{slug}.xlsx", rows)
    _verify_two_levels(program, user)
    if cohort:
        enrolment.form_cohort(program=program, user=user)
    return rows


# --- look-alikes for the matching engine (issue 5) ---------------------------------------------------------

_SPELLINGS = ((r"\bMuhammad\b", "M."), (r"\bM\.\s", "Muhammad "), (r"\bSiti\b", "Sitti"), (r"\bYusuf\b", "Jusuf"),
              (r"hmad\b", "chmad"), (r"\bAbdul\s", "Abd. "), (r"\s+bin\s+\S+$", ""), (r"\s+binti\s+\S+$", ""),
              (r"^H\.\s+", ""), (r"^Hj\.\s+", ""), (r"u", "oe"), (r"i\b", "y"), (r"ah\b", "a"))


def other_spelling(name: str) -> str:
    """The same name as another RT writes it: the first spelling rule that changes it, in the other case."""
    for pattern, replacement in _SPELLINGS:
        changed = re.sub(pattern, replacement, name, count=1, flags=re.IGNORECASE)
        if changed != name and changed.strip():
            return changed.title() if name.isupper() else changed.upper()
    return name.title() if name.isupper() else name.upper()


def serial_typo(nik: str, taken: set[str]) -> str:
    """One digit of the serial mistyped (the NIK stays valid: region and birth date untouched)."""
    for position in (15, 14, 13):
        for step in range(1, 10):
            digit = str((int(nik[position]) + step) % 10)
            typo = nik[:position] + digit + nik[position + 1:]
            if typo[12:] != "0000" and typo not in taken:
                return typo
    raise ValueError(f"no free typo for {nik}")


def transposed(nik: str, taken: set[str]) -> str:
    """Two neighbouring serial digits swapped, the commonest slip when copying a NIK."""
    for position in (14, 13, 12):
        swapped = nik[:position] + nik[position + 1] + nik[position] + nik[position + 2:]
        if swapped != nik and swapped[12:] != "0000" and swapped not in taken:
            return swapped
    return serial_typo(nik, taken)


def look_alike(row: demo_data.DemoRow, *, nik: str, nama: str | None = None) -> demo_data.DemoRow:
    values = dict(row.values)
    values[demo_data.NIK] = nik
    if nama is not None:
        values[demo_data.NAMA] = nama
    return replace(row, values=values)


def _cell_date(value) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else str(value or "")


def load_natuna() -> None:
    """S3: 200 petani by the Pemkab; the Pemprov's nelayan and petani list shares 5 of them outright and two
    more under a mistyped NIK or another spelling, found only by matching, and names someone who may be the
    twin of a Pemkab worker or the same person (a reviewer decides). A late list from a desa enters
    three of the Pemkab's people again (duplicates) and three new people the BPJS branch already registered
    under a slightly different NIK or name. The Pemprov's cohort is formed after matching (load_all)."""
    kab_rows = load_small("natuna-2025-kab", "21.03", "natuna.operator", "21.03", 200, seed=21)
    taken = {str(r.values[demo_data.NIK]) for r in kab_rows}
    kab = Program.objects.get(slug="natuna-2025-kab")
    fresh = demo_data.generate_rows(n=3, kabupaten="21.03", coverage_start=kab.mulai, seed=2103, flaw_rate=0.0)
    late = [look_alike(kab_rows[10], nik=serial_typo(str(kab_rows[10].values[demo_data.NIK]), taken)),
            look_alike(kab_rows[11], nik=serial_typo(str(kab_rows[11].values[demo_data.NIK]), taken),
                       nama=other_spelling(str(kab_rows[11].values[demo_data.NAMA]))),
            look_alike(kab_rows[12], nik=transposed(str(kab_rows[12].values[demo_data.NIK]), taken),
                       nama=other_spelling(str(kab_rows[12].values[demo_data.NAMA]))), *fresh]
    upload_list(kab, _user("natuna.operator", Role.OPERATOR_DISNAKER, "21.03"), "susulan-desa-natuna.xlsx", late)
    _load_natuna_roster(kab, fresh, taken | {str(r.values[demo_data.NIK]) for r in late})
    cross = [look_alike(kab_rows[5], nik=serial_typo(str(kab_rows[5].values[demo_data.NIK]), taken)),
             look_alike(kab_rows[6], nik=transposed(str(kab_rows[6].values[demo_data.NIK]), taken),
                        nama=other_spelling(str(kab_rows[6].values[demo_data.NAMA]))),
             _twin(kab_rows[7], taken)]
    load_small("natuna-2025-prov", "21.03", "kepri.operator", "21", 300, seed=22, shared=kab_rows[:5] + cross, cohort=False)


def _twin(row: demo_data.DemoRow, taken: set[str]) -> demo_data.DemoRow:
    """Same birth date, same mother, a neighbouring NIK serial, another first name, no phone: a twin, or the
    same worker under another name? A case for a reviewer."""
    values = dict(row.values)
    first, _, rest = str(values[demo_data.NAMA]).partition(" ")
    other = "Hasan" if first.lower() != "hasan" else "Husin"
    values[demo_data.NAMA] = f"{other} {rest}".strip() if rest else other
    values[demo_data.NIK] = serial_typo(str(values[demo_data.NIK]), taken)
    values[demo_data.HP] = None
    return replace(row, values=values)


def _load_natuna_roster(program: Program, fresh: list, taken: set[str]) -> None:
    """The branch's list: the same person under a transposed NIK, under another spelling and a mistyped NIK,
    and under another spelling with the same NIK."""
    def line(row, nik, nama, kpj):
        return f"{nik};{nama};{_cell_date(row.values[demo_data.TANGGAL])};{kpj};BPU"

    niks = [str(r.values[demo_data.NIK]) for r in fresh]
    names = [str(r.values[demo_data.NAMA]) for r in fresh]
    lines = ["NIK;Nama;Tanggal Lahir;No. KPJ;Segmen",
             line(fresh[0], transposed(niks[0], taken), names[0], 21030000001),
             line(fresh[1], serial_typo(niks[1], taken), other_spelling(names[1]), 21030000002),
             line(fresh[2], niks[2], other_spelling(names[2]), 21030000003)]
    roster.load_roster(pemda=program.pemda, user=_user("natuna.operator", Role.OPERATOR_DISNAKER, "21.03"),
                       upload=SimpleUploadedFile("peserta-bpjs-cabang-natuna.csv", "\n".join(lines).encode()))


def run_matching() -> MatchRun:
    """One run over everything, in this process (no worker needed for the demo)."""
    return linkage.run_matching(MatchRun.objects.create(trigger=MatchRun.Trigger.DEMO))


def load_all() -> list[str]:
    """Every scenario, once: a second run finds the candidates there and adds nothing."""
    done = []
    if not Program.objects.get(slug="karimun-2025").candidates.exists():
        load_karimun()
        done.append("karimun-2025")
    if not Program.objects.get(slug="ppu-2025-kab").candidates.exists():
        load_ppu()
        done += ["ppu-2025-kab", "ppu-2025-prov"]
    if not Program.objects.get(slug="natuna-2025-kab").candidates.exists():
        load_natuna()
        done += ["natuna-2025-kab", "natuna-2025-prov"]
    if not Program.objects.get(slug="kotabaru-2024").candidates.exists():
        load_small("kotabaru-2024", "63.02", "kotabaru.operator", "63.02", 120, seed=63)
        done.append("kotabaru-2024")
    if done or not MatchRun.objects.filter(status=MatchRun.Status.DONE).exists():
        run_matching()
    natuna_prov = Program.objects.get(slug="natuna-2025-prov")
    if not natuna_prov.cohorts.exists():
        # After matching: the Pemprov's seats check the Pemkab's, by NIK and by the engine's links (R9).
        enrolment.form_cohort(program=natuna_prov, user=_user("kepri.operator", Role.OPERATOR_DISNAKER, "21"))
    ensure_natuna_semesta()  # issue 15: the stated demo universe behind Natuna's 59,29 %
    return done


# --- the money loop (issue 12): BPJS answer, ledger, a death, APBD-P ---------------------------------------

KARIMUN_DEATH = date(2025, 11, 10)
PPU_APBD_P = dict(jenis="perubahan", pagu=3_006_000_000, tanggal=date(2025, 9, 30),
                  nomor_dokumen="Perda Kab. Penajam Paser Utara No. 7 Tahun 2025 tentang Perubahan APBD 2025")


def load_money() -> list[str]:
    """Karimun through BPJS to aktif, billed November and December 2025, one death; PPU's APBD-P. Idempotent.

    Every date is the scenario's own, never today's, so the demo reads the same on any day."""
    from lindung.billing.models import PaguChange, PersonMonth

    done = []
    karimun = Program.objects.get(slug="karimun-2025")
    if not PersonMonth.objects.filter(program=karimun).exists():
        load_karimun_money(karimun)
        done.append("karimun-2025")
    ppu = Program.objects.get(slug="ppu-2025-kab")
    if ppu.cohorts.exists() and not PaguChange.objects.filter(program=ppu, jenis="perubahan").exists():
        from lindung.billing import budget

        budget.change_pagu(ppu, user=_user("ppu.admin", Role.ADMIN_DISNAKER, "64.09"), **PPU_APBD_P)
        done.append("ppu-2025-kab")
    return done


def load_karimun_money(program: Program) -> None:
    """The branch registers all 953 (simulated KPJ numbers); coverage starts on 1 November 2025 (aktif);
    the ledger bills November and December at Rp16.010.400 each; one participant dies on 10 November 2025,
    so December bills 952 (Rp15.993.600). The freed December goes to the waiting list only if someone waits
    and the pagu buys the month: Karimun's 953 layak all hold seats, so nobody waits and the Rp16.800 stays
    unspent (sisa)."""
    from lindung.billing import ledger
    from lindung.enrolment import bpjs

    operator = _user("karimun.operator", Role.OPERATOR_DISNAKER, "21.02")
    cohort = enrolment.latest_cohort(program)
    submitted = [e.candidate.nik for e in bpjs.submit(cohort, user=operator)]
    lines = ["NIK;Status;No. KPJ;Keterangan"] + [f"{nik};Terdaftar;{25110000001 + i};" for i, nik in enumerate(submitted)]
    result = bpjs.apply_response(cohort, "\n".join(lines).encode(), "jawaban-bpjs-batam-sekupang.csv", user=operator)
    if not result.ok:
        raise RuntimeError(f"demo: jawaban BPJS ditolak: {result.problems[:3]}")
    enrolment.advance_lifecycle(today=program.mulai, user=operator)
    ledger.sync_ledger(program, through=program.selesai)
    first = cohort.seated.select_related("candidate").order_by("urutan").first()
    enrolment.release(first, user=_user("karimun.admin", Role.ADMIN_DISNAKER, "21.02"), akhir=KARIMUN_DEATH,
                      kode="meninggal", reason=f"Meninggal dunia {KARIMUN_DEATH:%d-%m-%Y} (laporan keluarga melalui kelurahan)")
