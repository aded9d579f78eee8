"""Effective-dated iuran rules for BPU (Bukan Penerima Upah) participants, with their regulation.

No amount is hard-coded anywhere else (domain.md R3): iuran.py asks this table which rules are in
force in a month and does the arithmetic. A new regulation is a new row with its own validity, so
bills for earlier months keep the amounts that applied then.

What is confirmed, and what is not:

* JKK and JHT: PP 44/2015 Lampiran II maps a declared income (*penghasilan*) to a band whose base
  amount, the *penghasilan penetapan manfaat*, is what iuran and benefits are computed on: JKK 1 % and
  JHT 2 % of the base, never of the declared income (Rp1.099.000 sits in the Rp1.000.000 band: JKK
  Rp10.000, JHT Rp20.000). BPU_BANDS holds the 33 rows with their source (see the table). The PDF at
  peraturan.bpk.go.id could not be opened here; the rows come from a public transcription that names it,
  checked against independent reports of the lowest row (Rp16.800 = JKK Rp10.000 at Rp1.000.000; the
  lowest basis for BPU is Rp1.000.000) and of the ceiling (JKK at most Rp207.000). The transcription gives
  band limits in whole thousands (… s.d. Rp1.099.000, Rp1.100.000 s.d. …): an income between two rows
  (Rp1.099.500) is refused with RateNotFound rather than guessed.
* JKM Rp6.800 flat and JHT 2 % are confirmed by several sources (domain.md §2).
* PP 50/2025: 50 % off JKK+JKM for transport-sector BPU, January 2026 - March 2027, never when the
  iuran is paid from APBN/APBD. A discount for other BPU in April-December 2026 is reported by one
  source only (domain.md §8.6) and is NOT encoded.
* The table vouches for months from January 2022. The regulations are older (PP 44/2015 and
  PP 46/2015 from July 2015), but the COVID-19 relief of PP 49/2020 is not encoded, so earlier
  months raise RateNotFound instead of returning an amount nobody checked. Every programme in
  domain.md §0 starts in 2023 or later.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from .periods import Month


class RateNotFound(LookupError):
    """No rule (or no JKK band) covers the request; the message is Indonesian."""


JKK = "JKK"
JKM = "JKM"
JHT = "JHT"
DISCOUNT = "discount"
COMPONENTS = (JKK, JKM, JHT, DISCOUNT)

# The highest BPU JKK iuran reported for PP 44/2015 Lampiran II (radarmukomuko, below).
JKK_MAX = 207_000

# Who pays for PP 50/2025 purposes. The regulation excludes BPU "yang iuran JKK JKM-nya dibayarkan
# melalui APBN/APBD". DBHCHT is transferred from the APBN into the APBD and spent through it; APBDes
# and Dana Desa are state money spent by the desa (Dana Desa comes from the APBN, ADD from the APBD).
# All of them are therefore treated as government-paid: no discount. Erring this way can only
# over-budget, never leave a programme short (an overpayment is carried to the next month, §2).
GOVERNMENT_PAYERS = frozenset(
    {"apbn", "apbd", "apbd_kabkota", "apbd_provinsi", "dbhcht", "apbdes", "dana_desa"}
)

_TABLE_START = Month(2022, 1)  # see the module docstring


def rupiah(amount: int) -> str:
    """Rp16.800: Indonesian thousands separator; the UI's `rupiah` filter uses this too."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(amount):,}".replace(",", ".")


@dataclass(frozen=True, slots=True)
class JkkBand:
    """One row of PP 44/2015 Lampiran II: a declared income from low to high (inclusive; None = "ke
    atas") is treated as its base amount, the penghasilan penetapan manfaat (dasar), whose 1 % is the JKK
    iuran. JHT (2 %) and the JKK benefits are computed on the same base."""

    low: int
    high: int | None
    dasar: int
    jkk: int
    source: str

    def contains(self, penghasilan: int) -> bool:
        return self.low <= penghasilan and (self.high is None or penghasilan <= self.high)

    @property
    def label(self) -> str:
        if self.high is None:
            return f"{rupiah(self.low)} ke atas"
        if self.low == 0:
            return f"s.d. {rupiah(self.high)}"
        return f"{rupiah(self.low)} s.d. {rupiah(self.high)}"


