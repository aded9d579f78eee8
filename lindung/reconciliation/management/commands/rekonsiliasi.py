"""`lindung rekonsiliasi SLUG --bulan YYYY-MM --berkas FILE [--json] [--simpan]` (R17)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction

from lindung.domain.periods import Month, PeriodError
from lindung.lib.commands import LindungCommand
from lindung.lib.format import format_rupiah
from lindung.programs.models import Program
from lindung.reconciliation import services


class Command(LindungCommand):
    help = "Merekonsiliasi tagihan BPJS sebulan dengan daftar peserta program; tidak menulis apa pun tanpa --simpan."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="slug program, mis. karimun-2025")
        parser.add_argument("--bulan", required=True, help="bulan tagihan, TTTT-BB (mis. 2025-11)")
        parser.add_argument("--berkas", required=True, help="tagihan BPJS: xlsx, xls, ods atau csv")
        parser.add_argument("--simpan", action="store_true", help="simpan hasilnya sebagai draf rekonsiliasi bulan itu")
        parser.add_argument("--pengguna", help="nama pengguna yang dicatat di jejak audit (dengan --simpan)")
        parser.add_argument("--json", action="store_true", help="keluaran satu objek JSON")

    def handle(self, *args, **options):
        program = Program.objects.filter(slug=options["slug"]).first()
        if program is None:
            raise CommandError(f"Program {options['slug']!r} tidak ada.")
        try:
            bulan = Month.parse(options["bulan"])
        except PeriodError as exc:
            raise CommandError(str(exc)) from None
        path = Path(options["berkas"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        data = path.read_bytes()
        if options["simpan"]:
            read, result = self._save(program, bulan, path.name, data, options.get("pengguna"))
        else:
            read, result = self._dry_run(program, bulan, path.name, data)
        if result is None:
            lines = [f"baris {p.row}, kolom {p.column}: {p.message}" if p.row else p.message for p in read.problems[:50]]
            raise CommandError(f"Tagihan ditolak seluruhnya ({len(read.problems)} masalah):\n  " + "\n  ".join(lines))
        self._report(result, options["json"])

    def _dry_run(self, program, bulan, name, data):
        # The ledger of the month is written as the bill page writes it, then rolled back: the answer is the
        # one --simpan would store, and nothing changes.
        with transaction.atomic():
            from lindung.billing.ledger import sync_ledger

            sync_ledger(program, through=bulan)
            read, result = services.reconcile(program, bulan, data, name)
            transaction.set_rollback(True)
        return read, (result.summary() if result is not None else None)

    def _save(self, program, bulan, name, data, username):
        user = None
        if username:
            user = get_user_model().objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"Pengguna {username!r} tidak ada.")
        from lindung.billing.ledger import sync_ledger

        sync_ledger(program, through=bulan)
        try:
            read, saved = services.save_reconciliation(program=program, bulan=bulan, data=data, filename=name, user=user)
        except services.ReconciliationError as exc:
            raise CommandError(str(exc)) from None
        return read, ({**saved.counts} if saved is not None else None)

    def _report(self, summary: dict, as_json: bool) -> None:
        if as_json:
            self.write_json(summary)
            return
        self.stdout.write(
            f"cocok {summary['cocok']}, hanya di BPJS {summary['hanya_bpjs']}, hanya di daftar {summary['hanya_daftar']}, "
            f"nominal beda {summary['nominal_beda']}, NIK/KPJ tidak cocok {summary['nik_kpj_tidak_cocok']}, "
            f"ganda {summary['ganda']}")
        self.stdout.write(f"total BPJS {format_rupiah(summary['total_bpjs'])}, total daftar "
                          f"{format_rupiah(summary['total_daftar'])}, selisih {format_rupiah(summary['selisih'])}")
