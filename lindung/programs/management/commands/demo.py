from django.db import transaction

from lindung.accounts.services import DEMO_PASSWORD, DEMO_USERNAME, ensure_demo_user
from lindung.domain import wilayah
from lindung.lib.commands import LindungCommand
from lindung.lib.format import format_number
from lindung.programs import demo
from lindung.registry.services import load_regions


class Command(LindungCommand):
    help = "Memuat data demo: wilayah, program contoh (domain.md §0), pengguna per peran, dan daftar calon Karimun (aman diulang)."

    def handle(self, *args, **options):
        result = load_regions()
        self.stdout.write(f"Wilayah {wilayah.SNAPSHOT}: {result.created} baru, {result.updated} diperbarui.")
        with transaction.atomic():
            user = ensure_demo_user()
            programs = demo.ensure_programs()
            names = demo.ensure_users()
        self.stdout.write("Program: " + ", ".join(p.slug for p in programs))
        batch = demo.import_karimun(user)
        if batch is not None:
            self.stdout.write(
                f"karimun-2025: {format_number(batch.rows_total)} baris diunggah, {format_number(batch.rows_ok)} diterima, "
                f"{format_number(batch.rows_rejected)} ditolak (lihat halaman unggahan untuk berkas baris yang ditolak)."
            )
        self.stdout.write("")
        self.stdout.write("Buka http://127.0.0.1:8000/ lalu masuk dengan:")
        self.stdout.write(f"  nama pengguna: {DEMO_USERNAME} (melihat semua program)")
        self.stdout.write(f"  kata sandi   : {DEMO_PASSWORD}")
        self.stdout.write("Pengguna per peran, kata sandi sama: " + ", ".join(names))
