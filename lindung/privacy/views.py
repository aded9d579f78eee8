"""Privacy pages (UU 27/2022 PDP): the public notice, the processing register, retention, subject access, breaches."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lindung.lib.audit import trail
from lindung.lib.download import attachment
from lindung.privacy import breach, exports, services, subject
from lindung.privacy.access import can_manage_privacy, pemda_of, require_manage, require_read
from lindung.privacy.downloads import PASSWORD_FIELDS
from lindung.privacy.encrypt import encrypt_file
from lindung.privacy.forms import IncidentForm, IncidentStatusForm, NoticeForm, ProcessingActivityForm, SubjectAccessForm
from lindung.privacy.models import Incident, ProcessingActivity, RetentionRule
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
    request.sensitive_post_parameters = list(PASSWORD_FIELDS)  # error reports never show the password
    form = SubjectAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data, pemda = form.cleaned_data, pemda_of(request.user)
        record = subject.gather(request.user, data["nik"], pemda_kode=pemda)
        pdf = subject.subject_pdf(record, pemohon=data["pemohon"], alasan=data["alasan"], pemda=_pemda_name(pemda),
                                  made_by=request.user, made_at=timezone.now())
        services.record_subject_access(user=request.user, record=record, pemohon=data["pemohon"], alasan=data["alasan"])
        return attachment(*encrypt_file(pdf, f"akses-data-pribadi-{data['nik'][-4:]}.pdf", data["sandi"]))
    return render(request, "privacy/subject_access.html", {"form": form})


def _get_incident_for_user(request, pk: int) -> Incident:
    return get_object_or_404(Incident.objects.visible_to(request.user), pk=pk)


@login_required
def incident_list(request):
    require_read(request.user)
    now = timezone.now()
    incidents = [(i, breach.countdown(i, now)) for i in Incident.objects.visible_to(request.user).prefetch_related("programs")]
    return render(request, "privacy/incident_list.html", {"incidents": incidents, "can_manage": can_manage_privacy(request.user)})


@login_required
def incident_form(request, pk=None):
    require_manage(request.user)
    incident = _get_incident_for_user(request, pk) if pk else None
    initial = {} if incident else {"discovered_at": timezone.localtime().replace(second=0, microsecond=0)}
    form = IncidentForm(request.POST or None, instance=incident, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = services.save_incident(user=request.user, form=form, pemda_kode=pemda_of(request.user))
        messages.success(request, "Insiden disimpan. Periksa draf pemberitahuan dan batas waktunya.")
        return redirect("privacy_incident", pk=saved.pk)
    return render(request, "privacy/incident_form.html", {"form": form, "incident": incident})


def _notices(incident: Incident) -> dict:
    """The stored notices, or fresh drafts from the incident's fields while none is saved."""
    pemda = _pemda_name(incident.pemda_id)
    return {field: getattr(incident, field) or draft(incident, pemda=pemda) for field, draft in breach.DRAFTS.values()}


@login_required
def incident_detail(request, pk):
    require_read(request.user)
    incident = _get_incident_for_user(request, pk)
    context = {"incident": incident, "countdown": breach.countdown(incident, timezone.now()),
               "notice_form": NoticeForm(initial=_notices(incident)), "status_form": IncidentStatusForm(initial={"status": incident.status}),
               "can_manage": can_manage_privacy(request.user), "trail": trail(incident)}
    return render(request, "privacy/incident_detail.html", context)


@login_required
@require_POST
def incident_notices(request, pk):
    require_manage(request.user)
    incident = _get_incident_for_user(request, pk)
    if "draf_ulang" in request.POST:
        services.update_incident(user=request.user, incident=incident, note="draf pemberitahuan dibuat ulang",
                                 notice_subjek="", notice_lembaga="")
        messages.success(request, "Draf pemberitahuan dibuat ulang dari isian insiden.")
        return redirect("privacy_incident", pk=incident.pk)
    form = NoticeForm(request.POST)
    if form.is_valid():
        services.update_incident(user=request.user, incident=incident, note="pemberitahuan diubah", **form.cleaned_data)
        messages.success(request, "Pemberitahuan disimpan.")
    else:
        messages.error(request, "Kedua pemberitahuan harus diisi.")
    return redirect("privacy_incident", pk=incident.pk)


@login_required
@require_POST
def incident_status(request, pk):
    require_manage(request.user)
    incident = _get_incident_for_user(request, pk)
    form = IncidentStatusForm(request.POST)
    if form.is_valid():
        services.update_incident(user=request.user, incident=incident, note="status insiden", status=form.cleaned_data["status"])
        messages.success(request, f"Status insiden: {Incident.Status(form.cleaned_data['status']).label}.")
    return redirect("privacy_incident", pk=incident.pk)


@login_required
def incident_notice_pdf(request, pk, kind):
    require_read(request.user)
    incident = _get_incident_for_user(request, pk)
    if kind not in breach.DRAFTS:
        raise Http404("Jenis pemberitahuan tidak dikenal.")
    field = breach.DRAFTS[kind][0]
    title = "Pemberitahuan kepada subjek data" if kind == "subjek" else "Pemberitahuan kepada lembaga"
    pdf = breach.notice_pdf(title=title, text=_notices(incident)[field])
    return attachment(pdf, f"pemberitahuan-{kind}-insiden-{incident.pk}.pdf")
