"""The two files exchanged with the BPJS Ketenagakerjaan branch at registration (domain.md §4, steps 6–7).

The Disnaker sends the Kantor Cabang a file of the people to register (the *pengajuan*); the branch
answers with a file saying, per person, *terdaftar* with a KPJ number or *ditolak* with a reason
(R10–R12). This module writes the first and reads the second. Plain data in, bytes and frozen
dataclasses out: no Django, so a service, a management command or a test can call it alike.

**Assumed formats.** BPJS's real bulk-registration layout is unconfirmed (domain.md §8 item 8).

* Pengajuan: one row per person with the columns of SUBMISSION_HEADERS — the identity fields §8.8
  assumes, plus the *kode jenis kepesertaan* (SG/SA/SD/SL, PROBIS p.67), the programme and the PKS
  number on every row so a branch that splits or merges files keeps them. NIK, phone and region
  code are text (Excel would otherwise drop digits or leading zeros); dates are dd/mm/yyyy.
* Jawaban: any sheet (or csv, `;` `,` or tab) whose header row has a NIK column the import reader
  knows (NIK, No. NIK, Nomor NIK, NIK Peserta...); the header may sit under a title block. The
  other columns are matched by name in any case, spacing or punctuation, with synonyms: Status
  (values Terdaftar/Berhasil/Sukses/Aktif/Diterima or Ditolak/Gagal/Tolak/Tidak Berhasil); No. KPJ
  (KPJ, Nomor KPJ, No Peserta...); Keterangan/Alasan (Alasan Penolakan, Catatan...). Nama and any
  other column are ignored. When the branch's real
  layout is known, extend the synonym tuples below; nothing else should need to change.

**KPJ numbers** are read as 11 digits. No BPJS specification was found; a Tempo explainer
(https://tempo.co/politik/pengertian-kpj-fungsi-dan-perbedaannya-dengan-bpjs--1193355) says "Nomor
KPJ ... terdiri dari 11 digit", and independent public code that checks KPJ numbers against BPJS
services also requires exactly 11 digits. Newly registered participants get new numbers, so the
strict rule is kept; KPJ_DIGITS is the one place to widen it if a branch file shows otherwise.

**Decisions.** Every problem is collected (architecture.md rules 7 and 9) and the caller applies the
whole file or nothing (`ResponseResult.ok`). A *ditolak* row without a reason is not a problem: its
reason code is `lainnya`. The KPJ cell of a *ditolak* row is ignored (branches write "-", "0" or the
person's existing KPJ there). Submitted NIKs the file does not mention are not a problem — a branch
may answer in parts — and are listed in `belum_dijawab`. Rows with NIK, Status and KPJ all blank
(a signature or total line under the table) are skipped.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Literal

from lindung.domain.nik import normalise_nik, parse_nik
from lindung.imports.columns import cell_text, find_column, normalise_header
from lindung.imports.reader import ImportFileError, ReadLimits, read_table
from lindung.lib import sheets

# --- the pengajuan ----------------------------------------------------------------------------------

SUBMISSION_HEADERS: tuple[str, ...] = (
    "NIK",
    "Nama Lengkap",
    "Tempat Lahir",
    "Tanggal Lahir",
    "Jenis Kelamin",
    "Alamat",
    "Kode Desa/Kelurahan",
    "Pekerjaan",
    "No. HP",
    "Nama Ibu Kandung",
    "Kode Jenis Kepesertaan",
    "Program",
    "Nomor PKS",
)
SUBMISSION_SHEET = "Pengajuan Peserta"
# Kode jenis kepesertaan of a wadah paid by government or desa (PROBIS p.67; programs.models).
KODE_KEPESERTAAN = frozenset({"SG", "SA", "SD", "SL"})

_DATE_FORMAT = "%d/%m/%Y"
_WIDTHS = (20, 28, 16, 14, 8, 34, 20, 24, 16, 26, 10, 30, 24)
_DATE_COLUMN = SUBMISSION_HEADERS.index("Tanggal Lahir")


@dataclass(frozen=True, slots=True)
class SubmissionPerson:
    nik: str
    nama: str
    tempat_lahir: str
    tanggal_lahir: date | None
    jenis_kelamin: str  # "L" / "P"
    alamat: str
    kode_desa: str  # dotted 10-digit Kemendagri code, "21.02.01.2004"
    pekerjaan: str  # the label, "Nelayan"
    no_hp: str
    nama_ibu: str


def submission_rows(
    people: Sequence[SubmissionPerson], *, program: str, pks_nomor: str, kode_kepesertaan: str
) -> Iterator[tuple]:
    """One tuple per person in SUBMISSION_HEADERS order; the date stays a date for each renderer.

    An unknown kode jenis kepesertaan raises ValueError at once, before any file is begun.
    """
    if kode_kepesertaan not in KODE_KEPESERTAAN:
        raise ValueError(f"Kode jenis kepesertaan {kode_kepesertaan!r} bukan SG, SA, SD atau SL.")
    return (
        (p.nik, p.nama, p.tempat_lahir, p.tanggal_lahir, p.jenis_kelamin, p.alamat, p.kode_desa,
         p.pekerjaan, p.no_hp, p.nama_ibu, kode_kepesertaan, program, pks_nomor)
        for p in people
    )


def build_submission_xlsx(
    people: Iterable[SubmissionPerson],
    *,
    program: str,
    pks_nomor: str,
    kode_kepesertaan: str,
    created: datetime,
) -> bytes:
    """The pengajuan as xlsx. Same input, same bytes: `created` is the only timestamp inside."""
    rows = submission_rows(people, program=program, pks_nomor=pks_nomor, kode_kepesertaan=kode_kepesertaan)
    buffer = io.BytesIO()
    # lib.sheets: a name starting with "=" stays text, never a formula Excel would run.
    _write_xlsx(sheets.workbook(buffer, {"in_memory": True}), rows, program=program, created=created)
    return buffer.getvalue()


def write_submission_xlsx(
    path: str,
    people: Iterable[SubmissionPerson],
    *,
    program: str,
    pks_nomor: str,
    kode_kepesertaan: str,
    created: datetime,
) -> None:
    """The same workbook written to a file in xlsxwriter's constant-memory mode: each row goes to disk as
    it is written, so 600.000 people take the memory of one row (the background job's file)."""
    rows = submission_rows(people, program=program, pks_nomor=pks_nomor, kode_kepesertaan=kode_kepesertaan)
    _write_xlsx(sheets.workbook(path, {"constant_memory": True}), rows, program=program, created=created)


def _write_xlsx(workbook, rows, *, program: str, created: datetime) -> None:
    title = f"Pengajuan pendaftaran peserta BPJS Ketenagakerjaan — {program}"
    workbook.set_properties({"title": title, "created": _naive_utc(created)})
    sheet = workbook.add_worksheet(SUBMISSION_SHEET)
    header = workbook.add_format(
        {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"}
    )
    text = workbook.add_format({"num_format": "@"})
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    sheet.freeze_panes(1, 0)
    sheet.set_row(0, 30)  # before any row is written: constant-memory mode cannot go back to a row
    for c, (label, width) in enumerate(zip(SUBMISSION_HEADERS, _WIDTHS)):
        sheet.write_string(0, c, label, header)
        # Whole columns formatted, so a NIK typed in later by the branch stays text too.
        sheet.set_column(c, c, width, day if c == _DATE_COLUMN else text)
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row):
            if c == _DATE_COLUMN:
                if value is None:
                    sheet.write_blank(r, c, None, day)
                else:
                    sheet.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
            else:
                sheet.write_string(r, c, value or "", text)
    workbook.close()


def _naive_utc(moment: datetime) -> datetime:
    # xlsxwriter writes the time as UTC ("...Z") without converting; times are stored UTC anyway.
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def build_submission_csv(
    people: Iterable[SubmissionPerson],
    *,
    program: str,
    pks_nomor: str,
    kode_kepesertaan: str,
    delimiter: str = ";",
) -> bytes:
    """The pengajuan as csv: UTF-8 with a BOM (so Excel shows ā, é... right), `;` as Excel with
    Indonesian regional settings expects, dates dd/mm/yyyy, NIK as plain digits."""
    out = io.BytesIO()
    write_submission_csv(out, people, program=program, pks_nomor=pks_nomor, kode_kepesertaan=kode_kepesertaan,
                         delimiter=delimiter)
    return out.getvalue()


def write_submission_csv(
    handle,
    people: Iterable[SubmissionPerson],
    *,
    program: str,
    pks_nomor: str,
    kode_kepesertaan: str,
    delimiter: str = ";",
) -> None:
    """The same csv written row by row into a binary `handle` (a file for the background job)."""
    rows = submission_rows(people, program=program, pks_nomor=pks_nomor, kode_kepesertaan=kode_kepesertaan)
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    writer = sheets.csv_writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(SUBMISSION_HEADERS)
    for row in rows:
        writer.writerow([_csv_cell(c, value) for c, value in enumerate(row)])
    text.flush()
    text.detach()  # the caller owns `handle`


def _csv_cell(column: int, value: object) -> object:
    # The writer (lib.sheets) neutralises every text cell: "-5" or "+62..." typed as a name would be
    # evaluated by Excel as much as "=HYPERLINK(...)".
    if value is not None and column == _DATE_COLUMN:
        return value.strftime(_DATE_FORMAT)  # type: ignore[attr-defined]
    return value


# --- the jawaban ------------------------------------------------------------------------------------

Status = Literal["terdaftar", "ditolak"]

KPJ_DIGITS = 11  # see the module docstring
_KPJ_RE = re.compile(rf"[0-9]{{{KPJ_DIGITS}}}")

# Headers, as normalise_header leaves them ("No. KPJ" -> "nokpj"). The NIK column is the one the
# import reader finds the header row by (columns.py: NIK, No. NIK, Nomor NIK, NIK KTP, NIK Peserta,
# Nomor Induk Kependudukan...); a NIK header it does not know makes the whole file unreadable.
_STATUS_HEADERS = frozenset(
    {"status", "statuspendaftaran", "statuskepesertaan", "statusregistrasi", "statusdaftar", "hasil",
     "hasilpendaftaran", "hasilverifikasi", "statusverifikasi", "statuspeserta"}
)
_KPJ_HEADERS = frozenset(
    {"kpj", "nokpj", "nomorkpj", "nomerkpj", "nopeserta", "nomorpeserta", "nokartu", "nomorkartu",
     "nomorkartupeserta", "kartupesertajamsostek", "nomorkartupesertajamsostek", "nomorkepesertaan"}
)
_ALASAN_HEADERS = frozenset(
    {"keterangan", "ket", "alasan", "alasanpenolakan", "alasanditolak", "keteranganpenolakan",
     "catatan", "pesan", "keteranganstatus", "penyebab"}
)
_LABELS = {"nik": "NIK", "status": "Status", "kpj": "No. KPJ", "alasan": "Keterangan"}

_STATUS_WORDS: dict[str, Status] = {
    **dict.fromkeys(
        ("terdaftar", "berhasil", "sukses", "aktif", "diterima", "berhasilterdaftar", "berhasildidaftarkan",
         "success"),
        "terdaftar",
    ),
    **dict.fromkeys(
        ("ditolak", "gagal", "tolak", "tidakberhasil", "gagalterdaftar", "tidakterdaftar", "reject",
         "rejected", "failed"),
        "ditolak",
    ),
}

# Reason codes, with what the UI may show. Checked in this order: "tidak terdaftar di Dukcapil"
# must be read as a Dukcapil problem before anything looks for "terdaftar".
REASON_CODES: dict[str, str] = {
    "nik_tidak_ditemukan": "NIK tidak ditemukan di Dukcapil",
    "sudah_terdaftar": "Sudah terdaftar sebagai peserta (wadah lain, perusahaan atau mandiri)",
    "data_tidak_lengkap": "Data tidak lengkap",
    "lainnya": "Alasan lain",
}
_REASON_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("nik_tidak_ditemukan", re.compile(
        r"\b(tidak|belum) (ditemukan|padan)\b"
        r"|\bnik( \w+)? (tidak|belum) (terdaftar|valid|dikenal|ada)\b"
        r"|\b(tidak|belum) (terdaftar|ada|valid) (di|pada|dalam) (database |data )?(dukcapil|kependudukan)"
        r"|\bgagal (validasi|verifikasi|pemadanan|padan)( nik)?( \w+)? (dukcapil|kependudukan)"
        r"|\bdukcapil (tidak|gagal)\b"
    )),
    ("sudah_terdaftar", re.compile(
        r"\b(sudah|telah|pernah) (ter)?(daftar|menjadi peserta|aktif)"
        r"|\bwadah lain\b|\bpeserta aktif\b|\bmasih aktif\b|\bkepesertaan (aktif|ganda)\b|\bterdaftar ganda\b"
        r"|\bterdaftar (di|pada|sebagai) (perusahaan|wadah|segmen|peserta)"
    )),
    ("data_tidak_lengkap", re.compile(
        r"\b(tidak|belum|kurang) lengkap\b|\bdata kurang\b|\bkosong\b|\b(wajib|belum|tidak) diisi\b"
        r"|\bkelengkapan\b"
    )),
)

