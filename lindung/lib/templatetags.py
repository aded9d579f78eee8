"""Template filters loaded as builtins (settings.TEMPLATES): {{ x|rupiah }}, {{ d|tanggal }}, {{ n|angka }}.

People's identity goes through the page's `disclosure` (lindung.accounts.access): {{ c.nik|nik:disclosure }},
{{ c.no_kk|kk:disclosure }}, {{ c.tanggal_lahir|lahir:disclosure }}, {{ c.nama_ibu|ibu:disclosure }},
{{ p|masalah:disclosure }}, {% for k, v in e.old|rincian:disclosure %}. Without one they mask.
"""

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


def _shown(disclosure):
    from lindung.accounts.access import MASKED, Disclosure

    return disclosure if isinstance(disclosure, Disclosure) else MASKED


@register.filter("nik")
def nik_shown(value, disclosure=None) -> str:
    return _shown(disclosure).nik(value)


@register.filter("kk")
def kk_shown(value, disclosure=None) -> str:
    return _shown(disclosure).kk(value)


@register.filter("lahir")
def birth_date_shown(value, disclosure=None) -> str:
    return _shown(disclosure).tanggal_lahir(value)


@register.filter("ibu")
def mother_shown(value, disclosure=None) -> str:
    return _shown(disclosure).nama_ibu(value)


@register.filter("masalah")
def problem_shown(problem, disclosure=None) -> str:
    return _shown(disclosure).problem(problem)


@register.filter("rincian")
def audit_values_shown(values, disclosure=None) -> list:
    return _shown(disclosure).fields(values)
