"""Password-encrypt a file before it leaves the server (R24: exports of full NIKs are encrypted).

xlsx: Office's own encryption (ECMA-376 agile, AES-256), so Excel and LibreOffice ask for the password.
pdf: the PDF standard's AES-256 encryption, so every PDF reader asks for it.
Anything else (csv): an AES-256 zip (WinZip AE-2), which 7-Zip, WinRAR and macOS/Linux archivers open;
Windows Explorer's built-in zip does not. The password is used here and forgotten: never stored or logged.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import BinaryIO

import pyzipper
from msoffcrypto.format.ooxml import OOXMLFile
from pypdf import PdfReader, PdfWriter

MIN_PASSWORD = 8


class EncryptError(ValueError):
    """A file that cannot be encrypted; the message is Indonesian."""


def encrypt_xlsx(data: bytes, password: str) -> bytes:
    if not data.startswith(b"PK"):
        raise EncryptError("Berkas bukan xlsx sehingga tidak dapat dienkripsi.")
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(data)).encrypt(password, out)
    return out.getvalue()


def encrypt_pdf(data: bytes, password: str) -> bytes:
    if not data.startswith(b"%PDF"):
        raise EncryptError("Berkas bukan PDF sehingga tidak dapat dienkripsi.")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=password, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypt_zip(name: str, data: bytes, password: str) -> bytes:
    out = io.BytesIO()
    with pyzipper.AESZipFile(out, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(password.encode("utf-8"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        archive.writestr(name, data)
    return out.getvalue()


def encrypt_zip_members(members: Iterable[tuple[str, Callable[[], bytes]]], password: str, out: BinaryIO) -> None:
    """Several files into one AES-256 zip written to `out` (a temporary file: the SK of a province is 120
    PDFs), each member read only when it is its turn. PDFs are compressed already: stored, not deflated."""
    with pyzipper.AESZipFile(out, "w", compression=pyzipper.ZIP_STORED, encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(password.encode("utf-8"))
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        for name, read in members:
            archive.writestr(name, read())


def encrypt_file(data: bytes, filename: str, password: str) -> tuple[bytes, str]:
    """(encrypted bytes, download name): an xlsx or pdf keeps its name, anything else goes into `<name>.zip`."""
    if filename.endswith(".xlsx"):
        return encrypt_xlsx(data, password), filename
    if filename.endswith(".pdf"):
        return encrypt_pdf(data, password), filename
    return encrypt_zip(filename, data, password), filename.rsplit(".", 1)[0] + ".zip"
