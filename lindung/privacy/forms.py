from django import forms

from lindung.privacy.models import ProcessingActivity


class ProcessingActivityForm(forms.ModelForm):
    class Meta:
        model = ProcessingActivity
        fields = ProcessingActivity.EDITABLE
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ("tujuan", "rincian_dasar", "kategori_data", "penerima", "masa_simpan", "pengamanan")}


class SubjectAccessForm(forms.Form):
    nik = forms.CharField(label="NIK", max_length=20)
    pemohon = forms.CharField(label="Pemohon", max_length=80,
                              help_text="Nama orang yang meminta (subjek data sendiri atau kuasanya) dan cara ia membuktikan diri.")
    alasan = forms.CharField(label="Alasan / dasar permintaan", max_length=100)

    def clean_nik(self):
        digits = "".join(ch for ch in self.cleaned_data["nik"] if ch.isdigit())
        if len(digits) != 16:
            raise forms.ValidationError("NIK harus 16 angka.")
        return digits
