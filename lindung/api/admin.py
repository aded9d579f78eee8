from django.contrib import admin

from lindung.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """The application admin sees every token (never its secret) and can revoke one by setting `dicabut`."""

    list_display = ("nama", "user", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("scope",)
    search_fields = ("nama", "user__username", "prefix")
    readonly_fields = ("user", "nama", "token_hash", "prefix", "scope", "created_at", "expires_at", "last_used_at")

    def has_add_permission(self, request):
        return False  # made on the user's own page or with `lindung token buat`, so the secret is shown once
