import io
import re
import warnings
import zipfile
from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
import python_calamine

from lindung.domain import wilayah
from lindung.domain.eligibility import check_age
from lindung.domain.pekerjaan import PEKERJAAN
from lindung.imports.columns import COLUMNS
from lindung.imports.reader import ImportFileError, read_table
from lindung.imports.tests.factories import NIK_BUDI, NIK_SITI, RULES, START, budi, check, siti
from lindung.imports.validate import validate_table
from lindung.imports.xlsx import birth_date_bounds, build_error_file, build_template

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
KARIMUN_DESA = [(w.kode, w.nama, w.tingkat) for w in wilayah.all_at(4) if w.kode.startswith("21.02.")]
BUILT_IN_FORMATS = {"0": "General", "49": "@"}  # the built-in ids a cell of ours could carry


@pytest.fixture(scope="module")
def template() -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # xlsxwriter warns (and drops) titles and messages Excel refuses
        return build_template(
            program_name="Perlindungan Pekerja Rentan Karimun 2026", desa=KARIMUN_DESA,
            pekerjaan=list(PEKERJAAN.items()), coverage_start=START, min_age=18, max_age=65,
        )


def workbook(data: bytes) -> python_calamine.CalamineWorkbook:
    return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))


def sheet_rows(data: bytes, name: str) -> list[list]:
    return workbook(data).get_sheet_by_name(name).to_python()


class Xlsx:
    """The XML parts of an xlsx, to check what a reader of values cannot see (formats, validations)."""

    def __init__(self, data: bytes):
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.styles = self._xml("xl/styles.xml")

    def _xml(self, name: str) -> ElementTree.Element:
        return ElementTree.fromstring(self.zip.read(name))

    def sheet(self, name: str) -> ElementTree.Element:
        book = self._xml("xl/workbook.xml")
        names = [s.get("name") for s in book.find("m:sheets", NS)]
        return self._xml(f"xl/worksheets/sheet{names.index(name) + 1}.xml")

    def number_format(self, style: str | None) -> str | None:
        """The format code of a cell style: "@" is Text, whether built in (49) or custom (xlsxwriter)."""
        wanted = self.styles.find("m:cellXfs", NS)[int(style or 0)].get("numFmtId")
        for fmt in self.styles.iter(f"{{{NS['m']}}}numFmt"):
            if fmt.get("numFmtId") == wanted:
                return fmt.get("formatCode")
        return BUILT_IN_FORMATS.get(wanted)

    def fill(self, style: str | None) -> str:
        return self.styles.find("m:cellXfs", NS)[int(style or 0)].get("fillId")

    def column_style(self, sheet: ElementTree.Element, number: int) -> str | None:
        for col in sheet.iter(f"{{{NS['m']}}}col"):
            if int(col.get("min")) <= number <= int(col.get("max")):
                return col.get("style")
        return None

    def cell(self, sheet: ElementTree.Element, ref: str) -> ElementTree.Element:
        return next(c for c in sheet.iter(f"{{{NS['m']}}}c") if c.get("r") == ref)


# --- the template -----------------------------------------------------------------------------------


def test_the_template_has_the_four_sheets_and_opens_on_the_list(template):
    assert workbook(template).sheet_names == ["Petunjuk", "Calon Peserta", "Daftar Pekerjaan", "Kode Desa"]
    view = Xlsx(template).sheet("Calon Peserta").find("m:sheetViews/m:sheetView", NS)
    assert view.get("tabSelected") == "1"


def test_the_template_headers_are_our_labels_in_a_frozen_bold_row(template):
    assert sheet_rows(template, "Calon Peserta")[0] == [c.label for c in COLUMNS]
    xlsx = Xlsx(template)
    sheet = xlsx.sheet("Calon Peserta")
    pane = sheet.find("m:sheetViews/m:sheetView/m:pane", NS)
    assert (pane.get("ySplit"), pane.get("state")) == ("1", "frozen")
    xf = xlsx.styles.find("m:cellXfs", NS)[int(xlsx.cell(sheet, "A1").get("s"))]
    font = xlsx.styles.find("m:fonts", NS)[int(xf.get("fontId"))]
    assert font.find("m:b", NS) is not None


@pytest.mark.parametrize("label", ["NIK", "No. KK", "RT", "RW", "Kode Desa/Kelurahan", "No. HP"])
def test_the_template_formats_digit_columns_as_text_for_the_whole_column(template, label):
    xlsx = Xlsx(template)
    number = [c.label for c in COLUMNS].index(label) + 1
    assert xlsx.number_format(xlsx.column_style(xlsx.sheet("Calon Peserta"), number)) == "@"


