from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "lindung.verification"
    verbose_name = "Verifikasi berjenjang"
