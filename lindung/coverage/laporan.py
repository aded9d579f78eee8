"""The report for the Bupati and the DPRD: coverage with the map, per funding source and occupation, the
KPI and Paritrana indicators, budget realisation and the programmes with their SKs; PDF and xlsx."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string

from lindung.coverage import dashboard, services
from lindung.coverage.views import map_svg
from lindung.domain import wilayah
from lindung.domain.periods import Month
from lindung.lib import sheets
from lindung.lib.format import format_date
from lindung.programs.models import Program


@dataclass(frozen=True)
class ProgramLine:
    nama: str
    sumber: str
    periode: str
    kursi: int
    sk: str


def _pemda(kode: str) -> str:
    """The Pemda whose header the report carries: the kabupaten/kota (or provinsi) of the area."""
    code = kode if kode.count(".") < 2 else kode[:5]
    region = wilayah.get(code)
    return region.nama if code.count(".") else f"Provinsi {region.nama}"


def _programs(kode: str, tahun: int):
    pemda_codes = {kode[:2], kode[:5]} if len(kode) >= 5 else {kode}
    return Program.objects.filter(pemda_id__in=pemda_codes, mulai__year__lte=tahun, selesai__year__gte=tahun)


def _lines(programs) -> list[ProgramLine]:
    out = []
    for p in programs.prefetch_related("cohorts"):
        cohort = p.cohorts.first()
        sk = f"Nomor {cohort.nomor_sk}, {format_date(cohort.tanggal_sk)}" if cohort and cohort.nomor_sk else "belum ditetapkan"
        kursi = cohort.seated_count() if cohort else 0
        out.append(ProgramLine(p.nama, p.get_sumber_dana_display(), f"{format_date(p.mulai)} – {format_date(p.selesai)}",
                               kursi, sk))
    return out


def context(kode: str, tahun: int) -> dict:
    month = min(services.default_month(), Month(tahun, 12))
    month = month if month.year == tahun else Month(tahun, 12)
    report = services.report(kode, bulan=month)
    people, weighted = services.kpi(tahun, kode)
    programs = _programs(kode, tahun)
    return {"r": report, "tahun": str(tahun), "pemda": _pemda(kode), "svg": map_svg(kode, report),
            "kpi_orang": people, "kpi_setara": f"{float(weighted):,.2f}".replace(",", "#").replace(".", ",").replace("#", "."),
            "budget": dashboard.budget(programs), "programs": _lines(programs), "dibuat": date.today()}


def laporan_html(kode: str, tahun: int) -> str:
    return render_to_string("coverage/laporan/laporan.html", context(kode, tahun))


def laporan_pdf(kode: str, tahun: int) -> bytes:
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    from weasyprint import HTML  # loads Pango: only when a PDF is asked for

    return HTML(string=laporan_html(kode, tahun)).write_pdf()


def laporan_xlsx(kode: str, tahun: int, target) -> None:
    """The report's numbers: one sheet per table, headers bold, percent as numbers (null: tidak ada data)."""
    c = context(kode, tahun)
    book = sheets.workbook(target)
    bold = book.add_format({"bold": True})
    r = c["r"]
    sheet = book.add_worksheet("Cakupan")
    sheet.write_row(0, 0, [f"Cakupan {r.area.nama}, {r.bulan.name_id}; semesta: {r.sumber_semesta}"], bold)
    sheet.write_row(2, 0, ["Kode", "Wilayah", "Peserta", "Semesta", "Cakupan (%)"], bold)
    for i, s in enumerate([r.area, *r.rincian], start=3):
        sheet.write_row(i, 0, [s.kode, s.nama, s.peserta, s.semesta if s.semesta else "", s.persen if s.persen is not None else "tidak ada data"])
    sheet.set_column(0, 1, 22)
    sumber = book.add_worksheet("Sumber dana")
    sumber.write_row(0, 0, ["Sumber dana", "Orang"], bold)
    for i, (label, n) in enumerate(r.per_sumber, start=1):
        sumber.write_row(i, 0, [label, n])
    money = book.add_worksheet("Anggaran")
    for i, (label, value) in enumerate(c["budget"].items()):
        money.write_row(i, 0, [label, value])
    programs = book.add_worksheet("Program")
    programs.write_row(0, 0, ["Program", "Sumber dana", "Masa", "Kursi", "SK"], bold)
    for i, p in enumerate(c["programs"], start=1):
        programs.write_row(i, 0, [p.nama, p.sumber, p.periode, p.kursi, p.sk])
    book.close()
