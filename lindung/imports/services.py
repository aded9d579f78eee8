"""Import work spanning models: upload → validate (preview) → commit in one transaction → error file.

Validate everything, then commit (architecture.md rule 7). The preview and the commit run the same
read-and-validate code on the same stored file, so what the operator accepted is what gets written.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from lindung.imports import reader, validate, xlsx
from lindung.accounts.models import AuditEntry
from lindung.imports.models import Candidate, CandidateStatus, ImportBatch
from lindung.lib import jobs
from lindung.lib.audit import jsonable, label, snapshot
from lindung.lib.bulk import insert_many, pks_by
from lindung.registry.models import Person
from lindung.registry.services import ensure_regions

log = logging.getLogger(__name__)
Status = ImportBatch.Status
SAMPLE_SIZE = 20


def start_import(*, program, user, upload, desa=None, enqueue: bool = True) -> ImportBatch:
    """Store the file and queue its validation; nothing about candidates is written yet."""
    data = upload.read()
    name = reader.strip_controls(upload.name)[:255]
    batch = ImportBatch(program=program, uploaded_by=user, desa=desa, original_name=name,
                        sha256=hashlib.sha256(data).hexdigest())
    upload.seek(0)
    batch.file.save(upload.name, upload, save=False)
    batch.save()
    if enqueue:
        from lindung.imports.tasks import validate_batch_task

        transaction.on_commit(lambda: validate_batch_task.enqueue(batch.pk))
    return batch


def imported_max_lengths() -> tuple[tuple[str, int], ...]:
    """Column key -> the shortest max_length of the text fields (Candidate, Person) its value is stored in.

    The schema is the one source of truth: validation refuses what the database would refuse
    (PostgreSQL) or keep whole where PostgreSQL would not (SQLite), so both behave the same.
    """
    lengths: dict[str, int] = {}
    for model in (Candidate, Person):
        for model_field in model._meta.concrete_fields:
            if model_field.name in validate.BY_KEY and getattr(model_field, "max_length", None):
                lengths[model_field.name] = min(lengths.get(model_field.name, 1 << 30), model_field.max_length)
    return tuple(sorted(lengths.items()))


def rules_from(program, *, desa_kode: str | None = None, today=None) -> validate.ImportRules:
    return validate.ImportRules(
        max_lengths=imported_max_lengths(),
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


def read_limits() -> reader.ReadLimits:
    """The limits every uploaded spreadsheet is read within (README: IMPORT_MAX_ROWS, IMPORT_MAX_MEMORY_MB)."""
    return reader.ReadLimits(max_rows=settings.IMPORT_MAX_ROWS, memory_mb=settings.IMPORT_MAX_MEMORY_MB)


def validate_bytes(data: bytes, filename: str, rules: validate.ImportRules, progress=None) -> validate.ValidationResult:
    """Read and validate without writing anything: the preview, `--dry-run`, and the commit's re-check."""
    table = reader.read_table(data, filename, limits=read_limits())
    return validate.validate_table(table, rules, progress=progress)


# The worker that made a preview usually commits it next. Validation is a pure function of the file's
# bytes (sha256) and the rules, so the last result is kept for that commit; any other input misses.
_last_validation: dict[tuple, validate.ValidationResult] = {}


def _read_and_validate(batch: ImportBatch, progress=None, *, keep: bool = False) -> validate.ValidationResult:
    rules = rules_for(batch)
    key = (batch.sha256, rules)
    if key in _last_validation:
        result = _last_validation[key] if keep else _last_validation.pop(key)
    else:
        with batch.file.open("rb") as handle:
            data = handle.read()
        result = validate_bytes(data, batch.original_name, rules, progress=progress)
        _last_validation.clear()
        if keep:
            _last_validation[key] = result
    _guard_existing(batch, result)  # the database may have changed since the preview
    return result


def _problem_dicts(row) -> list[dict]:
    return [{"row": p.row, "column": p.column, "code": p.code, "message": p.message, "severity": p.severity}
            for p in row.problems]


def run_validation(batch: ImportBatch) -> None:
    """The preview: read, validate every row, store counts, problems and a sample. Writes no candidate."""
    batch.status, batch.heartbeat_at = Status.VALIDATING, timezone.now()
    batch.save(update_fields=["status", "heartbeat_at"])
    try:
        with jobs.heartbeat(ImportBatch.objects.filter(pk=batch.pk)):
            result = _read_and_validate(batch, keep=True, progress=lambda done, total: batch.set_progress(
                int(90 * done / max(total, 1)), f"Memeriksa baris {done} dari {total}"))
    except reader.ImportFileError as exc:
        _fail(batch, exc.message)
        return
    except validate.ImportRulesError as exc:
        _fail(batch, f"Pengaturan program perlu diperbaiki dulu: {exc}")
        return
    except Exception:
        # Never leave the page polling a batch that no worker will finish.
        _fail(batch, "Pemeriksaan gagal karena galat sistem; tidak ada data yang disimpan. Laporkan ke admin.")
        raise
    _store_preview(batch, result)


