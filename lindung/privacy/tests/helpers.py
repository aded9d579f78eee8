"""For tests of encrypted downloads (any app): the password to post, and opening what comes back."""

from __future__ import annotations

import io

import msoffcrypto
import pyzipper
from pypdf import PdfReader

FILE_PASSWORD = "sandi-berkas-uji-1"
PASSWORD_POST = {"sandi": FILE_PASSWORD, "sandi_ulang": FILE_PASSWORD}


def decrypted_xlsx(data: bytes, password: str = FILE_PASSWORD) -> bytes:
    office = msoffcrypto.OfficeFile(io.BytesIO(data))
    assert office.is_encrypted()
    office.load_key(password=password)
    out = io.BytesIO()
    office.decrypt(out)
    return out.getvalue()


def decrypted_pdf(data: bytes, password: str = FILE_PASSWORD) -> PdfReader:
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted and reader.decrypt(password)
    return reader


def unzipped(data: bytes, password: str = FILE_PASSWORD) -> tuple[str, bytes]:
    with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
        archive.setpassword(password.encode())
        (name,) = archive.namelist()
        return name, archive.read(name)


def fill_password(page) -> None:
    """In a browser test: the password page that stands before every full-NIK download."""
    page.wait_for_selector("#id_sandi")
    page.fill("#id_sandi", FILE_PASSWORD)
    page.fill("#id_sandi_ulang", FILE_PASSWORD)
