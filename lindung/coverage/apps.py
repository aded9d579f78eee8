from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "lindung.coverage"
    label = "coverage"
    verbose_name = "Cakupan"
