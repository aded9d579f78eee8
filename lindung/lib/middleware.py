"""Responses with personal data are never kept by a browser or a proxy (issue 11, item 10).

Every page a signed-in user gets shows people (names, NIKs, decisions), and every generated file (the
lampiran, the pengajuan, rejected rows) carries them: on a shared kantor desa computer the browser's cache
and back button would hand them to the next person, and a caching proxy to anyone. One middleware marks
all of them `Cache-Control: no-store` instead of each view remembering to. Static files (whitenoise,
earlier in the chain) keep their long cache; the login page for anonymous visitors has nothing personal.
"""

from __future__ import annotations

from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or response.has_header("Content-Disposition"):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private, max-age=0
        return response
