from django.core.management.base import CommandError

from lindung.coverage import services
from lindung.coverage.models import Semesta
from lindung.domain import wilayah
from lindung.domain.coverage import format_persen
from lindung.domain.periods import Month, PeriodError
from lindung.lib.commands import LindungCommand
from lindung.lib.format import format_number


class Command(LindungCommand):
    help = ("Cakupan kepesertaan (R21): orang yang terlindungi aktif pada sebulan, masing-masing sekali, "
            "÷ semesta × 100, untuk wilayah KODE dan satu tingkat di bawahnya.")

    def add_arguments(self, parser):
        parser.add_argument("kode", help="kode wilayah, mis. 21.03 atau 2103")
        parser.add_argument("--bulan", help="YYYY-MM (bawaan: bulan terakhir yang ada pesertanya)")
        parser.add_argument("--semesta", type=int, help="nomor versi semesta (bawaan: yang berlaku)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        kode = wilayah.normalise_kode(options["kode"].strip())
        if kode is None or wilayah.get(kode) is None:
            raise CommandError(f"Kode wilayah {options['kode']!r} tidak dikenal.")
        try:
            bulan = Month.parse(options["bulan"]) if options["bulan"] else None
        except (PeriodError, ValueError):
            raise CommandError(f"Bulan {options['bulan']!r} tidak sah; tulis YYYY-MM, mis. 2025-12.") from None
        semesta = None
        if options["semesta"] is not None:
            semesta = Semesta.objects.filter(pk=options["semesta"]).first()
            if semesta is None:
                raise CommandError(f"Semesta nomor {options['semesta']} tidak ada.")
        result = services.report(kode, bulan=bulan, semesta=semesta)
        if options["json"]:
            self.write_json(result.as_json())
            return
        a = result.area
        self.stdout.write(f"{a.kode} {a.nama}, {result.bulan.name_id}: {format_number(a.peserta)} peserta "
                          f"÷ {format_number(a.semesta) if a.semesta else '-'} = {format_persen(a.persen)}")
        self.stdout.write(f"Semesta: {result.sumber_semesta}")
        for s in result.rincian:
            self.stdout.write(f"  {s.kode} {s.nama}: {format_number(s.peserta)} / "
                              f"{format_number(s.semesta) if s.semesta else '-'} = {s.label}")
