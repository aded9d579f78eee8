from django.core.management.base import CommandError

from lindung.domain import wilayah
from lindung.lib.commands import LindungCommand


class Command(LindungCommand):
    help = "Menampilkan satu wilayah Kemendagri menurut kodenya (2, 4, 6 atau 10 digit, bertitik atau tidak)."

    def add_arguments(self, parser):
        parser.add_argument("kode", help="kode wilayah, mis. 21.03 atau 2103012001")
        parser.add_argument("--json", action="store_true", help="keluaran satu objek JSON")

    def handle(self, *args, kode, json=False, **options):
        found = self._lookup(kode)
        record = {"kode": found.kode, "nama": found.nama, "tingkat": found.tingkat, "induk": found.induk}
        if json:
            self.write_json(record)
        else:
            induk = f" (induk {found.induk})" if found.induk else ""
            self.stdout.write(f"{found.kode} {found.nama} — {found.tingkat}{induk}")

    def _lookup(self, kode: str) -> wilayah.Wilayah:
        dotted = wilayah.normalise_kode(kode)
        if dotted is None:
            raise CommandError(f"{kode!r} bukan kode wilayah: harus 2, 4, 6 atau 10 digit angka.")
        found = wilayah.get(dotted)
        if found is None:
            legacy, _problems = wilayah.resolve_legacy(dotted)
            hint = f" Kode lama ini sekarang menjadi {legacy.kode} {legacy.nama}." if legacy else ""
            raise CommandError(f"Kode wilayah {dotted} tidak ada dalam {wilayah.SNAPSHOT}.{hint}")
        return found
