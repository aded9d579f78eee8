from datetime import date

from django.core.management.base import CommandError
from django.utils import timezone

from lindung.billing.ledger import sync_started
from lindung.protection.ageout import end_aged_out
from lindung.protection.lifecycle import advance_arrears
from lindung.enrolment.services import advance_lifecycle, recover_stale_jobs
from lindung.lib.commands import LindungCommand


class Command(LindungCommand):
    help = ("Memajukan status peserta menurut tanggal: terdaftar → aktif saat perlindungan mulai, aktif → berakhir "
            "sesudahnya; aktif → tertunggak bila iuran sebulan belum dibayar melewati jatuh tempo, kembali aktif "
            "bila tunggakan dibayar, berakhir bila lebih dari 3 bulan berturut-turut tidak dibayar; mencatat iuran orang-bulan untuk bulan yang sudah mulai; memulihkan unggahan, pencocokan "
            "SK, penetapan, keputusan massal dan berkas pengajuan yang prosesnya terhenti.")

    def add_arguments(self, parser):
        parser.add_argument("--tanggal", help="tanggal acuan YYYY-MM-DD (bawaan: hari ini)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, tanggal=None, json=False, **options):
        try:
            today = date.fromisoformat(tanggal) if tanggal else timezone.localdate()
        except ValueError:
            raise CommandError(f"--tanggal {tanggal!r} harus berformat YYYY-MM-DD.") from None
        moved = advance_lifecycle(today=today)
        moved["usia"] = end_aged_out(today=today)  # only programmes ending coverage in the birthday month
        moved["ditagih"] = sync_started(today=today)  # person-months of the months started, written once
        arrears = advance_arrears(today=today)  # reads the ledger just written and the payments recorded
        moved["berakhir"] += arrears.pop("berakhir")
        moved.update(arrears)
        stopped = recover_stale_jobs()
        if json:
            self.write_json({"tanggal": today.isoformat(), **moved, "terhenti": stopped})
            return
        self.stdout.write(f"{today:%d-%m-%Y}: {moved['aktif']} menjadi aktif, {moved['berakhir']} berakhir, "
                          f"{moved['tertunggak']} tertunggak, {moved['pulih']} kembali aktif (tunggakan dibayar), "
                          f"{moved['usia']} keluar karena usia, "
                          f"{moved['ditagih']} iuran orang-bulan baru dicatat.")
        if any(stopped.values()):
            self.stdout.write(f"Proses latar yang terhenti dipulihkan: {stopped['impor']} unggahan, "
                              f"{stopped['pencocokan']} pencocokan, {stopped['sk']} SK, {stopped['proses']} proses "
                              "penetapan/keputusan/berkas pengajuan.")
