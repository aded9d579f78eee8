from pathlib import Path

from django.core.management.base import CommandError

from lindung.coverage.laporan import laporan_pdf, laporan_xlsx
from lindung.domain import wilayah
from lindung.lib.commands import LindungCommand


class Command(LindungCommand):
    help = "Laporan cakupan untuk Bupati/DPRD: PDF (atau xlsx bila --out berakhiran .xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("kode", help="kode wilayah, mis. 21.03")
        parser.add_argument("--tahun", type=int, required=True)
        parser.add_argument("--out", required=True, help="berkas keluaran .pdf atau .xlsx")

    def handle(self, *args, **options):
        kode = wilayah.normalise_kode(options["kode"].strip())
        if kode is None or wilayah.get(kode) is None:
            raise CommandError(f"Kode wilayah {options['kode']!r} tidak dikenal.")
        if not 2000 <= options["tahun"] <= 2100:
            raise CommandError(f"Tahun {options['tahun']} tidak sah.")
        out = Path(options["out"])
        if out.suffix.lower() == ".xlsx":
            laporan_xlsx(kode, options["tahun"], str(out))
        else:
            out.write_bytes(laporan_pdf(kode, options["tahun"]))
        self.stdout.write(f"Laporan {kode} tahun {options['tahun']} ditulis ke {out}.")
