"""Model rows as API dicts. Identity fields go through `disclosure_for(user)`, the same decision the pages make."""

from __future__ import annotations

from lindung.accounts.access import Disclosure
from lindung.verification.levels import LEVELS


def calon(c, disclosure: Disclosure) -> dict:
    full = disclosure.full
    level = None
    if c.status == "calon":
        levels = c.program.levels
        level = levels[c.level_index] if c.level_index < len(levels) else None
    return {
        "id": c.pk, "program": c.program.slug, "nik": disclosure.nik(c.nik), "nik_lengkap": full,
        "nama": c.nama, "tanggal_lahir": c.tanggal_lahir if full else None,
        "tahun_lahir": c.tanggal_lahir.year if c.tanggal_lahir else None,
        "jenis_kelamin": c.jenis_kelamin, "tempat_lahir": c.tempat_lahir, "alamat": c.alamat, "rt": c.rt, "rw": c.rw,
        "kode_desa": c.desa_id, "nama_desa": c.desa.nama, "pekerjaan": c.pekerjaan, "no_hp": c.no_hp,
        "nama_ibu": (c.nama_ibu if full else None), "no_kk": disclosure.kk(c.no_kk) if c.no_kk else "",
        "keterangan": c.keterangan, "status": c.status, "tingkat_verifikasi": level, "versi": c.version,
        "kpj_bpjs": c.bpjs_kpj,
        "masalah": [{"kode": p.get("code", ""), "pesan": disclosure.problem(p), "tingkat": p.get("severity", "warning")}
                    for p in c.problems or []],
        "diubah": c.updated_at,
    }


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
