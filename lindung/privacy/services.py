"""Writes to the privacy records, each in one transaction with its audit entry."""

from __future__ import annotations

from django.db import transaction

from lindung.accounts.models import AuditEntry
from lindung.lib.audit import record_change, snapshot
from lindung.privacy.models import ProcessingActivity


@transaction.atomic
def save_activity(*, user, pemda_kode: str | None, kode: str, data: dict) -> ProcessingActivity:
    """Save a register entry for the user's pemda: the first edit copies the installation's default."""
    own = ProcessingActivity.objects.select_for_update().filter(pemda_id=pemda_kode, kode=kode).first()
    if own is None:
        default = ProcessingActivity.objects.get(pemda=None, kode=kode)
        own = ProcessingActivity(pemda_id=pemda_kode, kode=kode, urutan=default.urutan,
                                 **{name: getattr(default, name) for name in ProcessingActivity.EDITABLE})
        old = None
    else:
        old = snapshot(own, ProcessingActivity.EDITABLE)
    for name in ProcessingActivity.EDITABLE:
        setattr(own, name, data[name])
    own.updated_by = user
    own.save()
    record_change(user, own, old=old, new=snapshot(own, ProcessingActivity.EDITABLE), note=f"catatan pemrosesan {kode}")
    return own


def record_subject_access(*, user, record, pemohon: str, alasan: str) -> AuditEntry:
    """A subject-access answer showed one person's full data: logged like any full-NIK export."""
    held = len(record.candidates) + len(record.bpjs)
    return AuditEntry.objects.create(
        user=user, action=AuditEntry.Action.EXPORT_NIK, model="registry.person",
        object_id=str(record.person.pk) if record.person else "", rows=1,
        note=f"akses subjek data ({held} catatan); pemohon: {pemohon}; alasan: {alasan}"[:200])
