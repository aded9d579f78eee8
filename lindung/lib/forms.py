"""Form fields shared by the Indonesian pages."""

from __future__ import annotations

import re

from django import forms

from lindung.lib.format import format_number

_GROUPED = re.compile(r"[0-9]{1,3}(?:\.[0-9]{3})+")  # 201.600.000


class RupiahInput(forms.TextInput):
    """A text box, not <input type=number>: Chromium turns a typed 201.600.000 into 201.600000 there."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "numeric", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        return format_number(value) if isinstance(value, int) else super().format_value(value)


class RupiahField(forms.IntegerField):
    """Whole rupiah as people write them: 201.600.000, Rp 201.600.000 or 201600000; sen are refused."""

    widget = RupiahInput
    default_error_messages = {"invalid": "Tulis jumlah dalam rupiah penuh, mis. 201.600.000 (tanpa sen)."}

    def to_python(self, value):
        if isinstance(value, str):
            text = value.strip()
            if text[:2].lower() == "rp":
                text = text[2:].lstrip(" .")
            text = text.replace(" ", "").replace("\u00a0", "")
            value = text.replace(".", "") if _GROUPED.fullmatch(text) else text
        return super().to_python(value)


def field_errors(form) -> list[str]:
    """Each wrong field's errors, after its label: "Tanggal SP2D: Masukkan tanggal yang valid." — a message that
    only says "isian tidak valid" leaves the operator guessing which box to fix."""
    out = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label).rstrip(":") if field is not None and field.label else ""
        out.append(f"{label}: {' '.join(errors)}" if label else " ".join(errors))
    return out
