"""The engine's per-field evidence in words a reviewer reads: which fields agreed and how strongly.

Level codes are the engine's comparison levels (lindung.matching.model). The text is ours where we say it
better for this page, else the engine's LEVEL_LABELS, so a new or renamed level never breaks the page.
"""

from __future__ import annotations

from dataclasses import dataclass

# How a level speaks for "the same person": the CSS class and the order on the page.
SAME, CLOSE, DIFFERENT, MISSING = "sama", "mirip", "beda", "kosong"

FIELDS: dict[str, str] = {
    "nik": "NIK",
    "nama": "Nama",
    "tanggal_lahir": "Tanggal lahir",
    "jenis_kelamin": "Jenis kelamin",
    "nama_ibu": "Nama ibu kandung",
    "wilayah": "Wilayah",
    "no_hp": "No. HP",
    "klaster": "Klaster",
}

# Levels that are plain agreement, plain difference, or no evidence; every other level is a near agreement.
STRENGTH: dict[str, str] = {
    "sama": SAME, "sama_nama_sama": SAME, "sama_nama_beda": SAME, "sama_tanpa_spasi": SAME, "urutan_lain": SAME, "desa_sama": SAME,
    "beda": DIFFERENT, "beda_sesuai_nik": DIFFERENT, "terlalu_besar": DIFFERENT, "nik_berbeda": DIFFERENT,
    "rujukan_lain": DIFFERENT, "kelamin_beda": DIFFERENT, "rujukan_sama": SAME,
    "kosong": MISSING, "saudara": MISSING, "dinilai_dengan_nik": MISSING,
}

PHRASES: dict[tuple[str, str], str] = {
    ("nik", "sama"): "NIK sama",
    ("nik", "sama_nama_beda"): "NIK sama, tetapi nama berbeda",
    ("nik", "sama_nama_mirip"): "NIK sama, nama mirip (inisial, satu kata sama atau ejaan lain)",
    ("nik", "sama_tanggal_sama"): "NIK dan tanggal lahir sama, nama berbeda",
    ("nik", "salah_ketik"): "NIK beda satu digit (salah ketik atau dua angka tertukar)",
    ("nik", "salah_ketik_nama_beda"): "NIK beda satu digit, nama berbeda",
    ("nik", "tertukar"): "NIK: dua angka bersebelahan tertukar",
    ("nik", "satu_digit"): "NIK beda satu digit",
    ("nik", "nomor_urut"): "NIK beda satu digit di nomor urut (salah ketik atau terpotong Excel)",
    ("nik", "nomor_urut_nama_beda"): "NIK beda di nomor urut, nama berbeda (kembar atau tetangga?)",
    ("nik", "wilayah_tanggal_sama"): "NIK: wilayah dan tanggal lahir sama, nomor urut lain",
    ("nik", "wilayah_tanggal_sama_nama_beda"): "NIK: wilayah dan tanggal lahir sama, nomor urut dan nama lain",
    ("nik", "wilayah_tanggal_sama_kelamin_beda"): "NIK: wilayah dan tanggal lahir sama, jenis kelamin lain (kembar?)",
    ("nik", "beda"): "NIK berbeda",
    ("nama", "sama"): "nama sama",
    ("nama", "sama_tanpa_spasi"): "nama sama bila spasi diabaikan",
    ("nama", "urutan_lain"): "nama: kata-katanya sama, urutannya lain",
    ("nama", "salah_ketik"): "nama mirip: beda ejaan atau salah ketik",
    ("nama", "sebagian"): "nama: yang satu memuat yang lain",
    ("nama", "mirip"): "nama mirip",
    ("nama", "satu_kata_sama"): "nama: hanya satu kata yang sama",
    ("nama", "beda"): "nama berbeda",
    ("tanggal_lahir", "sama"): "tanggal lahir sama",
    ("tanggal_lahir", "sama_nama_sama"): "tanggal lahir dan nama sama, NIK hanya ada di satu data",
    ("tanggal_lahir", "tertukar"): "tanggal lahir: hari dan bulan tertukar",
    ("tanggal_lahir", "satu_digit"): "tanggal lahir beda satu angka",
    ("tanggal_lahir", "angka_tertukar"): "tanggal lahir: dua angka bersebelahan tertukar",
    ("tanggal_lahir", "tahun_sama"): "tanggal lahir: hanya tahunnya sama",
    ("tanggal_lahir", "beda"): "tanggal lahir berbeda",
    ("jenis_kelamin", "sama"): "jenis kelamin sama",
    ("jenis_kelamin", "beda"): "jenis kelamin berbeda",
    ("jenis_kelamin", "beda_sesuai_nik"): "jenis kelamin berbeda, masing-masing sesuai NIK-nya (kembar laki-laki/perempuan?)",
    # A sure pair held back for a person (lindung.matching.run.bounded_clusters).
    ("klaster", "terlalu_besar"): "ditinjau: pasangan ini akan membuat kelompok lebih dari 10 data",
    ("klaster", "nik_berbeda"): "ditinjau: pasangan ini akan menyatukan data dengan NIK berbeda",
    ("klaster", "rujukan_lain"): "ditinjau: data ini juga cocok dengan data rujukan lain yang nilainya lebih tinggi",
    ("klaster", "kelamin_beda"): ("ditinjau: pasangan ini akan menyatukan dalam satu kelompok dua data yang jenis kelaminnya "
                                  "berbeda sesuai NIK masing-masing (kembar laki-laki/perempuan?)"),
    # A possible pair inside one sure group (lindung.matching.run.promoted_in_clusters).
    ("klaster", "segitiga"): "satu kelompok: kedua data sudah cocok pasti dengan data yang sama di kelompok ini",
    # A possible pair whose two records are both surely one registry participant (run.promoted_by_registry).
    ("klaster", "rujukan_sama"): "keduanya cocok pasti dengan peserta yang sama di daftar rujukan",
    ("nama_ibu", "sama"): "nama ibu kandung sama",
    ("nama_ibu", "mirip"): "nama ibu kandung mirip",
    ("nama_ibu", "beda"): "nama ibu kandung berbeda",
    ("wilayah", "desa_sama"): "desa/kelurahan sama",
    ("wilayah", "kecamatan_sama"): "kecamatan sama, desa/kelurahan lain",
    ("wilayah", "kabupaten_sama"): "kabupaten sama, kecamatan lain",
    ("wilayah", "beda"): "wilayah berbeda",
    ("no_hp", "sama"): "No. HP sama",
    ("no_hp", "beda"): "No. HP berbeda",
}

