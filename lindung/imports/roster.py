"""The BPJS branch's participant file as a reference roster (R10): who is already registered.

Read with the same reader as the candidate lists; rows whose NIK or KPJ cannot be used are skipped and
listed (the rest of a large roster is still useful). Candidates whose NIK is on a roster are flagged
"sudah terdaftar" with the KPJ and are never seated or billed. This is the exact-NIK check; look-alikes
(a transposed NIK, another spelling) are found by the matching engine (lindung.linkage).

A roster belongs to the pemda that loaded it and acts only on that pemda's candidates: the candidates its
uploader sees. One pemda's file must never exclude another pemda's people from protection (issue 11: a
Karimun upload flagged Natuna and PPU candidates). Every flag is in the audit trail.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from lindung.accounts.models import AuditEntry
from lindung.imports import columns, reader
from lindung.imports.models import Candidate
from lindung.lib.audit import change_entry
from lindung.lib.bulk import insert_many
from lindung.registry.models import BpjsParticipant, BpjsRoster

KPJ_HEADERS = {"kpj", "nokpj", "nomorkpj", "nokartu", "nomorkartupeserta", "nokartupeserta"}
SEGMEN_HEADERS = {"segmen", "segmenpeserta", "segment", "jeniskepesertaan", "kepesertaan"}


@dataclass(frozen=True)
class RosterRow:
    nik: str
    nama: str
    tanggal_lahir: date | None
    kpj: str
    segmen: str


def _positions(table: reader.Table) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        column = columns.find_column(header)
        name = columns.normalise_header(header)
        key = column.key if column is not None and column.key in {"nik", "nama", "tanggal_lahir"} else (
            "kpj" if name in KPJ_HEADERS else "segmen" if name in SEGMEN_HEADERS else None)
        if key is not None:
            found.setdefault(key, index)
    return found


def read_roster(data: bytes, filename: str, *, today: date,
                limits: reader.ReadLimits = reader.ReadLimits()) -> tuple[list[RosterRow], list[dict]]:
    """The usable rows and the skipped ones (row, column, message). Raises ImportFileError for a bad file."""
    try:
        table = reader.read_table(data, filename, limits=limits)
    except reader.ImportFileError as exc:
        if exc.code != "tidak_ada_kolom_nik":
            raise
        # The candidates' message points to lindung's template; BPJS's list has none (issue 16).
        raise reader.ImportFileError(exc.code, f"Berkas {filename} tidak memiliki kolom NIK pada 10 baris pertamanya. "
                                     "Daftar peserta BPJS harus memuat kolom “NIK” dan “No. KPJ” (serta “Nama”, "
                                     "“Tanggal Lahir” dan “Segmen” bila ada).") from None
    at = _positions(table)
    missing = [label for key, label in (("nik", "NIK"), ("kpj", "No. KPJ")) if key not in at]
    if missing:
        raise reader.ImportFileError("kolom_tidak_ada", f"Berkas peserta BPJS tidak punya kolom {' dan '.join(missing)}.")
    rows, skipped = [], []
    for number, cells in table.rows:
        row = _row(number, cells, at, today, skipped)
        if row is not None:
            rows.append(row)
    return rows, skipped


def _cell(cells: list, at: dict, key: str):
    return cells[at[key]] if key in at and at[key] < len(cells) else ""


def _row(number: int, cells: list, at: dict, today: date, skipped: list) -> RosterRow | None:
    nik = columns.clean_nik(_cell(cells, at, "nik"), today)
    kpj = "".join(ch for ch in columns.cell_text(_cell(cells, at, "kpj")) if ch.isdigit())
    if nik.value is None or any(p.severity == "error" for p in nik.problems):
        skipped.append({"row": number, "column": "NIK", "message": "NIK tidak valid; baris dilewati."})
        return None
    if not 8 <= len(kpj) <= 13:
        skipped.append({"row": number, "column": "No. KPJ", "message": "No. KPJ kosong atau bukan angka; baris dilewati."})
        return None
    born = columns.clean_date(_cell(cells, at, "tanggal_lahir"), today).value if "tanggal_lahir" in at else None
    nama = " ".join(columns.cell_text(_cell(cells, at, "nama")).split())
    segmen = " ".join(columns.cell_text(_cell(cells, at, "segmen")).split())
    for key, label, value in (("nama", "Nama", nama), ("segmen", "Segmen", segmen)):
        limit = BpjsParticipant._meta.get_field(key).max_length
        if len(value) > limit:  # skipped, never cut short: a cut name would be stored as if it were whole
            skipped.append({"row": number, "column": label, "message": f"{label} {len(value)} karakter; paling "
                            f"banyak {limit}. Baris dilewati."})
            return None
    return RosterRow(nik.value, nama, born, kpj, segmen)


def load_roster(*, pemda, user, upload) -> BpjsRoster:
    """Store the roster and flag every candidate of the uploader's area it names, in one transaction."""
    data = upload.read()
    from lindung.imports.services import read_limits

    rows, skipped = read_roster(data, upload.name, today=timezone.localdate(), limits=read_limits())
    with transaction.atomic():
        roster = BpjsRoster(pemda=pemda, original_name=upload.name[:255], uploaded_by=user, rows=len(rows),
                            skipped=skipped[:1000])
        upload.seek(0)
        roster.file.save(f"{hashlib.sha256(data).hexdigest()[:12]}-{upload.name}", upload, save=False)
        roster.save()
        insert_many(BpjsParticipant, ("roster", "nik", "nama", "tanggal_lahir", "kpj", "segmen"),
                    [(roster.pk, r.nik, r.nama, r.tanggal_lahir, r.kpj, r.segmen) for r in rows])
        flag_candidates(Candidate.objects.visible_to(user), user=user,
                        note=f"daftar peserta BPJS {roster.original_name}: sudah terdaftar")
    return roster


def flag_candidates(candidates, *, user, note: str) -> int:
    """Mark the unflagged candidates whose NIK is on a roster of their own programme's pemda with that KPJ,
    each change audited; returns how many were flagged."""
    rows = list(candidates.filter(bpjs_kpj="").values_list("pk", "nik", "program__pemda_id"))
    known = _roster_entries(sorted({nik for _pk, nik, _pemda in rows}))
    by_entry: dict[tuple[str, str], list[int]] = {}
    for pk, nik, pemda in rows:
        if (pemda, nik) in known:
            by_entry.setdefault(known[pemda, nik], []).append(pk)
    entries = []
    for (kpj, segmen), pks in by_entry.items():
        Candidate.objects.filter(pk__in=pks).update(bpjs_kpj=kpj, bpjs_segmen=segmen)
        entries += [change_entry(user, Candidate(pk=pk), old={"bpjs_kpj": "", "bpjs_segmen": ""},
                                 new={"bpjs_kpj": kpj, "bpjs_segmen": segmen}, note=note) for pk in pks]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def _roster_entries(niks: list[str]) -> dict[tuple[str, str], tuple[str, str]]:
    """(pemda, NIK) -> (KPJ, segmen) of the first participant stored with that NIK on that pemda's rosters."""
    known: dict[tuple[str, str], tuple[str, str]] = {}
    for start in range(0, len(niks), 5000):
        found = (BpjsParticipant.objects.filter(nik__in=niks[start:start + 5000]).order_by("pk")
                 .values_list("roster__pemda_id", "nik", "kpj", "segmen"))
        for pemda, nik, kpj, segmen in found:
            known.setdefault((pemda, nik), (kpj, segmen))
    return known
