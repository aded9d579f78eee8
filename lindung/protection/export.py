"""The masa iur lists as xlsx (through lindung.lib.sheets, so no cell can become a formula)."""

from __future__ import annotations

import io
from collections.abc import Callable

from lindung.protection.contributions import Row
from lindung.domain.masa_iur import GapRule
from lindung.lib import sheets

HEADER = ("No", "NIK", "Nama", "Desa/kelurahan", "Status", "Bulan beriuran (total)", "Masa iur berjalan",
          "Dihitung", "Bulan terakhir dibayar", "Jeda", "Mencapai 36 bulan")


def masa_iur_xlsx(rows: list[Row], *, title: str, rule: GapRule, show: Callable[[str], str]) -> bytes:
    out = io.BytesIO()
    book = sheets.workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Masa iur")
    bold = book.add_format({"bold": True})
    sheet.write_string(0, 0, title, bold)
    sheet.write_string(1, 0, f"Aturan jeda (sejak {rule.berlaku:%d-%m-%Y}): {rule.description} Dasar: {rule.dasar}")
    sheet.write_string(2, 0, "Bulan dihitung bila iurannya sudah dibayar (SP2D tercatat).")
    for c, label in enumerate(HEADER):
        sheet.write_string(4, c, label, bold)
    for n, row in enumerate(rows, start=1):
        masa, c = row.masa, row.candidate
        gaps = "; ".join(f"{a.name_id}–{b.name_id}" for a, b in masa.jeda)
        values = (n, show(c.nik), c.nama, c.desa.nama, c.get_status_display(), masa.total, masa.berjalan,
                  masa.dihitung, masa.terakhir.name_id if masa.terakhir else "-", gaps or "-",
                  row.beasiswa.name_id if row.beasiswa else "-")
        sheet.write_row(4 + n, 0, values)
    sheet.set_column(1, 3, 22)
    book.close()
    return out.getvalue()
