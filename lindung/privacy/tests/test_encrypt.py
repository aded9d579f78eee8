import io

import msoffcrypto
import pytest
import pyzipper
import xlsxwriter
from python_calamine import CalamineWorkbook

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from lindung.privacy.encrypt import EncryptError, encrypt_file, encrypt_pdf, encrypt_xlsx, encrypt_zip
from lindung.reports.pdf import render_pdf
from lindung.privacy.tests.helpers import FILE_PASSWORD, decrypted_pdf, decrypted_xlsx, unzipped


def workbook() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("Calon").write_string(0, 0, "2102011708900001")
    book.close()
    return buffer.getvalue()


def test_an_encrypted_xlsx_opens_with_the_password_and_not_without():
    locked = encrypt_xlsx(workbook(), FILE_PASSWORD)
    assert b"2102011708900001" not in locked
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(decrypted_xlsx(locked))).get_sheet_by_index(0).to_python()
    assert sheet == [["2102011708900001"]]
    with pytest.raises(Exception):  # not a workbook a reader can open as it is
        CalamineWorkbook.from_filelike(io.BytesIO(locked)).get_sheet_by_index(0).to_python()
    with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
        decrypted_xlsx(locked, "sandi-yang-salah")


def test_an_aes_zip_opens_with_the_password_and_not_without():
    locked = encrypt_zip("pengajuan.csv", b"NIK\n2102011708900001\n", FILE_PASSWORD)
    assert b"2102011708900001" not in locked
    assert unzipped(locked) == ("pengajuan.csv", b"NIK\n2102011708900001\n")
    with pyzipper.AESZipFile(io.BytesIO(locked)) as archive:
        with pytest.raises(RuntimeError):  # "password required"
            archive.read("pengajuan.csv")
        archive.setpassword(b"sandi-yang-salah")
        with pytest.raises(RuntimeError):
            archive.read("pengajuan.csv")


def test_an_encrypted_pdf_opens_with_the_password_and_not_without():
    locked = encrypt_pdf(render_pdf("<p>NIK 2102011708900001</p>"), FILE_PASSWORD)
    assert "2102011708900001" in decrypted_pdf(locked).pages[0].extract_text()
    with pytest.raises(FileNotDecryptedError):
        PdfReader(io.BytesIO(locked)).pages[0].extract_text()
    assert PdfReader(io.BytesIO(locked)).decrypt("sandi-yang-salah") == 0  # PasswordType.NOT_DECRYPTED


def test_it_keeps_xlsx_and_pdf_names_and_zips_everything_else():
    assert encrypt_file(workbook(), "lampiran.xlsx", FILE_PASSWORD)[1] == "lampiran.xlsx"
    assert encrypt_file(render_pdf("<p>SK</p>"), "sk-penetapan.pdf", FILE_PASSWORD)[1] == "sk-penetapan.pdf"
    assert encrypt_file(b"NIK\n", "pengajuan.csv", FILE_PASSWORD)[1] == "pengajuan.zip"
    with pytest.raises(EncryptError):
        encrypt_xlsx(b"bukan xlsx", FILE_PASSWORD)
    with pytest.raises(EncryptError):
        encrypt_pdf(b"bukan pdf", FILE_PASSWORD)
