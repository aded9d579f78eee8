from django.contrib import admin

from lindung.reconciliation.models import PaymentTerms


@admin.register(PaymentTerms)
class PaymentTermsAdmin(admin.ModelAdmin):
    list_display = ("program", "hari_jatuh_tempo")
