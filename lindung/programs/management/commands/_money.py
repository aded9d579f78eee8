"""Arguments shared by `lindung iuran` and `lindung pagu`, and their translation to domain calls."""

from django.core.management.base import CommandError
from django.utils import timezone

from lindung.domain.periods import Month, PeriodError
from lindung.lib.commands import positive_int


def add_rate_arguments(parser) -> None:
    parser.add_argument("--bulan", required=True, type=positive_int("--bulan"), help="jumlah bulan perlindungan")
    parser.add_argument(
        "--penghasilan", type=positive_int("--penghasilan"), default=1_000_000,
        help="penghasilan yang dilaporkan per bulan (rupiah); bawaan Rp1.000.000. Iuran dihitung dari penghasilan "
        "penetapan manfaat barisnya di PP 44/2015 Lampiran II (Rp1.099.000 -> Rp1.000.000)",
    )
    parser.add_argument("--jht", action="store_true", help="ikut Jaminan Hari Tua (2 %% penghasilan penetapan manfaat)")
    parser.add_argument("--periode", help="bulan pertama perlindungan, YYYY-MM (bawaan: bulan ini)")
    parser.add_argument("--pembayar", default="apbd", help="apbd (bawaan), apbn, atau mandiri")
    parser.add_argument("--sektor", help="mis. transportasi (ojek, kurir) untuk diskon PP 50/2025")
    parser.add_argument("--json", action="store_true", help="keluaran satu objek JSON")


def start_month(periode: str | None) -> Month:
    if not periode:
        return Month.of(timezone.localdate())
    try:
        return Month.parse(periode)
    except PeriodError as exc:
        raise CommandError(f"--periode {periode}: {exc}") from None


def rate_kwargs(options: dict) -> dict:
    return {
        "start": start_month(options.get("periode")),
        "bulan": options["bulan"],
        "penghasilan": options["penghasilan"],
        "jht": options["jht"],
        "pembayar": options["pembayar"],
        "sektor": options.get("sektor"),
    }
