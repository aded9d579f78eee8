"""The REST API at /api/v1/: one NinjaAPI, one Bearer-token auth for every operation, one error body.

Every endpoint gets the user from `tokens.authenticate` and starts from the scoped querysets
(`Program.objects.visible_to`, `Candidate.objects.visible_to`): an object outside the user's area is
404, as on the web pages.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from lindung.api.errors import error_body
from lindung.api.tokens import ApiDenied, authenticate

logger = logging.getLogger("lindung.api")

DESCRIPTION = """API lindung untuk sistem lain: aplikasi desa (OpenSID, SID), SIKS-NG, SIPD, provinsi, cabang BPJS.

**Autentikasi**: header `Authorization: Bearer TOKEN`. Token dibuat di halaman *Token API* (menu akun) atau dengan
`lindung token buat USERNAME --nama NAMA [--tulis] [--hari N]`. Token bertindak sebagai penggunanya: wilayah yang
sama, penyamaran NIK yang sama dengan halaman web. Token *baca* hanya untuk GET; perubahan memerlukan token *tulis*.

**Wilayah**: data di luar wilayah Anda dijawab 404, sama seperti halaman web.

**Halaman**: daftar memakai kursor: kirim nilai `berikutnya` sebagai `setelah`; `batas` 1–500 baris (bawaan 100).
Urutan: id (calon, unggahan, audit) atau kode (wilayah).

**Galat**: setiap jawaban 4xx/5xx berbentuk `{"kode": ..., "pesan": ..., "rincian": [...]}`.
"""


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        refuse_nul(request)
        return authenticate(request, token)


def refuse_nul(request) -> None:
    """A NUL character in the path, a query value or a JSON body is refused here, once for every endpoint:
    PostgreSQL cannot store or even compare it (a 500 otherwise), and no real value contains one. An
    uploaded file (multipart) is binary and is read by the import's own hardened reader instead."""
    values = [request.path, *(v for vs in request.GET.lists() for v in vs[1])]
    if request.content_type == "application/json":
        values.append(request.body.decode("utf-8", "replace").replace("\\u0000", "\x00"))
    if any("\x00" in value for value in values):
        raise ApiDenied(422, "karakter_tidak_sah", "Data memuat karakter NUL (\\0) yang tidak sah; hapus lalu kirim ulang.")


api = NinjaAPI(
    title="lindung API", version="1", description=DESCRIPTION, auth=BearerToken(), urls_namespace="api-v1",
    openapi_url="/openapi.json", docs_url="/dokumentasi/",
)


def _respond(request, status: int, **body):
    return api.create_response(request, error_body(status, **body), status=status)


@api.exception_handler(ApiDenied)
def _denied(request, exc: ApiDenied):
    return _respond(request, exc.status, kode=exc.kode, pesan=exc.pesan, rincian=exc.rincian)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return _respond(request, 401, kode="token_tidak_ada",
                    pesan="Permintaan ini memerlukan token API: header Authorization: Bearer TOKEN.")


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _respond(request, 404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _respond(request, 403, pesan=str(exc) or None)


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    rincian = [{"lokasi": ".".join(str(part) for part in e.get("loc", ())), "jenis": e.get("type", ""),
                "pesan": _pydantic_message(e)} for e in exc.errors]
    return _respond(request, 422, rincian=rincian)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _respond(request, exc.status_code)


@api.exception_handler(Exception)
def _crash(request, exc):
    logger.exception("galat API pada %s %s", request.method, request.path)
    return _respond(request, 500)


_PYDANTIC = {
    "missing": "wajib diisi", "int_parsing": "harus bilangan bulat", "int_type": "harus bilangan bulat",
    "date_from_datetime_parsing": "harus tanggal yyyy-mm-dd", "date_parsing": "harus tanggal yyyy-mm-dd",
    "date_type": "harus tanggal yyyy-mm-dd", "string_type": "harus teks", "bool_parsing": "harus true atau false",
    "literal_error": "bukan salah satu pilihan yang diizinkan", "greater_than_equal": "terlalu kecil",
    "less_than_equal": "terlalu besar", "string_too_long": "terlalu panjang", "string_too_short": "terlalu pendek",
    "too_long": "terlalu banyak isi", "too_short": "terlalu sedikit isi", "string_pattern_mismatch": "bentuknya tidak sesuai",
    "list_type": "harus daftar", "model_attributes_type": "harus objek JSON", "json_invalid": "JSON tidak valid",
}


def _pydantic_message(error: dict) -> str:
    return _PYDANTIC.get(error.get("type", ""), "nilai tidak valid")


from lindung.api import calon, kecocokan, lainnya, program, verifikasi  # noqa: E402  (routers register on `api`)

api.add_router("/", program.router)
api.add_router("/", calon.router)
api.add_router("/", verifikasi.router)
api.add_router("/", lainnya.router)
api.add_router("/", kecocokan.router)
