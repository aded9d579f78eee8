from django.contrib import admin
from django.urls import include, path

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
    path("", include("lindung.coverage.urls")),
    path("", include("lindung.api.urls")),
    path("admin/", admin.site.urls),
]
