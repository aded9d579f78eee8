"""One JSON error body for every 4xx/5xx under /api/: {"kode", "pesan", "rincian": [...]}, in Indonesian.

Errors raised inside an endpoint go through the NinjaAPI exception handlers (api.py); whatever Django
itself answers under /api/ (an unknown path, a wrong method, a crash outside the API) is rewritten by
`ApiErrorMiddleware`, so a client never has to parse an HTML error page.
"""

from __future__ import annotations

import json
import logging

from django.http import JsonResponse

logger = logging.getLogger("lindung.api")

STATUS_TEXT = {
    400: ("permintaan_tidak_valid", "Permintaan tidak dapat dibaca."),
    401: ("tidak_terautentikasi", "Permintaan ini memerlukan token API: header Authorization: Bearer TOKEN."),
    403: ("tidak_berwenang", "Peran Anda tidak berwenang untuk tindakan ini."),
    404: ("tidak_ditemukan", "Alamat atau data tidak ditemukan (atau berada di luar wilayah Anda)."),
    405: ("metode_tidak_didukung", "Metode HTTP ini tidak didukung pada alamat ini."),
    409: ("konflik", "Data sudah diubah pengguna lain."),
    413: ("terlalu_besar", "Permintaan terlalu besar."),
    415: ("jenis_tidak_didukung", "Jenis isi permintaan tidak didukung; kirim JSON."),
    422: ("data_tidak_valid", "Data yang dikirim tidak lolos pemeriksaan."),
    429: ("terlalu_banyak_permintaan", "Terlalu banyak permintaan; coba lagi sebentar lagi."),
    500: ("galat_sistem", "Terjadi galat sistem; tidak ada data yang berubah. Laporkan ke admin."),
}


def error_body(status: int, kode: str | None = None, pesan: str | None = None, rincian: list | None = None) -> dict:
    default_kode, default_pesan = STATUS_TEXT.get(status, ("galat", "Permintaan gagal."))
    return {"kode": kode or default_kode, "pesan": pesan or default_pesan, "rincian": rincian or []}


def error_response(status: int, kode: str | None = None, pesan: str | None = None, rincian: list | None = None) -> JsonResponse:
    return JsonResponse(error_body(status, kode, pesan, rincian), status=status,
                        json_dumps_params={"ensure_ascii": False})


def is_api(request) -> bool:
    return request.path.startswith("/api/")


class ApiErrorMiddleware:
    """Under /api/: a non-JSON error response becomes the JSON error body; an uncaught exception a JSON 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not is_api(request) or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json") and _has_error_body(response):
            return response
        replaced = error_response(response.status_code)
        if response.has_header("Allow"):
            replaced["Allow"] = response["Allow"]
        return replaced

    def process_exception(self, request, exception):
        if not is_api(request):
            return None
        logger.exception("galat API pada %s %s", request.method, request.path)
        return error_response(500)


def _has_error_body(response) -> bool:
    try:
        body = json.loads(response.content)
    except (ValueError, AttributeError):
        return False
    return isinstance(body, dict) and {"kode", "pesan", "rincian"} <= body.keys()