PROBLEM_CODES = (
    "berkas_tidak_terbaca", "berkas_kosong", "kolom_tidak_ada", "nik_tidak_valid", "nik_tidak_diajukan",
    "nik_sudah_terdaftar", "nik_ganda", "status_tidak_dikenal", "kpj_kosong", "kpj_tidak_valid", "kpj_ganda", "keterangan_terlalu_panjang",
)
# Longest Keterangan kept: the reason is logged as "Ditolak BPJS: <keterangan>" in a 255-character field.
# The service passes the figure derived from the model; this default matches it.
MAX_ALASAN = 241


def reason_code(text: str | None) -> str:
    """'Peserta sudah terdaftar di wadah lain' -> 'sudah_terdaftar'; unrecognised or blank -> 'lainnya'."""
    if not text:
        return "lainnya"
    words = " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())
    for code, pattern in _REASON_PATTERNS:
        if pattern.search(words):
            return code
    return "lainnya"


@dataclass(frozen=True, slots=True)
class ResponseRow:
    row: int  # spreadsheet row number
    nik: str
    status: Status
    kpj: str | None  # 11 digits when terdaftar; None when ditolak
    alasan: str | None  # the branch's words when ditolak, spacing tidied; None when terdaftar or blank

    @property
    def reason_code(self) -> str | None:
        return None if self.status == "terdaftar" else reason_code(self.alasan)


