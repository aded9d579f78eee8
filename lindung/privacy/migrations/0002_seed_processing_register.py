"""The installation's default record of processing (UU 27/2022 Pasal 31). A pemda's Disnaker admin edits its own copy.

The data is written out here, not imported from the app, so this migration gives the same rows forever.
"""

from django.db import migrations

BASIS = ("UU 24/2011 tentang BPJS; UU 40/2004 tentang SJSN; Inpres 2/2021 tentang Optimalisasi Pelaksanaan Program "
         "Jaminan Sosial Ketenagakerjaan; SE Mendagri 842.2/5193/SJ (2021); peraturan kepala daerah tentang program "
         "perlindungan pekerja rentan")
CANDIDATE_DATA = ("NIK, No. KK, nama, tempat dan tanggal lahir, jenis kelamin, nama ibu kandung, alamat, RT/RW, "
                  "desa/kelurahan, pekerjaan, nomor HP")
SECURITY = ("Akses menurut peran dan wilayah; NIK tersamar bagi peran yang tidak memerlukan; setiap tampilan dan "
            "ekspor NIK lengkap dicatat; ekspor NIK lengkap dienkripsi dengan kata sandi pengunduh; sandi akun argon2")

DEFAULTS = [
    dict(kode="daftar-calon", nama="Daftar calon peserta pekerja rentan",
         tujuan="Memilih pekerja rentan yang iurannya dibayar APBD: memeriksa NIK, wilayah, usia dan pekerjaan, "
                "menemukan data ganda, dan verifikasi berjenjang RT/RW, desa/kelurahan, Dinas Sosial, Disnaker.",
         dasar_hukum="tugas_publik", rincian_dasar=BASIS,
         subjek="Pekerja rentan yang diusulkan desa/kelurahan atau komunitas", kategori_data=CANDIDATE_DATA,
         penerima="Disnaker (pengelola); Dinas Sosial (verifikasi); operator desa/kelurahan (data desanya saja); "
                  "BPKAD dan auditor (NIK tersamar)",
         masa_simpan="Selama program berjalan dan 5 tahun setelah program berakhir (pertanggungjawaban APBD). "
                     "Baris asli unggahan dianonimkan 12 bulan setelah program berakhir, kecuali orang yang masih dilindungi."),
    dict(kode="berkas-unggahan", nama="Berkas unggahan daftar desa/kelurahan (Excel/CSV)",
         tujuan="Bukti daftar yang dikirim desa/kelurahan dan sumber berkas baris yang ditolak untuk diperbaiki.",
         dasar_hukum="tugas_publik", rincian_dasar=BASIS, subjek="Pekerja rentan yang diusulkan",
         kategori_data=CANDIDATE_DATA, penerima="Disnaker; operator desa/kelurahan pengunggah",
         masa_simpan="Dihapus 12 bulan setelah program berakhir (perintah `lindung retensi`), kecuali ada orang "
                     "dari berkas itu yang masih dilindungi."),
    dict(kode="verifikasi", nama="Keputusan verifikasi dan berita acara musyawarah",
         tujuan="Jejak keputusan layak/tidak layak per tingkat verifikasi beserta alasannya (R18).",
         dasar_hukum="tugas_publik", rincian_dasar=BASIS, subjek="Calon peserta; petugas verifikasi",
         kategori_data="Keputusan, alasan, nama petugas, waktu; berkas berita acara (nama peserta musyawarah)",
         penerima="Disnaker; Dinas Sosial; operator desa/kelurahan; auditor",
         masa_simpan="Keputusan disimpan selama data calon disimpan; berkas berita acara dihapus 60 bulan setelah program berakhir."),
    dict(kode="peserta-bpjs", nama="Daftar peserta BPJS Ketenagakerjaan dari kantor cabang",
         tujuan="Mencegah calon yang sudah menjadi peserta BPJS didaftarkan dan dibayar dua kali (R10).",
         dasar_hukum="tugas_publik", rincian_dasar=BASIS + "; PKS dengan BPJS Ketenagakerjaan",
         subjek="Peserta BPJS Ketenagakerjaan di wilayah pemda", kategori_data="NIK, nama, tanggal lahir, No. KPJ, segmen",
         penerima="Disnaker", masa_simpan="Berkas dihapus 12 bulan setelah diunggah; isinya dipakai sampai diganti daftar yang lebih baru."),
    dict(kode="hasil-pencocokan", nama="Hasil pencocokan data (ganda, lintas program, sudah peserta BPJS)",
         tujuan="Menemukan orang yang sama dalam satu program, di dua program, atau yang sudah peserta BPJS (R9, R10, R22).",
         dasar_hukum="tugas_publik", rincian_dasar=BASIS, subjek="Calon peserta dan peserta BPJS",
         kategori_data="Pasangan data, skor, bukti per kolom, keputusan sama/berbeda dan alasannya",
         penerima="Disnaker; Dinas Sosial; operator desa/kelurahan (pasangan dengan data desanya)",
         masa_simpan="Selama data calon yang dicocokkan disimpan."),
    dict(kode="penetapan", nama="Penetapan peserta, SK penetapan penerima dan pengajuan ke BPJS",
         tujuan="Menetapkan peserta dalam pagu, menerbitkan SK, mendaftarkan peserta ke BPJS dan membayar iurannya.",
         dasar_hukum="kewajiban_hukum", rincian_dasar=BASIS + "; PP 44/2015 jo. PP 49/2023 (JKK dan JKM)",
         subjek="Peserta yang ditetapkan", kategori_data="NIK, nama, tanggal lahir, jenis kelamin, desa, pekerjaan, No. KPJ, masa perlindungan",
         penerima="BPJS Ketenagakerjaan (berkas pengajuan); bagian hukum (SK); BPKAD (tagihan, NIK tersamar)",
         masa_simpan="5 tahun setelah program berakhir; berkas PDF SK yang tersimpan di aplikasi dihapus 60 bulan "
                     "setelah program berakhir (SK asli diarsipkan bagian hukum)."),
    dict(kode="klaim", nama="Klaim dan berkas manfaat (JKK, JKM, beasiswa)",
         tujuan="Membantu peserta dan ahli waris mengajukan klaim dan memeriksa besaran manfaat (R23).",
         dasar_hukum="tugas_publik", rincian_dasar=BASIS + "; Permenaker 5/2021",
         subjek="Peserta, ahli waris, anak penerima beasiswa",
         kategori_data="NIK, nama, tanggal kejadian atau kematian, hubungan ahli waris, nomor rekening, dokumen pendukung",
         penerima="BPJS Ketenagakerjaan; Disnaker", masa_simpan="5 tahun setelah klaim selesai."),
    dict(kode="jejak-audit", nama="Jejak audit",
         tujuan="Mencatat siapa mengubah data dan siapa melihat atau mengekspor NIK lengkap (UU PDP Pasal 31 dan 35-39).",
         dasar_hukum="kewajiban_hukum", rincian_dasar="UU 27/2022 Pasal 31, 35-39; Perpres 95/2018 (SPBE)",
         subjek="Petugas pengguna aplikasi; calon peserta yang datanya diubah",
         kategori_data="Nama pengguna, waktu, nilai lama dan baru yang diubah, jumlah baris NIK yang dilihat",
         penerima="Admin Disnaker; auditor; Pejabat Pelindungan Data Pribadi", masa_simpan="5 tahun."),
    dict(kode="akun-pengguna", nama="Akun pengguna dan catatan masuk",
         tujuan="Memberi akses sesuai peran dan wilayah; mengunci akun setelah gagal masuk berulang.",
         dasar_hukum="kewajiban_hukum", rincian_dasar="UU 27/2022 Pasal 35-39; Peraturan BSSN 10/2019",
         subjek="Petugas Disnaker, Dinas Sosial, BPKAD, desa/kelurahan, auditor",
         kategori_data="Nama, nama pengguna, peran, wilayah tugas, alamat IP saat gagal masuk",
         penerima="Admin aplikasi", masa_simpan="Selama akun aktif; catatan gagal masuk sampai penguncian berakhir."),
    dict(kode="insiden", nama="Catatan insiden kegagalan pelindungan data pribadi",
         tujuan="Menangani insiden dan memberitahu subjek data serta lembaga dalam 3 × 24 jam (UU PDP Pasal 46).",
         dasar_hukum="kewajiban_hukum", rincian_dasar="UU 27/2022 Pasal 46",
         subjek="Subjek data yang terdampak", kategori_data="Jumlah dan NIK orang terdampak, program, jenis data yang terpapar",
         penerima="Pejabat Pelindungan Data Pribadi; lembaga penyelenggara pelindungan data pribadi; subjek data",
         masa_simpan="5 tahun setelah insiden ditutup."),
]


def seed(apps, schema_editor):
    ProcessingActivity = apps.get_model("privacy", "ProcessingActivity")
    for urutan, row in enumerate(DEFAULTS, start=1):
        ProcessingActivity.objects.update_or_create(
            pemda=None, kode=row["kode"], defaults={**row, "urutan": urutan, "pengamanan": SECURITY})


def unseed(apps, schema_editor):
    apps.get_model("privacy", "ProcessingActivity").objects.filter(pemda=None, kode__in=[r["kode"] for r in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_processing_register")]
    operations = [migrations.RunPython(seed, unseed)]
