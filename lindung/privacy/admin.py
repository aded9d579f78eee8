from django.contrib import admin

from lindung.privacy.models import ProcessingActivity, RetentionRule


@admin.register(ProcessingActivity)
class ProcessingActivityAdmin(admin.ModelAdmin):
    list_display = ("nama", "kode", "pemda", "dasar_hukum", "updated_at")
    list_filter = ("dasar_hukum",)
    raw_id_fields = ("pemda",)


@admin.register(RetentionRule)
class RetentionRuleAdmin(admin.ModelAdmin):
    list_display = ("kode", "bulan", "acuan", "tindakan", "aktif", "updated_at")
    readonly_fields = ("kode",)

    def has_add_permission(self, request):
        return False  # one rule per record type, seeded by a migration; `lindung retensi` knows only those

    def has_delete_permission(self, request, obj=None):
        return False
