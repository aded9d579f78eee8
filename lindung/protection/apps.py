from django.apps import AppConfig


class ProtectionConfig(AppConfig):
    name = "lindung.protection"
    label = "protection"
    verbose_name = "Perlindungan dari waktu ke waktu"
