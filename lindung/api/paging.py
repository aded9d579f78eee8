"""Cursor pagination: `setelah` is an opaque cursor (the last key of the previous page), `batas` the page size.

A cursor, unlike a page number, stays right while rows are added, and costs the same on page 10.000 as on
page 1 (an index range, not OFFSET)."""

from __future__ import annotations

import base64
import binascii

from lindung.api.tokens import ApiDenied

MAX_BATAS = 500


def encode(key) -> str:
    return base64.urlsafe_b64encode(str(key).encode("utf-8")).decode("ascii").rstrip("=")


def decode(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ApiDenied(422, "kursor_tidak_valid", "Kursor `setelah` tidak valid; pakai nilai `berikutnya` dari halaman sebelumnya.") from None


def page(qs, *, setelah: str | None, batas: int, key: str = "pk", integer: bool = True) -> tuple[list, str | None]:
    """One page of `qs` ordered by `key`, and the cursor of the next page (None at the end)."""
    qs = qs.order_by(key)
    if setelah:
        after = decode(setelah)
        if integer:
            if not after.isdigit() or len(after) > 18:
                raise ApiDenied(422, "kursor_tidak_valid", "Kursor `setelah` tidak valid; pakai nilai `berikutnya` dari halaman sebelumnya.")
            after = int(after)
        qs = qs.filter(**{f"{key}__gt": after})
    rows = list(qs[: batas + 1])
    more = len(rows) > batas
    rows = rows[:batas]
    if not more:
        return rows, None
    last = rows[-1]
    return rows, encode(last[key] if isinstance(last, dict) else last.pk)