@dataclass(frozen=True, slots=True)
class ResponseProblem:
    row: int  # spreadsheet row number; 0 for the file as a whole, the header row for a missing column
    column: str  # the header as written in the file, or our label when the column is missing
    code: str  # one of PROBLEM_CODES
    message: str  # Indonesian, naming the value


@dataclass(frozen=True, slots=True)
class ResponseResult:
    rows: tuple[ResponseRow, ...]  # the rows without a problem of their own, in file order
    problems: tuple[ResponseProblem, ...]
    # Submitted NIKs the file does not mention (a row with a problem still counts as mentioned).
    belum_dijawab: frozenset[str] = field(default_factory=frozenset)
    # How many problems there were, when `problems` keeps only the first ones (ResponseChecker's `keep`).
    problem_count: int | None = field(default=None, kw_only=True)
    # (terdaftar, ditolak) among the good rows, when `rows` is not kept (a streamed answer).
    status_counts: tuple[int, int] | None = field(default=None, kw_only=True)

    @property
    def ok(self) -> bool:
        """No problem at all: only then may the caller apply the file, all of it."""
        return not self.problems

    @property
    def problem_total(self) -> int:
        return len(self.problems) if self.problem_count is None else self.problem_count

    @property
    def counts(self) -> tuple[int, int]:
        """How many good rows say terdaftar and how many ditolak."""
        if self.status_counts is not None:
            return self.status_counts
        registered = sum(1 for r in self.rows if r.status == "terdaftar")
        return registered, len(self.rows) - registered


