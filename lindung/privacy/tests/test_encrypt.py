import io

import msoffcrypto
import pytest
import pyzipper
import xlsxwriter
from python_calamine import CalamineWorkbook

from lindung.privacy.encrypt import EncryptError, encrypt_file, encrypt_xlsx, encrypt_zip
from lindung.privacy.tests.helpers import FILE_PASSWORD, decrypted_xlsx, unzipped


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


def test_it_keeps_xlsx_names_and_zips_everything_else():
    assert encrypt_file(workbook(), "lampiran.xlsx", FILE_PASSWORD)[1] == "lampiran.xlsx"
    assert encrypt_file(b"%PDF-1.7", "sk-penetapan.pdf", FILE_PASSWORD)[1] == "sk-penetapan.zip"
    with pytest.raises(EncryptError):
        encrypt_xlsx(b"bukan xlsx", FILE_PASSWORD)
