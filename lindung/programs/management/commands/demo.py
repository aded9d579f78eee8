from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from lindung.accounts.services import DEMO_PASSWORD, DEMO_USERNAME, ensure_demo_user
from lindung.domain import wilayah
from lindung.lib.commands import LindungCommand
from lindung.enrolment.services import program_state
from lindung.lib.format import format_number, format_rupiah
from lindung import demo
from lindung.linkage.models import MatchPair
from lindung.linkage.services import latest_run
from lindung.registry.services import load_regions
from lindung.reconciliation import demo as reconciliation_demo
from lindung.protection import demo as protection_demo
from lindung.programs.models import Program


class Command(LindungCommand):
    help = "Memuat data demo: wilayah, program contoh (domain.md §0), pengguna per peran, dan daftar calon Karimun (aman diulang)."

    def add_arguments(self, parser):
        parser.add_argument("--paksa", "--force", dest="paksa", action="store_true",
                            help="tetap jalankan walau DEBUG mati (server sungguhan): membuat pengguna super demo")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["paksa"]:
            raise CommandError(
                "`lindung demo` membuat pengguna super dengan kata sandi yang dicetak di layar, hanya untuk mencoba. "
                "DEBUG mati, jadi ini tampaknya server sungguhan: tidak ada yang diubah. Jalankan dengan DEBUG=1 "
                "(seperti `make demo`), atau tambahkan --paksa bila memang ingin memuat data demo di sini.")
        result = load_regions()
        self.stdout.write(f"Wilayah {wilayah.SNAPSHOT}: {result.created} baru, {result.updated} diperbarui.")
        with transaction.atomic():
            ensure_demo_user()
            programs = demo.ensure_programs()
            names = demo.ensure_users()
        self.stdout.write("Program: " + ", ".join(p.slug for p in programs))
        loaded = demo.load_all()
        loaded += demo.load_money()  # BPJS answer, ledger, a death, APBD-P (issue 12); later demo steps follow it
        reconciliation_demo.run(self.stdout)  # Karimun's November: BPJS tagihan reconciled, paid (issue 12)
        loaded += protection_demo.load_renewal(self.stdout)  # PPU 2025 -> ppu-2026-kab (issue 14)
        loaded += protection_demo.load_claim(self.stdout)  # Karimun's death: the JKM claim, the 3-month list
        programs = list(Program.objects.order_by("pk"))
        for program in programs:
            state = program_state(program)
            mark = " (baru dimuat)" if program.slug in loaded else ""
            self.stdout.write(
                f"  {program.slug}: calon {format_number(state['calon'])}, layak {format_number(state['layak'])}, "
                f"kursi {format_number(state['kursi'])}, iuran (SK) {format_rupiah(state['iuran_total'])}, "
                f"ditagih {format_rupiah(state['ditagih'])}, "
                f"konflik {state['konflik']}{mark}")
        run = latest_run()
        if run is not None:
            self.stdout.write(f"Pencocokan data #{run.pk} ({run.get_status_display().lower()}): {format_number(run.pairs_found)} pasangan, "
                              f"{format_number(MatchPair.objects.open().count())} menunggu tinjauan (/pencocokan/tinjau/).")
        self.stdout.write("")
        self.stdout.write("Buka http://127.0.0.1:8000/ lalu masuk dengan:")
        self.stdout.write(f"  nama pengguna: {DEMO_USERNAME} (melihat semua program)")
        self.stdout.write(f"  kata sandi   : {DEMO_PASSWORD}")
        self.stdout.write("Pengguna per peran, kata sandi sama: " + ", ".join(names))