@dataclass(slots=True)
class _Context:
    headers: list[str]
    submitted: frozenset[str] | set[str]  # the submitted NIKs (streamed: those of the part being checked)
    index: dict[str, int]  # column key -> position; alasan may also come from `extra_alasan`
    extra_alasan: list[int]
    max_alasan: int
    keep: int | None = None  # problems kept (all of them when None); the rest only counted
    rows: list[ResponseRow] = field(default_factory=list)
    problems: list[ResponseProblem] = field(default_factory=list)
    problem_count: int = 0
    first_row_of_nik: dict[str, int] = field(default_factory=dict)
    first_of_kpj: dict[str, tuple[int, str | None]] = field(default_factory=dict)  # kpj -> (row, nik)
    mentioned: set[str] | None = field(default_factory=set)  # None when streamed (the caller keeps them)
    prefix_counts: Counter[str] | None = None  # first 15 digits of the submitted NIKs, when needed
    count_prefix: object = None  # streamed: a function giving how many submitted NIKs start with 15 digits
    # NIK -> KPJ of the pengajuan's people an earlier answer already registered (streamed: the part's)
    registered: dict[str, str] = field(default_factory=dict)

    def label(self, key: str) -> str:
        position = self.index.get(key)
        return self.headers[position] if position is not None else _LABELS[key]

    def add(self, row: int, key: str, code: str, message: str) -> None:
        self.problem_count += 1
        if self.keep is None or len(self.problems) < self.keep:
            self.problems.append(ResponseProblem(row, self.label(key), code, message))


