"""The record contract shared by `lindung match`, the benchmark and the Django side.

A record is one person as one list wrote them. Columns (case-insensitive; synonyms accepted):

    id             required   the record's own identifier (text); unique within its file
    nama           required   full name as written (gelar, bin/binti and all)
    nik            optional   as written: may be short, long, mangled by Excel, or blank
    tanggal_lahir  optional   YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY or an Excel date
    jenis_kelamin  optional   L / P (also "laki-laki", "perempuan", "M", "F")
    nama_ibu       optional   mother's name
    desa           optional   desa/kelurahan name or code
    kecamatan      optional   name or code
    kabupaten      optional   name or code
    no_hp          optional   phone as written
    kpj            optional   registry only: the BPJS participant number (carried, never compared)

A file needs `id`, `nama`, and at least one of `nik` and `tanggal_lahir`.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

COLUMNS: tuple[str, ...] = (
    "id", "nik", "nama", "tanggal_lahir", "jenis_kelamin", "nama_ibu",
    "desa", "kecamatan", "kabupaten", "no_hp", "kpj",
)
REQUIRED: tuple[str, ...] = ("id", "nama")
ONE_OF: tuple[str, ...] = ("nik", "tanggal_lahir")

# Header spellings seen in desa lists, BPJS files and English benchmark data -> contract column.
SYNONYMS: dict[str, str] = {
    "record_id": "id", "unique_id": "id", "candidate_id": "id", "registry_id": "id", "person_id": "id",
    "rec_id": "id",
    "no_nik": "nik", "nomor_induk_kependudukan": "nik", "national_id": "nik",
    "name": "nama", "full_name": "nama", "nama_lengkap": "nama", "nama_peserta": "nama",
    "tgl_lahir": "tanggal_lahir", "dob": "tanggal_lahir", "birth_date": "tanggal_lahir",
    "date_of_birth": "tanggal_lahir", "tanggal_lahir_peserta": "tanggal_lahir",
    "jk": "jenis_kelamin", "sex": "jenis_kelamin", "gender": "jenis_kelamin", "l_p": "jenis_kelamin",
    "nama_ibu_kandung": "nama_ibu", "ibu_kandung": "nama_ibu", "mother_name": "nama_ibu",
    "mothers_name": "nama_ibu", "mother": "nama_ibu",
    "kelurahan": "desa", "desa_kelurahan": "desa", "village": "desa",
    "district": "kecamatan", "kec": "kecamatan", "subdistrict": "kecamatan",
    "kab": "kabupaten", "kabupaten_kota": "kabupaten", "regency": "kabupaten", "kota": "kabupaten",
    "telepon": "no_hp", "hp": "no_hp", "no_telepon": "no_hp", "phone": "no_hp", "telp": "no_hp",
    "nomor_hp": "no_hp", "no_telp": "no_hp",
    "no_kpj": "kpj", "nomor_kpj": "kpj",
}


class ColumnError(ValueError):
    """A file whose columns cannot be matched: the message names them, in Indonesian."""


def canonical(header: str) -> str:
    """"Tgl. Lahir" -> "tgl_lahir" -> "tanggal_lahir"; unknown headers come back as their key."""
    key = "_".join("".join(ch if ch.isalnum() else " " for ch in str(header).strip().lower()).split())
    return SYNONYMS.get(key, key)


def mapping(headers: list[str], *, label: str) -> dict[str, str]:
    """contract column -> the file's header; raises ColumnError naming what is missing or doubled."""
    found: dict[str, str] = {}
    for header in headers:
        column = canonical(header)
        if column not in COLUMNS:
            continue
        if column in found:
            raise ColumnError(f"Berkas {label}: kolom '{found[column]}' dan '{header}' sama-sama berarti "
                              f"'{column}'. Hapus salah satu.")
        found[column] = header
    missing = [c for c in REQUIRED if c not in found]
    if not any(c in found for c in ONE_OF):
        missing.append(" atau ".join(ONE_OF))
    if missing:
        raise ColumnError(f"Berkas {label}: kolom wajib tidak ada: {', '.join(missing)}. "
                          f"Kolom yang ada: {', '.join(map(str, headers)) or '(kosong)'}.")
    return found


def _arrow_from(source, *, label: str):
    import pyarrow as pa

    if isinstance(source, pa.Table):
        return source
    if isinstance(source, (list, tuple)):
        keys = list(dict.fromkeys(k for row in source for k in row)) or list(REQUIRED)
        return pa.table({k: [_text(row.get(k)) for row in source] for k in keys})
    return _read_file(Path(source), label=label)


