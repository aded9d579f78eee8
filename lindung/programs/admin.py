from django.contrib import admin

from lindung.programs.models import Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("nama", "slug", "pemda", "sumber_dana", "pagu", "mulai", "selesai")
    list_filter = ("sumber_dana", "kode_kepesertaan")
    search_fields = ("nama", "slug", "pks_nomor")
    raw_id_fields = ("pemda",)
    prepopulated_fields = {"slug": ("nama",)}
