"""Benefit amounts for BPU participants and sanity checks on claims entered (domain.md §3, R13, R14, R23).

Amounts live in BENEFIT_SCHEDULES, a table dated by the day of the event (death, accident) that names
its regulation, like rates.py. Claims are checked, never computed for payment: BPJS decides a claim;
this catches typing mistakes and participants whose short masa iur changes what their family can expect.
Each amount comes with its rincian: Indonesian lines saying how it was reached.

The schedules:

* From 2 December 2019 (PP 82/2019, in force on the day it was promulgated) the amounts are those of
  PP 82/2019: JKM Rp42 juta, JKK death 48 x the benefit base + Rp10 juta funeral + Rp12 juta periodic,
  beasiswa up to Rp87 juta a child for 2 children. A BPU death with under 3 months of masa iur pays
  Rp10 juta only from 1 April 2021 (the rule is reported with the 2021 implementing rules); for a death
  before that with a masa iur under 3 months the amount is refused as unconfirmed.
* Before 2 December 2019 (PP 44/2015 as first issued) only the JKM split is confirmed (santunan
  Rp16,2 juta + berkala Rp4,8 juta + pemakaman Rp3 juta); the JKK death, beasiswa and short-masa-iur
  rules of that time are not, so events before 2 December 2019 are refused with a message, not guessed.

JKK death is computed on the income as entered (the issue's and BPJS's "48 x upah/penghasilan"): for a
BPU that is the income BPJS registered, normally its PP 44/2015 Lampiran II base (`lindung iuran` shows
it; Rp1 juta gives the Natuna report's Rp70 juta). The santunan kematian (48 x income) is at least the
JKM santunan kematian (PP 82/2019: "paling sedikit sebesar santunan kematian JKM"), so below
Rp416.667 the total stays Rp42 juta. The income is not mapped to its band here: the band decides the
iuran (rates.band_for), and a claim is checked against the income the family's papers show.

Unconfirmed (domain.md §8): how the Rp10 juta JKM for < 3 months splits (8 + 2 juta or 10 juta
funeral), so only its total is encoded; whether a gap in payment resets the 3-month and 3-year
counts (callers pass the masa iur they count).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from . import rates
from .periods import MONTH_NAMES_ID
from .problems import Problem
from .rates import rupiah


class BenefitError(ValueError):
    """Bad input to a benefit calculation; the message is Indonesian."""


class RuleNotConfirmed(BenefitError):
    """No confirmed rule covers the event (its date, a short masa iur in an early period, an income
    between two Lampiran II rows); the message is Indonesian and says what is missing."""


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
    # JKM when masa iur < jkm_min_masa_iur_bulan (split unconfirmed, total only); None: no confirmed
    # rule for such a death in this period, so it is refused
    jkm_masa_iur_pendek: int | None
    jkm_min_masa_iur_bulan: int
    # JKK death: multiplier x the benefit base (at least jkm_santunan_kematian), funeral, periodic
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


@dataclass(frozen=True, slots=True)
class Manfaat:
    """A benefit due under the rules, with how it was reached (Indonesian lines) and the regulations."""

    jumlah: int
    rincian: tuple[str, ...]
    aturan: tuple[str, ...]

    @property
    def keterangan(self) -> str:
        return "; ".join(self.rincian)


# The amounts PP 82/2019 set, shared by both schedules below.
_PP82_AMOUNTS = dict(
    jkm_santunan_kematian=20_000_000,
    jkm_biaya_pemakaman=10_000_000,
    jkm_santunan_berkala=12_000_000,
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
)

PP82_START = date(2019, 12, 2)
PERMENAKER_5_2021_START = date(2021, 4, 1)

BENEFIT_SCHEDULES: tuple[BenefitSchedule, ...] = (
    # PP 82/2019 (amending PP 44/2015), in force 2 December 2019. Sources:
    #   text: https://datacenter.ortax.org/ortax/aturan/show/25363
    #   JKM 20 + 12 + 10 jt (before: 16,2 + 4,8 + 3 jt): https://koranperbatasan.com/baca/nasional/presiden-jokowi-tambah-santunan-kecelakaan-kerja
    #   beasiswa for at most 2 children after 3 years of masa iur: https://www.hukumonline.com/klinik/detail/ulasan/lt5123bb62d9bf8/hak-ahli-waris-pekerja-nonpeserta-bpjs-yang-meninggal-dunia
    #   beasiswa up to Rp174 jt, reported January 2020: https://banjarmasin.tribunnews.com/2020/01/11/kalselpedia-beasiswa-anak-kepesertaan-jkk-dan-jkm-capai-rp-174-juta
    #   JKK death 48 x + 10 + 12 jt, at least the JKM santunan kematian: PP 82/2019 (text above)
    # The Rp10 jt for a BPU death under 3 months of masa iur is reported with the 2021 rules only
    # (https://www.bursakota.co.id/?p=68592), so it is not applied here (None: refused).
    BenefitSchedule(
        valid_from=PP82_START,
        valid_to=date(2021, 3, 31),
        regulation="PP 44/2015 jo. PP 82/2019",
        source="https://datacenter.ortax.org/ortax/aturan/show/25363",
        jkm_masa_iur_pendek=None,
        **_PP82_AMOUNTS,
    ),
    # From 1 April 2021 the same amounts with Permenaker 5/2021 (tata cara). Sources:
    #   JKM 42 jt = 20 + 10 + 12: https://fbeta.republika.co.id/berita/q4fmoh371/bp-jamsostek-tingkatkan-santunan-jkm-menjadi-rp-42-juta
    #   JKM 10 jt when < 3 months: https://www.bursakota.co.id/?p=68592
    #   JKK death 48 x + 10 + 12 jt (70 jt at Rp1 jt): https://serantaumedia.id/200-petani-natuna-dapat-perlindungan-bpjs-ketenagakerjaan-gratis
    #   Beasiswa per level, 87 jt / child, 174 jt: https://mediaindonesia.com/humaniora/694499/bpjs-ketenagakerjaan-jakarta-grogol-serahkan-beasiswa-rp1725-juta-untuk-anak-peserta-yang-meninggal-dunia
    BenefitSchedule(
        valid_from=PERMENAKER_5_2021_START,
        valid_to=None,
        regulation="PP 44/2015 jo. PP 82/2019; Permenaker 5/2021",
        source="https://fbeta.republika.co.id/berita/q4fmoh371/bp-jamsostek-tingkatkan-santunan-jkm-menjadi-rp-42-juta",
        jkm_masa_iur_pendek=10_000_000,
        **_PP82_AMOUNTS,
    ),
)

# BPJS counts a pekerja rentan fully in its KPI only with >= 6 months of masa iur (PROBIS p.67, R14).
KPI_MIN_MASA_IUR_BULAN = 6


def tanggal_id(day: date) -> str:
    """2 Desember 2019."""
    return f"{day.day} {MONTH_NAMES_ID[day.month - 1]} {day.year}"


def schedule_on(day: date | None = None) -> BenefitSchedule:
    """The schedule in force on the day of the event (death, accident); today's when not given."""
    day = day or date.today()
    for schedule in BENEFIT_SCHEDULES:
        if schedule.valid_from <= day and (schedule.valid_to is None or day <= schedule.valid_to):
            return schedule
    if day < PP82_START:
        raise RuleNotConfirmed(
            f"Tidak ada tabel manfaat untuk kejadian pada {tanggal_id(day)}: besaran PP 82/2019 berlaku sejak "
            f"{tanggal_id(PP82_START)}. Sebelumnya berlaku PP 44/2015 (JKM Rp24.000.000: santunan Rp16.200.000, "
            f"berkala Rp4.800.000, pemakaman Rp3.000.000), tetapi aturan JKK meninggal, beasiswa dan masa iur "
            f"pendek masa itu belum dikonfirmasi, jadi manfaatnya tidak dihitung. Tanyakan ke kantor cabang "
            f"BPJS Ketenagakerjaan."
        )
    raise RuleNotConfirmed(f"Tidak ada tabel manfaat yang berlaku pada {tanggal_id(day)}.")


