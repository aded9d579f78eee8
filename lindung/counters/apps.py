from django.apps import AppConfig


class CountersConfig(AppConfig):
    name = "lindung.counters"
    verbose_name = "Hitungan"

    def ready(self) -> None:
        from lindung.counters.bulk import counted_once
        from lindung.lib import bulk

        bulk.counting = counted_once  # a bulk INSERT counted once on SQLite (lindung.counters.bulk)
