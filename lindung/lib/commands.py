"""A base for lindung's management commands: Indonesian errors, no tracebacks, JSON lines.

Scripts call these commands (architecture.md §4), so bad input must end with a clear
message on stderr and a non-zero exit status, never a Python traceback.
"""

from __future__ import annotations

import json
import re
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

# argparse speaks English; these are the messages an operator actually meets.
_ARGPARSE_ID = [
    (re.compile(r"the following arguments are required: (.+)"), "argumen wajib belum diisi: {0}"),
    (re.compile(r"unrecognized arguments: (.+)"), "argumen tidak dikenal: {0}"),
    (re.compile(r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)"), "pilihan {1} untuk {0} tidak sah (pilih salah satu: {2})"),
    (re.compile(r"argument (\S+): expected one argument"), "{0} butuh satu nilai"),
    (re.compile(r"argument (\S+): invalid \S+ value: (.+)"), "nilai {1} untuk {0} tidak sah"),
    (re.compile(r"argument (\S+): (.+)"), "{0}: {1}"),
]


def translate_argparse(message: str) -> str:
    for pattern, template in _ARGPARSE_ID:
        match = pattern.fullmatch(message)
        if match:
            return template.format(*match.groups())
    return message


class IndonesianParser(CommandParser):
    def error(self, message):
        if self.called_from_command_line:
            self.print_usage(sys.stderr)
            self.exit(2, f"Galat: {translate_argparse(message)}\n")
        raise CommandError(f"Galat: {translate_argparse(message)}")


class LindungCommand(BaseCommand):
    """Base class: Indonesian argument errors; CommandError printed as `Galat: …` with its exit code."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django builds a CommandParser with no hook for another class; ours only overrides
        # error(), so switching the class of the finished parser is safe.
        parser.__class__ = IndonesianParser
        return parser

    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if options.get("traceback") or not getattr(self, "_called_from_command_line", False):
                raise
            self.stderr.write(f"Galat: {exc}")
            sys.exit(exc.returncode)

    def write_json(self, obj: dict) -> None:
        """One JSON object per line; Indonesian text kept readable (no \\u escapes)."""
        self.stdout.write(json.dumps(obj, ensure_ascii=False))


_WHOLE_NUMBER = re.compile(r"\d+|\d{1,3}(\.\d{3})+|\d{1,3}(,\d{3})+")


def positive_int(label: str):
    """An argparse `type=` that accepts 1.000.000 / 1,000,000 / 1000000 and rejects the rest in Indonesian."""
    import argparse

    def parse(text: str) -> int:
        cleaned = text.strip()
        if cleaned.lower().startswith("rp"):
            cleaned = cleaned[2:].strip()
        # 3000000000, 3.000.000.000 or 3,000,000,000 — never a decimal part ("1,5", "16800.50").
        if not _WHOLE_NUMBER.fullmatch(cleaned):
            raise argparse.ArgumentTypeError(f"{label} harus bilangan bulat tanpa desimal, bukan {text!r}")
        return int(re.sub(r"[.,_]", "", cleaned))

    return parse
