from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "lindung.imports"
    verbose_name = "Impor daftar calon peserta"
