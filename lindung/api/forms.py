from django import forms

from lindung.api.tokens import MAX_DAYS


class TokenForm(forms.Form):
    nama = forms.CharField(label="Nama token", max_length=100,
                           help_text="Untuk apa token ini, mis. \u201cOpenSID Desa Moro\u201d.")
    tulis = forms.BooleanField(label="Boleh mengubah data (baca dan tulis)", required=False,
                               help_text="Tanpa centang: hanya membaca.")
    hari = forms.IntegerField(label="Berlaku (hari)", min_value=1, max_value=MAX_DAYS, initial=90)
