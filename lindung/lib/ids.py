"""Ids and versions posted by forms, parsed in one place: ASCII digits within the column's range.

A crafted value ("9" × 30, "²", "-1") is a validation message, never a 500: Python's int() takes what
SQLite (64 bits) and PostgreSQL (integer, bigint) cannot store, and str.isdigit() passes "²".
"""

from __future__ import annotations

from django import forms

MAX_ID = 2**63 - 1  # BigAutoField (DEFAULT_AUTO_FIELD)
MAX_VERSION = 2**31 - 1  # PositiveIntegerField on PostgreSQL


class BadId(ValueError):
    """A posted id or version that is not one; the message is Indonesian."""


def parse_id(text: str, *, maximum: int = MAX_ID, what: str = "nomor") -> int:
    text = (text or "").strip()
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(maximum)) or int(text) > maximum:
        raise BadId(f"{what.capitalize()} {text[:30]!r} tidak sah; muat ulang halaman lalu coba lagi.")
    return int(text)


def parse_ids(values, *, maximum: int = MAX_ID, what: str = "nomor") -> list[int]:
    return [parse_id(value, maximum=maximum, what=what) for value in values]


class IdField(forms.IntegerField):
    """An id or version in a form: whole, not negative, within the column's range, messages in Indonesian."""

    def __init__(self, *, maximum: int = MAX_ID, **kwargs):
        messages = {"invalid": "Nomor tidak sah; muat ulang halaman lalu coba lagi.",
                    "max_value": "Nomor tidak sah; muat ulang halaman lalu coba lagi.",
                    "min_value": "Nomor tidak sah; muat ulang halaman lalu coba lagi.",
                    **kwargs.pop("error_messages", {})}
        super().__init__(min_value=0, max_value=maximum, error_messages=messages, **kwargs)
