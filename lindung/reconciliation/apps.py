from django.apps import AppConfig


class ReconciliationConfig(AppConfig):
    name = "lindung.reconciliation"
    label = "reconciliation"
    verbose_name = "Rekonsiliasi dan pembayaran"
