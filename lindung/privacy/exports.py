"""The processing register as an xlsx (Pasal 31): one row per dataset, for the auditor and the Lembaga PDP."""

from __future__ import annotations

import io

import xlsxwriter

from lindung.privacy.models import ProcessingActivity

COLUMNS = (("nama", "Kumpulan data", 30), ("tujuan", "Tujuan pemrosesan", 50), ("dasar_hukum", "Dasar pemrosesan (Pasal 20)", 40),
           ("rincian_dasar", "Peraturan yang mendasari", 40), ("subjek", "Subjek data", 30),
           ("kategori_data", "Jenis data pribadi", 40), ("penerima", "Penerima data", 40),
           ("masa_simpan", "Masa penyimpanan", 40), ("pengamanan", "Langkah pengamanan", 40))


def register_xlsx(rows: list[ProcessingActivity], *, pemda: str) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet("Catatan pemrosesan")
    bold, wrap = book.add_format({"bold": True, "text_wrap": True, "valign": "top"}), book.add_format({"text_wrap": True, "valign": "top"})
    sheet.write(0, 0, f"Catatan kegiatan pemrosesan data pribadi (UU 27/2022 Pasal 31) — {pemda}", bold)
    for col, (_, title, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
        sheet.write(2, col, title, bold)
    for line, row in enumerate(rows, start=3):
        for col, (name, _, _) in enumerate(COLUMNS):
            value = row.get_dasar_hukum_display() if name == "dasar_hukum" else getattr(row, name)
            sheet.write_string(line, col, value, wrap)
    sheet.freeze_panes(3, 1)
    book.close()
    return buffer.getvalue()
