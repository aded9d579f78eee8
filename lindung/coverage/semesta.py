"""Import a semesta (the universe to divide by): kode wilayah, jumlah, optionally pekerjaan and jenis kelamin.

Read with the candidate lists' reader (xlsx/xls/ods/csv, headers in any case). Every row is checked
before anything is written; any error refuses the whole file with every problem named by row and column,
so a version is either complete or absent. Each upload is a new version (source + year); older ones stay.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from lindung.coverage.models import Semesta, SemestaRow
from lindung.domain import wilayah
from lindung.domain.nik import parse_jenis_kelamin
from lindung.domain.pekerjaan import PEKERJAAN, parse_pekerjaan
from lindung.imports import reader
from lindung.imports.columns import cell_text, normalise_header

# key -> (label shown in messages, normalised header synonyms)
COLUMNS = {
    "kode": ("Kode Wilayah", {"kodewilayah", "kode", "kodedesa", "kodekecamatan", "kodedesakelurahan", "kodekemendagri"}),
    "jumlah": ("Jumlah", {"jumlah", "semesta", "jumlahpekerja", "jumlahpekerjarentan", "jumlahpbpu", "total"}),
    "pekerjaan": ("Pekerjaan", {"pekerjaan", "jenispekerjaan"}),
    "jenis_kelamin": ("Jenis Kelamin", {"jeniskelamin", "jk", "lp", "kelamin"}),
}
KEY = reader.KeyHeader(
    tuple(sorted(COLUMNS["kode"][1])), code="tidak_ada_kolom_kode",
    message="Tidak ada kolom “Kode Wilayah” pada {rows} baris pertama lembar “{sheet}”. Beri judul kolom "
            "“Kode Wilayah” (kode desa 10 digit atau kecamatan 6 digit) dan “Jumlah”, lalu unggah lagi.")


class SemestaError(ValueError):
    def __init__(self, problems: list[dict]):
        super().__init__(problems[0]["message"] if problems else "")
        self.problems = problems


@dataclass(frozen=True)
class Cell:
    kode: str
    pekerjaan: str
    jenis_kelamin: str
    jumlah: int


def _problem(row: int | None, key: str | None, code: str, message: str) -> dict:
    column = COLUMNS[key][0] if key else None
    return {"row": row, "column": column, "code": code, "message": message}


def _positions(table: reader.Table) -> dict[str, int]:
    at: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        name = normalise_header(header)
        for key, (_, synonyms) in COLUMNS.items():
            if name in synonyms:
                at.setdefault(key, index)
    return at


def _kode(text: str, pemda: str, row: int, problems: list) -> str | None:
    dotted = wilayah.normalise_kode(text.split(maxsplit=1)[0]) if text else None
    region = wilayah.get(dotted) if dotted else None
    if region is None or region.level not in (3, 4):
        problems.append(_problem(row, "kode", "kode_tidak_dikenal",
                                 f"Baris {row}, kolom Kode Wilayah: “{text}” bukan kode kecamatan (6 digit) atau "
                                 f"desa/kelurahan (10 digit) Kemendagri."))
        return None
    if not (dotted + ".").startswith(pemda + "."):
        problems.append(_problem(row, "kode", "di_luar_wilayah",
                                 f"Baris {row}, kolom Kode Wilayah: {dotted} {region.nama} di luar wilayah {pemda}."))
        return None
    return dotted


def _jumlah(cell: object, row: int, problems: list) -> int | None:
    text = cell_text(cell).strip().replace(".", "") if isinstance(cell, str) else cell
    try:
        value = float(text) if not isinstance(text, (int, float)) else text
    except (TypeError, ValueError):
        value = None
    if value is None or value != int(value) or value < 0:
        problems.append(_problem(row, "jumlah", "jumlah_tidak_sah",
                                 f"Baris {row}, kolom Jumlah: “{cell_text(cell)}” harus bilangan bulat 0 atau lebih."))
        return None
    return int(value)


def _optional(cell: object, parse, key: str, row: int, problems: list) -> str:
    text = " ".join(cell_text(cell).split())
    if not text:
        return ""
    value = parse(text)
    if value is None:
        label = COLUMNS[key][0]
        hint = f" Pilih dari: {', '.join(list(PEKERJAAN.values())[:6])}, …" if key == "pekerjaan" else " Isi L atau P."
        problems.append(_problem(row, key, f"{key}_tidak_dikenal", f"Baris {row}, kolom {label}: “{text}” tidak dikenali.{hint}"))
    return value or ""


def read_semesta(data: bytes, filename: str, *, pemda: str) -> list[Cell]:
    """Every row checked; raises SemestaError with all problems, or ImportFileError for an unreadable file."""
    table = reader.read_table(data, filename, key=KEY)
    at = _positions(table)
    if "jumlah" not in at:
        raise SemestaError([_problem(None, "jumlah", "kolom_tidak_ada", "Berkas semesta tidak punya kolom “Jumlah”.")])
    problems: list[dict] = []
    cells: dict[tuple, tuple[int, Cell]] = {}
    for row, values in table.rows:
        def get(key):
            return values[at[key]] if key in at and at[key] < len(values) else ""
        kode = _kode(cell_text(get("kode")).strip(), pemda, row, problems)
        jumlah = _jumlah(get("jumlah"), row, problems)
        pekerjaan = _optional(get("pekerjaan"), parse_pekerjaan, "pekerjaan", row, problems)
        jk = _optional(get("jenis_kelamin"), parse_jenis_kelamin, "jenis_kelamin", row, problems)
        if kode is None or jumlah is None:
            continue
        key = (kode, pekerjaan, jk)
        if key in cells:
            problems.append(_problem(row, "kode", "baris_ganda", f"Baris {row}, kolom Kode Wilayah: {kode} "
                                     f"sudah ada di baris {cells[key][0]} dengan pekerjaan dan jenis kelamin yang sama."))
            continue
        cells[key] = (row, Cell(kode, pekerjaan, jk, jumlah))
    problems += _overlaps(cells)
    if problems:
        raise SemestaError(problems)
    return [cell for _, cell in cells.values()]


def _overlaps(cells: dict[tuple, tuple[int, Cell]]) -> list[dict]:
    """A kecamatan counted whole and through its desa would be counted twice."""
    kecamatan = {key[0]: row for key, (row, _) in cells.items() if key[0].count(".") == 2}
    totals = {key[0]: row for key, (row, _) in cells.items() if key[1:] == ("", "")}
    out = [_problem(row, "pekerjaan", "total_dan_rincian", f"Baris {row}: {kode} sudah punya jumlah total di baris "
                    f"{totals[kode]}; isi total saja atau rincian per pekerjaan/jenis kelamin saja.")
           for (kode, *rest), (row, _) in cells.items() if tuple(rest) != ("", "") and kode in totals]
    for (kode, *_), (row, _) in cells.items():
        parent = kode.rsplit(".", 1)[0]
        if kode.count(".") == 3 and parent in kecamatan:
            out.append(_problem(row, "kode", "tumpang_tindih", f"Baris {row}, kolom Kode Wilayah: desa {kode} ada di "
                                f"kecamatan {parent} yang sudah dihitung utuh di baris {kecamatan[parent]}."))
    return out


def import_semesta(*, data: bytes, filename: str, pemda: str, sumber: str, tahun: int, user=None,
                   contoh: bool = False) -> Semesta:
    """Check the whole file, then write the version and its rows in one transaction."""
    sumber = " ".join((sumber or "").split())
    if not sumber or not 1990 <= int(tahun) <= 2100:
        raise SemestaError([_problem(None, None, "sumber_tahun", "Sebutkan sumber data dan tahunnya (mis. Pendataan "
                                                                 "Disnaker, 2025).")])
    cells = read_semesta(data, filename, pemda=pemda)
    with transaction.atomic():
        semesta = Semesta.objects.create(sumber=sumber, tahun=tahun, pemda_id=pemda, contoh=contoh,
                                         original_name=filename, uploaded_by=user)
        SemestaRow.objects.bulk_create([SemestaRow(semesta=semesta, wilayah_id=c.kode, pekerjaan=c.pekerjaan,
                                                   jenis_kelamin=c.jenis_kelamin, jumlah=c.jumlah) for c in cells],
                                       batch_size=2000)
    return semesta