def read_response(data: bytes, filename: str, *, submitted_niks: frozenset[str],
                  limits: ReadLimits = ReadLimits(), max_alasan: int = MAX_ALASAN,
                  registered: dict[str, str] | None = None) -> ResponseResult:
    """The branch's answer to a pengajuan, every row checked against it; never raises for bad input.
    `registered`: NIK -> KPJ of the pengajuan's people an earlier answer already registered."""
    submitted = frozenset(submitted_niks)
    try:
        table = read_table(data, filename, limits=limits)
    except ImportFileError as error:
        return ResponseResult((), (_unreadable(error, filename),), submitted)
    checker = ResponseChecker(table.headers, table.header_row, max_alasan=max_alasan, submitted=submitted)
    checker.context.registered = dict(registered or {})
    checker.check(table.rows, submitted=submitted)
    result = checker.result()
    return ResponseResult(result.rows, result.problems, submitted - checker.context.mentioned)


class ResponseChecker:
    """The answer's rows checked part by part, with the same rules and messages whether the file is held whole
    (`read_response`) or streamed by a caller that keeps what the parts share — which NIKs were submitted,
    the first row of each NIK and of each KPJ — in a database (lindung.enrolment.bpjs.apply_response): for
    each part it passes those facts about the part's own NIKs and KPJs (`part_keys`), then takes back the
    good rows (`check`) and the first rows the part adds (`new_firsts`)."""

    def __init__(self, headers: list[str], header_row: int, *, max_alasan: int = MAX_ALASAN,
                 submitted: frozenset[str] | None = None, keep: int | None = None, count_prefix=None):
        index, extra_alasan = _locate_columns(headers)
        self.streamed = submitted is None
        self.context = _Context(headers, submitted or frozenset(), index, extra_alasan, max_alasan, keep,
                                mentioned=None if self.streamed else set(), count_prefix=count_prefix)
        self.header_row = header_row
        self.header_problems: list[ResponseProblem] = []
        self._kpj_missing_told = False
        if "nik" not in index:
            # A NIK header the import reader knows is what found the table, so this cannot happen.
            raise ValueError("Tabel jawaban tanpa kolom NIK.")
        if "status" not in index:
            message = (
                f"Kolom “Status” tidak ada pada judul kolom (baris {header_row}); tanpa kolom itu tidak "
                "diketahui siapa yang terdaftar dan siapa yang ditolak."
            )
            self._header_problem("status", message)

    def _header_problem(self, key: str, message: str) -> None:
        context = self.context
        context.problem_count += 1
        self.header_problems.append(ResponseProblem(self.header_row, context.label(key), "kolom_tidak_ada", message))

    def part_keys(self, rows: Sequence[tuple[int, list]]) -> tuple[set[str], set[str]]:
        """The NIKs and the KPJs (as they may be read) of these rows: what `check` will ask about."""
        index = self.context.index
        niks, kpjs = set(), set()
        for _, cells in rows:
            nik = parse_nik(_cell(cells, index["nik"])).nik  # type: ignore[arg-type]
            if nik:
                niks.add(nik)
            if "kpj" in index:
                digits = normalise_nik(_cell(cells, index["kpj"]))
                if digits:
                    kpjs.update((digits, "0" + digits))
        return niks, kpjs

    def check(self, rows: Sequence[tuple[int, list]], *, submitted=None, first_rows: dict | None = None,
              first_kpjs: dict | None = None, registered: dict | None = None) -> list[ResponseRow]:
        """Check these rows (after those of earlier parts); returns their good ones. Streamed, `submitted`
        holds the submitted NIKs among the part's, `first_rows` and `first_kpjs` the earlier parts' first
        row of each of its NIKs and KPJs, `registered` the KPJ of each of its NIKs already registered."""
        context = self.context
        if self.streamed:
            context.submitted = submitted or set()
            context.registered = dict(registered or {})
            context.first_row_of_nik = dict(first_rows or {})
            context.first_of_kpj = dict(first_kpjs or {})
        self._check_kpj_column(rows)
        context.rows = []
        for number, cells in rows:
            _read_row(number, cells, context)
        return context.rows

    def new_firsts(self, rows: Sequence[tuple[int, list]]) -> tuple[dict[str, int], dict[str, tuple[int, str | None]]]:
        """The NIKs and KPJs whose first row is among these rows (to keep for the next parts)."""
        first, last = rows[0][0], rows[-1][0]
        niks = {nik: row for nik, row in self.context.first_row_of_nik.items() if first <= row <= last}
        kpjs = {kpj: seen for kpj, seen in self.context.first_of_kpj.items() if first <= seen[0] <= last}
        return niks, kpjs

    def _check_kpj_column(self, rows: Sequence[tuple[int, list]]) -> None:
        index = self.context.index
        if "status" not in index or "kpj" in index or self._kpj_missing_told:
            return
        if any(_status_of(_cell(cells, index["status"])) == "terdaftar" for _, cells in rows):
            self._kpj_missing_told = True
            message = (
                f"Kolom “No. KPJ” tidak ada pada judul kolom (baris {self.header_row}), padahal ada peserta "
                "berstatus terdaftar; nomor KPJ mereka diperlukan."
            )
            self._header_problem("kpj", message)

    def result(self) -> ResponseResult:
        """The problems (header ones first, then in file order) and, held whole, the good rows."""
        context = self.context
        problems = (self.header_problems + context.problems)[:context.keep]
        rows = () if self.streamed else tuple(context.rows)
        return ResponseResult(rows, tuple(problems), problem_count=context.problem_count)


