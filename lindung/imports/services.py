"""Import work spanning models: upload → validate (preview) → commit in one transaction → error file.

Validate everything, then commit (architecture.md rule 7). The preview and the commit run the same
read-and-validate code on the same stored file, so what the operator accepted is what gets written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from lindung.imports import reader, validate, xlsx
from lindung.imports.models import Candidate, ImportBatch
from lindung.lib.audit import change_entry, snapshot
from lindung.registry.models import Person
from lindung.registry.services import ensure_regions

Status = ImportBatch.Status
SAMPLE_SIZE = 20


def start_import(*, program, user, upload, desa=None, enqueue: bool = True) -> ImportBatch:
    """Store the file and queue its validation; nothing about candidates is written yet."""
    data = upload.read()
    batch = ImportBatch(program=program, uploaded_by=user, desa=desa, original_name=upload.name[:255],
                        sha256=hashlib.sha256(data).hexdigest())
    upload.seek(0)
    batch.file.save(upload.name, upload, save=False)
    batch.save()
    if enqueue:
        from lindung.imports.tasks import validate_batch_task

        transaction.on_commit(lambda: validate_batch_task.enqueue(batch.pk))
    return batch


def rules_from(program, *, desa_kode: str | None = None, today=None) -> validate.ImportRules:
    return validate.ImportRules(
        region_prefix=program.pemda_id,
        coverage_start=program.mulai,
        min_age=program.usia_min,
        max_age=program.usia_max,
        sumber_dana=program.sumber_dana,
        allowed_pekerjaan=program.allowed_pekerjaan,
        default_kode_desa=desa_kode,
        today=today or timezone.localdate(),
    )


def rules_for(batch: ImportBatch) -> validate.ImportRules:
    return rules_from(batch.program, desa_kode=batch.desa_id, today=timezone.localtime(batch.created_at).date())


def validate_bytes(data: bytes, filename: str, rules: validate.ImportRules, progress=None) -> validate.ValidationResult:
    """Read and validate without writing anything: the preview, `--dry-run`, and the commit's re-check."""
    table = reader.read_table(data, filename)
    return validate.validate_table(table, rules, progress=progress)


def _read_and_validate(batch: ImportBatch, progress=None) -> validate.ValidationResult:
    with batch.file.open("rb") as handle:
        data = handle.read()
    return validate_bytes(data, batch.original_name, rules_for(batch), progress=progress)


def _problem_dicts(row) -> list[dict]:
    return [{"row": p.row, "column": p.column, "code": p.code, "message": p.message, "severity": p.severity}
            for p in row.problems]


def run_validation(batch: ImportBatch) -> None:
    """The preview: read, validate every row, store counts, problems and a sample. Writes no candidate."""
    batch.status = Status.VALIDATING
    batch.save(update_fields=["status"])
    try:
        result = _read_and_validate(batch, progress=lambda done, total: batch.set_progress(
            int(90 * done / max(total, 1)), f"Memeriksa baris {done} dari {total}"))
    except reader.ImportFileError as exc:
        _fail(batch, exc.message)
        return
    _store_preview(batch, result)


def _store_preview(batch: ImportBatch, result: validate.ValidationResult) -> None:
    good = result.accepted
    batch.rows_total = len(result.rows)
    batch.rows_ok = len(good)
    batch.rows_rejected = batch.rows_total - batch.rows_ok
    batch.rows_warning = sum(1 for r in good if r.problems)
    batch.headers = list(result.headers)
    batch.file_problems = [{"code": p.code, "message": p.message, "severity": p.severity} for p in result.file_problems]
    batch.problems = [p for r in result.rows for p in _problem_dicts(r)]
    batch.sample = [{"row": r.row_number, **{k: _text(v) for k, v in r.cleaned.items()}} for r in good[:SAMPLE_SIZE]]
    batch.status = Status.PREVIEW if result.accepted_file else Status.FAILED
    batch.error = "" if result.accepted_file else "; ".join(p.message for p in result.file_problems if p.severity == "error")
    batch.progress, batch.progress_text = 100, "Pemeriksaan selesai"
    batch.save()


def _text(value) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _fail(batch: ImportBatch, message: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.FAILED, error=message, progress=100,
                                                   progress_text="Gagal")
    batch.status, batch.error = Status.FAILED, message


@dataclass
class CommitCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    audit: list = field(default_factory=list)


def commit(batch: ImportBatch, *, user) -> CommitCounts:
    """Accept the good rows: one transaction; re-uploading the same file changes nothing."""
    if batch.status not in {Status.PREVIEW, Status.COMMITTING}:
        raise ValueError(f"Unggahan berstatus '{batch.get_status_display()}' tidak dapat disimpan.")
    ImportBatch.objects.filter(pk=batch.pk).update(status=Status.COMMITTING, progress=0, progress_text="Menyimpan")
    result = _read_and_validate(batch)
    good = result.accepted
    try:
        with transaction.atomic():
            counts = _write_rows(batch, good, user)
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=Status.DONE, created=counts.created, updated=counts.updated, unchanged=counts.unchanged,
                committed_at=timezone.now(), committed_by=user, progress=100, progress_text="Tersimpan")
    except Exception as exc:
        # Nothing half-written: the transaction rolled back; say so and keep the preview.
        ImportBatch.objects.filter(pk=batch.pk).update(status=Status.PREVIEW, error=f"Penyimpanan gagal, tidak ada data yang berubah: {exc}")
        raise
    batch.refresh_from_db()
    return counts