def import_checked(*, program, user, name: str, data: bytes, result: validate.ValidationResult) -> ImportBatch:
    """A batch for a file already validated in this process (the CLI): store its preview, keep the result
    for the commit that follows, and so validate it once instead of twice."""
    batch = start_import(program=program, user=user, upload=SimpleUploadedFile(name, data), enqueue=False)
    key = (batch.sha256, rules_for(batch))
    _last_validation.clear()
    _last_validation[key] = result
    _guard_existing(batch, result)
    _store_preview(batch, result)
    return batch


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
    this = ImportBatch.objects.filter(pk=batch.pk)
    this.update(status=Status.COMMITTING, progress=0, progress_text="Menyimpan", heartbeat_at=timezone.now(), error="")
    try:
        with jobs.heartbeat(this):
            good = _read_and_validate(batch).accepted
            with transaction.atomic():
                counts = _write_rows(batch, good, user)
                # In the same transaction as the rows: a kill leaves both unwritten (then recover_stale).
                this.update(status=Status.DONE, created=counts.created, updated=counts.updated, unchanged=counts.unchanged,
                            committed_at=timezone.now(), committed_by=user, progress=100, progress_text="Tersimpan")
    except Exception:
        # Nothing half-written: the transaction rolled back; say so and keep the preview. The database's
        # own text stays in the log: it can quote a whole row (NIK, name) to anyone who sees the batch.
        log.exception("commit of import batch %s failed", batch.pk)
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=Status.PREVIEW, error="Penyimpanan gagal karena galat sistem, tidak ada data yang berubah. "
                                         "Laporkan ke admin bila terulang.")
        raise
    batch.refresh_from_db()
    return counts


def _write_rows(batch: ImportBatch, rows, user) -> CommitCounts:
    program = batch.program
    ensure_regions({r.cleaned["kode_desa"] for r in rows if r.cleaned.get("kode_desa")})
    persons = _upsert_persons(rows)
    existing = _existing(program.pk, [row.cleaned["nik"] for row in rows])
    counts = CommitCounts()
    new, changed = [], []
    for row in rows:
        candidate = existing.get(row.cleaned["nik"])
        if candidate is None:
            new.append(row)
            continue
        old = _apply_row(candidate, row, batch)
        if old:
            changed.append((candidate, old))
        else:
            counts.unchanged += 1
    now = timezone.now()
    _insert_candidates(batch, new, persons, now)
    fields = list(Candidate.IMPORTED_FIELDS) + ["desa", "raw", "problems", "problem_codes", "source_batch", "source_row", "updated_at"]
    Candidate.objects.bulk_update([c for c, _old in changed], fields, batch_size=500)
    counts.created, counts.updated = len(new), len(changed)
    _audit_import(batch, user, new, changed, now)
    from lindung.imports.roster import flag_candidates

    # The rows this file wrote (the rest were flagged when they were written or when a roster came in).
    flag_candidates(Candidate.objects.filter(program=program, source_batch=batch), user=user,
                    note=f"impor {batch.pk}: sudah terdaftar BPJS menurut daftar peserta")
    return counts


def _insert_candidates(batch: ImportBatch, rows, persons: dict[str, int], now) -> None:
    fields = ("program", "person", "desa", "nik", *Candidate.IMPORTED_FIELDS, "raw", "problems", "problem_codes",
              "status", "source_batch", "source_row", "created_at", "updated_at")
    values = []
    for row in rows:
        cleaned = row.cleaned
        problems, codes = _warnings(row)
        imported = [cleaned.get(name) for name in Candidate.IMPORTED_FIELDS]
        imported = [v if v is not None or name == "tanggal_lahir" else "" for name, v in zip(Candidate.IMPORTED_FIELDS, imported)]
        values.append((batch.program_id, persons[cleaned["nik"]], _desa_of(batch, row), cleaned["nik"], *imported,
                       row.raw, problems, codes, CandidateStatus.CALON, batch.pk, row.row_number, now, now))
    insert_many(Candidate, fields, values)


def _audit_import(batch: ImportBatch, user, new_rows, changed, now) -> None:
    """One entry per created or changed candidate: who, when, old and new values (R24)."""
    ids = dict(Candidate.objects.filter(program=batch.program_id, source_batch=batch).values_list("nik", "pk"))
    note = f"impor {batch.pk}"
    model = label(Candidate)
    user_id = user.pk if user else None
    values = [(now, user_id, AuditEntry.Action.CREATE, model, str(ids[r.cleaned["nik"]]), None,
               {k: jsonable(r.cleaned.get(k)) for k in Candidate.IMPORTED_FIELDS}, None, note) for r in new_rows]
    values += [(now, user_id, AuditEntry.Action.UPDATE, model, str(c.pk), old, snapshot(c, old.keys()), None, note)
               for c, old in changed]
    insert_many(AuditEntry, ("at", "user", "action", "model", "object_id", "old", "new", "rows", "note"), values)


def _desa_of(batch: ImportBatch, row) -> str:
    return row.cleaned.get("kode_desa") or batch.desa_id


