"""The one way to hand out a file with full NIKs: ask for a password, encrypt with it, log the export.

Views check access and preconditions, then return `protected_download(request, ...)`. A GET, or a POST
without the password fields (a plain download button), shows the small password form; a POST with a
valid password calls `make()` — only then, so a file whose making has side effects (the BPJS pengajuan)
is made once, for a password — encrypts the file and records the export (user, time, rows).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render

from lindung.lib.audit import record_nik_access
from lindung.lib.download import CONTENT_TYPES, attachment
from lindung.privacy.encrypt import MIN_PASSWORD, encrypt_file, encrypt_zip_members

PASSWORD_FIELDS = ("sandi", "sandi_ulang")


class DownloadRefused(Exception):
    """make() cannot produce the file; the (Indonesian) message is shown on back_url."""


@dataclass(frozen=True)
class Export:
    data: bytes
    filename: str
    rows: int  # people with a full NIK in the file, for the audit trail
    model: type
    note: str
    # A file in several parts (the SK's volumes): (name, read) pairs, handed out as one zip named `filename`
    # and read one at a time while it is written; `data` is then unused.
    members: tuple[tuple[str, Callable[[], bytes]], ...] = ()


class ExportPasswordForm(forms.Form):
    sandi = forms.CharField(label="Kata sandi berkas", min_length=MIN_PASSWORD, strip=False,
                            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                            help_text=f"Paling sedikit {MIN_PASSWORD} karakter. Sampaikan kepada penerima lewat jalur lain "
                                      "(telepon, bukan surel yang sama). Kata sandi tidak disimpan: bila lupa, unduh ulang.")
    sandi_ulang = forms.CharField(label="Ulangi kata sandi", strip=False,
                                  widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("sandi") and data.get("sandi") != data.get("sandi_ulang"):
            raise forms.ValidationError("Kedua kata sandi tidak sama.")
        return data


def protected_download(request, *, title: str, make: Callable[[], Export], back_url: str) -> HttpResponse:
    # What Django's sensitive_post_parameters does: error reports never show the password.
    request.sensitive_post_parameters = list(PASSWORD_FIELDS)
    asked = request.method == "POST" and any(name in request.POST for name in PASSWORD_FIELDS)
    form = ExportPasswordForm(request.POST if asked else None)
    if not asked or not form.is_valid():
        context = {"form": form, "title": title, "back_url": back_url, "action": request.get_full_path()}
        return render(request, "privacy/export_password.html", context)
    try:
        made = make()
    except DownloadRefused as exc:
        messages.error(request, str(exc))
        return redirect(back_url)
    if made.members:
        response = _zip_response(made, form.cleaned_data["sandi"])
    else:
        response = attachment(*encrypt_file(made.data, made.filename, form.cleaned_data["sandi"]))
    record_nik_access(request.user, model=made.model, rows=made.rows, export=True, note=f"{made.note} (terenkripsi)")
    return response


def _zip_response(made: Export, password: str) -> FileResponse:
    """The members in one AES zip built in a temporary file and streamed from it (never whole in memory)."""
    spool = tempfile.TemporaryFile()
    encrypt_zip_members(made.members, password, spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=made.filename, content_type=CONTENT_TYPES["zip"])


def people_download(request, *, title: str, make: Callable[[], Export], back_url: str) -> HttpResponse:
    """A file that lists people, shown to roles of both kinds: full NIKs encrypted (protected_download);
    for a masked role `make()` renders masked NIKs, so the file is handed out as it is."""
    from lindung.accounts.access import sees_full_nik

    if sees_full_nik(request.user):
        return protected_download(request, title=title, make=make, back_url=back_url)
    made = make()
    return attachment(made.data, made.filename)
