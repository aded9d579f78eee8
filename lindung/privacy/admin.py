from django.contrib import admin

from lindung.privacy.models import ProcessingActivity


@admin.register(ProcessingActivity)
class ProcessingActivityAdmin(admin.ModelAdmin):
    list_display = ("nama", "kode", "pemda", "dasar_hukum", "updated_at")
    list_filter = ("dasar_hukum",)
    raw_id_fields = ("pemda",)
