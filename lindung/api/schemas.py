"""The API's shapes (pydantic, via django-ninja): what the OpenAPI schema documents and responses are checked against."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from lindung.imports.models import CandidateStatus, ImportBatch
from lindung.programs.models import KodeKepesertaan, SumberDana

StatusCalon = Literal[tuple(CandidateStatus.values)]  # type: ignore[valid-type]
StatusUnggahan = Literal[tuple(ImportBatch.Status.values)]  # type: ignore[valid-type]
SumberDanaKode = Literal[tuple(SumberDana.values)]  # type: ignore[valid-type]
KodeKepesertaanKode = Literal[tuple(KodeKepesertaan.values)]  # type: ignore[valid-type]


class Galat(Schema):
    kode: str = Field(description="kode galat untuk mesin, mis. `tidak_ditemukan`, `keputusan_basi`")
    pesan: str = Field(description="penjelasan dalam Bahasa Indonesia")
    rincian: list[dict] = Field(default_factory=list, description="rincian per baris/kolom bila ada")


class Halaman(Schema):
    berikutnya: str | None = Field(None, description="kursor halaman berikutnya (parameter `setelah`); null bila habis")


class Wilayah(Schema):
    kode: str
    nama: str
    tingkat: str
    induk: str | None
    aktif: bool


class HalamanWilayah(Halaman):
    hasil: list[Wilayah]


class Program(Schema):
    slug: str
    nama: str
    pemda: str = Field(description="kode kabupaten/kota atau provinsi pemilik program")
    sumber_dana: str
    pagu: int = Field(description="pagu anggaran dalam rupiah")
    mulai: date
    selesai: date
    bulan: int
    pks_nomor: str
    pks_tanggal: date | None
    kode_kepesertaan: str
    usia_min: int
    usia_max: int
    pekerjaan_diizinkan: list[str]
    tingkat_verifikasi: list[str]


class ProgramBaru(Schema):
    slug: str = Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=60)
    nama: str = Field(min_length=1, max_length=200)
    sumber_dana: SumberDanaKode
    pagu: int = Field(ge=0, le=10**15)
    mulai: date
    selesai: date
    pks_nomor: str = Field("", max_length=100)
    pks_tanggal: date | None = None
    kode_kepesertaan: KodeKepesertaanKode = "SG"
    usia_min: int = Field(18, ge=0, le=120)
    usia_max: int = Field(65, ge=0, le=120)
    pekerjaan_diizinkan: list[str] = Field(default_factory=list)
    tingkat_verifikasi: list[str] = Field(default_factory=list)


class ProgramUbah(Schema):
    nama: str | None = Field(None, min_length=1, max_length=200)
    pagu: int | None = Field(None, ge=0, le=10**15)
    mulai: date | None = None
    selesai: date | None = None
    pks_nomor: str | None = Field(None, max_length=100)
    pks_tanggal: date | None = None
    usia_min: int | None = Field(None, ge=0, le=120)
    usia_max: int | None = Field(None, ge=0, le=120)
    pekerjaan_diizinkan: list[str] | None = None
    tingkat_verifikasi: list[str] | None = None


class Masalah(Schema):
    kode: str
    pesan: str
    tingkat: str


class Calon(Schema):
    id: int
    program: str = Field(description="slug program")
    nik: str = Field(description="NIK lengkap, atau hanya kode wilayahnya (`2102 01•• •••• ••••`) bagi peran yang disamarkan")
    nik_lengkap: bool = Field(description="true bila `nik`, `no_kk`, `tanggal_lahir` dan `nama_ibu` ditampilkan lengkap")
    nama: str
    tanggal_lahir: date | None = Field(description="null bila disamarkan (lihat `tahun_lahir`)")
    tahun_lahir: int | None
    jenis_kelamin: str
    tempat_lahir: str
    alamat: str
    rt: str
    rw: str
    kode_desa: str
    nama_desa: str
    pekerjaan: str
    no_hp: str
    nama_ibu: str | None = Field(description="null bila disamarkan")
    no_kk: str
    keterangan: str
    status: StatusCalon
    tingkat_verifikasi: str | None = Field(description="kode tingkat yang memutuskan berikutnya (status calon)")
    versi: int = Field(description="versi untuk penguncian optimistis: kirim kembali bersama keputusan verifikasi")
    kpj_bpjs: str = Field(description="No. KPJ bila sudah terdaftar BPJS menurut daftar peserta cabang")
    masalah: list[Masalah]
    diubah: datetime


class HalamanCalon(Halaman):
    hasil: list[Calon]


class CalonMasuk(Schema):
    """Satu baris daftar calon, dengan kolom yang sama dengan templat Excel. Semua nilai teks; pemeriksaan
    (NIK, kode desa, usia, pekerjaan, ...) sama persis dengan impor Excel dan memakai kode masalah yang sama."""

    nik: str | None = Field(None, description="16 digit, sebagai teks")
    nama: str | None = None
    tanggal_lahir: str | None = Field(None, description="yyyy-mm-dd atau dd/mm/yyyy")
    jenis_kelamin: str | None = Field(None, description="L atau P")
    tempat_lahir: str | None = None
    alamat: str | None = None
    rt: str | None = None
    rw: str | None = None
    kode_desa: str | None = Field(None, description="kode Kemendagri desa/kelurahan; operator desa boleh mengosongkan")
    pekerjaan: str | None = Field(None, description="kode atau nama pekerjaan, seperti di templat")
    no_hp: str | None = None
    nama_ibu: str | None = None
    no_kk: str | None = None
    keterangan: str | None = None


class CalonMassal(Schema):
    calon: list[CalonMasuk] = Field(min_length=1, max_length=5000)
    periksa_saja: bool = Field(False, description="true: hanya memeriksa, tidak menyimpan apa pun")


class MasalahBaris(Schema):
    baris: int = Field(description="urutan calon dalam kiriman, mulai 1")
    kolom: str
    kode: str
    pesan: str
    tingkat: str


class HasilMassal(Schema):
    baris: int
    dibuat: int
    diubah: int
    tetap: int
    periksa_saja: bool
    unggahan: int | None = Field(description="id unggahan yang mencatat kiriman ini (null bila hanya diperiksa)")
    peringatan: list[MasalahBaris]


class KeputusanMasuk(Schema):
    versi: int = Field(ge=0, le=2**31 - 1, description="`versi` calon yang Anda lihat; bila sudah berubah, jawaban 409")
    keputusan: Literal["layak", "tidak_layak"]
    alasan: str = Field("", max_length=30, description="wajib untuk tidak_layak: kode alasan dari daftar")
    catatan: str = Field("", max_length=255)


class Keputusan(Schema):
    id: int
    calon: int
    tingkat: str
    keputusan: str
    alasan: str
    catatan: str
    verifikator: str | None
    waktu: datetime


class Unggahan(Schema):
    id: int
    program: str
    nama_berkas: str
    status: StatusUnggahan
    progres: int = Field(description="0–100")
    keterangan_progres: str
    galat: str
    baris: int
    diterima: int
    ditolak: int
    dibuat: int
    diubah: int
    tetap: int
    waktu: datetime


class HalamanUnggahan(Halaman):
    hasil: list[Unggahan]


class Audit(Schema):
    id: int
    waktu: datetime
    pengguna: str | None
    tindakan: str
    model: str
    objek: str
    lama: dict | None
    baru: dict | None
    baris: int | None
    catatan: str


class HalamanAudit(Halaman):
    hasil: list[Audit]


class Kohort(Schema):
    id: int
    program: str
    mulai: date
    bulan: int
    kursi: int
    iuran_per_orang: int
    nomor_sk: str
    tanggal_sk: date | None


class Penetapan(Schema):
    id: int
    kohort: int
    calon: Calon
    urutan: int
    keadaan: str
    kpj: str
    alasan: str


class HalamanPenetapan(Halaman):
    hasil: list[Penetapan]


class Sisi(Schema):
    nama: str
    nik: str = Field(description="lengkap hanya bagi peran yang melihat NIK lengkap dan hanya untuk data di wilayahnya")
    asal: str = Field(description="program, atau peserta BPJS")
    status: str
    calon: int | None = Field(description="id calon bila berada di wilayah Anda")


class Pasangan(Schema):
    id: int
    jenis: str
    skor: float
    pita: str
    status: str
    versi: int
    kiri: Sisi
    kanan: Sisi
    alasan: str
    diputuskan_oleh: str | None


class HalamanPasangan(Halaman):
    hasil: list[Pasangan]


class KeputusanPasangan(Schema):
    versi: int = Field(ge=0, le=2**31 - 1)
    keputusan: Literal["sama", "berbeda"]
    alasan: str = Field(min_length=1, max_length=255)


class DaftarBpjs(Schema):
    id: int
    nama_berkas: str
    baris: int
    dilewati: int


class Perlindungan(Schema):
    keadaan: str = Field(description="kursi, tunggu, konflik, keluar")
    mulai: date
    bulan: int
    kpj: str


class HasilCari(Schema):
    calon: Calon
    perlindungan: Perlindungan | None


class Pencarian(Schema):
    hasil: list[HasilCari]
    catatan: str
