"""Benefit amounts for BPU participants and sanity checks on claims entered (domain.md §3, R13, R14, R23).

Amounts live in BENEFIT_SCHEDULES, a dated table naming its regulation, like rates.py. Claims are
checked, never computed for payment: BPJS decides a claim; this catches typing mistakes and
participants whose short masa iur changes what their family can expect.

Unconfirmed (domain.md §8): how the Rp10 juta JKM for < 3 months splits (8 + 2 juta or 10 juta
funeral), so only its total is encoded; whether a gap in payment resets the 3-month and 3-year
counts (callers pass the masa iur they count).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .problems import Problem
from .rates import rupiah


class BenefitError(ValueError):
    """Bad input to a benefit calculation; the message is Indonesian."""


@dataclass(frozen=True, slots=True)
class BeasiswaLevel:
    jenjang: str
    per_tahun: int
    max_tahun: int

    @property
    def maksimal(self) -> int:
        return self.per_tahun * self.max_tahun


@dataclass(frozen=True, slots=True)
class BenefitSchedule:
    valid_from: date
    valid_to: date | None
    regulation: str
    source: str
    # JKM (death not caused by work), masa iur >= jkm_min_masa_iur_bulan
    jkm_santunan_kematian: int
    jkm_biaya_pemakaman: int
    jkm_santunan_berkala: int  # 24 months, paid at once
    # JKM when masa iur < jkm_min_masa_iur_bulan (split unconfirmed, total only)
    jkm_masa_iur_pendek: int
    jkm_min_masa_iur_bulan: int
    # JKK death: multiplier x declared income, plus funeral and periodic payments
    jkk_kematian_kali_penghasilan: int
    jkk_biaya_pemakaman: int
    jkk_santunan_berkala: int
    # Beasiswa: up to 2 children; JKM death needs masa iur >= 36 months, JKK none
    beasiswa_levels: tuple[BeasiswaLevel, ...]
    beasiswa_max_anak: int
    beasiswa_per_anak: int
    beasiswa_min_masa_iur_jkm_bulan: int

    @property
    def jkm_penuh(self) -> int:
        return self.jkm_santunan_kematian + self.jkm_biaya_pemakaman + self.jkm_santunan_berkala


BENEFIT_SCHEDULES: tuple[BenefitSchedule, ...] = (
    # PP 82/2019 (amending PP 44/2015) with Permenaker 5/2021 (in force 1 April 2021, tata cara).
    # PP 82/2019's amounts applied earlier too, but its start date is not confirmed here, so the
    # table vouches from Permenaker 5/2021 on. Sources:
    #   JKM 42 jt = 20 + 10 + 12: https://fbeta.republika.co.id/berita/q4fmoh371/bp-jamsostek-tingkatkan-santunan-jkm-menjadi-rp-42-juta
    #   JKM 10 jt when < 3 months: https://www.bursakota.co.id/?p=68592
    #   JKK death 48 x + 10 + 12 jt (70 jt at Rp1 jt): https://serantaumedia.id/200-petani-natuna-dapat-perlindungan-bpjs-ketenagakerjaan-gratis
    #   Beasiswa per level, 87 jt / child, 174 jt: https://mediaindonesia.com/humaniora/694499/bpjs-ketenagakerjaan-jakarta-grogol-serahkan-beasiswa-rp1725-juta-untuk-anak-peserta-yang-meninggal-dunia
    #   Beasiswa via JKM needs masa iur >= 3 years: https://banjarmasin.tribunnews.com/2020/01/11/kalselpedia-beasiswa-anak-kepesertaan-jkk-dan-jkm-capai-rp-174-juta
    BenefitSchedule(
        valid_from=date(2021, 4, 1),
        valid_to=None,
        regulation="PP 44/2015 jo. PP 82/2019; Permenaker 5/2021",
        source="https://fbeta.republika.co.id/berita/q4fmoh371/bp-jamsostek-tingkatkan-santunan-jkm-menjadi-rp-42-juta",
        jkm_santunan_kematian=20_000_000,
        jkm_biaya_pemakaman=10_000_000,
        jkm_santunan_berkala=12_000_000,
        jkm_masa_iur_pendek=10_000_000,
        jkm_min_masa_iur_bulan=3,
        jkk_kematian_kali_penghasilan=48,
        jkk_biaya_pemakaman=10_000_000,
        jkk_santunan_berkala=12_000_000,
        beasiswa_levels=(
            BeasiswaLevel("TK", 1_500_000, 2),
            BeasiswaLevel("SD", 1_500_000, 6),
            BeasiswaLevel("SMP", 2_000_000, 3),
            BeasiswaLevel("SMA", 3_000_000, 3),
            BeasiswaLevel("S1/pelatihan", 12_000_000, 5),
        ),
        beasiswa_max_anak=2,
        beasiswa_per_anak=87_000_000,
        beasiswa_min_masa_iur_jkm_bulan=36,
    ),
)

# BPJS counts a pekerja rentan fully in its KPI only with >= 6 months of masa iur (PROBIS p.67, R14).
KPI_MIN_MASA_IUR_BULAN = 6


def schedule_on(day: date | None = None) -> BenefitSchedule:
    """The schedule in force on the day of the event (death, accident); today's when not given."""
    day = day or date.today()
    for schedule in BENEFIT_SCHEDULES:
        if schedule.valid_from <= day and (schedule.valid_to is None or day <= schedule.valid_to):
            return schedule
    raise BenefitError(f"Tidak ada tabel manfaat yang berlaku pada {day.isoformat()}.")