# Where the rows come from. The official PDF (LAMPIRAN_II) could not be opened here; TRANSKRIPSI is a
# public simulator's table of Lampiran II that names that PDF (its TIERS constant, checked 2026-09-24
# by its author). The first and last rows are also reported independently (LOWEST_ROW, CEILING).
LAMPIRAN_II = "https://peraturan.bpk.go.id/Download/28929/PP%20Nomor%2044%20Tahun%202015%20-%20Lampiran%202.pdf"
TRANSKRIPSI = (
    "https://github.com/hibahtiar/jaga-pekerja/blob/64d985bccca1cd9b9d5acaae7b04fae410c3df1d/simulasi-bpu.html"
    " (TIERS: transkripsi Lampiran II)"
)
LOWEST_ROW = (
    "https://pojokbandung.com/?p=196801 (BPU mengacu pada penghasilan paling rendah Rp1.000.000, iuran Rp16.800); "
    "https://sekitarjatim.com/2025/05/23/6-900-pekerja-rentan-di-sampang-dapat-jaminan-sosial-dari-dana-cukai-tembakau/"
)
CEILING = (
    "https://radarmukomuko.disway.id/read/666514/berapa-besaran-iuran-bpjs-ketenagakerjaan-begini-perhitungannya-dan-besarannya"
    " (JKK BPU paling sedikit Rp10.000, paling besar Rp207.000)"
)


