from django.core.management.base import CommandError

from lindung.domain import wilayah
from lindung.lib.commands import LindungCommand
from lindung.registry.services import load_regions


class Command(LindungCommand):
    help = "Memuat tabel wilayah Kemendagri dari snapshot bawaan ke database (aman diulang)."

    def add_arguments(self, parser):
        parser.add_argument("--kode", help="hanya wilayah ini beserta induk dan turunannya, mis. 21.02")

    def handle(self, *args, kode=None, **options):
        prefix = None
        if kode:
            prefix = wilayah.normalise_kode(kode)
            if prefix is None or wilayah.get(prefix) is None:
                raise CommandError(f"Kode wilayah {kode!r} tidak dikenal dalam {wilayah.SNAPSHOT}.")
        result = load_regions(prefix=prefix)
        self.stdout.write(
            f"Wilayah ({wilayah.SNAPSHOT}): {result.created} baru, {result.updated} diperbarui, "
            f"{result.retired} tidak berlaku lagi."
        )