def _warnings(row) -> tuple[list[dict], str]:
    problems = _problem_dicts(row)
    codes = "".join(f"|{p['code']}|" for p in problems)
    return problems, codes[:400]


def _apply_row(candidate: Candidate, row, batch: ImportBatch) -> dict:
    """Copy the row's non-blank values onto the candidate; return the old values of what changed.

    A blank cell (None) never overwrites a stored value. The raw row, problems and source follow the
    latest upload only when something real changed, so re-uploading the same file changes nothing.
    """
    changes = _changes(candidate, row, batch)
    old = {name: getattr(candidate, name) for name in changes}
    for name, value in changes.items():
        setattr(candidate, name, value)
    if old:
        candidate.problems, candidate.problem_codes = _warnings(row)
        candidate.raw, candidate.source_batch, candidate.source_row = row.raw, batch, row.row_number
        candidate.updated_at = timezone.now()
        old = {k.removesuffix("_id"): v for k, v in old.items()}
        old = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in old.items()}
    return old


def _changes(candidate: Candidate, row, batch: ImportBatch) -> dict:
    """Field -> new value for what the row would change; blank cells change nothing."""
    wanted = {name: row.cleaned.get(name) for name in Candidate.IMPORTED_FIELDS}
    wanted["desa_id"] = _desa_of(batch, row)
    return {name: value for name, value in wanted.items()
            if value is not None and value != "" and getattr(candidate, name) != value}


def _guard_existing(batch: ImportBatch, result: validate.ValidationResult) -> None:
    """Rows that would overwrite a candidate the uploader must not change become errors, before the preview:
    another desa's candidate (a desa operator's upload), or one already past *calon* (verified, submitted…)."""
    existing = _existing(batch.program_id, [row.cleaned.get("nik") for row in result.rows if row.ok])
    if not existing:
        return
    label = result.columns.get("nik", "NIK")
    for row in result.rows:
        candidate = existing.get(row.cleaned.get("nik"))
        if candidate is None or not row.ok:
            continue
        if batch.desa_id and candidate.desa_id != batch.desa_id:
            _reject(row, label, "nik_di_desa_lain", "NIK ini sudah terdaftar sebagai calon di desa/kelurahan lain; "
                                             "baris ini tidak diambil. Hubungi Disnaker bila orangnya pindah.")
        elif candidate.status != CandidateStatus.CALON and _changes(candidate, row, batch):
            _reject(row, label, "calon_sudah_diproses", f"Calon ini sudah berstatus {candidate.get_status_display().lower()}; "
                                                 "datanya tidak diubah lewat unggahan. Hubungi Disnaker untuk koreksi.")


def _existing(program_id: int, niks: list) -> dict[str, Candidate]:
    """NIK -> candidate of the programme, for the file's NIKs only (the (program, nik) unique index): a
    300-row list into a programme of a million reads 300 rows, not a million."""
    wanted = sorted({nik for nik in niks if nik})
    found = {}
    for start in range(0, len(wanted), 5000):  # SQLite's variable limit
        part = wanted[start:start + 5000]
        found.update((c.nik, c) for c in Candidate.objects.filter(program=program_id, nik__in=part).order_by())
    return found


def _reject(row, label: str, code: str, message: str) -> None:
    if not any(p.code == code for p in row.problems):
        row.problems.append(validate.RowProblem(row.row_number, label, code, message, "error"))


def _upsert_persons(rows) -> dict[str, int]:
    """One Person per NIK (returns NIK -> id); identity fields filled from the rows, blanks never overwrite."""
    by_nik = {}
    for row in rows:
        by_nik.setdefault(row.cleaned["nik"], row)
    known = pks_by(Person, "nik", list(by_nik))
    existing = {p.nik: p for p in Person.objects.filter(pk__in=list(known.values()))} if known else {}
    changed = []
    for nik, person in existing.items():
        updates = {k: v for k, v in _identity(by_nik[nik], blank=None).items()
                   if v is not None and getattr(person, k) in ("", None)}
        for name, value in updates.items():
            setattr(person, name, value)
        if updates:
            changed.append(person)
    Person.objects.bulk_update(changed, list(Person.IDENTITY_FIELDS), batch_size=500)
    now = timezone.now()
    fields = ("nik", *Person.IDENTITY_FIELDS, "created_at", "updated_at")
    insert_many(Person, fields, [(nik, *_identity(row, blank="").values(), now, now)
                                 for nik, row in by_nik.items() if nik not in existing])
    return {**known, **pks_by(Person, "nik", [nik for nik in by_nik if nik not in known])}


def _identity(row, *, blank) -> dict:
    values = {name: row.cleaned.get(name) for name in Person.IDENTITY_FIELDS}
    return {k: (blank if v is None and k != "tanggal_lahir" else v) for k, v in values.items()}


def error_file(batch: ImportBatch) -> bytes:
    """The rejected rows as uploaded, with a column explaining each problem, to send back to the desa."""
    result = _read_and_validate(batch, keep=True)
    rejected = [(r.row_number, r.raw, r.problems) for r in result.rejected]
    return xlsx.build_error_file(headers=list(result.headers), rows=rejected)
