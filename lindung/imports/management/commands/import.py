"""`lindung import FILE --program SLUG [--dry-run] --json` (architecture.md §4)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from lindung.accounts.access import can_upload
from lindung.imports import reader, services
from lindung.imports.models import ImportBatch
from lindung.lib.commands import LindungCommand
from lindung.programs.models import Program


class Command(LindungCommand):
    help = "Memeriksa lalu mengimpor daftar calon peserta (xlsx/csv) ke sebuah program."

    def add_arguments(self, parser):
        parser.add_argument("file", help="berkas xlsx, xls, ods atau csv")
        parser.add_argument("--program", required=True, help="slug program, mis. karimun-2025")
        parser.add_argument("--dry-run", action="store_true", help="hanya memeriksa; tidak menulis apa pun")
        parser.add_argument("--pengguna", help="nama pengguna yang dicatat di jejak audit")
        parser.add_argument("--json", action="store_true", help="keluaran satu objek JSON")

    def handle(self, *args, **options):
        program = Program.objects.filter(slug=options["program"]).first()
        if program is None:
            raise CommandError(f"Program {options['program']!r} tidak ada.")
        user = None if options["dry_run"] else self._user(program, options.get("pengguna"))
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        data = path.read_bytes()
        try:
            result = services.validate_bytes(data, path.name, services.rules_from(program))
        except reader.ImportFileError as exc:
            raise CommandError(exc.message) from None
        if not result.accepted_file:
            raise CommandError("; ".join(p.message for p in result.file_problems if p.severity == "error"))
        if not options["dry_run"]:
            self._commit(program, path.name, data, result, user)
        self._report(result, options["json"])

    @staticmethod
    def _user(program, username):
        """The user the audit trail names: one who may upload to this programme from the web pages too
        (the programme in their area; a desa operator's uploads are bound to their desa: web only)."""
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Pengguna {username!r} tidak ada.")
        membership = getattr(user, "membership", None)
        allowed = can_upload(user) and Program.objects.visible_to(user).filter(pk=program.pk).exists()
        if not allowed or (membership is not None and membership.is_desa and not user.is_superuser):
            raise CommandError(f"Pengguna {username!r} tidak berwenang mengunggah daftar ke program {program.slug}.")
        return user

    def _commit(self, program, name, data, result, user):
        batch = services.import_checked(program=program, user=user, name=name, data=data, result=result)
        if batch.status == ImportBatch.Status.PREVIEW and batch.rows_ok:
            services.commit(batch, user=user)

    def _report(self, result, as_json):
        rows = result.rows
        accepted = len(result.accepted)
        problems = [{"row": p.row, "column": p.column, "code": p.code, "severity": p.severity}
                    for r in rows for p in r.problems]
        if as_json:
            self.write_json({"rows": len(rows), "accepted": accepted, "rejected": len(rows) - accepted, "problems": problems})
            return
        self.stdout.write(f"{len(rows)} baris: {accepted} diterima, {len(rows) - accepted} ditolak.")
        for r in rows:
            for p in r.problems:
                self.stdout.write(f"  baris {p.row}, kolom {p.column}: [{p.code}] {p.message}")