def _read_file(path: Path, *, label: str):
    import pyarrow as pa

    if not path.exists():
        raise ColumnError(f"Berkas {label} tidak ditemukan: {path}")
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path)
    if suffix in (".csv", ".txt"):
        import pyarrow.csv as pcsv

        names = pcsv.read_csv(path, read_options=pcsv.ReadOptions(block_size=1 << 20)).column_names
        types = {n: pa.string() for n in names}
        return pcsv.read_csv(path, convert_options=pcsv.ConvertOptions(column_types=types, strings_can_be_null=True))
    if suffix in (".xlsx", ".xls", ".xlsm", ".ods"):
        from lindung.imports.reader import ImportFileError, read_first_sheet

        try:  # in a child process with limits: a hostile workbook cannot take this process down
            rows = read_first_sheet(path.read_bytes(), path.name)
        except ImportFileError as exc:
            raise ColumnError(f"Berkas {label}: {exc.message}") from None
        if not rows:
            raise ColumnError(f"Berkas {label} kosong: {path.name}")
        headers = [str(h) for h in rows[0]]
        return pa.table({h: [_text(r[i] if i < len(r) else None) for r in rows[1:]] for i, h in enumerate(headers)})
    raise ColumnError(f"Berkas {label}: jenis berkas '{suffix or path.name}' tidak dikenal; pakai csv, xlsx atau parquet.")


def _text(value) -> str | None:
    """Cell -> text as written; dates as YYYY-MM-DD; whole floats without ".0"; blank -> None."""
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text or None


def rows_of(con, source) -> int | None:
    """The number of records in `source` when it is known without reading it (a parquet file's metadata,
    an Arrow table, a list of dicts); None otherwise (csv, xlsx, a missing file)."""
    if isinstance(source, (list, tuple)):
        return len(source)
    if hasattr(source, "num_rows"):
        return int(source.num_rows)
    if isinstance(source, (str, Path)) and Path(source).suffix.lower() == ".parquet" and Path(source).exists():
        try:
            return con.execute("SELECT sum(num_rows) FROM parquet_file_metadata(?)", [str(source)]).fetchone()[0]
        except duckdb.Error:  # not a parquet file after all: load() says so in words
            return None
    return None


def load(con, table: str, source, *, label: str) -> int:
    """Create `table` in DuckDB with every contract column as text; returns the number of rows.

    A parquet file is read by DuckDB itself, column by column, never whole into Python memory.
    """
    if isinstance(source, (str, Path)) and Path(source).suffix.lower() == ".parquet":
        if not Path(source).exists():
            raise ColumnError(f"Berkas {label} tidak ditemukan: {source}")
        relation = f"read_parquet('{_sql_text(str(source))}')"
        try:
            headers = [row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()]
        except duckdb.Error as exc:
            raise ColumnError(f"Berkas {label} bukan berkas parquet yang dapat dibaca (rusak atau berformat lain): {source}") from exc
    else:
        arrow = _arrow_from(source, label=label)
        con.register("source_arrow", arrow)
        relation, headers = "source_arrow", arrow.column_names
    found = mapping(headers, label=label)
    selects = ", ".join(
        f"CAST({_quoted(found[c])} AS VARCHAR) AS {c}" if c in found else f"CAST(NULL AS VARCHAR) AS {c}"
        for c in COLUMNS)
    try:
        con.execute(f"CREATE TABLE {table} AS SELECT {selects} FROM {relation}")
    finally:
        if relation == "source_arrow":
            con.unregister("source_arrow")
    _check_ids(con, table, label=label)
    return con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


def _quoted(header: str) -> str:
    return '"' + header.replace('"', '""') + '"'


def _check_ids(con, table: str, *, label: str) -> None:
    blank = con.execute(f"SELECT count(*) FROM {table} WHERE id IS NULL OR trim(id) = ''").fetchall()[0][0]
    if blank:
        raise ColumnError(f"Berkas {label}: {blank} baris tanpa isi di kolom 'id'.")
    doubled = con.execute(f"SELECT id, count(*) FROM {table} GROUP BY id HAVING count(*) > 1 ORDER BY id LIMIT 3").fetchall()
    if doubled:
        listed = ", ".join(f"'{i}' ({n}×)" for i, n in doubled)
        raise ColumnError(f"Berkas {label}: nilai kolom 'id' harus unik; berulang: {listed}.")
