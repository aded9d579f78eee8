"""Every list the pages show, as csv or xlsx: one Sheet (headers + a row generator) and two renderers.

Masked roles get the file streamed as it is made: csv through StreamingHttpResponse, xlsx written by
xlsxwriter in constant_memory mode to a temporary file and streamed from disk, so a million rows never sit
in memory. Roles that see full NIKs go through `privacy.downloads.protected_download`: the file is made
whole (it must be encrypted), locked with the password they set, and the export is audited with its rows.
Every text cell is neutralised against formula injection (lib.sheets).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.http import FileResponse, Http404, StreamingHttpResponse

from lindung.accounts.access import disclosure_for
from lindung.lib import sheets
from lindung.lib.download import CONTENT_TYPES
from lindung.privacy.downloads import Export, protected_download

FORMATS = ("csv", "xlsx")
CHUNK = 2000


@dataclass
class Sheet:
    stem: str  # file name without extension
    title: str  # for the password page
    headers: list[str]
    rows: Callable[[], Iterable[list]]
    model: type
    note: str


def respond(request, sheet: Sheet, fmt: str, *, back_url: str):
    if fmt not in FORMATS:
        raise Http404("Format berkas tidak dikenal.")
    if disclosure_for(request.user).full:
        return protected_download(request, title=sheet.title, back_url=back_url, make=lambda: _whole(sheet, fmt))
    return _stream(sheet, fmt)


def _stream(sheet: Sheet, fmt: str):
    filename = f"{sheet.stem}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(csv_chunks(sheet), content_type=CONTENT_TYPES["csv"])
    else:
        handle = tempfile.TemporaryFile()
        write_xlsx(sheet, handle)
        handle.seek(0)
        response = FileResponse(handle, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _whole(sheet: Sheet, fmt: str) -> Export:
    counted = _Counted(sheet.rows())
    counting = Sheet(sheet.stem, sheet.title, sheet.headers, lambda: counted, sheet.model, sheet.note)
    if fmt == "csv":
        data = b"".join(csv_chunks(counting))
    else:
        with tempfile.TemporaryFile() as handle:
            write_xlsx(counting, handle)
            handle.seek(0)
            data = handle.read()
    return Export(data=data, filename=f"{sheet.stem}.{fmt}", rows=counted.n, model=sheet.model, note=sheet.note)


class _Counted:
    def __init__(self, rows):
        self.rows, self.n = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.n += 1
            yield row


class _Lines:
    """A file-like target that keeps what the csv writer wrote until it is taken."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> bytes:
        data, self.parts = "".join(self.parts).encode("utf-8"), []
        return data


def csv_chunks(sheet: Sheet):
    """utf-8 with a BOM (Excel then reads the names right), CHUNK rows per piece, every cell through lib.sheets."""
    out = _Lines()
    out.write("\ufeff")
    writer = sheets.csv_writer(out)
    writer.writerow(sheet.headers)
    for index, row in enumerate(sheet.rows(), start=1):
        writer.writerow(row)
        if index % CHUNK == 0:
            yield out.take()
    yield out.take()


def write_xlsx(sheet: Sheet, handle) -> None:
    workbook = sheets.workbook(handle, {"constant_memory": True})
    worksheet = workbook.add_worksheet(sheet.stem[:31])
    bold = workbook.add_format({"bold": True})
    worksheet.write_row(0, 0, sheet.headers, bold)
    for index, row in enumerate(sheet.rows(), start=1):
        worksheet.write_row(index, 0, ["" if cell is None else cell for cell in row])
    workbook.close()
