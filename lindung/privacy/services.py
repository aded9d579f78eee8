"""Writes to the privacy records, each in one transaction with its audit entry."""

from __future__ import annotations

from django.db import transaction

from lindung.accounts.models import AuditEntry
from lindung.lib.audit import record_change, snapshot
from django.utils import timezone

from lindung.privacy.models import Incident, ProcessingActivity


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


def _incident_snapshot(incident: Incident) -> dict:
    return {**snapshot(incident, Incident.AUDITED), "programs": sorted(incident.programs.values_list("slug", flat=True)),
            "nik_terdampak": len(incident.niks)}  # a count: the audit trail need not repeat the NIKs


@transaction.atomic
def save_incident(*, user, form, pemda_kode: str | None) -> Incident:
    """Create or update an incident from a valid IncidentForm, audited."""
    old = _incident_snapshot(Incident.objects.get(pk=form.instance.pk)) if form.instance.pk else None
    incident = form.save(commit=False)
    if old is None:
        incident.pemda_id, incident.created_by = pemda_kode, user
    incident.save()
    form.save_m2m()
    record_change(user, incident, old=old, new=_incident_snapshot(incident), note="insiden data pribadi")
    return incident


@transaction.atomic
def update_incident(*, user, incident: Incident, note: str, **changes) -> Incident:
    """Notices or status; the first move to *diberitahukan* stamps when the notices went out."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    old = _incident_snapshot(incident)
    for name, value in changes.items():
        setattr(incident, name, value)
    if incident.status == Incident.Status.DIBERITAHUKAN and incident.notified_at is None:
        incident.notified_at = timezone.now()
    incident.save()
    record_change(user, incident, old=old, new=_incident_snapshot(incident), note=note)
    return incident