def _check_int(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise BenefitError(f"{name} harus bilangan bulat minimal {minimum}, bukan {value!r}.")
    return value


def jkm_benefit(masa_iur_bulan: int, *, on: date | None = None) -> int:
    """JKM for a death not caused by work: Rp42 juta (20 santunan + 10 pemakaman + 12 berkala),
    or Rp10 juta when the participant paid fewer than 3 months."""
    _check_int("Masa iur", masa_iur_bulan, 0)
    schedule = schedule_on(on)
    if masa_iur_bulan < schedule.jkm_min_masa_iur_bulan:
        return schedule.jkm_masa_iur_pendek
    return schedule.jkm_penuh


def jkk_death_benefit(penghasilan: int, *, on: date | None = None) -> int:
    """JKK death: 48 x declared income + Rp10 juta funeral + Rp12 juta periodic (Rp70 juta at Rp1 juta)."""
    _check_int("Penghasilan", penghasilan, 1)
    schedule = schedule_on(on)
    return (
        schedule.jkk_kematian_kali_penghasilan * penghasilan
        + schedule.jkk_biaya_pemakaman
        + schedule.jkk_santunan_berkala
    )


def beasiswa_cap(children: int, *, on: date | None = None) -> int:
    """The most beasiswa a family can receive: Rp87 juta a child, at most 2 children (Rp174 juta)."""
    _check_int("Jumlah anak", children, 0)
    schedule = schedule_on(on)
    return min(children, schedule.beasiswa_max_anak) * schedule.beasiswa_per_anak


def check_coverage_length(bulan: int, *, on: date | None = None) -> list[Problem]:
    """Warnings for a programme window too short to protect well (R14)."""
    _check_int("Jumlah bulan", bulan, 1)
    schedule = schedule_on(on)
    problems = []
    if bulan < schedule.jkm_min_masa_iur_bulan:
        problems.append(
            Problem(
                "masa_iur_kurang_3_bulan",
                f"Masa perlindungan {bulan} bulan: peserta yang meninggal sebelum membayar "
                f"{schedule.jkm_min_masa_iur_bulan} bulan iuran hanya menerima JKM "
                f"{rupiah(schedule.jkm_masa_iur_pendek)}, bukan {rupiah(schedule.jkm_penuh)}.",
                "warning",
            )
        )
    if bulan < KPI_MIN_MASA_IUR_BULAN:
        problems.append(
            Problem(
                "kpi_proporsional",
                f"Masa perlindungan {bulan} bulan: BPJS menghitung peserta ini secara proporsional "
                f"dalam KPI (penuh mulai {KPI_MIN_MASA_IUR_BULAN} bulan).",
                "warning",
            )
        )
    return problems


CLAIM_TYPES = ("jkm", "jkk_kematian", "beasiswa")


def check_claim(
    *,
    jenis: str,
    amount: int,
    masa_iur_bulan: int | None = None,
    penghasilan: int | None = None,
    children: int | None = None,
    per_anak: Sequence[int] = (),
    sebab: str | None = None,
    on: date | None = None,
) -> list[Problem]:
    """Sanity checks on a claim amount entered by an operator (R23). Empty list: nothing odd.

    jenis: "jkm", "jkk_kematian" or "beasiswa". For beasiswa, sebab is "jkk" or "jkm" (the death
    that triggered it): a JKM death needs masa iur of at least 36 months.
    """
    if jenis not in CLAIM_TYPES:
        raise BenefitError(f"Jenis klaim tidak dikenal: {jenis!r}. Pilihan: {', '.join(CLAIM_TYPES)}.")
    if sebab not in (None, "jkk", "jkm"):
        raise BenefitError(f"Sebab beasiswa harus 'jkk' atau 'jkm', bukan {sebab!r}.")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise BenefitError(f"Jumlah klaim harus bilangan bulat rupiah, bukan {amount!r}.")
    if amount < 0:
        return [Problem("klaim_negatif", f"Jumlah klaim tidak boleh negatif ({rupiah(amount)}).")]
    if jenis == "jkm":
        return _check_jkm(amount, masa_iur_bulan, on)
    if jenis == "jkk_kematian":
        return _check_jkk_kematian(amount, penghasilan, on)
    return _check_beasiswa(amount, children, per_anak, sebab, masa_iur_bulan, on)


def _check_jkm(amount: int, masa_iur_bulan: int | None, on: date | None) -> list[Problem]:
    if masa_iur_bulan is None:
        return [Problem("masa_iur_kosong", "Masa iur peserta belum diisi, klaim JKM tidak dapat diperiksa.")]
    expected = jkm_benefit(masa_iur_bulan, on=on)
    if amount != expected:
        return [
            Problem(
                "klaim_jkm_tidak_sesuai",
                f"Klaim JKM {rupiah(amount)} berbeda dari ketentuan {rupiah(expected)} "
                f"untuk masa iur {masa_iur_bulan} bulan.",
            )
        ]
    return []


def _check_jkk_kematian(amount: int, penghasilan: int | None, on: date | None) -> list[Problem]:
    if penghasilan is None:
        return [Problem("penghasilan_kosong", "Penghasilan peserta belum diisi, klaim JKK tidak dapat diperiksa.")]
    expected = jkk_death_benefit(penghasilan, on=on)
    if amount != expected:
        return [
            Problem(
                "klaim_jkk_tidak_sesuai",
                f"Klaim JKK kematian {rupiah(amount)} berbeda dari ketentuan {rupiah(expected)} "
                f"untuk penghasilan {rupiah(penghasilan)}.",
            )
        ]
    return []


def _check_beasiswa(
    amount: int,
    children: int | None,
    per_anak: Sequence[int],
    sebab: str | None,
    masa_iur_bulan: int | None,
    on: date | None,
) -> list[Problem]:
    schedule = schedule_on(on)
    children = len(per_anak) if children is None else children
    problems = []
    if children > schedule.beasiswa_max_anak:
        problems.append(
            Problem(
                "beasiswa_anak_lebih_dari_dua",
                f"Beasiswa hanya untuk {schedule.beasiswa_max_anak} anak, diisi {children} anak.",
            )
        )
    if amount > beasiswa_cap(children, on=on):
        problems.append(
            Problem(
                "beasiswa_melebihi_batas",
                f"Klaim beasiswa {rupiah(amount)} melebihi batas {rupiah(beasiswa_cap(children, on=on))}.",
            )
        )
    if any(a > schedule.beasiswa_per_anak for a in per_anak):
        problems.append(
            Problem(
                "beasiswa_per_anak_melebihi_batas",
                f"Beasiswa satu anak melebihi batas {rupiah(schedule.beasiswa_per_anak)}.",
            )
        )
    if sebab == "jkm" and (masa_iur_bulan is None or masa_iur_bulan < schedule.beasiswa_min_masa_iur_jkm_bulan):
        problems.append(
            Problem(
                "beasiswa_masa_iur_kurang",
                f"Beasiswa karena JKM membutuhkan masa iur minimal "
                f"{schedule.beasiswa_min_masa_iur_jkm_bulan} bulan.",
            )
        )
    return problems
