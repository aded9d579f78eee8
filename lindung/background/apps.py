from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "lindung.background"
    verbose_name = "Proses latar (penetapan, keputusan massal, berkas pengajuan)"
