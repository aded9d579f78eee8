"""Parse and validate every row of a candidate Table before anything is written (architecture.md rule 7).

Every problem of every row is collected with its row number, the column label as uploaded, a stable
code and an Indonesian sentence naming the value. Nothing here writes; the services decide what to
commit from `ValidationResult`. Blank cells stay None in `cleaned`, so committing code can apply
"a blank cell never overwrites a stored value".

Speed matters (a 100.000-row list must validate in about twice the time calamine needs to read it):
repeating values (L/P, pekerjaan, desa, dates) are cleaned and checked once per distinct value per
run, and the per-row loop does only dictionary work beyond parse_nik.

Pure Python: no Django.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from lindung.domain import wilayah
from lindung.domain.eligibility import MAX_AGE, MIN_AGE, REASONS, check_age, check_pekerjaan
from lindung.domain.nik import BULAN, MESSAGES as NIK_MESSAGES, compare_with_record
from lindung.domain.pekerjaan import ALLOWED_PEKERJAAN_BY_SUMBER, PEKERJAAN, SUMBER_DANA
from lindung.domain.periods import age_on
from lindung.domain.problems import Problem
from lindung.imports.columns import (
    BY_KEY,
    COLUMNS,
    Clean,
    Cleaned,
    Column,
    cell_text,
    clean_text,
    find_column,
    is_ignored_header,
)
from lindung.imports.reader import Table
from lindung.lib.gcpause import gc_paused

# Every code this pass can report, with what it means (NIK codes keep parse_nik's names and texts).
PROBLEM_CODES: dict[str, str] = {
    **NIK_MESSAGES,
    "nik_angka": "NIK tersimpan sebagai angka, bukan teks; digit terakhirnya bisa telah diubah Excel.",
    "nik_ganda_dalam_berkas": "NIK yang sama muncul lebih dari sekali dalam berkas.",
    "wajib_diisi": "Kolom wajib belum diisi.",
    "tanggal_tidak_valid": "Tanggal tidak terbaca atau tidak ada di kalender.",
    "usia_kurang": REASONS["usia_kurang"],
    "usia_lebih": REASONS["usia_lebih"],
    "kode_desa_tidak_dikenal": "Kode desa/kelurahan tidak ada dalam tabel Kemendagri.",
    "desa_di_luar_wilayah": "Desa/kelurahan berada di luar wilayah program.",
    "desa_berbeda": "Kode desa/kelurahan berbeda dengan desa pengunggah.",
    "pekerjaan_tidak_dikenal": REASONS["pekerjaan_tidak_dikenal"],
    "pekerjaan_tidak_sesuai": REASONS["pekerjaan_tidak_sesuai"],
    "jenis_kelamin_tidak_dikenal": "Jenis kelamin bukan L atau P.",
    "no_hp_tidak_valid": "Nomor HP tidak dikenali.",
    "no_kk_tidak_valid": "No. KK bukan 16 digit angka.",
    "no_kk_angka": "No. KK tersimpan sebagai angka, bukan teks.",
    "rt_rw_tidak_valid": "RT/RW bukan angka 1–3 digit.",
    "kolom_wajib_tidak_ada": "Kolom wajib tidak ada dalam berkas.",
    "kolom_tidak_dikenal": "Judul kolom tidak dikenal; isinya disimpan tetapi tidak diperiksa.",
    "kolom_ganda": "Dua kolom berisi data yang sama; hanya kolom pertama yang dibaca.",
    "teks_terlalu_panjang": "Isi sel lebih panjang dari yang dapat disimpan.",
    "karakter_kendali_dihapus": "Karakter tak terlihat (mis. NUL) dihapus dari sel.",
}

_BLANK_MARKS = frozenset({"-", "--", "–", "—", ".", "'"})  # what people type for "nothing here"


class ImportRulesError(ValueError):
    """Programme settings that cannot be used for validation; the message is Indonesian."""


@dataclass(frozen=True, slots=True)
class ImportRules:
    region_prefix: str  # the programme's kabupaten/kota ("21.02") or provinsi ("21"), dotted or not
    coverage_start: date
    sumber_dana: str  # a key of pekerjaan.SUMBER_DANA
    min_age: int = MIN_AGE
    max_age: int = MAX_AGE
    allowed_pekerjaan: frozenset[str] | None = None  # narrows the funding source's list; empty = none
    default_kode_desa: str | None = None  # a desa operator's own desa
    today: date = field(default_factory=date.today)
    # (column key, longest value storable): the model fields' max_length, handed in by the services so
    # the database schema stays the one source; a longer value is an error, never cut short.
    max_lengths: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int  # spreadsheet row number; the header row for a file problem
    column: str  # the column's label as it appears in the uploaded header
    code: str
    message: str
    severity: str = "error"  # "error" rejects the row; "warning" is shown, the row is accepted

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass(slots=True)
class RowResult:
    row_number: int
    cells: list  # the row as read, cell types kept
    headers: list[str]  # the uploaded headers (one list shared by every row)
    cleaned: dict[str, object]  # column key -> clean value, None for blank or unusable
    problems: list[RowProblem]

    @property
    def ok(self) -> bool:
        return not any(p.severity == "error" for p in self.problems)

    @property
    def raw(self) -> dict[str, str]:
        """Uploaded label -> the cell as text, every column of the file.

        Built on demand: most rows of a large file are never shown, and a dict per row would double
        the memory a 100.000-row preview needs.
        """
        return {h: c if c.__class__ is str else cell_text(c) for h, c in zip(self.headers, self.cells)}


@dataclass(slots=True)
class ValidationResult:
    rows: list[RowResult]
    file_problems: list[RowProblem]
    columns: dict[str, str]  # column key -> uploaded label, for the columns found
    headers: list[str]  # every uploaded header, in file order (the error file repeats them)
    header_row: int = 1

    @property
    def blocked(self) -> bool:
        """A file-level error (a required column missing): nothing may be committed."""
        return any(p.is_error for p in self.file_problems)

    @property
    def accepted_file(self) -> bool:
        return not self.blocked

    @property
    def accepted(self) -> list[RowResult]:
        return [] if self.blocked else [r for r in self.rows if r.ok]

    @property
    def rejected(self) -> list[RowResult]:
        return list(self.rows) if self.blocked else [r for r in self.rows if not r.ok]

    @property
    def counts(self) -> dict[str, int]:
        accepted = len(self.accepted)
        return {"rows": len(self.rows), "accepted": accepted, "rejected": len(self.rows) - accepted}

    def problem_counts(self) -> Counter[str]:
        return Counter(p.code for r in self.rows for p in r.problems)

    def problems(self) -> list[RowProblem]:
        """File problems then every row problem, in row order."""
        return [*self.file_problems, *(p for r in self.rows for p in r.problems)]


# --- rules checked once per run ---------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    """What one validation run knows and remembers: the rules made usable, and caches per value."""

    rules: ImportRules
    region: wilayah.Wilayah
    default_desa: wilayah.Wilayah | None
    allowed: frozenset[str] | None  # the programme's own occupation list; None = the funding source's
    labels: dict[str, str]  # key -> uploaded label
    required: tuple[str, ...]  # keys of required columns present in the file
    desa_cache: dict[str, list[Problem]] = field(default_factory=dict)
    age_cache: dict[date, list[Problem]] = field(default_factory=dict)
    pekerjaan_cache: dict[str, list[Problem]] = field(default_factory=dict)
    first_row_of_nik: dict[str, int] = field(default_factory=dict)


def _context(rules: ImportRules, labels: dict[str, str]) -> _Context:
    if rules.sumber_dana not in SUMBER_DANA:
        raise ImportRulesError(f"Sumber dana tidak dikenal: {rules.sumber_dana!r}.")
    if rules.min_age > rules.max_age:
        raise ImportRulesError(f"Batas usia terbalik: minimal {rules.min_age}, maksimal {rules.max_age}.")
    region = wilayah.get(rules.region_prefix)
    if region is None or region.level > 2:
        raise ImportRulesError(f"Wilayah program harus kode provinsi atau kabupaten/kota: {rules.region_prefix!r}.")
    default_desa = None
    if rules.default_kode_desa is not None:
        default_desa = wilayah.get(rules.default_kode_desa)
        if default_desa is None or default_desa.level != 4 or not _within(default_desa.kode, region.kode):
            raise ImportRulesError(f"Desa pengunggah tidak dikenal di wilayah program: {rules.default_kode_desa!r}.")
    required = tuple(key for key in labels if _is_required(BY_KEY[key], rules))
    # A programme stores "no list of its own" as an empty list; it never means "no occupation at all".
    allowed = frozenset(rules.allowed_pekerjaan) if rules.allowed_pekerjaan else None
    return _Context(rules, region, default_desa, allowed, labels, required)


def _within(kode: str, prefix: str) -> bool:
    return kode == prefix or kode.startswith(prefix + ".")


# --- the pass ---------------------------------------------------------------------------------------


PROGRESS_EVERY = 1000  # rows between progress reports: often enough for a progress bar, cheap


def validate_table(
    table: Table, rules: ImportRules, *, progress: Callable[[int, int], object] | None = None
) -> ValidationResult:
    """Clean and check every row of the table; collects every problem, raises only for bad rules.

    `progress(done, total)` is called every PROGRESS_EVERY rows and at the end.
    """
    plan, labels, file_problems = _plan(table, rules)
    context = _context(rules, labels)
    headers = list(table.headers)
    stripped = _stripped_by_row(table)
    total = len(table.rows)
    results = []
    with gc_paused():
        for done, (row_number, cells) in enumerate(table.rows, 1):
            cleaned, details, found = _clean_row(cells, plan, context)
            _check_row(row_number, cleaned, details, context, found)
            problems = [RowProblem(row_number, labels[k], p.code, p.message, p.severity) for k, p in found]
            if stripped and row_number in stripped:
                problems += stripped[row_number]
            results.append(RowResult(row_number, cells, headers, cleaned, problems))
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, total)
    if progress is not None:
        progress(total, total)
    return ValidationResult(results, file_problems, labels, headers, table.header_row)


def _stripped_by_row(table: Table) -> dict[int, list[RowProblem]]:
    """A warning for each cell the reader removed control characters from (reader._strip_controls)."""
    by_row: dict[int, list[RowProblem]] = {}
    for row, index in table.stripped:
        header = table.headers[index] if index < len(table.headers) else f"Kolom {index + 1}"
        message = (
            f"Karakter tak terlihat (mis. NUL atau karakter kendali) dihapus dari kolom {header}; periksa "
            "isinya bila tampak janggal."
        )
        by_row.setdefault(row, []).append(RowProblem(row, header, "karakter_kendali_dihapus", message, "warning"))
    return by_row


def _too_long(label: str, length: int, limit: int) -> Problem:
    message = (
        f"Isi kolom {label} {length} karakter; paling banyak {limit} karakter yang dapat disimpan. "
        "Perpendek isinya lalu unggah lagi."
    )
    return Problem("teks_terlalu_panjang", message, "error")


class _Step(NamedTuple):
    index: int  # position of the cell in the row
    key: str
    clean: Clean | None  # None: plain text, which cleans without a call and never has a problem
    cache: dict | None  # cell -> Cleaned, for columns whose values repeat
    limit: int  # longest text the column's field stores


_NO_LIMIT = 1 << 30


def _step(index: int, column: Column, limits: dict[str, int]) -> _Step:
    plain_text = column.clean is clean_text and not column.repeats
    return _Step(index, column.key, None if plain_text else column.clean, {} if column.repeats else None,
                 limits.get(column.key, _NO_LIMIT))


def _plan(table: Table, rules: ImportRules) -> tuple[list[_Step], dict[str, str], list[RowProblem]]:
    """Which cell feeds which column; unknown, doubled and missing columns as file problems."""
    plan: list[_Step] = []
    labels: dict[str, str] = {}
    problems = []
    row = table.header_row
    limits = dict(rules.max_lengths)
    for index, header in enumerate(table.headers):
        column = find_column(header)
        if column is None:
            if not is_ignored_header(header):
                problems.append(_file_problem(row, header, "kolom_tidak_dikenal", _unknown_message(header)))
        elif column.key in labels:
            message = (
                f"Kolom “{header}” juga dibaca sebagai {column.label}; "
                f"yang dipakai kolom “{labels[column.key]}”."
            )
            problems.append(_file_problem(row, header, "kolom_ganda", message))
        else:
            labels[column.key] = header
            plan.append(_step(index, column, limits))
    for column in COLUMNS:
        if _is_required(column, rules) and column.key not in labels:
            message = (
                f"Kolom wajib “{column.label}” tidak ada dalam berkas; tambahkan kolom itu lalu unggah lagi."
            )
            problems.append(_file_problem(row, column.label, "kolom_wajib_tidak_ada", message, "error"))
    return plan, labels, problems


def _is_required(column: Column, rules: ImportRules) -> bool:
    if column.key == "kode_desa":
        return rules.default_kode_desa is None
    return column.required


def _unknown_message(header: str) -> str:
    return f"Judul kolom “{header}” tidak dikenal; isinya disimpan apa adanya tetapi tidak diperiksa."


def _file_problem(row: int, column: str, code: str, message: str, severity: str = "warning") -> RowProblem:
    return RowProblem(row, column, code, message, severity)


def _clean_row(cells: list, plan: list[_Step], context: _Context):
    """Each declared column's cell cleaned; blank cells stay None and leave the checks to _check_row.

    The hottest loop of an import: locals only; a repeating value costs one dictionary lookup.
    """
    cleaned: dict[str, object] = dict.fromkeys(BY_KEY)  # every key, so absent columns read as blank
    details: dict[str, object] = {}
    found: list[tuple[str, Problem]] = []
    today = context.rules.today
    width = len(cells)
    for index, key, clean, cache, limit in plan:
        cell = cells[index] if index < width else ""
        if cache is not None:
            cache_key = cell if cell.__class__ is not bool else (bool, cell)  # True == 1 == 1.0
            result = cache.get(cache_key)
            if result is None:
                result = cache[cache_key] = _clean_cell(cell, clean, today)
        elif clean is None and cell.__class__ is str:
            # Free text: clean_text's result without the call, and never a problem (tested equal).
            text = " ".join(cell.split())
            if text and text not in _BLANK_MARKS:
                cleaned[key] = text
                if len(text) > limit:
                    found.append((key, _too_long(context.labels[key], len(text), limit)))
            continue
        else:
            result = _clean_cell(cell, clean or clean_text, today)
        value, problems, detail = result
        cleaned[key] = value
        if value.__class__ is str and len(value) > limit:  # type: ignore[arg-type]
            found.append((key, _too_long(context.labels[key], len(value), limit)))  # type: ignore[arg-type]
        if detail is not None:
            details[key] = detail
        if problems:
            found.extend([(key, problem) for problem in problems])
    return cleaned, details, found


_BLANK = Cleaned(None)


def _clean_cell(cell: object, clean: Clean, today: date) -> Cleaned:
    if cell.__class__ is str:
        cell = cell.strip()  # type: ignore[union-attr]
        if not cell or cell in _BLANK_MARKS:
            return _BLANK
    elif cell is None:
        return _BLANK
    return clean(cell, today)


def _check_row(row_number: int, cleaned: dict, details: dict, context: _Context, found: list) -> None:
    """Checks across columns and against the programme, each adding (column key, problem) to found."""
    for key in context.required:
        if cleaned[key] is None and not any(k == key for k, _ in found):
            # A cell that was filled but unusable already has its own problem; "wajib diisi" would mislead.
            found.append((key, _required_problem(key, context)))
    _check_kode_desa(cleaned, context, found)
    nik_result = details.get("nik")
    if nik_result is not None:
        _check_nik_record(nik_result, cleaned, context, found)
        _check_duplicate(row_number, nik_result.nik, context, found)
    born = cleaned["tanggal_lahir"]
    if born is not None:
        problems = _age_problems(born, context)
        if problems:
            found += [("tanggal_lahir", p) for p in problems]
    pekerjaan = cleaned["pekerjaan"]
    if pekerjaan is not None:
        problems = _pekerjaan_problems(pekerjaan, context)
        if problems:
            found += [("pekerjaan", p) for p in problems]


def _required_problem(key: str, context: _Context) -> Problem:
    return Problem("wajib_diisi", f"Kolom {context.labels[key]} wajib diisi.", "error")


# --- NIK --------------------------------------------------------------------------------------------


def _check_nik_record(nik_result, cleaned: dict, context: _Context, found: list) -> None:
    born, sex = cleaned.get("tanggal_lahir"), cleaned.get("jenis_kelamin")
    # Equal values cannot mismatch, and nearly every row has them: skip the call for those rows.
    if nik_result.tanggal_lahir == born and nik_result.jenis_kelamin == sex:
        return
    for problem in compare_with_record(nik_result, tanggal_lahir=born, jenis_kelamin=sex):
        # The NIK is never corrected (R7): the problem belongs to the recorded value it disagrees with.
        key = "tanggal_lahir" if problem.code == "birth_date_mismatch" else "jenis_kelamin"
        found.append((key if key in context.labels else "nik", problem))


def _check_duplicate(row_number: int, nik: str | None, context: _Context, found: list) -> None:
    if nik is None:
        return
    first = context.first_row_of_nik.setdefault(nik, row_number)
    if first != row_number:
        # The NIK itself stays out of the message: messages are shown to roles that see NIKs masked.
        message = f"NIK ini sudah ada di baris {first}; baris ini tidak diambil. Hapus salah satunya."
        found.append(("nik", Problem("nik_ganda_dalam_berkas", message, "error")))


# --- desa -------------------------------------------------------------------------------------------


def _check_kode_desa(cleaned: dict, context: _Context, found: list) -> None:
    default = context.default_desa
    kode = cleaned.get("kode_desa")
    if kode is None:
        if default is not None and not any(k == "kode_desa" for k, _ in found):
            cleaned["kode_desa"] = default.kode  # a blank code on a desa operator's upload is their desa
        return
    problems = context.desa_cache.get(kode)
    if problems is None:
        problems = context.desa_cache[kode] = _desa_problems(kode, context)
    if problems:
        found += [("kode_desa", p) for p in problems]


def _desa_problems(kode: str, context: _Context) -> list[Problem]:
    desa = wilayah.get(kode)
    name = f"{desa.nama} ({kode})" if desa else kode
    region = context.region
    if not _within(kode, region.kode):
        where = ", ".join(w.nama for w in map(wilayah.get, (kode[:8], kode[:5], kode[:2])) if w)
        message = f"Desa/kelurahan {name} berada di {where}, di luar wilayah program ({region.nama})."
        return [Problem("desa_di_luar_wilayah", message, "error")]
    default = context.default_desa
    if default is not None and kode != default.kode:
        message = (
            f"Desa/kelurahan {name} bukan desa pengunggah ({default.nama}, {default.kode}); "
            "calon peserta desa lain diunggah oleh desa itu sendiri atau oleh Disnaker."
        )
        return [Problem("desa_berbeda", message, "error")]
    return []


# --- age and pekerjaan ------------------------------------------------------------------------------


def _age_problems(born: date, context: _Context) -> list[Problem]:
    problems = context.age_cache.get(born)
    if problems is None:
        problems = context.age_cache[born] = _age_problem_list(born, context.rules)
    return problems


def _age_problem_list(born: date, rules: ImportRules) -> list[Problem]:
    code = check_age(born, rules.coverage_start, min_age=rules.min_age, max_age=rules.max_age)
    if code is None:
        return []
    start = _tanggal(rules.coverage_start)
    bounds = f"program ini untuk usia {rules.min_age}–{rules.max_age} tahun"
    if born > rules.coverage_start:
        message = f"Tanggal lahir {_tanggal(born)} sesudah awal masa perlindungan ({start}); periksa tahunnya."
    else:
        age = age_on(born, rules.coverage_start)
        message = f"Usia pada awal masa perlindungan ({start}) {age} tahun; {bounds}."
    return [Problem(code, message, "error")]


def _pekerjaan_problems(code: str, context: _Context) -> list[Problem]:
    problems = context.pekerjaan_cache.get(code)
    if problems is None:
        problems = context.pekerjaan_cache[code] = _pekerjaan_problem_list(code, context)
    return problems


def _pekerjaan_problem_list(code: str, context: _Context) -> list[Problem]:
    rules, allowed = context.rules, context.allowed
    reason = check_pekerjaan(code, rules.sumber_dana, allowed)
    if reason is None:
        return []
    permitted = ALLOWED_PEKERJAAN_BY_SUMBER[rules.sumber_dana]
    if allowed is not None:
        permitted = permitted & allowed
    names = ", ".join(label for key, label in PEKERJAAN.items() if key in permitted)
    message = (
        f"Pekerjaan “{PEKERJAAN[code]}” tidak dapat dibiayai program ini "
        f"(sumber dana {SUMBER_DANA[rules.sumber_dana]}); yang diperbolehkan: {names or '(tidak ada)'}."
    )
    return [Problem(reason, message, "error")]


def _tanggal(day: date) -> str:
    return f"{day.day} {BULAN[day.month - 1]} {day.year}"
