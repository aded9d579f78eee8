"""The one settings file, driven by environment variables (architecture.md rule 4).

SQLite by default (WAL, busy timeout) so the demo needs no server; PostgreSQL through DATABASE_URL.
Every variable read here is listed in README.md § Konfigurasi; a test keeps the two in step.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from lindung.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False, "Mode pengembangan: halaman galat rinci. Jangan aktifkan di server produksi.")

# Keys that must never protect a real server: empty, the docs' example, Django's insecure prefix.
PLACEHOLDER_KEYS = {"", "change-me", "ganti-saya", "secret", "changeme"}
_DEV_KEY = "django-insecure-lindung-dev-only"
SECRET_KEY = env_str("SECRET_KEY", "", "Kunci rahasia Django (wajib bila DEBUG mati); minimal 32 karakter acak.")
# The pure calculators (`lindung iuran`, `nik`, …) sign nothing, so cli.py lets them run without a key;
# everything else — the web app above all — is refused.
_OFFLINE = os.environ.get("LINDUNG_OFFLINE_COMMAND") == "1"
if not DEBUG and not _OFFLINE and (SECRET_KEY.strip().lower() in PLACEHOLDER_KEYS or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured(
        "SECRET_KEY belum diisi atau masih contoh. Isi variabel lingkungan SECRET_KEY dengan "
        "string acak yang panjang (mis. `python -c 'import secrets; print(secrets.token_urlsafe(50))'`), "
        "atau jalankan dengan DEBUG=1 untuk pengembangan."
    )
if not SECRET_KEY:
    SECRET_KEY = _DEV_KEY

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"], "Nama host yang dilayani, dipisah koma."
)
CSRF_TRUSTED_ORIGINS = env_list(
    "CSRF_TRUSTED_ORIGINS", [], "Asal (https://nama.host) yang dipercaya untuk formulir, dipisah koma."
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "django_tasks",
    "lindung.tasks_app.TugasLatarConfig",  # django_tasks_db, named in Indonesian in the admin
    "lindung.accounts",
    "lindung.registry",
    "lindung.programs",
    "lindung.imports",
    "lindung.linkage",
    "lindung.verification",
    "lindung.enrolment",
    "lindung.privacy",
    "lindung.billing",
    "lindung.reconciliation",
    "lindung.protection",
    "lindung.coverage",
    "lindung.api",
    "lindung.background",
    "lindung.counters",
    "ninja",  # serves Swagger UI's files from our own static files (no CDN; the CSP allows only 'self')
]

# Background work without a broker: the database is the queue; `lindung db_worker` runs the jobs.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A running job writes a heartbeat every quarter of this; a job silent for longer is taken as dead
# (killed worker) and its batch, matching run or SK returned to the user (lindung.lib.jobs).
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 120, "Detik tanpa denyut sebelum proses latar dianggap terhenti.")
# The SK's lampiran is rendered and stored in volumes (jilid) of this many people: a province's 600.000 become
# 120 PDFs, each laid out in bounded memory (~200 MB for 5.000 rows), never one document held whole.
SK_JILID_BARIS = max(1, env_int("SK_JILID_BARIS", 5000, "Jumlah peserta per jilid lampiran SK (PDF)."))
# Volumes laid out side by side by this many child processes (~200 MB each); 1 = in the worker itself.
SK_PROSES = max(1, env_int("SK_PROSES", 1, "Jumlah proses yang menyusun jilid SK bersamaan (1 = berurutan)."))

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Under /api/: every 4xx/5xx answered as the JSON error body, whoever produced it.
    "lindung.api.errors.ApiErrorMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (it asks whether the user is signed in), after whitenoise (static files stay cached).
    "lindung.lib.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Axes last: it must see the result of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lindung.urls"
WSGI_APPLICATION = "lindung.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lindung" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lindung.accounts.access.context",
                "lindung.privacy.context.privacy",
            ],
            "builtins": ["lindung.lib.templatetags"],
        },
    }
]


DATABASE_CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", 60, "Detik koneksi PostgreSQL dipakai ulang (0 = tutup tiap permintaan).")
SQLITE_PATH = env_str("SQLITE_PATH", str(BASE_DIR / "lindung.sqlite3"), "Berkas database SQLite bila DATABASE_URL kosong.")
SQLITE_BUSY_TIMEOUT = env_int("SQLITE_BUSY_TIMEOUT", 20, "Detik menunggu kunci SQLite sebelum menyerah.")


def _database(url: str) -> dict:
    """PostgreSQL (or any dj-database-url scheme) from DATABASE_URL; tuned SQLite otherwise — also when
    DATABASE_URL is a sqlite:/// URL, so the tuning never depends on how SQLite was named."""
    if url:
        parsed = dj_database_url.parse(url, conn_max_age=DATABASE_CONN_MAX_AGE, conn_health_checks=True)
        if parsed["ENGINE"] != "django.db.backends.sqlite3":
            return parsed
        return _sqlite(parsed["NAME"])
    return _sqlite(SQLITE_PATH)


