from datetime import date

from django.core.management.base import CommandError

from lindung.domain import benefits
from lindung.domain.masa_iur import BEASISWA_MONTHS
from lindung.lib.commands import LindungCommand, positive_int
from lindung.lib.format import format_rupiah


class Command(LindungCommand):
    help = "Kalkulator manfaat BPJS Ketenagakerjaan BPU menurut ketentuan (JKM, JKK meninggal, beasiswa)."

    def add_arguments(self, parser):
        parser.add_argument("--jenis", required=True, choices=["jkm", "jkk-meninggal", "beasiswa"])
        parser.add_argument("--masa-iur", required=True, type=int, help="masa iur dalam bulan")
        parser.add_argument(
            "--penghasilan", type=positive_int("--penghasilan"),
            help="penghasilan terdaftar di BPJS (rupiah), untuk JKK: 48 × penghasilan, paling sedikit santunan "
            "kematian JKM (untuk BPU biasanya penghasilan penetapan manfaat PP 44/2015 Lampiran II)",
        )
        parser.add_argument("--anak", type=int, default=1, help="jumlah anak (beasiswa)")
        parser.add_argument("--tanggal", help="tanggal kejadian YYYY-MM-DD (bawaan: hari ini)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, jenis, masa_iur, penghasilan=None, anak=1, tanggal=None, json=False, **options):
        try:
            day = date.fromisoformat(tanggal) if tanggal else date.today()
        except ValueError:
            raise CommandError(f"--tanggal {tanggal!r} harus berformat YYYY-MM-DD.") from None
        try:
            jumlah, rincian, aturan = self._amount(jenis, masa_iur, penghasilan, anak, day)
        except benefits.BenefitError as exc:
            raise CommandError(str(exc)) from None
        if json:
            self.write_json({"jumlah": jumlah, "rincian": rincian, "aturan": aturan})
            return
        self.stdout.write(f"{format_rupiah(jumlah)} — {rincian} ({'; '.join(aturan)})")

    def _amount(self, jenis, masa_iur, penghasilan, anak, day) -> tuple[int, str, list[str]]:
        """The amount, its rincian (Indonesian, one string) and the regulations it follows."""
        if jenis in ("jkm", "jkk-meninggal"):
            if jenis == "jkm":
                manfaat = benefits.jkm(masa_iur, on=day)
            elif penghasilan is None:
                raise CommandError("--penghasilan wajib untuk JKK meninggal.")
            else:
                manfaat = benefits.jkk_death(penghasilan, on=day)
            return manfaat.jumlah, manfaat.keterangan, list(manfaat.aturan)
        jumlah = benefits.beasiswa_cap(anak, on=day)
        note = "" if masa_iur >= BEASISWA_MONTHS else f"; bila karena JKM perlu masa iur {BEASISWA_MONTHS} bulan"
        return jumlah, f"paling banyak untuk {min(anak, 2)} anak{note}", [benefits.schedule_on(day).regulation]
