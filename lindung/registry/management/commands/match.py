from django.conf import settings
from django.core.management.base import CommandError

from lindung.lib.commands import LindungCommand
from lindung.matching import command


class Command(LindungCommand):
    help = command.HELP  # the console script runs `lindung match` without Django (lindung/matching/command.py)

    def add_arguments(self, parser):
        command.add_arguments(parser)

    def handle(self, *args, **options):
        try:
            command.run(**options, write=self.stdout.write, memory_mb=settings.MATCHING_MEMORY_MB,
                        temp_dir=settings.MATCHING_TEMP_DIR or None)
        except command.Failure as exc:
            raise CommandError(exc.message, returncode=exc.returncode) from exc
