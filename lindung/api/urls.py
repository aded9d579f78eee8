from django.urls import path, re_path

from lindung.api import views
from lindung.api.api import api
from lindung.api.errors import error_response

urlpatterns = [
    path("api/v1/", api.urls),
    # Anything else under /api/ is the JSON 404, not the HTML page.
    re_path(r"^api/", lambda request, *args, **kwargs: error_response(404)),
    path("akun/token/", views.token_list, name="api_tokens"),
    path("akun/token/<int:pk>/cabut/", views.token_revoke, name="api_token_revoke"),
]