def unreadable(error: ImportFileError, filename: str) -> ResponseResult:
    """The answer as one problem at row 0: a file that cannot be read, empty, or over a limit."""
    return ResponseResult((), (_unreadable(error, filename),))


def _unreadable(error: ImportFileError, filename: str) -> ResponseProblem:
    if error.code == "tidak_ada_kolom_nik":
        message = (
            f"Berkas {filename} tidak memiliki kolom NIK pada 10 baris pertamanya. Jawaban BPJS harus "
            "memuat kolom “NIK” dan “Status”, serta “No. KPJ” untuk peserta yang terdaftar."
        )
        return ResponseProblem(0, "NIK", "kolom_tidak_ada", message)
    if error.code in ("berkas_kosong", "tidak_ada_data"):
        if error.code == "berkas_kosong":
            message = f"Berkas {filename} kosong."
        else:
            message = f"Berkas {filename} hanya berisi judul kolom; tidak ada satu pun baris jawaban."
        return ResponseProblem(0, "", "berkas_kosong", message)
    message = f"Berkas jawaban BPJS tidak dapat dibaca. {error.message}"
    return ResponseProblem(0, "", "berkas_tidak_terbaca", message)


def _locate_columns(headers: list[str]) -> tuple[dict[str, int], list[int]]:
    """The first column of each kind; further Keterangan/Alasan columns are read when it is blank."""
    index: dict[str, int] = {}
    extra_alasan: list[int] = []
    for position, header in enumerate(headers):
        key = _column_key(header)
        if key is None:
            continue
        if key not in index:
            index[key] = position
        elif key == "alasan":
            extra_alasan.append(position)
    return index, extra_alasan


