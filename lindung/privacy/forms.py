from django import forms

from lindung.privacy.models import ProcessingActivity


class ProcessingActivityForm(forms.ModelForm):
    class Meta:
        model = ProcessingActivity
        fields = ProcessingActivity.EDITABLE
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in
                   ("tujuan", "rincian_dasar", "kategori_data", "penerima", "masa_simpan", "pengamanan")}
