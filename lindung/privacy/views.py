"""Privacy pages (UU 27/2022 PDP): the public notice, the processing register, retention, subject access, breaches."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from lindung.lib.download import attachment
from lindung.privacy import exports, services, subject
from lindung.privacy.access import can_manage_privacy, pemda_of, require_manage, require_read
from lindung.privacy.forms import ProcessingActivityForm, SubjectAccessForm
from lindung.privacy.models import ProcessingActivity, RetentionRule
from lindung.registry.models import Region


def privacy_page(request):
    """Public: who processes what and why, how long it is kept, and whom to ask (the DPO)."""
    pemda = pemda_of(request.user) if request.user.is_authenticated else None
    context = {"register": ProcessingActivity.objects.register_for(pemda), "rules": RetentionRule.objects.filter(aktif=True)}
    return render(request, "privacy/privacy.html", context)


def _pemda_name(kode: str | None) -> str:
    region = Region.objects.filter(kode=kode).first() if kode else None
    return region.nama if region else "bawaan aplikasi (semua pemda)"


@login_required
def register(request):
    require_read(request.user)
    pemda = pemda_of(request.user)
    context = {"register": ProcessingActivity.objects.register_for(pemda), "pemda_nama": _pemda_name(pemda),
               "can_manage": can_manage_privacy(request.user), "rules": RetentionRule.objects.all()}
    return render(request, "privacy/register.html", context)


@login_required
def register_xlsx(request):
    require_read(request.user)
    pemda = pemda_of(request.user)
    data = exports.register_xlsx(ProcessingActivity.objects.register_for(pemda), pemda=_pemda_name(pemda))
    return attachment(data, "catatan-pemrosesan-data-pribadi.xlsx")


@login_required
def register_edit(request, kode):
    require_manage(request.user)
    pemda = pemda_of(request.user)
    current = next((row for row in ProcessingActivity.objects.register_for(pemda) if row.kode == kode), None)
    if current is None:
        raise Http404("Kumpulan data tidak dikenal.")
    form = ProcessingActivityForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.save_activity(user=request.user, pemda_kode=pemda, kode=kode, data=form.cleaned_data)
        messages.success(request, f"Catatan pemrosesan “{form.cleaned_data['nama']}” disimpan.")
        return redirect("privacy_register")
    return render(request, "privacy/register_edit.html", {"form": form, "activity": current})


@login_required
def subject_access(request):
    """Everything the pemda holds about one NIK, as a PDF for the person who asked; the answer is audited."""
    require_manage(request.user)
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data, pemda = form.cleaned_data, pemda_of(request.user)
        record = subject.gather(request.user, data["nik"], pemda_kode=pemda)
        pdf = subject.subject_pdf(record, pemohon=data["pemohon"], alasan=data["alasan"], pemda=_pemda_name(pemda),
                                  made_by=request.user, made_at=timezone.now())
        services.record_subject_access(user=request.user, record=record, pemohon=data["pemohon"], alasan=data["alasan"])
        return attachment(pdf, f"akses-data-pribadi-{data['nik'][-4:]}.pdf")
    return render(request, "privacy/subject_access.html", {"form": form})