def _column_key(header: str) -> str | None:
    name = normalise_header(header)
    import_column = find_column(header)
    if import_column is not None and import_column.key == "nik":
        return "nik"
    if name in _STATUS_HEADERS:
        return "status"
    if name in _KPJ_HEADERS or "kpj" in name:
        return "kpj"
    if name in _ALASAN_HEADERS or name.startswith("alasan"):
        return "alasan"
    return None


def _cell(cells: list, position: int | None) -> object:
    if position is None or position >= len(cells):
        return ""
    return cells[position]


def _text(cell: object) -> str:
    return " ".join(cell_text(cell).split())


def _read_row(number: int, cells: list, context: _Context) -> None:
    index = context.index
    nik_cell, status_cell = _cell(cells, index["nik"]), _cell(cells, index.get("status"))
    kpj_cell = _cell(cells, index.get("kpj"))
    if not (_text(nik_cell) or _text(status_cell) or _text(kpj_cell)):
        return  # a total or a signature line under the table, not an answer
    before = len(context.problems)
    nik = _check_nik(number, nik_cell, context)
    status = _check_status(number, status_cell, context) if "status" in index else None
    kpj = alasan = None
    if status == "terdaftar" and "kpj" in index:
        kpj = _check_kpj(number, kpj_cell, nik, context)
    elif status == "ditolak":
        alasan = _alasan(cells, context)
        if alasan is not None and len(alasan) > context.max_alasan:
            message = (f"Keterangan {len(alasan)} karakter; paling banyak {context.max_alasan} karakter yang "
                       "dapat disimpan. Minta BPJS menyingkatnya.")
            context.add(number, "alasan", "keterangan_terlalu_panjang", message)
    if nik is not None and status is not None and len(context.problems) == before:
        context.rows.append(ResponseRow(number, nik, status, kpj, alasan))


def _alasan(cells: list, context: _Context) -> str | None:
    for position in (context.index.get("alasan"), *context.extra_alasan):
        text = _text(_cell(cells, position))
        if text and text not in ("-", "0"):
            return text
    return None


# --- NIK ----------------------------------------------------------------------------------------


