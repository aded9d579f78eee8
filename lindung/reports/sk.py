"""SK penetapan penerima: the decree naming a programme's beneficiaries, as PDF and as xlsx.

Plain data in, bytes out. The caller (the programmes app) picks the enrolled people, computes the
iuran with lindung.domain.iuran and fills an SkData; this module only words and lays it out. The
HTML template lives in this package and is rendered by a Django template Engine of its own, so
`lindung.reports` needs no entry in INSTALLED_APPS or TEMPLATES.
"""

from __future__ import annotations

import functools
import io
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from html import escape
from pathlib import Path

from django.template import Context, Engine
from django.utils.safestring import mark_safe
from lokal.terbilang import terbilang as _lokal_terbilang

from lindung.domain.pekerjaan import PEKERJAAN, SUMBER_DANA
from lindung.lib import sheets
from lindung.lib.format import format_date, format_number, format_rupiah
from lindung.reports.pdf import render_pdf

__all__ = ["SkData", "SkError", "SkJilid", "SkPerson", "lampiran_xlsx", "sk_html", "sk_pdf", "terbilang"]

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "reports/sk_penetapan.html"


class SkError(ValueError):
    """An SkData that cannot become a decree; the message is Indonesian."""


@dataclass(frozen=True)
class SkPerson:
    nik: str
    nama: str
    tanggal_lahir: date | None
    jenis_kelamin: str  # "L" / "P"
    desa: str
    kecamatan: str
    pekerjaan: str  # label ("Nelayan") or code ("nelayan"); codes are shown by their label


@dataclass(frozen=True)
class SkData:
    pemda: str  # "Kabupaten Karimun"
    program: str
    nomor_sk: str
    tanggal_sk: date
    tempat: str  # "Tanjung Balai Karimun"
    sumber_dana: str  # "APBD Kabupaten/Kota" (or its code, "apbd_kabkota")
    pks_nomor: str
    pks_tanggal: date | None
    mulai: date
    selesai: date
    bulan: int
    iuran_per_orang_per_bulan: int  # int rupiah, from lindung.domain.iuran
    total_iuran: int
    aturan: tuple[str, ...]  # regulations the iuran computation applied
    kode_kepesertaan: str  # "SG"
    penandatangan_jabatan: str
    penandatangan_nama: str
    peserta: tuple[SkPerson, ...]  # only the enrolled people, in the order they are numbered
    catatan: tuple[str, ...] = ()  # warnings printed as notes under the lampiran
    # A decree made in volumes gives its people volume by volume (SkJilid) and states their number here.
    jumlah_peserta: int | None = field(default=None, kw_only=True)

    @property
    def jumlah(self) -> int:
        return len(self.peserta) if self.jumlah_peserta is None else self.jumlah_peserta


@dataclass(frozen=True)
class SkJilid:
    """One volume of the lampiran: people `nomor_awal`.. of the decree. Volume 1 also carries the decree
    itself; the last one the totals, the notes and the signature."""

    nomor: int
    dari: int
    nomor_awal: int
    peserta: Sequence[SkPerson]

    @property
    def nomor_akhir(self) -> int:
        return self.nomor_awal + len(self.peserta) - 1

    @property
    def terakhir(self) -> bool:
        return self.nomor == self.dari


