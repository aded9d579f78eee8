"""The `lindung` console script: Django's management commands under one name (architecture.md §4)."""

import os
import sys


# Commands that only compute from the bundled domain data: no database writes, no sessions, nothing
# signed. They may run on an analyst's laptop without the server's SECRET_KEY.
OFFLINE_COMMANDS = {"nik", "iuran", "pagu", "wilayah", "match", "help"}


def main(argv: list[str] | None = None) -> None:
    argv = argv or sys.argv
    if len(argv) > 1 and argv[1] == "match":
        # The matching engine needs no Django: skipping its start saves half a second of CPU per run.
        from lindung.matching.command import main as match

        returncode = match(argv[2:])
        if returncode is not None:
            sys.exit(returncode)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lindung.settings")
    if len(argv) > 1 and argv[1] in OFFLINE_COMMANDS:
        os.environ["LINDUNG_OFFLINE_COMMAND"] = "1"
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:
        # A configuration mistake is the operator's to fix: say what, without a traceback.
        sys.stderr.write(f"Konfigurasi salah: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
