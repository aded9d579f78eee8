from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "lindung.privacy"
    verbose_name = "Pelindungan data pribadi (UU 27/2022)"
