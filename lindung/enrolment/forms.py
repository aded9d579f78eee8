from django import forms

from lindung.enrolment.models import Priority


class CohortForm(forms.Form):
    mulai = forms.DateField(label="Awal perlindungan", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                            help_text="kosong = awal menurut PKS")
    bulan = forms.IntegerField(label="Jumlah bulan", required=False, min_value=1, max_value=12)
    alasan_mulai = forms.CharField(label="Alasan bila awal berbeda dari PKS", required=False, max_length=255)
    prioritas = forms.ChoiceField(label="Urutan prioritas", choices=Priority.choices)


class SkForm(forms.Form):
    nomor_sk = forms.CharField(label="Nomor SK", max_length=100)
    # <input type="date"> only takes ISO dates; a localised value would show as blank.
    tanggal_sk = forms.DateField(label="Tanggal SK", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    tempat_sk = forms.CharField(label="Tempat penetapan", max_length=80)
    penandatangan_jabatan = forms.CharField(label="Jabatan penandatangan", max_length=150)
    penandatangan_nama = forms.CharField(label="Nama penandatangan", max_length=150)


class ResponseForm(forms.Form):
    berkas = forms.FileField(label="Berkas jawaban BPJS (xlsx/csv)")


# Why a seat is given up (R16): each has its own code.
RELEASE_REASONS = [
    ("meninggal", "Meninggal dunia"),
    ("pindah", "Pindah domisili"),
    ("penerima_upah", "Menjadi pekerja penerima upah"),
    ("ganda", "Data ganda"),
    ("mengundurkan_diri", "Mengundurkan diri"),
    ("usia", "Melewati usia maksimum program"),
]


class ReleaseForm(forms.Form):
    alasan = forms.ChoiceField(choices=RELEASE_REASONS)
    # The day of death, or a day of the last month still covered (moved, wage worker, …): billed through
    # that month, not after (R16). Empty only for someone never covered (not yet registered with BPJS).
    tanggal = forms.DateField(label="Tanggal meninggal / bulan terakhir dilindungi", required=False,
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    catatan = forms.CharField(max_length=200, required=False)
    # "Pindah" to a kabupaten/kota running its own programme here: offered to its waiting list (its operator decides).
    tujuan = forms.CharField(label="Kode kabupaten/kota tujuan (pindah)", max_length=5, required=False,
                             widget=forms.TextInput(attrs={"placeholder": "kab. tujuan, mis. 64.09", "size": 8}))
