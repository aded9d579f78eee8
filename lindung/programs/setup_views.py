"""Programme set-up by the Disnaker admin of a pemda, in Indonesian pages (Django /admin stays for superusers).
A programme is always the admin's own pemda's; another pemda's programme is 404 (Program.objects.visible_to)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render

from lindung.accounts.access import membership_of
from lindung.accounts.models import Role
from lindung.lib.audit import record_change, snapshot
from lindung.programs.forms import ProgramForm, UserForm
from lindung.programs.views import _get_program_for_user

AUDITED = ("slug", "nama", "sumber_dana", "pagu", "mulai", "selesai", "pks_nomor", "pks_tanggal", "kode_kepesertaan",
           "usia_min", "usia_max", "akhir_usia", "pekerjaan_diizinkan", "tingkat_verifikasi")


def require_admin(user):
    """The Disnaker admin of a pemda (not a desa); returns their pemda code."""
    membership = membership_of(user)
    if membership is None or membership.role != Role.ADMIN_DISNAKER:
        raise PermissionDenied("Hanya Admin Disnaker yang mengatur program dan pengguna.")
    return membership.wilayah_id


@login_required
def program_create(request):
    pemda = require_admin(request.user)
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        program = form.save(commit=False)
        program.pemda_id, program.created_by = pemda, request.user
        program.save()
        record_change(request.user, program, old=None, new=snapshot(program, AUDITED), note="program dibuat")
        messages.success(request, f"Program {program.nama} dibuat.")
        return redirect("program_detail", slug=program.slug)
    return render(request, "programs/program_form.html", {"form": form, "program": None})


@login_required
def program_edit(request, slug):
    require_admin(request.user)
    program = _get_program_for_user(request, slug)
    old = snapshot(program, AUDITED)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        program = form.save()
        record_change(request.user, program, old=old, new=snapshot(program, AUDITED), note="pengaturan program diubah")
        messages.success(request, "Pengaturan program disimpan.")
        return redirect("program_detail", slug=program.slug)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


def _pemda_memberships(pemda: str):
    from lindung.accounts.models import Membership

    return Membership.objects.filter(Q(wilayah_id=pemda) | Q(wilayah__kode__startswith=f"{pemda}.")).select_related(
        "user", "wilayah")


@login_required
def user_list(request):
    pemda = require_admin(request.user)
    form = UserForm(request.POST or None, pemda=pemda)
    if request.method == "POST" and form.is_valid():
        _save_user(request, None, form.cleaned_data)
        messages.success(request, f"Pengguna {form.cleaned_data['username']} dibuat.")
        return redirect("user_list")
    members = _pemda_memberships(pemda).order_by("role", "user__username")
    context = {"form": form, "members": members, "pemda": request.user.membership.wilayah,
               "desa_choices": _desa_choices(pemda)}
    return render(request, "programs/user_list.html", context)


def _desa_choices(pemda: str):
    """A kabupaten/kota's desa/kelurahan (at most ~900) offered for the desa operator's area; a province's
    thousands are typed as a code."""
    from lindung.registry.models import Region

    if len(pemda) == 2:
        return []
    return Region.objects.filter(kode__startswith=f"{pemda}.", tingkat__in=["desa", "kelurahan"]).order_by("kode")


@login_required
def user_edit(request, pk):
    pemda = require_admin(request.user)
    membership = get_object_or_404(_pemda_memberships(pemda).filter(user__is_superuser=False), user_id=pk)
    user = membership.user
    initial = {"username": user.username, "nama": user.first_name, "peran": membership.role,
               "wilayah": membership.wilayah_id, "aktif": user.is_active}
    form = UserForm(request.POST or None, pemda=pemda, editing=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        if user == request.user and (form.cleaned_data["peran"] != Role.ADMIN_DISNAKER or not form.cleaned_data["aktif"]):
            messages.error(request, "Anda tidak dapat mencabut peran admin atau menonaktifkan akun sendiri.")
        else:
            _save_user(request, user, form.cleaned_data)
            messages.success(request, f"Pengguna {user.username} disimpan.")
            return redirect("user_list")
    context = {"form": form, "member": membership, "desa_choices": _desa_choices(pemda)}
    return render(request, "programs/user_form.html", context)


def _save_user(request, user, data) -> None:
    from django.contrib.auth import get_user_model

    from lindung.accounts.models import Membership

    with transaction.atomic():
        old = None
        if user is None:
            user = get_user_model().objects.create(username=data["username"])
        else:
            old = {"peran": user.membership.role, "wilayah": user.membership.wilayah_id, "aktif": user.is_active}
        user.first_name, user.is_active = data["nama"], data["aktif"]
        if data.get("sandi"):
            user.set_password(data["sandi"])
        user.save()
        Membership.objects.update_or_create(user=user, defaults={"role": data["peran"], "wilayah_id": data["wilayah"]})
        record_change(request.user, user, old=old, new={"peran": data["peran"], "wilayah": data["wilayah"],
                                                        "aktif": data["aktif"]}, note=f"pengguna {user.username}")
