from django import forms

from lindung.billing.models import PaguChange
from lindung.lib.forms import RupiahField


class PaguForm(forms.Form):
    jenis = forms.ChoiceField(label="Jenis perubahan", choices=[c for c in PaguChange.Jenis.choices if c[0] != "murni"])
    pagu = RupiahField(label="Pagu baru (rupiah, seluruhnya)", min_value=0)
    nomor_dokumen = forms.CharField(label="Nomor Perda/Perkada/DPA", max_length=150)
    tanggal = forms.DateField(label="Tanggal dokumen", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    berlaku = forms.DateField(label="Mulai membiayai bulan", required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                              help_text="kosong = bulan sesudah tanggal dokumen")
    catatan = forms.CharField(max_length=255, required=False)
