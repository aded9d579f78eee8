"""The report for the Bupati/DPRD: its PDF text, its xlsx, the CLI and the page's scoping."""

import io

import pypdf
import python_calamine
from django.core.management import call_command

from lindung.coverage.tests.test_coverage import _cohort, _cover, _semesta
from lindung.test import DESA_A


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_the_report_pdf_states_coverage_source_budget_and_programmes(client, people, tmp_path):
    cohort = _cohort(people.program_a)
    for i in range(3):
        _cover(cohort, f"210201410190000{i + 1}", DESA_A)
    _semesta("Kode Wilayah;Jumlah\n210201;4\n")
    out = tmp_path / "laporan.pdf"
    call_command("laporan", "21.02", "--tahun", "2025", "--out", str(out))
    text = " ".join(_pdf_text(out.read_bytes()).split())
    assert "PEMERINTAH KABUPATEN KARIMUN" in text and "TAHUN 2025" in text
    assert "75,00 %" in text and "Pendataan Disnaker (2025)" in text
    assert "Inpres Nomor 2 Tahun 2021" in text and "Paritrana" in text
    assert "Realisasi Anggaran" in text and "Rp32.020.800" in text  # the pagu
    assert people.program_a.nama.replace(" ", "") in text.replace(" ", "") and "belum ditetapkan" in text
    assert "tidak ada data" in text  # kecamatan without a semesta

    xlsx = tmp_path / "laporan.xlsx"
    call_command("laporan", "21.02", "--tahun", "2025", "--out", str(xlsx))
    rows = python_calamine.CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_name("Cakupan").to_python()
    assert ["21.02.01", "Moro", 3, 4, 75] == [rows[4][0], rows[4][1], int(rows[4][2]), int(rows[4][3]), int(rows[4][4])]

    client.force_login(people.operator_a)
    response = client.get("/cakupan/laporan.pdf?tahun=2025")
    assert response["Content-Type"] == "application/pdf" and "75,00 %" in _pdf_text(response.content)
    assert client.get("/cakupan/laporan.pdf?kode=64.09&tahun=2025").status_code == 404
