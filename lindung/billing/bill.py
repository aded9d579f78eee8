"""The monthly bill (*tagihan internal*) of a programme, from the ledger: rows once, one renderer per format.

The caller decides whether NIKs are shown in full (`show`), and audits it; this module only lays out.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterator

import xlsxwriter
from django.template import Context, Engine

from lindung.billing import ledger
from lindung.billing.models import PersonMonth
from lindung.domain.periods import Month
from lindung.lib.format import format_date, format_number, format_rupiah
from lindung.lib.gcpause import gc_paused
from lindung.reports.sk import formal_regulation, terbilang

CSV_HEADER = ("NIK", "KPJ", "Nama", "Bulan", "Iuran")
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class Line:
    nik: str
    kpj: str
    nama: str
    bulan: date
    iuran: int


def lines(program, month: Month, *, show: Callable[[str], str] = str) -> Iterator[Line]:
    """The bill's lines in name order, streamed in chunks (a million lines never sit in memory at once)."""
    rows = ledger.bill_lines(program, month).order_by("nama", "pk").values_list("nik", "kpj", "nama", "bulan", "iuran")
    for nik, kpj, nama, bulan, amount in rows.iterator(chunk_size=5000):
        yield Line(show(nik), kpj, nama, bulan, amount)


def capitalised_terbilang(amount: int) -> str:
    words = terbilang(amount)
    return words[:1].upper() + words[1:]


def write_csv(program, month: Month, out) -> int:
    """`NIK,KPJ,Nama,Bulan,Iuran`, full NIKs (the caller audits): the layout reconciliation reads back."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    n = 0
    for line in lines(program, month):
        writer.writerow((line.nik, line.kpj, line.nama, str(Month.of(line.bulan)), line.iuran))
        n += 1
    return n


def bill_xlsx(program, month: Month, *, show: Callable[[str], str] = str) -> bytes:
    summary = ledger.bill_summary(program, month)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    book.set_properties({"title": f"Tagihan iuran {program.nama} {month.name_id}", "company": program.pemda.nama})
    sheet = book.add_worksheet("Tagihan")
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "border": 1, "bg_color": "#D9D9D9"})
    text = book.add_format({"num_format": "@"})
    money = book.add_format({"num_format": '"Rp"#,##0'})
    title = [f"TAGIHAN INTERNAL IURAN BPJS KETENAGAKERJAAN — {month.name_id.upper()}", program.nama,
             f"Pemerintah {program.pemda.nama}; PKS {program.pks_nomor or '-'}",
             f"Jumlah peserta: {format_number(summary.orang)} orang; jumlah iuran: {format_rupiah(summary.total)}",
             f"Terbilang: {capitalised_terbilang(summary.total)}",
             "Dasar iuran: " + "; ".join(summary.aturan)]
    for r, value in enumerate(title):
        sheet.write_string(r, 0, value, bold if r == 0 else None)
    top = len(title) + 1
    for c, (label, width) in enumerate(zip(("No", *CSV_HEADER), (6, 20, 16, 32, 10, 14))):
        sheet.write_string(top, c, label, head)
        sheet.set_column(c, c, width)
    row = top
    for number, line in enumerate(lines(program, month, show=show), start=1):
        row = top + number
        sheet.write_number(row, 0, number)
        sheet.write_string(row, 1, line.nik, text)
        sheet.write_string(row, 2, line.kpj, text)
        sheet.write_string(row, 3, line.nama)
        sheet.write_string(row, 4, str(Month.of(line.bulan)), text)
        sheet.write_number(row, 5, line.iuran, money)
    sheet.write_string(row + 2, 3, "Jumlah", bold)
    sheet.write_number(row + 2, 5, summary.total, money)
    book.close()
    return out.getvalue()


@functools.cache
def _engine() -> Engine:
    return Engine(dirs=[str(TEMPLATE_DIR)], builtins=["lindung.lib.templatetags"])


def bill_context(program, month: Month, *, show: Callable[[str], str] = str) -> dict:
    summary = ledger.bill_summary(program, month)
    voided = ledger.not_billed(program, month).order_by("nama", "pk")
    return {
        "program": program, "bulan": month.name_id, "summary": summary,
        "orang": format_number(summary.orang), "total": format_rupiah(summary.total),
        "total_kata": capitalised_terbilang(summary.total),
        "aturan": [formal_regulation(name) for name in summary.aturan],
        "rows": [(format_number(n), line.nik, line.kpj, line.nama, format_rupiah(line.iuran))
                 for n, line in enumerate(lines(program, month, show=show), start=1)],
        "voided": [(show(p.nik), p.nama, p.get_state_display(), p.ended_reason, format_rupiah(p.iuran))
                   for p in voided],
        "dibuat": format_date(date.today()),
    }


def bill_pdf(program, month: Month, *, show: Callable[[str], str] = str) -> bytes:
    html = _engine().get_template("billing/tagihan_pdf.html").render(Context(bill_context(program, month, show=show)))
    from weasyprint import HTML  # Pango loads on import; only the PDF needs it

    with gc_paused():
        return HTML(string=html).write_pdf()
