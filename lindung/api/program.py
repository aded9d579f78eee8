"""Wilayah (read) and programmes (read; write for the Disnaker admin)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from lindung.api import present
from lindung.api.common import is_admin_disnaker, require, responses
from lindung.api.paging import MAX_BATAS, page
from lindung.api.schemas import HalamanWilayah, Program, ProgramBaru, ProgramUbah, Wilayah
from lindung.api.tokens import ApiDenied
from lindung.lib.audit import record_change, snapshot
from lindung.programs.models import Program as ProgramModel
from lindung.registry.models import Region, Tingkat

router = Router(tags=["wilayah dan program"])

PROGRAM_FIELDS = ("nama", "pagu", "mulai", "selesai", "pks_nomor", "pks_tanggal", "usia_min", "usia_max",
                  "pekerjaan_diizinkan", "tingkat_verifikasi", "sumber_dana", "kode_kepesertaan")


def _wilayah(r) -> dict:
    return {"kode": r.kode, "nama": r.nama, "tingkat": r.tingkat, "induk": r.induk_id, "aktif": r.aktif}


@router.get("/wilayah/", response=responses({200: HalamanWilayah}), summary="Daftar wilayah Kemendagri")
def wilayah_list(request, induk: str | None = Query(None, description="kode induk, mis. 21.02", max_length=13),
                 tingkat: str | None = Query(None, description="provinsi, kabupaten, kota, kecamatan, desa, kelurahan"),
                 setelah: str | None = Query(None), batas: int = Query(100, ge=1, le=MAX_BATAS)):
    """Tabel wilayah Kemendagri yang dimuat di server (data rujukan umum, tidak dibatasi wilayah pengguna)."""
    qs = Region.objects.all()
    if induk:
        qs = qs.filter(induk_id=induk)
    if tingkat:
        if tingkat not in Tingkat.values:
            raise ApiDenied(422, "tingkat_tidak_dikenal", f"Tingkat {tingkat!r} tidak dikenal.")
        qs = qs.filter(tingkat=tingkat)
    rows, nxt = page(qs, setelah=setelah, batas=batas, key="kode", integer=False)
    return {"hasil": [_wilayah(r) for r in rows], "berikutnya": nxt}


@router.get("/wilayah/{kode}/", response=responses({200: Wilayah}), summary="Satu wilayah")
def wilayah_detail(request, kode: str):
    return _wilayah(get_object_or_404(Region, kode=kode))


def _program_for(request, slug: str) -> ProgramModel:
    return get_object_or_404(ProgramModel.objects.visible_to(request.user).select_related("pemda"), slug=slug)


@router.get("/program/", response=responses({200: list[Program]}), summary="Program di wilayah Anda")
def program_list(request):
    return [present.program(p) for p in ProgramModel.objects.visible_to(request.user).order_by("slug")]


@router.get("/program/{slug}/", response=responses({200: Program}), summary="Satu program")
def program_detail(request, slug: str):
    return present.program(_program_for(request, slug))


@router.post("/program/", response=responses({201: Program}), summary="Buat program (Admin Disnaker)")
def program_create(request, data: ProgramBaru):
    """Program baru untuk pemda Anda; hanya Admin Disnaker (token tulis)."""
    user = request.user
    require(is_admin_disnaker(user), "Hanya Admin Disnaker yang membuat atau mengubah program.")
    membership = getattr(user, "membership", None)
    if membership is None:
        raise ApiDenied(422, "pemda_tidak_diketahui", "Akun ini tidak terikat pada pemda; buat program lewat /admin/.")
    if ProgramModel.objects.filter(slug=data.slug).exists():
        raise ApiDenied(409, "slug_sudah_ada", f"Slug {data.slug!r} sudah dipakai program lain.")
    program = ProgramModel(pemda_id=membership.pemda_kode, created_by=user, slug=data.slug,
                           **{k: getattr(data, k) for k in PROGRAM_FIELDS})
    _save(program, user, old=None)
    return Status(201, present.program(program))


@router.patch("/program/{slug}/", response=responses({200: Program}), summary="Ubah program (Admin Disnaker)")
def program_update(request, slug: str, data: ProgramUbah):
    program = _program_for(request, slug)
    require(is_admin_disnaker(request.user), "Hanya Admin Disnaker yang membuat atau mengubah program.")
    changes = data.dict(exclude_unset=True)
    changes = {k: v for k, v in changes.items() if v is not None or k == "pks_tanggal"}
    old = snapshot(program, changes.keys())
    for name, value in changes.items():
        setattr(program, name, value)
    _save(program, request.user, old=old)
    return present.program(program)


def _save(program: ProgramModel, user, *, old: dict | None) -> None:
    try:
        program.full_clean(exclude=["pemda", "created_by"])
    except DjangoValidationError as exc:
        rincian = [{"kolom": field, "pesan": " ".join(messages)} for field, messages in exc.message_dict.items()]
        raise ApiDenied(422, "program_tidak_valid", "Data program tidak valid.", rincian) from None
    with transaction.atomic():
        program.save()
        fields = old.keys() if old is not None else ("slug", *PROGRAM_FIELDS)
        record_change(user, program, old=old, new=snapshot(program, fields), note="API program")
