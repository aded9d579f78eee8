from django import forms

from lindung.lib.ids import MAX_VERSION, BadId, parse_id
from lindung.verification.levels import LEVELS, REASONS
from lindung.verification.models import Decision
from lindung.verification.services import Shown


class DecisionForm(forms.Form):
    keputusan = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect)
    alasan = forms.ChoiceField(choices=[("", "— pilih alasan bila tidak layak —"), *REASONS.items()], required=False)
    catatan = forms.CharField(max_length=255, required=False)
    berita_acara = forms.FileField(required=False, help_text="PDF atau foto berita acara musyawarah")
    semua = forms.BooleanField(required=False, help_text="terapkan ke semua calon yang cocok dengan saringan")
    # What the page showed (services.Shown): *semua* decides only those candidates, at those levels.
    tingkat = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    antrean = forms.CharField(required=False, max_length=50, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("keputusan") == Decision.TIDAK_LAYAK and not data.get("alasan"):
            self.add_error("alasan", "Keputusan tidak layak wajib memilih alasan.")
        data["shown"] = _shown(data.get("tingkat", ""), data.get("antrean", ""))
        return data


def _shown(tingkat: str, antrean: str):
    """The page's Shown, or None when the form did not carry it (or carried something that is not one)."""
    levels = tuple(code for code in tingkat.split(",") if code)
    decision, _, candidate = antrean.partition(".")
    if not antrean or any(code not in LEVELS for code in levels):
        return None
    try:
        return Shown(levels, parse_id(decision), parse_id(candidate))
    except BadId:
        return None


def parse_selected(values: list[str]) -> dict[int, int]:
    """Checkboxes carry "id:version" so a stale page is detected, not silently applied.
    A value that is not one (crafted, out of range) raises BadId: nothing is decided."""
    selected = {}
    for value in values:
        pk, _, version = value.partition(":")
        selected[parse_id(pk, what="pilihan calon")] = parse_id(version, maximum=MAX_VERSION, what="versi calon")
    return selected
