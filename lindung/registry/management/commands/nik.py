from django.core.management.base import CommandError

from lindung.domain import nik as nik_domain
from lindung.lib.commands import LindungCommand


class Command(LindungCommand):
    help = "Memeriksa satu atau beberapa NIK: 16 digit, kode wilayah, tanggal lahir dan jenis kelamin di dalamnya."

    def add_arguments(self, parser):
        parser.add_argument("nik", nargs="+", help="NIK yang diperiksa")
        parser.add_argument("--json", action="store_true", help="keluaran satu objek JSON per NIK")

    def handle(self, *args, nik, json=False, **options):
        results = [nik_domain.parse_nik(value) for value in nik]
        for result in results:
            if json:
                self.write_json(_as_record(result))
            else:
                self.stdout.write(_as_text(result))
        invalid = sum(1 for r in results if not r.valid)
        if invalid:
            # Like `lindung wilayah` for an unknown code: the exit status tells scripts, 1 = some NIK invalid.
            raise CommandError(f"{invalid} dari {len(results)} NIK tidak valid.", returncode=1)


def _as_record(result: nik_domain.NikResult) -> dict:
    return {
        "nik": result.nik if result.nik is not None else result.raw,
        "valid": result.valid,
        "problems": [p.code for p in result.problems],
        "kode_kecamatan": result.kode_kecamatan,
        "tanggal_lahir": result.tanggal_lahir.isoformat() if result.tanggal_lahir else None,
        "jenis_kelamin": result.jenis_kelamin,
    }


def _as_text(result: nik_domain.NikResult) -> str:
    head = f"{result.nik or result.raw}: {'valid' if result.valid else 'TIDAK VALID'}"
    lines = [head]
    if result.kode_kecamatan:
        lines.append(f"  kecamatan {result.kode_kecamatan}")
    if result.tanggal_lahir:
        lines.append(f"  lahir {result.tanggal_lahir:%d-%m-%Y}, jenis kelamin {result.jenis_kelamin}")
    lines += [f"  {'galat' if p.is_error else 'peringatan'} [{p.code}]: {p.message}" for p in result.problems]
    return "\n".join(lines)