def _check_nik(number: int, cell: object, context: _Context) -> str | None:
    shown = cell_text(cell).strip()
    result = parse_nik(cell)  # type: ignore[arg-type]
    nik = result.nik
    if nik is None:
        if not shown:
            message = "NIK kosong; setiap baris jawaban harus berisi NIK yang diajukan."
        else:
            message = f"NIK “{shown}” tidak dapat dipakai: {result.problems[0].message}"
        context.add(number, "nik", "nik_tidak_valid", message)
        return None
    if _is_number(cell) and nik.endswith("0") and _ambiguous_number(nik, context):
        message = (
            f"NIK {nik} tersimpan sebagai angka, sehingga Excel bisa mengganti digit terakhirnya dengan 0; "
            "NIK ini tidak dapat dicocokkan dengan pasti. Minta BPJS mengirim kolom NIK sebagai teks."
        )
        context.add(number, "nik", "nik_tidak_valid", message)
        return None
    if context.mentioned is not None:
        context.mentioned.add(nik)
    if nik in context.registered and nik not in context.submitted:
        message = (
            f"NIK {nik} sudah terdaftar (No. KPJ {context.registered[nik] or '–'}) dari jawaban BPJS sebelumnya "
            "untuk pengajuan ini, sehingga tidak menunggu jawaban lagi; hapus baris ini dari berkas jawaban."
        )
        context.add(number, "nik", "nik_sudah_terdaftar", message)
    elif nik not in context.submitted:
        message = (
            f"NIK {nik} tidak ada dalam pengajuan ini; periksa apakah berkas jawaban ini untuk pengajuan "
            "yang benar."
        )
        context.add(number, "nik", "nik_tidak_diajukan", message)
    first = context.first_row_of_nik.setdefault(nik, number)
    if first != number:
        message = f"NIK {nik} sudah dijawab pada baris {first}; setiap NIK hanya boleh dijawab sekali."
        context.add(number, "nik", "nik_ganda", message)
    return nik


def _is_number(cell: object) -> bool:
    return isinstance(cell, (int, float)) and not isinstance(cell, bool)


def _ambiguous_number(nik: str, context: _Context) -> bool:
    """Excel keeps 15 digits of a number, so a NIK cell ending in 0 may have lost its last digit.

    It is certain only when it names a submitted NIK and no other submitted NIK shares its first 15
    digits: otherwise a KPJ could go to the wrong person. The lost digit is never guessed back.
    """
    if nik not in context.submitted:
        return True
    if context.count_prefix is not None:
        return context.count_prefix(nik[:15]) > 1
    if context.prefix_counts is None:
        context.prefix_counts = Counter(other[:15] for other in context.submitted)
    return context.prefix_counts[nik[:15]] > 1


# --- status and KPJ -----------------------------------------------------------------------------


def _status_of(cell: object) -> Status | None:
    return _STATUS_WORDS.get(re.sub(r"[^a-z]", "", cell_text(cell).lower()))


def _check_status(number: int, cell: object, context: _Context) -> Status | None:
    status = _status_of(cell)
    if status is None:
        shown = _text(cell)
        if not shown:
            message = "Status kosong; isi Terdaftar atau Ditolak."
        else:
            message = (
                f"Status “{shown}” tidak dikenal; yang dikenal Terdaftar (juga Berhasil, Sukses, Aktif) "
                "dan Ditolak (juga Gagal, Tolak). Alasan penolakan ditulis di kolom Keterangan."
            )
        context.add(number, "status", "status_tidak_dikenal", message)
    return status


def _check_kpj(number: int, cell: object, nik: str | None, context: _Context) -> str | None:
    shown = cell_text(cell).strip()
    digits = normalise_nik(cell)  # the same spreadsheet noise as a NIK: spaces, dots, apostrophe, '.0'
    if not digits:
        who = f"NIK {nik}" if nik else "Baris ini"
        context.add(number, "kpj", "kpj_kosong", f"{who} berstatus terdaftar tetapi nomor KPJ kosong.")
        return None
    if _is_number(cell) and len(digits) == KPJ_DIGITS - 1 and digits.isdigit():
        digits = "0" + digits  # a number cell drops leading zeros; 10 digits can only be 11 less one
    if not _KPJ_RE.fullmatch(digits):
        message = f"Nomor KPJ “{shown}” bukan {KPJ_DIGITS} digit angka."
        context.add(number, "kpj", "kpj_tidak_valid", message)
        return None
    first_row, first_nik = context.first_of_kpj.setdefault(digits, (number, nik))
    if first_row != number and (first_nik != nik or nik is None):
        whom = f"NIK {first_nik} pada baris {first_row}" if first_nik else f"baris {first_row}"
        message = f"Nomor KPJ {digits} juga tertulis untuk {whom}; satu nomor KPJ hanya untuk satu orang."
        context.add(number, "kpj", "kpj_ganda", message)
        return None
    return digits
