"""Issue 11 item 6: one neutralising writer for every csv and xlsx lindung produces."""

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from lindung.lib import sheets

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ["=1+1", "+62812", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_that_could_run_gets_an_apostrophe(text):
    assert sheets.neutralise(text) == "'" + text


@pytest.mark.parametrize("text", ["Siti", "", "-", "2102034101900001", "'=sudah", " =spasi"])
def test_other_text_is_left_alone(text):
    assert sheets.neutralise(text) == text


def test_the_csv_writer_neutralises_text_and_keeps_numbers_numbers():
    out = io.StringIO()
    sheets.csv_writer(out, delimiter=";").writerow(["=1+1", -5, -2.5, 0, None, "2102034101900001", "-"])
    assert next(csv.reader(io.StringIO(out.getvalue()), delimiter=";")) == [
        "'=1+1", "-5", "-2.5", "0", "", "2102034101900001", "-"]


def test_an_xlsx_made_here_stores_every_string_as_a_string_cell():
    out = io.BytesIO()
    book = sheets.workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, [*HOSTILE, "http://contoh.id", "007", -5])
    book.close()
    xml = zipfile.ZipFile(io.BytesIO(out.getvalue())).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "hyperlink" not in xml
    row = CalamineWorkbook.from_filelike(io.BytesIO(out.getvalue())).get_sheet_by_index(0).to_python()[0]
    assert row == [*HOSTILE, "http://contoh.id", "007", -5.0]  # text exact; a number stays a number


# Files that make csv/xlsx outside lib.sheets, and why that is fine.
_ALLOWED = {
    "lindung/lib/sheets.py": "the writer itself",
    # Fabricates the lists a desa would *upload*, dirt included, to feed the reader; never a download.
    "lindung/programs/demo_data.py": "demo uploads",
    # Rebuilds the bundled region snapshot that lindung reads back itself (domain/ is stdlib only).
    "lindung/domain/data/build_wilayah.py": "bundled data",
}


def test_every_csv_and_xlsx_is_written_through_lib_sheets():
    direct = re.compile(r"csv\.writer\(|csv\.DictWriter\(|xlsxwriter\.Workbook\(|openpyxl")
    offenders = []
    for path in sorted((ROOT / "lindung").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in relative or relative in _ALLOWED:
            continue
        if direct.search(path.read_text(encoding="utf-8")):
            offenders.append(relative)
    assert offenders == []
