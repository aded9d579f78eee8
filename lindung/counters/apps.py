from django.apps import AppConfig


class CountersConfig(AppConfig):
    name = "lindung.counters"
    verbose_name = "Hitungan"
