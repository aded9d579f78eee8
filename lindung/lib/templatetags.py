"""Template filters loaded as builtins (settings.TEMPLATES): {{ x|rupiah }}, {{ d|tanggal }}, {{ n|angka }}."""

from django import template

from lindung.lib.format import format_date, format_number, format_rupiah

register = template.Library()
register.filter("rupiah", format_rupiah)
register.filter("tanggal", format_date)
register.filter("angka", format_number)


@register.filter("pekerjaan")
def pekerjaan_label(code: str | None) -> str:
    from lindung.domain.pekerjaan import PEKERJAAN

    return PEKERJAAN.get(code or "", code or "–")
