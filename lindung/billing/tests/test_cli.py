"""`lindung tagihan SLUG --bulan YYYY-MM [--json] [--csv FILE]`."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from lindung.accounts.models import AuditEntry
from lindung.enrolment import services


def run(*args) -> str:
    out = io.StringIO()
    call_command("tagihan", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_bill_as_json(cohort):
    data = json.loads(run(cohort.program.slug, "--bulan", "2025-11", "--json"))
    assert data == {"slug": "prog-a", "bulan": "2025-11", "orang": 3, "total": 50_400,
                    "aturan": ["PP 44/2015 Lampiran II jo. PP 82/2019 dan PP 49/2023", "PP 44/2015 jo. PP 82/2019 dan PP 49/2023"]}
    assert "Lima puluh ribu empat ratus rupiah" in run(cohort.program.slug, "--bulan", "2025-11")


def test_the_csv_has_full_niks_and_is_audited(cohort, tmp_path, people):
    path = tmp_path / "tagihan.csv"
    run(cohort.program.slug, "--bulan", "2025-12", "--csv", str(path), "--pengguna", people.admin_a.username)
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == ["NIK", "KPJ", "Nama", "Bulan", "Iuran"]
    assert rows[1][1:] == ["21010000001", "Peserta 1", "2025-12", "16800"] and len(rows[1][0]) == 16
    entry = AuditEntry.objects.get(action="export_nik")
    assert entry.rows == 3 and entry.user == people.admin_a


@pytest.mark.parametrize("args, message", [
    (["tidak-ada", "--bulan", "2025-11"], "tidak ada"),
    (["prog-a", "--bulan", "11-2025"], "TTTT-BB"),
    (["prog-a", "--bulan", "2026-01"], "di luar masa perlindungan"),
])
def test_bad_input_is_refused_in_indonesian(cohort, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_program_json_names_the_sk_figure_apart_from_billed_and_paid(cohort):
    out = io.StringIO()
    call_command("program", "prog-a", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["iuran_total"], data["ditagih"], data["dibayar"]) == (100_800, 100_800, 0)
    assert services.program_state(cohort.program)["ditagih"] == 100_800
