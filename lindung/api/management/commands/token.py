"""`lindung token buat USERNAME --nama NAMA [--tulis] [--hari N]`: prints a new API token once."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from lindung.api.tokens import MAX_DAYS, create_token
from lindung.lib.commands import IndonesianParser, LindungCommand


class Command(LindungCommand):
    help = "Membuat token API untuk seorang pengguna; token dicetak sekali saja."

    def add_arguments(self, parser):
        # The sub-command's parser speaks Indonesian too (Django would make a plain CommandParser here).
        sub = parser.add_subparsers(dest="aksi", required=True, parser_class=IndonesianParser)
        buat = sub.add_parser("buat", help="buat token baru")
        buat.add_argument("username")
        buat.add_argument("--nama", required=True, help="untuk apa token ini, mis. 'OpenSID Desa Moro'")
        buat.add_argument("--tulis", action="store_true", help="boleh mengubah data (bawaan: baca saja)")
        buat.add_argument("--hari", type=int, default=90, help=f"masa berlaku dalam hari, 1–{MAX_DAYS} (bawaan 90)")
        buat.add_argument("--json", action="store_true", help="keluaran satu objek JSON")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Pengguna {options['username']!r} tidak ada.")
        try:
            token, secret = create_token(user=user, nama=options["nama"], write=options["tulis"], days=options["hari"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if options["json"]:
            self.write_json({"token": secret, "nama": token.nama, "cakupan": token.scope,
                             "berlaku_sampai": token.expires_at.isoformat() if token.expires_at else None})
            return
        self.stdout.write(secret)
        self.stderr.write(f"Token {token.nama!r} ({token.get_scope_display().lower()}) untuk {user.username}, "
                          f"berlaku sampai {token.expires_at:%Y-%m-%d}. Simpan sekarang: token tidak ditampilkan lagi.")
