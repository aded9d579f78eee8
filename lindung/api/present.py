"""Model rows as API dicts. Identity fields go through `disclosure_for(user)`, the same decision the pages make."""

from __future__ import annotations

from lindung.accounts.access import Disclosure
from lindung.programs.models import DEFAULT_VERIFICATION_LEVELS
from lindung.verification.levels import LEVELS


# What a candidate row needs, read with values(): a list of 100 costs no model instances (issue 17's p95).
CALON_VALUES = ("id", "program__slug", "program__tingkat_verifikasi", "nik", "nama", "tanggal_lahir", "jenis_kelamin",
                "tempat_lahir", "alamat", "rt", "rw", "desa_id", "desa__nama", "pekerjaan", "no_hp", "nama_ibu", "no_kk",
                "keterangan", "status", "level_index", "version", "bpjs_kpj", "problems", "updated_at")


def calon_values(v: dict, disclosure: Disclosure) -> dict:
    full = disclosure.full
    level = None
    if v["status"] == "calon":
        levels = v["program__tingkat_verifikasi"] or DEFAULT_VERIFICATION_LEVELS
        level = levels[v["level_index"]] if v["level_index"] < len(levels) else None
    born = v["tanggal_lahir"]
    return {
        "id": v["id"], "program": v["program__slug"], "nik": disclosure.nik(v["nik"]), "nik_lengkap": full,
        "nama": v["nama"], "tanggal_lahir": born if full else None, "tahun_lahir": born.year if born else None,
        "jenis_kelamin": v["jenis_kelamin"], "tempat_lahir": v["tempat_lahir"], "alamat": v["alamat"], "rt": v["rt"],
        "rw": v["rw"], "kode_desa": v["desa_id"], "nama_desa": v["desa__nama"], "pekerjaan": v["pekerjaan"],
        "no_hp": disclosure.no_hp(v["no_hp"]) if v["no_hp"] else v["no_hp"], "nama_ibu": v["nama_ibu"] if full else None,
        "no_kk": disclosure.kk(v["no_kk"]) if v["no_kk"] else "", "keterangan": v["keterangan"], "status": v["status"],
        "tingkat_verifikasi": level, "versi": v["version"], "kpj_bpjs": v["bpjs_kpj"],
        "masalah": [{"kode": p.get("code", ""), "pesan": disclosure.problem(p), "tingkat": p.get("severity", "warning")}
                    for p in v["problems"] or []],
        "diubah": v["updated_at"],
    }


def calon(c, disclosure: Disclosure) -> dict:
    """A Candidate instance (loaded with program and desa) through the same presenter."""
    v = {name: getattr(c, name) for name in CALON_VALUES if "__" not in name and name != "id"}
    v.update(id=c.pk, program__slug=c.program.slug, program__tingkat_verifikasi=c.program.tingkat_verifikasi,
             desa_id=c.desa_id, desa__nama=c.desa.nama)
    return calon_values(v, disclosure)


def program(p) -> dict:
    return {
        "slug": p.slug, "nama": p.nama, "pemda": p.pemda_id, "sumber_dana": p.sumber_dana, "pagu": p.pagu,
        "mulai": p.mulai, "selesai": p.selesai, "bulan": p.bulan, "pks_nomor": p.pks_nomor, "pks_tanggal": p.pks_tanggal,
        "kode_kepesertaan": p.kode_kepesertaan, "usia_min": p.usia_min, "usia_max": p.usia_max,
        "pekerjaan_diizinkan": list(p.pekerjaan_diizinkan or []), "tingkat_verifikasi": p.levels,
    }


def keputusan(d) -> dict:
    who = (d.verifier.get_full_name() or d.verifier.username) if d.verifier else None
    return {"id": d.pk, "calon": d.candidate_id, "tingkat": d.level, "keputusan": d.decision, "alasan": d.reason,
            "catatan": d.note, "verifikator": who, "waktu": d.decided_at}


def unggahan(b) -> dict:
    return {
        "id": b.pk, "program": b.program.slug, "nama_berkas": b.original_name, "status": b.status,
        "progres": b.progress, "keterangan_progres": b.progress_text, "galat": b.error, "baris": b.rows_total,
        "diterima": b.rows_ok, "ditolak": b.rows_rejected, "dibuat": b.created, "diubah": b.updated,
        "tetap": b.unchanged, "waktu": b.created_at,
    }


def level_label(code: str) -> str:
    return LEVELS[code].label if code in LEVELS else code
