"""Effective-dated iuran rules for BPU (Bukan Penerima Upah) participants, with their regulation.

No amount is hard-coded anywhere else (domain.md R3): iuran.py asks this table which rules are in
force in a month and does the arithmetic. A new regulation is a new row with its own validity, so
bills for earlier months keep the amounts that applied then.

What is confirmed, and what is not:

* JKK: PP 44/2015 Lampiran II sets BPU JKK as a nominal amount per declared-income band. The full
  band table could NOT be confirmed from a public copy here (the PDF at peraturan.bpk.go.id was not
  opened; news pages only give "1 % of income, at least Rp10.000, at most Rp207.000"). Only the
  lowest row is encoded: declared income Rp1.000.000 -> JKK Rp10.000, the row every regional
  programme in domain.md §0 uses. Any other declared income raises RateNotFound until the remaining
  rows are transcribed from Lampiran II. JKK_MAX (Rp207.000) is the confirmed ceiling; new rows must
  stay under it (a test checks).
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
    """One row of PP 44/2015 Lampiran II: declared income from low to high (inclusive) -> JKK iuran."""

    low: int
    high: int
    jkk: int

    def contains(self, penghasilan: int) -> bool:
        return self.low <= penghasilan <= self.high


@dataclass(frozen=True, slots=True)
class JkkRule:
    valid_from: Month
    valid_to: Month | None
    bands: tuple[JkkBand, ...]
    regulation: str
    source: str
    component: str = JKK

    def jkk_for(self, penghasilan: int) -> int:
        for band in self.bands:
            if band.contains(penghasilan):
                return band.jkk
        confirmed = ", ".join(f"{rupiah(b.low)}–{rupiah(b.high)}" for b in self.bands)
        raise RateNotFound(
            f"Iuran JKK untuk penghasilan {rupiah(penghasilan)} belum tersedia: baris {self.regulation} "
            f"yang sudah dikonfirmasi hanya untuk penghasilan {confirmed}."
        )

    @property
    def lowest_penghasilan(self) -> int:
        return min(band.low for band in self.bands)


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
    rate: Fraction  # of declared income
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
    # PP 44/2015 Lampiran II (as amended by PP 82/2019 and PP 49/2023), lowest row only.
    # Sources: https://radarmukomuko.disway.id/read/666514/berapa-besaran-iuran-bpjs-ketenagakerjaan-begini-perhitungannya-dan-besarannya
    #   ("1% dari penghasilan, paling sedikit Rp 10.000 dan paling besar Rp 207.000");
    #   https://sekitarjatim.com/2025/05/23/6-900-pekerja-rentan-di-sampang-dapat-jaminan-sosial-dari-dana-cukai-tembakau/
    #   and https://star.grid.id/read/453622144/iuran-mulai-rp-16800-ojol-hingga-nelayan-bisa-jadi-peserta-bpjs-ketenagakerjaan-ini-manfaatnya
    #   (Rp16.800 = Rp10.000 JKK at Rp1.000.000 + Rp6.800 JKM).
    # Primary text, not opened: https://peraturan.bpk.go.id/Download/28929/PP%20Nomor%2044%20Tahun%202015%20-%20Lampiran%202.pdf
    JkkRule(
        valid_from=_TABLE_START,
        valid_to=None,
        bands=(JkkBand(low=1_000_000, high=1_000_000, jkk=10_000),),
        regulation="PP 44/2015 Lampiran II jo. PP 82/2019 dan PP 49/2023",
        source="https://peraturan.bpk.go.id/Download/28929/PP%20Nomor%2044%20Tahun%202015%20-%20Lampiran%202.pdf ; "
        "https://radarmukomuko.disway.id/read/666514/berapa-besaran-iuran-bpjs-ketenagakerjaan-begini-perhitungannya-dan-besarannya",
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
    # JHT for BPU (optional): 2 % of declared income -> Rp20.000 at Rp1.000.000, Rp36.800 in all.
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
