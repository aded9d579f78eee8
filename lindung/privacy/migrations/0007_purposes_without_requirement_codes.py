"""The register's purposes no longer cite the project's internal requirement numbers (R9, R10, R18, R22, R23):
the public /privasi/ page is read by data subjects, to whom "(R18)" means nothing. Only rows still holding
the seeded text change; a purpose a pemda's admin rewrote is left as written."""

from django.db import migrations

PURPOSES = [  # (kode, seeded text, text without the requirement numbers)
    ("verifikasi", "Jejak keputusan layak/tidak layak per tingkat verifikasi beserta alasannya (R18).",
     "Jejak keputusan layak/tidak layak per tingkat verifikasi beserta alasannya."),
    ("peserta-bpjs", "Mencegah calon yang sudah menjadi peserta BPJS didaftarkan dan dibayar dua kali (R10).",
     "Mencegah calon yang sudah menjadi peserta BPJS didaftarkan dan dibayar dua kali."),
    ("hasil-pencocokan",
     "Menemukan orang yang sama dalam satu program, di dua program, atau yang sudah peserta BPJS (R9, R10, R22).",
     "Menemukan orang yang sama dalam satu program, di dua program, atau yang sudah peserta BPJS."),
    ("klaim", "Membantu peserta dan ahli waris mengajukan klaim dan memeriksa besaran manfaat (R23).",
     "Membantu peserta dan ahli waris mengajukan klaim dan memeriksa besaran manfaat."),
]


def _rewrite(apps, old: int, new: int) -> None:
    ProcessingActivity = apps.get_model("privacy", "ProcessingActivity")
    for row in PURPOSES:
        ProcessingActivity.objects.filter(kode=row[0], tujuan=row[old]).update(tujuan=row[new])


def forwards(apps, schema_editor):
    _rewrite(apps, 1, 2)


def backwards(apps, schema_editor):
    _rewrite(apps, 2, 1)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0006_indonesian_labels")]
    operations = [migrations.RunPython(forwards, backwards)]
