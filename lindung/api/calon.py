"""Candidates: list with filters (cursor pages), one candidate, and the bulk upsert a desa system sends."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Path, Query, Router

from lindung.api import present, upsert
from lindung.lib.ids import MAX_ID
from lindung.api.common import disclosure, fast_json, log_full_niks, require, responses
from lindung.api.paging import MAX_BATAS, page
from lindung.api.schemas import Calon, CalonMassal, HalamanCalon, HasilMassal, Pencarian, StatusCalon
from lindung.api.tokens import ApiDenied
from lindung.accounts.access import can_upload
from lindung.imports.models import Candidate
from lindung.programs.models import Program

router = Router(tags=["calon"])


def candidates_for(request):
    return Candidate.objects.visible_to(request.user).select_related("program", "desa")


@router.get("/calon/", response=responses({200: HalamanCalon}), summary="Daftar calon (tersaring, per kursor)")
def calon_list(request,
               program: str | None = Query(None, description="slug program"),
               desa: str | None = Query(None, description="kode desa/kelurahan, mis. 21.02.01.2004", max_length=13),
               status: StatusCalon | None = Query(None),
               nik: str | None = Query(None, description="NIK lengkap (16 digit) atau 4–15 digit terakhir; hanya peran yang melihat NIK lengkap", max_length=32),
               nama: str | None = Query(None, description="bagian nama (tidak peka huruf besar/kecil)", max_length=100),
               setelah: str | None = Query(None, description="kursor dari `berikutnya`"),
               batas: int = Query(100, ge=1, le=MAX_BATAS)):
    """Calon di wilayah Anda, urut id. Saringan sama dengan halaman *Daftar calon*."""
    qs = candidates_for(request)
    if program:
        # One programme by its id: an equality the database answers from the (program, id) index in id order,
        # where "program IN (...)" would sort the whole programme first (1.000.000 rows) for 100 of them.
        program_id = Program.objects.visible_to(request.user).filter(slug=program).values_list("pk", flat=True).first()
        qs = qs.filter(program_id=program_id) if program_id else qs.none()
    if desa:
        qs = qs.filter(desa_id=desa)
    if status:
        qs = qs.filter(status=status)
    if nik:
        qs = qs.filter(nik_filter(request, nik))
    if nama and nama.strip():
        qs = qs.filter(nama__icontains=nama.strip())
    rows, nxt = page(qs.values(*present.CALON_VALUES), setelah=setelah, batas=batas, key="id")
    shown = disclosure(request)
    log_full_niks(request, Candidate, len(rows), "daftar calon")
    return fast_json({"hasil": [present.calon_values(v, shown) for v in rows], "berikutnya": nxt})


def nik_filter(request, value: str) -> Q:
    """Searching by NIK tells whether a person is listed: only for roles that see full NIKs (a masked role
    could otherwise probe NIKs one by one). 16 digits: that NIK; 4–15: NIKs ending with them."""
    require(disclosure(request).full, "Pencarian menurut NIK hanya untuk peran yang melihat NIK lengkap.",
            kode="pencarian_nik_tidak_diizinkan")
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) == 16:
        return Q(nik=digits)
    if 4 <= len(digits) < 16:
        return Q(nik__endswith=digits)
    raise ApiDenied(422, "nik_tidak_valid", "Saringan NIK: 16 digit, atau 4 sampai 15 digit terakhir.")


@router.get("/calon/{calon_id}/", response=responses({200: Calon}), summary="Satu calon")
def calon_detail(request, calon_id: int = Path(..., ge=0, le=MAX_ID)):
    candidate = get_object_or_404(candidates_for(request), pk=calon_id)
    log_full_niks(request, Candidate, 1, f"calon {candidate.pk}")
    return present.calon(candidate, disclosure(request))


@router.post("/program/{slug}/calon/", response=responses({200: HasilMassal}),
             summary="Kirim daftar calon sekaligus (buat atau perbarui menurut NIK)")
def calon_upsert(request, slug: str, data: CalonMassal):
    """Pemeriksaan sama dengan impor Excel (kode masalah yang sama). Bila satu baris saja bermasalah (galat),
    tidak ada yang disimpan dan jawabannya 422 dengan setiap masalah per baris dan kolom. Mengirim ulang data
    yang sama tidak mengubah apa pun (kunci: NIK). Sel kosong/null tidak menghapus nilai tersimpan.
    Operator desa: baris tanpa `kode_desa` menjadi desanya; baris desa lain ditolak."""
    program = get_object_or_404(Program.objects.visible_to(request.user), slug=slug)
    require(can_upload(request.user), "Peran Anda hanya dapat membaca, tidak dapat mengirim daftar calon.")
    rows = [row.dict() for row in data.calon]
    return upsert.upsert(program=program, user=request.user, rows=rows, dry_run=data.periksa_saja,
                         source=getattr(request, "api_token", None))


@router.get("/cari/", response=responses({200: Pencarian}), summary="Cari di semua program Anda")
def search(request, q: str = Query(..., min_length=1, max_length=100,
                                   description="nama (bentuk baku: \"Moch. Yusuf\" = \"Muhammad Yusuf\"), No. KPJ, atau NIK "
                                               "lengkap/angka terakhir (NIK hanya bagi peran yang melihat NIK lengkap)")):
    """Sama dengan halaman *Cari*: setiap hasil dengan program, status dan perlindungannya (paling banyak 200)."""
    from lindung.api.search import coverage, find

    found = find(request.user, q.strip())
    covered = coverage([c.pk for c in found.hits])
    shown = disclosure(request)
    log_full_niks(request, Candidate, len(found.hits), "pencarian lintas program")
    return {"catatan": found.note, "hasil": [
        {"calon": present.calon(c, shown),
         "perlindungan": {"keadaan": e.state, "mulai": e.cohort.mulai, "bulan": e.cohort.bulan, "kpj": e.kpj} if e else None}
        for c, e in ((c, covered.get(c.pk)) for c in found.hits)]}
