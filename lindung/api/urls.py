from django.urls import path, re_path

from lindung.api import export_views, search, views
from lindung.api.api import api
from lindung.api.errors import error_response

urlpatterns = [
    path("api/v1/", api.urls),
    # Anything else under /api/ is the JSON 404, not the HTML page.
    re_path(r"^api/", lambda request, *args, **kwargs: error_response(404)),
    path("akun/token/", views.token_list, name="api_tokens"),
    path("akun/token/<int:pk>/cabut/", views.token_revoke, name="api_token_revoke"),
    path("cari/", search.search_page, name="search"),
    path("program/<slug:slug>/calon/unduh.<str:fmt>", export_views.candidates, name="export_candidates"),
    path("program/<slug:slug>/verifikasi/unduh.<str:fmt>", export_views.verification_queue, name="export_queue"),
    path("program/<slug:slug>/penetapan/unduh.<str:fmt>", export_views.cohort, name="export_cohort"),
    path("program/<slug:slug>/duplikat/unduh.<str:fmt>", export_views.duplicates, name="export_duplicates"),
    path("pencocokan/tinjau/unduh.<str:fmt>", export_views.review_pairs, name="export_pairs"),
]
