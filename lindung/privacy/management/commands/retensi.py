from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone

from lindung.lib.commands import LindungCommand
from lindung.privacy.retention import run


class Command(LindungCommand):
    help = ("Menghapus atau menganonimkan data yang melewati masa retensi (berkas unggahan, baris asli, berkas "
            "peserta BPJS, berita acara, PDF SK); tiap tindakan dicatat di jejak audit. Jalankan harian (cron/systemd).")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="hanya daftar yang akan dihapus; tidak mengubah apa pun")
        parser.add_argument("--tanggal", help="tanggal acuan YYYY-MM-DD (bawaan: hari ini)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, dry_run=False, tanggal=None, json=False, **options):
        try:
            today = date.fromisoformat(tanggal) if tanggal else timezone.localdate()
        except ValueError:
            raise CommandError(f"--tanggal {tanggal!r} harus berformat YYYY-MM-DD.") from None
        actions = run(today=today, dry_run=dry_run)
        if json:
            self.write_json({"tanggal": today.isoformat(), "dry_run": dry_run, "tindakan": [a.as_json() for a in actions],
                             "jumlah": len(actions), "baris": sum(a.rows for a in actions)})
            return
        verb = "akan dihapus/dianonimkan" if dry_run else "dihapus/dianonimkan"
        for action in actions:
            self.stdout.write(f"{action.jenis}: {action.keterangan} — {verb}")
        note = " (uji coba: tidak ada yang diubah)" if dry_run else ""
        self.stdout.write(f"{today:%d-%m-%Y}: {len(actions)} tindakan retensi{note}.")
