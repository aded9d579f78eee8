from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "lindung.privacy"
    verbose_name = "Pelindungan data pribadi (UU 27/2022)"

    def ready(self) -> None:
        from lindung.privacy import checks  # noqa: F401  (registers the deploy check)
