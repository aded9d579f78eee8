"""Every value a person sees is a label (issue 16): field names in words, dates, occupations, desa by name."""

from datetime import date

import pytest
from django.template import Context, Template

from lindung.accounts.access import FULL, MASKED
from lindung.accounts.models import AuditEntry
from lindung.lib.format import field_label, format_value


def test_it_writes_field_names_as_words():
    assert field_label("tanggal_lahir") == "tanggal lahir"
    assert field_label("no_kk") == "No. KK"


def test_it_shows_values_as_people_read_them():
    assert format_value(None) == "–" and format_value("None") == "–"
    assert format_value("1990-03-05") == "5 Maret 1990"
    assert format_value(date(1961, 11, 8)) == "8 November 1961"
    assert format_value("pedagang_kecil", "pekerjaan") == "Pedagang kecil"
    assert format_value("P", "jenis_kelamin") == "Perempuan"
    assert format_value("tidak_layak", "status") == "Tidak layak"


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_the_change_history_has_no_snake_case_iso_date_or_none():
    values = {"tanggal_lahir": "1961-11-08", "keterangan": None, "pekerjaan": "buruh_harian_lepas", "nama_ibu": "Siti"}
    shown = _render("{% for k, v in values|rincian:d %}{{ k }}: {{ v }}; {% endfor %}", values=values, d=FULL)
    assert shown == "tanggal lahir: 8 November 1961; keterangan: –; pekerjaan: Buruh harian lepas; nama ibu: Siti; "
    masked = _render("{% for k, v in values|rincian:d %}{{ k }}: {{ v }}; {% endfor %}", values=values, d=MASKED)
    assert "tahun 1961" in masked and "Siti" not in masked


def test_the_legal_basis_is_cited_once():
    aturan = ["PP 44/2015 Lampiran II jo. PP 82/2019 dan PP 49/2023", "PP 44/2015 jo. PP 82/2019 dan PP 49/2023"]
    assert _render("{{ a|dasar_hukum }}", a=aturan) == "PP 44/2015 Lampiran II jo. PP 82/2019 dan PP 49/2023"


def test_it_names_the_upload_behind_an_audit_entry():
    entry = AuditEntry(action=AuditEntry.Action.CREATE, note="impor 5")
    assert _render("{{ e|tindakan_audit }}", e=entry) == "Dibuat — dari unggahan no. 5"


@pytest.mark.django_db
def test_it_shows_a_desa_by_name_with_its_code():
    assert _render("{{ k|desa }}", k="21.02.01.1003") == 'Moro <small class="hint">21.02.01.1003</small>'
