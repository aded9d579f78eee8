from django import forms

from lindung.lib.ids import MAX_VERSION, parse_id
from lindung.verification.levels import REASONS
from lindung.verification.models import Decision


class DecisionForm(forms.Form):
    keputusan = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect)
    alasan = forms.ChoiceField(choices=[("", "— pilih alasan bila tidak layak —"), *REASONS.items()], required=False)
    catatan = forms.CharField(max_length=255, required=False)
    berita_acara = forms.FileField(required=False, help_text="PDF atau foto berita acara musyawarah")
    semua = forms.BooleanField(required=False, help_text="terapkan ke semua calon yang cocok dengan saringan")

    def clean(self):
        data = super().clean()
        if data.get("keputusan") == Decision.TIDAK_LAYAK and not data.get("alasan"):
            self.add_error("alasan", "Keputusan tidak layak wajib memilih alasan.")
        return data


def parse_selected(values: list[str]) -> dict[int, int]:
    """Checkboxes carry "id:version" so a stale page is detected, not silently applied.
    A value that is not one (crafted, out of range) raises BadId: nothing is decided."""
    selected = {}
    for value in values:
        pk, _, version = value.partition(":")
        selected[parse_id(pk, what="pilihan calon")] = parse_id(version, maximum=MAX_VERSION, what="versi calon")
    return selected