def _sqlite(name: str) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": {
            # WAL lets the web process read while a background import writes; IMMEDIATE avoids
            # "database is locked" on write upgrades; the timeout waits instead of failing.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT,
        },
    }


DATABASES = {
    "default": _database(
        env_str("DATABASE_URL", "", "URL database, mis. postgres://user:sandi@127.0.0.1:5432/lindung; kosong = SQLite.")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lockout per account across addresses, with a back-off (lindung.accounts.lockout): 1 minute after the
# limit is reached, doubling with each further failure, at most AXES_COOLOFF_MENIT.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, "Jumlah gagal masuk sebuah akun (dari alamat mana pun) sebelum harus menunggu.")
AXES_COOLOFF_MENIT = env_int("AXES_COOLOFF_MENIT", 30, "Menit penguncian terpanjang; tunggu 1 menit, berlipat dua tiap gagal berikutnya.")
AXES_COOLOFF_TIME = timedelta(days=1)  # how long failures are remembered (lockout.FAILURE_MEMORY)
AXES_HANDLER = "lindung.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for the address in the lockout key; locking the account from any address is the point here
# (issue 11: behind one proxy address, or from ten addresses, guesses must still count against the account).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_LOCKOUT_CALLABLE = "lindung.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Tries while locked are refused without counting: hammering cannot push someone else's wait to the maximum.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_CLIENT_IP_CALLABLE = "lindung.accounts.lockout.client_ip"
# Behind the pemda's reverse proxy every request comes from the proxy's address; the client's is in a header
# the proxy writes (e.g. X-Forwarded-For). Only name it when a proxy you run always sets it.
TRUSTED_PROXY_HEADER = env_str("TRUSTED_PROXY_HEADER", "", "Header alamat klien dari reverse proxy, mis. X-Forwarded-For; kosong = alamat koneksi.")
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1, "Jumlah reverse proxy tepercaya di depan lindung yang menambah header itu.")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
# BPJS's due day for a month's iuran is unconfirmed (domain.md §8 item 2): the default day of the following
# month; a programme's PKS may set another (reconciliation.PaymentTerms, in /admin/).
JATUH_TEMPO_HARI = env_int("JATUH_TEMPO_HARI", 15, "Tanggal jatuh tempo iuran pada bulan berikutnya (1-31), bila program tidak mengaturnya.")

SESSION_COOKIE_AGE = env_int("SESSION_MENIT", 480, "Menit sebuah sesi masuk berlaku.") * 60
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
HTTPS = env_bool("HTTPS", False, "Aktifkan bila dilayani lewat HTTPS: cookie aman dan HSTS.")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
# Django and its admin ship Indonesian; this folder adds it for the task queue's labels ("Berhasil", not "Successful").
LOCALE_PATHS = [BASE_DIR / "lindung" / "locale"]
# Times are stored in UTC and shown in the pemda's zone: Asia/Jakarta (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT).
USE_TZ = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta", "Zona waktu tampilan: Asia/Jakarta, Asia/Makassar, atau Asia/Jayapura.")
USE_I18N = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "lindung" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve the app's own static files straight from the package: a kabupaten VM needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media"), "Folder berkas unggahan (Excel, berita acara)."))
# Uploaded spreadsheets (lindung/imports/guard.py): more rows are refused with a message; the workbook is
# parsed in a child process capped at this much memory, so a hostile file cannot take a worker down.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000, "Baris data terbanyak dalam satu berkas unggahan.")
IMPORT_MAX_MEMORY_MB = env_int("IMPORT_MAX_MEMORY_MB", 2048, "Memori (MB) terbesar untuk membaca satu berkas Excel.")
# The matching job (lindung.matching.run): DuckDB works within MATCHING_MEMORY_MB and writes what does not fit
# to MATCHING_TEMP_DIR; the job's Python share (the people read as Arrow, the pairs found) comes on top.
MATCHING_MEMORY_MB = env_int("MATCHING_MEMORY_MB", 1024, "Memori (MB) mesin pencocokan (DuckDB); selebihnya ditulis sementara ke disk.")
MATCHING_TEMP_DIR = env_str("MATCHING_TEMP_DIR", "", "Folder berkas sementara pencocokan (kosong = folder sementara sistem).")

# UU PDP Pasal 53: a public-service controller designates a data protection officer; shown in every page's footer.
API_BATAS_PER_MENIT = env_int("API_BATAS_PER_MENIT", 120, "Batas permintaan API per token per menit (0 = tanpa batas).")

DPO_NAMA = env_str("DPO_NAMA", "", "Nama Pejabat Pelindungan Data Pribadi (PPDP/DPO) pemda, tampil di kaki halaman.")
DPO_EMAIL = env_str("DPO_EMAIL", "", "Alamat surel PPDP/DPO untuk pertanyaan dan permintaan subjek data.")
DPO_TELEPON = env_str("DPO_TELEPON", "", "Nomor telepon PPDP/DPO.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO", "Tingkat log: DEBUG, INFO, WARNING.")},
}
AXES_VERBOSE = False  # keep CLI output clean: scripts read stdout/stderr of `lindung …`
