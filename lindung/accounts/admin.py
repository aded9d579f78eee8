from django.contrib import admin

from lindung.accounts.models import AuditEntry, Membership


def titled(filter_class, title: str):
    """A list filter under an Indonesian title (the field's own name is English)."""
    return type(f"{filter_class.__name__}Id", (filter_class,), {"__init__": _with_title(filter_class, title)})


def _with_title(filter_class, title):
    def __init__(self, *args, **kwargs):
        filter_class.__init__(self, *args, **kwargs)
        self.title = title
    return __init__


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "wilayah")
    list_filter = ("role",)
    raw_id_fields = ("wilayah",)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: an audit trail that can be edited is no audit trail."""

    list_display = ("waktu", "pengguna", "tindakan", "data", "nomor_data", "baris", "catatan")
    list_filter = (("action", titled(admin.ChoicesFieldListFilter, "tindakan")),
                   ("model", titled(admin.AllValuesFieldListFilter, "data")))

    # Column titles in Indonesian without renaming the model's fields (no migration for a label).
    @admin.display(description="waktu", ordering="at")
    def waktu(self, entry):
        return entry.at

    @admin.display(description="pengguna", ordering="user")
    def pengguna(self, entry):
        return entry.user or "sistem"

    @admin.display(description="tindakan", ordering="action")
    def tindakan(self, entry):
        return entry.get_action_display()

    @admin.display(description="data", ordering="model")
    def data(self, entry):
        return entry.model

    @admin.display(description="nomor data")
    def nomor_data(self, entry):
        return entry.object_id or "–"

    @admin.display(description="baris")
    def baris(self, entry):
        return "–" if entry.rows is None else entry.rows

    @admin.display(description="catatan")
    def catatan(self, entry):
        return entry.note or "–"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
