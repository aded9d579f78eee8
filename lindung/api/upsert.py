"""Bulk upsert from another system through the Excel import's own path: the rows become a csv with the
template's headers, and the import services validate, guard and commit it. Same checks, same problem
codes, one transaction, idempotent by NIK; the batch shows on the programme page like any upload."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from lindung.api.tokens import ApiDenied
from lindung.imports import services
from lindung.imports.columns import BY_KEY
from lindung.imports.models import ImportBatch

KEYS = ("nik", "nama", "tanggal_lahir", "jenis_kelamin", "tempat_lahir", "alamat", "rt", "rw", "kode_desa",
        "pekerjaan", "no_hp", "nama_ibu", "no_kk", "keterangan")
LABELS = {key: BY_KEY[key].label for key in KEYS}


class _Rollback(Exception):
    def __init__(self, result: dict):
        self.result = result


def to_csv(rows: list[dict]) -> bytes:
    """The rows as the csv the import reader reads. Every field quoted, the values exactly as sent: this is
    input to our own validation, not a spreadsheet for people, so nothing is neutralised or changed here
    (lib.sheets does that for files people open)."""
    lines = [_csv_line(LABELS[key] for key in KEYS)]
    lines += [_csv_line("" if row.get(key) is None else str(row[key]) for key in KEYS) for row in rows]
    return "\r\n".join(lines).encode("utf-8") + b"\r\n"


def _csv_line(values) -> str:
    return ",".join('"' + value.replace('"', '""') + '"' for value in values)


def upsert(*, program, user, rows: list[dict], dry_run: bool, source=None) -> dict:
    membership = getattr(user, "membership", None)
    desa = membership.wilayah if membership is not None and membership.is_desa and not user.is_superuser else None
    name = f"api-{source.prefix if source else 'cli'}.csv"
    upload = SimpleUploadedFile(name, to_csv(rows), content_type="text/csv")
    stored = []
    try:
        with transaction.atomic():
            batch = services.start_import(program=program, user=user, upload=upload, desa=desa, enqueue=False)
            stored.append(batch.file.name)
            services.run_validation(batch)
            batch.refresh_from_db()
            if batch.status != ImportBatch.Status.PREVIEW or batch.rows_rejected:
                raise ApiDenied(422, "baris_bermasalah", _refusal(batch), _problems(batch, errors=True))
            if dry_run:
                raise _Rollback(_result(batch, len(rows), dry_run=True))
            counts = services.commit(batch, user=user)
    except (ApiDenied, _Rollback) as exc:
        _delete_files(program, stored)
        if isinstance(exc, _Rollback):
            return exc.result
        raise
    except Exception:
        _delete_files(program, stored)
        raise
    batch.created, batch.updated, batch.unchanged = counts.created, counts.updated, counts.unchanged
    return _result(batch, len(rows), dry_run=False)


def _refusal(batch) -> str:
    if batch.status == ImportBatch.Status.FAILED:
        return f"Daftar tidak dapat diperiksa: {batch.error}. Tidak ada yang disimpan."
    return (f"{batch.rows_rejected} dari {batch.rows_total} baris bermasalah; tidak ada yang disimpan. "
            "Perbaiki baris di `rincian` lalu kirim ulang seluruhnya.")


def _problems(batch, *, errors: bool) -> list[dict]:
    keys = {label: key for key, label in LABELS.items()}
    wanted = "error" if errors else "warning"
    found = [{"baris": 0, "kolom": keys.get(p.get("column", ""), p.get("column", "")), "kode": p["code"],
              "pesan": p["message"], "tingkat": p["severity"]} for p in batch.file_problems if p["severity"] == wanted]
    found += [{"baris": p["row"] - 1, "kolom": keys.get(p["column"], p["column"]), "kode": p["code"],
               "pesan": p["message"], "tingkat": p["severity"]} for p in batch.problems if p["severity"] == wanted]
    return found


def _result(batch, rows: int, *, dry_run: bool) -> dict:
    return {"baris": rows, "dibuat": batch.created, "diubah": batch.updated, "tetap": batch.unchanged,
            "periksa_saja": dry_run, "unggahan": None if dry_run else batch.pk,
            "peringatan": _problems(batch, errors=False)}


def _delete_files(program, names: list[str]) -> None:
    from django.core.files.storage import default_storage

    for name in names:
        if default_storage.exists(name):
            default_storage.delete(name)
