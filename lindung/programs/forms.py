"""The programme set-up form of the Disnaker admin (no /admin): verification levels as an ordered list of
choices, occupations as ticks, never JSON."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from lindung.domain import pekerjaan as pekerjaan_domain
from lindung.lib.forms import RupiahField
from lindung.programs.models import DEFAULT_VERIFICATION_LEVELS, Program

LEVEL_LABELS = {"rt_rw": "RT/RW", "desa": "Desa/kelurahan", "dinsos": "Dinas Sosial", "disnaker": "Disnaker"}
LEVEL_SLOTS = 4
# Model fields the form edits under another name (Program.clean reports problems by the model's names).
MODEL_TO_FORM = {"pekerjaan_diizinkan": "pekerjaan", "tingkat_verifikasi": NON_FIELD_ERRORS}
_LEVEL_CHOICES = [("", "—")] + [(code, LEVEL_LABELS[code]) for code in DEFAULT_VERIFICATION_LEVELS]


class ProgramForm(forms.ModelForm):
    pagu = RupiahField(label="Pagu (rupiah)", help_text="seluruh anggaran iuran program, mis. 201.600.000")
    pekerjaan = forms.MultipleChoiceField(label="Pekerjaan yang diizinkan (kosong: semua yang diizinkan sumber dana)",
                                          choices=sorted(pekerjaan_domain.PEKERJAAN.items(), key=lambda kv: kv[1]),
                                          required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Program
        fields = ["slug", "nama", "sumber_dana", "pagu", "mulai", "selesai", "pks_nomor", "pks_tanggal",
                  "kode_kepesertaan", "usia_min", "usia_max", "akhir_usia"]
        labels = {"slug": "Kode program (mis. ppu-2026-kab)", "nama": "Nama program", "sumber_dana": "Sumber dana",
                  "kode_kepesertaan": "Kode kepesertaan BPJS", "usia_min": "Usia minimum", "usia_max": "Usia maksimum"}
        # Django's own messages say "slug"; the admin reads "Kode program".
        error_messages = {"slug": {
            "unique": "Kode program ini sudah dipakai program lain; pilih kode lain.",
            "invalid": "Kode program hanya boleh huruf, angka, garis bawah dan tanda hubung, tanpa spasi "
                       "(mis. karimun-2026)."}}
        widgets = {name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                   for name in ("mulai", "selesai", "pks_tanggal")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = list(self.instance.tingkat_verifikasi or DEFAULT_VERIFICATION_LEVELS) if self.instance.pk else list(
            DEFAULT_VERIFICATION_LEVELS)
        for i in range(LEVEL_SLOTS):
            self.fields[f"tingkat_{i + 1}"] = forms.ChoiceField(
                label=f"Tingkat verifikasi ke-{i + 1}", choices=_LEVEL_CHOICES, required=False,
                initial=current[i] if i < len(current) else "")
        if self.instance.pk:
            self.fields["pekerjaan"].initial = list(self.instance.pekerjaan_diizinkan)
            self.fields["slug"].disabled = True  # the slug names files, URLs and the CLI: fixed once made

    def clean(self):
        data = super().clean()
        levels = [data.get(f"tingkat_{i + 1}") for i in range(LEVEL_SLOTS)]
        chosen = [code for code in levels if code]
        # add_error, not raise: the model's own checks (pagu, window, occupations) still run and all show at once.
        if not chosen:
            self.add_error(None, "Pilih minimal satu tingkat verifikasi.")
        elif len(set(chosen)) != len(chosen):
            self.add_error(None, "Setiap tingkat verifikasi hanya boleh dipilih sekali.")
        else:
            self.instance.tingkat_verifikasi = chosen
        self.instance.pekerjaan_diizinkan = sorted(data.get("pekerjaan") or [])
        return data

    def _update_errors(self, errors):
        # The model names the stored fields; this form shows them as ticks and as ordered choices.
        if hasattr(errors, "error_dict"):
            errors = forms.ValidationError({MODEL_TO_FORM.get(name, name): problems
                                            for name, problems in errors.error_dict.items()})
        super()._update_errors(errors)


class UserForm(forms.Form):
    """A user of the admin's own pemda: a role and its area (the pemda, or one desa/kelurahan for a desa operator)."""

    username = forms.RegexField(label="Nama pengguna", max_length=150, regex=r"^[\w.@+-]+$",
                                error_messages={"invalid": "Nama pengguna hanya huruf, angka dan . @ + - _"})
    nama = forms.CharField(label="Nama lengkap", max_length=150)
    peran = forms.ChoiceField(label="Peran")
    wilayah = forms.CharField(label="Kode wilayah (desa/kelurahan untuk operator desa; kosong: pemda)", max_length=13,
                              required=False, widget=forms.TextInput(attrs={"list": "desa-pemda"}))
    sandi = forms.CharField(label="Kata sandi awal", strip=False, widget=forms.PasswordInput, required=False)
    aktif = forms.BooleanField(label="Aktif", required=False, initial=True)

    def __init__(self, *args, pemda: str, editing=None, **kwargs):
        from lindung.accounts.models import Role

        super().__init__(*args, **kwargs)
        self.pemda, self.editing = pemda, editing
        # No role chosen for the admin: the first one listed is Admin Disnaker, the widest there is.
        self.fields["peran"].choices = [("", "— pilih peran —"), *Role.choices]
        if editing is not None:
            self.fields["username"].disabled = True

    def clean_username(self):
        from django.contrib.auth import get_user_model

        name = self.cleaned_data["username"]
        if self.editing is None and get_user_model().objects.filter(username=name).exists():
            raise forms.ValidationError("Nama pengguna sudah dipakai.")
        return name

    def clean(self):
        from django.contrib.auth.password_validation import validate_password

        from lindung.accounts.models import Role
        from lindung.registry.models import Region

        data = super().clean()
        role, kode = data.get("peran"), (data.get("wilayah") or "").strip()
        if role == Role.OPERATOR_DESA:
            ok = Region.objects.filter(kode=kode, kode__startswith=f"{self.pemda}.", tingkat__in=["desa", "kelurahan"])
            if not kode or not ok.exists():
                self.add_error("wilayah", f"Operator desa perlu kode desa/kelurahan di wilayah {self.pemda}.")
        elif kode and kode != self.pemda:
            self.add_error("wilayah", f"Peran ini bekerja untuk seluruh pemda: kosongkan atau isi {self.pemda}.")
        data["wilayah"] = kode if role == Role.OPERATOR_DESA else self.pemda
        if self.editing is None and not data.get("sandi"):
            self.add_error("sandi", "Isi kata sandi awal.")
        elif data.get("sandi"):
            try:
                validate_password(data["sandi"])
            except forms.ValidationError as exc:
                self.add_error("sandi", exc)
        return data