def terbilang(amount: int) -> str:
    """32020800 -> "tiga puluh dua juta dua puluh ribu delapan ratus rupiah" (lower case)."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"terbilang butuh int rupiah, bukan {type(amount).__name__}.")
    if amount < 0:
        raise SkError(f"Jumlah uang tidak boleh negatif: {amount}.")
    return _lokal_terbilang(amount, currency=True)


def _kata(number: int) -> str:
    """953 -> "sembilan ratus lima puluh tiga": a count in words, no currency."""
    return _lokal_terbilang(number)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


# Regulation abbreviations as rates.py writes them -> the full form a decree uses.
_JENIS_PERATURAN = {
    "UU": "Undang-Undang",
    "PP": "Peraturan Pemerintah",
    "Perpres": "Peraturan Presiden",
    "Inpres": "Instruksi Presiden",
    "Permenaker": "Peraturan Menteri Ketenagakerjaan",
    "Permendagri": "Peraturan Menteri Dalam Negeri",
    "PMK": "Peraturan Menteri Keuangan",
    "Perda": "Peraturan Daerah",
    "Perbup": "Peraturan Bupati",
    "Perwali": "Peraturan Wali Kota",
    "Pergub": "Peraturan Gubernur",
}
_PERATURAN_RE = re.compile(r"\b(" + "|".join(_JENIS_PERATURAN) + r")\s+(?:No(?:mor|\.)?\s*)?(\d+)/(\d{4})\b")


def formal_regulation(name: str) -> str:
    """'PP 44/2015 jo. PP 82/2019' -> 'Peraturan Pemerintah Nomor 44 Tahun 2015 jo. Peraturan ...'."""
    return _PERATURAN_RE.sub(lambda m: f"{_JENIS_PERATURAN[m[1]]} Nomor {m[2]} Tahun {m[3]}", name.strip())


# The legal basis every such decree cites (domain.md §1); the iuran's own `aturan` follow them.
MENGINGAT = (
    "Undang-Undang Nomor 40 Tahun 2004 tentang Sistem Jaminan Sosial Nasional",
    "Undang-Undang Nomor 24 Tahun 2011 tentang Badan Penyelenggara Jaminan Sosial",
    "Peraturan Pemerintah Nomor 44 Tahun 2015 tentang Penyelenggaraan Program Jaminan Kecelakaan Kerja "
    "dan Jaminan Kematian sebagaimana telah beberapa kali diubah, terakhir dengan Peraturan Pemerintah "
    "Nomor 49 Tahun 2023 tentang Perubahan Kedua atas Peraturan Pemerintah Nomor 44 Tahun 2015 tentang "
    "Penyelenggaraan Program Jaminan Kecelakaan Kerja dan Jaminan Kematian",
    "Instruksi Presiden Nomor 2 Tahun 2021 tentang Optimalisasi Pelaksanaan Program Jaminan Sosial "
    "Ketenagakerjaan",
)


def check(data: SkData) -> None:
    """Refuse a decree that would be wrong on its face: raises SkError naming the first problem."""
    if data.jumlah < 1:
        raise SkError("SK penetapan tidak dapat dibuat tanpa peserta.")
    if data.selesai < data.mulai:
        raise SkError("Akhir masa pelindungan tidak boleh sebelum awalnya.")
    if data.bulan < 1:
        raise SkError(f"Lama pelindungan harus paling sedikit 1 bulan, bukan {data.bulan}.")
    if data.iuran_per_orang_per_bulan < 0 or data.total_iuran < 0:
        raise SkError("Iuran tidak boleh negatif.")
    seen: dict[str, int] = {}
    for number, person in enumerate(data.peserta, start=1):
        if person.nik in seen:
            raise SkError(f"NIK {person.nik} tercantum dua kali (nomor {seen[person.nik]} dan {number}).")
        seen[person.nik] = number


def periode(data: SkData) -> str:
    """'1 November 2025 s.d. 31 Desember 2025 (2 bulan)'."""
    return f"{format_date(data.mulai)} s.d. {format_date(data.selesai)} ({data.bulan} bulan)"


def _instansi(jabatan: str) -> str:
    """The office under the kop: 'Kepala Dinas Tenaga Kerja ...' -> 'Dinas Tenaga Kerja ...'; else ''."""
    words = jabatan.split(maxsplit=1)
    return words[1] if len(words) == 2 and words[0].lower() == "kepala" else ""


# The lampiran is laid out as fixed-width text, one block per person: WeasyPrint lays a table out cell by
# cell (eight boxes, eight Pango layouts and a collapsed-border grid per person: ~7 ms of CPU a row), a
# line of monospaced text in one box (~1 ms). Columns are padded to these widths in characters (157 in
# all at 7,5 pt DejaVu Sans Mono across a landscape A4); a longer value wraps within its own column.
COLUMNS = (("No", 7, True), ("NIK", 16, False), ("Nama", 31, False), ("Tanggal Lahir", 17, False),
           ("L/P", 3, False), ("Desa/Kelurahan", 26, False), ("Kecamatan", 21, False), ("Pekerjaan", 22, False))
GAP = "  "


def _cells(number: int, p: SkPerson) -> tuple[str, ...]:
    return (
        format_number(number),
        p.nik,
        p.nama,
        format_date(p.tanggal_lahir) if p.tanggal_lahir else "–",
        p.jenis_kelamin,
        p.desa,
        p.kecamatan,
        PEKERJAAN.get(p.pekerjaan, p.pekerjaan),
    )


def text_row(cells: Sequence[str]) -> str:
    """One person as padded columns; a value wider than its column continues on the next line, in its column."""
    if all(len(value) <= width for value, (_, width, _) in zip(cells, COLUMNS)):
        return GAP.join(value.rjust(width) if right else value.ljust(width)
                        for value, (_, width, right) in zip(cells, COLUMNS)).rstrip()
    pieces = [textwrap.wrap(value, width, break_long_words=True) or [""] for value, (_, width, _) in zip(cells, COLUMNS)]
    lines = []
    for i in range(max(len(p) for p in pieces)):
        parts = [p[i] if i < len(p) else "" for p in pieces]
        lines.append(GAP.join(v.rjust(w) if right else v.ljust(w) for v, (_, w, right) in zip(parts, COLUMNS)).rstrip())
    return "\n".join(lines)


HEADER_ROW = text_row([label for label, _, _ in COLUMNS])


ROWS_PER_BLOCK = 5  # people per text block, ruled off below: a box per five people costs ~25 % less than one each


def _rows_html(jilid: SkJilid) -> str:
    """The volume's people as HTML built here, not in the template: a loop of the template engine costs
    more than the escaping, and this is the one part of the document that grows with the cohort."""
    lines = [text_row(_cells(number, p)) for number, p in enumerate(jilid.peserta, start=jilid.nomor_awal)]
    return mark_safe("".join(f'<div class="r">{escape(chr(10).join(lines[i:i + ROWS_PER_BLOCK]), quote=False)}</div>'
                             for i in range(0, len(lines), ROWS_PER_BLOCK)))


def _context(data: SkData, jilid: SkJilid | None = None) -> dict:
    jilid = jilid or whole(data)
    jumlah = data.jumlah
    mengingat = list(MENGINGAT)
    for name in data.aturan:
        # Each regulation once: skipped when every part ("… jo. …") is already cited by an earlier item.
        formal = formal_regulation(name).strip()
        parts = [part.strip() for part in formal.split(" jo. ")]
        if formal and not all(any(part in cited for cited in mengingat) for part in parts):
            mengingat.append(formal)
    tahun = f" Tahun Anggaran {data.mulai.year}" if data.mulai.year == data.selesai.year else ""
    return {
        "d": data,
        "instansi": _instansi(data.penandatangan_jabatan),
        "sumber_dana": f"{SUMBER_DANA.get(data.sumber_dana, data.sumber_dana)} Pemerintah {data.pemda}{tahun}",
        "mengingat": mengingat,
        "jumlah": format_number(jumlah),
        "jumlah_kata": _kata(jumlah),
        "iuran": format_rupiah(data.iuran_per_orang_per_bulan),
        "iuran_kata": _capitalise(terbilang(data.iuran_per_orang_per_bulan)),
        "total": format_rupiah(data.total_iuran),
        "total_kata": _capitalise(terbilang(data.total_iuran)),
        "periode": periode(data),
        "tanggal_sk": format_date(data.tanggal_sk),
        "pks_tanggal": format_date(data.pks_tanggal) if data.pks_tanggal else "",
        "jilid": jilid,
        "jilid_awal": format_number(jilid.nomor_awal),
        "jilid_akhir": format_number(jilid.nomor_akhir),
        "jilid_berikut": format_number(jilid.nomor_akhir + 1),
        "kolom": HEADER_ROW,
        "rows": _rows_html(jilid),
    }


@functools.cache
def _engine() -> Engine:
    return Engine(dirs=[str(TEMPLATE_DIR)], builtins=["lindung.lib.templatetags"])


def whole(data: SkData) -> SkJilid:
    """The decree in one volume: every person of `data.peserta`."""
    return SkJilid(nomor=1, dari=1, nomor_awal=1, peserta=data.peserta)


def sk_html(data: SkData, jilid: SkJilid | None = None) -> str:
    """The decree and its lampiran (or one volume of them) as one HTML document (the PDF's source)."""
    check(data)
    jilid = jilid or whole(data)
    if not jilid.peserta or not 1 <= jilid.nomor <= jilid.dari or jilid.nomor_akhir > data.jumlah:
        raise SkError(f"Jilid {jilid.nomor} dari {jilid.dari} tidak sesuai dengan {data.jumlah} peserta SK.")
    return _engine().get_template(TEMPLATE_NAME).render(Context(_context(data, jilid)))


def sk_pdf(data: SkData, jilid: SkJilid | None = None) -> bytes:
    """The SK penetapan penerima (or one volume of it) as an A4 PDF, with 'Halaman X dari Y' on every page."""
    return render_pdf(sk_html(data, jilid))


# --- xlsx ---------------------------------------------------------------------------------------

HEADER = ("No", "NIK", "Nama", "Tanggal Lahir", "L/P", "Desa/Kelurahan", "Kecamatan", "Pekerjaan")
WIDTHS = (6, 20, 32, 18, 5, 24, 20, 26)
# 0x421 is Indonesian: Excel shows "13 November 1985" with Indonesian month names.
DATE_FORMAT = "[$-421]d mmmm yyyy"
MONEY_FORMAT = '"Rp"#,##0'


def lampiran_xlsx(data: SkData, peserta: Iterable[SkPerson] | None = None) -> bytes:
    """The lampiran's list as a workbook, in memory (a kabupaten's size; the background job writes a file)."""
    out = io.BytesIO()
    write_lampiran_xlsx(out, data, peserta)
    return out.getvalue()


def write_lampiran_xlsx(target, data: SkData, peserta: Iterable[SkPerson] | None = None) -> int:
    """The lampiran's list as a workbook written to `target` (a path or a binary file): title block, frozen
    header, NIK as text, dates as dates; returns how many people it lists.

    `peserta` (an iterator, e.g. read page by page from the database) replaces `data.peserta`: rows are
    written in order and flushed to a temporary file as they come (xlsxwriter's constant_memory), so a
    province's list never sits in memory as cells."""
    check(data)
    book = sheets.workbook(target, {"constant_memory": True})
    book.set_properties({"title": f"Lampiran SK {data.nomor_sk}", "subject": data.program, "company": data.pemda})
    sheet = book.add_worksheet("Lampiran")
    f = {
        "title": book.add_format({"bold": True, "font_size": 12}),
        "bold": book.add_format({"bold": True}),
        "head": book.add_format({"bold": True, "border": 1, "bg_color": "#D9D9D9", "align": "center",
                                 "valign": "vcenter", "text_wrap": True}),
        "cell": book.add_format({"border": 1, "valign": "top"}),
        "text": book.add_format({"border": 1, "valign": "top", "num_format": "@"}),
        "date": book.add_format({"border": 1, "valign": "top", "num_format": DATE_FORMAT, "align": "left"}),
        "money": book.add_format({"bold": True, "num_format": MONEY_FORMAT, "align": "left"}),
        "number": book.add_format({"bold": True, "num_format": "#,##0", "align": "left"}),
    }
    title = [
        (f"LAMPIRAN KEPUTUSAN {data.penandatangan_jabatan.upper()}", f["title"]),
        (f"Nomor: {data.nomor_sk}, tanggal {format_date(data.tanggal_sk)}", None),
        (f"Daftar penerima bantuan iuran Jaminan Sosial Ketenagakerjaan: {data.program}", None),
        (f"Masa pelindungan: {periode(data)}; kode jenis kepesertaan {data.kode_kepesertaan}", None),
    ]
    for r, (text, fmt) in enumerate(title):
        sheet.write_string(r, 0, text, fmt)
    head = len(title) + 1
    for c, (label, width) in enumerate(zip(HEADER, WIDTHS)):
        sheet.write_string(head, c, label, f["head"])
        sheet.set_column(c, c, width)
    row = head
    for number, p in enumerate(data.peserta if peserta is None else peserta, start=1):
        row = head + number
        sheet.write_number(row, 0, number, f["cell"])
        sheet.write_string(row, 1, p.nik, f["text"])
        sheet.write_string(row, 2, p.nama, f["cell"])
        if p.tanggal_lahir:
            sheet.write_datetime(row, 3, p.tanggal_lahir, f["date"])
        else:
            sheet.write_blank(row, 3, None, f["cell"])
        sheet.write_string(row, 4, p.jenis_kelamin, f["cell"])
        sheet.write_string(row, 5, p.desa, f["cell"])
        sheet.write_string(row, 6, p.kecamatan, f["cell"])
        sheet.write_string(row, 7, PEKERJAAN.get(p.pekerjaan, p.pekerjaan), f["cell"])
    sheet.autofilter(head, 0, row, len(HEADER) - 1)
    sheet.freeze_panes(head + 1, 0)
    _write_totals(sheet, f, data, row + 2)
    sheet.set_paper(9)  # A4
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(head)
    sheet.set_footer("&CHalaman &P dari &N")
    book.close()
    return row - head


def _write_totals(sheet, f: dict, data: SkData, row: int) -> None:
    lines = [
        ("Jumlah penerima (orang)", data.jumlah, f["number"]),
        ("Iuran per orang per bulan", data.iuran_per_orang_per_bulan, f["money"]),
        ("Lama pelindungan (bulan)", data.bulan, f["number"]),
        ("Jumlah iuran", data.total_iuran, f["money"]),
    ]
    for offset, (label, value, fmt) in enumerate(lines):
        sheet.write_string(row + offset, 2, label, f["bold"])
        sheet.write_number(row + offset, 3, value, fmt)
    row += len(lines)
    sheet.write_string(row, 2, "Terbilang", f["bold"])
    sheet.write_string(row, 3, _capitalise(terbilang(data.total_iuran)))
    if data.catatan:
        sheet.write_string(row + 2, 0, "Catatan:", f["bold"])
        for offset, note in enumerate(data.catatan, start=3):
            sheet.write_string(row + offset, 0, f"{offset - 2}. {note}")
