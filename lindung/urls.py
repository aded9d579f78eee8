from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", include("lindung.accounts.urls")),
    path("", include("lindung.programs.urls")),
    path("", include("lindung.imports.urls")),
    path("", include("lindung.verification.urls")),
    path("", include("lindung.enrolment.urls")),
    path("", include("lindung.billing.urls")),
    path("", include("lindung.linkage.urls")),
    path("", include("lindung.privacy.urls")),
    path("", include("lindung.reconciliation.urls")),
    path("", include("lindung.protection.urls")),
    path("", include("lindung.coverage.urls")),
    path("", include("lindung.api.urls")),
    path("", include("lindung.background.urls")),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico on their own; the icon itself is a static file.
    path("favicon.ico", RedirectView.as_view(url=static("lindung/favicon.svg"), permanent=True)),
]
