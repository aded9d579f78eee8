"""Template filters loaded as builtins (settings.TEMPLATES): {{ x|rupiah }}, {{ d|tanggal }}, {{ n|angka }}.

People's identity goes through the page's `disclosure` (lindung.accounts.access): {{ c.nik|nik:disclosure }},
{{ c.no_kk|kk:disclosure }}, {{ c.tanggal_lahir|lahir:disclosure }}, {{ c.nama_ibu|ibu:disclosure }},
{{ p|masalah:disclosure }}, {% for k, v in e.old|rincian:disclosure %}. Without one they mask.

Machine values become words here, in one place (issue 16): {{ code|desa }} "Moro (21.02.01.1003)",
{{ name|kolom }} "tanggal lahir", {{ value|nilai:"pekerjaan" }}, {{ p|kode_masalah }}, {{ e|tindakan_audit }}.
"""

from django import template

import re
from urllib.parse import urlsplit

from django.utils.html import format_html

from lindung.lib.format import field_label, format_date, format_number, format_region, format_rupiah, format_value, \
    niks_in_text

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


@register.filter("teks")
def text_shown(value, disclosure=None) -> str:
    """Free text that may quote a NIK (a reconciliation line's note, a typed reason): {{ line.detail|teks:disclosure }}."""
    return niks_in_text(value, _shown(disclosure).nik)


@register.filter("nik")
def nik_shown(value, disclosure=None) -> str:
    return _shown(disclosure).nik(value)


@register.filter("kk")
def kk_shown(value, disclosure=None) -> str:
    return _shown(disclosure).kk(value)


@register.filter("hp")
def phone_shown(value, disclosure=None) -> str:
    return _shown(disclosure).no_hp(value)


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
    """(field in words, value in words); identity fields are masked first by the disclosure."""
    masked = {"nik", "no_kk", "tanggal_lahir", "nama_ibu", "no_hp"}
    return [(field_label(name), shown if name in masked else format_value(shown, name))
            for name, shown in _shown(disclosure).fields(values)]


register.filter("kolom", field_label)
register.filter("nilai", format_value)


@register.filter("desa")
def region_shown(code) -> str:
    """A desa by name with its code in small type."""
    text = format_region(code)
    if not code or text == str(code):
        return text
    name = text.rsplit(" (", 1)[0]
    return format_html('{} <small class="hint">{}</small>', name, text.rsplit(" (", 1)[1].rstrip(")"))


@register.filter("kode_masalah")
def problem_code_label(code) -> str:
    from lindung.imports.validate import PROBLEM_CODES

    return PROBLEM_CODES.get(str(code or ""), field_label(str(code or "")))


_IMPORT_NOTE = re.compile(r"^impor (\d+)(?::\s*(.*))?$")


@register.filter("tindakan_audit")
def audit_action_shown(entry) -> str:
    """ "Dibuat dari unggahan no. 5" instead of "buat impor 5"."""
    verbs = {"create": "Dibuat", "update": "Diubah", "delete": "Dihapus"}
    verb = verbs.get(entry.action, entry.get_action_display().capitalize())
    note = (entry.note or "").strip()
    found = _IMPORT_NOTE.match(note)
    if found:
        note = f"dari unggahan no. {found.group(1)}" + (f" ({found.group(2)})" if found.group(2) else "")
    return f"{verb} — {note}" if note else verb


@register.filter("dasar_hukum")
def legal_basis(aturan) -> str:
    """The iuran's regulations, each once: JKK cites "PP 44/2015 Lampiran II jo. …" and JKM "PP 44/2015 jo. …",
    which is the same regulation; the more specific one (first) is kept."""
    shown: dict[str, str] = {}
    for name in aturan or ():
        shown.setdefault(re.sub(r"\s+Lampiran\s+\w+", "", str(name)).strip(), str(name))
    return "; ".join(shown.values())


@register.filter("halaman_sebelumnya")
def previous_page(request) -> str:
    """The referring page of this site (error pages' "Kembali"), never another site's address."""
    if request is None or not hasattr(request, "META"):
        return ""
    referer = request.META.get("HTTP_REFERER", "")
    parts = urlsplit(referer)
    if not referer or parts.netloc != request.get_host() or parts.path == request.path:
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


@register.filter("pesan_404")
def not_found_message(exception) -> str:
    """Our own Http404 messages are Indonesian; Django's defaults ("No Program matches…") are not shown."""
    text = str(exception or "")
    if not text or re.match(r"^(No .* matches the given query|.*(not found|does not exist).*)\.?$", text, re.I):
        return ""
    if text.startswith(("{", "[")) or "Resolver404" in text or "'path'" in text or "tried" in text:
        return ""
    return text
