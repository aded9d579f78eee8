from django.core.management.base import CommandError

from lindung.enrolment.services import program_state
from lindung.lib.commands import LindungCommand
from lindung.lib.format import format_number, format_rupiah
from lindung.programs.models import Program


class Command(LindungCommand):
    help = "Menampilkan keadaan satu program: calon, layak, terdaftar, kursi, bulan, total iuran, konflik."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="slug program, mis. karimun-2025")
        parser.add_argument("--json", action="store_true", help="keluaran satu objek JSON")

    def handle(self, *args, slug, json=False, **options):
        program = Program.objects.filter(slug=slug).first()
        if program is None:
            raise CommandError(f"Program {slug!r} tidak ada.")
        state = program_state(program)
        if json:
            self.write_json(state)
            return
        self.stdout.write(f"{program.nama} ({slug})")
        self.stdout.write(f"  calon {format_number(state['calon'])}, layak {format_number(state['layak'])}, "
                          f"terdaftar {format_number(state['terdaftar'])}, konflik {format_number(state['konflik'])}")
        self.stdout.write(f"  kursi {format_number(state['kursi'])} untuk {state['bulan']} bulan; "
                          f"total iuran {format_rupiah(state['iuran_total'])}")
