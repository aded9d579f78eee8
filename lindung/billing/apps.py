from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "lindung.billing"
    label = "billing"
    verbose_name = "Tagihan dan realisasi"
