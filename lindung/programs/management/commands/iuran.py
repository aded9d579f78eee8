from django.core.management.base import CommandError

from lindung.domain import iuran, rates
from lindung.lib.commands import LindungCommand, positive_int
from lindung.lib.format import format_rupiah
from lindung.programs.management.commands._money import add_rate_arguments, rate_kwargs


class Command(LindungCommand):
    help = "Menghitung iuran BPJS Ketenagakerjaan (JKK + JKM, opsional JHT) untuk N orang selama M bulan."

    def add_arguments(self, parser):
        parser.add_argument("--orang", required=True, type=positive_int("--orang"), help="jumlah peserta")
        add_rate_arguments(parser)

    def handle(self, *args, **options):
        try:
            result = iuran.iuran_total(orang=options["orang"], **rate_kwargs(options))
        except (iuran.IuranError, rates.RateNotFound) as exc:
            raise CommandError(str(exc)) from None
        record = {
            "per_orang_per_bulan": result.per_orang_per_bulan,
            "total": result.total,
            "aturan": list(result.aturan),
            "penghasilan_penetapan_manfaat": result.dasar,
        }
        if options["json"]:
            self.write_json(record)
            return
        self.stdout.write(
            f"Penghasilan {format_rupiah(options['penghasilan'])}: penghasilan penetapan manfaat "
            f"{format_rupiah(result.dasar)} (PP 44/2015 Lampiran II; JKK 1 %, JHT 2 % dari jumlah ini)"
        )
        self.stdout.write(f"Iuran per orang per bulan: {format_rupiah(result.per_orang_per_bulan)}")
        self.stdout.write(f"Total {options['orang']} orang × {options['bulan']} bulan: {format_rupiah(result.total)}")
        self.stdout.write("Dasar: " + "; ".join(result.aturan))
