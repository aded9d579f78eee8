from django.db import connection

from lindung.counters.rebuild import check_and_rebuild, missing_triggers
from lindung.lib.commands import LindungCommand
from lindung.lib.format import format_number


class Command(LindungCommand):
    help = ("Periksa hitungan yang dijaga trigger basis data (calon per status, calon per kode peringatan, "
            "penetapan per keadaan, keputusan verifikasi per tingkat, iuran orang-bulan per bulan, cakupan) "
            "terhadap COUNT sebenarnya; tanpa --periksa pasang kembali trigger yang hilang lalu bangun ulang yang "
            "meleset.")

    def add_arguments(self, parser):
        parser.add_argument("--periksa", action="store_true", help="hanya periksa; tidak mengubah apa pun")
        parser.add_argument("--json", action="store_true", help="keluaran satu objek JSON")

    def handle(self, *args, periksa=False, json=False, **options):
        recreated: list[str] = []
        found = check_and_rebuild(rebuild=not periksa, recreated=recreated)
        with connection.cursor() as cursor:
            missing = missing_triggers(cursor)
        if json:
            self.write_json({"selisih": [d.as_json() for d in found], "jumlah_selisih": len(found),
                             "dibangun_ulang": bool(found) and not periksa, "trigger_hilang": missing,
                             "trigger_dipasang_ulang": recreated})
            return
        if recreated:
            self.stdout.write(f"Trigger penjaga hitungan dipasang kembali (dari migrasinya): {', '.join(recreated)}.")
        if missing:
            self.stdout.write(f"Trigger penjaga hitungan hilang: {', '.join(missing)}. Hitungan itu tidak diperbarui "
                              "lagi saat data berubah; jalankan hitung-ulang tanpa --periksa untuk memasangnya kembali "
                              "dan menghitung ulang.")
        if not found:
            self.stdout.write("Semua hitungan cocok dengan jumlah baris sebenarnya.")
            return
        for d in found:
            self.stdout.write(f"  {d.label} {'/'.join(map(str, d.key))}: tercatat {format_number(d.kept)}, "
                              f"sebenarnya {format_number(d.real)}")
        self.stdout.write(f"{format_number(len(found))} hitungan meleset; "
                          + ("tidak diubah (--periksa)." if periksa else "sudah dibangun ulang."))
