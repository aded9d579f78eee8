from django.core.management.base import CommandError

from lindung.domain import iuran, rates
from lindung.lib.commands import LindungCommand, positive_int
from lindung.lib.format import format_number, format_rupiah
from lindung.programs.management.commands._money import add_rate_arguments, rate_kwargs


class Command(LindungCommand):
    help = "Menghitung kursi yang dapat dibiayai sebuah pagu: pagu ÷ (iuran × bulan), dibulatkan ke bawah."

    def add_arguments(self, parser):
        parser.add_argument("--anggaran", required=True, type=positive_int("--anggaran"), help="pagu dalam rupiah")
        add_rate_arguments(parser)

    def handle(self, *args, **options):
        try:
            result = iuran.kursi_dari_pagu(anggaran=options["anggaran"], **rate_kwargs(options))
        except (iuran.IuranError, rates.RateNotFound) as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.write_json({"kursi": result.kursi, "biaya": result.biaya, "sisa": result.sisa})
            return
        self.stdout.write(f"Kursi: {format_number(result.kursi)} orang")
        self.stdout.write(f"Biaya: {format_rupiah(result.biaya)}; sisa pagu: {format_rupiah(result.sisa)}")
