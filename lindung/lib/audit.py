"""The audit trail (UU PDP Pasal 31, R24): who changed what, and who saw or exported full NIKs.

Services call these inside their own transaction, so a rolled-back change leaves no audit entry either.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import models

from lindung.accounts.models import AuditEntry


def jsonable(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(instance: models.Model, fields) -> dict:
    return {name: jsonable(getattr(instance, name)) for name in fields}


def label(instance_or_model) -> str:
    return instance_or_model._meta.label_lower


def change_entry(user, instance: models.Model, *, old: dict | None, new: dict | None, note: str = "") -> AuditEntry:
    """An unsaved entry: callers that write thousands of rows bulk_create them in one go."""
    if old is None:
        action = AuditEntry.Action.CREATE
    elif new is None:
        action = AuditEntry.Action.DELETE
    else:
        action = AuditEntry.Action.UPDATE
    return AuditEntry(user=user, action=action, model=label(instance), object_id=str(instance.pk),
                      old=old, new=new, note=note[:200])


def record_change(user, instance: models.Model, *, old: dict | None, new: dict | None, note: str = "") -> AuditEntry:
    entry = change_entry(user, instance, old=old, new=new, note=note)
    entry.save()
    return entry


def record_nik_access(user, *, model, rows: int, export: bool = False, note: str = "") -> AuditEntry | None:
    """Log a page or file that showed full NIKs: who, when, how many rows. Nothing shown, nothing logged."""
    if rows <= 0:
        return None
    action = AuditEntry.Action.EXPORT_NIK if export else AuditEntry.Action.VIEW_NIK
    return AuditEntry.objects.create(user=user, action=action, model=label(model), rows=rows, note=note[:200])


def trail(instance: models.Model):
    return AuditEntry.objects.filter(model=label(instance), object_id=str(instance.pk)).select_related("user")
