from django import forms


class RenewalForm(forms.Form):
    slug = forms.SlugField(label="Kode program baru", max_length=60, help_text="mis. ppu-2026-kab")
    nama = forms.CharField(label="Nama program baru", max_length=200, required=False,
                           help_text="kosongkan: nama lama dengan tahun baru")
    pagu = forms.IntegerField(label="Pagu tahun baru (rupiah)", min_value=1)
    mulai = forms.DateField(label="Awal perlindungan", widget=forms.DateInput(attrs={"type": "date"}))
    selesai = forms.DateField(label="Akhir perlindungan", widget=forms.DateInput(attrs={"type": "date"}))
    verifikasi_ulang = forms.BooleanField(label="Minta putaran verifikasi ulang", required=False)
    kohort = forms.BooleanField(label="Langsung bentuk kohort (KPJ peserta terdaftar dibawa)", required=False,
                                initial=True)
