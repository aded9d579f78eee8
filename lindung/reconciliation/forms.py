import re

from django import forms

from lindung.lib.forms import RupiahField
from lindung.reconciliation.models import ReconciliationLine

_MONTH_RE = re.compile(r"[0-9]{4}-[0-9]{2}")


class TagihanForm(forms.Form):
    bulan = forms.CharField(label="Bulan tagihan (TTTT-BB)", max_length=7,
                            widget=forms.TextInput(attrs={"type": "month", "placeholder": "2025-11"}))
    berkas = forms.FileField(label="Berkas tagihan BPJS (xlsx/csv): NIK, No. KPJ, Nama, Bulan, Iuran")

    def clean_bulan(self):
        value = self.cleaned_data["bulan"].strip()
        if not _MONTH_RE.fullmatch(value):
            raise forms.ValidationError("Tulis bulan sebagai TTTT-BB, misalnya 2025-11.")
        return value


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(label="Penyelesaian", choices=[
        (ReconciliationLine.Resolution.DIJELASKAN, ReconciliationLine.Resolution.DIJELASKAN.label),
        (ReconciliationLine.Resolution.DITERIMA, ReconciliationLine.Resolution.DITERIMA.label)])
    alasan = forms.CharField(label="Alasan", max_length=255,
                             widget=forms.TextInput(attrs={"placeholder": "mis. BPJS belum memproses penonaktifan"}))


class PaymentForm(forms.Form):
    sp2d_nomor = forms.CharField(label="Nomor SP2D", max_length=100)
    sp2d_tanggal = forms.DateField(label="Tanggal SP2D",
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    jumlah = RupiahField(label="Jumlah (rupiah)", min_value=1)