def test_the_template_formats_the_birth_date_as_a_date(template):
    xlsx = Xlsx(template)
    number = [c.key for c in COLUMNS].index("tanggal_lahir") + 1
    assert xlsx.number_format(xlsx.column_style(xlsx.sheet("Calon Peserta"), number)) == "dd/mm/yyyy"


def _validations(template: bytes) -> dict[str, ElementTree.Element]:
    sheet = Xlsx(template).sheet("Calon Peserta")
    return {v.get("sqref").split(":")[0]: v for v in sheet.iter(f"{{{NS['m']}}}dataValidation")}


def test_the_template_checks_nik_length_and_birth_date_range(template):
    validations = _validations(template)
    assert validations["A2"].get("type") == "textLength" and validations["A2"].get("sqref") == "A2:A1048576"
    assert validations["A2"].find("m:formula1", NS).text == "16"
    birth = validations["E2"]
    assert birth.get("type") == "date"
    earliest, latest = birth_date_bounds(START, 18, 65)
    serial = lambda day: str((day - date(1899, 12, 30)).days)  # noqa: E731
    assert [birth.find(f"m:formula{i}", NS).text for i in (1, 2)] == [serial(earliest), serial(latest)]


def test_the_template_has_drop_downs_for_jenis_kelamin_pekerjaan_and_desa(template):
    validations = _validations(template)
    jenis_kelamin, pekerjaan, desa = validations["F2"], validations["K2"], validations["J2"]
    assert jenis_kelamin.get("type") == "list" and jenis_kelamin.find("m:formula1", NS).text == '"L,P"'
    assert pekerjaan.find("m:formula1", NS).text == f"'Daftar Pekerjaan'!$A$2:$A${len(PEKERJAAN) + 1}"
    assert desa.find("m:formula1", NS).text == f"'Kode Desa'!$A$2:$A${len(KARIMUN_DESA) + 1}"


def test_the_template_lists_pekerjaan_and_the_regions_desa(template):
    pekerjaan = sheet_rows(template, "Daftar Pekerjaan")
    assert pekerjaan[0] == ["Pekerjaan", "Kode"]
    assert pekerjaan[1:4] == [["Petani", "petani"], ["Buruh tani", "buruh_tani"], ["Nelayan", "nelayan"]]
    desa = sheet_rows(template, "Kode Desa")
    assert desa[0] == ["Kode Desa/Kelurahan", "Nama", "Desa/Kelurahan"]
    assert ["21.02.01.2004", "Pauh", "desa"] in desa and len(desa) == len(KARIMUN_DESA) + 1


def test_the_template_explains_itself_in_bahasa_indonesia(template):
    text = " ".join(str(c) for row in sheet_rows(template, "Petunjuk") for c in row)
    for phrase in ("18 sampai 65 tahun pada 1 Januari 2026", "02/01/1960", "01/01/2008", "berformat Teks",
                   "15 digit", "dd/mm/yyyy", "tanpa kata sandi", "Karimun 2026"):
        assert phrase in text
    assert all(column.label in text for column in COLUMNS)


def test_the_empty_template_reads_as_a_list_without_rows(template):
    with pytest.raises(ImportFileError) as caught:
        read_table(template, "templat.xlsx")
    assert caught.value.code == "tidak_ada_data"


@pytest.mark.parametrize("start", [date(2026, 1, 1), date(2024, 2, 29), date(2025, 3, 1), date(2025, 2, 28)])
def test_birth_date_bounds_are_exactly_check_ages_edges(start):
    earliest, latest = birth_date_bounds(start, 18, 65)
    ok = lambda day: check_age(day, start, min_age=18, max_age=65) is None  # noqa: E731
    assert ok(earliest) and ok(latest)
    assert not ok(earliest - timedelta(days=1)) and not ok(latest + timedelta(days=1))


# --- the error file ---------------------------------------------------------------------------------


def _rejected(result):
    return [(r.row_number, r.raw, r.problems) for r in result.rows if not r.ok]


@pytest.fixture(scope="module")
def rejected_result():
    rows = [
        budi(Agama="Islam"),
        siti(**{"Tanggal Lahir": "31/02/1990", "Pekerjaan": "Astronot", "Agama": "=1+1"}),
        budi(NIK="2102011708900003", **{"Jenis Kelamin": "X", "No. HP": "123"}),
    ]
    return check(rows)