def _check_int(name: str, value: object, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise BenefitError(f"{name} harus bilangan bulat minimal {minimum}, bukan {value!r}.")
    return value


def jkm(masa_iur_bulan: int, *, on: date | None = None) -> Manfaat:
    """JKM for a death not caused by work: Rp42 juta (20 santunan + 10 pemakaman + 12 berkala),
    or Rp10 juta when the participant paid fewer than 3 months (from 1 April 2021)."""
    _check_int("Masa iur", masa_iur_bulan, 0)
    day = on or date.today()
    schedule = schedule_on(day)
    aturan = (schedule.regulation,)
    if masa_iur_bulan < schedule.jkm_min_masa_iur_bulan:
        if schedule.jkm_masa_iur_pendek is None:
            raise RuleNotConfirmed(
                f"Masa iur {masa_iur_bulan} bulan, kurang dari {schedule.jkm_min_masa_iur_bulan} bulan: untuk kematian "
                f"pada {tanggal_id(day)} ({schedule.regulation}) aturan JKM bagi masa iur sependek itu belum "
                f"dikonfirmasi (Rp10.000.000 baru tercatat sejak {tanggal_id(PERMENAKER_5_2021_START)}), "
                f"jadi manfaatnya tidak dihitung."
            )
        return Manfaat(
            schedule.jkm_masa_iur_pendek,
            (
                f"JKM dengan masa iur {masa_iur_bulan} bulan, kurang dari {schedule.jkm_min_masa_iur_bulan} bulan: "
                f"{rupiah(schedule.jkm_masa_iur_pendek)} (rinciannya belum dikonfirmasi)",
            ),
            aturan,
        )
    return Manfaat(
        schedule.jkm_penuh,
        (
            f"JKM dengan masa iur {masa_iur_bulan} bulan",
            f"santunan kematian {rupiah(schedule.jkm_santunan_kematian)}",
            f"biaya pemakaman {rupiah(schedule.jkm_biaya_pemakaman)}",
            f"santunan berkala {rupiah(schedule.jkm_santunan_berkala)} (24 bulan)",
        ),
        aturan,
    )


def jkm_benefit(masa_iur_bulan: int, *, on: date | None = None) -> int:
    return jkm(masa_iur_bulan, on=on).jumlah


def jkk_death(penghasilan: int, *, on: date | None = None) -> Manfaat:
    """JKK death at an income: 48 x income, at least the JKM santunan kematian, + Rp10 juta funeral +
    Rp12 juta periodic (Rp300.000 -> 20 + 10 + 12 = Rp42 juta; Rp1 juta -> Rp70 juta)."""
    _check_int("Penghasilan", penghasilan, 1)
    schedule = schedule_on(on)
    kali = schedule.jkk_kematian_kali_penghasilan
    santunan = kali * penghasilan
    lines = [f"santunan kematian {kali} × {rupiah(penghasilan)} = {rupiah(santunan)}"]
    if santunan < schedule.jkm_santunan_kematian:
        lines.append(
            f"batas bawah berlaku: santunan kematian JKK paling sedikit sebesar santunan kematian JKM, "
            f"{rupiah(schedule.jkm_santunan_kematian)} ({schedule.regulation})"
        )
        santunan = schedule.jkm_santunan_kematian
    lines += [
        f"biaya pemakaman {rupiah(schedule.jkk_biaya_pemakaman)}",
        f"santunan berkala {rupiah(schedule.jkk_santunan_berkala)} (24 bulan)",
    ]
    jumlah = santunan + schedule.jkk_biaya_pemakaman + schedule.jkk_santunan_berkala
    return Manfaat(jumlah, tuple(lines), (schedule.regulation,))


def jkk_death_benefit(penghasilan: int, *, on: date | None = None) -> int:
    """JKK death at a declared income: Rp70 juta at Rp1 juta (48 + 10 funeral + 12 periodic)."""
    return jkk_death(penghasilan, on=on).jumlah


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
    if schedule.jkm_masa_iur_pendek is not None and bulan < schedule.jkm_min_masa_iur_bulan:
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
    that triggered it): a JKM death needs masa iur of at least 36 months. An event no confirmed rule
    covers (before 2 December 2019, a short masa iur before April 2021, an income between two
    Lampiran II rows) gives the problem aturan_belum_dikonfirmasi instead of an amount.
    """
    if jenis not in CLAIM_TYPES:
        raise BenefitError(f"Jenis klaim tidak dikenal: {jenis!r}. Pilihan: {', '.join(CLAIM_TYPES)}.")
    if sebab not in (None, "jkk", "jkm"):
        raise BenefitError(f"Sebab beasiswa harus 'jkk' atau 'jkm', bukan {sebab!r}.")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise BenefitError(f"Jumlah klaim harus bilangan bulat rupiah, bukan {amount!r}.")
    if amount < 0:
        return [Problem("klaim_negatif", f"Jumlah klaim tidak boleh negatif ({rupiah(amount)}).")]
    try:
        if jenis == "jkm":
            return _check_jkm(amount, masa_iur_bulan, on)
        if jenis == "jkk_kematian":
            return _check_jkk_kematian(amount, penghasilan, on)
        return _check_beasiswa(amount, children, per_anak, sebab, masa_iur_bulan, on)
    except RuleNotConfirmed as exc:
        return [Problem("aturan_belum_dikonfirmasi", str(exc))]


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
    expected = jkk_death(penghasilan, on=on)
    if amount != expected.jumlah:
        return [
            Problem(
                "klaim_jkk_tidak_sesuai",
                f"Klaim JKK kematian {rupiah(amount)} berbeda dari ketentuan {rupiah(expected.jumlah)} "
                f"untuk penghasilan {rupiah(penghasilan)} ({expected.keterangan}).",
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