def _band(low: int, high: int | None, dasar: int, source: str = TRANSKRIPSI) -> JkkBand:
    return JkkBand(low=low, high=high, dasar=dasar, jkk=dasar // 100, source=source)


# PP 44/2015 Lampiran II, the BPU income table: (penghasilan from, to) -> penghasilan penetapan manfaat.
# Unchanged by PP 82/2019 (which replaced Lampiran I, the risk groups) and PP 49/2023 as far as the
# sources show. Limits in whole thousands as transcribed; see the module docstring.
BPU_BANDS: tuple[JkkBand, ...] = (
    _band(0, 1_099_000, 1_000_000, f"{TRANSKRIPSI}; {LOWEST_ROW}"),
    _band(1_100_000, 1_299_000, 1_200_000),
    _band(1_300_000, 1_499_000, 1_400_000),
    _band(1_500_000, 1_699_000, 1_600_000),
    _band(1_700_000, 1_899_000, 1_800_000),
    _band(1_900_000, 2_099_000, 2_000_000),
    _band(2_100_000, 2_299_000, 2_200_000),
    _band(2_300_000, 2_499_000, 2_400_000),
    _band(2_500_000, 2_699_000, 2_600_000),
    _band(2_700_000, 3_199_000, 2_950_000),
    _band(3_200_000, 3_699_000, 3_450_000),
    _band(3_700_000, 4_199_000, 3_950_000),
    _band(4_200_000, 4_699_000, 4_450_000),
    _band(4_700_000, 5_199_000, 4_950_000),
    _band(5_200_000, 5_699_000, 5_450_000),
    _band(5_700_000, 6_199_000, 5_950_000),
    _band(6_200_000, 6_699_000, 6_450_000),
    _band(6_700_000, 7_199_000, 6_950_000),
    _band(7_200_000, 7_699_000, 7_450_000),
    _band(7_700_000, 8_199_000, 7_950_000),
    _band(8_200_000, 9_199_000, 8_700_000),
    _band(9_200_000, 10_199_000, 9_700_000),
    _band(10_200_000, 11_199_000, 10_700_000),
    _band(11_200_000, 12_199_000, 11_700_000),
    _band(12_200_000, 13_199_000, 12_700_000),
    _band(13_200_000, 14_199_000, 13_700_000),
    _band(14_200_000, 15_199_000, 14_700_000),
    _band(15_200_000, 16_199_000, 15_700_000),
    _band(16_200_000, 17_199_000, 16_700_000),
    _band(17_200_000, 18_199_000, 17_700_000),
    _band(18_200_000, 19_199_000, 18_700_000),
    _band(19_200_000, 20_199_000, 19_700_000),
    _band(20_200_000, None, 20_700_000, f"{TRANSKRIPSI}; {CEILING}"),
)

BANDS_REGULATION = "PP 44/2015 Lampiran II"


def band_for(penghasilan: int, bands: tuple[JkkBand, ...] = BPU_BANDS) -> JkkBand:
    """The Lampiran II row of a declared income. An income no row covers is refused, never rounded."""
    for band in bands:
        if band.contains(penghasilan):
            return band
    below = [b for b in bands if b.high is not None and b.high < penghasilan]
    above = [b for b in bands if b.low > penghasilan]
    if below and above:
        where = f"berada di antara baris {below[-1].label} dan baris {above[0].label}"
    else:
        where = "tidak tercakup baris mana pun"
    raise RateNotFound(
        f"Penghasilan {rupiah(penghasilan)} {where} pada tabel {BANDS_REGULATION} yang sudah dikonfirmasi; "
        f"batas pastinya belum dikonfirmasi, jadi iuran dan manfaatnya tidak dihitung. "
        f"Isi penghasilan dalam ribuan rupiah, seperti pada tabel."
    )


def penghasilan_penetapan_manfaat(penghasilan: int) -> int:
    """The base amount (dasar) iuran and JKK benefits are computed on: Rp1.099.000 -> Rp1.000.000."""
    return band_for(penghasilan).dasar


@dataclass(frozen=True, slots=True)
class JkkRule:
    valid_from: Month
    valid_to: Month | None
    bands: tuple[JkkBand, ...]
    regulation: str
    source: str
    component: str = JKK

    def band_for(self, penghasilan: int) -> JkkBand:
        return band_for(penghasilan, self.bands)

    def jkk_for(self, penghasilan: int) -> int:
        return self.band_for(penghasilan).jkk


@dataclass(frozen=True, slots=True)
class JkmRule:
    valid_from: Month
    valid_to: Month | None
    amount: int
    regulation: str
    source: str
    component: str = JKM


@dataclass(frozen=True, slots=True)
class JhtRule:
    valid_from: Month
    valid_to: Month | None
    rate: Fraction  # of the penghasilan penetapan manfaat (the band's base), not of the declared income
    regulation: str
    source: str
    component: str = JHT


@dataclass(frozen=True, slots=True)
class DiscountRule:
    valid_from: Month
    valid_to: Month | None
    rate: Fraction  # share of the discounted components taken off
    discounted: frozenset[str]  # components the rate applies to
    sektor: frozenset[str]  # sectors that get it
    excluded_pembayar: frozenset[str]  # payers that never get it
    regulation: str
    source: str
    component: str = DISCOUNT

    def applies_to(self, *, sektor: str | None, pembayar: str) -> bool:
        return sektor in self.sektor and pembayar not in self.excluded_pembayar


Rule = JkkRule | JkmRule | JhtRule | DiscountRule

RULES: tuple[Rule, ...] = (
    # PP 44/2015 Lampiran II (as amended by PP 82/2019 and PP 49/2023): every row of BPU_BANDS, each
    # with its source. JKK = 1 % of the band's base (penghasilan penetapan manfaat).
    JkkRule(
        valid_from=_TABLE_START,
        valid_to=None,
        bands=BPU_BANDS,
        regulation="PP 44/2015 Lampiran II jo. PP 82/2019 dan PP 49/2023",
        source=f"{LAMPIRAN_II} ; {TRANSKRIPSI}",
    ),
    # JKM for BPU: Rp6.800 a month, flat.
    # Sources: radarmukomuko (above); https://fame.grid.id/amp/464096648/sadar-tidak-7-potongan-ini-ada-pada-gaji-buruh-jadi-8-karena-tapera?page=4
    JkmRule(
        valid_from=_TABLE_START,
        valid_to=None,
        amount=6_800,
        regulation="PP 44/2015 jo. PP 82/2019 dan PP 49/2023",
        source="https://fame.grid.id/amp/464096648/sadar-tidak-7-potongan-ini-ada-pada-gaji-buruh-jadi-8-karena-tapera?page=4",
    ),
    # JHT for BPU (optional): 2 % of the penghasilan penetapan manfaat (the Lampiran II base, as JKK)
    # -> Rp20.000 at Rp1.000.000, Rp36.800 in all. "Iuran JHT ditetapkan sebesar 2 persen dari
    # penghasilan penetapan manfaat berdasar rentang upah tertentu; iuran JKK 1 persen dari penghasilan
    # penetapan manfaat": https://star.grid.id/amp/453740395/terlengkap-cek-iuran-bpjs-ketenagakerjaan-bukan-penerima-upah-alias-mandiri-beda-pendapatan-beda-besarnya
    # Sources: https://suara.com/bisnis/2023/07/06/142746/kuli-petani-hingga-nelayan-jadi-peserta-bpjs-ketenagakerjaan-iurannya-rp-36800-per-bulan ;
    #   https://star.grid.id/read/453654763/berapa-iuran-bpjs-ketenagakerjaan-yang-harus-dibayarkan-oleh-pekerja-informal
    JhtRule(
        valid_from=_TABLE_START,
        valid_to=None,
        rate=Fraction(2, 100),
        regulation="PP 46/2015 jo. PP 60/2015",
        source="https://suara.com/bisnis/2023/07/06/142746/kuli-petani-hingga-nelayan-jadi-peserta-bpjs-ketenagakerjaan-iurannya-rp-36800-per-bulan",
    ),
    # PP 50/2025 (diundangkan 22-12-2025): 50 % of JKK+JKM for transport BPU, iuran for January 2026
    # to March 2027 (15 months); "tidak berlaku bagi Peserta BPU yang Iuran JKK JKM-nya dibayarkan
    # melalui APBN/APBD". Sources: https://www.ntvnews.id/ekonomi/0185051/infografik-ini-rincian-diskon-iuran-jkm-dan-jkk-buat-driver-ojol ;
    #   https://www.cnbcindonesia.com/market/20260204140501-17-708135/prabowo-beri-diskon-50-iuran-jkk-jkm-pekerja-informal-ojol-termasuk/amp ;
    #   https://babeindonesia.com/read?id=6523738 (Kompas TV quoting Kemnaker).
    DiscountRule(
        valid_from=Month(2026, 1),
        valid_to=Month(2027, 3),
        rate=Fraction(1, 2),
        discounted=frozenset({JKK, JKM}),
        sektor=frozenset({"transportasi"}),
        excluded_pembayar=GOVERNMENT_PAYERS,
        regulation="PP 50/2025",
        source="https://www.ntvnews.id/ekonomi/0185051/infografik-ini-rincian-diskon-iuran-jkm-dan-jkk-buat-driver-ojol",
    ),
)


def in_force(rule: Rule, month: Month) -> bool:
    return rule.valid_from <= month and (rule.valid_to is None or month <= rule.valid_to)


def rules_for(month: Month, *, rules: tuple[Rule, ...] = RULES) -> list[Rule]:
    """Every rule in force in a month, in table order."""
    return [rule for rule in rules if in_force(rule, month)]


def find_rule(component: str, month: Month, *, rules: tuple[Rule, ...] = RULES) -> Rule:
    """The one rule for a component in a month. None or two at once is an error in the table."""
    if component not in COMPONENTS:
        raise ValueError(f"Komponen iuran tidak dikenal: {component!r}.")
    found = [rule for rule in rules_for(month, rules=rules) if rule.component == component]
    if not found:
        raise RateNotFound(f"Tidak ada aturan {component} yang berlaku untuk {month.name_id}.")
    if len(found) > 1:
        raise RateNotFound(f"Aturan {component} untuk {month.name_id} tumpang tindih: {len(found)} baris.")
    return found[0]


def find_discount(month: Month, *, rules: tuple[Rule, ...] = RULES) -> DiscountRule | None:
    """The discount in force in a month, or None: most months have none."""
    try:
        return find_rule(DISCOUNT, month, rules=rules)  # type: ignore[return-value]
    except RateNotFound:
        if any(r.component == DISCOUNT for r in rules_for(month, rules=rules)):
            raise  # overlapping discounts are a table error, not "no discount"
        return None
