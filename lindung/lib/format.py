"""Indonesian display formats: Rp16.800, 13 November 2025, 59,29 %."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime

from django.utils import timezone

from lindung.domain.periods import MONTH_NAMES_ID
from lindung.domain.rates import rupiah


def format_rupiah(amount: int | None) -> str:
    return "–" if amount is None else rupiah(int(amount))


def format_number(value: int | None) -> str:
    if value is None:
        return "–"
    return f"{int(value):,}".replace(",", ".")


def format_date(value: date | datetime | None) -> str:
    """13 November 2025; a stored (UTC) datetime is shown on the local calendar day."""
    if value is None:
        return "–"
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return f"{value.day} {MONTH_NAMES_ID[value.month - 1]} {value.year}"


def format_month_short(value) -> str:
    """Jul 2025: a month (a date or a periods.Month) where a full name is too wide, as a chart's axis."""
    return f"{MONTH_NAMES_ID[value.month - 1][:3]} {value.year}"


# Field names as people read them (change history, audit columns). A field not listed reads as its
# words: "tempat_lahir" -> "tempat lahir". Never a snake_case token on a page.
FIELD_LABELS: dict[str, str] = {
    "nik": "NIK", "no_kk": "No. KK", "no_hp": "No. HP", "rt": "RT", "rw": "RW", "kpj": "No. KPJ",
    "bpjs_kpj": "No. KPJ BPJS", "bpjs_segmen": "segmen BPJS", "kode_desa": "desa/kelurahan", "desa": "desa/kelurahan",
    "desa_id": "desa/kelurahan", "raw": "baris asli", "keterangan": "keterangan", "status": "status",
    "sp2d_nomor": "nomor SP2D", "baris_dibayar": "baris dibayar",
}
_JENIS_KELAMIN = {"L": "Laki-laki", "P": "Perempuan"}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, str(name).replace("_", " "))


def _iso_date(value: str):
    """A date (or datetime) written as ISO text, as JSON previews and audit entries keep them; else None."""
    if len(value) < 10 or value[4] != "-" or value[7] != "-":
        return None
    try:
        return datetime.fromisoformat(value) if len(value) > 10 else date.fromisoformat(value)
    except ValueError:
        return None


def format_value(value, field: str = "") -> str:
    """Any stored value as a person reads it: no None, no ISO dates, no occupation or status keys."""
    from lindung.domain.pekerjaan import PEKERJAAN

    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, (date, datetime)):
        return format_date(value)
    if isinstance(value, dict):
        return f"{len(value)} kolom" if field == "raw" else "; ".join(f"{field_label(k)}: {format_value(v, k)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(v, field) for v in value) or "–"
    text = str(value)
    if text == "None":
        return "–"
    if field == "pekerjaan" or text in PEKERJAAN:
        return PEKERJAAN.get(text, text)
    if field == "jenis_kelamin":
        return _JENIS_KELAMIN.get(text, text)
    if field in {"kode_desa", "desa", "desa_id"}:
        return format_region(text)
    if field == "status":
        return status_label(text)
    parsed = _iso_date(text)
    if parsed is not None:
        return format_date(parsed)
    return text


def format_region(code: str | None) -> str:
    """"Moro (21.02.01.1003)": a desa/kelurahan or any region by name, its code after it."""
    from lindung.domain import wilayah

    if not code:
        return "–"
    region = wilayah.get(str(code))
    return f"{region.nama} ({region.kode})" if region else str(code)


def status_label(code: str) -> str:
    from lindung.imports.models import CandidateStatus

    return dict(CandidateStatus.choices).get(code, str(code).replace("_", " "))


_NIK_IN_TEXT = re.compile(r"(?<!\d)\d{16}(?!\d)")


def niks_in_text(text: str | None, show: Callable[[str], str]) -> str:
    """A sentence with every 16-digit number (a NIK quoted by a check or typed in a reason) passed through
    `show`, so a masked reader sees "2102 02•• •••• ••••" inside the text as in the NIK column."""
    return _NIK_IN_TEXT.sub(lambda m: show(m.group(0)), text or "")
