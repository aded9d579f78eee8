"""`lindung openapi [--validate]`: print the API's OpenAPI 3 schema; with --validate check it (CI does)."""

import json

from django.core.management.base import CommandError

from lindung.lib.commands import LindungCommand


class Command(LindungCommand):
    help = "Mencetak skema OpenAPI 3 API lindung; --validate memeriksa keabsahannya."

    def add_arguments(self, parser):
        parser.add_argument("--validate", action="store_true", help="periksa skema (perlu paket uji openapi-spec-validator)")

    def handle(self, *args, **options):
        from lindung.api.api import api

        schema = api.get_openapi_schema()
        if options["validate"]:
            try:
                from openapi_spec_validator import validate
            except ImportError:
                raise CommandError("Pemeriksa skema belum terpasang: pip install -e '.[test]'.") from None
            try:
                validate(json.loads(json.dumps(schema, default=str)))
            except Exception as exc:  # the validator's own error types; the message says where
                raise CommandError(f"Skema OpenAPI tidak sah: {exc}") from None
            self.stderr.write(f"Skema OpenAPI sah: {len(schema['paths'])} alamat.")
        self.stdout.write(json.dumps(schema, ensure_ascii=False, indent=2, default=str))
