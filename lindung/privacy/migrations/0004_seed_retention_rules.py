"""Conservative default retention periods (R25). Specific periods under UU PDP are not yet set by a PP, so the
defaults keep what an APBD audit may ask for and drop the copies nobody needs once a programme is over.
People still covered (diajukan, terdaftar, aktif in any programme) are never touched, whatever the period.
"""

from django.db import migrations

PROGRAM_END = "akhir program (tanggal akhir perlindungan)"
RULES = [
    dict(kode="berkas-impor", bulan=12, acuan=PROGRAM_END, tindakan="berkas dihapus dari penyimpanan",
         dasar="Berkas asli hanya dipakai untuk pratinjau dan berkas baris yang ditolak; data yang diterima sudah "
               "tersimpan per calon. Satu tahun sesudah program berakhir cukup untuk pemeriksaan dan keberatan."),
    dict(kode="baris-asli", bulan=12, acuan=PROGRAM_END,
         tindakan="baris asli calon dan contoh baris pratinjau dikosongkan (dianonimkan)",
         dasar="Salinan baris seperti diunggah tidak diperlukan lagi setelah data dibersihkan dan program selesai; "
               "data calon yang dibersihkan tetap disimpan untuk pertanggungjawaban APBD."),
    dict(kode="berkas-peserta-bpjs", bulan=12, acuan="tanggal unggah", tindakan="berkas dihapus dari penyimpanan",
         dasar="Isi daftar peserta BPJS sudah dimuat sebagai acuan; berkasnya hanya salinan dari kantor cabang."),
    dict(kode="berita-acara", bulan=60, acuan=PROGRAM_END, tindakan="berkas dihapus dari penyimpanan",
         dasar="Bukti musyawarah yang mendasari keputusan verifikasi; disimpan 5 tahun seperti dokumen "
               "pertanggungjawaban APBD. Keputusan verifikasinya tetap tercatat."),
    dict(kode="sk-pdf", bulan=60, acuan=PROGRAM_END, tindakan="berkas PDF dihapus (dapat dibuat ulang dari data)",
         dasar="SK asli yang ditandatangani diarsipkan bagian hukum; PDF di aplikasi hanya salinan kerja."),
]


def seed(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    for rule in RULES:
        RetentionRule.objects.update_or_create(kode=rule["kode"], defaults=rule)


def unseed(apps, schema_editor):
    apps.get_model("privacy", "RetentionRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("privacy", "0003_retention_rules")]
    operations = [migrations.RunPython(seed, unseed)]
