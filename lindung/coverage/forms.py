from django import forms


class SemestaForm(forms.Form):
    sumber = forms.CharField(label="Sumber data", max_length=200, help_text="mis. Pendataan Disnaker 2025, DTSEN, BPS Sakernas")
    tahun = forms.IntegerField(label="Tahun data", min_value=1990, max_value=2100)
    berkas = forms.FileField(label="Berkas (xlsx atau csv)", help_text="kolom Kode Wilayah dan Jumlah; boleh Pekerjaan dan Jenis Kelamin")
