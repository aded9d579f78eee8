from django.contrib import admin

from lindung.programs.models import Program

# Form labels in Indonesian for fields whose model name reads raw ("Usia max", "Slug"); set here so the
# label needs no migration (the scale work changes programs' migrations in parallel).
LABELS = {
    "slug": "Kode program (untuk alamat halaman, mis. karimun-2025)", "sumber_dana": "Sumber dana",
    "kode_kepesertaan": "Kode kepesertaan", "usia_min": "Usia terendah (tahun)", "usia_max": "Usia tertinggi (tahun)",
    "pekerjaan_diizinkan": "Pekerjaan yang diizinkan", "created_by": "Dibuat oleh",
}


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("nama", "kode_program", "pemda", "sumber_dana", "pagu", "mulai", "selesai")
    list_filter = ("sumber_dana", "kode_kepesertaan")
    search_fields = ("nama", "slug", "pks_nomor")
    raw_id_fields = ("pemda",)
    prepopulated_fields = {"slug": ("nama",)}

    @admin.display(description="kode program", ordering="slug")
    def kode_program(self, program):
        return program.slug

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["labels"] = {**LABELS, **kwargs.get("labels", {})}
        return super().get_form(request, obj, change=change, **kwargs)
