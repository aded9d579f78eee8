"""The reconciliation of a month as xlsx, for BPJS and the BPKAD: a summary sheet and every line."""

from __future__ import annotations

import io
from collections.abc import Callable

import xlsxwriter

from lindung.domain.periods import Month
from lindung.domain.reconcile import CLASSES
from lindung.lib.format import niks_in_text

LINE_HEADERS = ("Kelas", "Baris di berkas BPJS", "NIK (BPJS)", "No. KPJ (BPJS)", "Nama (BPJS)", "Iuran (BPJS)",
                "NIK (daftar)", "No. KPJ (daftar)", "Nama (daftar)", "Iuran (daftar)", "Selisih", "Keterangan",
                "Penyelesaian", "Alasan", "Diselesaikan oleh")
_WIDTHS = (22, 10, 20, 14, 26, 12, 20, 14, 26, 12, 12, 40, 26, 40, 18)
_MONEY_COLUMNS = frozenset({5, 9, 10})


def build_xlsx(reconciliation, payments, *, show_nik: Callable[[str], str]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "constant_memory": True})
    bold = workbook.add_format({"bold": True})
    header = workbook.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True})
    money = workbook.add_format({"num_format": "#,##0"})
    text = workbook.add_format({"num_format": "@"})
    _summary_sheet(workbook.add_worksheet("Ringkasan"), reconciliation, payments, bold, money)
    sheet = workbook.add_worksheet("Baris")
    for c, (label, width) in enumerate(zip(LINE_HEADERS, _WIDTHS)):
        sheet.set_column(c, c, width, money if c in _MONEY_COLUMNS else text)
        sheet.write_string(0, c, label, header)
    lines = (reconciliation.lines.order_by("id").select_related("resolved_by")
             .values_list("kelas", "baris", "nik_bpjs", "kpj_bpjs", "nama_bpjs", "iuran_bpjs", "nik_daftar",
                          "kpj_daftar", "nama_daftar", "iuran_daftar", "selisih", "detail", "resolution", "alasan",
                          "resolved_by__username"))
    labels = dict(reconciliation.lines.model.Resolution.choices)
    for r, row in enumerate(lines.iterator(chunk_size=20_000), 1):
        row = list(row)
        row[0] = CLASSES[row[0]]
        row[2] = show_nik(row[2]) if row[2] else ""
        row[6] = show_nik(row[6]) if row[6] else ""
        row[11], row[13] = niks_in_text(row[11], show_nik), niks_in_text(row[13], show_nik)  # a note may quote a NIK
        row[12] = labels.get(row[12], "") if row[0] != CLASSES["cocok"] else ""
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if c in _MONEY_COLUMNS or c == 1:
                sheet.write_number(r, c, value, money if c != 1 else None)
            else:
                sheet.write_string(r, c, str(value))
    sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()


def _summary_sheet(sheet, rec, payments, bold, money) -> None:
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, 24)
    rows = [
        ("Program", rec.program.nama), ("Bulan", Month.of(rec.bulan).name_id), ("Berkas tagihan BPJS", rec.berkas_nama),
        ("Status", rec.get_status_display()), ("Total tagihan BPJS", rec.total_bpjs), ("Total daftar (lindung)", rec.total_daftar),
        ("Selisih (BPJS − daftar)", rec.selisih), ("Jumlah disetujui untuk dibayar", rec.jumlah_disetujui),
    ]
    rows += [(f"Baris {label.lower()}", rec.counts.get(kelas, 0)) for kelas, label in CLASSES.items()]
    rows += [(f"SP2D {p.sp2d_nomor} ({p.sp2d_tanggal:%d-%m-%Y})", p.jumlah) for p in payments]
    sheet.write_string(0, 0, f"Rekonsiliasi tagihan BPJS Ketenagakerjaan — {rec.program.nama}", bold)
    for r, (label, value) in enumerate(rows, 2):
        sheet.write_string(r, 0, label, bold)
        if isinstance(value, int):
            sheet.write_number(r, 1, value, money)
        elif value is not None:
            sheet.write_string(r, 1, str(value))
