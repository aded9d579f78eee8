from django import forms

from django.utils import timezone

from lindung.privacy.downloads import ExportPasswordForm
from lindung.privacy.models import Incident, ProcessingActivity
from lindung.programs.models import Program


class ProcessingActivityForm(forms.ModelForm):
    class Meta:
        model = ProcessingActivity
        fields = ProcessingActivity.EDITABLE
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ("tujuan", "rincian_dasar", "kategori_data", "penerima", "masa_simpan", "pengamanan")}


class SubjectAccessForm(ExportPasswordForm):
    """Who asks about which NIK, and the password the answer (full NIK, mother's name, KK) is locked with."""

    field_order = ["nik", "pemohon", "alasan", "sandi", "sandi_ulang"]
    nik = forms.CharField(label="NIK", max_length=20)
    pemohon = forms.CharField(label="Pemohon", max_length=80,
                              help_text="Nama orang yang meminta (subjek data sendiri atau kuasanya) dan cara ia membuktikan diri.")
    alasan = forms.CharField(label="Alasan / dasar permintaan", max_length=100)

    def clean_nik(self):
        digits = "".join(ch for ch in self.cleaned_data["nik"] if ch.isdigit())
        if len(digits) != 16:
            raise forms.ValidationError("NIK harus 16 angka.")
        return digits


class IncidentForm(forms.ModelForm):
    class Meta:
        model = Incident
        fields = ("judul", "discovered_at", "kejadian", "kategori_data", "jumlah_terdampak", "nik_terdampak",
                  "programs", "penanganan")
        widgets = {
            "discovered_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "programs": forms.CheckboxSelectMultiple,
            **{name: forms.Textarea(attrs={"rows": 3}) for name in ("kejadian", "kategori_data", "nik_terdampak", "penanganan")},
        }
        help_texts = {"discovered_at": "Waktu setempat. Batas pemberitahuan: 3 × 24 jam sejak saat ini (UU PDP Pasal 46)."}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programs"].queryset = Program.objects.visible_to(user)

    def clean_discovered_at(self):
        value = self.cleaned_data["discovered_at"]
        if value > timezone.now():
            raise forms.ValidationError("Waktu diketahui tidak boleh di masa depan.")
        return value

    def clean_nik_terdampak(self):
        lines = [line.strip().replace(" ", "") for line in self.cleaned_data["nik_terdampak"].splitlines()]
        bad = [str(number) for number, nik in enumerate(lines, start=1) if nik and not (nik.isdigit() and len(nik) == 16)]
        if bad:
            raise forms.ValidationError(f"NIK harus 16 angka, satu per baris; periksa baris {', '.join(bad)}.")
        return "\n".join(dict.fromkeys(nik for nik in lines if nik))

    def clean(self):
        data = super().clean()
        if data.get("jumlah_terdampak") is None and not data.get("nik_terdampak"):
            raise forms.ValidationError("Isi jumlah orang terdampak, atau daftar NIK terdampak, atau keduanya.")
        return data


class NoticeForm(forms.Form):
    notice_subjek = forms.CharField(label="Pemberitahuan kepada subjek data", widget=forms.Textarea(attrs={"rows": 14}))
    notice_lembaga = forms.CharField(label="Pemberitahuan kepada lembaga", widget=forms.Textarea(attrs={"rows": 14}))


class IncidentStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=Incident.Status.choices)
