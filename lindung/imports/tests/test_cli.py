"""`lindung import FILE --program SLUG [--dry-run] --json` (architecture.md §4)."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from lindung.imports.models import Candidate, ImportBatch
from lindung.imports.tests.test_flow import BAD, GOOD, xlsx_bytes


def run_import(*args) -> dict:
    out = io.StringIO()
    call_command("import", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def list_file(tmp_path):
    path = tmp_path / "daftar.xlsx"
    path.write_bytes(xlsx_bytes(GOOD + BAD))
    return path


def test_a_dry_run_reports_every_problem_and_writes_nothing(people, list_file):
    report = run_import(str(list_file), "--program", "prog-a", "--dry-run")
    assert (report["rows"], report["accepted"], report["rejected"]) == (6, 3, 3)
    assert {"row": 5, "column": "NIK", "code": "not_16_digits", "severity": "error"} in report["problems"]
    assert Candidate.objects.count() == 0 and ImportBatch.objects.count() == 0


def test_an_import_commits_the_good_rows_with_the_named_user(people, list_file):
    report = run_import(str(list_file), "--program", "prog-a", "--pengguna", "operator.a")
    assert report["accepted"] == 3
    assert Candidate.objects.filter(program=people.program_a).count() == 3
    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.DONE and batch.committed_by == people.operator_a
    again = run_import(str(list_file), "--program", "prog-a")
    assert again["accepted"] == 3 and Candidate.objects.count() == 3  # idempotent


@pytest.mark.parametrize(
    "args, message",
    [
        (["--program", "tidak-ada"], "Program 'tidak-ada' tidak ada"),
        (["--program", "prog-a", "--pengguna", "siapa"], "Pengguna 'siapa' tidak ada"),
        # The audit trail must not name someone of another pemda, a read-only role or a desa operator
        # (whose uploads are bound to their own desa) for rows they could never have written (issue 11).
        (["--program", "prog-a", "--pengguna", "operator.b"], "tidak berwenang mengunggah daftar ke program prog-a"),
        (["--program", "prog-a", "--pengguna", "bpkad.a"], "tidak berwenang"),
        (["--program", "prog-a", "--pengguna", "desa.a"], "tidak berwenang"),
    ],
)
def test_bad_arguments_get_a_clear_message(people, list_file, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("import", str(list_file), *args)
    assert Candidate.objects.count() == 0


def test_a_file_that_is_not_a_spreadsheet_is_refused(people, tmp_path):
    path = tmp_path / "surat.xlsx"
    path.write_bytes(b"%PDF-1.7 surat pengantar")
    with pytest.raises(CommandError):
        call_command("import", str(path), "--program", "prog-a")
    assert ImportBatch.objects.count() == 0