@pytest.fixture(scope="module")
def error_file(rejected_result) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return build_error_file(headers=rejected_result.headers, rows=_rejected(rejected_result))


def test_the_error_file_has_the_rejected_rows_as_uploaded_with_their_problems(error_file, rejected_result):
    rows = sheet_rows(error_file, "Calon Peserta")
    assert rows[0] == ["Baris Asal", "Masalah", *rejected_result.headers]
    assert [r[0] for r in rows[1:]] == [3.0, 4.0]  # spreadsheet rows of the upload
    siti_row = dict(zip(rows[0], rows[2 - 1]))
    assert siti_row["NIK"] == NIK_SITI  # text, never a number
    assert siti_row["Tanggal Lahir"] == "31/02/1990" and siti_row["Agama"] == "=1+1"
    lines = siti_row["Masalah"].split("\n")
    assert len(lines) == 2
    assert lines[0].startswith("• Tanggal Lahir: Tanggal “31/02/1990”")
    assert lines[1].startswith("• Pekerjaan: Pekerjaan “Astronot”")


def test_the_error_file_marks_warnings_apart_from_errors(error_file):
    rows = sheet_rows(error_file, "Calon Peserta")
    masalah = rows[2][1]
    assert "• Jenis Kelamin: Jenis kelamin “X”" in masalah
    assert "• Peringatan — No. HP: Nomor HP “123”" in masalah


def test_the_error_file_colours_the_cells_with_problems(error_file, rejected_result):
    xlsx = Xlsx(error_file)
    sheet = xlsx.sheet("Calon Peserta")
    letters = {h: chr(ord("A") + i) for i, h in enumerate(["Baris Asal", "Masalah", *rejected_result.headers])}
    plain = xlsx.fill(xlsx.cell(sheet, f"{letters['NIK']}2").get("s"))
    error = xlsx.fill(xlsx.cell(sheet, f"{letters['Tanggal Lahir']}2").get("s"))
    warning = xlsx.fill(xlsx.cell(sheet, f"{letters['No. HP']}3").get("s"))
    assert len({plain, error, warning}) == 3 and plain == "0"


def test_the_error_file_keeps_text_as_text_and_formulas_out(error_file):
    xlsx = Xlsx(error_file)
    sheet = xlsx.sheet("Calon Peserta")
    assert not list(sheet.iter(f"{{{NS['m']}}}f"))  # "=1+1" was written as a string, not a formula
    assert xlsx.number_format(xlsx.column_style(sheet, 3)) == "@"  # NIK column stays text


def test_the_corrected_error_file_uploads_as_it_is(error_file):
    result = validate_table(read_table(error_file, "perbaikan.xlsx"), RULES)
    assert {p.code for p in result.file_problems} == {"kolom_tidak_dikenal"}  # only "Agama"
    assert [p.column for p in result.file_problems] == ["Agama"]
    assert [r.cleaned["nik"] for r in result.rows] == [NIK_SITI, "2102011708900003"]
    assert not any(r.ok for r in result.rows)  # nothing corrected yet: the same problems again


def test_an_error_file_of_an_error_file_does_not_repeat_our_columns(error_file):
    result = validate_table(read_table(error_file, "perbaikan.xlsx"), RULES)
    again = build_error_file(headers=result.headers, rows=_rejected(result))
    headers = sheet_rows(again, "Calon Peserta")[0]
    assert headers.count("Baris Asal") == 1 and headers.count("Masalah") == 1
    assert sheet_rows(again, "Calon Peserta")[1][0] == 2.0  # the row in the file that was uploaded


def test_the_error_file_says_how_to_send_it_back(error_file):
    text = " ".join(str(c) for row in sheet_rows(error_file, "Petunjuk Perbaikan") for c in row)
    assert "unggah lagi" in text and re.search(r"Baris Asal.+Masalah", text)


def test_an_error_file_without_rows_is_still_a_workbook():
    data = build_error_file(headers=["NIK", "Nama"], rows=[])
    assert sheet_rows(data, "Calon Peserta") == [["Baris Asal", "Masalah", "NIK", "Nama"]]


def test_it_writes_the_nik_from_a_numeric_cell_as_digits():
    result = check([budi(NIK=2102011708900001.0, Pekerjaan="Astronot")])
    data = build_error_file(headers=result.headers, rows=_rejected(result))
    assert sheet_rows(data, "Calon Peserta")[1][2] == NIK_BUDI
