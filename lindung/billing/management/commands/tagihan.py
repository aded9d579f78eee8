from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from lindung.billing import bill, ledger
from lindung.billing.models import PersonMonth
from lindung.domain.periods import Month, PeriodError
from lindung.enrolment.services import latest_cohort
from lindung.lib.audit import record_nik_access
from lindung.lib.commands import LindungCommand
from lindung.lib.format import format_number, format_rupiah
from lindung.programs.models import Program


class Command(LindungCommand):
    help = "Tagihan internal satu program untuk satu bulan, dari buku iuran orang-bulan (ledger)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="slug program, mis. karimun-2025")
        parser.add_argument("--bulan", required=True, help="bulan tagihan, TTTT-BB (mis. 2025-11)")
        parser.add_argument("--json", action="store_true", help="keluaran satu objek JSON")
        parser.add_argument("--csv", metavar="BERKAS", help="tulis baris tagihan NIK,KPJ,Nama,Bulan,Iuran (NIK lengkap, dicatat di jejak audit)")
        parser.add_argument("--pengguna", help="nama pengguna yang dicatat di jejak audit untuk --csv")

    def handle(self, *args, slug, bulan, json=False, csv=None, pengguna=None, **options):
        program = Program.objects.filter(slug=slug).select_related("pemda").first()
        if program is None:
            raise CommandError(f"Program {slug!r} tidak ada.")
        try:
            month = Month.parse(bulan)
        except PeriodError as exc:
            raise CommandError(f"--bulan: {exc}") from None
        cohort = latest_cohort(program)
        if cohort is None:
            raise CommandError(f"Program {slug} belum punya kohort penetapan: belum ada tagihan.")
        if not cohort.window.contains(month):
            raise CommandError(f"{month.name_id} di luar masa perlindungan {slug} ({cohort.window}).")
        user = self._user(pengguna)
        ledger.sync_ledger(program, through=month)
        summary = ledger.bill_summary(program, month)
        if csv:
            self._write_csv(program, month, Path(csv), user)
        if json:
            self.write_json(summary.as_json())
            return
        self.stdout.write(f"{program.nama} — tagihan {month.name_id}")
        self.stdout.write(f"  {format_number(summary.orang)} orang, {format_rupiah(summary.total)} "
                          f"({bill.capitalised_terbilang(summary.total)})")
        self.stdout.write("  dasar: " + "; ".join(summary.aturan))

    def _user(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Pengguna {username!r} tidak ada.")
        return user

    def _write_csv(self, program, month, path: Path, user) -> None:
        try:
            with path.open("w", encoding="utf-8", newline="") as out:
                rows = bill.write_csv(program, month, out)
        except OSError as exc:
            raise CommandError(f"Berkas {path} tidak dapat ditulis: {exc.strerror}.") from None
        record_nik_access(user, model=PersonMonth, rows=rows, export=True,
                          note=f"tagihan {program.slug} {month} (csv, baris perintah)")