_ORDER = {SAME: 0, CLOSE: 1, DIFFERENT: 2, MISSING: 3}


@dataclass(frozen=True)
class Evidence:
    field: str
    text: str
    strength: str  # SAME, CLOSE, DIFFERENT or MISSING


def describe(evidence: dict[str, str]) -> list[Evidence]:
    """One line per field, agreement first, then near agreement, differences, and fields without evidence."""
    lines = [_line(field, code) for field, code in evidence.items()]
    order = list(FIELDS)
    return sorted(lines, key=lambda e: (_ORDER[e.strength], order.index(e.field) if e.field in order else len(order)))


def _line(field: str, code: str) -> Evidence:
    name = FIELDS.get(field, field)
    if code == "kosong":
        text = f"{name}: tidak ada data di salah satu"
    elif code == "saudara":
        text = f"{name}: tidak dihitung, NIK (atau ibu/No. HP dan tanggal lahir yang sama) dan nama menunjuk saudara atau kembar"
    elif code == "dinilai_dengan_nik":
        text = f"{name}: tidak dihitung sendiri, NIK sama dan kemiripan nama sudah dinilai bersama NIK"
    else:
        text = PHRASES.get((field, code)) or f"{name}: {_engine_labels().get(code, code)}"
    return Evidence(field, text, STRENGTH.get(code, CLOSE))


def _engine_labels() -> dict[str, str]:
    try:
        from lindung.matching.model import LEVEL_LABELS
    except ImportError:  # stored pairs stay readable without the engine installed
        return {}
    return LEVEL_LABELS


def percent(score: float) -> str:
    """0.9731 -> "97,3 %" (Indonesian decimal comma)."""
    return f"{score * 100:.1f}".replace(".", ",") + " %"