def _write_rows(batch: ImportBatch, rows, user) -> CommitCounts:
    program = batch.program
    ensure_regions({r.cleaned["kode_desa"] for r in rows if r.cleaned.get("kode_desa")})
    persons = _upsert_persons(rows, user)
    existing = {c.nik: c for c in Candidate.objects.filter(program=program, nik__in=[r.cleaned["nik"] for r in rows])}
    counts = CommitCounts()
    new, changed = [], []
    for row in rows:
        candidate = existing.get(row.cleaned["nik"])
        if candidate is None:
            new.append(_new_candidate(batch, row, persons[row.cleaned["nik"]]))
            continue
        old = _apply_row(candidate, row, batch)
        if old:
            changed.append((candidate, old))
        else:
            counts.unchanged += 1
    Candidate.objects.bulk_create(new, batch_size=1000)
    fields = list(Candidate.IMPORTED_FIELDS) + ["desa", "raw", "problems", "problem_codes", "source_batch", "source_row", "updated_at"]
    Candidate.objects.bulk_update([c for c, _old in changed], fields, batch_size=500)
    counts.created, counts.updated = len(new), len(changed)
    audit = [change_entry(user, c, old=None, new=snapshot(c, Candidate.IMPORTED_FIELDS), note=f"impor {batch.pk}") for c in new]
    audit += [change_entry(user, c, old=old, new=snapshot(c, old.keys()), note=f"impor {batch.pk}") for c, old in changed]
    from lindung.accounts.models import AuditEntry

    AuditEntry.objects.bulk_create(audit, batch_size=1000)
    return counts


def _desa_of(batch: ImportBatch, row) -> str:
    return row.cleaned.get("kode_desa") or batch.desa_id


def _warnings(row) -> tuple[list[dict], str]:
    problems = _problem_dicts(row)
    codes = "".join(f"|{p['code']}|" for p in problems)
    return problems, codes[:400]


def _new_candidate(batch: ImportBatch, row, person: Person) -> Candidate:
    values = {name: row.cleaned.get(name) for name in Candidate.IMPORTED_FIELDS}
    problems, codes = _warnings(row)
    return Candidate(
        program=batch.program, person=person, nik=row.cleaned["nik"], desa_id=_desa_of(batch, row),
        raw=row.raw, problems=problems, problem_codes=codes, source_batch=batch, source_row=row.row_number,
        **{k: ("" if v is None else v) for k, v in values.items() if k not in {"tanggal_lahir"}},
        tanggal_lahir=values["tanggal_lahir"],
    )


def _apply_row(candidate: Candidate, row, batch: ImportBatch) -> dict:
    """Copy the row's non-blank values onto the candidate; return the old values of what changed.

    A blank cell (None) never overwrites a stored value. The raw row, problems and source follow the
    latest upload only when something real changed, so re-uploading the same file changes nothing.
    """
    old = {}
    wanted = {name: row.cleaned.get(name) for name in Candidate.IMPORTED_FIELDS}
    wanted["desa_id"] = _desa_of(batch, row)
    for name, value in wanted.items():
        if value is None or value == "" or getattr(candidate, name) == value:
            continue
        old[name] = getattr(candidate, name)
        setattr(candidate, name, value)
    if old:
        candidate.problems, candidate.problem_codes = _warnings(row)
        candidate.raw, candidate.source_batch, candidate.source_row = row.raw, batch, row.row_number
        candidate.updated_at = timezone.now()
        old = {k.removesuffix("_id"): v for k, v in old.items()}
        old = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in old.items()}
    return old


def _upsert_persons(rows, user) -> dict[str, Person]:
    """One Person per NIK; identity fields filled from the rows, blanks never overwrite."""
    niks = {r.cleaned["nik"] for r in rows}
    persons = {}
    nik_list = sorted(niks)
    for start in range(0, len(nik_list), 5000):
        persons.update({p.nik: p for p in Person.objects.filter(nik__in=nik_list[start:start + 5000])})
    new, changed = {}, {}
    for row in rows:
        nik = row.cleaned["nik"]
        person = persons.get(nik) or new.get(nik)
        if person is None:
            new[nik] = Person(nik=nik, **_identity(row, blank=""))
            continue
        for name, value in _identity(row, blank=None).items():
            if value is not None and getattr(person, name) in ("", None):
                setattr(person, name, value)
                changed[nik] = person
    Person.objects.bulk_create(list(new.values()), batch_size=1000)
    Person.objects.bulk_update([p for p in changed.values() if p.pk], list(Person.IDENTITY_FIELDS), batch_size=500)
    persons.update(new)
    return persons


def _identity(row, *, blank) -> dict:
    values = {name: row.cleaned.get(name) for name in Person.IDENTITY_FIELDS}
    return {k: (blank if v is None and k != "tanggal_lahir" else v) for k, v in values.items()}


def error_file(batch: ImportBatch) -> bytes:
    """The rejected rows as uploaded, with a column explaining each problem, to send back to the desa."""
    result = _read_and_validate(batch)
    rejected = [(r.row_number, r.raw, r.problems) for r in result.rejected]
    return xlsx.build_error_file(headers=list(result.headers), rows=rejected)
