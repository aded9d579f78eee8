"""The one way lindung writes csv and xlsx files: nothing it writes can run as a formula.

Names, addresses and reasons come from uploads and from the BPJS branch. A cell that starts with
= + - @ tab or carriage return is read by Excel and LibreOffice as a formula when a csv is opened
("=HYPERLINK(...)", "-2+3+cmd|' /C calc'!A0", "@SUM(...)"), so:

* csv: such a text value gets a leading apostrophe, which the spreadsheet shows as text and does not
  evaluate (OWASP "CSV injection"). Only text is touched: a number handed over as int/float is written
  as a number and stays a number (-5 is not a formula); NIK, KPJ and phone numbers are text of digits and
  never start with one of those characters in their clean form.
* xlsx: every workbook is made here with strings_to_formulas, strings_to_numbers and strings_to_urls
  off, so write() and write_row() store any str as a string cell, never a formula, number or link.
  No apostrophe is added there: a string cell is never evaluated, and the text stays exactly as it was.

A test (lindung/lib/tests/test_sheets.py) fails if a module makes a csv.writer or xlsxwriter.Workbook
any other way. Pure Python (csv, xlsxwriter): the Django-free modules use it too.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import xlsxwriter  # imported when a workbook is made: the csv-only callers (lindung match) skip its import

FORMULA_STARTS = frozenset("=+-@\t\r")


def neutralise(text: str) -> str:
    """'=1+1' -> "'=1+1"; a lone "-" (the usual "nothing here") and anything else unchanged."""
    if text and text[0] in FORMULA_STARTS and text != "-":
        return "'" + text
    return text


def csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return value


class CsvWriter:
    """csv.writer whose every text cell is neutralised."""

    def __init__(self, handle, **options):
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([csv_value(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(handle, **options) -> CsvWriter:
    return CsvWriter(handle, **options)


_SAFE_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


def workbook(target, options: dict | None = None) -> xlsxwriter.Workbook:
    """An xlsxwriter Workbook in which no str can become a formula, number or hyperlink."""
    import xlsxwriter

    return xlsxwriter.Workbook(target, {**(options or {}), **_SAFE_OPTIONS})
