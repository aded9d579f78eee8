from django import forms

from lindung.lib.ids import MAX_VERSION, IdField
from lindung.linkage.models import MatchPair

REQUIRED_REASON = {"required": "Tuliskan alasan keputusan."}


class PairDecisionForm(forms.Form):
    keputusan = forms.ChoiceField(choices=[(MatchPair.Status.SAME, "Sama — orang yang sama"),
                                           (MatchPair.Status.DIFFERENT, "Berbeda — dua orang")],
                                  widget=forms.RadioSelect, error_messages={"required": "Pilih keputusan: sama atau berbeda."})
    alasan = forms.CharField(max_length=255, error_messages=REQUIRED_REASON,
                             widget=forms.TextInput(attrs={"placeholder": "mis. dicek ke KK di kantor desa"}))
    versi = IdField(maximum=MAX_VERSION, widget=forms.HiddenInput)


class KeepForm(forms.Form):
    simpan = IdField(error_messages={"required": "Pilih calon yang disimpan."})
    catatan = forms.CharField(max_length=200, required=False)


class UndoForm(forms.Form):
    alasan = forms.CharField(max_length=255, error_messages={"required": "Tuliskan alasan pembatalan tanda duplikat."})
