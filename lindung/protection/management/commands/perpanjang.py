import time
from datetime import date

from django.core.management.base import CommandError

from lindung.protection.renewal import RenewalError, renew
from lindung.lib.commands import LindungCommand
from lindung.programs.models import Program


class Command(LindungCommand):
    help = ("Perpanjangan program ke tahun anggaran berikutnya: program baru dengan pengaturan yang sama, pagu dan "
            "masa baru; peserta yang masih memegang kursi dibawa sebagai calon terverifikasi (tanpa impor dan "
            "verifikasi ulang), kecuali diminta verifikasi ulang.")

    def add_arguments(self, parser):
        parser.add_argument("slug", help="program tahun ini, mis. ppu-2025-kab")
        parser.add_argument("--baru", required=True, help="kode (slug) program baru, mis. ppu-2026-kab")
        parser.add_argument("--pagu", required=True, type=int, help="pagu tahun baru (rupiah)")
        parser.add_argument("--mulai", required=True, help="awal perlindungan YYYY-MM-DD")
        parser.add_argument("--selesai", required=True, help="akhir perlindungan YYYY-MM-DD")
        parser.add_argument("--nama", default="", help="nama program baru (bawaan: nama lama dengan tahun baru)")
        parser.add_argument("--verifikasi-ulang", action="store_true", help="peserta dibawa sebagai calon untuk diverifikasi lagi")
        parser.add_argument("--kohort", action="store_true", help="langsung bentuk kohort; KPJ peserta terdaftar dibawa")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, slug, baru, pagu, mulai, selesai, nama, verifikasi_ulang, kohort, json=False, **options):
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            raise CommandError(f"Program {slug!r} tidak ada.")
        try:
            start, end = date.fromisoformat(mulai), date.fromisoformat(selesai)
        except ValueError:
            raise CommandError("--mulai dan --selesai harus berformat YYYY-MM-DD.") from None
        began = time.perf_counter()
        try:
            result = renew(program, slug=baru, pagu=pagu, mulai=start, selesai=end, user=None, nama=nama,
                           reverify=verifikasi_ulang, form_cohort=kohort)
        except RenewalError as exc:
            raise CommandError(str(exc)) from None
        seconds = round(time.perf_counter() - began, 2)
        if json:
            self.write_json({**result.as_json(), "detik": seconds})
            return
        self.stdout.write(f"{result.program.slug}: {result.carried} peserta dibawa dari {slug} ({result.kpj} dengan KPJ), "
                          f"{len(result.too_old)} tidak dibawa karena melewati usia maksimum; {seconds} detik.")
