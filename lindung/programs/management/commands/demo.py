from lindung.accounts.services import DEMO_PASSWORD, DEMO_USERNAME, ensure_demo_user
from lindung.domain import wilayah
from lindung.lib.commands import LindungCommand
from lindung.registry.services import load_regions


class Command(LindungCommand):
    help = "Memuat data demo: tabel wilayah dan pengguna demo (aman diulang)."

    def handle(self, *args, **options):
        result = load_regions()
        self.stdout.write(f"Wilayah {wilayah.SNAPSHOT}: {result.created} baru, {result.updated} diperbarui.")
        ensure_demo_user()
        self.stdout.write("")
        self.stdout.write("Buka http://127.0.0.1:8000/ lalu masuk dengan:")
        self.stdout.write(f"  nama pengguna: {DEMO_USERNAME}")
        self.stdout.write(f"  kata sandi   : {DEMO_PASSWORD}")
