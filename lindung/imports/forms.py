from django import forms

MAX_UPLOAD_MB = 50


class UploadForm(forms.Form):
    berkas = forms.FileField(label="Berkas Excel atau CSV", help_text="xlsx, xls, ods atau csv; paling besar 50 MB")

    def clean_berkas(self):
        berkas = self.cleaned_data["berkas"]
        if berkas.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"Berkas terlalu besar ({berkas.size // (1024 * 1024)} MB); batasnya {MAX_UPLOAD_MB} MB.")
        if berkas.size == 0:
            raise forms.ValidationError("Berkas kosong.")
        return berkas


class RosterForm(forms.Form):
    berkas = forms.FileField(label="Daftar peserta dari BPJS (xlsx/csv): NIK, Nama, Tanggal Lahir, No. KPJ, Segmen")
